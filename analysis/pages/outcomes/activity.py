"""Activity: projected if current use continues, and admissions by provider."""
from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import finance
from analysis.models import outcomes
from analysis.pages import report
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.common import _county_link, _kinds, _labels, _lower_first, _name, _published, page_facts

# --- activity -------------------------------------------------------------------------------------

PROJECTED = "projected if current use continues"
POPULATION_GROWTH = {"population_projected_growth": "Population", "population_75_plus_growth": "Population aged 75+"}


def growth_frame(page: PageData) -> pd.DataFrame:
    """Activity projected 'if current use continues', with its growth, beside the population growth printed with it."""
    return page.memo("growth_frame", lambda: _growth_frame(page))


def _growth_frame(page: PageData) -> pd.DataFrame:
    data = page.data
    facts = _published(page_facts(page))
    projected = facts[facts["breakdown"] == PROJECTED]
    rows = []
    labels = _labels(data)
    for r in projected[projected["unit"] == "count"].itertuples():
        now = facts[(facts["measure_id"] == r.measure_id) & (facts["breakdown"] == "current")]
        if now.empty:
            continue
        n = now.iloc[0]
        printed_growth = projected[(projected["measure_id"] == f"{r.measure_id}_growth")]
        rows.append({
            "item": labels.get(r.measure_id, r.measure_id), "measure_id": r.measure_id, "area_code": r.area_code,
            "now": n["printed"], "now_period": n["period"], "then": r.printed, "then_period": r.period,
            "growth": outcomes.growth_pct(n["value"], r.value),
            "growth_printed": printed_growth.iloc[0]["printed"] if not printed_growth.empty else "not printed",
            "fact_ids": " ".join([n["fact_id"], r.fact_id] + list(printed_growth["fact_id"])),
            "source_id": r.source_id, "table": r.table, "lines": r.lines,
        })
    if rows:
        f = _published(data.facts)
        source, span = projected.iloc[0]["source_id"], facts[facts["measure_id"].str.endswith("_growth")
                                                                & (facts["breakdown"] == PROJECTED)]["period"]
        pop = f[f["measure_id"].isin(list(POPULATION_GROWTH)) & (f["source_id"] == source) & f["period"].isin(set(span))]
        for r in pop.itertuples():
            rows.append({
                "item": f"{POPULATION_GROWTH[r.measure_id]}, {report.area_name(r.area_code, data)}", "measure_id": r.measure_id,
                "area_code": r.area_code,
                "now": "", "now_period": "", "then": "", "then_period": r.period,
                "growth": r.value, "growth_printed": r.printed, "fact_ids": r.fact_id,
                "source_id": r.source_id, "table": r.table, "lines": r.lines,
            })
    return pd.DataFrame(rows, columns=["item", "measure_id", "area_code", "now", "now_period", "then", "then_period", "growth",
                                       "growth_printed", "fact_ids", "source_id", "table", "lines"])


def _provider_total(page: PageData) -> pd.DataFrame:
    facts = _published(page_facts(page))
    return facts[(facts["measure_id"] == "admissions_inpatient") & (facts["breakdown"] == "Total")]


def _provider_rows(page: PageData) -> pd.DataFrame:
    """Admissions by provider, when the total they share is published too."""
    facts = _published(page_facts(page))
    adm = facts[(facts["measure_id"] == "admissions_inpatient") & ~facts["breakdown"].isin(["", "Total", "main provider"])]
    return adm if len(_provider_total(page)) else adm.iloc[0:0]


def activity_summary(page: PageData) -> Markdown:
    data = page.data
    area_code = page.area
    name = _name(area_code, data)
    growth = growth_frame(page)
    providers = _provider_rows(page)
    if growth.empty and providers.empty:
        others = page_facts(page)
        others = others[others["measure_id"].map(_kinds(data)) == "activity"]
        if others.empty:
            return Markdown(f"The source papers publish no activity figures for {name}. See the {_county_link()}.")
        return Markdown(f"The papers print {len(others)} activity figure{'s' if len(others) != 1 else ''} for {name}, "
                        "listed with every other figure "
                        "at the end of this page; none is a projection or a split by provider.")
    parts = []
    if not growth.empty:
        act = growth[growth["now"] != ""]
        pop = growth[growth["now"] == ""]
        items = "; ".join(f"{_lower_first(r.item)} from {r.now} to {r.then} ({r.growth:+.1f}%, computed; "
                          + (f"printed as {r.growth_printed})" if r.growth_printed != "not printed" else "no percentage printed)")
                          for r in act.itertuples())
        pops = "; ".join(f"{r.growth_printed} ({r.item})" for r in pop.itertuples())
        own = pop[(pop["measure_id"] == "population_projected_growth") & (pop["area_code"] == area_code)]
        main = own.iloc[0]["growth"] if not own.empty else math.nan
        faster = [_lower_first(r.item) for r in act.itertuples() if r.growth > main]
        slower = [_lower_first(r.item) for r in act.itertuples() if r.growth <= main]
        compare = ["the papers print no population growth for the area itself to compare with"] if own.empty else []
        if own.empty:
            faster = slower = []
        if faster:
            compare.append(f"{' and '.join(faster)} would grow faster than the whole population")
        if slower:
            compare.append(f"{' and '.join(slower)} more slowly")
        parts.append(
            f"If people carry on using services as they do now, {name}'s plan expects {items}. It sets these beside "
            f"the projected growth in population over ten years: {pops}. On these figures " + ", ".join(compare)
            + f". The horizon of the activity projection is not printed; the book reads it as {act.iloc[0]['then_period']}, "
            "the end of the population projection's ten years.")
    if not providers.empty:
        total = _provider_total(page)
        top = providers.sort_values("value", ascending=False).iloc[0]
        t = total.iloc[0]
        parts.append(
            f"In {t['period']} the CCG's practices' patients had {t['printed']} inpatient admissions across "
            f"{len(providers) - int((providers['breakdown'] == 'Other').sum())} named providers and others; "
            f"{top['printed']} ({finance.percent_of(top['value'], t['value']):.1f}%) were at {top['breakdown']}.")
    return Markdown("\n\n".join(parts))


def activity_growth_chart(page: PageData) -> charts.Chart | None:
    data = page.data
    area_code = page.area
    frame = growth_frame(page)
    if frame.empty:
        return None
    root = page.root
    plot = frame.assign(Item=[f"{i} (computed)" if n else f"{i} (printed)" for i, n in zip(frame["item"], frame["now"])])
    fig = charts.bar(plot, "Item", "growth", "Growth over the projection period", "% growth", horizontal=True)
    fig.update_layout(height=360, margin=dict(l=360))
    alt = ("Horizontal bar chart of projected growth: " + "; ".join(
        f"{r.Item} {r.growth:.1f}%" for r in plot.itertuples()) + ".")
    table = pd.DataFrame({
        "Item": frame["item"], "Now (as printed)": frame["now"], "Projected (as printed)": frame["then"],
        "Period": frame["then_period"],
        "Growth, computed from the printed figures": [f"{g:.1f}%" if n else "—" for g, n in zip(frame["growth"], frame["now"])],
        "Growth as printed": frame["growth_printed"],
        **report.source_columns(frame, root),
    })
    caption = (f"{_name(area_code, data)}: activity growth if current use continues, computed from the printed current and "
               "projected figures, beside the printed population growth")
    chart_id = f"out-growth-{area_code.lower()}"
    return charts.Chart(fig, chart_id, caption, alt, charts.Table(table, caption, chart_id + "-data",
                                                                   links={"Source": "_source_url"},
                                                                   download=frame))


def admissions_by_provider_chart(page: PageData) -> charts.Chart | None:
    data = page.data
    area_code = page.area
    providers = _provider_rows(page)
    if providers.empty:
        return None
    root = page.root
    facts = page_facts(page)
    total = _provider_total(page).iloc[0]
    rows = []
    for r in providers.itertuples():
        same = facts[(facts["table"] == r.table) & (facts["breakdown"] == r.breakdown)]
        get = {m: p for m, p in zip(same["measure_id"], same["printed"])}
        rows.append({
            "Provider": r.breakdown, "Admissions": r.value, "Admissions (as printed)": r.printed,
            "Elective (as printed)": get.get("admissions_inpatient_elective", "—"),
            "Share of CCG admissions (printed)": get.get("pct_ccg_admissions_by_provider", "—"),
            "Share recomputed": f"{finance.percent_of(r.value, total['value']):.1f}%",
            "CCG share of provider's admissions (printed)": get.get("pct_provider_admissions_from_ccg", "—"),
            "Source": report.source_label(facts.loc[[r.Index]].iloc[0]),
            "_source_url": report.source_url(facts.loc[[r.Index]].iloc[0], root),
        })
    frame = pd.DataFrame(rows)
    fig = charts.bar(frame.sort_values("Admissions", ascending=False), "Provider", "Admissions",
                     f"Inpatient admissions by provider, {total['period']}", "Admissions", horizontal=True)
    fig.update_layout(height=360, margin=dict(l=300))
    alt = (f"Horizontal bar chart of the CCG's {total['printed']} inpatient admissions in {total['period']} by provider: "
           + "; ".join(f"{p} {n}" for p, n in zip(frame["Provider"], frame["Admissions (as printed)"])) + ".")
    caption = f"{_name(area_code, data)}: inpatient admissions by provider, {total['period']} ({report.source_label(total)})"
    chart_id = f"out-providers-{area_code.lower()}"
    same_table = facts[facts["table"] == total["table"]]
    return charts.Chart(fig, chart_id, caption, alt,
                        charts.Table(frame.drop(columns="Admissions"), caption, chart_id + "-data",
                                     links={"Source": "_source_url"},
                                     download=same_table[["fact_id", "measure_id", "breakdown", "period", "value", "printed",
                                                          "source_id", "lines"]]))


