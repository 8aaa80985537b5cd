"""Import an OHID Fingertips data export into the book's facts.

A mapping file (data/fingertips_mapping.csv) says which indicator, sex and
age band gives which of the book's measures, in which unit. Each export row
becomes one fact whose source is the export file itself (its line number),
so the figure stays traceable.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from analysis.data.imports import columns_message, nearest_layout
from analysis.data.vocabulary import (COMPARISON_METHODS, COMPARISON_STATISTIC, FACT_COLUMNS, STATISTIC_COLUMNS,
                                      BookData)

# The columns every layout has, which the import reads.
EXPORT_COLUMNS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Count", "Denominator", "Value note",
]
PARENT = "Compared to <parent> value or percentiles"  # its name varies with the parent: matched by its prefix
CI_998 = ["Lower CI 99.8 limit", "Upper CI 99.8 limit"]
_LAYOUT_2018 = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type", "Sex", "Age",
    "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", *CI_998,
    "Count", "Denominator", "Value note", "Recent Trend", "Compared to England value or percentiles", PARENT,
    "Time period Sortable", "New data", "Compared to goal",
]
# Every layout Fingertips has published, newest first (detected from the header, never the file name).
LAYOUTS = {
    "current (27 columns, with the time period range)": [*_LAYOUT_2018, "Time period range"],
    "2018 to 2020 (26 columns)": _LAYOUT_2018,
    "before October 2017 (no 99.8% confidence intervals)": [c for c in _LAYOUT_2018 if c not in CI_998],
}
# Spellings of the same column in some exports.
ALIASES = {"AreaName": "Area Name", "Target data": "Compared to goal"}


def canonical(column: str) -> str:
    """A header cell as the layouts name it.

    >>> canonical("AreaName"), canonical("Compared to Region value or percentiles"), canonical("Compared to percentiles")
    ('Area Name', 'Compared to <parent> value or percentiles', 'Compared to <parent> value or percentiles')
    >>> canonical("Compared to England value or percentiles")
    'Compared to England value or percentiles'
    """
    c = ALIASES.get(column.strip(), column.strip())
    if c.startswith("Compared to") and c not in ("Compared to England value or percentiles", "Compared to goal"):
        return PARENT
    return c


def detect_layout(header: list[str]) -> str:
    """The layout a header is in; an unknown header is refused with what is missing and unexpected
    against the nearest layout.

    >>> detect_layout(LAYOUTS["2018 to 2020 (26 columns)"])
    '2018 to 2020 (26 columns)'
    """
    got = [canonical(c) for c in header]
    name, columns, exact = nearest_layout(got, LAYOUTS)
    if exact:
        return name
    parts = columns_message([c for c in columns if c not in got], [h for h, c in zip(header, got) if c not in columns])
    raise ImportError_(f"not a Fingertips export in any layout it has published; nearest is {name}: " + "; ".join(parts))


class ImportError_(ValueError):
    pass


def fingertips_period(text: str) -> str:
    """Fingertips time periods in the book's period format.

    >>> fingertips_period("2012 - 14"), fingertips_period("2013/14"), fingertips_period("2013")
    ('2012-2014', '2013/14', '2013')
    >>> fingertips_period("2012/13 - 14/15")
    '2012/13-2014/15'
    """
    t = text.strip()
    if m := re.fullmatch(r"(\d{4})\s*-\s*(\d{2})", t):
        return f"{m[1]}-{m[1][:2]}{m[2]}"
    if m := re.fullmatch(r"(\d{4})/(\d{2})\s*-\s*(\d{2})/(\d{2})", t):
        return f"{m[1]}/{m[2]}-{m[1][:2]}{m[3]}/{m[4]}"
    return t


def source_id_for(stem: str) -> str:
    """The source id of an import.

    >>> source_id_for("fingertips export 2024")
    'FT-FINGERTIPS-EXPORT-2024'
    """
    return "FT-" + re.sub(r"[^A-Z0-9]+", "-", stem.upper()).strip("-")[:36]


def read_export(path: Path) -> tuple[pd.DataFrame, str]:
    """The export's records with the layouts' column names, each indexed by the line it starts on
    (a quoted indicator name may hold a newline), and the layout it is in."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise ImportError_("the file is empty") from None
        layout = detect_layout(header)
        columns = [canonical(c) for c in header]
        records, lines, start = [], [], reader.line_num + 1
        for record in reader:
            if record:
                if len(record) != len(columns):
                    raise ImportError_(f"line {start}: {len(record)} fields where the header has {len(columns)}")
                records.append(record)
                lines.append(start)
            start = reader.line_num + 1
    frame = pd.DataFrame(records, columns=columns, index=lines, dtype=str)
    for c in CI_998:
        if c not in frame:
            frame[c] = ""  # not published before October 2017
    return frame, layout


MAPPING_COLUMNS = ["indicator_id", "sex", "age", "measure_id", "unit", "note"]
# Optional: how Fingertips compares the indicator with England (ci95, ci99.8, quintiles, none), and
# which category types (Category Type values, ';' between) to keep as breakdowns of the figure.
MAPPING_OPTIONAL = ["comparison", "categories"]
ENGLAND_COLUMN = "Compared to England value or percentiles"
INTERVAL_COLUMNS = {"lower_95": "Lower CI 95.0 limit", "upper_95": "Upper CI 95.0 limit",
                    "lower_99_8": "Lower CI 99.8 limit", "upper_99_8": "Upper CI 99.8 limit"}
COUNT_COLUMNS = {"count": "Count", "denominator": "Denominator"}
NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def read_mapping(path: Path) -> pd.DataFrame:
    """The mapping, with its optional columns filled in; a missing column is refused."""
    mapping = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    missing = [c for c in MAPPING_COLUMNS if c not in mapping.columns]
    if missing:
        raise ImportError_(f"{path.name}: missing column(s) {', '.join(missing)}")
    for c in MAPPING_OPTIONAL:
        if c not in mapping.columns:
            mapping[c] = ""
    bad = mapping[~mapping["comparison"].isin(COMPARISON_METHODS)]
    if len(bad):
        row = bad.index[0] + 2
        raise ImportError_(f"{path.name}: row {row}, column 'comparison': {bad['comparison'].iloc[0]!r} is not one of "
                           + ", ".join(m for m in COMPARISON_METHODS if m))
    return mapping


def breakdown_of(row: pd.Series) -> str:
    """A category row's breakdown: its type and category, as the export prints them.

    >>> breakdown_of(pd.Series({"Category Type": "County & UA deprivation deciles", "Category": "Most deprived decile"}))
    'County & UA deprivation deciles: Most deprived decile'
    """
    return f"{row['Category Type']}: {row['Category']}" if row["Category Type"] else ""


def _number(text: str, line: int, column: str) -> str:
    t = text.strip()
    if t and not NUMBER.match(t):
        raise ImportError_(f"line {line}, column '{column}': {t!r} is not a number")
    return f"{float(t):g}" if t and "e" in t.lower() else t


def export_to_facts(export: pd.DataFrame, mapping: pd.DataFrame, data: BookData, source_id: str
                    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Facts (each figure), statistics (its intervals, count, denominator and printed comparisons)
    for the mapped rows whose area is in the registry; and what was skipped, with why.
    A value that is not a number, or a row that repeats another, is refused (ImportError_)."""
    by_gss = {g: a for a, g in zip(data.areas["area_code"], data.areas["gss_code"]) if g}
    known = set(data.areas["area_code"])
    england = next(iter(data.areas.loc[data.areas["type"] == "country", "area_code"]), None)
    keys = {(str(r.indicator_id), r.sex, r.age): r for r in mapping.itertuples()}
    facts, stats, skipped, seen = [], [], [], {}

    def area_of(code: str) -> str | None:
        return by_gss.get(code) or (code if code in known else None)

    for line, row in export.iterrows():
        m = keys.get((row["Indicator ID"], row["Sex"], row["Age"]))
        if m is None:
            skipped.append(f"line {line}: indicator {row['Indicator ID']} ({row['Sex']}, {row['Age']}) is not in the mapping")
            continue
        wanted = {c.strip() for c in m.categories.split(";") if c.strip()}
        if row["Category Type"] and row["Category Type"] not in wanted:
            skipped.append(f"line {line}: category breakdown ({row['Category Type']}) is not asked for in the mapping")
            continue
        area = area_of(row["Area Code"])
        if area is None:
            skipped.append(f"line {line}: area {row['Area Code']} ({row['Area Name']}) is not in data/areas.csv")
            continue
        period = fingertips_period(row["Time period"])
        breakdown = breakdown_of(row)
        who = (row["Indicator ID"], area, row["Sex"], row["Age"], period, breakdown)
        if who in seen:
            raise ImportError_(f"line {line}: repeats line {seen[who]} (indicator {row['Indicator ID']}, {row['Area Code']}, "
                               f"{row['Sex']}, {row['Age']}, {row['Time period']}{', ' + breakdown if breakdown else ''})")
        seen[who] = line
        value = _number(row["Value"], line, "Value")
        slug = f"ft.{row['Indicator ID']}.{area}.{row['Sex']}.{row['Age']}.{period}" + (f".{breakdown}" if breakdown else "")
        facts.append({
            "fact_id": re.sub(r"[^a-z0-9._-]+", "-", slug.lower()).strip("-"),
            "source_id": source_id, "lines": str(line), "table": row["Indicator Name"].replace("\n", " ")[:120],
            "area_code": area, "measure_id": m.measure_id, "period": period, "breakdown": breakdown,
            "value": value, "unit": m.unit, "printed": row["Value"].strip(),
            "status": "published" if value else "not_published",
            "note": f"{m.note}; {row['Sex']}, {row['Age']}" + (f"; {row['Value note']}" if row["Value note"] else ""),
        })
        if not value:
            continue
        base = {"source_id": source_id, "lines": str(line), "area_code": area, "measure_id": m.measure_id,
                "period": period, "breakdown": breakdown, "comparator": "", "method": "", "note": ""}
        for stat, column in {**INTERVAL_COLUMNS, **COUNT_COLUMNS}.items():
            number = _number(row[column], line, column)
            if number:
                unit = "count" if stat in COUNT_COLUMNS else m.unit
                stats.append({**base, "statistic": stat, "value": number, "unit": unit, "printed": row[column].strip()})
        compared = set()
        for column, comparator in ((ENGLAND_COLUMN, england), (PARENT, area_of(row["Parent Code"]))):
            verdict = row[column].strip()
            # A parent that is England prints its verdict twice: it is kept once.
            if verdict and comparator and comparator != area and comparator not in compared:
                compared.add(comparator)
                stats.append({**base, "statistic": COMPARISON_STATISTIC, "value": "", "unit": "", "printed": verdict,
                              "comparator": comparator, "method": m.comparison,
                              "note": f"as printed in the column '{column if column == ENGLAND_COLUMN else 'Compared to ' + row['Parent Name']}'"})
    return (pd.DataFrame(facts, columns=FACT_COLUMNS), pd.DataFrame(stats, columns=STATISTIC_COLUMNS), skipped)
