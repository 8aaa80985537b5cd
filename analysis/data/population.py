"""Read ONS small-area population estimates for CCGs (the wide layout: an area code and
name, All Ages, then single years 0 to 89 and 90+) into the book's facts.

One measure holds them: the all-ages count with an empty breakdown, and one row per
single year of age (breakdown ``age 0`` ... ``age 90+``), prefixed by the sex when the
estimates are for females or males. Each fact cites the copy of the file in
``data/sources/`` and its line. The functions here read and build rows; ``cli`` writes them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.imports import ImportProblem, read_text, records
from analysis.data.vocabulary import FACT_COLUMNS, BookData

MEASURE = "population_ons_mid_year_estimate"
ALL_AGES = "All Ages"
AGES = [str(a) for a in range(90)] + ["90+"]
TABLE = "ONS mid-year population estimates by single year of age"
_CODE = re.compile(r"(?i)^(ccg\d*\s*codes?|area\s*codes?|ccg\d*cd)$")
_NAME = re.compile(r"(?i)^(ccg\d*\s*names?|area\s*names?|ccg\d*nm)$")
_OTHER_GEOGRAPHY = re.compile(r"(?i)(\bcodes?|\bnames?|\d\dcdh?|\d\dnm)$")  # e.g. "STP20 Code", "LAD21NM": ignored
_WHOLE = re.compile(r"^\d+$")


class EstimatesError(ImportProblem):
    """An estimates file that cannot be read; the message names the line and column."""


def breakdown(sex: str, age: str | None) -> str:
    """The breakdown of one figure: ``age`` None is all ages.

    >>> breakdown("persons", None), breakdown("persons", "7"), breakdown("females", "90+"), breakdown("males", None)
    ('', 'age 7', 'females, age 90+', 'males')
    """
    parts = ([] if sex == "persons" else [sex]) + ([] if age is None else [f"age {age}"])
    return ", ".join(parts)


def parse_breakdown(text: str) -> tuple[str, str | None] | None:
    """(sex, age) of a breakdown of the measure; None when it is not one.

    >>> parse_breakdown(""), parse_breakdown("age 90+"), parse_breakdown("males, age 3"), parse_breakdown("age 91")
    (('persons', None), ('persons', '90+'), ('males', '3'), None)
    """
    m = re.fullmatch(r"(?:(females|males)(?:, )?)?(?:age (\d+\+?))?", text)
    if m is None or (m[2] is not None and m[2] not in AGES) or (text and not m[1] and not m[2]):
        return None
    return m[1] or "persons", m[2]


def age_value(age: str) -> int:
    """The age a single-year label starts at.

    >>> age_value("7"), age_value("90+")
    (7, 90)
    """
    return int(age.rstrip("+"))


def check_period(text: str) -> str:
    """The estimates' year as the book writes it (a calendar year: the estimates are as at 30 June)."""
    if not re.fullmatch(r"\d{4}", text.strip()) or not 1981 <= int(text) <= 2100:
        raise ImportProblem(f"--period {text!r}: give the estimates' year, e.g. 2020")
    return text.strip()


def source_id_for(stem: str) -> str:
    """
    >>> source_id_for("sape22dt6a mid-2019 ccg")
    'ONS-SAPE22DT6A-MID-2019-CCG'
    """
    return "ONS-" + re.sub(r"[^A-Z0-9]+", "-", stem.upper()).strip("-")[:36].strip("-")


def copy_name(source_id: str, path: Path) -> str:
    """The name of the file's copy in data/sources/ (one per import, so no copy is overwritten)."""
    return source_id.lower() + (Path(path).suffix.lower() or ".csv")


def facts_path(source_id: str) -> str:
    return f"facts/{source_id.lower()}.csv"


@dataclass
class Estimates:
    header: list[str]
    code_column: str
    name_column: str
    columns: dict[str, int] = field(default_factory=dict)  # "All Ages" and each age -> its column index
    rows: list[tuple[int, str, str, dict[str, str]]] = field(default_factory=list)  # line, code, name, values


def read_estimates(path: Path) -> Estimates:
    """The file's rows, each with its line; refused, naming line and column, when a column is
    missing, a value is not a whole number or an area's row is repeated."""
    header, rows = records(read_text(path))
    header = [h.strip() for h in header]
    code = next((i for i, h in enumerate(header) if _CODE.match(h)), None)
    name = next((i for i, h in enumerate(header) if _NAME.match(h)), None)
    wanted = [ALL_AGES] + AGES
    index = {h.lower() if h.lower() == ALL_AGES.lower() else h: i for i, h in enumerate(header)}
    columns = {w: index[w.lower() if w == ALL_AGES else w] for w in wanted if (w.lower() if w == ALL_AGES else w) in index}
    missing = [w for w in wanted if w not in columns] + [w for w, i in (("CCG Code", code), ("CCG Name", name)) if i is None]
    known = set(columns.values()) | {code, name}
    unexpected = [h for i, h in enumerate(header) if i not in known and not _OTHER_GEOGRAPHY.search(h)]
    if missing or unexpected:
        parts = [f"missing column(s) {_ranges(missing)}"] if missing else []
        parts += [f"unexpected column(s) {', '.join(unexpected)}"] if unexpected else []
        raise EstimatesError("line 1: not ONS population estimates in the wide layout (an area code and name, All Ages, "
                             "0 to 89, 90+): " + "; ".join(parts))
    if len(set(header)) != len(header):
        twice = sorted({h for h in header if header.count(h) > 1})
        raise EstimatesError(f"line 1: column(s) named twice: {', '.join(twice)}")
    out = Estimates(header, header[code], header[name], columns)
    seen: dict[str, int] = {}
    for line, values in rows:
        area = values[code]
        if not area:
            raise EstimatesError(f"line {line}, column {code + 1} ({header[code]}): empty")
        if area.upper() in seen:
            raise EstimatesError(f"line {line}: duplicate row for {area}, as line {seen[area.upper()]}")
        seen[area.upper()] = line
        for w, i in columns.items():
            if not _WHOLE.match(values[i]):
                raise EstimatesError(f"line {line}, column {i + 1} ({header[i]}): {values[i]!r} is not a whole number "
                                     "(plain digits, no commas)")
        out.rows.append((line, area, values[name], {w: values[i] for w, i in columns.items()}))
    return out


def _ranges(names: list[str]) -> str:
    """Missing ages listed as runs.

    >>> _ranges(["All Ages", "3", "4", "5", "90+"])
    'All Ages, 3-5, 90+'
    """
    out: list[str] = []
    run: list[int] = []
    for n in names + [""]:
        if n.isdigit() and (not run or int(n) == run[-1] + 1):
            run.append(int(n))
            continue
        if run:
            out.append(str(run[0]) if len(run) == 1 else f"{run[0]}-{run[-1]}")
            run = []
        if n.isdigit():
            run = [int(n)]
        elif n:
            out.append(n)
    return ", ".join(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("+", "plus")).strip("-")


def estimates_to_facts(est: Estimates, data: BookData, source_id: str, period: str, sex: str) -> tuple[pd.DataFrame, list[str]]:
    """Facts for the rows whose area (by GSS, ODS or area code) is in the registry; and the rows skipped."""
    by_code: dict[str, str] = {}
    for a, g, o in zip(data.areas["area_code"], data.areas["gss_code"], data.areas["ods_code"]):
        for c in (a, g, o):
            if c:
                by_code.setdefault(c.upper(), a)
    facts, skipped, lines_of = [], [], {}
    for line, code, name, values in est.rows:
        area = by_code.get(code.upper())
        if area is None:
            skipped.append(f"line {line}: area {code} ({name}) is not in data/areas.csv")
            continue
        if area in lines_of:
            raise EstimatesError(f"line {line}: duplicate row for {area} (as {code}), as line {lines_of[area]}")
        lines_of[area] = line
        for w, value in values.items():
            age = None if w == ALL_AGES else w
            b = breakdown(sex, age)
            facts.append({
                "fact_id": ".".join([source_id.lower(), area.lower(), period, _slug(b if age else f"{b} all ages")]),
                "source_id": source_id, "lines": str(line), "table": TABLE, "area_code": area, "measure_id": MEASURE,
                "period": period, "breakdown": b, "value": value, "unit": "count", "printed": value, "status": "published",
                "note": f"{sex}, column {w!r} of the row for {code} ({name})",
            })
    return pd.DataFrame(facts, columns=FACT_COLUMNS), skipped


def held_elsewhere(existing: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Facts already held for the measure for the same areas, periods and sex as ``new``."""
    def groups(f: pd.DataFrame) -> pd.Series:
        sex = f["breakdown"].map(lambda b: (parse_breakdown(b) or ("", None))[0])
        return f["area_code"] + "|" + f["period"] + "|" + sex
    mine = existing[existing["measure_id"] == MEASURE]
    return mine[groups(mine).isin(set(groups(new)))] if len(mine) else mine
