"""Load the book's data and validate it.

Every CSV is parsed strictly (UTF-8, no byte-order mark, LF line endings,
one field per header column) and then validated with pandera. Problems are
collected, not raised one at a time, and each names its file, row (the line
number in the CSV file) and column, and the rule that failed.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis import DATA_DIR

FACT_COLUMNS = [
    "fact_id", "source_id", "lines", "table", "area_code", "measure_id", "period",
    "breakdown", "value", "unit", "printed", "status", "note",
]
AREA_COLUMNS = ["area_code", "name", "type", "parent_code", "gss_code", "ods_code", "hwb_code", "icb_code", "note"]
MEASURE_COLUMNS = ["measure_id", "label", "unit", "kind", "polarity", "min_value", "max_value", "definition"]
UNIT_COLUMNS = ["unit", "dimension", "factor", "description"]
SOURCE_COLUMNS = ["source_id", "file", "title", "publisher", "date", "areas"]
KEY = ["source_id", "area_code", "measure_id", "period", "breakdown"]

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


# --- strict CSV reading -------------------------------------------------------

def _label(path: Path, data_dir: Path) -> str:
    try:
        return str(Path("data") / path.relative_to(data_dir))
    except ValueError:
        return str(path)


def read_table(path: Path, columns: list[str], label: str, optional: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse a CSV as text. The frame's index is each record's line number."""
    problems: list[Problem] = []
    raw = path.read_bytes()
    if not raw.strip():
        return pd.DataFrame(columns=columns), [Problem(label, None, None, "not_empty", "file is empty; it needs at least the header row: " + ",".join(columns))]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(label, 1, None, "no_bom", "file starts with a byte-order mark; save it as 'UTF-8' (without BOM)"))
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return pd.DataFrame(columns=columns), [Problem(label, line, None, "utf8", f"byte {raw[exc.start]:#04x} is not UTF-8; save the file as UTF-8")]
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.append(Problem(label, line, None, "lf_line_endings", "Windows (CRLF) or old Mac line endings; save with Unix (LF) line endings"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), strict=True)
    records, rows = [], []
    try:
        header = next(reader)
        for record in reader:
            if not record:
                continue
            records.append(record)
            rows.append(reader.line_num)
    except csv.Error as exc:
        problems.append(Problem(label, reader.line_num, None, "csv_syntax", f"malformed CSV ({exc}); check quotes on this row"))
        return pd.DataFrame(columns=columns), problems
    missing = [c for c in columns if c not in header and c not in optional]
    extra = [c for c in header if c not in columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(repr(c) for c in missing))
        if extra:
            parts.append("unexpected column(s) " + ", ".join(repr(c) for c in extra))
        problems.append(Problem(label, 1, None, "header", "; ".join(parts) + ". Expected header: " + ",".join(columns)))
        return pd.DataFrame(columns=columns), problems
    good, good_rows = [], []
    for record, row in zip(records, rows):
        if len(record) != len(header):
            problems.append(Problem(label, row, None, "field_count", f"{len(record)} fields where the header has {len(header)}; a comma inside a value needs quotes"))
        else:
            good.append(record)
            good_rows.append(row)
    frame = pd.DataFrame(good, columns=header, index=pd.Index(good_rows, name="row"), dtype=str)
    for col in optional:
        if col not in frame:
            frame[col] = ""
    return frame[columns], problems


# --- schemas -------------------------------------------------------------------

def _check(fn, rule: str, message: str, element_wise: bool = True) -> pa.Check:
    # "rule|message" lets a failure case be mapped back to its rule.
    return pa.Check(fn, element_wise=element_wise, name=rule, error=f"{rule}|{message}")


def _matches(pattern: str, rule: str, message: str) -> pa.Check:
    rx = re.compile(pattern)
    return _check(lambda v: bool(rx.match(v)), rule, message)


def _one_of(allowed, rule: str, message: str) -> pa.Check:
    allowed = set(allowed)
    return _check(lambda v: v in allowed, rule, message)


def _non_empty(what: str) -> pa.Check:
    return _check(lambda v: v.strip() != "", "required", f"{what} is required")


def _col(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique, nullable=False)


def period_in_order(period: str) -> bool:
    """A span's start comes before its end; a financial year's second half follows its first.

    >>> period_in_order("2013/14"), period_in_order("2013/15"), period_in_order("2017-2013")
    (True, False, False)
    """
    def start_end(p: str) -> tuple[int, int]:
        if "/" in p:
            first = int(p[:4])
            return first, first + 1 if int(p[5:7]) == (first + 1) % 100 else -1
        return int(p), int(p)

    if re.fullmatch(_FY, period) or re.fullmatch(_YEAR, period):
        return start_end(period)[1] >= 0
    if re.fullmatch(rf"{_YEAR}-\d{{2}}", period):
        return 1 <= int(period[5:]) <= 12
    a, b = period.split("-", 1)
    (a0, a1), (b0, b1) = start_end(a), start_end(b)
    return a1 >= 0 and b1 >= 0 and a0 < b0


def fact_schema(areas: set[str], measures: pd.DataFrame, units: pd.DataFrame, sources: set[str]) -> pa.DataFrameSchema:
    dims = dict(zip(units["unit"], units["dimension"]))
    measure_dim = {m: dims.get(u) for m, u in zip(measures["measure_id"], measures["unit"])}
    bounds = {
        r.measure_id: (_float_or_none(r.min_value), _float_or_none(r.max_value))
        for r in measures.itertuples()
    }

    def unit_fits_measure(df: pd.DataFrame) -> pd.Series:
        expected = df["measure_id"].map(measure_dim)
        actual = df["unit"].map(dims)
        return expected.isna() | actual.isna() | (expected == actual)

    def value_in_range(df: pd.DataFrame) -> pd.Series:
        def ok(row) -> bool:
            lo, hi = bounds.get(row.measure_id, (None, None))
            if not re.match(NUMBER_RE, row.value):
                return True
            v = float(row.value)
            return (lo is None or v >= lo) and (hi is None or v <= hi)
        return df.apply(ok, axis=1)

    def printed_given(df: pd.DataFrame) -> pd.Series:
        return (df["printed"].str.strip() != "") | (df["status"] == "not_published")

    def value_matches_status(df: pd.DataFrame) -> pd.Series:
        blank = df["value"].str.strip() == ""
        return blank == (df["status"] == "not_published")

    return pa.DataFrameSchema(
        {
            "fact_id": _col(_matches(FACT_ID_RE, "fact_id_format", "fact_id must be lower case letters, digits, '.', '_' or '-'"), unique=True),
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "lines": _col(_matches(LINES_RE, "source_lines", "lines must be a line number or range such as 247-262")),
            "table": _col(_non_empty("the table or figure label (source reference)")),
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv; add the area there first")),
            "measure_id": _col(_one_of(set(measures["measure_id"]), "measure_known", "measure_id is not in data/measures.csv")),
            "period": _col(
                _matches(PERIOD_RE, "period_format", "period must look like 2013/14, 2011, 2012-09, 2013-2017 or 2013/14-2018/19"),
                _check(lambda p: not re.match(PERIOD_RE, p) or period_in_order(p), "period_order", "period is out of order (a span must start before it ends; 2013/14 not 2013/15)"),
            ),
            "breakdown": _col(),
            "value": _col(_check(lambda v: v == "" or bool(re.match(NUMBER_RE, v)), "number",
                                 "value must be a plain number (no thousands separators, currency or % signs), or empty when not published")),
            "unit": _col(_one_of(set(units["unit"]), "unit_known", "unit is not in the allowed list in data/units.csv")),
            "printed": _col(),
            "status": _col(_one_of(STATUSES, "status_known", "status must be published, approximate or not_published")),
            "note": _col(),
        },
        checks=[
            _check(unit_fits_measure, "unit_matches_measure", "unit is of a different kind from the measure's unit in data/measures.csv", element_wise=False),
            _check(value_in_range, "value_in_range", "value is outside the measure's allowed range (min_value/max_value in data/measures.csv)", element_wise=False),
            _check(printed_given, "printed_required", "the figure as printed is required (it may be blank only for a not_published cell)", element_wise=False),
            _check(value_matches_status, "value_status", "value must be empty exactly when status is not_published (never record a placeholder as 0)", element_wise=False),
        ],
        unique=KEY,
        report_duplicates="all",
        strict=True,
        ordered=False,
    )


def area_schema(types: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "area_code": _col(_matches(AREA_CODE_RE, "area_code_format", "area_code must be letters, digits and '-' only (at most 40)"), unique=True),
            "name": _col(_non_empty("name")),
            "type": _col(_one_of(types, "area_type", "type must be one of " + ", ".join(types))),
            "parent_code": _col(), "gss_code": _col(), "ods_code": _col(),
            "hwb_code": _col(), "icb_code": _col(), "note": _col(),
        },
        strict=True,
    )


def measure_schema(units: set[str]) -> pa.DataFrameSchema:
    number_or_blank = lambda rule: _check(lambda v: v == "" or bool(re.match(NUMBER_RE, v)), rule, "must be a plain number or empty")
    return pa.DataFrameSchema(
        {
            "measure_id": _col(_matches(r"^[a-z][a-z0-9_]*$", "measure_id_format", "measure_id must be snake_case"), unique=True),
            "label": _col(_non_empty("label")),
            "unit": _col(_one_of(units, "unit_known", "unit is not in data/units.csv")),
            "kind": _col(_one_of(KINDS, "kind", "kind must be one of " + ", ".join(KINDS))),
            "polarity": _col(_one_of(POLARITIES, "polarity", "polarity must be higher_is_better, lower_is_better or empty")),
            "min_value": _col(number_or_blank("min_value")),
            "max_value": _col(number_or_blank("max_value")),
            "definition": _col(_non_empty("definition")),
        },
        strict=True,
    )


def unit_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
    {
        "unit": _col(_non_empty("unit"), unique=True),
        "dimension": _col(_non_empty("dimension")),
        "factor": _col(_check(lambda v: bool(re.match(NUMBER_RE, v)) and float(v) > 0, "factor", "factor must be a positive number")),
        "description": _col(),
    },
    strict=True,
)

def source_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
    {
        "source_id": _col(_matches(r"^\d{3}$", "source_id_format", "source_id must be three digits"), unique=True),
        "file": _col(_non_empty("file")), "title": _col(_non_empty("title")),
        "publisher": _col(_non_empty("publisher")), "date": _col(_matches(r"^\d{4}-\d{2}$", "date_format", "date must be YYYY-MM")),
        "areas": _col(),
    },
    strict=True,
)


def _float_or_none(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, label: str) -> list[Problem]:
    """Run a pandera schema and turn its failure cases into located problems."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        return _problems_from_failures(err.failure_cases, frame, label)
    return []


# Frame-wide checks report every column of a failing row; name the one that matters.
FRAME_CHECK_COLUMN = {"printed_required": "printed", "unit_matches_measure": "unit", "value_in_range": "value", "value_status": "value", "unique": None}


def _problems_from_failures(cases: pd.DataFrame, frame: pd.DataFrame, label: str) -> list[Problem]:
    problems = set()
    for case in cases.itertuples():
        rule, message = _rule_and_message(str(case.check), case)
        column = case.column if isinstance(case.column, str) and case.column in frame.columns else None
        if rule in FRAME_CHECK_COLUMN and not (rule == "unique" and str(case.check) == "field_uniqueness"):
            column = FRAME_CHECK_COLUMN[rule]
        row = int(case.index) if pd.notna(case.index) else None
        if row is not None and column and rule not in ("unique", "value_status", "printed_required"):
            message = f"{frame.at[row, column]!r}: {message}"
        problems.add(Problem(label, row, column, rule, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.rule))


def _rule_and_message(check: str, case) -> tuple[str, str]:
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return "unique", f"duplicate: another row has the same {case.column if check == 'field_uniqueness' else '(' + ', '.join(KEY) + ')'}; keep one row"
    if check == "column_in_dataframe":
        return "header", f"missing column {case.failure_case!r}"
    if check == "column_in_schema":
        return "header", f"unexpected column {case.failure_case!r}"
    if "dtype" in check:
        return "type", f"wrong type: {check}"
    name, _, message = check.partition("|")
    return name, message or check


# --- loading -------------------------------------------------------------------

def _read_dimension(data_dir: Path, name: str, columns: list[str], optional=()) -> tuple[pd.DataFrame, list[Problem], str]:
    path = data_dir / name
    label = _label(path, data_dir)
    if not path.exists():
        return pd.DataFrame(columns=columns), [Problem(label, None, None, "exists", "file is missing")], label
    frame, problems = read_table(path, columns, label, optional)
    return frame, problems, label


def fact_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "facts").glob("*.csv"))


def collect(data_dir: Path = DATA_DIR) -> tuple[BookData, list[Problem]]:
    """Read and validate everything; return the data and every problem found."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    units, p, ulabel = _read_dimension(data_dir, "units.csv", UNIT_COLUMNS)
    problems += p + schema_problems(unit_schema(), units, ulabel)
    sources, p, slabel = _read_dimension(data_dir, "sources.csv", SOURCE_COLUMNS)
    problems += p + schema_problems(source_schema(), sources, slabel)
    measures, p, mlabel = _read_dimension(data_dir, "measures.csv", MEASURE_COLUMNS, optional=("min_value", "max_value"))
    problems += p + schema_problems(measure_schema(set(units["unit"])), measures, mlabel)
    areas, p, alabel = _read_dimension(data_dir, "areas.csv", AREA_COLUMNS)
    problems += p + schema_problems(area_schema(AREA_TYPES), areas, alabel)
    problems += _parent_problems(areas, alabel)

    schema = fact_schema(set(areas["area_code"]), measures, units, set(sources["source_id"]))
    frames = []
    for path in fact_files(data_dir):
        label = _label(path, data_dir)
        frame, p = read_table(path, FACT_COLUMNS, label)
        problems += p + schema_problems(schema, frame, label)
        frames.append(frame.assign(file=label, row=frame.index))
    facts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FACT_COLUMNS + ["file", "row"])
    problems += _cross_file_problems(facts)
    facts["value_text"] = facts["value"]
    facts["value"] = pd.to_numeric(facts["value"].where(facts["value"].str.match(NUMBER_RE, na=False)), errors="coerce")
    data = BookData(facts=facts, areas=areas.reset_index(drop=True), measures=measures.reset_index(drop=True),
                    units=units.reset_index(drop=True), sources=sources.reset_index(drop=True), data_dir=data_dir)
    return data, problems


def _parent_problems(areas: pd.DataFrame, label: str) -> list[Problem]:
    codes = set(areas["area_code"])
    return [
        Problem(label, int(row), "parent_code", "parent_known", f"{parent!r}: parent_code is not an area_code in this file")
        for row, parent in areas["parent_code"].items()
        if parent and parent not in codes
    ]


def _cross_file_problems(facts: pd.DataFrame) -> list[Problem]:
    """Uniqueness across fact files (each file is checked on its own by its schema)."""
    problems = []
    for columns, what in ((["fact_id"], "fact_id"), (KEY, "(" + ", ".join(KEY) + ")")):
        dup = facts[facts.duplicated(columns, keep=False)]
        if dup["file"].nunique() > 1:
            for (_, group) in dup.groupby(columns, sort=True):
                if group["file"].nunique() < 2:
                    continue
                first = group.iloc[0]
                for rec in group.iloc[1:].itertuples():
                    problems.append(Problem(rec.file, int(rec.row), columns[0] if len(columns) == 1 else None, "unique",
                                            f"duplicate {what}: same as {first.file} row {first.row}; keep one row"))
    return problems


def validate(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem in the data, located; empty when the data is valid."""
    return collect(data_dir)[1]


@lru_cache(maxsize=4)
def load(data_dir: Path = DATA_DIR) -> BookData:
    """Validated data for the book; raises DataError listing every problem."""
    data, problems = collect(Path(data_dir))
    if problems:
        raise DataError(problems)
    return data
