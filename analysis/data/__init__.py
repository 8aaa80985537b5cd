"""The data layer: strict loading and validation (``load``, ``schema``,
``provenance``, ``trajectories``), units, the fingerprints everything is keyed by (``keys``),
each page's slice of the data (``slices``), and the commands that add data
(``new_area``, ``fingertips``)."""
from analysis import DATA_DIR  # noqa: F401
from analysis.data.load import CACHE_DIR, collect, fact_files, load, validate  # noqa: F401
from analysis.data.read import _label, read_table, source_path  # noqa: F401
from analysis.data.vocabulary import (  # noqa: F401
    AREA_CODE_RE, AREA_COLUMNS, AREA_TYPES, FACT_COLUMNS, FACT_ID_RE, FIGURE_KEY, KEY, KINDS, LINES_RE, MEASURE_COLUMNS,
    NUMBER_RE, PERIOD_RE, POLARITIES, SECTIONS, SOURCE_COLUMNS, SOURCE_ID_RE, STATUSES, TRAJECTORY_CAUSE_COLUMNS,
    TRAJECTORY_KINDS, TRAJECTORY_RULE_COLUMNS, UNIT_COLUMNS, BookData, DataError, Problem, _FY, _YEAR,
)
from analysis.data.slices import (  # noqa: F401
    COMPARED_MEASURES, SHARED_FILES, Slicer, descendants, families, peer_measures, scoped, slice_keys,
)
