"""Provenance: every fact's cited lines exist in its source, and a paper's
printed figure is on them.

Lines are numbered as on the book's source pages (``str.splitlines``), so a
cited line is one a reader can open. For the seed papers (three-digit source
ids) a published or approximate fact's ``printed`` text must occur on its
cited lines. The comparison reads every run of whitespace (spaces, tabs, the
line break between two cited lines) as one space, and nothing else is
normalised. A figure that starts or ends with a digit must not be part of a
longer number there (``12`` is not found in ``2012`` or ``1,125``). A figure
the text conversion split or changed so that it cannot be found is listed,
with the reason, in ``data/printed_allowances.csv``; an allowance that names
no fact, or a fact whose figure is found, is itself a problem.
"""
from __future__ import annotations

import re
from collections import namedtuple
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis.data.read import _label, source_path
from analysis.data.vocabulary import Problem

ALLOWANCES = "printed_allowances.csv"
ALLOWANCE_COLUMNS = ["fact_id", "reason"]
PAPER_RE = r"^\d{3}$"  # seed papers; local data and imports are checked for line numbers only
_SPACE = re.compile(r"\s+")
# A digit, or a digit then '.' or ',', next to a figure means the figure is part of a longer number.
_NUMBER_BEFORE = re.compile(r"\d[.,]?$")
_NUMBER_AFTER = re.compile(r"[.,]?\d")


def squash(text: str) -> str:
    """The one normalisation: each run of whitespace is one space.

    >>> squash(" £1,225\\t m ")
    '£1,225 m'
    """
    return _SPACE.sub(" ", text).strip()


def on_lines(printed: str, block: str) -> bool:
    """Whether the printed text is in the (squashed) block and not part of a longer number there.

    >>> [on_lines("12", t) for t in ("12 areas", "in 2012", "1,125", "12.5%", "12, 13", "2012 and 12")]
    [True, False, False, False, True, True]
    """
    text = squash(printed)
    i = block.find(text)
    while i >= 0:
        j = i + len(text)
        joined = (text[0].isdigit() and _NUMBER_BEFORE.search(block, max(0, i - 2), i)) or (
            text[-1].isdigit() and _NUMBER_AFTER.match(block, j))
        if not joined:
            return True
        i = block.find(text, i + 1)
    return False


def source_texts(sources: pd.DataFrame, data_dir: Path, label: str) -> tuple[dict[str, list[str]], list[Problem]]:
    """Each source's lines, read once per validation; a file that cannot be read is a problem."""
    texts, problems = {}, []
    for row, source_id, file in zip(sources.index, sources["source_id"], sources["file"]):
        if not file.strip():
            continue  # the schema reports the missing file name
        try:
            texts[source_id] = source_path(data_dir, file).read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            problems.append(Problem(label, int(row), "file", "source_file", f"{file!r}: the file is not UTF-8 text"))
        except OSError:
            problems.append(Problem(label, int(row), "file", "source_file",
                                    f"{file!r}: no such file (papers are in data/sources/; a name with '/' is relative to data/)"))
    return texts, problems


def _spans(lines: pd.Series) -> tuple[pd.Series, pd.Series]:
    # Malformed values give NaN here; the schema has already reported them.
    parts = lines.str.extract(r"^(\d+)(?:-(\d+))?$")
    start = pd.to_numeric(parts[0], errors="coerce")
    return start, pd.to_numeric(parts[1], errors="coerce").fillna(start)


def _lines_message(lines: str, source_id: str, count: int) -> str:
    first, _, last = lines.partition("-")
    start, end = int(first), int(last or first)  # exact, however long the number
    if start > end:
        why = "the range ends before it starts"
    elif start < 1:
        why = "lines are numbered from 1"
    else:
        why = f"line {end} is past the end"
    return f"{lines!r}: {why}; source {source_id} has {count} lines"


def _read_allowances(data_dir: Path) -> tuple[pd.DataFrame, list[Problem], str]:
    from analysis.data.memo import checked_table
    from analysis.data.schema import allowance_schema

    path = data_dir / ALLOWANCES
    label = _label(path, data_dir)
    if not path.exists():
        return pd.DataFrame(columns=ALLOWANCE_COLUMNS, dtype=str), [], label  # no allowances
    frame, problems = checked_table(path, ALLOWANCE_COLUMNS, label, allowance_schema)
    return frame, problems, label


def _bad_lines(rows: pd.DataFrame, texts: dict[str, list[str]]) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series, list[Problem]]:
    counts = rows["source_id"].map({s: len(t) for s, t in texts.items()})
    start, end = _spans(rows["lines"])
    cited = counts.notna() & start.notna()  # a known source and a well-formed range
    bad = cited & ((start < 1) | (end > counts) | (start > end))
    problems = [Problem(f.file, int(f.row), "lines", "lines_exist", _lines_message(f.lines, f.source_id, int(n)))
                for f, n in zip(rows[bad].itertuples(), counts[bad])]
    return start, end, cited, bad, problems


def lines_problems(rows: pd.DataFrame, sources: pd.DataFrame, source_label: str, data_dir: Path) -> list[Problem]:
    """Cited lines that do not exist, for rows (with file and row) that cite a source's lines."""
    used = sources[sources["source_id"].isin(set(rows["source_id"]))]
    texts, _ = source_texts(used, data_dir, source_label)  # unreadable sources are reported with the facts
    return _bad_lines(rows, texts)[4]


def provenance_problems(facts: pd.DataFrame, sources: pd.DataFrame, source_label: str, data_dir: Path) -> list[Problem]:
    """Cited lines that do not exist, printed figures not on their lines, and stale allowances."""
    texts, problems = source_texts(sources, data_dir, source_label)
    start, end, cited, bad, p = _bad_lines(facts, texts)
    problems += p

    checked = (cited & ~bad & facts["source_id"].str.match(PAPER_RE)
               & (facts["status"] != "not_published") & (facts["printed"].str.strip() != ""))
    found = _printed_found(facts[checked], start[checked], end[checked], texts)
    allowances, p, label = _read_allowances(data_dir)
    problems += p
    allowed = set(allowances["fact_id"])
    for f in _records(facts[checked]):
        if not found[f.fact_id] and f.fact_id not in allowed:
            problems.append(Problem(f.file, int(f.row), "printed", "printed_on_lines",
                                    f"{f.printed!r}: not on {'lines' if '-' in f.lines else 'line'} {f.lines} of source {f.source_id}; correct the lines "
                                    f"or the printed text, or if the text conversion split or changed the figure, "
                                    f"add the fact_id and why to data/{ALLOWANCES}"))

    ids = allowances["fact_id"]
    known = ids.isin(facts["fact_id"])  # vectorised: the facts may be many, the allowances are few
    unchecked = ids.isin(facts.loc[cited & ~bad & ~checked, "fact_id"])
    for row, fact_id, is_known, is_unchecked in zip(ids.index, ids, known, unchecked):
        if not is_known:
            rule, why = "allowance_known", "no fact has this fact_id"
        elif found.get(fact_id):
            rule, why = "allowance_needed", "its printed figure is on its cited lines, so it needs no allowance"
        elif is_unchecked:
            rule, why = "allowance_needed", "it is not a printed figure from a paper, so it needs no allowance"
        else:
            continue  # needed, or its lines are wrong (reported above)
        problems.append(Problem(label, int(row), "fact_id", rule, f"{fact_id!r}: {why}; remove the row"))
    return problems


_Fact = namedtuple("_Fact", "fact_id source_id lines printed file row")


def _records(facts: pd.DataFrame) -> list[_Fact]:
    # The columns as lists: iterating a frame's rows costs more than the checks themselves.
    return [_Fact(*v) for v in zip(*(facts[c].tolist() for c in _Fact._fields))]


def _printed_found(facts: pd.DataFrame, start: pd.Series, end: pd.Series, texts: dict[str, list[str]]) -> dict[str, bool]:
    """Whether each fact's printed text is on its cited lines, by fact_id."""
    squashed: dict[str, list[str]] = {}  # each paper's lines, normalised once
    found = {}
    for f, a, b in zip(_records(facts), start.tolist(), end.tolist()):
        if f.source_id not in squashed:
            squashed[f.source_id] = _squashed(tuple(texts[f.source_id]))
        lines = squashed[f.source_id]
        block = " ".join(t for t in lines[int(a) - 1:int(b)] if t)
        found[f.fact_id] = on_lines(f.printed, block)
    return found


@lru_cache(maxsize=16)
def _squashed(lines: tuple[str, ...]) -> tuple[str, ...]:
    # Keyed by the text's lines: a paper's text is the same from one validation to the next.
    return tuple(squash(t) for t in lines)
