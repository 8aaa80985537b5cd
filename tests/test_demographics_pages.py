"""The demographics pages: every demographic fact is shown somewhere, the
spec's pages call what the page module lists, and every chart carries its
caption, text alternative and data. Page functions are called directly (no kernel)."""
import re

import nbformat
import pytest
from IPython.display import Markdown

from analysis.build import render
from analysis.pages import charts
from analysis.pages import style
from analysis.pages import demographics as rd
from analysis.pages.pagedata import for_data
from analysis.pages.spec import load_spec
from conftest import source_lines

CCGS = ["99E", "99F", "06Q", "06T", "07H", "99G", "07G"]
AREAS = CCGS + [rd.COUNTY]
NOT_PUBLISHED = "not published in the source documents for this CCG"


@pytest.fixture(scope="module")
def pages(book_data):
    return {a: for_data(book_data, a) for a in AREAS}


@pytest.fixture(scope="module")
def results(pages):
    return {a: rd.page_results(pages[a]) for a in AREAS}


def _page_facts(results, area):
    ids = set()
    for r in results[area]:
        ids |= rd.shown_fact_ids(r)
    return ids


def test_every_demographics_fact_is_on_a_page(book_data, results):
    kinds = dict(zip(book_data.measures["measure_id"], book_data.measures["kind"]))
    demographics = set(book_data.facts.loc[book_data.facts["measure_id"].map(kinds) == "demographics", "fact_id"])
    shown = set().union(*(_page_facts(results, a) for a in AREAS))
    assert demographics - shown == set()


def test_page_facts_are_real_fact_ids(book_data, results):
    known = set(book_data.facts["fact_id"])
    for area in AREAS:
        assert _page_facts(results, area) <= known


def _appendix_1(book_data):
    """Castle Point and Rochford's practice list sizes as 002 Appendix 1 prints them (lines 1833-1862),
    and the Special Allocation Scheme's list (line 1863)."""
    lines = source_lines(book_data, "002")
    rows = (re.search(r"\t([A-Z]\d{5})\t[^\t]+\t([\d,]+)$", line) for line in lines[1833 - 1:1862])
    practices = {m.group(1): int(m.group(2).replace(",", "")) for m in rows if m}
    special = int(lines[1863 - 1].split("\t")[-1])
    return practices, special


def test_castle_point_page_shows_every_practice_in_appendix_1(book_data, pages, results):
    practices, special = _appendix_1(book_data)
    assert len(practices) == 28  # "The CCG is made up of 28 practices" (002 line 63)
    ids = {f"002.app1.prac-{code.lower()}.population_registered.2012-13" for code in practices}
    assert ids <= rd.page_facts(pages["99F"])
    chart = next(r for r in results["99F"] if isinstance(r, charts.Chart) and r.chart_id == "dem-prac-99f")
    shown = dict(zip(chart.data.download["fact_id"], chart.data.download["Registered patients"]))
    assert shown == {**{f"002.app1.prac-{c.lower()}.population_registered.2012-13": v for c, v in practices.items()},
                     "002.app1.prac-99f-special-allocation-scheme.population_registered.2012-13": special}


@pytest.mark.parametrize("area, fact_ids", [
    ("06Q", ["001.s3-2.e07000067.dementia_prevalence_growth_pct.2030", "001.s3-2.e07000074.dementia_prevalence_growth_pct.2030"]),
    ("07H", ["001.s3-2.e07000073.life_expectancy_gap_male.2006-2010", "001.s3-2.e07000077.life_expectancy_gap_male.2006-2010",
             "001.s3-2.e07000073.life_expectancy_gap_female.2006-2010", "001.s3-2.e07000077.life_expectancy_gap_female.2006-2010"]),
    ("99F", ["002.jsna-roch.e07000075.children_in_poverty.2013-14", "002.app1.prac-f81123.population_registered.2012-13"]),
    ("99E", ["003.housing.loc-basildon-pitsea.proposed_dwellings.2014-2019"]),
    ("06T", ["001.s3-2.e07000071.population_growth_pct.2035"]),
])
def test_district_and_locality_figures_are_on_their_ccg_page(results, area, fact_ids):
    assert set(fact_ids) <= _page_facts(results, area)


@pytest.mark.parametrize("fact_id", [
    "001.s3-2.e07000067.dementia_prevalence_growth_pct.2030", "001.s3-2.e07000073.life_expectancy_gap_male.2006-2010",
    "001.s3-2.e07000071.population_growth_pct.2035", "001.s3-2.greater-essex.population_85_plus.2031",
    "001.s3-2.e10000012.population_share_65_plus.2030", "001.s3-2.e10000012.homeless_people.2014",
])
def test_county_page_carries_the_county_and_district_figures(results, fact_id):
    assert fact_id in _page_facts(results, rd.COUNTY)


def test_a_ccg_page_shows_no_other_ccgs_own_figures_in_its_tables(book_data, results):
    # Charts may show every district for comparison; tables stay with the CCG, its parts and comparators.
    from analysis.pages import report
    for area in CCGS:
        family = set(report.area_family(area, book_data))
        for r in results[area]:
            if not isinstance(r, charts.Table) or r.download is None or "area_code" not in r.download:
                continue
            for code in r.download["area_code"]:
                assert code in family or code in rd.COMPARATOR_AREAS, (area, r.table_id, code)


def _block_fns(page_id):
    """The page functions a spec page's blocks call, in page order."""
    return [b.fn for s in load_spec().page(page_id).sections for b in s.blocks]


def _template(name):
    """The notebook template the build generates from the spec."""
    return nbformat.reads(render.template_texts()[name], as_version=4)


def test_ccg_template_calls_exactly_the_page_functions_in_order():
    page = load_spec().page("ccg-demographics")
    fns = _block_fns("ccg-demographics")
    # The coverage line comes first, before any section.
    first = page.sections[0].blocks[0]
    assert (first.fn, first.args, first.kwargs) == ("report.coverage_sentence", ("demographics", "demographic"), {})
    # The demographics module's own blocks; the imported-indicators section is another module's.
    assert [f for f in fns[1:] if f.startswith("demographics.")] == [f"demographics.{n}" for n in rd.CCG_PAGE]
    assert "parameters" in _template(page.template).cells[0].metadata.get("tags", [])


def test_county_template_calls_exactly_the_page_functions_in_order():
    page = load_spec().page("essex-demographics")
    assert _block_fns("essex-demographics") == [f"demographics.{n}" for n in rd.COUNTY_PAGE]
    assert _template(page.template).cells[0].source == 'area_code = "E10000012"'


@pytest.mark.parametrize("page_id", ["ccg-demographics", "essex-demographics"])
def test_templates_are_thin(page_id):
    # Only the parameters, markdown, one setup cell and one show_section cell per section.
    page = load_spec().page(page_id)
    nb = _template(page.template)
    assert "parameters" in nb.cells[0].metadata.get("tags", [])
    code = [c.source for c in nb.cells[1:] if c.cell_type == "code"]
    assert all(c.cell_type in ("code", "markdown") for c in nb.cells)
    setup = [src for src in code if not src.startswith("show_section(")]
    assert len(setup) == 1 and code[0] == setup[0]
    lines = setup[0].splitlines()
    assert all(line.startswith("from analysis.pages.") for line in lines[:-1])
    assert re.fullmatch(r"page = page_data\(area_code, scope=(\w+|\"county\")\)", lines[-1]), lines[-1]
    shown = [re.fullmatch(r"show_section\(page, ['\"]([a-z-]+)['\"], (\d+)\)", src) for src in code[1:]]
    assert all(shown), code
    assert [(m[1], int(m[2])) for m in shown] == [(page_id, i) for i in range(len(page.sections))]


def _charts(results, area):
    return [r for r in results[area] if isinstance(r, charts.Chart)]


@pytest.mark.parametrize("area", AREAS)
def test_every_chart_has_caption_alt_with_numbers_and_data(results, area):
    for c in _charts(results, area):
        assert c.caption.strip() and c.chart_id.startswith("dem-")
        assert re.search(r"\d", c.alt), c.chart_id
        assert len(c.data.frame) >= 1
        assert all(len(trace.x if trace.x is not None else trace.y) > 0 for trace in c.fig.data)


@pytest.mark.parametrize("area", AREAS)
def test_ids_are_unique_on_a_page(results, area):
    ids = [r.chart_id for r in results[area] if isinstance(r, charts.Chart)]
    ids += [r.table_id for r in results[area] if isinstance(r, charts.Table)]
    assert len(ids) == len(set(ids))


def test_pages_render_identically_twice(book_data):
    def rendered():
        return [getattr(r, "_repr_html_", lambda: getattr(r, "data", None))() for r in rd.page_results(for_data(book_data, "99F"))]
    first, second = rendered(), rendered()
    assert first == second


@pytest.mark.parametrize("area", AREAS)
def test_chart_colours_come_from_the_palette(results, area):
    allowed = set(style.PALETTE.values())
    for c in _charts(results, area):
        for trace in c.fig.data:
            colours = []
            marker = getattr(trace, "marker", None)
            if marker is not None and marker.color is not None:
                colours += list(marker.color) if isinstance(marker.color, (list, tuple)) else [marker.color]
            line = getattr(trace, "line", None)
            if line is not None and line.color is not None:
                colours.append(line.color)
            assert set(colours) <= allowed, (c.chart_id, colours)


@pytest.mark.parametrize("area", AREAS)
def test_sentences_read_cleanly(results, area):
    for r in results[area]:
        if isinstance(r, Markdown):
            assert r.data.strip()
            assert not re.search(r"\bnan\b|\bNone\b|\{|\}", r.data), r.data


@pytest.mark.parametrize("area", ["07G", "06T", "99G"])
def test_empty_sections_say_not_published_and_show_no_chart(pages, results, area):
    sentences = [r.data for r in results[area] if isinstance(r, Markdown)]
    assert sum(NOT_PUBLISHED in s for s in sentences) >= 3
    assert rd.housing_chart(pages[area]) is None and rd.housing_table(pages[area]) is None


def test_population_page_shows_every_total_with_its_basis(book_data, pages):
    sentence = rd.population_sentence(pages["99F"]).data
    # Printed: 000 Figure 2 (line 253), 002 Table 1 (line 68), 002 lines 63 and 143, Appendix 1 total (line 1865).
    for printed in ("171,942", "177,091", "177,000", "179,660"):
        assert printed in sentence
    localities = 84960 + 76174  # 002 Table 3, lines 135-136
    practices, special = _appendix_1(book_data)
    lists = sum(practices.values()) + special
    assert lists == 179660  # the sum of the lists is the printed CCG total (002 line 1865)
    assert f"{localities:,}" in sentence
    rows = rd.population_rows("99F", pages["99F"].published.data)
    assert set(rows.loc[~rows["computed"], "basis"]) >= {"ONS resident projection", "GP registered list"}
    assert rows.loc[rows["computed"], "population"].tolist() == [localities, lists]


def test_single_total_gets_no_chart(pages):
    assert rd.population_chart(pages["07G"]) is None
    assert "only population total" in rd.population_sentence(pages["07G"]).data


def test_growth_page_compares_book_cagr_with_printed_and_england(pages):
    rates = rd.stated_rates("99F", pages["99F"].published.data).set_index("series")
    # 002 Table 1: 2011 and 2020 populations (lines 68, 70), printed rates (line 72), England's (line 73).
    assert rates.loc["All ages", "cagr"] == pytest.approx(100 * ((188006 / 177091) ** (1 / 9) - 1))
    assert rates.loc["Aged 75+", "cagr"] == pytest.approx(100 * ((22445 / 16536) ** (1 / 9) - 1))
    assert rates["printed"].to_dict() == {"All ages": 0.7, "Aged 75+": 3.5}
    assert rates["england"].to_dict() == {"All ages": 0.7, "Aged 75+": 2.3}
    assert (abs(rates["cagr"] - rates["printed"]) < 0.05).all()
    assert "✔ reproduces" in rd.growth_sentence(pages["99F"]).data


def test_housing_page_shows_dwellings_times_occupancy(pages):
    frame = rd.housing_frame("99E", pages["99E"].published.data).set_index("area_code")
    assert frame.loc["LOC-BASILDON-PITSEA", "residents_recomputed"] == 5788 * 2.5  # 003 line 408
    text = rd.housing_sentence(pages["99E"]).data
    assert f"{5788 * 2.5:,.0f}" in text and "circa 15,000" in text


def test_workforce_check_labels_its_population_and_sets_it_against_143(pages):
    shown = rd.workforce_check(pages["99E"]).frame
    # 003 line 235: 0.74 GPs per 1,000 in England, 0.66 in Essex, 143 GPs short. Populations: 000 Figure 2,
    # Greater Essex (line 258) and the ECC area (line 255). Rates printed to 0.01 are each within 0.005.
    populations = [1738865, 1396988]
    assert list(shown["People"]) == [f"{p:,}" for p in populations]
    assert list(shown["(0.74 − 0.66) × people / 1,000"]) == [f"{0.08 * p / 1000:.0f}" for p in populations]
    in_range = [(0.735 - 0.665) * p / 1000 <= 143 <= (0.745 - 0.655) * p / 1000 for p in populations]
    assert in_range == [True, False]
    assert list(shown["Printed figure in range?"]) == ["✔ yes" if ok else "✘ no" for ok in in_range]
    assert shown["Printed shortfall"].eq("143").all()
    assert shown["Population used"].str.contains("ONS 2013 projection").all()
    assert shown["Source of the population"].str.contains("000 Figure 2").all()


def test_west_essex_health_sentence_names_harlow_and_uttlesford(pages):
    text = rd.health_sentence(pages["07H"]).data
    assert "Harlow (district)" in text and "Uttlesford (district)" in text and "9.6 years" in text


def test_period_text():
    assert rd.period_text("2010-2030") == "2010 to 2030"
    assert rd.period_text("2011-04") == "April 2011"
