"""Model contracts: every one names a section of the spec and measures of the data in their
units; a CCG whose data hold a contract gets the model's result in that section (and, but
for the cases listed, only such a CCG); and the contracts' rules for areas below a CCG,
named areas, periods as printed and groups of alternatives."""
import pandas as pd
import pytest

from analysis.data import units
from analysis.models import finance, registry
from analysis.models.contracts import BELOW, Contract, Input, Role, below
from analysis.models.finance.assumptions import Assumptions
from analysis.pages import charts
from analysis.pages.blocks import results
from analysis.pages.pagedata import for_data
from analysis.pages.spec import load_spec

CONTRACTS = list(registry.CONTRACTS.values())
SPEC = load_spec()

# The table or chart (its id, less the area code) that carries each model's result.
SHOWN_BY = {
    "allocation_comparison": ("fig2-",), "population_bases": ("dem-pop-facts-",), "age_structure": ("dem-age-facts-", "dem-age-bands-"),
    "population_growth": ("dem-growth-facts-",), "practice_lists": ("dem-prac-",), "housing_growth": ("dem-housing-",),
    "deprivation": ("dem-dep-facts-",), "gp_workforce": ("dem-gp-check-",), "plan": ("fin-bridge-check-",),
    "mtfp": ("fin-mtfp-check-",), "month9": ("fin-m9-check-",), "case_for_change": ("fin-case-",),
    "trajectories": ("out-traj-cmp-",), "stated_targets": ("out-targets-",),
    "scorecards": ("out-score-commissioner-", "out-score-provider-"), "target_progress": ("out-progress-",),
    "activity_growth": ("out-growth-",), "admissions_by_provider": ("out-providers-",),
}
# Shown where the contract does not see it: Castle Point and Rochford's scorecards are printed
# for its PCT cluster, its PCT and its providers, which the registry places under Greater
# Essex, not under the CCG; the outcomes page finds them by the paper the CCG wrote.
SHOWN_UNHELD = {("scorecards", "99F")}


def _ccgs(book_data) -> list[str]:
    a = book_data.areas
    return list(a.loc[a["section"] == "ccg", "area_code"])


_PAGES: dict = {}


def _page(book_data, area: str, page_id: str):
    # One page's data per area and page, as its notebook makes once for all its sections.
    key = (id(book_data), area, page_id)
    if key not in _PAGES:
        _PAGES[key] = (book_data, for_data(book_data, area, Assumptions()))
    return _PAGES[key][1]


def _shown(book_data, c: Contract, area: str) -> list[str]:
    """The ids of the tables and charts the contract's section shows for the area."""
    page = _page(book_data, area, c.page)
    index = [s.id for s in SPEC.page(c.page).sections].index(c.section)
    out = []
    for r in results(page, c.page, index):
        if isinstance(r, charts.Chart):
            out += [r.chart_id, r.data.table_id]
        elif isinstance(r, charts.Table):
            out.append(r.table_id)
    return out


def _carries(c: Contract, ids: list[str], area: str) -> bool:
    wanted = {(stem + area).lower() for stem in SHOWN_BY[c.id]}
    return any(i.lower() in wanted for i in ids)


# --- declarations ---------------------------------------------------------------------------------

def test_every_contract_says_which_result_shows_it():
    assert set(SHOWN_BY) == set(registry.CONTRACTS)


@pytest.mark.parametrize("c", CONTRACTS, ids=lambda c: c.id)
def test_a_contract_names_a_section_of_the_spec(c):
    sections = [s.id for s in SPEC.page(c.page).sections]
    assert c.section in sections, f"{c.id}: page {c.page!r} has no section {c.section!r}"
    assert SPEC.page(c.page).for_ == "ccg"
    assert c.title and c.noun and c.definition


@pytest.mark.parametrize("c", CONTRACTS, ids=lambda c: c.id)
def test_every_input_is_a_measure_in_its_unit(c, book_data):
    measure_units = dict(zip(book_data.measures["measure_id"], book_data.measures["unit"]))
    dimension = dict(zip(book_data.units["unit"], book_data.units["dimension"]))
    for i in c.inputs:
        assert i.measure in measure_units, f"{c.id}: {i.key} reads {i.measure!r}, not in data/measures.csv"
        assert i.unit, f"{c.id}: {i.key} has no unit"
        if i.unit != measure_units[i.measure]:
            assert dimension[i.unit] == dimension[measure_units[i.measure]], \
                f"{c.id}: {i.key} in {i.unit!r} does not convert from {measure_units[i.measure]!r}"


@pytest.mark.parametrize("c", CONTRACTS, ids=lambda c: c.id)
def test_a_contract_needs_something_and_gives_the_papers_periods(c, book_data):
    assert any(i.required and not i.result for i in c.inputs) or c.one_of, f"{c.id}: any area would hold it"
    for name, role in c.roles.items():
        assert role.example, f"{c.id}: role {name!r} gives no example period"
    known = set(book_data.areas["area_code"])
    assert {i.area for i in c.inputs} - {"", BELOW} <= known


def test_a_section_that_needs_a_contract_names_one_for_its_page():
    for page in SPEC.pages:
        for s in page.sections:
            for cid in s.needs:
                c = registry.contract(cid)
                assert c.page == page.id, f"{page.id}/{s.id} needs {cid}, which belongs to {c.page}"


# --- held where shown -------------------------------------------------------------------------------

def test_a_contract_an_area_holds_is_one_its_section_shows(book_data):
    wrong = []
    for area in _ccgs(book_data):
        for c in CONTRACTS:
            if c.holds(book_data.facts, area, book_data.areas) and not _carries(c, _shown(book_data, c, area), area):
                wrong.append((c.id, area))
    assert wrong == [], "held, but the section shows no result of the model"


def test_a_section_shows_a_model_only_where_its_contract_holds(book_data):
    shown = set()
    for area in _ccgs(book_data):
        for c in CONTRACTS:
            if not c.holds(book_data.facts, area, book_data.areas) and _carries(c, _shown(book_data, c, area), area):
                shown.add((c.id, area))
    assert shown == SHOWN_UNHELD


def test_the_contracts_hold_where_the_papers_print_their_figures(book_data):
    held = {c.id: [a for a in c.areas(book_data.facts, book_data.areas) if a in _ccgs(book_data)] for c in CONTRACTS}
    every = _ccgs(book_data)
    assert held["population_bases"] == held["gp_workforce"] == held["allocation_comparison"] == every
    assert held["practice_lists"] == held["deprivation"] == held["admissions_by_provider"] == ["99F"]
    assert held["housing_growth"] == ["99E"] and held["trajectories"] == held["activity_growth"] == ["07H"]
    assert held["age_structure"] == ["99F", "06Q", "07H"] and held["stated_targets"] == ["99E", "99F"]


# --- the rules ----------------------------------------------------------------------------------------

FACTS = pd.DataFrame({
    "area_code": ["C", "L", "P1", "P2", "E", "C", "C"],
    "measure_id": ["pop", "list", "list", "list", "rate", "growth", "growth"],
    "period": ["2013", "2012/13", "2012/13", "2012/13", "2014", "2011-2020", "2014-2024"],
    "breakdown": ["", "Total", "", "", "", "", ""],
    "value": [300.0, 30.0, 10.0, 20.0, 0.7, 5.0, 6.0],
    "status": ["published"] * 6 + ["not_published"],
})
REGISTRY = pd.DataFrame({"area_code": ["E", "C", "L", "P1", "P2", "D"], "parent_code": ["", "E", "C", "L", "L", "E"]})
ROLES = {"printed": Role("", pick="all", example=("2012/13",)), "year": Role("pop", example=("2013",))}


def _contract(*inputs, one_of=()) -> Contract:
    roles = {name: r for name, r in ROLES.items() if any(i.period == name for i in inputs)}
    return Contract("test", "A test model", "page", "section", inputs, roles, one_of=one_of)


def test_an_input_below_the_area_is_any_area_below_it():
    lists = Input("lists", "list", "", "printed", "count", area=BELOW)
    c = _contract(Input("pop", "pop", "", "year", "count"), lists)
    assert below(REGISTRY, "C") == ["L", "P1", "P2"]
    assert c.holds(FACTS, "C", REGISTRY) and c.row(FACTS, "C", "lists", areas=REGISTRY)["area_code"] == "P1"
    # The locality's own total is not a practice list: the breakdown still has to match.
    assert c.rows(FACTS, "L", lists, REGISTRY)["2012/13"]["area_code"] == "P1"
    assert c.missing(FACTS, "D", REGISTRY) == ["pop (which sets the year)"]
    with pytest.raises(ValueError, match="pass the registry"):
        c.holds(FACTS, "C")


def test_an_input_about_a_named_area_is_read_for_every_area():
    c = _contract(Input("england", "rate", "", "2014", "per 1,000", area="E"))
    assert c.holds(FACTS, "C") and c.holds(FACTS, "D") and c.value(FACTS, "D", "england") == 0.7
    assert c.areas(FACTS, REGISTRY) == list(REGISTRY["area_code"])


def test_a_role_without_a_measure_is_each_input_as_printed():
    c = _contract(Input("growth", "growth", "", "printed", "%"), Input("lists", "list", "", "printed", "count",
                                                                     required=False))
    # The not-published 2014-2024 figure counts as absent.
    assert list(c.rows(FACTS, "C", c.input("growth"))) == ["2011-2020"]
    assert c.holds(FACTS, "C") and c.missing(FACTS, "P1") == ["growth (in any period)"]
    with pytest.raises(ValueError, match="resolves for each input"):
        c.periods(FACTS, "C", "printed")


def test_a_group_needs_one_of_its_inputs():
    c = _contract(Input("rate", "rate", "", "printed", "per 1,000", required=False),
                  Input("growth", "growth", "", "printed", "%", required=False), one_of=(("rate", "growth"),))
    assert c.holds(FACTS, "C") and c.holds(FACTS, "E")
    assert c.missing(FACTS, "D") == ["one of: rate; growth"]
    assert c.coverage(FACTS, "C") == (1, 1) and c.coverage(FACTS, "D") == (0, 1)


def test_a_contract_refuses_what_it_cannot_resolve():
    with pytest.raises(ValueError, match="must be declared required=False"):
        _contract(Input("rate", "rate", "", "2014", "per 1,000"), one_of=(("rate",),))
    with pytest.raises(ValueError, match="neither printed nor a role"):
        _contract(Input("rate", "rate", "", "plan_year", "per 1,000"))
    with pytest.raises(ValueError, match="declared twice"):
        _contract(Input("rate", "rate", "", "2014", "%"), Input("rate", "growth", "", "2014", "%"))


def test_the_finance_contracts_resolve_as_before(book_data):
    facts = book_data.facts
    for c in (finance.PLAN, finance.MTFP, finance.MONTH9, finance.CASE_FOR_CHANGE):
        assert c.areas(facts) == c.areas(facts, book_data.areas) == ["99F"]
        assert c.missing(facts, "07H") == c.missing(facts, "07H", book_data.areas)
    assert finance.plan_year(facts, "99F") == "2013/14"
    assert [finance.PLAN.coverage(facts, a) for a in ("07H", "99F")] == [(0, 25), (25, 25)]


def test_every_template_row_a_model_reads_says_which_model_it_feeds(book_data):
    """A new CCG's template: a figure the book compares across CCGs that a model also reads
    keeps its "Feeds:" note, so the analyst knows the model's section waits for it."""
    import csv
    from analysis.data import new_area
    from analysis.pages.needs import template_groups
    groups = template_groups(book_data)
    text = new_area.template_text("99X", "Example CCG", "ccg", new_area.template_measures(book_data, "ccg"), groups)
    notes = {(r["measure_id"], r["period"], r["breakdown"]): r["note"]
             for r in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))}
    model_rows = [g for _, group in groups for g in group]
    assert model_rows
    for g in model_rows:
        note = notes[g["measure_id"], g["period"], g["breakdown"]]
        assert f"Feeds: {g['feeds']} ({g['role']})." in note, (g["measure_id"], g["period"], g["breakdown"], note)
