"""Shared by the demographics pages: the measures each section shows, which facts
a page selects, wording helpers and the tables and charts' common form.
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
    "adult_obesity_pct", "pct_year6_obese", "adult_smoking_prevalence_pct",
    "smoking_in_pregnancy_pct", "smoking_attributable_deaths", "breastfeeding_initiation_pct",
    "chronic_illness_share_aged_60_plus", "avoidable_deaths_share_smoking_obesity_men_35_70")
WORKFORCE = ("gps_per_1000_population", "gp_shortfall_to_england_average")
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

def _types(data: BookData) -> dict[str, str]:
    # tolist: iterating a text column costs a call a value, and this runs hundreds of times a page.
    return dict(zip(data.areas["area_code"].tolist(), data.areas["type"].tolist()))


def _parents(data: BookData) -> dict[str, str]:
    return dict(zip(data.areas["area_code"].tolist(), data.areas["parent_code"].tolist()))


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


def _is_county(area_code: str, data: BookData) -> bool:
    """A council area (the county page's), as opposed to a CCG: by its registry type."""
    return _types(data).get(area_code) == "hwb"


def _ordered(facts: pd.DataFrame) -> pd.DataFrame:
    """Stable order: by paper, then line, then fact id."""
    sources, ids = facts["source_id"].tolist(), facts["fact_id"].tolist()
    if any(not isinstance(v, str) for v in sources + ids):  # a missing key sorts last, as sort_values puts it
        first = facts["lines"].astype(str).str.split("-").str[0].astype(int)
        return facts.assign(_line=first).sort_values(["source_id", "_line", "fact_id"]).drop(columns="_line")
    # A stable sort of plain keys: the order sort_values gives, without sorting text columns in pandas.
    first = [int(str(v).split("-")[0]) for v in facts["lines"].tolist()]
    return facts.iloc[sorted(range(len(facts)), key=lambda i: (sources[i], first[i], ids[i]))]


def _select(area_code: str, measures, comparators=(), *, data: BookData) -> pd.DataFrame:
    """Facts for a section of an area's page.

    CCG page: the CCG's own facts and its districts', localities' and practices'
    (measures in ``measures``), plus facts about a comparator area (England, the
    county) in ``comparators`` printed in the same passage (paper and table) as one
    of the CCG's own facts. County page: every fact in ``measures`` about an area
    outside the CCGs, or about a district.
    """
    f = data.facts
    if _is_county(area_code, data):
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
    """The first row matching every ``column=value`` (one mask, not a frame per column)."""
    hit = np.ones(len(facts), dtype=bool)
    for col, value in match.items():
        hit &= (facts[col] == value).to_numpy(dtype=bool, na_value=False)
    found = np.flatnonzero(hit)
    return facts.iloc[found[0]] if len(found) else None


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


def area_label(code: str, data: BookData) -> str:
    """An area's name, saying when it is a district, locality or practice and whose."""
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



def _district_rows(area_code: str, measure: str, data: BookData) -> tuple[pd.DataFrame, list[bool], list[str]] | None:
    """A measure's district facts, largest first, which of them are the page's own, and their chart labels;
    None when there are none, or none in the CCG."""
    f = data.facts
    rows = f[(f["measure_id"] == measure) & (f["area_code"].map(_types(data)) == "district")]
    rows = rows.sort_values(["value", "fact_id"], ascending=[False, True])
    fam = set(report.area_family(area_code, data))
    if rows.empty or (not _is_county(area_code, data) and not fam & set(rows["area_code"])):
        return None
    own = [a in fam for a in rows["area_code"]]
    labels = [f"{_short(a, data)} ({report.area_name(_ccg_of(a, data), data)})" + (" — this CCG" if o and not _is_county(area_code, data) else "")
              for a, o in zip(rows["area_code"], own)]
    return rows, own, labels


