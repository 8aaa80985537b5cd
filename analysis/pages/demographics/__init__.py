"""What the demographics (JSNA) pages call: each function returns one
displayable result (a sentence, a table or a chart) for one page, or None
when the section's sentence already says there is nothing to show.

A CCG page shows the figures about the CCG, its districts, localities and
practices, with the national or county figures the same passage of the
same paper sets beside them. The county page (area code E10000012) shows
the Essex-wide figures and every district's. The models in
``analysis.demographics`` do the arithmetic; this package only chooses rows
and words. Every page function takes the page's ``PageData`` and reads its
published rows only (``page.published``): no demographic figure is shown as
"not published", such rows count as absent.

Modules: ``common`` (selection, wording, table and chart helpers),
``population`` (totals and age structure), ``estimates`` (the age structure from
imported ONS estimates), ``growth`` (projections and growth
rates), ``localities`` (localities, practices and housing), ``health``
(deprivation, health and the GP workforce) and ``county`` (the county page's
own sections).
"""
from __future__ import annotations

from analysis.pages.pagedata import PageData
from analysis.pages.demographics.common import (
    COUNTY, COMPARATOR_AREAS, _is_county, area_label, facts_frame, judge, period_text, shown_fact_ids,
)
from analysis.pages.demographics.population import (
    age_chart, age_frame, age_sentence, age_table, population_chart, population_rows, population_sentence,
    population_table,
)
from analysis.pages.demographics.estimates import (
    age_band_chart, band_frame, estimate_rows, older_frame, older_people_sentence, older_people_table,
)
from analysis.pages.demographics.growth import (
    district_growth_chart, growth_chart, growth_rows, growth_sentence, growth_table, projection_series, stated_rates,
)
from analysis.pages.demographics.localities import (
    housing_chart, housing_frame, housing_sentence, housing_table, localities_sentence, localities_table,
    locality_chart, locality_totals, practice_chart,
)
from analysis.pages.demographics.health import (
    dementia_chart, deprivation_sentence, deprivation_table, health_sentence, health_table, life_expectancy_chart,
    workforce_check, workforce_frame, workforce_sentence, workforce_table,
)
from analysis.pages.demographics.county import (
    county_age_chart, county_age_frame, county_age_sentence, county_age_table, county_growth_chart,
    county_population_sentence, district_growth_sentence, vulnerable_chart, vulnerable_sentence, vulnerable_table,
)

__all__ = [
    "COUNTY", "COMPARATOR_AREAS", "area_label", "facts_frame", "judge", "period_text", "shown_fact_ids",
    "age_chart", "age_frame", "age_sentence", "age_table", "population_chart", "population_rows", "population_sentence",
    "population_table",
    "age_band_chart", "band_frame", "estimate_rows", "older_frame", "older_people_sentence", "older_people_table",
    "district_growth_chart", "growth_chart", "growth_rows", "growth_sentence", "growth_table", "projection_series",
    "stated_rates",
    "housing_chart", "housing_frame", "housing_sentence", "housing_table", "localities_sentence", "localities_table",
    "locality_chart", "locality_totals", "practice_chart",
    "dementia_chart", "deprivation_sentence", "deprivation_table", "health_sentence", "health_table",
    "life_expectancy_chart", "workforce_check", "workforce_frame", "workforce_sentence", "workforce_table",
    "county_age_chart", "county_age_frame", "county_age_sentence", "county_age_table", "county_growth_chart",
    "county_population_sentence", "district_growth_sentence", "vulnerable_chart", "vulnerable_sentence",
    "vulnerable_table",
    "CCG_PAGE", "COUNTY_PAGE", "page_results", "page_facts",
]

# --- page composition ------------------------------------------------------------------------

CCG_PAGE = (
    "population_sentence", "population_chart", "population_table",
    "age_sentence", "age_chart", "age_table", "older_people_sentence", "age_band_chart", "older_people_table",
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


def page_results(page: PageData) -> list:
    """Every result the area's demographics page shows, in page order."""
    names = COUNTY_PAGE if _is_county(page.area, page.data) else CCG_PAGE
    return [globals()[name](page) for name in names]


def page_facts(page: PageData) -> set[str]:
    """The fact ids the area's demographics page shows in its tables and charts' data."""
    ids: set[str] = set()
    for result in page_results(page):
        ids |= shown_fact_ids(result)
    return ids
