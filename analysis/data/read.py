"""Strict CSV reading: UTF-8, one field per header column, comment lines allowed; a
byte-order mark and CRLF line endings, as Excel saves, are accepted. Each record keeps
its line number in the file, so every problem names its row."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from analysis.data.vocabulary import Problem

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
    return parse_table(path.read_bytes(), columns, label, optional)


def parse_table(raw: bytes, columns: list[str], label: str, optional: tuple[str, ...] = ()) -> tuple[pd.DataFrame, list[Problem]]:
    """``read_table`` on a file's bytes: the frame and problems depend on nothing else."""
    problems: list[Problem] = []
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


def source_path(data_dir: Path, file: str) -> Path:
    """A source's text: papers are in data/sources/; a name with '/' is relative to data/ (local data)."""
    return data_dir / file if "/" in file else data_dir / "sources" / file
