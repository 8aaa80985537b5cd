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
    m = data.measures.set_index("measure_id").loc[sorted(usual.index)].assign(period=usual).reset_index()
    # One row per line the CCGs print in the usual period (a service, an age band), or one for the whole.
    f = f.assign(usual=f["measure_id"].map(usual))
    lines = f[f["period"] == f["usual"]].groupby("measure_id")["breakdown"].agg(lambda b: list(dict.fromkeys(b)))
    m["breakdown"] = [lines.get(i, [""]) for i in m["measure_id"]]
    return m.explode("breakdown").fillna({"breakdown": ""}).reset_index(drop=True)


def where_shown(measure_id: str, kind: str, area_kind: str = "ccg") -> str:
    if area_kind == "hwb":
        return "the area's Overview page"
    page = PAGE_OF_KIND.get(kind, "Overview page")
    if measure_id in OVERVIEW_MEASURES:
        page = "Overview page and " + page
    return page


def _slug(text: str) -> str:
    """
    >>> _slug("Growth at 2.3%")
    'growth-at-2-3pct'
    """
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower().replace("%", "pct").replace("&", "and")).strip("-")


def template_text(code: str, name: str, kind: str, measures: pd.DataFrame,
                  groups: list[tuple[str, list[dict]]] = ()) -> str:
    """The commented CSV template: one not-yet-published row per figure. ``measures`` are the
    figures the book compares across areas; ``groups`` (heading, rows) the figures each
    section's model reads, grouped by page and section (see analysis.pages.needs)."""
    labels = dict(zip(measures["measure_id"], measures["label"])) if len(measures) else {}
    lines = [
        f"# Data template for {name} ({code}), written by `python -m analysis new-area`.",
        f"# One row per figure the book shows for a {kind.upper()}. To publish a figure on a row:",
        "#   value     the number, plain digits (no thousands commas, no £ or %), in the row's unit",
        "#   printed   the figure exactly as your source prints it, e.g. £1,225 or 7.5%",
        "#   status    published (or approximate for 'circa', 'about', 'up to')",
        "#   table, lines, source_id   where the figure comes from: add your document to data/sources.csv",
        "#             and give its id, or keep this file's own id and its line number",
        "#   period    2013/14 (financial year), 2011 (calendar year), 2012-04 (month) or 2013-2017 (span);",
        "#             a model's rows show the papers' years: use your own plan's years, the same for every row",
        "#   breakdown the printed line or category the model reads: keep it as written here",
        "#   table     rows printed in one table share one label; a table's narrative rows extend it",
        "#             (\"Outcomes table\" and \"Outcomes table (narrative)\"), as in the rows below",
        "# Rows left as not_published show in the book as 'not published', never as zero. The first",
        "# group is what the book compares across areas; each later group is one section's model, and",
        "# the section appears once every row of its group that the note calls an input is published",
        "# (a compared figure that a model also reads stays in the first group, its note saying what it",
        "# feeds; the book's 'What each section needs' page lists them all). Figures for areas below the CCG",
        "# (localities, practices, districts) go in rows with their own area code, once the areas are",
        "# in data/areas.csv; England's and the county's figures are in the book already. Then run:",
        f"#   python -m analysis validate --area {code}",
        f"#   python -m analysis render --area {code}",
    ]
    rows: list[tuple[str | None, dict]] = [("Compared across areas", None)]
    # A compared figure that a model also reads is listed once, here, and still says what it feeds.
    model = {}
    for _, group in groups:
        for g in group:
            model.setdefault((g["measure_id"], g["period"], g["breakdown"]), g)
    seen = set()
    for m in measures.itertuples():
        breakdown = getattr(m, "breakdown", "") or ""
        seen.add((m.measure_id, m.period, breakdown))
        g = model.get((m.measure_id, m.period, breakdown))
        feeds = f"Feeds: {g['feeds']} ({g['role']}). " if g else ""
        rows.append((None, {"measure_id": m.measure_id, "period": m.period, "breakdown": breakdown, "unit": m.unit,
                            "note": f"Shows on: {where_shown(m.measure_id, m.kind, kind)}. {feeds}{m.label}: {m.definition}"}))
    for heading, group in groups:
        fresh = [g for g in group if (g["measure_id"], g["period"], g["breakdown"]) not in seen]
        if not fresh:
            continue
        rows.append((heading, None))
        for g in fresh:
            seen.add((g["measure_id"], g["period"], g["breakdown"]))
            what = labels.get(g["measure_id"], g["measure_id"])
            rows.append((None, {**g, "note": f"Feeds: {g['feeds']} ({g['role']}). {what}."}))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FACT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    body, line = [], len(lines) + 2  # comment lines, then the header, then rows and group headings
    for heading, r in rows:
        if heading is not None:
            body.append(f"# --- {heading}\n")
            line += 1
            continue
        buf = io.StringIO()
        csv.DictWriter(buf, fieldnames=FACT_COLUMNS, lineterminator="\n").writerow({
            "fact_id": ".".join(p for p in ("local", code.lower(), r["measure_id"], _slug(r["period"]), _slug(r["breakdown"])) if p),
            "source_id": local_source_id(code),
            "lines": str(line),
            # A model row names the papers' table it mirrors: rows of one table share a label, and a
            # table's narrative rows extend it ("... (narrative)"); keep that when writing your own.
            "table": f"as in the papers: {r['table']}" if r.get("table") else "local data template",
            "area_code": code,
            "measure_id": r["measure_id"],
            "period": r["period"],
            "breakdown": r["breakdown"],
            "value": "",
            "unit": r["unit"],
            "printed": "",
            "status": "not_published",
            "note": r["note"],
        })
        body.append(buf.getvalue())
        line += 1
    return "\n".join(lines) + "\n" + out.getvalue() + "".join(body)


def area_row(code: str, name: str, kind: str, parent: str, gss: str = "", ods: str = "", hwb: str = "", icb: str = "") -> dict:
    return {"area_code": code, "name": name, "type": kind, "parent_code": parent, "gss_code": gss, "ods_code": ods,
            "hwb_code": hwb, "icb_code": icb, "section": kind, "note": "Added with python -m analysis new-area"}


def source_row(code: str, name: str, month: str) -> dict:
    return {"source_id": local_source_id(code), "file": template_path(code),
            "title": f"Local data for {name}", "publisher": "Local analyst", "date": month,
            "areas": name}
