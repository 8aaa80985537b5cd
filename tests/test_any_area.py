"""Any CCG whose data hold a model's inputs gets the model: a copy of Castle Point and Rochford's
figures filed under another CCG (marked synthetic, never in the book) gets the same models on its
finance page, and the models reproduce the same printed figures with the same verdicts."""
import dataclasses
import re

import pandas as pd
import pytest
from IPython.display import Markdown

from analysis import data as data_mod
from analysis.data import units
from analysis.models import finance, registry
from analysis.pages import charts
from analysis.pages.blocks import results
from analysis.pages.pagedata import for_data
from analysis.pages.spec import load_spec

CPR, COPY = "99F", "99Y"
MODEL_SECTIONS = ("plan", "mtfp", "sensitivity", "month9", "closing")


@pytest.fixture(scope="module")
def book(book_data):
    """The book's data plus 99Y: a CCG whose own figures are 99F's, ids and area changed."""
    f = book_data.facts
    family = set(data_mod.descendants(book_data.areas, CPR))
    own = f[f["area_code"].isin(family)].copy()
    codes = {a: (COPY if a == CPR else f"COPY-{a}") for a in family}  # its localities and practices too
    own["area_code"] = own["area_code"].map(codes)
    own["fact_id"] = [re.sub(r"\.(loc-)?99f", lambda m: f".{m.group(1) or ''}99y", i, count=1) for i in own["fact_id"]]
    areas = book_data.areas[book_data.areas["area_code"].isin(family)].copy()
    areas["area_code"] = areas["area_code"].map(codes)
    areas["parent_code"] = areas["parent_code"].replace(codes)
    areas.loc[areas["area_code"] == COPY, "name"] = "Synthetic copy of CP&R"
    # Commentary is one paper's reading of one CCG: the copy has none.
    return dataclasses.replace(book_data, facts=pd.concat([f, own], ignore_index=True),
                               areas=pd.concat([book_data.areas, areas], ignore_index=True))


def _sections(book, code):
    page = for_data(data_mod.scoped(book, code), code)
    spec = load_spec().page("ccg-finance")
    return {s.id: [r for r in results(page, "ccg-finance", i) if r is not None] for i, s in enumerate(spec.sections)}


def _shape(shown):
    return [type(r).__name__ if not isinstance(r, Markdown) else "Markdown" for r in shown]


def test_the_copy_holds_every_contract_cpr_holds(book):
    for c in registry.CONTRACTS.values():
        assert c.holds(book.facts, COPY, book.areas) == c.holds(book.facts, CPR, book.areas), c.id
    assert registry.contract("plan").holds(book.facts, COPY, book.areas)


def test_the_copy_gets_every_model_section_with_the_same_results(book):
    cpr, copy = _sections(book, CPR), _sections(book, COPY)
    for sid in MODEL_SECTIONS:
        assert not any(isinstance(r, Markdown) and r.data.startswith("Not modelled") for r in copy[sid]), sid
        # The same charts and tables (the analyst's passages on CP&R are CP&R's alone).
        assert [t for t in _shape(copy[sid]) if t != "Markdown"] == [t for t in _shape(cpr[sid]) if t != "Markdown"], sid
    charts_copy = [r.chart_id for s in copy.values() for r in s if isinstance(r, charts.Chart)]
    assert charts_copy and all(cid.endswith("-99y") for cid in charts_copy)


def test_the_copy_gets_the_same_verdicts(book):
    unit_tab = units.unit_table(book.units)
    for check in (lambda a: finance.plan_check(book.facts, a), lambda a: finance.mtfp_check(book.facts, a, unit_tab)):
        a, b = check(CPR), check(COPY)
        assert list(a["reproduces"]) == list(b["reproduces"]) and a["reproduces"].all()
        assert (a["model"] - b["model"]).abs().max() == 0
    m9a = finance.month9_recomputed(finance.month9_frame(book.facts, CPR))
    m9b = finance.month9_recomputed(finance.month9_frame(book.facts, COPY))
    assert list(m9a["reproduces"]) == list(m9b["reproduces"])


def test_the_copy_takes_scenarios(book):
    page = for_data(data_mod.scoped(book, COPY), COPY, finance.Assumptions(qipp_delivery=0.6))
    ids = [s.id for s in load_spec().page("ccg-finance").sections]
    text = next(r.data for r in results(page, "ccg-finance", ids.index("mtfp")) if isinstance(r, Markdown))
    assert "leaves a deficit" in text


def test_a_ccg_without_the_inputs_is_told_what_they_are(book):
    shown = _sections(book, "07H")["plan"]
    assert len(shown) == 1 and "needs.html#plan" in shown[0].data


def test_a_ccg_with_other_rates_is_modelled_on_its_own_rates(book):
    """99Y again, but its medium-term plan prints acute growth at 4% (amounts unchanged): the models
    must take 4% as the paper's assumption, or its printed totals would not reproduce."""
    f = book.facts.copy()
    rate = (f["area_code"] == COPY) & (f["measure_id"] == "mtfp_rate_pct") & (f["breakdown"] == "Acute Growth")
    assert rate.sum() == 1
    f.loc[rate, ["value", "value_text", "printed"]] = [4.0, "4.0", "4.0%"]
    other = dataclasses.replace(book, facts=f)
    own = finance.printed_assumptions(other.facts, COPY)
    assert own.acute_growth_pct == 4.0 and finance.printed_assumptions(other.facts, CPR).acute_growth_pct == 2.0
    check = finance.mtfp_check(other.facts, COPY, units.unit_table(other.units))
    assert check["reproduces"].all()
    page = for_data(data_mod.scoped(other, COPY), COPY)
    ids = [s.id for s in load_spec().page("ccg-finance").sections]
    table = next(r for r in results(page, "ccg-finance", ids.index("sensitivity")) if isinstance(r, charts.Table))
    acute = table.frame.set_index("Parameter").loc["acute_growth_pct"]
    assert acute["Paper's value"] == "4%" and acute["This page"] == "4%"
