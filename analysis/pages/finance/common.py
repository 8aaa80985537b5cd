"""Small pieces the finance pages share: the CCGs the papers single out, fact
lookups that a calculator can check for not-published inputs, number formats,
and the gap models run on the page's area."""
from __future__ import annotations

import contextvars
import functools
import html
from dataclasses import fields, replace

import pandas as pd

from analysis.data import units
from analysis.models import finance
from analysis.pages import report
from analysis.pages import style
from analysis.pages.pagedata import PageData

ESSEX = "E10000012"
VERDICT = {True: "✔ reproduces", False: "✘ differs"}


# --- small shared pieces -----------------------------------------------------------------------

def _paper(page: PageData) -> finance.Assumptions:
    """The area's own assumptions, as its plans print them (the class defaults where they print none)."""
    if not page.area:
        return finance.Assumptions()
    return page.memo("finance.paper", lambda: finance.printed_assumptions(page.data.facts, page.area))


def _scenario(page: PageData) -> finance.Assumptions:
    """The page's scenario: the area's own assumptions with the page's changes. A scenario is the
    assumptions a reader changed (a dict from the notebook's parameters; an ``Assumptions`` means
    its fields that differ from the class defaults); a page without one shows the paper's own."""
    changes = page.scenario
    if changes is None:
        return _paper(page)
    if isinstance(changes, finance.Assumptions):
        base = finance.Assumptions()
        changes = {f.name: getattr(changes, f.name) for f in fields(changes) if getattr(changes, f.name) != getattr(base, f.name)}
    return page.memo(("finance.scenario", tuple(sorted(changes.items()))), lambda: replace(_paper(page), **changes))


def _unit_table(page: PageData) -> dict:
    return page.memo("finance.unit_table", lambda: units.unit_table(page.data.units))


def _mtfp_check(page: PageData) -> pd.DataFrame:
    # Shared by the sentence and the table; each run perturbs every input both ways.
    return page.memo("finance.mtfp_check", lambda: finance.mtfp_check(page.data.facts, page.area, _unit_table(page)))


# The facts a calculator reads while it runs (set and reset by _on_published; empty between calls).
_READS: contextvars.ContextVar[list | None] = contextvars.ContextVar("reads", default=None)


def _fact(page: PageData, fact_id: str) -> pd.Series:
    row = finance.fact_row(page.data.facts, fact_id)
    reads = _READS.get()
    if reads is not None:
        reads.append(row)
    return row


def _on_published(fn):
    """A calculator runs only on published figures: if any figure it reads is not published or
    not in the area's data, it shows nothing (its section's sentence says what is published)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        token = _READS.set([])
        try:
            result = fn(*args, **kwargs)
            unpublished = any(r["status"] == "not_published" or pd.isna(r["value"]) for r in _READS.get())
        except KeyError:  # a figure it reads is not in the area's data (the needs page lists them)
            result, unpublished = None, True
        finally:
            _READS.reset(token)
        return None if unpublished else result
    return run


def _name(page: PageData, code: str) -> str:
    return report.area_name(code, page.data)


def _m(value: float, decimals: int = 1) -> str:
    return style.fmt_money(value, "£m", decimals)


def _k(value: float) -> str:
    return style.fmt_money(value, "£000", 0)


def _pct(value: float, decimals: int = 1) -> str:
    return style.fmt_pct(value, decimals)


def _to_m(page: PageData, value: float, unit: str) -> float:
    return finance.convert(value, unit, "£m", _unit_table(page))


def _src(page: PageData, fact_id: str, root: str) -> str:
    """An inline link to the source lines of a fact."""
    row = _fact(page, fact_id)
    return f'<a href="{html.escape(report.source_url(row, root))}">{html.escape(report.source_label(row))}</a>'


def _county_link(page: PageData, code: str) -> str:
    return f'<a href="{page.root}essex/finance.html">the Essex finance page</a>'


def _times(a: float, b: float) -> str:
    """How many times ``b`` ``a`` is; says so when either is not published.

    >>> _times(6.0, 4.0), _times(float("nan"), 4.0)
    ('1.5 times', 'not published as a multiple of')
    """
    if pd.isna(a) or pd.isna(b) or b == 0:
        return "not published as a multiple of"
    return f"{a / b:.1f} times"


def _count_word(n: int) -> str:
    """
    >>> _count_word(3), _count_word(12)
    ('three', '12')
    """
    return {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}.get(n, str(n))


def _signed(value: float, decimals: int = 1) -> str:
    """A signed number with a true minus sign.

    >>> _signed(-6.37), _signed(1.7)
    ('−6.4', '+1.7')
    """
    return f"{value:+.{decimals}f}".replace("-", "−")


def _empty() -> None:
    # Nothing for this CCG in this part of a section: the section's first result says so,
    # and show() displays nothing for None (an empty Markdown would show its repr).
    return None


def _facts_where(page: PageData, pattern: str) -> pd.DataFrame:
    f = page.data.facts
    return f[f["fact_id"].str.match(pattern)]


def _scenario_differs(page: PageData) -> list[str]:
    a, base = _scenario(page), _paper(page)
    return [f.name for f in fields(a) if getattr(a, f.name) != getattr(base, f.name)]


def _fmt_assumption(name: str, value: float) -> str:
    unit = finance.ASSUMPTIONS[name].unit
    if unit == "%":
        return f"{value:g}%"
    if unit == "percentage points":
        return f"{value:+g} points"
    if unit == "share":
        return f"{100 * value:g}%"
    return f"{value:g} ×"


def _step_text(name: str) -> str:
    info = finance.ASSUMPTIONS[name]
    if info.unit == "share":
        return f"±{100 * info.step:g} points"
    if info.unit == "× planned":
        return f"±{100 * info.step:g}%"
    return f"±{info.step:g} point{'' if info.step == 1 else 's'}"


# --- the gap models: their inputs, and whether they can run ------------------------------------

def _models(page: PageData, scenario: finance.Assumptions):
    """The plan and the medium-term plan for the page's area under ``scenario``: the plan's
    inputs and results, the medium-term plan's inputs and model."""
    facts, area = page.data.facts, page.area
    inputs = finance.plan_inputs(facts, area)
    results = finance.plan_results(inputs, scenario)
    mtfp_inputs, model = finance.mtfp_for(facts, area, _unit_table(page), scenario)
    return inputs, results, mtfp_inputs, model


def _qipp_programme(page: PageData) -> float:
    """The QIPP programme (£000): the case for change's components."""
    c = finance.CASE_FOR_CHANGE
    return finance.case_for_change({k: c.value(page.data.facts, page.area, k) for k in finance.CASE_COMPONENTS})


def _holds(page: PageData, *contract_ids: str) -> bool:
    """The page's area's data hold every input of these models (memoised per page)."""
    from analysis.models import registry
    return all(page.memo(("holds", cid), lambda: registry.contract(cid).holds(page.data.facts, page.area, page.data.areas))
               for cid in contract_ids)


def _span(page: PageData, contract) -> str:
    """Where the paper prints a model's inputs: "002 lines 1275-1297"."""
    return _lines([r for i in contract.inputs for r in contract.rows(page.data.facts, page.area, i).values()])


def _lines(rows) -> str:
    """Where figures are printed: "002 lines 1528-1539" (the papers alone when they are several)."""
    rows = list(rows)
    sources = sorted({str(r["source_id"]) for r in rows})
    lines = [int(x) for r in rows for x in str(r["lines"]).split("-") if x.strip().isdigit()]
    if len(sources) != 1 or not lines:
        return "; ".join(sources)
    return f"{sources[0]} lines {min(lines)}-{max(lines)}"
