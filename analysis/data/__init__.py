"""The data layer: strict loading and validation (``load``, ``schema``,
``provenance``), units, the fingerprints everything is keyed by (``keys``),
each page's slice of the data (``slices``), and the commands that add data
(``new_area``, ``fingertips``)."""
from analysis import DATA_DIR  # noqa: F401
from analysis.data.load import (  # noqa: F401
    AREA_CODE_RE, AREA_COLUMNS, AREA_TYPES, BookData, CACHE_DIR, DataError, FACT_COLUMNS, FACT_ID_RE, KEY,
    KINDS, LINES_RE, MEASURE_COLUMNS, NUMBER_RE, PERIOD_RE, POLARITIES, Problem, SECTIONS, SOURCE_COLUMNS,
    SOURCE_ID_RE, STATUSES, UNIT_COLUMNS, collect, fact_files, load, read_table, source_path, validate, _FY,
    _YEAR, _label,
)
from analysis.data.slices import (  # noqa: F401
    COMPARED_MEASURES, SHARED_FILES, Slicer, descendants, families, peer_measures, scoped, slice_keys,
)
