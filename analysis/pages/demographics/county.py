"""The county demographics page (Essex County Council area, E10000012): the
Essex-wide sections that CCG pages do not have.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import checks
from analysis.pages import report
from analysis.data import units
from analysis.models import demographics as dm
from analysis.data import BookData
from analysis.pages.pagedata import PageData
from analysis.pages.demographics.common import (
    COUNTY, COUNTY_AGE, VULNERABLE, _types, _ccg_of, _select, _one, period_text, _short, _pct, _signed_points,
    _lower_first, _signed_pct, _src, judge, _facts_table, _chart,
)
from analysis.pages.demographics.growth import growth_rows

GREATER_ESSEX = "GREATER-ESSEX"  # the county with Southend and Thurrock
ESSEX_CCGS = "ESSEX-CCGS"        # the five CCGs of the county council area


def county_population_sentence(page: PageData) -> Markdown:
    data = page.published.data
    u = units.unit_table(data.units)
    now = page.lookup("population_resident", "2014", area=GREATER_ESSEX)
    extra = page.lookup("population_increase", "2031", area=GREATER_ESSEX)
    fig2 = page.lookup("population_ons_projection", "2013", area=GREATER_ESSEX)
    ecc13 = page.lookup("population_resident", "2013", area=ESSEX_CCGS)
    ecc30 = page.lookup("population_resident", "2030", area=ESSEX_CCGS)
    growth = page.lookup("population_growth_pct", "2013-2030", area=ESSEX_CCGS)
    # England and the region are printed over 2010-2030, beside the five CCGs' 2013-2030
    beside = [page.lookup("population_growth_pct", "2010-2030", area=c) for c in ("E92000001", "REGION-EAST-OF-ENGLAND")]
    now_n = units.convert(now["value"], now["unit"], "count", u)
    a, b = (units.convert(r["value"], r["unit"], "count", u) for r in (ecc13, ecc30))
    change = dm.total_change_pct(a, b)
    text = (f"Greater Essex (the county with Southend and Thurrock) has {now['printed']} people ({_src(now)}); the ONS 2013 "
            f"projection in {_src(fig2)} gives {fig2['printed']}. By 2031 it must absorb {extra['printed']} more residents "
            f"({_src(extra)}): {_pct(dm.share_pct(extra['value'], now_n))} more than today's 1.74 million (computed by the book; "
            "the paper does not give the base year). "
            f"The five CCGs of the county council area are projected to grow by {growth['printed']}, from {ecc13['printed']} in 2013 "
            f"to {ecc30['printed']} by 2030 ({_src(growth)}). Recomputed from those rounded populations the rise is "
            f"{_pct(change)} against the printed {growth['printed']} "
            f"({judge(change, growth, _growth_input_tolerance(a, b, ecc13, ecc30, u))} within the rounding of the populations). Note that the same 1.74 million is the whole of Greater "
            "Essex today and the five-CCG area in 2030. Put on an annual basis by the book, the five CCGs' growth is "
            f"{_pct(dm.annualised_rate(growth['value'], dm.span_years(growth['period'])), 2)} a year over "
            f"{period_text(growth['period'])}, against the "
            + " and ".join(f"{report.area_name(r['area_code'], data)} {r['printed']} over {period_text(r['period'])} "
                           f"({_pct(dm.annualised_rate(r['value'], dm.span_years(r['period'])), 2)} a year)"
                           for r in beside)
            + " printed beside it.")
    return Markdown(text)


def _growth_input_tolerance(a: float, b: float, ra, rb, u) -> float:
    """How far the rounding of two printed populations can move the % change between them."""
    ta = units.convert(checks.tolerance(str(ra["value_text"]), ra["status"]), ra["unit"], "count", u)
    tb = units.convert(checks.tolerance(str(rb["value_text"]), rb["status"]), rb["unit"], "count", u)
    return checks.propagated_tolerance(lambda x: dm.total_change_pct(x[0], x[1]), [a, b], [ta, tb])


def county_growth_chart(page: PageData) -> charts.Chart:
    """Projected growth of the five Essex CCGs, the East of England and England on one annual basis."""
    data = page.published.data
    g = growth_rows(COUNTY, data)
    g = g[g["area_code"].isin(["ESSEX-CCGS", "E92000001", "REGION-EAST-OF-ENGLAND"])]
    frame = pd.DataFrame({
        "Area": [report.area_name(a, data) for a in g["area_code"]],
        "Period": [period_text(p) for p in g["period"]],
        "Total growth as printed": g["printed"].values,
        "Per cent a year": g["annual_rate"].round(2).values,
        "fact_id": g["fact_id"].values,
    }).sort_values("Per cent a year", ascending=False, kind="stable")
    fig = charts.bar(frame, "Area", "Per cent a year", "Projected population growth, per cent a year", "% a year (compound)",
                     horizontal=True)
    fig.update_layout(height=300)
    alt = ("Horizontal bar chart of projected population growth put on a compound annual basis by the book: "
           + "; ".join(f"{a}: {p} over {t} = {_pct(r, 2)} a year" for a, p, t, r in zip(frame["Area"], frame["Total growth as printed"],
                                                                                   frame["Period"], frame["Per cent a year"])) + ".")
    caption = ("Projected population growth (001 section 3.2.2, line 433) as printed over periods of different length, put on a "
               "compound annual basis by the book.")
    return _chart(fig, "dem-county-growth", caption, alt, frame[["Area", "Period", "Total growth as printed", "Per cent a year"]],
                  ("Per cent a year",), download=frame)


def county_age_frame(data: BookData) -> pd.DataFrame:
    """Figure 5's commentary: working-age and 65+ shares in 2011 and 2030, with the change
    in percentage points and as a relative change."""
    f = data.facts
    rows = []
    for measure, label in (("population_share_working_age_20_64", "Working age (20-64)"), ("population_share_65_plus", "Aged over 65")):
        before = _one(f, area_code=COUNTY, measure_id=measure, period="2011")
        after = _one(f, area_code=COUNTY, measure_id=measure, period="2030")
        rows.append({"group": label, "share_2011": before["value"], "share_2030": after["value"],
                     "fact_2011": before["fact_id"], "fact_2030": after["fact_id"]})
    return dm.age_share_change(pd.DataFrame(rows), "share_2011", "share_2030")


def county_age_sentence(page: PageData) -> Markdown:
    data = page.published.data
    ages = county_age_frame(data)
    wa, old = ages.iloc[0], ages.iloc[1]
    p85a, p85b = (page.lookup("population_85_plus", y, area=GREATER_ESSEX) for y in ("2014", "2031"))
    older = page.lookup("population_share_older_people", "2031", area=GREATER_ESSEX)
    wac = page.lookup("working_age_population_pct_change", "2031", area=GREATER_ESSEX)
    text = (f"Between 2011 and 2030 the working-age share (20-64) of Essex's population falls from {_pct(wa.share_2011, 0)} to "
            f"{_pct(wa.share_2030, 0)} and the share aged over 65 rises from {_pct(old.share_2011, 0)} to {_pct(old.share_2030, 0)} "
            "(001 line 441, commentary on Figure 5). The paper gives the shares before and after, so its change is in percentage "
            "points; the book gives it both ways: "
            f"{_signed_points(wa.change_points)} ({_signed_pct(wa.relative_change_pct)} relative) for working age and "
            f"{_signed_points(old.change_points)} ({_signed_pct(old.relative_change_pct)} relative) "
            f"for over-65s. The executive summary (line 419) instead says the older population grows to {older['printed']} by 2031 "
            f"(age threshold not stated) with a {wac['printed']} in the working-age group; it does not say whether that 15% is a change in "
            f"number or in share, and it matches neither the {abs(wa.change_points):.0f}-point nor the {_pct(abs(wa.relative_change_pct))} relative fall in share. "
            f"The number of people over 85 goes from {p85a['printed']} to {p85b['printed']} ({_src(p85b)}): "
            f"{p85b['value'] / p85a['value']:.2f} times as many, so \"more than double\" holds; if the starting year is "
            f"{p85a['period']} (the paper's own year; it does not say) that is "
            f"{_pct(dm.cagr(p85a['value'], p85b['value'], int(p85b['period']) - int(p85a['period'])))} a year compounded.")
    chronic = [page.lookup("pct_aged_65_plus_with_chronic_condition", "2013", b, area="NATIONAL") for b in ("one or more", "2 or more")]
    bladder = page.lookup("people_with_weekly_bladder_problem", "2013/14")
    text += (f" Nationally, {chronic[0]['printed']} of over-65s have one or more chronic conditions and {chronic[1]['printed']} two or "
             f"more ({_src(chronic[0])}); {_lower_first(bladder['printed'])} people in Essex have a bladder problem at least once a week ({_src(bladder)}).")
    return Markdown(text)


def county_age_chart(page: PageData) -> charts.Chart:
    data = page.published.data
    ages = county_age_frame(data)
    long = pd.concat([
        pd.DataFrame({"Age group": ages["group"], "Year": "2011", "Per cent": ages["share_2011"], "fact_id": ages["fact_2011"]}),
        pd.DataFrame({"Age group": ages["group"], "Year": "2030 (forecast)", "Per cent": ages["share_2030"], "fact_id": ages["fact_2030"]}),
    ], ignore_index=True)
    fig = charts.grouped_bar(long, "Age group", "Per cent", "Year", "Essex: population shares, 2011 and 2030", "% of population")
    alt = ("Grouped bar chart of Essex's population shares: working age (20-64) "
           f"{_pct(ages['share_2011'].iloc[0], 0)} in 2011 and {_pct(ages['share_2030'].iloc[0], 0)} in 2030; aged over 65 "
           f"{_pct(ages['share_2011'].iloc[1], 0)} in 2011 and {_pct(ages['share_2030'].iloc[1], 0)} in 2030.")
    caption = "Essex population shares by age group, 2011 actual and 2030 forecast (001 line 441, commentary on Figure 5)."
    return _chart(fig, "dem-county-age", caption, alt, long[["Age group", "Year", "Per cent"]], ("Per cent",), download=long)


def county_age_table(page: PageData) -> charts.Table:
    data = page.published.data
    f = _select(COUNTY, COUNTY_AGE, data=data)
    computed = {}
    for r in county_age_frame(data).itertuples():
        computed[r.fact_2030] = f"{_signed_points(r.change_points)} since 2011; {_signed_pct(r.relative_change_pct)} relative"
    p85 = f[f["measure_id"] == "population_85_plus"].sort_values("period")
    if len(p85) == 2:
        y0, y1 = int(p85["period"].iloc[0]), int(p85["period"].iloc[1])
        computed[p85["fact_id"].iloc[1]] = (f"{p85['value'].iloc[1] / p85['value'].iloc[0]:.2f} times the earlier figure; "
                                            f"{_pct(dm.cagr(p85['value'].iloc[0], p85['value'].iloc[1], y1 - y0))} a year if from {y0}")
    return _facts_table(f, COUNTY, "Essex: age structure and older people, as printed, with the book's changes",
                        "dem-county-age-facts", data, computed)


def district_growth_sentence(page: PageData) -> Markdown:
    data = page.published.data
    f = data.facts
    g = f[(f["measure_id"] == "population_growth_pct") & (f["area_code"].map(_types(data)) == "district")]
    g = g.sort_values("value", ascending=False)
    return Markdown(
        "Paper 001 names the districts with the highest and lowest projected population growth by 2035: "
        + "; ".join(f"{_short(r['area_code'], data)} ({report.area_name(_ccg_of(r['area_code'], data), data)}) {r['printed']}"
                    for _, r in g.iterrows())
        + f" ({_src(g.iloc[0])}). The base year is not stated, so the book does not put these on an annual basis.")


def vulnerable_sentence(page: PageData) -> Markdown:
    pop = page.lookup("population_ons_projection", "2013", area=ESSEX_CCGS)
    nw, nwe = page.lookup("population_non_white_pct", "2014"), page.lookup("population_non_white_pct", "2014", area="E92000001")
    gt, gtr = (page.lookup(m, "2014") for m in ("gypsy_traveller_population", "gypsy_traveller_population_rank_britain"))
    hl = page.lookup("homeless_people", "2014")
    short = page.lookup("gypsy_traveller_life_expectancy_shortfall", "2014", "min")
    text = (f"Essex is less ethnically diverse than England: {nw['printed']} of residents are from a non-white background against "
            f"{nwe['printed']} for England ({_src(nw)}). It has the {gtr['printed']} population of Gypsies and Travellers in Britain, "
            f"{gt['printed']}, who live {short['printed']} less than the general population; at least {hl['printed'].replace('At least ', '')} "
            f"people are thought to be homeless ({_src(hl)}). Per 1,000 residents of the county council area (the book uses the "
            f"{pop['printed']} ONS 2013 projection for the five CCGs, {_src(pop)}) that is "
            f"{dm.per_1000(gt['value'], pop['value']):.1f} Gypsies and Travellers and {dm.per_1000(hl['value'], pop['value']):.1f} "
            "homeless people. A survey of homeless people in Essex found high levels of mental illness, substance misuse and smoking "
            "(chart below).")
    return Markdown(text)


def vulnerable_chart(page: PageData) -> charts.Chart:
    data = page.published.data
    f = data.facts
    s = f[f["measure_id"] == "homeless_survey_prevalence_pct"].sort_values(["value", "fact_id"], ascending=[False, True])
    frame = pd.DataFrame({"Reported": [b[0].upper() + b[1:] for b in s["breakdown"]], "Per cent": s["value"].values,
                          "As printed": s["printed"].values, "fact_id": s["fact_id"].values})
    fig = charts.bar(frame, "Reported", "Per cent", "Homeless people in Essex: health problems reported", "% of those surveyed",
                     horizontal=True)
    fig.update_layout(height=300)
    alt = ("Horizontal bar chart of the share of homeless people surveyed in Essex reporting each problem: "
           + "; ".join(f"{r}: {_pct(p, 0)}" for r, p in zip(frame["Reported"], frame["Per cent"])) + ".")
    caption = "Share of homeless people surveyed in Essex reporting each health problem (001 section 3.2.3, line 481)."
    return _chart(fig, "dem-county-homeless", caption, alt, frame[["Reported", "Per cent"]], ("Per cent",), download=frame)


def vulnerable_table(page: PageData) -> charts.Table:
    data = page.published.data
    f = _select(COUNTY, VULNERABLE, data=data)
    pop = page.lookup("population_ons_projection", "2013", area=ESSEX_CCGS)
    computed = {}
    for _, r in f[f["measure_id"].isin(["gypsy_traveller_population", "homeless_people"])].iterrows():
        computed[r["fact_id"]] = f"{dm.per_1000(r['value'], pop['value']):.1f} per 1,000 on the ECC area's ONS 2013 population"
    return _facts_table(f, COUNTY, "Essex: vulnerable groups and inequalities, as printed", "dem-county-vulnerable", data, computed)


