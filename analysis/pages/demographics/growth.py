"""Demographics pages: registered population projections and growth rates.
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
from analysis.pages.demographics.common import (
    GROWTH, COUNTY_GROWTH, _types, _is_county, _ordered, _select, _one, period_text, _short, _pct, _lower_first,
    _src, _nothing, judge, _facts_table, _chart, _highlight, _district_rows,
)


def projection_series(area_code: str, data: BookData) -> pd.DataFrame:
    """A CCG's registered population projections (all ages and 75+) by year, from the
    table that prints them with their base year."""
    f = data.facts
    fam = report.area_family(area_code, data)
    proj = f[f["area_code"].isin(fam) & f["measure_id"].isin(["population_registered_projection", "population_registered_75_plus_projection"])]
    rows = []
    for (source, table), g in proj.groupby(["source_id", "table"], sort=True):
        code = g["area_code"].iloc[0]
        for series, base_m, proj_m in (("All ages", "population_registered", "population_registered_projection"),
                                       ("Aged 75+", "population_registered_75_plus", "population_registered_75_plus_projection")):
            base = f[(f["area_code"] == code) & (f["measure_id"] == base_m) & (f["source_id"] == source) & (f["table"] == table)]
            pts = pd.concat([base, g[g["measure_id"] == proj_m]])
            for _, r in pts.iterrows():
                rows.append({"series": series, "year": int(r["period"][:4]), "population": r["value"], "fact_id": r["fact_id"],
                             "source_id": source, "table": table})
    out = pd.DataFrame(rows, columns=["series", "year", "population", "fact_id", "source_id", "table"])
    # One figure a year: where a table prints two (a mid-year estimate and a count), the first is kept.
    out = out.drop_duplicates(["series", "year", "source_id", "table"])
    return out.sort_values(["series", "year"], kind="stable").reset_index(drop=True)


def stated_rates(area_code: str, data: BookData) -> pd.DataFrame:
    """The paper's stated average annual growth rates beside the book's CAGR from
    the same table's figures (England's rates, where printed, alongside)."""
    series = projection_series(area_code, data)
    f = _select(area_code, ("population_avg_annual_growth", "population_75_plus_avg_annual_growth"),
                comparators=("population_avg_annual_growth", "population_75_plus_avg_annual_growth"), data=data)
    rows = []
    for _, r in f[f["area_code"].map(_types(data)) != "country"].iterrows():  # England's rates sit alongside
        name = "Aged 75+" if "75" in r["measure_id"] else "All ages"
        start, end = (int(y) for y in r["period"].split("-"))
        s = series[series["series"] == name].set_index("year")["population"]
        eng = _one(f, area_code="E92000001", measure_id=r["measure_id"], period=r["period"])
        if start not in s.index or end not in s.index:
            continue
        rows.append({"series": name, "period": r["period"], "start": s[start], "end": s[end],
                     "cagr": dm.cagr(s[start], s[end], end - start), "printed": r["value"], "printed_text": r["printed"],
                     "fact_id": r["fact_id"], "england": eng["value"] if eng is not None else np.nan,
                     "england_fact": eng["fact_id"] if eng is not None else ""})
    return pd.DataFrame(rows, columns=["series", "period", "start", "end", "cagr", "printed", "printed_text", "fact_id",
                                       "england", "england_fact"])


def _growth_facts(area_code: str, data: BookData) -> pd.DataFrame:
    if _is_county(area_code, data):
        # The national rates printed beside one CCG's figures stay on that CCG's page.
        return _select(area_code, COUNTY_GROWTH, data=data)
    f = _select(area_code, GROWTH, comparators=("population_growth_pct", "population_projected_growth", "population_avg_annual_growth",
                                                "population_75_plus_avg_annual_growth", "population_resident"), data=data)
    # The county passage's "1.42m to 1.74m" rows come with its growth figure.
    keep = f["measure_id"].isin(GROWTH) | (f["area_code"].isin(["ESSEX-CCGS"]) & (f["measure_id"] == "population_resident"))
    return f[keep]


def growth_rows(area_code: str, data: BookData) -> pd.DataFrame:
    """Every total growth figure with a stated period, put on an annual basis by the book."""
    f = _growth_facts(area_code, data)
    g = f[f["measure_id"].isin(["population_growth_pct", "population_projected_growth", "population_65_plus_growth",
                                "population_75_plus_growth"])]
    frame = pd.DataFrame({
        "fact_id": g["fact_id"].values, "area_code": g["area_code"].values, "measure_id": g["measure_id"].values,
        "period": g["period"].values, "printed": g["printed"].values,
        "total_change": g["value"].values, "years": [dm.span_years(p) for p in g["period"]],
    })
    frame["years"] = pd.to_numeric(frame["years"], errors="coerce")
    return dm.growth_table(frame)


def _growth_label(row, data: BookData) -> str:
    who = {"population_65_plus_growth": ", aged 65+", "population_75_plus_growth": ", aged 75+"}.get(row["measure_id"], "")
    return f"{_short(row['area_code'], data)}{who}, {period_text(row['period'])}"


def growth_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    f = _growth_facts(area_code, data)
    own = f[f["area_code"].isin(report.area_family(area_code, data))]
    if own.empty:
        return _nothing(area_code, "population projection or growth rate", data)
    text = []
    rates = stated_rates(area_code, data)
    for r in rates.itertuples():
        fact = data.facts.set_index("fact_id").loc[r.fact_id]
        line = (f"{r.series}: the registered population goes from {style.fmt_number(r.start)} to {style.fmt_number(r.end)} over "
                f"{period_text(r.period)}, a compound annual growth rate of {_pct(r.cagr, 2)} by the book's reckoning; "
                f"the paper prints {r.printed_text} ({judge(r.cagr, fact)})")
        if pd.notna(r.england):
            compare = "faster than" if round(r.cagr, 1) > r.england else ("the same as" if round(r.cagr, 1) == r.england else "slower than")
            line += f", {compare} the England rate of {_pct(r.england)} it prints beside it"
        start, end = (int(y) for y in r.period.split("-"))
        projected = dm.project(r.start, r.printed, end - start)
        line += (f". Grown at the printed {r.printed_text} a year, {style.fmt_number(r.start)} would reach "
                 f"{style.fmt_number(projected)} by {end}, against the {style.fmt_number(r.end)} the table prints")
        text.append(line + ".")
    g = growth_rows(area_code, data)
    fam = set(report.area_family(area_code, data))
    for _, r in g.iterrows():
        row = f.set_index("fact_id").loc[r["fact_id"]]
        who = _growth_label(row, data)
        district = " (district figure)" if _types(data).get(r["area_code"]) == "district" else ""
        if r["area_code"] not in fam:
            continue
        if pd.notna(r["annual_rate"]):
            text.append(f"{who}{district}: {r['printed']} in total ({_src(row)}), which the book puts at "
                        f"{_pct(r['annual_rate'], 2)} a year compounded over {int(r['years'])} years.")
        else:
            text.append(f"{who}{district}: {r['printed']} ({_src(row)}); the paper does not give the base year, "
                        "so the book does not put it on an annual basis.")
    comp = g[~g["area_code"].isin(fam)]
    if len(comp):
        text.append("For comparison the same passage gives " + "; ".join(
            f"{_growth_label(f.set_index('fact_id').loc[i], data)}: {p}"
            + (f" ({_pct(a, 2)} a year)" if pd.notna(a) else "")
            for i, p, a in zip(comp["fact_id"], comp["printed"], comp["annual_rate"])) + ".")
    for _, r in own[own["measure_id"] == "population_increase_projected"].iterrows():
        text.append(f"District figure: {_short(r['area_code'], data)} expects {_lower_first(r['printed'])} more residents by "
                    f"{r['period']} ({_src(r)}).")
    return Markdown(" ".join(text))


def growth_chart(page: PageData) -> charts.Chart | None:
    """Registered population projections as an index (base year = 100) with England at its
    printed rate; otherwise the annualised growth rates, when there are at least two."""
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    series = projection_series(area_code, data)
    if len(series):
        base_year = int(series["year"].min())
        idx = series.copy()
        # Each series from its own first year (the base year, where it is printed then).
        first = {s: part.sort_values("year")["population"].iloc[0] for s, part in idx.groupby("series")}
        idx["index"] = [100 * p / first[s] for s, p in zip(idx["series"], idx["population"])]
        lines = [idx.assign(label=name + ", " + idx["series"].str.lower())[["label", "year", "index", "population", "fact_id"]]]
        for r in stated_rates(area_code, data).itertuples():
            if pd.isna(r.england):
                continue
            start, end = (int(y) for y in r.period.split("-"))
            years = list(range(start, end + 1))
            lines.append(pd.DataFrame({
                "label": f"England, {r.series.lower()}, at its printed {_pct(r.england)} a year",
                "year": years, "index": [dm.project(100, r.england, y - start) for y in years],
                "population": np.nan, "fact_id": r.england_fact}))
        frame = pd.concat(lines, ignore_index=True)
        dashed = tuple(lbl for lbl in frame["label"].unique() if lbl.startswith("England"))
        fig = charts.lines(frame, "year", "index", "label", f"{name}: registered population projection ({base_year} = 100)",
                           f"Index, {base_year} = 100", dashed=dashed)
        last = idx[idx["year"] == idx["year"].max()]
        alt = (f"Line chart of {name}'s registered population as an index ({base_year} = 100): "
               + "; ".join(f"{s.lower()} reaches {i:.1f} by {y} ({style.fmt_number(p)} people)"
                           for s, i, y, p in zip(last["series"], last["index"], last["year"], last["population"]))
               + ". Dashed lines: England grown at the average annual rates the paper prints ("
               + ", ".join(dict.fromkeys(d.split(" at its printed ")[1].replace(" a year", "") for d in dashed)) + " a year).")
        table = frame.assign(index=frame["index"].round(1))
        table = table.rename(columns={"label": "Series", "year": "Year", "index": "Index", "population": "Population"})
        caption = (f"{name}: registered population projections (all ages and 75+) as an index, base {base_year}; England lines "
                   "are the paper's printed average rates compounded by the book.")
        return _chart(fig, f"dem-growth-{area_code.lower()}", caption, alt, table[["Series", "Year", "Index", "Population"]],
                      ("Year", "Index", "Population"), download=table)
    g = growth_rows(area_code, data).dropna(subset=["annual_rate"])
    fam = set(report.area_family(area_code, data))
    if len(g) < 2 or not fam & set(g["area_code"]):
        return None
    facts = data.facts.set_index("fact_id")
    frame = pd.DataFrame({"Figure": [_growth_label(facts.loc[i], data) for i in g["fact_id"]],
                          "Per cent a year": g["annual_rate"].round(2).values, "Total change as printed": g["printed"].values,
                          "fact_id": g["fact_id"].values})
    fig = charts.bar(frame, "Figure", "Per cent a year", f"{name}: projected growth, per cent a year", "% a year (compound)", horizontal=True)
    if not _is_county(area_code, data):
        _highlight(fig, [a in fam for a in g["area_code"]])
    fig.update_layout(height=160 + 45 * len(frame))
    alt = ("Horizontal bar chart of projected population growth put on a compound annual basis by the book: "
           + "; ".join(f"{a}: {_pct(b, 2)} a year ({c} in total)" for a, b, c in zip(frame["Figure"], frame["Per cent a year"],
                                                                                frame["Total change as printed"])) + ".")
    caption = (f"{name}: projected growth as the papers print it (total change over a stated period), put on a compound annual "
               "basis by the book so periods of different length compare.")
    return _chart(fig, f"dem-growth-{area_code.lower()}", caption, alt, frame[["Figure", "Total change as printed", "Per cent a year"]],
                  ("Per cent a year",), download=frame)


def growth_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _growth_facts(area_code, data)
    own = f[f["area_code"].isin(report.area_family(area_code, data))] if not _is_county(area_code, data) else f
    if own.empty:
        return None
    # The base-year counts of a projection table are part of the projection.
    series = projection_series(area_code, data) if not _is_county(area_code, data) else pd.DataFrame(columns=["fact_id"])
    extra = data.facts[data.facts["fact_id"].isin(series["fact_id"]) & ~data.facts["fact_id"].isin(f["fact_id"])]
    f = _ordered(pd.concat([f, extra]))
    computed = {}
    for r in growth_rows(area_code, data).itertuples():
        computed[r.fact_id] = (f"{_pct(r.annual_rate, 2)} a year over {int(r.years)} years" if pd.notna(r.annual_rate)
                               else "base year not stated: not annualised")
    for r in stated_rates(area_code, data).itertuples():
        computed[r.fact_id] = f"CAGR {_pct(r.cagr, 2)} from the table's figures ({judge(r.cagr, data.facts.set_index('fact_id').loc[r.fact_id])})"
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: projections and growth rates, as printed, with the book's annual rates",
                        f"dem-growth-facts-{area_code.lower()}", data, computed)


def district_growth_chart(page: PageData) -> charts.Chart | None:
    """Population growth to 2035 in the districts the county paper names; the page's own
    districts highlighted. None when none of them is in the CCG."""
    area_code = page.area
    data = page.published.data
    rows = _district_rows(area_code, "population_growth_pct", data)
    if rows is None:
        return None
    g, own, labels = rows
    frame = pd.DataFrame({"District": labels, "Growth (%)": g["value"].values, "As printed": g["printed"].values,
                          "By": g["period"].values, "fact_id": g["fact_id"].values})
    fig = charts.bar(frame, "District", "Growth (%)", "Projected population growth by district, to 2035", "% growth", horizontal=True)
    if not _is_county(area_code, data):
        _highlight(fig, own)
    fig.update_layout(height=320)
    alt = ("Horizontal bar chart of projected population growth to 2035 in the three districts paper 001 names: "
           + "; ".join(f"{d}: {p}" for d, p in zip(frame["District"], frame["As printed"])) + ". The base year is not stated.")
    caption = ("Projected population growth to 2035 in the districts paper 001 names (section 3.2.2, line 433): "
               "the highest two and the lowest. District figures; base year not stated.")
    return _chart(fig, f"dem-district-growth-{area_code.lower()}", caption, alt,
                  frame[["District", "As printed", "By"]], (), download=frame)


