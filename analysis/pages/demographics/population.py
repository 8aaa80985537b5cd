"""Demographics pages: population totals by basis, and the age structure.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.pages import report
from analysis.pages import style
from analysis.models import demographics as dm
from analysis.data import BookData
from analysis.pages.pagedata import PageData
from analysis.pages.demographics.estimates import estimate_rows
from analysis.pages.demographics.common import (
    POPULATION, POPULATION_CONTEXT, AGE, COUNTY_POPULATION, BASIS, BASIS_SHORT, AGE_WORDS, _types, _is_county,
    _select, _one, period_text, _short, _pct, _signed_points, _src, _nothing, judge, _value_in, _facts_table, _chart,
)


def population_rows(area_code: str, data: BookData) -> pd.DataFrame:
    """Every whole-CCG population total the papers give, with its basis, and the sums
    the book computes from the localities and practices the papers list."""
    types = _types(data)
    f = _select(area_code, POPULATION, data=data)
    rows = []
    own = f[(f["area_code"] == area_code) & f["breakdown"].isin(["", "CCG TOTAL"])]
    for _, r in own.iterrows():
        basis = BASIS[r["measure_id"]]
        if r["breakdown"] == "CCG TOTAL":
            basis = "GP registered list, printed total of the practice lists"
        rows.append({"basis": basis, "population": _value_in(r, "count", data), "period": r["period"],
                     "printed": r["printed"], "source": _src(r), "fact_id": r["fact_id"], "computed": False})
    parts = f[f["area_code"].map(types).isin(["locality", "practice"]) & (f["breakdown"] == "")]
    for (source, table, measure, kind), g in parts.groupby(
            ["source_id", "table", "measure_id", parts["area_code"].map(types)], sort=True):
        if len(g) < 2:
            continue
        what = "practice lists" if kind == "practice" else "locality populations"
        rows.append({"basis": f"{BASIS[measure]}: sum of {len(g)} {what} (computed by the book)",
                     "population": float(g["value"].sum()), "period": g["period"].iloc[0],
                     "printed": "", "source": f"{source} {table}", "fact_id": "", "computed": True})
    out = pd.DataFrame(rows, columns=["basis", "population", "period", "printed", "source", "fact_id", "computed"])
    return out.sort_values(["computed", "population"], kind="stable").reset_index(drop=True)


def population_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    rows = population_rows(area_code, data)
    printed = rows[~rows["computed"]]
    parts = [f"{style.fmt_number(r.population)} ({r.basis}, {period_text(r.period)}; {r.source})" for r in printed.itertuples()]
    if printed.empty:
        text = f"The papers print no population total for {name}."
        if len(rows):
            text += (" Adding up the parts they list gives " + "; ".join(
                f"{style.fmt_number(r.population)} ({r.basis.split(': ')[1].replace(' (computed by the book)', '')}, {r.source})"
                for r in rows.itertuples()) + ".")
    elif len(rows) == 1:
        text = (f"The only population total the papers give for {name} is {parts[0]}. "
                "No registered-list or other total is published in the source documents for this CCG.")
    elif len(printed) == 1:
        r = rows[rows["computed"]].iloc[0]
        diff = r.population - printed["population"].iloc[0]
        text = (f"The papers print one population total for {name}: {parts[0]}. Adding up the parts they list gives "
                f"{style.fmt_number(r.population)} ({r.basis.split(': ')[1].replace(' (computed by the book)', '')}, {r.source}; "
                f"{r.basis.split(':')[0]}), {style.fmt_number(abs(diff))} {'more' if diff > 0 else 'fewer'} "
                f"({_pct(abs(dm.total_change_pct(printed['population'].iloc[0], r.population)))}). The book shows both rather than "
                "pick one.")
    else:
        lo, hi = rows["population"].min(), rows["population"].max()
        text = (f"The papers print {len(printed)} population totals for {name}, on different bases and dates: "
                + "; ".join(parts) + ". ")
        computed = rows[rows["computed"]]
        if len(computed):
            text += ("Adding up the parts the papers list gives " + "; ".join(
                f"{style.fmt_number(r.population)} ({r.basis.split(': ')[1].replace(' (computed by the book)', '')}, {r.source})"
                for r in computed.itertuples()) + ". ")
        text += (f"From lowest to highest the totals span {style.fmt_number(hi - lo)} people "
                 f"({_pct(dm.total_change_pct(lo, hi))} of the lowest). The book shows them side by side rather than pick one: "
                 "a registered list counts everyone on the CCG's GP lists wherever they live, an ONS projection counts residents.")
    text += _population_context(area_code, data)
    return Markdown(text)


def _population_context(area_code: str, data: BookData) -> str:
    f = _select(area_code, POPULATION_CONTEXT, comparators=("ccg_average_registered_population",), data=data)
    text = ""
    share = _one(f, measure_id="pct_of_la_population")
    if share is not None:
        ons = _one(data.facts, area_code=area_code, measure_id="population_ons_projection")
        ecc = _one(data.facts, area_code="ESSEX-CCGS", measure_id="population_ons_projection")
        text += (f" The paper says the CCG is {share['printed']} of its main local authority's population ({_src(share)})")
        if ons is not None and ecc is not None:
            text += (f"; on the ONS 2013 figures of paper 000 Figure 2 the book computes "
                     f"{style.fmt_number(ons['value'])} of {style.fmt_number(ecc['value'])} in the Essex County Council area = "
                     f"{_pct(dm.share_pct(ons['value'], ecc['value']))}")
        text += "."
    avg = _one(f, measure_id="ccg_average_registered_population")
    own = _one(f, area_code=area_code, measure_id="population_registered", source_id=avg["source_id"] if avg is not None else "",
               table=avg["table"] if avg is not None else "")
    if avg is not None and own is not None:
        text += (f" Its {own['printed']} registered patients are {_pct(dm.share_pct(own['value'], avg['value']), 0)} of the "
                 f"{avg['printed']} average for England's CCGs ({_src(avg)}).")
    for _, r in f[f["measure_id"] == "population_density_rank_essex"].iterrows():
        text += f" {_short(r['area_code'], data)} (district) is the {r['printed']} most densely populated district in Essex ({_src(r)})."
    return text


def population_chart(page: PageData) -> charts.Chart | None:
    """One bar per population total for the CCG; None when there is only one."""
    area_code = page.area
    data = page.published.data
    rows = population_rows(area_code, data)
    if len(rows) < 2:
        return None
    name = report.area_name(area_code, data)
    def short(basis: str) -> str:
        if ": sum of " in basis:
            return "Sum of " + basis.split(": sum of ")[1].replace(" (computed by the book)", "") + " (book)"
        return BASIS_SHORT[basis]

    frame = pd.DataFrame({
        "Total": [f"{short(r.basis)}, {period_text(r.period)} ({r.source[:3]})" for r in rows.itertuples()],
        "Basis": rows["basis"], "Source": rows["source"],
        "Population": rows["population"],
        "fact_id": rows["fact_id"],
    })
    fig = charts.bar(frame, "Total", "Population", f"{name}: population totals in the papers", "People", horizontal=True)
    fig.update_layout(height=140 + 45 * len(frame))
    fig.update_xaxes(rangemode="tozero")
    alt = (f"Horizontal bar chart of the {len(frame)} population totals the papers give for {name}: "
           + "; ".join(f"{t}: {style.fmt_number(v)}" for t, v in zip(frame["Total"], frame["Population"])) + ".")
    chart_id = f"dem-pop-{area_code.lower()}"
    caption = f"{name}: population totals by basis, as printed or summed from the localities and practices the papers list."
    return _chart(fig, chart_id, caption, alt, frame[["Total", "Basis", "Source", "Population"]], ("Population",), download=frame)


def population_table(page: PageData) -> charts.Table | Markdown:
    area_code = page.area
    data = page.published.data
    if _is_county(area_code, data):
        f = _select(area_code, COUNTY_POPULATION, data=data)
    else:
        f = _select(area_code, POPULATION + POPULATION_CONTEXT, comparators=("ccg_average_registered_population",), data=data)
    # Practices' and localities' own figures are listed under localities.
    f = f[~f["area_code"].map(_types(data)).isin(["practice", "locality"])]
    if f.empty:
        return _nothing(area_code, "population figure", data)
    computed = {}
    for _, r in f.iterrows():
        if r["measure_id"] in BASIS and r["area_code"] == area_code:
            computed[r["fact_id"]] = "basis: " + BASIS[r["measure_id"]]
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: population figures as printed, with their basis",
                        f"dem-pop-facts-{area_code.lower()}", data, computed)


# =================================================================================================
# Age structure and older people
# =================================================================================================

def age_frame(area_code: str, data: BookData) -> pd.DataFrame:
    """The CCG's age and sex shares beside England's where the same passage gives both."""
    f = _select(area_code, AGE, comparators=AGE, data=data)
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    shares = f[(f["unit"] == "%") & (f["area_code"].isin([area_code, "E92000001"]))]
    own = shares[shares["area_code"] == area_code]
    rows = []
    for _, r in own.iterrows():
        eng = _one(shares, area_code="E92000001", measure_id=r["measure_id"], period=r["period"])
        rows.append({"measure_id": r["measure_id"], "measure": labels[r["measure_id"]], "period": r["period"], "ccg": r["value"], "ccg_fact": r["fact_id"],
                     "england": eng["value"] if eng is not None else np.nan,
                     "england_fact": eng["fact_id"] if eng is not None else ""})
    out = pd.DataFrame(rows, columns=["measure_id", "measure", "period", "ccg", "ccg_fact", "england", "england_fact"])
    out["difference_points"] = out["ccg"] - out["england"]
    return out


def age_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    f = _select(area_code, AGE + ("population_65_plus_growth", "population_75_plus_growth"), comparators=AGE, data=data)
    if f.empty:
        # ONS estimates imported for the area say its age structure below.
        return None if estimate_rows(area_code, data) is not None else _nothing(area_code, "age-structure figure", data)
    parts = []
    frame = age_frame(area_code, data)
    for r in frame.itertuples():
        what = AGE_WORDS.get(r.measure_id, r.measure.replace(" (%)", "").lower())
        if pd.notna(r.england):
            side = "more" if r.difference_points > 0 else "fewer"
            parts.append(f"{_pct(r.ccg)} {what} against {_pct(r.england)} for England ({abs(r.difference_points):.1f} points {side})")
        else:
            parts.append(f"{_pct(r.ccg)} {what}")
    text = ""
    if parts:
        text += f"In {period_text(frame['period'].iloc[0])} the registered population of {name} was: " + "; ".join(parts) + "."
    # The 75+ share recomputed from the counts of the same paper.
    count75 = _one(f, area_code=area_code, measure_id="population_registered_75_plus")
    total = None
    if count75 is not None:
        total = _one(data.facts, area_code=area_code, measure_id="population_registered", source_id=count75["source_id"],
                     table=count75["table"], period=count75["period"])
    share75 = _one(f, area_code=area_code, measure_id="pct_population_75_plus")
    if count75 is not None and total is not None:
        share = dm.share_pct(count75["value"], total["value"])
        text += (f" The book recomputes the 75+ share from {_src(count75)}: {count75['printed']} of {total['printed']} = "
                 f"{_pct(share, 2)}")
        text += (f", against the printed {share75['printed']} ({judge(share, share75)})." if share75 is not None else ".")
    for _, r in f[f["measure_id"].isin(["population_65_plus_growth", "population_75_plus_growth"])].iterrows():
        age = "65" if "65" in r["measure_id"] else "75"
        years = dm.span_years(r["period"])
        text += (f" The number of people over {age} is projected to grow by {r['printed']} over {period_text(r['period'])} "
                 f"({_src(r)}): the book puts that at {_pct(dm.annualised_rate(r['value'], years))} a year compounded over "
                 f"{years} years.")
    for code, g in f[f["measure_id"].isin(["pct_population_65_plus_projected", "pct_population_65_plus_rank_essex"])].groupby("area_code", sort=False):
        share = _one(g, measure_id="pct_population_65_plus_projected")
        rank = _one(g, measure_id="pct_population_65_plus_rank_essex")
        if share is not None:
            text += (f" District figure: by {share['period']}, {share['printed']} of {_short(code, data)}'s population is expected "
                     "to be over 65" + (f" ({rank['printed'].replace(' highest', '')} highest share in Essex)" if rank is not None else "")
                     + f" ({_src(share)}).")
    return Markdown(text.strip())


def age_chart(page: PageData) -> charts.Chart | None:
    """The CCG's age and sex shares beside England's; None when the papers give no pair."""
    area_code = page.area
    data = page.published.data
    frame = age_frame(area_code, data).dropna(subset=["england"])
    if frame.empty:
        return None
    name = report.area_name(area_code, data)
    long = pd.concat([
        pd.DataFrame({"Measure": frame["measure"].str.replace(" (%)", "", regex=False), "Area": name, "Per cent": frame["ccg"],
                      "fact_id": frame["ccg_fact"]}),
        pd.DataFrame({"Measure": frame["measure"].str.replace(" (%)", "", regex=False), "Area": "England", "Per cent": frame["england"],
                      "fact_id": frame["england_fact"]}),
    ], ignore_index=True)
    fig = charts.grouped_bar(long, "Measure", "Per cent", "Area", f"{name} and England: population shares, {frame['period'].iloc[0]}",
                             "% of registered population")
    alt = (f"Grouped bar chart of population shares for {name} against England in {frame['period'].iloc[0]}: "
           + "; ".join(f"{m}: {_pct(c)} against {_pct(e)}" for m, c, e in zip(frame["measure"].str.replace(' (%)', '', regex=False),
                                                                            frame["ccg"], frame["england"])) + ".")
    caption = f"{name} and England: share of the registered population by age and sex, {frame['period'].iloc[0]} (printed figures)."
    return _chart(fig, f"dem-age-{area_code.lower()}", caption, alt, long[["Measure", "Area", "Per cent"]], ("Per cent",), download=long)


def age_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _select(area_code, AGE + ("population_65_plus_growth", "population_75_plus_growth"), comparators=AGE, data=data)
    if f.empty:
        return None
    computed = {}
    for r in age_frame(area_code, data).dropna(subset=["england"]).itertuples():
        computed[r.ccg_fact] = f"{_signed_points(r.difference_points)} against England"
    for _, r in f[f["measure_id"].isin(["population_65_plus_growth", "population_75_plus_growth"])].iterrows():
        computed[r["fact_id"]] = f"{_pct(dm.annualised_rate(r['value'], dm.span_years(r['period'])))} a year (compound)"
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: age structure and older people, as printed",
                        f"dem-age-facts-{area_code.lower()}", data, computed)


