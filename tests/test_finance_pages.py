"""The finance pages: every page function gives one displayable result for
every CCG, the spec's pages call only what exists, the templates declare every
scenario parameter with the paper's value, and a scenario render changes the gap."""
import ast
import inspect
from dataclasses import fields

import nbformat
import pytest
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import finance
from analysis.build import render
from analysis.pages import finance as rf
from analysis.pages.finance import common as rf_common
from analysis.pages import style
from analysis.pages.blocks import results, scenario_defaults, scenario_from
from analysis.pages.commentary import passage
from analysis.pages.pagedata import page_data
from analysis.pages.spec import load_spec
from analysis.cli import _values_for

CCGS = ["99E", "99F", "06Q", "06T", "07H", "99G", "07G"]
PAPER = finance.Assumptions()
SCENARIO = finance.Assumptions(qipp_delivery=0.6)


def _page_functions():
    out = []
    for name in rf.__all__:
        fn = getattr(rf, name)
        assert list(inspect.signature(fn).parameters)[0] == "page", name
        out.append((name, fn, fn.__module__.endswith(".county")))
    return out


SYSTEM_FUNCTIONS = [(n, f) for n, f, county in _page_functions() if county]
_PAGES: dict = {}


def _page(code, scenario=PAPER):
    """A CCG's finance page as the template builds it (one per area and scenario)."""
    if (code, scenario) not in _PAGES:
        _PAGES[code, scenario] = page_data(code, scope=code, scenario=scenario)
    return _PAGES[code, scenario]


def _html(result) -> str:
    return result.data if isinstance(result, Markdown) else result._repr_html_()


_SECTIONS: dict = {}


def _sections(code, scenario=PAPER) -> list[list]:
    """Each section of the CCG's finance page as the spec runs it (once per area and scenario)."""
    if (code, scenario) not in _SECTIONS:
        spec = load_spec().page("ccg-finance")
        _SECTIONS[code, scenario] = [[r for r in results(_page(code, scenario), "ccg-finance", i) if r is not None]
                                     for i in range(len(spec.sections))]
    return _SECTIONS[code, scenario]


def _section(code, section_id, scenario=PAPER) -> list:
    ids = [s.id for s in load_spec().page("ccg-finance").sections]
    return _sections(code, scenario)[ids.index(section_id)]


@pytest.mark.parametrize("code", CCGS)
def test_every_section_gives_displayable_results(code):
    ids = []
    for section in _sections(code):
        for result in section:
            assert isinstance(result, (Markdown, charts.Table, charts.Chart))
            if isinstance(result, charts.Chart):
                ids += [result.chart_id, result.data.table_id]
                assert result.alt and result.caption and len(result.data.frame)
            elif isinstance(result, charts.Table):
                ids.append(result.table_id)
    assert len(ids) == len(set(ids)), "chart and table ids must be unique on a page"


@pytest.mark.parametrize("name, fn", SYSTEM_FUNCTIONS)
def test_every_system_function_gives_one_displayable_result(name, fn):
    assert isinstance(fn(page_data("E10000012")), (Markdown, charts.Table, charts.Chart))


@pytest.mark.parametrize("code", [c for c in CCGS if c != "99F"])
def test_ccgs_without_a_plan_say_what_the_models_need(code):
    page = _page(code)
    if code in ("06Q", "99E", "06T"):  # the gap section is the analyst's passage (data/commentary/<code>.md)
        assert rf.gap_summary(page) is None
        gap = passage(page, "ccg-finance", "gap")
    else:
        gap = rf.gap_summary(page)
    assert "no gap model can be built" in gap.data.lower()
    # Each model section says, in one sentence, what it needs and links to the list; never an empty chart.
    for section_id in ("plan", "mtfp", "sensitivity", "month9", "closing"):
        shown = _section(code, section_id)
        assert len(shown) == 1 and shown[0].data.startswith("Not modelled for "), (code, section_id)
        assert "needs.html#" in shown[0].data and "none of them published" in shown[0].data


def test_cpr_gets_every_model_section():
    for section_id in ("plan", "mtfp", "sensitivity", "month9", "closing"):
        shown = _section("99F", section_id)
        assert not any(isinstance(r, Markdown) and r.data.startswith("Not modelled") for r in shown), section_id
        assert any(isinstance(r, (charts.Table, charts.Chart)) for r in shown), section_id


@pytest.mark.parametrize("code", ["99G", "07G"])
def test_outside_essex_council_spending_is_not_published(code):
    assert "not published in the source documents for this CCG" in rf.council_spend_sentence(_page(code)).data


@pytest.mark.parametrize("code, locality", [("06T", "North"), ("99F", "South")])
def test_mental_health_footnote_is_quoted_where_figure3_has_the_area(code, locality):
    page = _page(code)
    text = rf.mental_health_footnote(page).data
    # 000 line 823: the footnote allocates the North locality's spending to North East Essex, the South's to CP&R.
    assert text.startswith("> 1. MH services are commissioned at a sub-county level")
    reading = passage(page, "ccg-finance", "council").data  # the analyst's reading, data/commentary/<code>.md
    assert f"whole {locality} locality" in reading and "overstated" in reading and "understated" not in text


def test_other_figure3_areas_get_the_generic_reading():
    text = rf.mental_health_footnote(_page("06Q")).data
    assert "understated" in text and passage(_page("06Q"), "ccg-finance", "council") is None


def test_cpr_bridge_chart_ends_at_the_printed_gap(book_data):
    chart = rf.plan_bridge_chart(_page("99F"))
    gap = book_data.facts.set_index("fact_id").loc["002.finplan.99f.fin_plan_line.2013-14.gap", "value"]
    assert chart.data.frame.iloc[-1].tolist() == ["GAP", gap]
    assert f"gap of {gap:,.0f}" in chart.alt


def test_cpr_check_tables_show_every_figure_reproduced():
    for table in (rf.plan_check_table(_page("99F")), rf.mtfp_check_table(_page("99F"))):
        assert set(table.frame["Verdict"]) == {"✔ reproduces"}


def test_cpr_tornados_list_the_models_assumptions():
    plan = rf.plan_tornado(_page("99F")).data.frame["Assumption"]
    mtfp = rf.mtfp_tornado(_page("99F")).data.frame["Assumption"]
    assert len(plan) == sum("plan" in i.models for i in finance.ASSUMPTIONS.values())
    assert len(mtfp) == sum("mtfp" in i.models for i in finance.ASSUMPTIONS.values())
    assert "Acute growth" in set(mtfp) and "Acute growth" not in set(plan)


def test_bcf_blank_cells_are_shown_as_not_published():
    frame = rf.bcf_table(_page("99E")).frame
    care_bill = frame[frame["Service"] == "Care Bill"]
    assert (care_bill["Minimum (as printed)"] == "not published (blank)").all()
    assert not (frame["Minimum (£m)"] == "0.000").any()
    assert "Total (recomputed from the published cells)" in set(frame["Service"])


def test_scenario_changes_the_gap_figures_without_a_kernel():
    assert "breaks even every year" in rf.mtfp_sentence(_page("99F")).data
    assert "leaves a deficit" in rf.mtfp_sentence(_page("99F", SCENARIO)).data
    assert rf.scenario_banner(_page("99F")) is None
    assert rf.scenario_banner(_page("99F", SCENARIO)).data.startswith("**Scenario, not the paper's figures:**")
    assert "nothing on this page changes" in rf.scenario_banner(_page("06Q", SCENARIO)).data
    # A page without a scenario shows the paper's assumptions.
    assert rf.mtfp_sentence(page_data("99F", scope="99F")).data == rf.mtfp_sentence(_page("99F")).data


# --- templates and the spec ------------------------------------------------------------------------

def _template(name):
    """The notebook template the build generates from the spec."""
    return nbformat.reads(render.template_texts()[name], as_version=4)


def _parameters(nb) -> dict:
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    exec(cell.source, {}, values)
    return values


def test_ccg_finance_declares_every_scenario_parameter_as_the_areas_own():
    spec = load_spec().page("ccg-finance")
    assert spec.scenario == "finance.Assumptions"
    params = _parameters(_template(spec.template))
    assert params.pop("area_code") == "99F"
    # None: the area's own plan's value, so no CCG's page is rendered on another CCG's rates.
    assert params == {f.name: None for f in fields(finance.Assumptions)}
    # The class defaults are Castle Point and Rochford's printed rates: what its own plans print.
    assert scenario_defaults(spec.scenario) == {f.name: getattr(PAPER, f.name) for f in fields(finance.Assumptions)}
    assert finance.printed_assumptions(_page("99F").data.facts, "99F") == PAPER


def test_ccg_finance_passes_every_parameter_to_the_models():
    nb = _template(load_spec().page("ccg-finance").template)
    setup = next(c.source for c in nb.cells if "page = page_data(" in c.source)
    call = ast.parse(setup).body[-1].value
    assert [ast.unparse(a) for a in call.args] == ["area_code"]
    keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
    assert keywords == {"scope": "area_code", "scenario": "scenario_from('finance.Assumptions', globals())"}
    # Each parameter set to its own value reaches the page's assumptions; those left None are the paper's.
    params = {name: (i + 1) / 100 for i, name in enumerate(_parameters(nb)) if name != "area_code"}
    assert set(params) == {f.name for f in fields(finance.Assumptions)}
    assert scenario_from("finance.Assumptions", params) == params
    assert scenario_from("finance.Assumptions", {k: None for k in params}) is None
    namespace = {"area_code": "99F", **params}
    exec(setup, namespace)
    assert namespace["page"].area == "99F" and namespace["page"].scenario == params
    assert rf_common._scenario(namespace["page"]) == finance.Assumptions(**params)
    one = {**{k: None for k in params}, "area_code": "99F", "qipp_delivery": 0.6}
    exec(setup, one)
    assert rf_common._scenario(one["page"]) == finance.Assumptions(qipp_delivery=0.6)


def test_essex_finance_parameters_are_only_the_area():
    assert _parameters(_template(load_spec().page("essex-finance").template)) == {"area_code": "E10000012"}


@pytest.mark.parametrize("page_id", ["ccg-finance", "essex-finance"])
def test_templates_call_only_page_functions_that_exist(page_id):
    spec = load_spec().page(page_id)
    blocks = [b for s in spec.sections for b in s.blocks]
    assert blocks
    for block in blocks:
        module, name = block.fn.split(".")
        assert module == "finance" and name in rf.__all__, block.fn
        signature = inspect.signature(getattr(rf, name))
        assert list(signature.parameters)[0] == "page", block.fn
        signature.bind(None, *block.args, **block.kwargs)
    nb = _template(spec.template)
    headings_in_code = [c.source for c in nb.cells if c.cell_type == "code" and "Markdown(\"#" in c.source]
    assert not headings_in_code


# --- rendering with papermill ----------------------------------------------------------------------

def _render(tmp_path, code, extra=None):
    from analysis import data
    d = data.load()
    template, output = (("essex_finance.ipynb", "book/essex/finance") if code == "E10000012"
                        else ("ccg_finance.ipynb", f"book/ccg/{code}/finance"))
    page = render.Page(template=template, output=output, title="t", params={"area_code": code}, area_code=code)
    path = render.render_page(page, _values_for(d)(page), output_root=tmp_path, extra_params=extra)
    nb = nbformat.read(path, as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    return "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("data", {}).get("text/html", ""))
                     for o in outputs)


@pytest.mark.slow
def test_scenario_render_changes_the_gap(tmp_path):
    text = _render(tmp_path, "99F", {"qipp_delivery": 0.6})
    # 002: the 2013/14 GAP of 9,962 (line 1297) less 60% of the QIPP case for change (lines 1355-1357).
    left = 9962 - 0.6 * (4461 + 4510 + 6026)
    assert left > 0 and f"leaves {style.fmt_money(left, '£000')} of the gap open" in text
    assert "**Scenario, not the paper's figures:**" in text and "leaves a deficit of" in text
    assert "with QIPP delivered in full the plan breaks even every year" not in text


@pytest.mark.parametrize("code", ["07G", "E10000012"])
def test_pages_with_the_least_and_the_system_data_execute(tmp_path, code):
    text = _render(tmp_path, code)
    assert ("Essex County Council's funding gap grows" in text) if code == "E10000012" else ("No gap model can be built" in text)
