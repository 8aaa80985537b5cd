"""What the demographic models of a CCG's demographics page read, as contracts
(analysis.models.contracts): population on each basis, the age structure, growth
put on an annual basis, practice lists summed, housing-led growth, deprivation
quintiles and the GP workforce shortfall.

The sections show whatever figures an area holds, so most inputs are optional; a
contract's required inputs, or one input of each ``one_of`` group, are what its
model cannot run without. Figures about districts, localities and practices are
inputs about the areas below the CCG; England's and Essex's, which the papers set
beside the CCG's, name their area.
"""
from __future__ import annotations

from analysis.models.contracts import BELOW, Contract, Input, Role

ENGLAND, GREATER_ESSEX, ESSEX_CCGS = "E92000001", "GREATER-ESSEX", "ESSEX-CCGS"
PRINTED = "printed"  # each input in every period the area's data print it for


def _opt(key: str, measure: str, unit: str, breakdown: str = "", area: str = "", example: str = "",
         period: str = PRINTED) -> Input:
    """An optional input; a breakdown with an ``example`` is a pattern."""
    return Input(key, measure, breakdown, period, unit, required=False, pattern=bool(example), example=example, area=area)


def _printed(*example: str) -> dict[str, Role]:
    return {PRINTED: Role("", pick="all", example=example)}


POPULATION_BASES = Contract(
    id="population_bases", title="The CCG's population on each basis", page="ccg-demographics", section="population",
    inputs=(
        Input("ons_projection", "population_ons_projection", "", "projection_year", "count"),
        _opt("registered", "population_registered", "count"),
        _opt("resident", "population_resident", "count"),
        _opt("list_total", "population_registered", "count", "CCG TOTAL"),
        _opt("locality_populations", "population_resident", "count", area=BELOW),
        _opt("practice_lists", "population_registered", "count", area=BELOW),
        _opt("share_of_council_population", "pct_of_la_population", "%"),
        _opt("density_rank", "population_density_rank_essex", "rank", area=BELOW),
        _opt("england_average_list", "ccg_average_registered_population", "count", area=ENGLAND),
        _opt("essex_ccgs_projection", "population_ons_projection", "count", area=ESSEX_CCGS, period="projection_year"),
    ),
    roles={"projection_year": Role("population_ons_projection", example=("2013",)),
           **_printed("2011", "2011-04", "2012/13", "2013/14", "2014")},
    noun="a population total for the CCG",
    definition="The CCG's population as each paper counts it, side by side by basis: the ONS resident projection, "
               "the GP registered list (and the printed total of the practice lists), residents on a basis the paper "
               "does not state, and the book's sums of the locality populations and practice lists printed in one "
               "table; with the CCG's share of its council's population (set against the ONS figures for the Essex "
               "CCGs) and its list against England's average CCG.",
)

AGE_STRUCTURE = Contract(
    id="age_structure", title="Age structure and older people", page="ccg-demographics", section="age",
    inputs=(
        _opt("under_15", "pct_population_under_15", "%"),
        _opt("aged_75_plus", "pct_population_75_plus", "%"),
        _opt("female", "pct_population_female", "%"),
        _opt("england_under_15", "pct_population_under_15", "%", area=ENGLAND),
        _opt("england_aged_75_plus", "pct_population_75_plus", "%", area=ENGLAND),
        _opt("england_female", "pct_population_female", "%", area=ENGLAND),
        _opt("registered_75_plus", "population_registered_75_plus", "count"),
        _opt("registered", "population_registered", "count"),
        _opt("growth_65_plus", "population_65_plus_growth", "%"),
        _opt("growth_75_plus", "population_75_plus_growth", "%"),
        _opt("district_share_65_plus", "pct_population_65_plus_projected", "%", area=BELOW),
        _opt("district_rank_65_plus", "pct_population_65_plus_rank_essex", "rank", area=BELOW),
        # ONS mid-year estimates imported by single year of age (analysis.data.population).
        _opt("ons_all_ages", "population_ons_mid_year_estimate", "count"),
        _opt("ons_single_years", "population_ons_mid_year_estimate", "count", r"age (\d|[1-8]\d|90\+)", example="age 0"),
    ),
    roles=_printed("2011", "2013-2021", "2014-2024", "2014-2039", "2030"),
    one_of=(("under_15", "aged_75_plus", "female", "registered_75_plus", "growth_65_plus", "growth_75_plus",
             "district_share_65_plus", "district_rank_65_plus", "ons_single_years"),),
    noun="an age share or an older people's figure",
    definition="The CCG's age and sex shares against England's where the same passage prints both (the difference "
               "in points), the 75+ share recomputed from the counts of the same table, the growth in people over 65 "
               "or 75 over a stated period put on a compound annual basis, and its districts' projected 65+ shares; from "
               "ONS mid-year estimates by single year of age, the population in age bands and the 65+, 75+ and 85+ "
               "counts and shares of all ages, each summed by the book.",
)

_GROWTH_ONE_OF = ("registered_projection", "registered_75_plus_projection", "avg_annual_growth",
                  "avg_annual_growth_75_plus", "projected_growth", "growth_pct", "growth_65_plus", "growth_75_plus",
                  "increase", "district_growth_pct", "district_increase")
POPULATION_GROWTH = Contract(
    id="population_growth", title="Projections and growth rates on an annual basis", page="ccg-demographics",
    section="growth",
    inputs=(
        _opt("registered_base", "population_registered", "count"),
        _opt("registered_projection", "population_registered_projection", "count"),
        _opt("registered_75_plus_base", "population_registered_75_plus", "count"),
        _opt("registered_75_plus_projection", "population_registered_75_plus_projection", "count"),
        _opt("avg_annual_growth", "population_avg_annual_growth", "%"),
        _opt("avg_annual_growth_75_plus", "population_75_plus_avg_annual_growth", "%"),
        _opt("england_avg_annual_growth", "population_avg_annual_growth", "%", area=ENGLAND),
        _opt("england_avg_annual_growth_75_plus", "population_75_plus_avg_annual_growth", "%", area=ENGLAND),
        _opt("projected_growth", "population_projected_growth", "%"),
        _opt("growth_pct", "population_growth_pct", "%"),
        _opt("growth_65_plus", "population_65_plus_growth", "%"),
        _opt("growth_75_plus", "population_75_plus_growth", "%"),
        _opt("increase", "population_increase", "count"),
        _opt("district_growth_pct", "population_growth_pct", "%", area=BELOW),
        _opt("district_increase", "population_increase_projected", "count", area=BELOW),
        _opt("national_projected_growth", "population_projected_growth", "%", area="NATIONAL"),
        _opt("england_growth_pct", "population_growth_pct", "%", area=ENGLAND),
        _opt("region_growth_pct", "population_growth_pct", "%", area="REGION-EAST-OF-ENGLAND"),
        _opt("essex_ccgs_growth_pct", "population_growth_pct", "%", area=ESSEX_CCGS),
        _opt("essex_ccgs_resident", "population_resident", "count", area=ESSEX_CCGS),
    ),
    roles=_printed("2011", "2015", "2020", "2025", "2011-2020", "2013-2021", "2014-2024", "2035"),
    one_of=(_GROWTH_ONE_OF,),
    noun="a population projection or growth rate",
    definition="Growth over periods of different length put on one basis: the compound annual growth rate of the "
               "registered population projections (all ages and 75+) from their base year, set against the average "
               "annual rates the paper prints (and England's beside them, compounded for the chart); and every total "
               "growth figure with a stated period, the CCG's, its districts' and those the same passage sets beside "
               "them, put on a compound annual basis.",
)

PRACTICE_LISTS = Contract(
    id="practice_lists", title="Practice lists summed to the localities and the CCG", page="ccg-demographics",
    section="localities",
    inputs=(
        Input("practice_lists", "population_registered", "", PRINTED, "count", area=BELOW),
        _opt("locality_totals", "population_registered", "count", ".+", area=BELOW, example="LCG Total"),
        _opt("ccg_total", "population_registered", "count", "CCG TOTAL"),
        _opt("locality_populations", "population_resident", "count", area=BELOW),
        _opt("list_size_range", "practice_list_size", "count", "min|max", example="min"),
        _opt("federation_size_range", "gp_federation_population", "count", "min|max", example="min"),
        _opt("practices", "count_practices", "count"),
        _opt("gp_practices", "gp_practices", "count"),
    ),
    roles=_printed("2012/13", "2013/14", "2014"),
    noun="the list size of each member practice",
    definition="Each member practice's registered list (practices are areas below their locality in data/areas.csv), "
               "summed by locality against the printed locality totals, and the locality totals added up against the "
               "printed CCG total; beside any other population the papers give for the localities, the range of list "
               "sizes and the number of practices.",
)

HOUSING_GROWTH = Contract(
    id="housing_growth", title="Housing-led growth: dwellings × occupancy", page="ccg-demographics", section="housing",
    inputs=(
        Input("dwellings", "proposed_dwellings", "", PRINTED, "count", area=BELOW),
        Input("occupancy", "occupants_per_dwelling", "", PRINTED, "persons per dwelling", area=BELOW),
        Input("new_residents", "new_residents_housing_growth", "", PRINTED, "count", area=BELOW),
        _opt("district_growth", "population_growth_housing_developments", "count", area=BELOW),
        _opt("resident", "population_resident", "count"),
        _opt("anticipated", "housing_growth_anticipated", "%"),
    ),
    roles=_printed("2014", "2014-2019"),
    noun="proposed dwellings, their occupancy and the new residents expected",
    definition="New residents from proposed housing, development by development (each a locality below the CCG): "
               "dwellings × occupants per dwelling against the printed number of new residents, the occupancy the "
               "printed figures imply where none is printed, and the developments' sum against the district's "
               "overall figure and the CCG's population.",
)

DEPRIVATION = Contract(
    id="deprivation", title="Deprivation ranks as national quintiles", page="ccg-demographics", section="deprivation",
    inputs=(
        _opt("ccg_rank", "imd_rank_ccg", "rank"),
        _opt("district_rank", "imd_rank_la", "rank", area=BELOW),
        _opt("share_in_most_deprived", "pct_population_in_most_deprived_20pct_lsoas", "%"),
        _opt("district_deprived_lsoas", "lsoas_in_most_deprived_20pct", "count", area=BELOW),
        _opt("district_children_in_poverty", "children_in_poverty", "count", area=BELOW),
    ),
    roles=_printed("2007", "2010", "2013/14"),
    one_of=(("ccg_rank", "district_rank"),),
    noun="an Index of Multiple Deprivation rank",
    definition="The CCG's rank among England's 212 CCGs and its districts' among 326 local authorities on the 2010 "
               "Index of Multiple Deprivation, each put in its national quintile; beside the share of the population "
               "in the most deprived fifth of small areas and the districts' counts.",
)

GP_WORKFORCE = Contract(
    id="gp_workforce", title="The GP shortfall against England's rate", page="ccg-demographics", section="workforce",
    inputs=(
        Input("england_rate", "gps_per_1000_population", "", "2014", "per 1,000", area=ENGLAND),
        Input("essex_rate", "gps_per_1000_population", "", "2014", "per 1,000", area=GREATER_ESSEX),
        Input("greater_essex_population", "population_ons_projection", "", "2013", "count", area=GREATER_ESSEX),
        Input("essex_ccgs_population", "population_ons_projection", "", "2013", "count", area=ESSEX_CCGS),
        Input("shortfall", "gp_shortfall_to_england_average", "", "2014", "count", result=True, area=GREATER_ESSEX),
        # Paper 001 prints the same shortfall again in its chapter 6 (one measure, told apart by breakdown).
        Input("shortfall_restated", "gp_shortfall_to_england_average", "restated in 6.5", "2014", "count",
              required=False, result=True, area=GREATER_ESSEX),
    ),
    noun="the GPs-per-1,000 rates of England and Essex and the Essex populations",
    definition="The GP shortfall as (England GPs per 1,000 − Essex GPs per 1,000) × population / 1,000 on each Essex "
               "population the papers print (the ONS 2013 projections for Greater Essex and for the Essex CCGs), with "
               "the range the rounded rates allow, against the printed shortfall. The papers print no rate for a "
               "single CCG, so every CCG's page shows Essex's.",
)

DEMOGRAPHICS_CONTRACTS = (POPULATION_BASES, AGE_STRUCTURE, POPULATION_GROWTH, PRACTICE_LISTS, HOUSING_GROWTH,
                          DEPRIVATION, GP_WORKFORCE)
