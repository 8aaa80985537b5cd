"""What the demographics (JSNA) pages call: each function returns one
displayable result (a sentence, a table or a chart) for one area, or None
when the section's sentence already says there is nothing to show.

A CCG page shows the figures about the CCG, its districts, localities and
practices, with the national or county figures the same passage of the
same paper sets beside them. The county page (area code E10000012) shows
the Essex-wide figures and every district's. The models in
``analysis.demographics`` do the arithmetic; this module only chooses rows
and words.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import checks
from analysis.pages import report
from analysis.pages import style
from analysis.data import units
from analysis.models import demographics as dm
from analysis.data import BookData

COUNTY = "E10000012"
CCG_TYPES = ("ccg",)
# Areas a paper sets beside a CCG's own figures in the same passage.
COMPARATOR_AREAS = ("E92000001", "NATIONAL", "NATIONAL-UK", "REGION-EAST-OF-ENGLAND", "DIST-EAST-HERTFORDSHIRE",
                    "E10000012", "ESSEX-CCGS", "GREATER-ESSEX")

POPULATION = ("population_ons_projection", "population_registered", "population_resident")
POPULATION_CONTEXT = ("pct_of_la_population", "population_density_rank_essex", "ccg_average_registered_population")
AGE = ("pct_population_under_15", "pct_population_75_plus", "pct_population_female", "population_registered_75_plus",
       "pct_population_65_plus_projected", "pct_population_65_plus_rank_essex")
GROWTH = ("population_registered_projection", "population_registered_75_plus_projection", "population_avg_annual_growth",
          "population_75_plus_avg_annual_growth", "population_65_plus_growth", "population_75_plus_growth",
          "population_projected_growth", "population_growth_pct", "population_increase_projected", "population_increase")
LOCALITY = ("practice_list_size", "gp_federation_population", "count_practices", "gp_practices")
HOUSING = ("proposed_dwellings", "occupants_per_dwelling", "new_residents_housing_growth",
           "population_growth_housing_developments", "housing_growth_anticipated")
DEPRIVATION = ("imd_rank_ccg", "imd_rank_la", "lsoas_in_most_deprived_20pct", "pct_population_in_most_deprived_20pct_lsoas",
               "children_in_poverty", "lsoa_population")
LIFE_EXPECTANCY = ("life_expectancy_at_birth_male", "life_expectancy_at_birth_female", "life_expectancy_diff_vs_england_male",
                   "life_expectancy_diff_vs_england_female", "life_expectancy_gap_male", "life_expectancy_gap_female",
                   "life_expectancy_gap_within_area")
HEALTH = ("dementia_prevalence_growth_pct",) + LIFE_EXPECTANCY + (
    "adult_obesity_prevalence", "adult_obesity_pct", "pct_year6_obese", "adult_smoking_prevalence_pct",
    "smoking_in_pregnancy_pct", "smoking_attributable_deaths", "breastfeeding_initiation_pct",
    "chronic_illness_share_aged_60_plus", "avoidable_deaths_share_smoking_obesity_men_35_70")
WORKFORCE = ("gps_per_1000_population", "gp_shortfall_to_england_average", "gp_shortfall_vs_england_average",
             "gps_additional_required")
# County-page sections (001 section 3.2 and the Essex-wide figures of the other papers).
COUNTY_POPULATION = ("population_ons_projection", "population_resident", "provider_catchment_population")
COUNTY_GROWTH = ("population_growth_pct", "population_increase", "population_increase_projected")
COUNTY_AGE = ("population_share_working_age_20_64", "population_share_65_plus", "population_share_older_people",
              "working_age_population_pct_change", "population_85_plus", "pct_aged_65_plus_with_chronic_condition",
              "people_with_weekly_bladder_problem")
VULNERABLE = ("population_non_white_pct", "gypsy_traveller_population", "gypsy_traveller_population_rank_britain",
              "gypsy_traveller_life_expectancy_shortfall", "homeless_people", "homeless_average_age_at_death",
              "homeless_survey_prevalence_pct", "mental_health_illness_residents", "mental_health_onset_early_teens_pct",
              "road_accident_death_ratio_lowest_vs_highest_social_class", "lsoa_population")

BASIS = {
    "population_ons_projection": "ONS resident projection",
    "population_registered": "GP registered list",
    "population_resident": "residents, basis not stated by the paper",
}
# Short forms for chart labels; the chart's data table carries the full basis.
BASIS_SHORT = {
    "ONS resident projection": "ONS projection",
    "GP registered list": "Registered list",
    "GP registered list, printed total of the practice lists": "Practice lists, printed total",
    "residents, basis not stated by the paper": "Basis not stated",
}
MARK = {True: "✔ reproduces", False: "✘ differs"}
AGE_WORDS = {"pct_population_under_15": "aged under 15", "pct_population_75_plus": "aged 75 or over",
             "pct_population_female": "female"}


# --- selection -----------------------------------------------------------------------------

def _data() -> BookData:
    # No demographic figure is shown as "not published": such rows count as absent.
    return report.published(report.book())


def _types(data: BookData) -> dict[str, str]:
    return dict(zip(data.areas["area_code"], data.areas["type"]))


def _parents(data: BookData) -> dict[str, str]:
    return dict(zip(data.areas["area_code"], data.areas["parent_code"]))


def _ccg_of(code: str, data: BookData) -> str | None:
    """The CCG an area (district, locality, practice) belongs to, if any."""
    types, parents = _types(data), _parents(data)
    seen = set()
    while code and code not in seen:
        if types.get(code) in CCG_TYPES:
            return code
        seen.add(code)
        code = parents.get(code, "")
    return None


def _is_county(area_code: str) -> bool:
    return area_code == COUNTY


def _ordered(facts: pd.DataFrame) -> pd.DataFrame:
    """Stable order: by paper, then line, then fact id."""
    first = facts["lines"].astype(str).str.split("-").str[0].astype(int)
    return facts.assign(_line=first).sort_values(["source_id", "_line", "fact_id"]).drop(columns="_line")


def _select(area_code: str, measures, comparators=(), data: BookData | None = None) -> pd.DataFrame:
    """Facts for a section of an area's page.

    CCG page: the CCG's own facts and its districts', localities' and practices'
    (measures in ``measures``), plus facts about a comparator area (England, the
    county) in ``comparators`` printed in the same passage (paper and table) as one
    of the CCG's own facts. County page: every fact in ``measures`` about an area
    outside the CCGs, or about a district.
    """
    data = data or _data()
    f = data.facts
    if _is_county(area_code):
        types = _types(data)
        owner = {a: _ccg_of(a, data) for a in f["area_code"].unique()}
        in_ccg = f["area_code"].map(owner).notna()
        is_district = f["area_code"].map(types) == "district"
        return _ordered(f[f["measure_id"].isin(measures) & (~in_ccg | is_district)])
    family = report.area_family(area_code, data)
    own_all = f[f["area_code"].isin(family)]
    own = own_all[own_all["measure_id"].isin(measures)]
    passages = set(zip(own_all["source_id"], own_all["table"]))
    comp = f[f["area_code"].isin(COMPARATOR_AREAS) & f["measure_id"].isin(comparators)]
    comp = comp[[(s, t) in passages for s, t in zip(comp["source_id"], comp["table"])]]
    return _ordered(pd.concat([own, comp]))


def _one(facts: pd.DataFrame, **match) -> pd.Series | None:
    rows = facts
    for col, value in match.items():
        rows = rows[rows[col] == value]
    return rows.iloc[0] if len(rows) else None


# --- wording helpers ---------------------------------------------------------------------

def period_text(period: str) -> str:
    """A period as a reader says it.

    >>> period_text("2014-2019"), period_text("2011-04"), period_text("2013/14"), period_text("2030")
    ('2014 to 2019', 'April 2011', '2013/14', '2030')
    """
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit() and "/" not in period:
        return f"{months[int(period[5:]) - 1]} {period[:4]}"
    if "-" in period:
        a, b = period.split("-", 1)
        return f"{a} to {b}"
    return period


def area_label(code: str, data: BookData | None = None) -> str:
    """An area's name, saying when it is a district, locality or practice and whose."""
    data = data or _data()
    kind = _types(data).get(code, "")
    name = report.area_name(code, data)
    if kind in ("district", "locality", "practice"):
        ccg = _ccg_of(code, data)
        if "(" in name:
            return name + (f", {report.area_name(ccg, data)}" if ccg else "")
        where = f" in {report.area_name(ccg, data)}" if ccg else ""
        return f"{name} ({kind}{where})"
    return name


def _short(code: str, data: BookData) -> str:
    """A district's, locality's or practice's bare name, for chart labels and sentences;
    other areas keep their full name."""
    name = report.area_name(code, data)
    return name.split(" (")[0] if _types(data).get(code) in ("district", "locality", "practice") else name




def _pct(value: float, decimals: int = 1) -> str:
    return style.fmt_pct(value, decimals)


def _signed_points(value: float) -> str:
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{abs(value):.1f} points"


def _lower_first(printed: str) -> str:
    """'About 15.0%' reads 'about 15.0%' inside a sentence.

    >>> _lower_first("About 15.0%"), _lower_first("15%")
    ('about 15.0%', '15%')
    """
    return printed[0].lower() + printed[1:] if printed[:2].istitle() else printed


def _signed_pct(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + _pct(abs(value))


def _src(row) -> str:
    return report.source_label(row)




def _nothing(area_code: str, what: str, data: BookData) -> Markdown:
    root = report.root_for(area_code, data)
    return Markdown(
        f"The source papers publish no {what} for {report.area_name(area_code, data)}: not published in the source "
        f'documents for this CCG. The <a href="{root}essex/demographics.html">Essex demographics page</a> has the '
        "county-wide figures.")


def judge(recomputed: float, stated: pd.Series, input_tolerance: float = 0.0) -> str:
    """Whether a recomputed value matches a printed figure within the precision it is
    printed to (and the rounding of its inputs), as the reconciliation ledger judges."""
    tol = checks.tolerance(str(stated["value_text"]), stated["status"]) + input_tolerance
    return MARK[abs(recomputed - stated["value"]) <= tol + 1e-9]


def _value_in(row, unit: str, data: BookData) -> float:
    return units.convert(row["value"], row["unit"], unit, units.unit_table(data.units))


# --- tables ---------------------------------------------------------------------------------

DOWNLOAD_COLUMNS = ["fact_id", "area_code", "measure_id", "period", "breakdown", "value", "unit", "printed", "status",
                    "source_id", "table", "lines", "note"]


def facts_frame(facts: pd.DataFrame, area_code: str, data: BookData, computed: dict[str, str] | None = None) -> pd.DataFrame:
    """Facts as shown: area (saying which are district figures), measure, period, as printed,
    what the book computes from it (when given, by fact_id) and the source."""
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    root = report.root_for(area_code, data)
    frame = pd.DataFrame({
        "Area": [area_label(a, data) for a in facts["area_code"]],
        "Measure": [labels.get(m, m) + (f" ({b})" if b else "") for m, b in zip(facts["measure_id"], facts["breakdown"])],
        "Period": [period_text(p) for p in facts["period"]],
        "As printed": [p if s != "not_published" else "not published" for p, s in zip(facts["printed"], facts["status"])],
        "Source": [_src(r) for _, r in facts.iterrows()],
        "_source_url": [report.source_url(r, root) for _, r in facts.iterrows()],
    })
    if computed is not None:
        frame.insert(4, "Computed by the book", [computed.get(i, "") for i in facts["fact_id"]])
    return frame.reset_index(drop=True)


def _facts_table(facts: pd.DataFrame, area_code: str, caption: str, table_id: str, data: BookData,
                 computed: dict[str, str] | None = None) -> charts.Table:
    shown = facts_frame(facts, area_code, data, computed)
    download = facts[DOWNLOAD_COLUMNS].reset_index(drop=True).copy()
    if computed is not None:
        download["computed_by_book"] = [computed.get(i, "") for i in download["fact_id"]]
    return charts.Table(shown, caption, table_id, links={"Source": "_source_url"}, download=download)


def _chart(fig, chart_id: str, caption: str, alt: str, frame: pd.DataFrame, numeric: tuple[str, ...],
           download: pd.DataFrame | None = None) -> charts.Chart:
    table = charts.Table(frame, caption, chart_id + "-data", numeric=numeric, download=download)
    # Long category labels would be clipped by a fixed margin.
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return charts.Chart(fig, chart_id, caption, alt, table)


def _highlight(fig, flags: list[bool]) -> None:
    """Colour the page's own bars with the accent colour (their labels also say so)."""
    fig.data[0].marker.color = [style.HIGHLIGHT if f else style.PALETTE["blue"] for f in flags]


# --- which facts a page shows -------------------------------------------------------------------

def shown_fact_ids(result) -> set[str]:
    """The fact ids a displayed result carries in its tables' downloads."""
    tables = []
    if isinstance(result, charts.Chart):
        tables = [result.data]
    elif isinstance(result, charts.Table):
        tables = [result]
    ids: set[str] = set()
    for t in tables:
        frame = t.download if t.download is not None else t.frame
        if "fact_id" in frame:
            ids |= {i for i in frame["fact_id"] if isinstance(i, str) and i}
    return ids


# =================================================================================================
# Population: which total is which
# =================================================================================================

def population_rows(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """Every whole-CCG population total the papers give, with its basis, and the sums
    the book computes from the localities and practices the papers list."""
    data = data or _data()
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


def population_sentence(area_code: str) -> Markdown:
    data = _data()
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


def population_chart(area_code: str) -> charts.Chart | None:
    """One bar per population total for the CCG; None when there is only one."""
    data = _data()
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


def population_table(area_code: str) -> charts.Table | Markdown:
    data = _data()
    if _is_county(area_code):
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

def age_frame(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """The CCG's age and sex shares beside England's where the same passage gives both."""
    data = data or _data()
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


def age_sentence(area_code: str) -> Markdown:
    data = _data()
    name = report.area_name(area_code, data)
    f = _select(area_code, AGE + ("population_65_plus_growth", "population_75_plus_growth"), comparators=AGE, data=data)
    if f.empty:
        return _nothing(area_code, "age-structure figure", data)
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


def age_chart(area_code: str) -> charts.Chart | None:
    """The CCG's age and sex shares beside England's; None when the papers give no pair."""
    data = _data()
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


def age_table(area_code: str) -> charts.Table | None:
    data = _data()
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


# =================================================================================================
# Projections and growth rates
# =================================================================================================

def projection_series(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """A CCG's registered population projections (all ages and 75+) by year, from the
    table that prints them with their base year."""
    data = data or _data()
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


def stated_rates(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """The paper's stated average annual growth rates beside the book's CAGR from
    the same table's figures (England's rates, where printed, alongside)."""
    data = data or _data()
    series = projection_series(area_code, data)
    f = _select(area_code, ("population_avg_annual_growth", "population_75_plus_avg_annual_growth"),
                comparators=("population_avg_annual_growth", "population_75_plus_avg_annual_growth"), data=data)
    rows = []
    for _, r in f[f["area_code"] != "E92000001"].iterrows():
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
    if _is_county(area_code):
        # The national rates printed beside one CCG's figures stay on that CCG's page.
        return _select(area_code, COUNTY_GROWTH, data=data)
    f = _select(area_code, GROWTH, comparators=("population_growth_pct", "population_projected_growth", "population_avg_annual_growth",
                                                "population_75_plus_avg_annual_growth", "population_resident"), data=data)
    # The county passage's "1.42m to 1.74m" rows come with its growth figure.
    keep = f["measure_id"].isin(GROWTH) | (f["area_code"].isin(["ESSEX-CCGS"]) & (f["measure_id"] == "population_resident"))
    return f[keep]


def growth_rows(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """Every total growth figure with a stated period, put on an annual basis by the book."""
    data = data or _data()
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


def growth_sentence(area_code: str) -> Markdown:
    data = _data()
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


def growth_chart(area_code: str) -> charts.Chart | None:
    """Registered population projections as an index (base year = 100) with England at its
    printed rate; otherwise the annualised growth rates, when there are at least two."""
    data = _data()
    name = report.area_name(area_code, data)
    series = projection_series(area_code, data)
    if len(series):
        base_year = int(series["year"].min())
        idx = series.copy()
        idx["index"] = [100 * p / idx[(idx["series"] == s) & (idx["year"] == base_year)]["population"].iloc[0]
                        for s, p in zip(idx["series"], idx["population"])]
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
    if not _is_county(area_code):
        _highlight(fig, [a in fam for a in g["area_code"]])
    fig.update_layout(height=160 + 45 * len(frame))
    alt = ("Horizontal bar chart of projected population growth put on a compound annual basis by the book: "
           + "; ".join(f"{a}: {_pct(b, 2)} a year ({c} in total)" for a, b, c in zip(frame["Figure"], frame["Per cent a year"],
                                                                                frame["Total change as printed"])) + ".")
    caption = (f"{name}: projected growth as the papers print it (total change over a stated period), put on a compound annual "
               "basis by the book so periods of different length compare.")
    return _chart(fig, f"dem-growth-{area_code.lower()}", caption, alt, frame[["Figure", "Total change as printed", "Per cent a year"]],
                  ("Per cent a year",), download=frame)


def growth_table(area_code: str) -> charts.Table | None:
    data = _data()
    f = _growth_facts(area_code, data)
    own = f[f["area_code"].isin(report.area_family(area_code, data))] if not _is_county(area_code) else f
    if own.empty:
        return None
    # The base-year counts of a projection table are part of the projection.
    series = projection_series(area_code, data) if not _is_county(area_code) else pd.DataFrame(columns=["fact_id"])
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


def _district_rows(area_code: str, measure: str, data: BookData) -> tuple[pd.DataFrame, list[bool], list[str]] | None:
    """A measure's district facts, largest first, which of them are the page's own, and their chart labels;
    None when there are none, or none in the CCG."""
    f = data.facts
    rows = f[(f["measure_id"] == measure) & (f["area_code"].map(_types(data)) == "district")]
    rows = rows.sort_values(["value", "fact_id"], ascending=[False, True])
    fam = set(report.area_family(area_code, data))
    if rows.empty or (not _is_county(area_code) and not fam & set(rows["area_code"])):
        return None
    own = [a in fam for a in rows["area_code"]]
    labels = [f"{_short(a, data)} ({report.area_name(_ccg_of(a, data), data)})" + (" — this CCG" if o and not _is_county(area_code) else "")
              for a, o in zip(rows["area_code"], own)]
    return rows, own, labels


def district_growth_chart(area_code: str) -> charts.Chart | None:
    """Population growth to 2035 in the districts the county paper names; the page's own
    districts highlighted. None when none of them is in the CCG."""
    data = _data()
    rows = _district_rows(area_code, "population_growth_pct", data)
    if rows is None:
        return None
    g, own, labels = rows
    frame = pd.DataFrame({"District": labels, "Growth (%)": g["value"].values, "As printed": g["printed"].values,
                          "By": g["period"].values, "fact_id": g["fact_id"].values})
    fig = charts.bar(frame, "District", "Growth (%)", "Projected population growth by district, to 2035", "% growth", horizontal=True)
    if not _is_county(area_code):
        _highlight(fig, own)
    fig.update_layout(height=320)
    alt = ("Horizontal bar chart of projected population growth to 2035 in the three districts paper 001 names: "
           + "; ".join(f"{d}: {p}" for d, p in zip(frame["District"], frame["As printed"])) + ". The base year is not stated.")
    caption = ("Projected population growth to 2035 in the districts paper 001 names (section 3.2.2, line 433): "
               "the highest two and the lowest. District figures; base year not stated.")
    return _chart(fig, f"dem-district-growth-{area_code.lower()}", caption, alt,
                  frame[["District", "As printed", "By"]], (), download=frame)


# =================================================================================================
# Localities and practices
# =================================================================================================

def _locality_facts(area_code: str, data: BookData) -> pd.DataFrame:
    f = data.facts
    types = _types(data)
    fam = report.area_family(area_code, data)
    parts = f[f["area_code"].isin(fam) & f["area_code"].map(types).isin(["locality", "practice"])
              & f["measure_id"].isin(["population_registered", "population_resident"])]
    ranges = f[f["area_code"].isin(fam) & f["measure_id"].isin(LOCALITY)]
    return _ordered(pd.concat([parts, ranges]))


def locality_totals(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """Practice lists summed by locality and for the CCG, beside the printed totals and
    any other population the papers give for the same locality."""
    data = data or _data()
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


def localities_sentence(area_code: str) -> Markdown:
    data = _data()
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


def locality_chart(area_code: str) -> charts.Chart | None:
    """Population by locality on each basis the papers give, with the book's sums of the
    practice lists. None when the papers list no localities with a population."""
    data = _data()
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


def practice_chart(area_code: str) -> charts.Chart | None:
    """Each practice's list size, largest first; None when the papers list no practices."""
    data = _data()
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


def localities_table(area_code: str) -> charts.Table | None:
    data = _data()
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

def housing_frame(area_code: str, data: BookData | None = None) -> pd.DataFrame:
    """Each housing development: dwellings, occupancy and new residents as printed, and
    residents recomputed as dwellings x occupancy (where the occupancy is printed)."""
    data = data or _data()
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


def housing_sentence(area_code: str) -> Markdown:
    data = _data()
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


def housing_chart(area_code: str) -> charts.Chart | None:
    """New residents per development: printed against dwellings x occupancy. None when
    the papers give no development with both."""
    data = _data()
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


def housing_table(area_code: str) -> charts.Table | None:
    data = _data()
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


# =================================================================================================
# Deprivation
# =================================================================================================

def deprivation_sentence(area_code: str) -> Markdown:
    data = _data()
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


def deprivation_table(area_code: str) -> charts.Table | None:
    data = _data()
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
    "adult_obesity_prevalence": "{printed} adults in {who} are obese",
    "adult_obesity_pct": "{printed} of adults in {who} are obese",
    "pct_year6_obese": "{printed} of Year 6 children in {who} are obese",
    "adult_smoking_prevalence_pct": "an estimated {printed} of adults in {who} smoke",
    "smoking_in_pregnancy_pct": "{printed} of expectant mothers in {who} smoke during pregnancy",
    "smoking_attributable_deaths": "{printed} deaths a year in {who} are caused by smoking",
    "breastfeeding_initiation_pct": "{printed} of mothers in {who} start breastfeeding",
    "chronic_illness_share_aged_60_plus": "{printed} of those aged over 60 in {who} have a chronic illness",
    "avoidable_deaths_share_smoking_obesity_men_35_70": "smoking and obesity underlie {printed} of avoidable deaths in UK men aged 35-70 (a national figure)",
}


def _health_facts(area_code: str, data: BookData) -> pd.DataFrame:
    if _is_county(area_code):
        return _select(area_code, HEALTH, data=data)
    return _select(area_code, HEALTH, comparators=("dementia_prevalence_growth_pct", "avoidable_deaths_share_smoking_obesity_men_35_70"),
                   data=data)


def health_sentence(area_code: str) -> Markdown:
    data = _data()
    f = _health_facts(area_code, data)
    fam = set(report.area_family(area_code, data))
    if not _is_county(area_code) and not fam & set(f["area_code"]):
        return _nothing(area_code, "dementia, life-expectancy, obesity or smoking figure", data)
    text = []
    dem = f[f["measure_id"] == "dementia_prevalence_growth_pct"]
    own_dem = dem[dem["area_code"].isin(fam)] if not _is_county(area_code) else dem[dem["area_code"] != COUNTY]
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
    if _is_county(area_code):
        other = other[other["measure_id"].isin(("life_expectancy_gap_male", "life_expectancy_gap_female"))]
    order = {m: i for i, m in enumerate(HEALTH)}
    other = other.assign(_o=other["measure_id"].map(order)).sort_values(["_o", "area_code"], kind="stable")
    for group in (other[other["measure_id"].isin(LIFE_EXPECTANCY)], other[~other["measure_id"].isin(LIFE_EXPECTANCY)]):
        clauses = []
        for _, r in group.iterrows():
            who = _short(r["area_code"], data) + (" (district)" if _types(data).get(r["area_code"]) == "district" else "")
            clause = PHRASE[r["measure_id"]].format(who=who, printed=_lower_first(r["printed"]), period=period_text(r["period"]))
            clauses.append(f"{clause} ({_src(r)})")
        if clauses:
            text.append("; ".join(c[0].upper() + c[1:] if i == 0 else c for i, c in enumerate(clauses)) + ".")
    gaps = other[other["measure_id"].isin(["life_expectancy_gap_male", "life_expectancy_gap_female"])]
    if gaps["period"].nunique() > 1:
        text.append("The life-expectancy gaps come from different years and methods (" + ", ".join(
            sorted({period_text(p) for p in gaps["period"]})) + "), so compare them with care.")
    return Markdown(" ".join(text))


def dementia_chart(area_code: str) -> charts.Chart | None:
    """Projected growth in dementia by district, the page's own districts highlighted;
    None when the paper names none of the CCG's districts."""
    data = _data()
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
    if not _is_county(area_code):
        _highlight(fig, own)
    fig.update_layout(height=360)
    alt = ("Horizontal bar chart of the projected rise in dementia by 2030 in the five districts paper 001 names: "
           + "; ".join(f"{d}: {p}" for d, p in zip(frame["District"], frame["As printed"]))
           + (f". Essex as a whole: {county['printed']} by {county['period']}." if county is not None else "."))
    caption = ("Projected rise in dementia by 2030 in the districts paper 001 names (section 3.2.2, line 454): the three highest and "
               "the two lowest. District figures; base year not stated.")
    return _chart(fig, f"dem-dementia-{area_code.lower()}", caption, alt, frame[["District", "As printed"]], (), download=frame)


def life_expectancy_chart(area_code: str) -> charts.Chart | None:
    """The gap in life expectancy between the least and most deprived, by district and sex;
    None when the papers give none for the CCG's districts."""
    data = _data()
    f = _health_facts(area_code, data)
    gaps = f[f["measure_id"].isin(["life_expectancy_gap_male", "life_expectancy_gap_female"])]
    if not _is_county(area_code):
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


def health_table(area_code: str) -> charts.Table | None:
    data = _data()
    f = _health_facts(area_code, data)
    if not _is_county(area_code) and not set(report.area_family(area_code, data)) & set(f["area_code"]):
        return None
    if f.empty:
        return None
    return _facts_table(f, area_code, f"{report.area_name(area_code, data)}: dementia, life expectancy, obesity and smoking, as printed",
                        f"dem-health-facts-{area_code.lower()}", data)


# =================================================================================================
# GP workforce per head
# =================================================================================================

def workforce_frame(data: BookData | None = None) -> pd.DataFrame:
    """The GP shortfall recomputed as (England rate - Essex rate) x population / 1,000,
    for each Essex population the papers print, with the range the rounded rates allow."""
    data = data or _data()
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


def workforce_sentence(area_code: str) -> Markdown:
    data = _data()
    f = data.facts
    essex = _one(f, measure_id="gps_per_1000_population", area_code="GREATER-ESSEX")
    england = _one(f, measure_id="gps_per_1000_population", area_code="E92000001")
    printed = f[f["measure_id"].isin(WORKFORCE[1:])]
    frame = workforce_frame(data)
    greater = frame.iloc[0]
    implied = dm.population_implied_by_gap(143, england["value"], essex["value"])
    text = ""
    if not _is_county(area_code):
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


def workforce_table(area_code: str) -> charts.Table:
    """The Essex GP rates and shortfall as printed, with the populations the book uses."""
    data = _data()
    f = data.facts
    frame = workforce_frame(data)
    facts = _ordered(f[f["measure_id"].isin(WORKFORCE) | f["fact_id"].isin(frame["population_fact"])])
    computed = {i: "population used for the recomputed shortfall" for i in frame["population_fact"]}
    return _facts_table(facts, area_code, "GPs per 1,000 population and the GP shortfall in Essex, as printed, and the Essex "
                        "populations the book uses to recompute it", f"dem-gp-{area_code.lower()}", data, computed)


def workforce_check(area_code: str) -> charts.Table:
    """The shortfall recomputed as (England rate - Essex rate) x population / 1,000 on each
    labelled population, with the range the rounded rates allow, against the printed 143."""
    data = _data()
    f = data.facts.set_index("fact_id")
    frame = workforce_frame(data)
    stated = f.loc["003.context.greater-essex.gp_shortfall_to_england_average.2014"]
    rates = f.loc[["003.context.e92000001.gps_per_1000_population.2014", "003.context.greater-essex.gps_per_1000_population.2014"], "printed"]
    rule = f"({rates.iloc[0]} − {rates.iloc[1]}) × people / 1,000"
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


# =================================================================================================
# County page (Essex County Council area, E10000012)
# =================================================================================================

def county_population_sentence() -> Markdown:
    data = _data()
    f = data.facts.set_index("fact_id")
    u = units.unit_table(data.units)
    now = f.loc["001.s3-2.greater-essex.population_resident.2014"]
    extra = f.loc["001.s3-2.greater-essex.population_increase.2031"]
    fig2 = f.loc["000.fig2.greater-essex.population_ons_projection.2013"]
    ecc13 = f.loc["001.s3-2.essex-ccgs.population_resident.2013"]
    ecc30 = f.loc["001.s3-2.essex-ccgs.population_resident.2030"]
    growth = f.loc["001.s3-2.essex-ccgs.population_growth_pct.2013-2030"]
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
            + " and ".join(f"{report.area_name(c, data)} {f.loc[i, 'printed']} over {period_text(f.loc[i, 'period'])} "
                           f"({_pct(dm.annualised_rate(f.loc[i, 'value'], dm.span_years(f.loc[i, 'period'])), 2)} a year)"
                           for c, i in (("E92000001", "001.s3-2.e92000001.population_growth_pct.2010-2030"),
                                        ("REGION-EAST-OF-ENGLAND", "001.s3-2.region-east-of-england.population_growth_pct.2010-2030")))
            + " printed beside it.")
    return Markdown(text)


def _growth_input_tolerance(a: float, b: float, ra, rb, u) -> float:
    """How far the rounding of two printed populations can move the % change between them."""
    ta = units.convert(checks.tolerance(str(ra["value_text"]), ra["status"]), ra["unit"], "count", u)
    tb = units.convert(checks.tolerance(str(rb["value_text"]), rb["status"]), rb["unit"], "count", u)
    return checks.propagated_tolerance(lambda x: dm.total_change_pct(x[0], x[1]), [a, b], [ta, tb])


def county_growth_chart() -> charts.Chart:
    """Projected growth of the five Essex CCGs, the East of England and England on one annual basis."""
    data = _data()
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


def county_age_frame(data: BookData | None = None) -> pd.DataFrame:
    """Figure 5's commentary: working-age and 65+ shares in 2011 and 2030, with the change
    in percentage points and as a relative change."""
    data = data or _data()
    f = data.facts
    rows = []
    for measure, label in (("population_share_working_age_20_64", "Working age (20-64)"), ("population_share_65_plus", "Aged over 65")):
        before = _one(f, area_code=COUNTY, measure_id=measure, period="2011")
        after = _one(f, area_code=COUNTY, measure_id=measure, period="2030")
        rows.append({"group": label, "share_2011": before["value"], "share_2030": after["value"],
                     "fact_2011": before["fact_id"], "fact_2030": after["fact_id"]})
    return dm.age_share_change(pd.DataFrame(rows), "share_2011", "share_2030")


def county_age_sentence() -> Markdown:
    data = _data()
    f = data.facts.set_index("fact_id")
    ages = county_age_frame(data)
    wa, old = ages.iloc[0], ages.iloc[1]
    p85a, p85b = f.loc["001.s3-2.greater-essex.population_85_plus.2014"], f.loc["001.s3-2.greater-essex.population_85_plus.2031"]
    older = f.loc["001.s3-2.greater-essex.population_share_older_people.2031"]
    wac = f.loc["001.s3-2.greater-essex.working_age_population_pct_change.2031"]
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
    chronic = [f.loc[i] for i in ("000.shc.national.pct_aged_65_plus_with_chronic_condition.2013.one-or-more",
                                  "000.shc.national.pct_aged_65_plus_with_chronic_condition.2013.2-or-more")]
    bladder = f.loc["002.frail.e10000012.people_with_weekly_bladder_problem.2013-14"]
    text += (f" Nationally, {chronic[0]['printed']} of over-65s have one or more chronic conditions and {chronic[1]['printed']} two or "
             f"more ({_src(chronic[0])}); {_lower_first(bladder['printed'])} people in Essex have a bladder problem at least once a week ({_src(bladder)}).")
    return Markdown(text)


def county_age_chart() -> charts.Chart:
    data = _data()
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


def county_age_table() -> charts.Table:
    data = _data()
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


def district_growth_sentence(area_code: str) -> Markdown:
    data = _data()
    f = data.facts
    g = f[(f["measure_id"] == "population_growth_pct") & (f["area_code"].map(_types(data)) == "district")]
    g = g.sort_values("value", ascending=False)
    return Markdown(
        "Paper 001 names the districts with the highest and lowest projected population growth by 2035: "
        + "; ".join(f"{_short(r['area_code'], data)} ({report.area_name(_ccg_of(r['area_code'], data), data)}) {r['printed']}"
                    for _, r in g.iterrows())
        + f" ({_src(g.iloc[0])}). The base year is not stated, so the book does not put these on an annual basis.")


def vulnerable_sentence() -> Markdown:
    data = _data()
    f = data.facts.set_index("fact_id")
    pop = f.loc["000.fig2.essex-ccgs.population_ons_projection.2013"]
    nw, nwe = f.loc["001.s3-2.e10000012.population_non_white_pct.2014"], f.loc["001.s3-2.e92000001.population_non_white_pct.2014"]
    gt, gtr = f.loc["001.s3-2.e10000012.gypsy_traveller_population.2014"], f.loc["001.s3-2.e10000012.gypsy_traveller_population_rank_britain.2014"]
    hl = f.loc["001.s3-2.e10000012.homeless_people.2014"]
    short = f.loc["001.s3-2.e10000012.gypsy_traveller_life_expectancy_shortfall.2014.min"]
    text = (f"Essex is less ethnically diverse than England: {nw['printed']} of residents are from a non-white background against "
            f"{nwe['printed']} for England ({_src(nw)}). It has the {gtr['printed']} population of Gypsies and Travellers in Britain, "
            f"{gt['printed']}, who live {short['printed']} less than the general population; at least {hl['printed'].replace('At least ', '')} "
            f"people are thought to be homeless ({_src(hl)}). Per 1,000 residents of the county council area (the book uses the "
            f"{pop['printed']} ONS 2013 projection for the five CCGs, {_src(pop)}) that is "
            f"{dm.per_1000(gt['value'], pop['value']):.1f} Gypsies and Travellers and {dm.per_1000(hl['value'], pop['value']):.1f} "
            "homeless people. A survey of homeless people in Essex found high levels of mental illness, substance misuse and smoking "
            "(chart below).")
    return Markdown(text)


def vulnerable_chart() -> charts.Chart:
    data = _data()
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


def vulnerable_table() -> charts.Table:
    data = _data()
    f = _select(COUNTY, VULNERABLE, data=data)
    pop = data.facts.set_index("fact_id").loc["000.fig2.essex-ccgs.population_ons_projection.2013"]
    computed = {}
    for _, r in f[f["measure_id"].isin(["gypsy_traveller_population", "homeless_people"])].iterrows():
        computed[r["fact_id"]] = f"{dm.per_1000(r['value'], pop['value']):.1f} per 1,000 on the ECC area's ONS 2013 population"
    return _facts_table(f, COUNTY, "Essex: vulnerable groups and inequalities, as printed", "dem-county-vulnerable", data, computed)


# --- page composition ------------------------------------------------------------------------

CCG_PAGE = (
    "population_sentence", "population_chart", "population_table",
    "age_sentence", "age_chart", "age_table",
    "growth_sentence", "growth_chart", "district_growth_chart", "growth_table",
    "localities_sentence", "locality_chart", "practice_chart", "localities_table",
    "housing_sentence", "housing_chart", "housing_table",
    "deprivation_sentence", "deprivation_table",
    "health_sentence", "dementia_chart", "life_expectancy_chart", "health_table",
    "workforce_sentence", "workforce_check", "workforce_table",
)
COUNTY_PAGE = (
    "county_population_sentence", "county_growth_chart", "population_table", "growth_table",
    "county_age_sentence", "county_age_chart", "county_age_table",
    "district_growth_sentence", "district_growth_chart",
    "health_sentence", "dementia_chart", "life_expectancy_chart", "health_table",
    "vulnerable_sentence", "vulnerable_chart", "vulnerable_table",
    "workforce_sentence", "workforce_check", "workforce_table",
)
NO_AREA_ARGUMENT = {"county_population_sentence", "county_growth_chart", "county_age_sentence", "county_age_chart",
                    "county_age_table", "vulnerable_sentence", "vulnerable_chart", "vulnerable_table"}


def page_results(area_code: str) -> list:
    """Every result the area's demographics page shows, in page order."""
    names = COUNTY_PAGE if _is_county(area_code) else CCG_PAGE
    out = []
    for name in names:
        fn = globals()[name]
        out.append(fn() if name in NO_AREA_ARGUMENT else fn(area_code))
    return out


def page_facts(area_code: str) -> set[str]:
    """The fact ids the area's demographics page shows in its tables and charts' data."""
    ids: set[str] = set()
    for result in page_results(area_code):
        ids |= shown_fact_ids(result)
    return ids
