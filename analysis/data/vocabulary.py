"""The data's vocabulary: the columns of each file, the allowed values and patterns, the
located problem a validation reports, and the validated data as the book holds it."""
from __future__ import annotations

from functools import cached_property
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import DATA_DIR

FACT_COLUMNS = [
    "fact_id", "source_id", "lines", "table", "area_code", "measure_id", "period",
    "breakdown", "value", "unit", "printed", "status", "note",
]
AREA_COLUMNS = ["area_code", "name", "type", "parent_code", "gss_code", "ods_code", "hwb_code", "icb_code", "section", "note"]
SECTIONS = ["", "ccg", "hwb"]  # which set of page templates an area's own section uses
MEASURE_COLUMNS = ["measure_id", "label", "unit", "kind", "polarity", "min_value", "max_value", "definition"]
UNIT_COLUMNS = ["unit", "dimension", "factor", "description"]
SOURCE_ID_RE = r"^(\d{3}|[A-Z][A-Z0-9-]{1,39})$"
SOURCE_COLUMNS = ["source_id", "file", "title", "publisher", "date", "areas", "plan_of"]  # plan_of: optional
AIMS_COLUMNS = ["area_code", "source_id", "lines", "note"]
KEY = ["source_id", "area_code", "measure_id", "period", "breakdown"]
# What a figure is, whichever paper prints it: papers that print one figure agree under it.
FIGURE_KEY = ["area_code", "measure_id", "period", "breakdown"]
# A trajectory rule: the path it fixes (its baseline fact and the breakdown of the printed values,
# both named by key), the rule, how its years are counted, and where the paper states it.
TRAJECTORY_RULE_COLUMNS = [
    "area_code", "measure_id", "source_id", "baseline_period", "baseline_breakdown", "path_breakdown",
    "kind", "rate", "step", "origin_year", "end_period", "rounding", "check_id",
    "rule_source_id", "rule_lines", "rule_words", "rate_measure", "note",
]
TRAJECTORY_RULE_KEY = ["source_id", "area_code", "measure_id", "path_breakdown"]
# Rule kinds: a yearly rate, a yearly step, a total change by an end period, or none stated.
TRAJECTORY_KINDS = ["compound", "linear", "total_change", "unstated"]
# The reading of one printed value's departure from its rule, the value named by its key.
TRAJECTORY_CAUSE_COLUMNS = KEY + ["cause", "note"]

# A statistic an indicator export prints beside one figure (a fact, named by its key and source):
# its interval limits, count and denominator (numbers), and its printed comparison with a comparator area.
STATISTIC_COLUMNS = ["source_id", "lines", "area_code", "measure_id", "period", "breakdown", "statistic", "value",
                     "unit", "printed", "comparator", "method", "note"]
STATISTIC_KEY = ["source_id", "area_code", "measure_id", "period", "breakdown", "statistic", "comparator"]
INTERVAL_STATISTICS = ["lower_95", "upper_95", "lower_99_8", "upper_99_8"]  # in the figure's own unit
COUNT_STATISTICS = ["count", "denominator"]  # people or events: a count
COMPARISON_STATISTIC = "compared"  # the printed verdict against `comparator`; no value
STATISTICS = INTERVAL_STATISTICS + COUNT_STATISTICS + [COMPARISON_STATISTIC]
# How the exporter compared the figure (a comparison's `method`): the area's 95% or 99.8% interval
# against the comparator's value, by quintile, or not at all; empty where the mapping does not say.
COMPARISON_METHODS = ["ci95", "ci99.8", "quintiles", "none", ""]

AREA_TYPES = [
    "country", "hwb", "icb", "ccg", "district", "locality", "practice", "provider",
    "pct", "cluster", "aggregate", "national",
]
KINDS = ["demographics", "finance", "outcome", "activity", "other"]
POLARITIES = ["", "higher_is_better", "lower_is_better"]
STATUSES = ["published", "approximate", "not_published"]

AREA_CODE_RE = r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$"
FACT_ID_RE = r"^[a-z0-9][a-z0-9._-]*$"
NUMBER_RE = r"^-?\d+(\.\d+)?$"
LINES_RE = r"^\d+(-\d+)?$"
_YEAR = r"\d{4}"
_FY = r"\d{4}/\d{2}"
PERIOD_RE = rf"^({_FY}|{_YEAR}|{_YEAR}-\d{{2}}|{_FY}-{_FY}|{_YEAR}-{_YEAR})$"
ONE_YEAR_RE = rf"^({_FY}|{_YEAR})$"  # a calendar or financial year: a trajectory's values are yearly


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f": row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message} [{self.rule}]"


class DataError(Exception):
    """Raised when data fails validation; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} data problem(s):\n{lines}")


@dataclass(frozen=True)
class BookData:
    facts: pd.DataFrame
    areas: pd.DataFrame
    measures: pd.DataFrame
    units: pd.DataFrame
    sources: pd.DataFrame
    data_dir: Path = field(default=DATA_DIR)
    # Measures some CCG has a fact for, each with the sources that hold it, from the whole
    # data (set on a page's slice, see below).
    peer_measures: dict[str, tuple[str, ...]] | None = None
    # Analyst commentary (analysis.data.commentary.Passage), by area, page and section.
    commentary: tuple = ()
    # data/trajectory_rules.csv and data/trajectory_causes.csv as validated (text columns).
    trajectory_rules: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRAJECTORY_RULE_COLUMNS, dtype=str))
    trajectory_causes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TRAJECTORY_CAUSE_COLUMNS, dtype=str))
    # data/aims.csv: where a CCG's own summary states its aims (a line range of a paper).
    aims: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=AIMS_COLUMNS, dtype=str))
    # data/statistics/*.csv: what an indicator export prints beside each figure (text columns, and
    # `number`, the value as a float).
    statistics: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STATISTIC_COLUMNS + ["number"], dtype=str))

    @cached_property
    def area_names(self) -> dict[str, str]:
        """Each registry area's name, made once: pages name areas thousands of times at national scale."""
        return dict(zip(self.areas["area_code"], self.areas["name"]))


