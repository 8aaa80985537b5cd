"""Pages for a Health and Wellbeing Board area with its own section (e.g. Staffordshire)."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import finance
from analysis.pages import style
from analysis.pages.pagedata import PageData
from analysis.pages.report import area_family, facts_table, name_md, source_label
from analysis.data.units import convert, unit_table


def _latest(facts: pd.DataFrame, area: str, measure: str) -> pd.Series | None:
    rows = facts[(facts["area_code"] == area) & (facts["measure_id"] == measure) & (facts["status"] != "not_published")]
    return rows.sort_values(["period", "source_id"]).iloc[-1] if len(rows) else None


def bcf_share(page: PageData) -> Markdown:
    """The area's Better Care Fund as a share of the national fund, where both are published."""
    data = page.data
    area_code = page.area
    units = unit_table(data.units)
    own = _latest(data.facts, area_code, "bcf_value")
    national = _latest(data.facts, "E92000001", "bcf_value")
    name = name_md(area_code, data)
    if own is None or national is None:
        return Markdown(f"The sources publish no Better Care Fund value for {name}, so its share of the national fund cannot be shown.")
    share = finance.percent_of(convert(own["value"], own["unit"], "£", units), convert(national["value"], national["unit"], "£", units))
    return Markdown(
        f"In {own['period']} the Better Care Fund for {name} is {own['printed']} ({source_label(own)}), "
        f"out of a national fund of {national['printed']} ({source_label(national)}): "
        f"**{style.fmt_pct(share, 2)}** of the national total, as computed by the book."
    )


def transfer_rule(page: PageData) -> Markdown:
    """The 3% CCG budget transfer: what it would be, where the CCG budgets are published."""
    data = page.data
    area_code = page.area
    rule = _latest(data.facts, area_code, "bcf_ccg_budget_transfer_pct")
    name = name_md(area_code, data)
    if rule is None:
        return Markdown(f"The sources state no CCG budget transfer rule for {name}.")
    return Markdown(
        f"From 2015/16 the fund is augmented by a transfer of **{rule['printed']}** of CCG budgets ({source_label(rule)}). "
        f"The paper does not publish the budgets of the CCGs in {name}, so the size of that transfer cannot be computed "
        f"here; the book does not estimate it."
    )


def all_figures(page: PageData) -> charts.Table | Markdown:
    data = page.data
    area_code = page.area
    f = data.facts[data.facts["area_code"].isin(area_family(area_code, data))]
    published = f[f["status"] != "not_published"]
    if published.empty:
        return Markdown("The sources publish no figures for this area yet.")
    return facts_table(published.sort_values(["source_id", "measure_id", "period"]),
                       f"Every published figure for {data.areas.set_index('area_code').loc[area_code, 'name']}",
                       f"all-{area_code}", page.root, data)


def not_published(page: PageData) -> Markdown:
    data = page.data
    area_code = page.area
    f = data.facts[(data.facts["area_code"] == area_code) & (data.facts["status"] == "not_published")]
    if f.empty:
        return Markdown("Every measure in this area's data has a figure.")
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    names = sorted({labels.get(m, m) for m in f["measure_id"]})
    return Markdown(f"Not published in the source documents for this area ({len(names)} measures): " + "; ".join(names) + ".")
