"""The finance pages: every page function gives one displayable result for
every CCG, the templates call only what exists and declare every scenario
parameter with the paper's value, and a scenario render changes the gap."""
import ast
import inspect
import re
from dataclasses import fields

import nbformat
import pytest
from IPython.display import Markdown

from analysis import TEMPLATE_DIR, charts, finance, render, report_finance as rf, style
from analysis.cli import _values_for

CCGS = ["99E", "99F", "06Q", "06T", "07H", "99G", "07G"]
PAPER = finance.Assumptions()
SCENARIO = finance.Assumptions(qipp_delivery=0.6)


def _page_functions():
    out = []
    for name, fn in inspect.getmembers(rf, inspect.isfunction):
        if fn.__module__ == rf.__name__ and not name.startswith("_"):
            out.append((name, fn, list(inspect.signature(fn).parameters)))
    return out


CCG_FUNCTIONS = [(n, f, p) for n, f, p in _page_functions() if p[:1] == ["area_code"]]
SYSTEM_FUNCTIONS = [(n, f) for n, f, p in _page_functions() if not p]


def _call(fn, params, code, scenario=PAPER):
    return fn(code, scenario) if len(params) == 2 else fn(code)


def _html(result) -> str:
    return result.data if isinstance(result, Markdown) else result._repr_html_()


@pytest.mark.parametrize("code", CCGS)
def test_every_ccg_function_gives_one_displayable_result(code):
    ids = []
    for name, fn, params in CCG_FUNCTIONS:
        result = _call(fn, params, code)
        if result is None:
            continue  # nothing to show for this CCG here; the section's first result says so
        assert isinstance(result, (Markdown, charts.Table, charts.Chart)), name
        if isinstance(result, Markdown):
            assert result.data.strip(), f"{name}: an empty Markdown would show as its repr"
        if isinstance(result, charts.Chart):
            ids += [result.chart_id, result.data.table_id]
            assert result.alt and result.caption and len(result.data.frame), name
        elif isinstance(result, charts.Table):
            ids.append(result.table_id)
    assert len(ids) == len(set(ids)), "chart and table ids must be unique on a page"


@pytest.mark.parametrize("name, fn", SYSTEM_FUNCTIONS)
def test_every_system_function_gives_one_displayable_result(name, fn):
    assert isinstance(fn(), (Markdown, charts.Table, charts.Chart))


@pytest.mark.parametrize("code", [c for c in CCGS if c != "99F"])
def test_ccgs_without_a_plan_say_no_gap_model_can_be_built(code):
    assert "No gap model can be built" in rf.scenario_table(code, PAPER).data
    assert "no gap model can be built" in rf.gap_summary(code, PAPER).data.lower()
    assert "not published in the source documents for this CCG" in rf.plan_bridge_chart(code, PAPER).data
    # Never an empty chart: the model sections give nothing further.
    assert rf.plan_tornado(code, PAPER) is None and rf.mtfp_chart(code, PAPER) is None


@pytest.mark.parametrize("code", ["99G", "07G"])
def test_outside_essex_council_spending_is_not_published(code):
    assert "not published in the source documents for this CCG" in rf.council_spend_sentence(code).data


def test_mental_health_footnote_is_quoted_where_figure3_has_the_area():
    text = rf.mental_health_footnote("06T").data
    assert text.startswith("> 1. MH services are commissioned at a sub-county level")
    assert "North locality" in text and "overstated" in text


def test_cpr_bridge_chart_ends_at_the_printed_gap(book_data):
    chart = rf.plan_bridge_chart("99F", PAPER)
    gap = book_data.facts.set_index("fact_id").loc["002.finplan.99f.fin_plan_line.2013-14.gap", "value"]
    assert chart.data.frame.iloc[-1].tolist() == ["GAP", gap]
    assert f"gap of {gap:,.0f}" in chart.alt


def test_cpr_check_tables_show_every_figure_reproduced():
    for table in (rf.plan_check_table("99F"), rf.mtfp_check_table("99F")):
        assert set(table.frame["Verdict"]) == {"✔ reproduces"}


def test_cpr_tornados_list_the_models_assumptions():
    plan = rf.plan_tornado("99F", PAPER).data.frame["Assumption"]
    mtfp = rf.mtfp_tornado("99F", PAPER).data.frame["Assumption"]
    assert len(plan) == sum("plan" in i.models for i in finance.ASSUMPTIONS.values())
    assert len(mtfp) == sum("mtfp" in i.models for i in finance.ASSUMPTIONS.values())
    assert "Acute growth" in set(mtfp) and "Acute growth" not in set(plan)


def test_bcf_blank_cells_are_shown_as_not_published():
    frame = rf.bcf_table("99E").frame
    care_bill = frame[frame["Service"] == "Care Bill"]
    assert (care_bill["Minimum (as printed)"] == "not published (blank)").all()
    assert not (frame["Minimum (£m)"] == "0.000").any()
    assert "Total (recomputed from the published cells)" in set(frame["Service"])


def test_scenario_changes_the_gap_figures_without_a_kernel():
    assert "breaks even every year" in rf.mtfp_sentence("99F", PAPER).data
    assert "leaves a deficit" in rf.mtfp_sentence("99F", SCENARIO).data
    assert rf.scenario_banner("99F", PAPER) is None
    assert rf.scenario_banner("99F", SCENARIO).data.startswith("**Scenario, not the paper's figures:**")
    assert "nothing on this page changes" in rf.scenario_banner("06Q", SCENARIO).data


# --- templates ---------------------------------------------------------------------------------

def _template(name):
    return nbformat.read(TEMPLATE_DIR / name, as_version=4)


def _parameters(nb) -> dict:
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    values = {}
    exec(cell.source, {}, values)
    return values


def test_ccg_finance_declares_every_scenario_parameter_with_the_papers_value():
    params = _parameters(_template("ccg_finance.ipynb"))
    assert params.pop("area_code") == "99F"
    assert params == {f.name: getattr(PAPER, f.name) for f in fields(finance.Assumptions)}


def test_ccg_finance_passes_every_parameter_to_the_models():
    nb = _template("ccg_finance.ipynb")
    cell = next(c.source for c in nb.cells if c.source.startswith("scenario = finance.Assumptions("))
    call = ast.parse(cell).body[0].value
    assert {k.arg: k.value.id for k in call.keywords} == {f.name: f.name for f in fields(finance.Assumptions)}


def test_essex_finance_parameters_are_only_the_area():
    assert _parameters(_template("essex_finance.ipynb")) == {"area_code": "E10000012"}


@pytest.mark.parametrize("name", ["ccg_finance.ipynb", "essex_finance.ipynb"])
def test_templates_call_only_page_functions_that_exist(name):
    nb = _template(name)
    calls = [m for c in nb.cells if c.cell_type == "code" for m in re.findall(r"report_finance\.(\w+)\(", c.source)]
    assert calls and all(hasattr(rf, c) for c in calls)
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
