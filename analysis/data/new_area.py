"""Adding an area: the registry row, a local source, and a commented data
template listing every measure the book knows for that kind of area.

The functions here build rows and text; ``cli`` writes them.
"""
from __future__ import annotations

import csv
import io
import re

import pandas as pd

from analysis.data.vocabulary import AREA_CODE_RE, FACT_COLUMNS, BookData

PAGE_OF_KIND = {
    "demographics": "Demographics page",
    "finance": "Finance page",
    "outcome": "Outcomes page",
    "activity": "Outcomes page",
    "other": "Overview page (all figures table)",
}
OVERVIEW_MEASURES = {"ccg_allocation", "population_ons_projection", "allocation_per_head", "qipp_savings", "qipp_pct_allocation"}


class AreaError(ValueError):
    pass


def local_source_id(code: str) -> str:
    """The source id of an area's own data file.

    >>> local_source_id("99x")
    'LOCAL-99X'
    """
    return f"LOCAL-{code.upper()}"


def template_path(code: str) -> str:
    return f"facts/area-{code}.csv"


def check_new_area(data: BookData, code: str, name: str, kind: str, parent: str) -> bool:
    """Refuse unusable input; return True when the area is already in the registry."""
    if not re.match(AREA_CODE_RE, code):
        raise AreaError(f"area code {code!r} is not valid: use letters, digits and '-' only (at most 40), e.g. 99X")
    if not name.strip() or any(c in name for c in "\n\r"):
        raise AreaError("--name must be a non-empty single line")
    if kind not in ("ccg", "hwb"):
        raise AreaError("--type must be ccg or hwb")
    codes = set(data.areas["area_code"])
    if parent not in codes:
        raise AreaError(f"parent {parent!r} is not in data/areas.csv (for a CCG in Essex use E10000012)")
    if code in codes:
        row = data.areas.set_index("area_code").loc[code]
        if row["section"]:
            raise AreaError(f"area {code} already has a section in the book")
        if row["type"] != kind:
            raise AreaError(f"area {code} is already in the registry as a {row['type']}, not a {kind}")
        return True
    return False


# An HWB section's page asks for these; a CCG's template lists what the CCG pages compare.
HWB_MEASURES = ("bcf_value", "bcf_ccg_budget_transfer_pct")


def template_measures(data: BookData, kind: str) -> pd.DataFrame:
    """The measures a new area's template lists, with their most usual period.

    For a CCG: every measure published for at least two CCGs (the ones the book
    compares). For an HWB: the measures its section's page shows.
    """
    f = data.facts[data.facts["status"] != "not_published"]
    if kind == "hwb":
        f = f[f["measure_id"].isin(HWB_MEASURES)]
    else:
        f = f[f["area_code"].isin(set(data.areas.loc[data.areas["type"] == kind, "area_code"]))]
        shared = f.groupby("measure_id")["area_code"].nunique()
        f = f[f["measure_id"].isin(shared[shared >= 2].index)]
    usual = f.groupby("measure_id")["period"].agg(lambda p: sorted(p.mode())[0])
    m = data.measures.set_index("measure_id").loc[sorted(usual.index)]
    return m.assign(period=usual).reset_index()


def where_shown(measure_id: str, kind: str, area_kind: str = "ccg") -> str:
    if area_kind == "hwb":
        return "the area's Overview page"
    page = PAGE_OF_KIND.get(kind, "Overview page")
    if measure_id in OVERVIEW_MEASURES:
        page = "Overview page and " + page
    return page


def template_text(code: str, name: str, kind: str, measures: pd.DataFrame) -> str:
    """The commented CSV template: one not-yet-published row per measure."""
    lines = [
        f"# Data template for {name} ({code}), written by `python -m analysis new-area`.",
        f"# One row per measure the book shows for a {kind.upper()}. To publish a figure on a row:",
        "#   value     the number, plain digits (no thousands commas, no £ or %), in the row's unit",
        "#   printed   the figure exactly as your source prints it, e.g. £1,225 or 7.5%",
        "#   status    published (or approximate for 'circa', 'about', 'up to')",
        "#   table, lines, source_id   where the figure comes from: add your document to data/sources.csv",
        "#             and give its id, or keep this file's own id and its line number",
        "#   period    2013/14 (financial year), 2011 (calendar year) or 2013-2017 (span)",
        "# Rows left as not_published show in the book as 'not published', never as zero.",
        "# The note says where each measure shows in the book. Then run:",
        f"#   python -m analysis validate --area {code}",
        f"#   python -m analysis render --area {code}",
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    first_row = len(lines) + 2  # comment lines, then the header, then the rows
    for i, m in enumerate(measures.itertuples()):
        writer.writerow({
            "fact_id": f"local.{code.lower()}.{m.measure_id}",
            "source_id": local_source_id(code),
            "lines": str(first_row + i),
            "table": "local data template",
            "area_code": code,
            "measure_id": m.measure_id,
            "period": m.period,
            "breakdown": "",
            "value": "",
            "unit": m.unit,
            "printed": "",
            "status": "not_published",
            "note": f"Shows on: {where_shown(m.measure_id, m.kind, kind)}. {m.label}: {m.definition}",
        })
    return "\n".join(lines) + "\n" + out.getvalue()


def area_row(code: str, name: str, kind: str, parent: str, gss: str = "", ods: str = "", hwb: str = "", icb: str = "") -> dict:
    return {"area_code": code, "name": name, "type": kind, "parent_code": parent, "gss_code": gss, "ods_code": ods,
            "hwb_code": hwb, "icb_code": icb, "section": kind, "note": "Added with python -m analysis new-area"}


def source_row(code: str, name: str, month: str) -> dict:
    return {"source_id": local_source_id(code), "file": template_path(code),
            "title": f"Local data for {name}", "publisher": "Local analyst", "date": month,
            "areas": name}
