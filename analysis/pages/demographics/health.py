"""Demographics pages: deprivation, health (dementia, life expectancy, obesity,
smoking) and the GP workforce per head.
"""
from __future__ import annotations

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
    COUNTY, DEPRIVATION, LIFE_EXPECTANCY, HEALTH, WORKFORCE, _types, _is_county, _ordered, _select, _one,
    period_text, _short, _lower_first, _src, _nothing, _facts_table, _chart, _highlight, _district_rows,
)


def deprivation_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    name = report.area_name(area_code, data)
    f = _select(area_code, DEPRIVATION, data=data)
    if f.empty:
        return _nothing(area_code, "deprivation rank or count", data)
    text = []
    for _, r in f.iterrows():
        m = r["measure_id"]
        who = _short(r["area_code"], data) + (" (district)" if _types(data).get(r["area_code"]) == "district" else "")
        if m == "imd_rank_ccg":
            text.append(f"On the 2010 Index of Multiple Deprivation {name} ranks {r['printed']} of 212 CCGs (1 = most deprived; "
                        f"{_src(r)}): quintile {dm.rank_quintile(int(r['value']), 212)} of 5, where 1 is the most deprived fifth "
                        "(computed by the book).")
        elif m == "imd_rank_la":
            q = dm.rank_quintile(int(r["value"]), 326)
            text.append(f"{who} ranks {r['printed']} of 326 local authority areas (quintile {q} of 5, where 1 is the most deprived fifth; "
                        f"{_src(r)}).")
        elif m == "pct_population_in_most_deprived_20pct_lsoas":
            text.append(f"{r['printed']} of {name}'s population lives in an LSOA among England's 20% most deprived ({_src(r)}).")
        elif m == "lsoas_in_most_deprived_20pct":
            text.append(f"{who} has {r['printed']} LSOA(s) in England's most deprived fifth in {r['period']} ({_src(r)}).")
        elif m == "children_in_poverty":
            text.append(f"{r['printed']} children live in poverty in {who} ({_src(r)}).")
        elif m == "lsoa_population":
            text.append(f"An LSOA, the small area these counts use, holds {r['printed']} ({_src(r)}); the most deprived LSOA in England "
                        "is Jaywick, in Tendring district (North East Essex CCG).")
    return Markdown(" ".join(text))


def deprivation_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _select(area_code, DEPRIVATION, data=data)
    if f.empty:
        return None
    computed = {}
    for _, r in f[f["measure_id"].isin(["imd_rank_ccg", "imd_rank_la"])].iterrows():
        of = 212 if r["measure_id"] == "imd_rank_ccg" else 326
        computed[r["fact_id"]] = f"quintile {dm.rank_quintile(int(r['value']), of)} of 5 (1 = most deprived fifth of {of})"
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: deprivation, as printed",
                        f"dem-dep-facts-{area_code.lower()}", data, computed)


# =================================================================================================
# Health: dementia, life expectancy, obesity and smoking
# =================================================================================================

PHRASE = {
    "life_expectancy_at_birth_male": "a boy born in {who} can expect to live to {printed}",
    "life_expectancy_at_birth_female": "a girl born in {who} can expect to live to {printed}",
    "life_expectancy_diff_vs_england_male": "men in {who} live {printed} longer than the England average",
    "life_expectancy_diff_vs_england_female": "women in {who} live {printed} longer than the England average",
    "life_expectancy_gap_male": "men in the least deprived parts of {who} live {printed} longer than men in the most deprived ({period})",
    "life_expectancy_gap_female": "women in the least deprived parts of {who} live {printed} longer than women in the most deprived ({period})",
    "life_expectancy_gap_within_area": "people born in the most affluent parts of {who} can expect to live {printed} longer than those in the most deprived",
    "adult_obesity_pct": "{printed} of adults in {who} are obese",
    "pct_year6_obese": "{printed} of Year 6 children in {who} are obese",
    "adult_smoking_prevalence_pct": "an estimated {printed} of adults in {who} smoke",
    "smoking_in_pregnancy_pct": "{printed} of expectant mothers in {who} smoke during pregnancy",
    "smoking_attributable_deaths": "{printed} deaths a year in {who} are caused by smoking",
    "breastfeeding_initiation_pct": "{printed} of mothers in {who} start breastfeeding",
    "chronic_illness_share_aged_60_plus": "{printed} of those aged over 60 in {who} have a chronic illness",
    "avoidable_deaths_share_smoking_obesity_men_35_70": "smoking and obesity underlie {printed} of avoidable deaths in UK men aged 35-70 (a national figure)",
}
# A share printed in words ("one in four") reads without "of".
PHRASE_IN_WORDS = {"adult_obesity_pct": "{printed} adults in {who} are obese"}


def _phrase(measure: str, printed: str) -> str:
    if measure in PHRASE_IN_WORDS and not any(c.isdigit() for c in printed):
        return PHRASE_IN_WORDS[measure]
    return PHRASE[measure]


def _health_facts(area_code: str, data: BookData) -> pd.DataFrame:
    if _is_county(area_code, data):
        return _select(area_code, HEALTH, data=data)
    return _select(area_code, HEALTH, comparators=("dementia_prevalence_growth_pct", "avoidable_deaths_share_smoking_obesity_men_35_70"),
                   data=data)


def health_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    f = _health_facts(area_code, data)
    fam = set(report.area_family(area_code, data))
    if not _is_county(area_code, data) and not fam & set(f["area_code"]):
        return _nothing(area_code, "dementia, life-expectancy, obesity or smoking figure", data)
    text = []
    dem = f[f["measure_id"] == "dementia_prevalence_growth_pct"]
    own_dem = dem[dem["area_code"].isin(fam)] if not _is_county(area_code, data) else dem[dem["area_code"] != area_code]
    own_dem = own_dem.sort_values(["value", "fact_id"], ascending=[False, True])
    if len(own_dem):
        text.append("District figures: dementia is projected to rise by " + ", ".join(
            f"{r['printed']} in {_short(r['area_code'], data)}" for _, r in own_dem.iterrows())
            + f" by {own_dem['period'].iloc[0]} ({_src(own_dem.iloc[0])}; the paper does not give the base year).")
        county = dem[dem["area_code"] == COUNTY]
        if len(county):
            text.append(f"Across Essex the paper projects a {county['printed'].iloc[0]} rise by {county['period'].iloc[0]}, "
                        "a nearer horizon, so the two are not directly comparable.")
    other = f[f["measure_id"] != "dementia_prevalence_growth_pct"]
    if _is_county(area_code, data):
        other = other[other["measure_id"].isin(("life_expectancy_gap_male", "life_expectancy_gap_female"))]
    order = {m: i for i, m in enumerate(HEALTH)}
    other = other.assign(_o=other["measure_id"].map(order)).sort_values(["_o", "area_code"], kind="stable")
    for group in (other[other["measure_id"].isin(LIFE_EXPECTANCY)], other[~other["measure_id"].isin(LIFE_EXPECTANCY)]):
        clauses = []
        for _, r in group.iterrows():
            who = _short(r["area_code"], data) + (" (district)" if _types(data).get(r["area_code"]) == "district" else "")
            clause = _phrase(r["measure_id"], r["printed"]).format(who=who, printed=_lower_first(r["printed"]),
                                                                   period=period_text(r["period"]))
            # A category's figure (a deprivation decile, say) is not the area's: it says which.
            clauses.append(f"{clause} ({r['breakdown'] + '; ' if r['breakdown'] else ''}{_src(r)})")
        if clauses:
            text.append("; ".join(c[0].upper() + c[1:] if i == 0 else c for i, c in enumerate(clauses)) + ".")
    gaps = other[other["measure_id"].isin(["life_expectancy_gap_male", "life_expectancy_gap_female"])]
    if gaps["period"].nunique() > 1:
        text.append("The life-expectancy gaps come from different years and methods (" + ", ".join(
            sorted({period_text(p) for p in gaps["period"]})) + "), so compare them with care.")
    return Markdown(" ".join(text))


def dementia_chart(page: PageData) -> charts.Chart | None:
    """Projected growth in dementia by district, the page's own districts highlighted;
    None when the paper names none of the CCG's districts."""
    area_code = page.area
    data = page.published.data
    f = data.facts
    rows = _district_rows(area_code, "dementia_prevalence_growth_pct", data)
    if rows is None:
        return None
    dem, own, labels = rows
    frame = pd.DataFrame({"District": labels, "Rise in dementia (%)": dem["value"].values, "As printed": dem["printed"].values,
                          "fact_id": dem["fact_id"].values})
    county = _one(f, area_code=COUNTY, measure_id="dementia_prevalence_growth_pct")
    fig = charts.bar(frame, "District", "Rise in dementia (%)", "Projected rise in dementia by 2030, by district", "% rise",
                     horizontal=True)
    if not _is_county(area_code, data):
        _highlight(fig, own)
    fig.update_layout(height=360)
    alt = ("Horizontal bar chart of the projected rise in dementia by 2030 in the five districts paper 001 names: "
           + "; ".join(f"{d}: {p}" for d, p in zip(frame["District"], frame["As printed"]))
           + (f". Essex as a whole: {county['printed']} by {county['period']}." if county is not None else "."))
    caption = ("Projected rise in dementia by 2030 in the districts paper 001 names (section 3.2.2, line 454): the three highest and "
               "the two lowest. District figures; base year not stated.")
    return _chart(fig, f"dem-dementia-{area_code.lower()}", caption, alt, frame[["District", "As printed"]], (), download=frame)


def life_expectancy_chart(page: PageData) -> charts.Chart | None:
    """The gap in life expectancy between the least and most deprived, by district and sex;
    None when the papers give none for the CCG's districts."""
    area_code = page.area
    data = page.published.data
    f = _health_facts(area_code, data)
    gaps = f[f["measure_id"].isin(["life_expectancy_gap_male", "life_expectancy_gap_female"])]
    if not _is_county(area_code, data):
        gaps = gaps[gaps["area_code"].isin(report.area_family(area_code, data))]
    if gaps.empty:
        return None
    name = report.area_name(area_code, data)
    frame = pd.DataFrame({
        "District": [f"{_short(a, data)} ({period_text(p)})" for a, p in zip(gaps["area_code"], gaps["period"])],
        "Sex": ["Men" if m.endswith("_male") else "Women" for m in gaps["measure_id"]],
        "Years": gaps["value"].values, "As printed": gaps["printed"].values, "fact_id": gaps["fact_id"].values,
    }).sort_values(["Sex", "Years"], ascending=[True, False], kind="stable")
    fig = charts.grouped_bar(frame, "District", "Years", "Sex", "Life expectancy gap, least vs most deprived", "Years")
    alt = (f"Grouped bar chart of the gap in life expectancy between the least and most deprived in each district ({name}): "
           + "; ".join(f"{d}, {s.lower()}: {p}" for d, s, p in zip(frame["District"], frame["Sex"], frame["As printed"])) + ".")
    caption = ("Gap in life expectancy between the least and most deprived, by district and sex, as printed "
               "(the period follows each district's name; district figures).")
    return _chart(fig, f"dem-le-{area_code.lower()}", caption, alt, frame[["District", "Sex", "As printed"]], (), download=frame)


def health_table(page: PageData) -> charts.Table | None:
    area_code = page.area
    data = page.published.data
    f = _health_facts(area_code, data)
    if not _is_county(area_code, data) and not set(report.area_family(area_code, data)) & set(f["area_code"]):
        return None
    if f.empty:
        return None
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: dementia, life expectancy, obesity and smoking, as printed",
                        f"dem-health-facts-{area_code.lower()}", data)


# =================================================================================================
# GP workforce per head
# =================================================================================================

def workforce_frame(data: BookData) -> pd.DataFrame:
    """The GP shortfall recomputed as (England rate - Essex rate) x population / 1,000,
    for each Essex population the papers print, with the range the rounded rates allow."""
    f = data.facts
    essex = _one(f, measure_id="gps_per_1000_population", area_code="GREATER-ESSEX")
    england = _one(f, measure_id="gps_per_1000_population", area_code="E92000001")
    rows = []
    for code in ("GREATER-ESSEX", "ESSEX-CCGS"):
        pop = _one(f, measure_id="population_ons_projection", area_code=code, table="Figure 2")
        gap = dm.workforce_gap(england["value"], essex["value"], pop["value"])
        lo, hi = dm.workforce_gap_bounds(england["value"], essex["value"], pop["value"],
                                         checks.tolerance(str(england["value_text"]), england["status"]),
                                         checks.tolerance(str(essex["value_text"]), essex["status"]))
        rows.append({"population_area": code, "population": pop["value"], "population_fact": pop["fact_id"],
                     "gap": gap, "low": lo, "high": hi})
    return pd.DataFrame(rows)


def workforce_sentence(page: PageData) -> Markdown:
    area_code = page.area
    data = page.published.data
    f = data.facts
    essex = _one(f, measure_id="gps_per_1000_population", area_code="GREATER-ESSEX")
    england = _one(f, measure_id="gps_per_1000_population", area_code="E92000001")
    printed = f[f["measure_id"].isin(WORKFORCE[1:])]
    frame = workforce_frame(data)
    greater = frame.iloc[0]
    implied = dm.population_implied_by_gap(143, england["value"], essex["value"])
    text = ""
    if not _is_county(area_code, data):
        text += (f"The papers publish no GPs-per-1,000 rate for {report.area_name(area_code, data)}: not published in the source "
                 "documents for this CCG. The figures below are for Essex as a whole")
        own = f[f["area_code"].isin(report.area_family(area_code, data))]
        if set(zip(own["source_id"], own["table"])) & {(essex["source_id"], essex["table"])}:
            text += f"; the CCG's own plan prints them ({_src(essex)})"
        text += ". "
    text += (f"Essex has {essex['printed']} GPs per 1,000 population against {england['printed']} for England ({_src(essex)}); "
             f"to reach the England average it needs {printed['printed'].iloc[0]} more full-time GPs, a figure printed "
             f"{len(printed)} times (" + "; ".join(_src(r) for _, r in printed.iterrows()) + "). "
             "Paper 003 does not print the population behind it. The book uses the Greater Essex population from paper 000 Figure 2 "
             f"(ONS 2013 projection, {style.fmt_number(greater['population'])}, the seven CCGs): "
             f"({england['printed']} − {essex['printed']}) × {style.fmt_number(greater['population'])} / 1,000 = "
             f"{greater['gap']:.0f} GPs. The rates are printed to two decimals, so the gap they allow runs from "
             f"{greater['low']:.0f} to {greater['high']:.0f}: the printed 143 is within it. A gap of exactly 0.08 per 1,000 "
             f"gives 143 at a population of {style.fmt_number(implied)}.")
    return Markdown(text)


def workforce_table(page: PageData) -> charts.Table:
    """The Essex GP rates and shortfall as printed, with the populations the book uses."""
    area_code = page.area
    data = page.published.data
    f = data.facts
    frame = workforce_frame(data)
    facts = _ordered(f[f["measure_id"].isin(WORKFORCE) | f["fact_id"].isin(frame["population_fact"])])
    computed = {i: "population used for the recomputed shortfall" for i in frame["population_fact"]}
    return _facts_table(facts, area_code, "GPs per 1,000 population and the GP shortfall in Essex, as printed, and the Essex "
                        "populations the book uses to recompute it", f"dem-gp-{area_code.lower()}", data, computed)


def workforce_check(page: PageData) -> charts.Table:
    """The shortfall recomputed as (England rate - Essex rate) x population / 1,000 on each
    labelled population, with the range the rounded rates allow, against the printed 143."""
    area_code = page.area
    data = page.published.data
    f = data.facts.set_index("fact_id")
    frame = workforce_frame(data)
    stated = page.lookup("gp_shortfall_to_england_average", "2014", area="GREATER-ESSEX")
    rates = [page.lookup("gps_per_1000_population", "2014", area=a)["printed"] for a in ("E92000001", "GREATER-ESSEX")]
    rule = f"({rates[0]} − {rates[1]}) × people / 1,000"
    shown = pd.DataFrame({
        "Population used": [f"{report.area_name(a, data)}, ONS 2013 projection" for a in frame["population_area"]],
        "People": [style.fmt_number(v) for v in frame["population"]],
        "Source of the population": [_src(f.loc[i]) for i in frame["population_fact"]],
        rule: [f"{v:.0f}" for v in frame["gap"]],
        "Range the rounded rates allow": [f"{lo:.0f} to {hi:.0f}" for lo, hi in zip(frame["low"], frame["high"])],
        "Printed shortfall": stated["printed"],
        "Printed figure in range?": ["✔ yes" if lo <= stated["value"] <= hi else "✘ no" for lo, hi in zip(frame["low"], frame["high"])],
    })
    download = frame.assign(fact_id=frame["population_fact"], printed_shortfall=stated["value"])
    return charts.Table(shown, "The GP shortfall recomputed on each labelled Essex population (paper 003 prints no population)",
                        f"dem-gp-check-{area_code.lower()}", numeric=("People", rule), download=download)


