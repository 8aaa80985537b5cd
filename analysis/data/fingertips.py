"""Import an OHID Fingertips data export into the book's facts.

A mapping file (data/fingertips_mapping.csv) says which indicator, sex and
age band gives which of the book's measures, in which unit. Each export row
becomes one fact whose source is the export file itself (its line number),
so the figure stays traceable.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.data.vocabulary import FACT_COLUMNS, BookData

EXPORT_COLUMNS = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Count", "Denominator", "Value note",
]


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


def read_export(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in EXPORT_COLUMNS if c not in frame.columns]
    if missing:
        raise ImportError_(f"{path.name}: not a Fingertips export; missing column(s) {', '.join(missing)}")
    frame.index = frame.index + 2  # CSV line of each record (header is line 1)
    return frame


def export_to_facts(export: pd.DataFrame, mapping: pd.DataFrame, data: BookData, source_id: str) -> tuple[pd.DataFrame, list[str]]:
    """Facts for the mapped rows whose area is in the registry; and what was skipped, with why."""
    by_gss = {g: a for a, g in zip(data.areas["area_code"], data.areas["gss_code"]) if g}
    known = set(data.areas["area_code"])
    keys = {(str(r.indicator_id), r.sex, r.age): r for r in mapping.itertuples()}
    facts, skipped = [], []
    for line, row in export.iterrows():
        m = keys.get((row["Indicator ID"], row["Sex"], row["Age"]))
        if m is None:
            skipped.append(f"line {line}: indicator {row['Indicator ID']} ({row['Sex']}, {row['Age']}) is not in the mapping")
            continue
        if row["Category Type"]:
            skipped.append(f"line {line}: category breakdown ({row['Category Type']}) is not imported")
            continue
        area = by_gss.get(row["Area Code"]) or (row["Area Code"] if row["Area Code"] in known else None)
        if area is None:
            skipped.append(f"line {line}: area {row['Area Code']} ({row['Area Name']}) is not in data/areas.csv")
            continue
        value = row["Value"].strip()
        ci = ""
        if row["Lower CI 95.0 limit"] or row["Upper CI 95.0 limit"]:
            ci = f"; 95% CI {row['Lower CI 95.0 limit']} to {row['Upper CI 95.0 limit']}"
        period = fingertips_period(row["Time period"])
        facts.append({
            "fact_id": re.sub(r"[^a-z0-9._-]+", "-", f"ft.{row['Indicator ID']}.{area}.{row['Sex']}.{row['Age']}.{period}".lower()),
            "source_id": source_id, "lines": str(line), "table": row["Indicator Name"][:120],
            "area_code": area, "measure_id": m.measure_id, "period": period, "breakdown": "",
            "value": value, "unit": m.unit, "printed": value,
            "status": "published" if value else "not_published",
            "note": (f"{m.note}; {row['Sex']}, {row['Age']}{ci}; count {row['Count'] or 'n/a'}, "
                     f"denominator {row['Denominator'] or 'n/a'}" + (f"; {row['Value note']}" if row["Value note"] else "")),
        })
    return pd.DataFrame(facts, columns=FACT_COLUMNS), skipped
