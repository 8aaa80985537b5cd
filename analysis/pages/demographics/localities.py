"""Demographics pages: localities and practices, and housing-led growth.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import checks
from analysis.pages import report
from analysis.pages import style
from analysis.models import demographics as dm
from analysis.data import BookData
from analysis.pages.pagedata import PageData
from analysis.pages.demographics.common import (
    LOCALITY, HOUSING, _types, _parents, _ordered, _select, _one, period_text, _short, _pct, _src, _nothing, judge,
    _facts_table, _chart,
)


def _locality_facts(area_code: str, data: BookData) -> pd.DataFrame:
    f = data.facts
    types = _types(data)
    fam = report.area_family(area_code, data)
    parts = f[f["area_code"].isin(fam) & f["area_code"].map(types).isin(["locality", "practice"])
              & f["measure_id"].isin(["population_registered", "population_resident"])]
    ranges = f[f["area_code"].isin(fam) & f["measure_id"].isin(LOCALITY)]
    return _ordered(pd.concat([parts, ranges]))


def locality_totals(area_code: str, data: BookData) -> pd.DataFrame:
    """Practice lists summed by locality and for the CCG, beside the printed totals and
    any other population the papers give for the same locality."""
    f = data.facts
    types, parents = _types(data), _parents(data)
    fam = report.area_family(area_code, data)
    prac = f[f["area_code"].isin(fam) & (f["area_code"].map(types) == "practice") & (f["measure_id"] == "population_registered")]
    if prac.empty:
        return pd.DataFrame(columns=["group", "printed_total", "practices", "recomputed_total", "difference", "printed", "fact_id"])
    totals = f[f["area_code"].isin(fam) & (f["measure_id"] == "population_registered") & (f["breakdown"] != "")
               & (f["source_id"] == prac["source_id"].iloc[0]) & (f["table"] == prac["table"].iloc[0])]
    practices = pd.DataFrame({"group": prac["area_code"].map(parents).values, "list_size": prac["value"].values})
    loc_totals = totals[totals["area_code"] != area_code]
    printed = pd.DataFrame({"group": loc_totals["area_code"].values, "printed_total": loc_totals["value"].values})
    out = dm.list_totals(practices, printed)
    ccg_total = totals[totals["area_code"] == area_code]
    if len(ccg_total):
        # The CCG line adds up the localities' printed totals, as the paper does.
        out = pd.concat([out, pd.DataFrame([{
            "group": area_code, "printed_total": ccg_total["value"].iloc[0], "practices": int(out["practices"].sum()),
            "recomputed_total": float(out["printed_total"].sum()),
            "difference": float(out["printed_total"].sum()) - ccg_total["value"].iloc[0]}])], ignore_index=True)
    by_area = dict(zip(totals["area_code"], zip(totals["printed"], totals["fact_id"])))
    out["printed"] = [by_area.get(g, ("", ""))[0] for g in out["group"]]
    out["fact_id"] = [by_area.get(g, ("", ""))[1] for g in out["group"]]
    return out


def _list_lines(locality: str, data: BookData) -> str:
    """'11 practice lists', or '18 list lines (17 practices and the Special Allocation Scheme)'."""
    a = data.areas
    lines = a[(a["parent_code"] == locality) & (a["type"] == "practice")]
    coded = lines[lines["ods_code"] != ""]
    other = lines[lines["ods_code"] == ""]
    if other.empty:
        return f"{len(coded)} practice lists"
    return (f"{len(lines)} list lines ({len(coded)} practices and the " + " and the ".join(other["name"]) + ")")


def localities_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    f = _locality_facts(area_code, data)
    if f.empty:
        return _nothing(area_code, "locality or practice population", data)
    text = []
    tot = locality_totals(area_code, data)
    if len(tot):
        for r in tot.itertuples():
            stated = data.facts.set_index("fact_id").loc[r.fact_id]
            if r.group == area_code:
                text.append(f"Adding the locality totals gives {style.fmt_number(r.recomputed_total)} for the CCG, against the "
                            f"printed CCG total of {r.printed} ({_src(stated)}; {judge(r.recomputed_total, stated)}).")
            else:
                text.append(f"{_short(r.group, data)}: its {_list_lines(r.group, data)} add up to "
                            f"{style.fmt_number(r.recomputed_total)}, against the printed locality total of {r.printed} "
                            f"({_src(stated)}; {judge(r.recomputed_total, stated)}).")
    res = f[(f["measure_id"] == "population_resident") & (f["area_code"].map(_types(data)) == "locality")]
    if len(res):
        total = res["value"].sum()
        line = (f"{_src(res.iloc[0]).split(', line')[0]} gives the population each locality serves: "
                + "; ".join(f"{_short(a, data)} {p}" for a, p in zip(res["area_code"], res["printed"]))
                + f", {style.fmt_number(total)} in all (sum computed by the book)")
        if len(tot):
            lists = tot[tot["group"] != area_code].set_index("group")
            diffs = [f"{_short(a, data)} {style.fmt_number(lists.loc[a, 'printed_total'] - v)} more"
                     for a, v in zip(res["area_code"], res["value"]) if a in lists.index]
            if diffs:
                line += "; the practice lists count more people than these figures: " + ", ".join(diffs)
        text.append(line + ".")
    for measure, what in (("practice_list_size", "practice list sizes"), ("gp_federation_population", "GP federations would each serve")):
        g = f[f["measure_id"] == measure]
        if len(g):
            lo, hi = _one(g, breakdown="min"), _one(g, breakdown="max")
            if measure == "practice_list_size":
                text.append(f"{name}'s practice list sizes run from {lo['printed']} to {hi['printed']} patients ({_src(lo)}).")
            else:
                text.append(f"{name}'s planned GP federations would each serve between {lo['printed']} and {hi['printed']} patients "
                            f"({_src(lo)}).")
    for _, r in f[f["measure_id"].isin(["count_practices", "gp_practices"])].iterrows():
        text.append(f"The CCG has {r['printed']} member practices ({_src(r)}).")
    return Markdown(" ".join(text))


def locality_chart(page: PageData) -> charts.Chart | None:
    """Population by locality on each basis the papers give, with the book's sums of the
    practice lists. None when the papers list no localities with a population."""
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    f = _locality_facts(area_code, data)
    types = _types(data)
    loc = f[f["area_code"].map(types) == "locality"]
    if loc.empty:
        return None
    rows = []
    for _, r in loc.iterrows():
        basis = (f"Population served ({_src(r).split(',')[0]})" if r["measure_id"] == "population_resident"
                 else f"Printed locality total of practice lists ({_src(r).split(',')[0]})")
        rows.append({"Locality": _short(r["area_code"], data), "Basis": basis, "People": r["value"], "fact_id": r["fact_id"]})
    tot = locality_totals(area_code, data)
    for t in tot[tot["group"] != area_code].itertuples():
        rows.append({"Locality": _short(t.group, data), "Basis": "Sum of practice lists (computed by the book)",
                     "People": t.recomputed_total, "fact_id": ""})
    frame = pd.DataFrame(rows)
    fig = charts.grouped_bar(frame, "Locality", "People", "Basis", f"{name}: population by locality", "People")
    alt = (f"Grouped bar chart of population by locality in {name}: "
           + "; ".join(f"{l}, {b[0].lower() + b[1:]}: {style.fmt_number(v)}" for l, b, v in zip(frame["Locality"], frame["Basis"], frame["People"]))
           + ".")
    caption = f"{name}: population by locality on each basis the papers give, and the book's sum of each locality's practice lists."
    return _chart(fig, f"dem-loc-{area_code.lower()}", caption, alt, frame[["Locality", "Basis", "People"]], ("People",), download=frame)


def practice_chart(page: PageData) -> charts.Chart | None:
    """Each practice's list size, largest first; None when the papers list no practices."""
    area_code = page.area
    data = page.published.data
    f = _locality_facts(area_code, data)
    prac = f[f["area_code"].map(_types(data)) == "practice"].sort_values(["value", "fact_id"], ascending=[False, True])
    if prac.empty:
        return None
    name = report.area_name(area_code, data)
    parents = _parents(data)
    frame = pd.DataFrame({
        "Practice": [f"{_short(a, data)} ({_short(parents[a], data).replace(' Locality', '')})" for a in prac["area_code"]],
        "Locality": [_short(parents[a], data) for a in prac["area_code"]],
        "Registered patients": prac["value"].values, "fact_id": prac["fact_id"].values,
    })
    fig = charts.bar(frame, "Practice", "Registered patients", f"{name}: practice list sizes, {period_text(prac['period'].iloc[0])}",
                     "Registered patients", horizontal=True)
    fig.update_layout(height=140 + 24 * len(frame))
    big, small = frame.iloc[0], frame.iloc[-1]
    alt = (f"Horizontal bar chart of the list sizes of {name}'s {len(frame)} practice lines in {_src(prac.iloc[0]).split(',')[0]}, "
           f"largest first: from {big['Practice']} with {style.fmt_number(big['Registered patients'])} to {small['Practice']} with "
           f"{style.fmt_number(small['Registered patients'])}. Median {style.fmt_number(frame['Registered patients'].median())}.")
    caption = f"{name}: registered list size of each member practice, with its locality in brackets."
    return _chart(fig, f"dem-prac-{area_code.lower()}", caption, alt, frame[["Practice", "Locality", "Registered patients"]],
                  ("Registered patients",), download=frame)


def localities_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _locality_facts(area_code, data)
    if f.empty:
        return None
    computed = {}
    for r in locality_totals(area_code, data).itertuples():
        stated = data.facts.set_index("fact_id").loc[r.fact_id]
        what = "sum of the locality totals" if r.group == area_code else f"sum of its {r.practices} practice lists"
        computed[r.fact_id] = f"{what}: {style.fmt_number(r.recomputed_total)} ({judge(r.recomputed_total, stated)})"
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: localities and practices, as printed, with the book's sums",
                        f"dem-loc-facts-{area_code.lower()}", data, computed)


# =================================================================================================
# Housing-led growth
# =================================================================================================

def housing_frame(area_code: str, data: BookData) -> pd.DataFrame:
    """Each housing development: dwellings, occupancy and new residents as printed, and
    residents recomputed as dwellings x occupancy (where the occupancy is printed)."""
    f = _select(area_code, HOUSING, data=data)
    dev = f[f["measure_id"].isin(["proposed_dwellings", "occupants_per_dwelling", "new_residents_housing_growth"])
            & (f["area_code"].map(_types(data)) == "locality")]
    rows = []
    for code, g in dev.groupby("area_code", sort=False):
        d, o, r = (_one(g, measure_id=m) for m in ("proposed_dwellings", "occupants_per_dwelling", "new_residents_housing_growth"))
        rows.append({"area_code": code, "dwellings": d["value"] if d is not None else np.nan,
                     "occupancy": o["value"] if o is not None else np.nan, "residents": r["value"] if r is not None else np.nan,
                     "dwellings_printed": d["printed"] if d is not None else "not published",
                     "occupancy_printed": o["printed"] if o is not None else "not published",
                     "residents_printed": r["printed"] if r is not None else "not published",
                     "residents_fact": r["fact_id"] if r is not None else ""})
    frame = pd.DataFrame(rows, columns=["area_code", "dwellings", "occupancy", "residents", "dwellings_printed",
                                        "occupancy_printed", "residents_printed", "residents_fact"])
    return dm.housing_growth(frame)


def housing_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    f = _select(area_code, HOUSING, comparators=("housing_growth_anticipated",), data=data)
    if f.empty:
        return _nothing(area_code, "housing-led population growth", data)
    text = []
    facts = data.facts.set_index("fact_id")
    frame = housing_frame(area_code, data)
    for r in frame.itertuples():
        where = _short(r.area_code, data)
        if pd.notna(r.residents_recomputed):
            text.append(f"{where}: {r.dwellings_printed} dwellings × {r.occupancy_printed} occupants = "
                        f"{style.fmt_number(r.residents_recomputed)} new residents, printed as {r.residents_printed} "
                        f"({judge(r.residents_recomputed, facts.loc[r.residents_fact])}).")
        elif pd.notna(r.residents):
            text.append(f"{where}: {r.dwellings_printed} dwellings and {r.residents_printed} new residents; the paper prints no "
                        f"occupancy for this scheme, and its figures imply {r.occupancy_implied:.2f} people per dwelling.")
        else:
            text.append(f"{where}: {r.dwellings_printed} dwellings; the paper gives no number of new residents for this scheme.")
    dev_total = frame["residents"].sum()
    overall = f[f["measure_id"].isin(["new_residents_housing_growth", "population_growth_housing_developments"])
                & (f["area_code"].map(_types(data)) == "district")]
    if len(frame) and len(overall):
        parts = frame[frame["residents"].notna()]
        tol = sum(checks.tolerance(str(facts.loc[i, "value_text"]), facts.loc[i, "status"]) for i in parts["residents_fact"])
        diff = dev_total - overall["value"].iloc[0]
        text.append(f"The development estimates with a residents figure add up to {style.fmt_number(dev_total)}; the papers' "
                    "overall figure for the area is " + " and ".join(f"{r['printed']} ({_src(r)})" for _, r in overall.iterrows())
                    + f": the sum is {style.fmt_number(abs(diff))} {'above' if diff > 0 else 'below'} it "
                    f"({judge(dev_total, overall.iloc[0], tol)} within the precision of figures printed as approximate).")
        total_pop = _one(data.facts, area_code=area_code, measure_id="population_resident", source_id=overall.iloc[0]["source_id"])
        if total_pop is not None:
            text.append(f"Set against the CCG's {total_pop['printed']} population ({_src(total_pop)}), {overall['printed'].iloc[0]} "
                        f"new residents would be {_pct(dm.share_pct(overall['value'].iloc[0], total_pop['value']))} more people "
                        "(computed by the book).")
    anticipated = f[f["measure_id"] == "housing_growth_anticipated"]
    if len(anticipated):
        line = (f"{name}'s plan cites anticipated housing growth of " + ", against ".join(
            f"{r['printed']} for {report.area_name(r['area_code'], data)}" for _, r in anticipated.iterrows())
            + f" over {period_text(anticipated['period'].iloc[0])} ({_src(anticipated.iloc[0])}): growth outside Essex, cited for "
            "its effect on the local acute trust")
        share = _one(data.facts, measure_id="provider_activity_share_from_hertfordshire", source_id=anticipated["source_id"].iloc[0],
                     table=anticipated["table"].iloc[0])
        if share is not None:
            line += f", {report.area_name(share['area_code'], data)}, which takes {share['printed']} of its activity from Hertfordshire"
        text.append(line + ".")
    return Markdown(" ".join(text))


def housing_chart(page: PageData) -> charts.Chart | None:
    """New residents per development: printed against dwellings x occupancy. None when
    the papers give no development with both."""
    area_code = page.area
    data = page.published.data
    frame = housing_frame(area_code, data)
    if frame.empty or frame["residents"].notna().sum() < 1:
        return None
    name = report.area_name(area_code, data)
    shown = frame[frame["residents"].notna()]
    rows = []
    for r in shown.itertuples():
        where = _short(r.area_code, data).split(" (")[0]
        rows.append({"Development": where, "Estimate": "Printed new residents", "People": r.residents, "fact_id": r.residents_fact})
        if pd.notna(r.residents_recomputed):
            rows.append({"Development": where, "Estimate": "Dwellings × occupancy (computed by the book)",
                         "People": r.residents_recomputed, "fact_id": ""})
    long = pd.DataFrame(rows)
    fig = charts.grouped_bar(long, "Development", "People", "Estimate", f"{name}: new residents from proposed housing", "New residents")
    alt = (f"Grouped bar chart of new residents from proposed housing developments in {name}: "
           + "; ".join(f"{d}, {e.lower()}: {style.fmt_number(p)}" for d, e, p in zip(long["Development"], long["Estimate"], long["People"]))
           + ".")
    caption = (f"{name}: new residents per housing development as printed and recomputed as dwellings × occupancy "
               "(where the paper prints an occupancy).")
    return _chart(fig, f"dem-housing-{area_code.lower()}", caption, alt, long[["Development", "Estimate", "People"]], ("People",),
                  download=long)


def housing_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _select(area_code, HOUSING, comparators=("housing_growth_anticipated",), data=data)
    if f.empty:
        return None
    computed = {}
    facts = data.facts.set_index("fact_id")
    for r in housing_frame(area_code, data).itertuples():
        if not r.residents_fact:
            continue
        if pd.notna(r.residents_recomputed):
            computed[r.residents_fact] = (f"{style.fmt_number(r.residents_recomputed)} = dwellings × occupancy "
                                          f"({judge(r.residents_recomputed, facts.loc[r.residents_fact])})")
        else:
            computed[r.residents_fact] = f"implies {r.occupancy_implied:.2f} occupants per dwelling (no occupancy printed)"
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: housing-led growth, as printed",
                        f"dem-housing-facts-{area_code.lower()}", data, computed)


