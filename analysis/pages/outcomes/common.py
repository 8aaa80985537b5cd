"""What the outcomes pages share: which facts each page shows, the stated
trajectory rules, and small formatting helpers."""
from __future__ import annotations

import math

import pandas as pd

from analysis.pages import report
from analysis.pages import style
from analysis.data import BookData
from analysis.data.trajectories import path_values
from analysis.pages.pagedata import PageData

COUNTY = "E10000012"
KINDS = ("outcome", "activity")
# Papers written by one CCG: their provider, PCT and cluster figures go on that CCG's page.
COUNTY_PAGE = "../../essex/outcomes.html"


# --- selecting facts ------------------------------------------------------------------

def _kinds(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["kind"]))


def _labels(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["label"]))


def _polarity(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["polarity"]))


def _first_line(lines: str) -> int:
    return int(str(lines).split("-")[0])


def home_pages(facts: pd.DataFrame, data: BookData) -> pd.Series:
    """The outcomes page each fact belongs on: the CCG whose area family holds
    its area; else the CCG that wrote the paper, for the providers, PCTs and
    clusters its own plan reports; else the county page."""
    areas = data.areas
    owner: dict[str, str] = {}
    for ccg in areas.loc[areas["type"] == "ccg", "area_code"]:
        for code in report.area_family(ccg, data):
            owner.setdefault(code, ccg)
    types = dict(zip(areas["area_code"], areas["type"]))
    # The CCG whose own plan a paper is (data/sources.csv, plan_of).
    plan_of = {s: a for s, a in zip(data.sources["source_id"], data.sources.get("plan_of", pd.Series(dtype=str))) if a}

    def home(area: str, source: str) -> str:
        if area in owner:
            return owner[area]
        if source in plan_of and types.get(area) in ("pct", "cluster", "provider"):
            return plan_of[source]
        return COUNTY

    return pd.Series([home(a, s) for a, s in zip(facts["area_code"], facts["source_id"])], index=facts.index, dtype=str)


def _outcome_facts(page: PageData) -> pd.DataFrame:
    """Every outcome and activity fact in the page's data, with the page it belongs on; once per page."""
    def compute() -> pd.DataFrame:
        data = page.data
        f = data.facts[data.facts["measure_id"].map(_kinds(data)).isin(KINDS)].copy()
        f["page"] = home_pages(f, data)
        return f
    return page.memo("outcome_facts", compute)


def page_facts(page: PageData, area_code: str | None = None) -> pd.DataFrame:
    """Outcome and activity facts shown on an area's outcomes page (the page's own by default), in file order."""
    f = _outcome_facts(page)
    return f[f["page"] == (area_code or page.area)].drop(columns="page")


def _rules(page: PageData) -> pd.DataFrame:
    """Each printed value a trajectory rule fixes, with the rule as it applies to it (one row a value)."""
    data = page.data
    return page.memo("rules", lambda: path_values(data.trajectory_rules, data.trajectory_causes, data.facts))


def _name(code: str, data: BookData) -> str:
    return report.area_name(code, data)


def _county_link() -> str:
    return f'<a href="{COUNTY_PAGE}">Essex outcomes page</a>'


def _fmt(value: float, unit: str, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return style.fmt_value(value, unit, decimals)


def _shown(row) -> str:
    """A fact as printed, or why it has no value."""
    if row["status"] == "not_published":
        return f"not published ({row['printed'] or 'blank'})"
    return row["printed"]


def _lower_first(text: str) -> str:
    """Lower-case a label's first letter unless it starts an abbreviation ("A&E")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _wrap(text: str, width: int = 48) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join(lines + [line])


def _published(facts: pd.DataFrame) -> pd.DataFrame:
    # Models and charts read figures: a not-published row counts as absent (tables still list it).
    return facts[(facts["status"] != "not_published") & facts["value"].notna()]
