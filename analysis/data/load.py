"""Load the book's data and validate it.

Every CSV is parsed strictly (UTF-8, one field per header column; a
byte-order mark and CRLF line endings, as Excel saves, are accepted) and then validated with pandera. Problems are
collected, not raised one at a time, and each names its file, row (the line
number in the CSV file) and column, and the rule that failed.
"""
from __future__ import annotations

import csv
import io
import os
import pickle
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import DATA_DIR, ROOT
from analysis.data import keys

CACHE_DIR = ROOT / "_build" / "cache"

FACT_COLUMNS = [
    "fact_id", "source_id", "lines", "table", "area_code", "measure_id", "period",
    "breakdown", "value", "unit", "printed", "status", "note",
]
AREA_COLUMNS = ["area_code", "name", "type", "parent_code", "gss_code", "ods_code", "hwb_code", "icb_code", "section", "note"]
SECTIONS = ["", "ccg", "hwb"]  # which set of page templates an area's own section uses
MEASURE_COLUMNS = ["measure_id", "label", "unit", "kind", "polarity", "min_value", "max_value", "definition"]
UNIT_COLUMNS = ["unit", "dimension", "factor", "description"]
SOURCE_ID_RE = r"^(\d{3}|[A-Z][A-Z0-9-]{1,39})$"
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
    # Measures some CCG has a fact for, each with the sources that hold it, from the whole
    # data (set on a page's slice, see below).
    peer_measures: dict[str, tuple[str, ...]] | None = None
    # Analyst commentary (analysis.data.commentary.Passage), by area, page and section.
    commentary: tuple = ()


# --- strict CSV reading -------------------------------------------------------

def _label(path: Path, data_dir: Path) -> str:
    try:
        return str(Path("data") / path.relative_to(data_dir))
    except ValueError:
        return str(path)


def _unusable(columns: list[str]) -> pd.DataFrame:
    """An empty frame standing for a file that could not be parsed; it is not schema-checked."""
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    frame.attrs["unusable"] = True
    return frame


def read_table(path: Path, columns: list[str], label: str, optional: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse a CSV as text. The frame's index is each record's line number."""
    problems: list[Problem] = []
    raw = path.read_bytes()
    if not raw.strip():
        return _unusable(columns), [Problem(label, None, None, "not_empty", "file is empty; it needs at least the header row: " + ",".join(columns))]
    # Excel's "CSV UTF-8" starts with a byte-order mark and ends lines with CRLF: both are accepted.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return _unusable(columns), [Problem(label, line, None, "utf8", f"byte {raw[exc.start]:#04x} is not UTF-8; save the file as UTF-8")]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), strict=True)
    records, rows = [], []
    try:
        header = next(reader)
        while header and header[0].startswith("#"):
            header = next(reader)
        for record in reader:
            if not record or record[0].startswith("#"):
                continue  # blank lines and comments (data templates carry instructions)
            records.append(record)
            rows.append(reader.line_num)
    except csv.Error as exc:
        problems.append(Problem(label, reader.line_num, None, "csv_syntax", f"malformed CSV ({exc}); check quotes on this row"))
        return _unusable(columns), problems
    except StopIteration:
        return _unusable(columns), [Problem(label, None, None, "not_empty", "file has no header row: " + ",".join(columns))]
    missing = [c for c in columns if c not in header and c not in optional]
    extra = [c for c in header if c not in columns]
    if missing or extra:
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(repr(c) for c in missing))
        if extra:
            parts.append("unexpected column(s) " + ", ".join(repr(c) for c in extra))
        problems.append(Problem(label, 1, None, "header", "; ".join(parts) + ". Expected header: " + ",".join(columns)))
        return _unusable(columns), problems
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


def source_path(data_dir: Path, file: str) -> Path:
    """A source's text: papers are in data/sources/; a name with '/' is relative to data/ (local data)."""
    return data_dir / file if "/" in file else data_dir / "sources" / file


def collect(data_dir: Path = DATA_DIR) -> tuple[BookData, list[Problem]]:
    """Read and validate everything; return the data and every problem found."""
    from analysis.data.commentary import collect_commentary
    from analysis.data.provenance import provenance_problems
    from analysis.data.schema import area_schema, fact_schema, measure_schema, schema_problems, source_schema, unit_schema

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
    problems += provenance_problems(facts, sources, slabel, data_dir)
    passages, p = collect_commentary(data_dir, set(facts["fact_id"]), set(areas["area_code"]))
    problems += p
    facts["value_text"] = facts["value"]
    facts["value"] = pd.to_numeric(facts["value"].where(facts["value"].str.match(NUMBER_RE, na=False)), errors="coerce")
    data = BookData(facts=facts, areas=areas.reset_index(drop=True), measures=measures.reset_index(drop=True),
                    units=units.reset_index(drop=True), sources=sources.reset_index(drop=True), data_dir=data_dir,
                    commentary=tuple(passages))
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
    """Validated data for the book; raises DataError listing every problem.

    Validation runs once per version of the data: the validated tables are
    kept in _build/cache under a key of the data and of the code that decides
    what is valid (analysis.keys), so each notebook kernel loads them instead
    of validating again, and a changed rule is never served from the cache.
    """
    data_dir = Path(data_dir)
    cached = CACHE_DIR / f"data-{keys.validated_key(data_dir)}.pickle"
    if cached.exists():
        with open(cached, "rb") as f:
            return pickle.load(f)
    data, problems = collect(data_dir)
    if problems:
        raise DataError(problems)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(data, f)
    os.replace(tmp, cached)
    return data
