"""The finance pages: what each CCG's finance page and the Essex system finance
page call. Each function returns one displayable result (a sentence, a table
or a chart); the arithmetic lives in analysis.finance."""
from __future__ import annotations

import contextvars
import functools
import html
import re
from dataclasses import fields
from functools import lru_cache

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import finance
from analysis.pages import report
from analysis.pages import style
from analysis.data import units
from analysis.data import BookData

CPR = "99F"            # the one CCG whose papers allow a gap model
MID, NEE, BB = "06Q", "06T", "99E"
ESSEX = "E10000012"
VERDICT = {True: "✔ reproduces", False: "✘ differs"}


# --- small shared pieces -----------------------------------------------------------------------

def _data() -> BookData:
    return report.book()


@lru_cache(maxsize=1)
def _unit_table() -> dict:
    return units.unit_table(_data().units)


@lru_cache(maxsize=1)
def _mtfp_check() -> pd.DataFrame:
    # Shared by the sentence and the table; each run perturbs every input both ways.
    return finance.mtfp_check(_data().facts, _unit_table())


_READS: contextvars.ContextVar[list | None] = contextvars.ContextVar("reads", default=None)


def _fact(fact_id: str) -> pd.Series:
    row = finance.fact_row(_data().facts, fact_id)
    reads = _READS.get()
    if reads is not None:
        reads.append(row)
    return row


def _on_published(fn):
    """A calculator runs only on published figures: if any fact it read is not published,
    it shows nothing (its section's sentence says what is published)."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        token = _READS.set([])
        try:
            result = fn(*args, **kwargs)
            unpublished = any(r["status"] == "not_published" or pd.isna(r["value"]) for r in _READS.get())
        finally:
            _READS.reset(token)
        return None if unpublished else result
    return run


def _name(code: str) -> str:
    return report.area_name(code, _data())


def _m(value: float, decimals: int = 1) -> str:
    return style.fmt_money(value, "£m", decimals)


def _k(value: float) -> str:
    return style.fmt_money(value, "£000", 0)


def _pct(value: float, decimals: int = 1) -> str:
    return style.fmt_pct(value, decimals)


def _to_m(value: float, unit: str) -> float:
    return finance.convert(value, unit, "£m", _unit_table())


def _src(fact_id: str, root: str) -> str:
    """An inline link to the source lines of a fact."""
    row = _fact(fact_id)
    return f'<a href="{html.escape(report.source_url(row, root))}">{html.escape(report.source_label(row))}</a>'


def _county_link(code: str) -> str:
    return f'<a href="{report.root_for(code, _data())}essex/finance.html">the Essex finance page</a>'


def _times(a: float, b: float) -> str:
    """How many times ``b`` ``a`` is; says so when either is not published.

    >>> _times(6.0, 4.0), _times(float("nan"), 4.0)
    ('1.5 times', 'not published as a multiple of')
    """
    if pd.isna(a) or pd.isna(b) or b == 0:
        return "not published as a multiple of"
    return f"{a / b:.1f} times"


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


def _facts_where(pattern: str) -> pd.DataFrame:
    f = _data().facts
    return f[f["fact_id"].str.match(pattern)]


def _scenario_differs(a: finance.Assumptions) -> list[str]:
    base = finance.Assumptions()
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


# --- scenario ------------------------------------------------------------------------------------

def scenario_banner(area_code: str, scenario: finance.Assumptions) -> Markdown:
    """Says plainly when the page shows a scenario rather than the paper's own assumptions."""
    changed = _scenario_differs(scenario)
    if not changed:
        return _empty()
    items = "; ".join(f"{finance.ASSUMPTIONS[n].label} {_fmt_assumption(n, getattr(scenario, n))} "
                      f"(paper: {_fmt_assumption(n, getattr(finance.Assumptions(), n))})" for n in changed)
    if area_code != CPR or _models_missing():
        return Markdown(f"**Scenario:** {items}. No gap model exists for {_name(area_code)}, so nothing on this page changes.")
    return Markdown(f"**Scenario, not the paper's figures:** {items}. The model figures below use these assumptions; "
                    "printed figures are shown as printed.")


def scenario_table(area_code: str, scenario: finance.Assumptions) -> charts.Table | Markdown:
    """The assumptions the gap models use on this page, beside the paper's own."""
    if area_code != CPR or _models_missing():
        return Markdown(f"No gap model can be built for {_name(area_code)} from what the papers publish: none of them sets "
                        "out this CCG's spending and allocation line by line with the rates behind them, so there is no "
                        "assumption to move. Castle Point and Rochford CCG's finance page has the one model the sources allow.")
    paper = finance.Assumptions()
    rows = []
    for name, info in finance.ASSUMPTIONS.items():
        rows.append({
            "Assumption": info.label,
            "Parameter": name,
            "Paper's value": _fmt_assumption(name, getattr(paper, name)),
            "This page": _fmt_assumption(name, getattr(scenario, name)),
            "Step in the sensitivity": _step_text(name),
            "Moves": " and ".join({"plan": "2013/14 plan", "mtfp": "medium-term plan"}[m] for m in info.models),
            "Where the paper states it": info.source,
        })
    return charts.Table(pd.DataFrame(rows), "Assumptions behind the gap models: the paper's and this page's "
                        "(render a scenario with `python -m analysis render --area 99F -p NAME VALUE`)", "fin-assumptions-99f")


# --- allocation and QIPP (000 Figure 2) -----------------------------------------------------------

def coverage(area_code: str) -> Markdown:
    return report.coverage_sentence(area_code, "finance", "finance")


def allocation_sentence(area_code: str) -> Markdown:
    return report.figure2_sentence(area_code)


def allocation_table(area_code: str) -> charts.Table | Markdown:
    return report.figure2_comparison(area_code)


def allocation_chart(area_code: str) -> charts.Chart:
    return report.figure2_chart(area_code, "allocation_per_head")


def qipp_chart(area_code: str) -> charts.Chart:
    return report.figure2_chart(area_code, "qipp_pct_allocation")


# --- council spending by CCG area (000 Figure 3) ------------------------------------------------

def _fig3() -> tuple[pd.DataFrame, pd.DataFrame]:
    d = _data()
    fig3 = finance.figure3_frame(d.facts)
    pop = finance.figure2_frame(d.facts)["population_ons_projection"]
    return fig3, finance.council_spend_per_head(fig3, pop)


def _not_in_fig3(area_code: str) -> Markdown:
    return Markdown(f"Council spending in {_name(area_code)}'s area is not published in the source documents for this CCG: "
                    "Figure 3 of paper 000 splits Essex County Council's budget across the five CCG areas of the county "
                    f"only, and {_name(area_code)} lies outside it. See {_county_link(area_code)} for the county budget.")


def council_spend_sentence(area_code: str) -> Markdown:
    if area_code not in finance.FIG3_CCGS:
        return _not_in_fig3(area_code)
    fig3, per_head = _fig3()
    own = fig3.loc[area_code]
    total = own.sum()
    alloc = _fact(f"000.fig3.{area_code.lower()}.ccg_allocation.2013-14.repeat-in-figure-3")["value"]
    root = report.root_for(area_code, _data())
    ph, essex = per_head.loc[area_code, "Total"], per_head.loc["ESSEX-CCGS", "Total"]
    side = "more" if ph > essex else "less"
    parts = ", ".join(f"{label.lower()} {_m(_to_m(own[s], '£000'))}" for s, label in finance.FIG3_SERVICES.items())
    return Markdown(
        f"Essex County Council budgeted {_m(_to_m(total, '£000'))} of gross spending in {_name(area_code)}'s area for 2013/14: "
        f"{parts} ({_src(f'000.fig3.{area_code.lower()}.ecc_gross_expenditure_budget.2013-14.adult-social-care', root)}). "
        f"That is {style.fmt_money(ph)} per resident, {style.fmt_money(abs(ph - essex))} {side} than the "
        f"{style.fmt_money(essex)} across the five CCG areas (spending the council books countywide, mostly schools, "
        "is left out of both). With the CCG's own allocation of "
        f"{_m(_to_m(alloc, '£000'))}, the paper's total for the area is "
        f"{_m(_to_m(_fact(f'000.fig3.{area_code.lower()}.ccg_allocation_plus_ecc_gross_expenditure.2013-14')['value'], '£000'))}."
    )


def council_spend_table(area_code: str) -> charts.Table | Markdown:
    """Council spending in the area by service, as printed and per resident, against the five-area figure."""
    if area_code not in finance.FIG3_CCGS:
        return _empty()
    fig3, per_head = _fig3()
    root = report.root_for(area_code, _data())
    rows = []
    for service, label in {**finance.FIG3_SERVICES, "Total": "All three services"}.items():
        if service == "Total":
            printed, source, url = style.fmt_number(fig3.loc[area_code].sum()), "sum of the three rows", ""
        else:
            fact = _fact(f"000.fig3.{area_code.lower()}.ecc_gross_expenditure_budget.2013-14.{finance.fact_slug(service)}")
            printed, source, url = fact["printed"], report.source_label(fact), report.source_url(fact, root)
        own, essex = per_head.loc[area_code, service], per_head.loc["ESSEX-CCGS", service]
        rows.append({"Service": label, "£000 (as printed)": printed, "£ per resident": style.fmt_money(own),
                     "£ per resident, five CCG areas": style.fmt_money(essex),
                     "Difference": f"{100 * (own / essex - 1):+.0f}%" if pd.notna(own) and pd.notna(essex) else style.NOT_PUBLISHED,
                     "Source": source, "_source_url": url})
    return charts.Table(pd.DataFrame(rows), f"Essex County Council gross spending budget in {report.area_name(area_code)}'s "
                        "area, 2013/14 (000 Figure 3; per resident with the ONS 2013 population of Figure 2)",
                        f"fin-council-{area_code.lower()}", numeric=("£000 (as printed)", "£ per resident",
                                                                     "£ per resident, five CCG areas", "Difference"),
                        links={"Source": "_source_url"})


def council_spend_chart(area_code: str) -> charts.Chart | Markdown:
    """Council spending per resident in each of the five CCG areas, this one highlighted."""
    if area_code not in finance.FIG3_CCGS:
        return _empty()
    d = _data()
    _, per_head = _fig3()
    frame = pd.DataFrame({"CCG": [report.area_name(c, d) for c in finance.FIG3_CCGS],
                          "per_head": [per_head.loc[c, "Total"] for c in finance.FIG3_CCGS]})
    frame = frame.sort_values(["per_head", "CCG"], ascending=[False, True])
    essex = per_head.loc["ESSEX-CCGS", "Total"]
    ref = {f"Five CCG areas {style.fmt_money(essex)}": essex}
    fig = charts.bar(frame, "CCG", "per_head", "Council spending per resident, 2013/14", "£ per resident",
                     highlight=report.area_name(area_code, d), reference=ref, horizontal=True)
    fig.update_layout(height=340, margin=dict(l=230))
    top, bottom = frame.iloc[0], frame.iloc[-1]
    alt = (f"Horizontal bar chart of Essex County Council spending per resident in the five CCG areas, 2013/14. Highest: "
           f"{top['CCG']} ({style.fmt_money(top['per_head'])}); lowest: {bottom['CCG']} ({style.fmt_money(bottom['per_head'])}); "
           f"five-area figure {style.fmt_money(essex)}. {report.area_name(area_code, d)} is highlighted.")
    caption = ("Adult social care, schools, children and families and public health spending per resident by CCG area "
               "(000 Figure 3 over Figure 2's ONS 2013 population). Dashed line: the five areas together. Mental health "
               "spending is booked to two areas only: see the footnote below.")
    table = frame.rename(columns={"per_head": "£ per resident"})
    table["£ per resident"] = table["£ per resident"].round(0)
    cid = f"fin-council-ph-{area_code.lower()}"
    return charts.Chart(fig, cid, caption, alt, charts.Table(table, caption, cid + "-data", numeric=("£ per resident",)))


def mental_health_footnote(area_code: str) -> Markdown:
    """The paper's footnote on where mental health spending was booked, quoted, and what it does to the comparison."""
    if area_code not in finance.FIG3_CCGS:
        return _empty()
    row = _fact(f"000.fig3.{area_code.lower()}.ecc_gross_expenditure_budget.2013-14.adult-social-care")
    quote = re.search(r'verbatim\): "(.*?)"', row["note"]).group(1)
    root = report.root_for(area_code, _data())
    effect = {
        "06T": "North East Essex's adult social care figure therefore includes mental health spending for the whole North "
               "locality, not just its own area, so its per-resident spending is overstated.",
        "99F": "Castle Point and Rochford's adult social care figure therefore includes mental health spending for the whole "
               "South locality, not just its own area, so its per-resident spending is overstated.",
    }.get(area_code, f"{_name(area_code)}'s mental health spending is therefore booked to North East Essex or Castle Point and "
                     "Rochford (the footnote does not list which areas make up each locality), so its adult social care "
                     "figure here leaves it out and its per-resident spending is understated.")
    line = f'<a href="{root}sources/000.html#L823">000 Figure 3 footnote, line 823</a>'
    return Markdown(
        f"> {html.escape(quote)}\n\n"
        f"The paper's footnote to Figure 3 ({line}). The footnote marker was lost when the "
        f"paper was converted to text; it is read here as applying to adult social care, where mental health sits. {effect}"
    )


# --- the gap, CCG by CCG ---------------------------------------------------------------------------

def _cpr_models(scenario: finance.Assumptions):
    d = _data()
    inputs = finance.plan_inputs(d.facts)
    results = finance.plan_results(inputs, scenario)
    mtfp_inputs, model = finance.mtfp_for(d.facts, _unit_table(), scenario)
    return inputs, results, mtfp_inputs, model


def _qipp_programme() -> float:
    """Castle Point and Rochford's 2013/14 QIPP programme (£000): the case for change's three components."""
    d = _data()
    return finance.case_for_change({k: finance.fact_value(d.facts, v) for k, v in finance.CASE_FOR_CHANGE.items()})


def gap_summary(area_code: str, scenario: finance.Assumptions) -> Markdown:
    """The paper's answer to 'how big is the gap and what closes it', for this CCG."""
    root = report.root_for(area_code, _data())
    if area_code == CPR and not _models_missing():
        return Markdown(_cpr_summary(scenario, root))
    if area_code == MID:
        return Markdown(_mid_summary(root))
    if area_code == NEE:
        return Markdown(_nee_summary(root))
    if area_code == BB:
        return Markdown(_bb_summary(root))
    ids = {m: f"000.fig2.{area_code.lower()}.{m}.2013-14" for m in ("qipp_savings", "qipp_pct_allocation")}
    known = set(_data().facts["fact_id"])
    if not all(i in known for i in ids.values()):
        # An area outside seed 000's Figure 2 (e.g. one added by an analyst).
        return Markdown(f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(area_code)}, "
                        f"so no gap model can be built: see {_county_link(area_code)} for the Essex-wide gap figures.")
    qipp = _fact(ids["qipp_savings"])
    pct = _fact(ids["qipp_pct_allocation"])
    tail = (" and Essex County Council's spending in its area (Figure 3)" if area_code in finance.FIG3_CCGS
            else "; the other papers are about the Essex County Council area and leave it out")
    return Markdown(
        f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(area_code)}. "
        f"What they give is its 2013/14 allocation and QIPP savings requirement, {_m(_to_m(qipp['value'], qipp['unit']))} "
        f"or {pct['printed']} of its allocation (000 Figure 2){tail}. No gap model can be built from that: see "
        f"{_county_link(area_code)} for the Essex-wide gap figures."
    )


def _cpr_summary(scenario: finance.Assumptions, root: str) -> str:
    _, plan, _, model = _cpr_models(scenario)
    printed = finance.mtfp_printed(_data().facts)
    req = printed[printed["item"] == "qipp_requirement"].set_index("year")["printed"]
    qipp = _qipp_programme()
    text = (
        f"Castle Point and Rochford CCG's 2013/14 plan sets {_m(_to_m(plan['total_planned'], '£000'))} of recurrent "
        f"spending against a notified allocation of {_m(_to_m(plan['notified_allocation'], '£000'))}: a recurrent gap of "
        f"**{_k(plan['gap'])}**, plus {_k(plan['gap_non_recurrent'])} of non-recurrent investment with nothing set against it "
        f"({_src('002.finplan.99f.fin_plan_line.2013-14.gap', root)}). Its medium-term plan sets the QIPP savings needed to "
        f"break even each year at {', '.join(f'{_m(req[y], 2)} in {y}' for y in finance.MTFP_PLAN_YEARS)} "
        f"({_m(sum(req[y] for y in finance.MTFP_PLAN_YEARS), 2)} over three years; "
        f"{_src('002.mtfp.99f.mtfp_line.2013-14.qipp-requirement', root)}). The QIPP programme that is to close the gap is "
        f"{_k(qipp)}, the sum of the three parts of the case for change, and the same as Figure 2's QIPP for the CCG."
    )
    if scenario != finance.Assumptions():
        short = model.loc[list(finance.MTFP_PLAN_YEARS), "net_position"]
        text += (f" **Under this page's scenario** the 2013/14 recurrent gap is {_k(plan['gap'])} and the medium-term plan "
                 f"needs {_m(finance.cumulative_requirement(model), 2)} of QIPP over the three years; "
                 + (f"delivering {_pct(100 * scenario.qipp_delivery, 0)} of it leaves the CCG short by "
                    + ", ".join(f"{_m(v, 2)} in {y}" for y, v in short.items()) + "."
                    if short.abs().max() > 0.005 else "delivered in full, the plan still breaks even each year."))
    return text


def _mid_summary(root: str) -> str:
    out = _fact("001.mid-summary.06q.ccg_surplus_deficit.2013-14.draft-outturn")
    nothing = _fact("001.mid-summary.06q.ccg_cumulative_surplus_deficit.2017-18.do-nothing")
    lo = _fact("001.mid-poap.06q.ccg_forecast_deficit.2013-14.min")
    alloc = _fact("000.fig2.06q.ccg_allocation.2013-14")
    essex_gap = _fact("001.s3-3.essex-ccgs.ccg_cumulative_financial_gap.2014-15-2018-19")
    deficit = -out["value"]
    share = finance.percent_of(deficit, _to_m(alloc["value"], alloc["unit"]))
    average = -nothing["value"] / 5
    return (
        f"Mid Essex CCG ended 2013/14 with a draft outturn deficit of **{_m(deficit)}** (printed {out['printed']}; "
        f"{_src(out['fact_id'], root)}), within the {lo['printed']} its plan on a page forecast, and "
        f"{_pct(share)} of its 2013/14 allocation of {_m(_to_m(alloc['value'], alloc['unit']))}. The paper puts it down to "
        "under-achievement of QIPP and excess accruals for continuing healthcare. Doing nothing would lead to a cumulative "
        f"deficit of **{_m(-nothing['value'], 0)}** by 2017/18 ({_src(nothing['fact_id'], root)}). The paper does not say from "
        f"which year that accumulates; spread over the five years 2013/14 to 2017/18 it would average {_m(average)} a year, "
        f"{_times(average, deficit)} the 2013/14 deficit. On its own it is {_times(-nothing['value'], essex_gap['value'])} "
        f"the {_m(essex_gap['value'], 0)} cumulative gap the Essex five-year plan reports for all five CCGs by 2018/19 "
        f"({_src(essex_gap['fact_id'], root)}), so the two cannot be on the same basis. The CCG plans to reach financial "
        "balance by 2017/18; the papers publish no year-by-year plan to show how, so no gap model can be built."
    )


def _nee_summary(root: str) -> str:
    surplus = _fact("001.nee-poap.06t.planned_surplus_pct.2014-15-2018-19")
    trans = _fact("001.nee-poap.06t.transformation_monies_pct.2014-15-2018-19")
    lo, hi = _fact("001.nee-poap.06t.qipp_savings.2014-15.min"), _fact("001.nee-poap.06t.qipp_savings.2014-15.max")
    alloc = _fact("000.fig2.06t.ccg_allocation.2013-14")
    qipp13 = _fact("000.fig2.06t.qipp_savings.2013-14")
    alloc_m = _to_m(alloc["value"], alloc["unit"])
    q13 = _to_m(qipp13["value"], qipp13["unit"])
    return (
        f"North East Essex CCG's plan on a page sets two financial rules, a **{surplus['printed']} surplus** and "
        f"**{trans['printed']} transformation monies**, and names QIPP challenges of **{lo['printed']} in 2014/15** "
        f"({_src(lo['fact_id'], root)}). That is {_m(lo['value'] - q13)} to {_m(hi['value'] - q13)} more than its "
        f"2013/14 QIPP of {_m(q13)} (000 Figure 2), and {_pct(finance.percent_of(lo['value'], alloc_m))} to "
        f"{_pct(finance.percent_of(hi['value'], alloc_m))} of its 2013/14 allocation of {_m(alloc_m)}, the latest the papers "
        f"give. The paper does not say what the {surplus['printed']} and {trans['printed']} are percentages of; on that "
        f"2013/14 allocation they would come to about {_m(alloc_m * surplus['value'] / 100)} and "
        f"{_m(alloc_m * trans['value'] / 100)}. No spending plan is published, so no gap model can be built."
    )


def _bb_summary(root: str) -> str:
    v14, v15 = _fact("003.text-6-4.99e.bcf_value.2014-15"), _fact("003.text-6-4.99e.bcf_value.2015-16")
    pool = _fact("001.bb-summary.99e.bcf_nhs_contribution.2014-15-2018-19")
    return (
        f"The papers publish no gap figure for Basildon and Brentwood CCG. What they give is how it plans to pool money with "
        f"Essex County Council: a Better Care Fund growing from {v14['printed']} in 2014/15 to {v15['printed']} in 2015/16 "
        f"({_src(v15['fact_id'], root)}), and the pooling of {pool['printed']} from its NHS budget over the five-year plan "
        f"({_src(pool['fact_id'], root)}). Its investment by service is in the Better Care Fund section below. No spending "
        "plan is published, so no gap model can be built."
    )


GAP_FACTS = {
    CPR: r"^(002\.finplan\.99f\.fin_plan_line\.2013-14\.(gap|gap-nr|total-planned|notified)|002\.mtfp\.99f\.mtfp_line\..*qipp-requirement"
         r"|002\.qippcase\.|000\.fig2\.99f\.qipp|001\.cpr-poap\.99f\.)",
    MID: r"^(001\.mid-summary\.06q\.ccg_|001\.mid-poap\.06q\.ccg_|000\.fig2\.06q\.qipp)",
    NEE: r"^(001\.nee-poap\.06t\.(planned|transformation|qipp)|000\.fig2\.06t\.qipp)",
    BB: r"^(003\.text-6-4\.99e|001\.bb-summary\.99e\.bcf|001\.bb-poap\.99e\.bcf|003\.summary\.99e\.bcf|000\.fig2\.99e\.qipp)",
}


def gap_facts(area_code: str) -> charts.Table | Markdown:
    """The CCG's gap, deficit, surplus and savings figures as printed, with their sources."""
    if area_code not in GAP_FACTS:
        return _empty()
    facts = _facts_where(GAP_FACTS[area_code])
    return report.facts_table(facts, f"{report.area_name(area_code)}: gap, deficit and savings figures as printed "
                              "(placeholders shown as not published)", f"fin-gapfacts-{area_code.lower()}",
                              report.root_for(area_code, _data()), _data())


# --- Castle Point and Rochford: the 2013/14 plan as a bridge ------------------------------------

@lru_cache(maxsize=1)
def _models_missing() -> tuple[str, ...]:
    """Figures the plan models read that have no published value (they run only when every one has).
    Memoised per page: the renderer clears it when the data change."""
    f = _data().facts
    needed = [finance.PLAN_PREFIX + v for v in (*finance.PLAN_INPUTS.values(), *finance.PLAN_RESULTS.values())]
    needed += list(finance.CASE_FOR_CHANGE.values())
    missing = []
    for fact_id in needed:
        try:
            row = finance.fact_row(f, fact_id)
        except KeyError:
            missing.append(fact_id)
            continue
        if row["status"] == "not_published" or pd.isna(row["value"]):
            missing.append(fact_id)
    if not missing:
        try:
            inputs, _, _, model = _cpr_models(finance.Assumptions())
        except KeyError as exc:  # a line of the medium-term plan is not published
            return (str(exc),)
        if model.select_dtypes("number").isna().any().any():
            return ("a line of the medium-term plan",)
    return tuple(missing)


def _not_cpr(area_code: str, what: str, why: bool = False) -> Markdown:
    if area_code == CPR:
        return Markdown(f"{what} cannot be modelled for {_name(area_code)}: the model needs every line of the plan, and "
                        f"{len(_models_missing())} of its figures are not published.")
    text = f"{what} is not published in the source documents for this CCG."
    if why:
        text += (" Only Castle Point and Rochford CCG's integrated plan (paper 002) prints one, so that is the one CCG with "
                 "a gap model.")
    return Markdown(text)


def plan_bridge_chart(area_code: str, scenario: finance.Assumptions) -> charts.Chart | Markdown:
    """The 2013/14 plan as a waterfall from allocation to the gap, in the paper's sign convention."""
    if area_code != CPR or _models_missing():
        return _not_cpr(area_code, "A financial plan that sets spending against allocation line by line", why=True)
    inputs = finance.plan_inputs(_data().facts)
    bridge = finance.plan_bridge(inputs, scenario)
    fig = charts.waterfall(list(bridge["step"]), list(bridge["amount"]), list(bridge["measure"]),
                           "2013/14 financial plan: from allocation to the gap", "£000 (money in negative, spending positive)")
    fig.update_traces(text=[f"{v:+,.0f}".replace("-", "−") for v in bridge["amount"]], textposition="outside")
    fig.update_layout(height=520, margin=dict(b=150))
    gap = bridge.iloc[-1]["amount"]
    scenario_note = "" if scenario == finance.Assumptions() else " Model figures use this page's scenario."
    alt = ("Waterfall chart. Starting from the recurrent allocation of −" + f"{inputs['recurrent_allocation']:,.0f}" +
           " (£000) and growth, the notified allocation is " + f"{bridge.iloc[2]['amount']:,.0f}".replace("-", "−") +
           "; spending steps then add " + "; ".join(f"{s} {a:+,.0f}".replace("-", "−") for s, a in
                                                    zip(bridge["step"][3:-1], bridge["amount"][3:-1])) +
           f", ending at a gap of {gap:,.0f} (£000).")
    caption = ("Castle Point and Rochford CCG's 2013/14 financial plan (002 lines 1270-1297) as a bridge: money in is "
               "negative and spending positive, as in the paper, so the bars end at the recurrent gap. Headroom and "
               "allocation growth are recomputed from their rates; the other steps are as printed." + scenario_note)
    table = pd.DataFrame({"Step": bridge["step"], "£000 (model)": bridge["amount"].round(0).astype(int)})
    cid = "fin-bridge-99f"
    return charts.Chart(fig, cid, caption, alt, charts.Table(table, caption, cid + "-data", numeric=("£000 (model)",)))


def plan_qipp_sentence(area_code: str, scenario: finance.Assumptions) -> Markdown:
    """What closes the 2013/14 gap: the QIPP programme against it, and the delivery rate that breaks even."""
    if area_code != CPR or _models_missing():
        return _empty()
    _, plan, _, _ = _cpr_models(scenario)
    qipp = _qipp_programme()
    root = report.root_for(area_code, _data())
    left = finance.after_qipp(plan["gap"], qipp, scenario.qipp_delivery)
    even = finance.break_even_delivery(plan["gap"], qipp)
    verdict = (f"leaves {_k(left)} of the gap open" if left > 0.5 else
               f"closes the gap with {_k(-left)} to spare" if left < -0.5 else "closes the gap exactly")
    return Markdown(
        f"The QIPP programme of {_k(qipp)} ({_src(finance.CASE_FOR_CHANGE_TOTAL, root)}) is larger than the recurrent gap of "
        f"{_k(plan['gap'])}: it closes the gap if at least **{_pct(100 * even, 0)}** of it is delivered. The paper's own "
        "planning assumes 66% achievement of the legacy schemes and prescribing (line 1356) and 60% of acute QIPP schemes "
        f"in 2012/13 (line 1333). Delivered at this page's rate of {_pct(100 * scenario.qipp_delivery, 0)}, the programme "
        f"{verdict}."
    )


def plan_check_table(area_code: str) -> charts.Table | Markdown:
    """The model with the paper's assumptions against each printed result of the plan."""
    if area_code != CPR or _models_missing():
        return _empty()
    d = _data()
    check = finance.plan_check(d.facts)
    root = report.root_for(area_code, d)
    rows = [{"Figure": r.label, "Printed": _fact(r.fact_id)["printed"], "Model (£000)": f"{r.model:,.1f}",
             "Difference": f"{r.model - r.printed:+,.1f}", "Allowed by rounding": f"±{r.tolerance:,.1f}",
             "Verdict": VERDICT[r.reproduces], "Source": report.source_label(_fact(r.fact_id)),
             "_source_url": report.source_url(_fact(r.fact_id), root)} for r in check.itertuples()]
    return charts.Table(pd.DataFrame(rows), "The 2013/14 plan recomputed with the paper's assumptions, against what it prints "
                        "(allocation shown as a positive amount)", "fin-bridge-check-99f",
                        numeric=("Model (£000)", "Difference", "Allowed by rounding"), links={"Source": "_source_url"})


# --- Castle Point and Rochford: the medium-term financial plan ------------------------------------

def mtfp_sentence(area_code: str, scenario: finance.Assumptions) -> Markdown:
    if area_code != CPR or _models_missing():
        return _not_cpr(area_code, "A medium-term financial plan")
    _, _, _, model = _cpr_models(scenario)
    paper = _mtfp_check()
    ok = paper["reproduces"].all()
    y13, y15 = model.loc["2013/14"], model.loc["2015/16"]
    text = (
        "The medium-term plan (002 lines 1869-1906) grows the allocation by a stated uplift each year and adds each year's "
        "cost pressures, at stated rates, to the commitments brought forward; the QIPP requirement is what balances the two. "
        "The book rebuilds it from those rates: the allocation, the national contingency and the QIPP requirement are "
        "recomputed; each sector's growth and the tariff lines are printed as an amount and a rate without the base, so "
        "they scale with their rate. "
        + (f"With the paper's assumptions the model reproduces all {len(paper)} printed totals within the paper's rounding. "
           if ok else f"With the paper's assumptions {int(paper['reproduces'].sum())} of {len(paper)} printed totals reproduce. ")
        + f"On this page's assumptions, commitments before QIPP run {_m(y13['commitments_before_qipp'] - y13['opening_allocation'], 2)} "
        f"ahead of the {_m(y13['opening_allocation'])} allocation in 2013/14 and "
        f"{_m(y15['commitments_before_qipp'] - y15['opening_allocation'], 2)} ahead of {_m(y15['opening_allocation'])} in 2015/16"
    )
    if scenario.qipp_delivery < 1:
        text += (f"; delivering {_pct(100 * scenario.qipp_delivery, 0)} of each year's QIPP leaves a deficit of "
                 + ", ".join(f"{_m(model.loc[y, 'net_position'], 2)} in {y}" for y in finance.MTFP_PLAN_YEARS)
                 + ", each year's shortfall carried into the next year's commitments.")
    else:
        text += "; with QIPP delivered in full the plan breaks even every year."
    return Markdown(text)


def mtfp_chart(area_code: str, scenario: finance.Assumptions) -> charts.Chart | Markdown:
    """Allocation against commitments, year by year: the distance between the lines is the QIPP requirement."""
    if area_code != CPR or _models_missing():
        return _empty()
    _, _, _, model = _cpr_models(scenario)
    series = {"Opening allocation": "opening_allocation", "Commitments before QIPP": "commitments_before_qipp",
              "Commitments after QIPP delivered": "total_commitments"}
    frame = pd.DataFrame([{"Year": y, "Series": s, "£m": model.loc[y, col]} for s, col in series.items() for y in model.index])
    fig = charts.lines(frame, "Year", "£m", "Series", "Medium-term plan: allocation and commitments", "£m",
                       dashed=("Commitments after QIPP delivered",))
    alt = ("Line chart, 2012/13 to 2015/16, £m. Opening allocation: " +
           ", ".join(f"{y} {model.loc[y, 'opening_allocation']:.1f}" for y in model.index) +
           ". Commitments before QIPP: " + ", ".join(f"{y} {model.loc[y, 'commitments_before_qipp']:.1f}" for y in model.index) +
           ". Commitments after QIPP: " + ", ".join(f"{y} {model.loc[y, 'total_commitments']:.1f}" for y in model.index) + ".")
    caption = ("Castle Point and Rochford CCG's medium-term plan rebuilt from its rates (002 lines 1869-1906): the gap "
               "between commitments before QIPP and the allocation is the QIPP requirement; the dashed line is what is "
               "left after the QIPP delivered" + ("" if scenario == finance.Assumptions() else ", under this page's scenario") + ".")
    wide = frame.pivot(index="Year", columns="Series", values="£m").reindex(columns=list(series)).round(2).reset_index()
    cid = "fin-mtfp-99f"
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide, caption, cid + "-data", numeric=tuple(series)))


def mtfp_gap_chart(area_code: str, scenario: finance.Assumptions) -> charts.Chart | Markdown:
    """The QIPP requirement each year, printed against the model, and any shortfall under the scenario."""
    if area_code != CPR or _models_missing():
        return _empty()
    _, _, _, model = _cpr_models(scenario)
    printed = finance.mtfp_printed(_data().facts)
    req = printed[printed["item"] == "qipp_requirement"].set_index("year")["printed"]
    rows = [{"Year": y, "Series": "Printed QIPP requirement", "£m": req[y]} for y in model.index]
    rows += [{"Year": y, "Series": "Model QIPP requirement", "£m": model.loc[y, "qipp_requirement"]} for y in model.index]
    if (model["net_position"] > 0.005).any():
        rows += [{"Year": y, "Series": "Shortfall after QIPP delivery", "£m": model.loc[y, "net_position"]} for y in model.index]
    frame = pd.DataFrame(rows)
    fig = charts.grouped_bar(frame, "Year", "£m", "Series", "QIPP savings needed to break even, by year", "£m")
    alt = "Grouped bar chart by year, £m. " + " ".join(
        f"{s}: " + ", ".join(f"{r['Year']} {r['£m']:.2f}" for _, r in part.iterrows()) + "."
        for s, part in frame.groupby("Series", sort=False))
    caption = ("The medium-term plan's QIPP requirement as printed and as the model recomputes it"
               + ("" if scenario == finance.Assumptions() else " under this page's scenario")
               + "; any shortfall is the deficit left when less than all of it is delivered.")
    wide = frame.pivot(index="Year", columns="Series", values="£m").round(2).reset_index()
    cid = "fin-mtfp-qipp-99f"
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide, caption, cid + "-data",
                                                             numeric=tuple(c for c in wide.columns if c != "Year")))


def mtfp_table(area_code: str, scenario: finance.Assumptions) -> charts.Table | Markdown:
    """The rebuilt plan, line by line and year by year, on this page's assumptions (£m)."""
    if area_code != CPR or _models_missing():
        return _empty()
    _, _, inputs, model = _cpr_models(scenario)
    pressures = finance.mtfp_pressures(inputs, scenario, model["opening_allocation"].to_dict())
    rows = [("Allocation brought forward", model["allocation_bf"]), ("Allocation growth", model["allocation_growth"]),
            ("Management allowance", model["management_allowance"]), ("Opening allocation", model["opening_allocation"]),
            ("Commitments brought forward", model["commitments_bf"])]
    rows += [(f"+ {line}", pressures.loc[line]) for line in finance.PRESSURE_LINES]
    rows += [("Commitments before QIPP", model["commitments_before_qipp"]), ("QIPP requirement", model["qipp_requirement"]),
             ("QIPP delivered", model["qipp_delivered"]), ("Total commitments", model["total_commitments"]),
             ("Net position (+ deficit)", model["net_position"])]
    frame = pd.DataFrame([{"Line (£m)": label, **{y: f"{v:,.2f}" for y, v in values.items()}} for label, values in rows])
    return charts.Table(frame, "The medium-term plan as the model rebuilds it, on this page's assumptions (£m; pressures "
                        "are positive when they add to spending)", "fin-mtfp-lines-99f", numeric=finance.MTFP_YEARS)


def mtfp_check_table(area_code: str) -> charts.Table | Markdown:
    """The model with the paper's assumptions against each printed total of the medium-term plan."""
    if area_code != CPR or _models_missing():
        return _empty()
    d = _data()
    check = _mtfp_check()
    root = report.root_for(area_code, d)
    rows = [{"Year": r.year, "Figure": r.label, "Printed": r.as_printed, "Model (£m)": f"{r.model:,.3f}",
             "Difference": f"{r.model - r.printed:+.3f}", "Allowed by rounding": f"±{r.tolerance:.3f}",
             "Verdict": VERDICT[r.reproduces], "Source": report.source_label(_fact(r.fact_id)),
             "_source_url": report.source_url(_fact(r.fact_id), root)} for r in check.itertuples()]
    return charts.Table(pd.DataFrame(rows), "The medium-term plan recomputed with the paper's assumptions, against what it "
                        "prints (allocation and QIPP requirement shown as positive amounts; the allowance adds the "
                        "rounding of the printed amounts the model adds up)", "fin-mtfp-check-99f",
                        numeric=("Model (£m)", "Difference", "Allowed by rounding"), links={"Source": "_source_url"})


# --- what moves the gap ---------------------------------------------------------------------------

def _plan_metric(a: finance.Assumptions) -> float:
    inputs = finance.plan_inputs(_data().facts)
    return finance.after_qipp(finance.plan_results(inputs, a)["gap"], _qipp_programme(), a.qipp_delivery)


def _mtfp_metric(a: finance.Assumptions) -> float:
    return finance.cumulative_requirement(finance.mtfp_for(_data().facts, _unit_table(), a)[1])


def _sensitivity(model: str, metric, scenario: finance.Assumptions) -> tuple[pd.DataFrame, float]:
    """Each of a model's assumptions moved one step both ways, and the metric on the page's own assumptions."""
    names = [n for n, i in finance.ASSUMPTIONS.items() if model in i.models]
    return finance.sensitivity(metric, scenario, names), metric(scenario)


def _tornado(sens: pd.DataFrame, unit: str, title: str, what: str, cid: str) -> charts.Chart:
    fmt = (lambda v: f"{v:+,.0f}") if unit == "£000" else (lambda v: f"{v:+,.2f}")
    frame = sens.assign(Assumption=[f"{l} ({_fmt_assumption(n, v)}, {_step_text(n)})"
                                    for l, n, v in zip(sens["label"], sens["name"], sens["value"])])
    fig = charts.tornado(frame, "Assumption", "change_low", "change_high", title, f"Change in {what} ({unit})")
    fig.update_layout(height=140 + 45 * len(frame), margin=dict(l=420))
    top = frame.iloc[0]
    alt = (f"Tornado chart: change in {what} ({unit}) when each assumption moves one step down and up. "
           + " ".join(f"{r.label}: {fmt(r.change_low).replace('-', '−')} lower, {fmt(r.change_high).replace('-', '−')} higher."
                      for r in frame.itertuples())
           + f" Largest effect: {top['label']}.")
    table = pd.DataFrame({
        "Assumption": frame["label"], "Value": [_fmt_assumption(n, v) for n, v in zip(frame["name"], frame["value"])],
        "Lower": [_fmt_assumption(n, v) for n, v in zip(frame["name"], frame["low_value"])],
        "Higher": [_fmt_assumption(n, v) for n, v in zip(frame["name"], frame["high_value"])],
        f"Change if lower ({unit})": frame["change_low"].round(2) if unit == "£m" else frame["change_low"].round(0).astype(int),
        f"Change if higher ({unit})": frame["change_high"].round(2) if unit == "£m" else frame["change_high"].round(0).astype(int),
    })
    return charts.Chart(fig, cid, title, alt, charts.Table(table, title, cid + "-data",
                                                           numeric=(f"Change if lower ({unit})", f"Change if higher ({unit})")))


def plan_tornado(area_code: str, scenario: finance.Assumptions) -> charts.Chart | Markdown:
    """How the 2013/14 gap left after QIPP moves when each of the plan's assumptions moves one step."""
    if area_code != CPR or _models_missing():
        return _empty()
    sens, base = _sensitivity("plan", _plan_metric, scenario)
    title = (f"2013/14 plan: gap left after QIPP ({_k(base)} on this page's assumptions; negative means the QIPP "
             "programme more than closes it)")
    return _tornado(sens, "£000", title, "the 2013/14 gap left after QIPP", "fin-tornado-plan-99f")


def mtfp_tornado(area_code: str, scenario: finance.Assumptions) -> charts.Chart | Markdown:
    """How the QIPP savings needed over 2013/14-2015/16 move when each assumption moves one step."""
    if area_code != CPR or _models_missing():
        return _empty()
    sens, base = _sensitivity("mtfp", _mtfp_metric, scenario)
    title = (f"Medium-term plan: QIPP savings needed over 2013/14 to 2015/16 ({_m(base, 2)} on this page's assumptions; "
             "undelivered savings are carried into the next year's requirement)")
    return _tornado(sens, "£m", title, "the three-year QIPP requirement", "fin-tornado-mtfp-99f")


# --- spending against plan: month 9 2012/13 ------------------------------------------------------

def month9_sentence(area_code: str) -> Markdown:
    if area_code != CPR or _models_missing():
        return _not_cpr(area_code, "A monthly financial report")
    d = _data()
    m9 = finance.month9_frame(d.facts)
    blocks = finance.month9_blocks(m9)
    total = m9.loc[[n for n in m9.index if n.endswith("South East Essex PCT")][0]]
    worst = blocks.sort_values("forecast_outturn_variance", ascending=False).iloc[0]
    rest = blocks["forecast_outturn_variance"].sum() - worst["forecast_outturn_variance"]
    root = report.root_for(area_code, d)
    return Markdown(
        f"At month 9 of 2012/13 the CCG forecast spending {_k(total['forecast_outturn'])} against a full-year plan of "
        f"{_k(total['budget_full_year_plan'])}: an overspend of **{_k(total['forecast_outturn_variance'])}** "
        f"({_pct(finance.percent_of(total['forecast_outturn_variance'], total['budget_full_year_plan']))} of plan), up from "
        f"{_k(total['forecast_outturn_variance_prev_month'])} a month earlier "
        f"({_src('002.m9.99f.forecast_outturn_variance.2012-13.total-ccg-south-east-essex-pct', root)}). "
        f"{worst['group']} alone is {_k(worst['forecast_outturn_variance'])} over; the other blocks together are "
        f"{_k(abs(rest))} {'under' if rest < 0 else 'over'}. The paper notes the position "
        "is before the 1% contingency is returned, and assumes only 60% of acute QIPP schemes are achieved and 5% growth "
        "in prescribing costs (line 1333)."
    )


def month9_chart(area_code: str) -> charts.Chart | Markdown:
    if area_code != CPR or _models_missing():
        return _empty()
    blocks = finance.month9_blocks(finance.month9_frame(_data().facts))
    frame = pd.DataFrame({"Block": [f"{b} ({'overspend' if v > 0 else 'underspend' if v < 0 else 'on plan'})"
                                    for b, v in zip(blocks["group"], blocks["forecast_outturn_variance"])],
                          "variance": blocks["forecast_outturn_variance"].round(0).astype(int).values})
    frame = frame.sort_values(["variance", "Block"], ascending=[False, True])
    fig = charts.bar(frame, "Block", "variance", "2012/13 month 9: forecast outturn against plan", "£000 (+ overspend)",
                     highlight=frame.iloc[0]["Block"], horizontal=True)
    fig.update_layout(height=360, margin=dict(l=330))
    alt = ("Horizontal bar chart of the full-year forecast variance by spending block at month 9 of 2012/13, £000: "
           + "; ".join(f"{b} {v:+,.0f}".replace("-", "−") for b, v in zip(frame["Block"], frame["variance"])) + ".")
    caption = ("Full-year forecast outturn less full-year plan, by spending block (002 lines 1301-1333); positive is an "
               "overspend. The largest is highlighted.")
    cid = "fin-m9-99f"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame.rename(columns={"variance": "Forecast variance (£000)"}),
                                                             caption, cid + "-data", numeric=("Forecast variance (£000)",)))


def month9_table(area_code: str) -> charts.Table | Markdown:
    """Each printed variance and subtotal of the month 9 report recomputed."""
    if area_code != CPR or _models_missing():
        return _empty()
    rec = finance.month9_recomputed(finance.month9_frame(_data().facts))
    rows = [{"Line": r.line, "Figure": r.figure, "Printed (£000)": style.fmt_number(r.printed), "Recomputed (£000)": style.fmt_number(r.recomputed),
             "Allowed by rounding": f"±{r.tolerance:g}",
             "Verdict": VERDICT[r.reproduces] if pd.notna(r.printed) and pd.notna(r.recomputed) else "– cannot check"}
            for r in rec.itertuples()]
    return charts.Table(pd.DataFrame(rows), f"Month 9 report recomputed: {int(rec['reproduces'].sum())} of {len(rec)} printed "
                        "variances and totals reproduce within the rounding of the printed figures", "fin-m9-check-99f",
                        numeric=("Printed (£000)", "Recomputed (£000)", "Allowed by rounding"))


# --- what closes the gap: the case for change and the QIPP calculators ---------------------------

def case_for_change_sentence(area_code: str) -> Markdown:
    if area_code != CPR or _models_missing():
        return _not_cpr(area_code, "A costed case for change or scheme-level QIPP calculator")
    d = _data()
    parts = {k: finance.fact_value(d.facts, v) for k, v in finance.CASE_FOR_CHANGE.items()}
    total = finance.case_for_change(parts)
    printed = _fact(finance.CASE_FOR_CHANGE_TOTAL)
    fig2 = _fact("000.fig2.99f.qipp_savings.2013-14")
    activity = _fact("002.finplan.99f.fin_plan_line.2013-14.activity-growth-subtotal")
    root = report.root_for(area_code, d)
    ok = finance.reproduces(_to_m(total, "£000"), printed["value"], finance.printed_tolerance(printed))
    return Markdown(
        f"The financial case for change ({_src(finance.CASE_FOR_CHANGE_TOTAL, root)}) puts the QIPP challenge at "
        f"{printed['printed']} in three parts, which add to {_k(total)} ({VERDICT[ok]} the printed total, and exactly "
        f"Figure 2's QIPP of {_k(fig2['value'])} for the CCG). The first part, holding provider growth to 0%, is the "
        f"plan's activity growth of {_k(activity['value'])} avoided. The paper dates the challenge 2012/13, but its parts are 2013/14 "
        "figures. The calculators below recompute the savings the paper costs scheme by scheme."
    )


def case_for_change_table(area_code: str) -> charts.Table | Markdown:
    if area_code != CPR or _models_missing():
        return _empty()
    facts = _data().facts
    ids = list(finance.CASE_FOR_CHANGE.values()) + [finance.CASE_FOR_CHANGE_TOTAL, "000.fig2.99f.qipp_savings.2013-14"]
    return report.facts_table(facts[facts["fact_id"].isin(ids)], "The QIPP challenge and its three parts, as printed",
                              "fin-case-99f", report.root_for(area_code, _data()), _data())


def _calc_table(rows: list[dict], caption: str, cid: str, area_code: str) -> charts.Table:
    """Calculator rows: each has the recomputed value ``_model``, the rounding
    carried in from its inputs ``_band`` and the printed ``fact_id``; the verdict
    allows the printed figure's rounding plus that band."""
    root = report.root_for(area_code, _data())
    out = []
    for r in rows:
        r = dict(r)
        fact = _fact(r.pop("fact_id"))
        model, band = r.pop("_model"), r.pop("_band")
        r["Printed"] = fact["printed"]
        r["Verdict"] = VERDICT[finance.reproduces(model, fact["value"], finance.printed_tolerance(fact) + band)]
        r["Source"] = report.source_label(fact)
        r["_source_url"] = report.source_url(fact, root)
        out.append(r)
    return charts.Table(pd.DataFrame(out), caption, cid, numeric=("Recomputed",), links={"Source": "_source_url"})


@_on_published
def msk_calculator(area_code: str) -> charts.Table | Markdown:
    """The MSK savings at 5, 7 and 10% of the programme budget, for 12 months, 6 months, per month and profiled."""
    if area_code != CPR or _models_missing():
        return _empty()
    pre = "002.msk.loc-99f-rayleigh-rochford."
    budget, base = _fact(pre + "msk_programme_budget.2012-13"), _fact(pre + "msk_savings_profile.2012-04.5pct-efficiency")
    inputs = {"budget": float(budget["value"]), "base": float(base["value"])}
    tols = {"budget": finance.printed_tolerance(budget), "base": finance.printed_tolerance(base)}
    ids = {"12 months": "msk_efficiency_saving.2012-13.{p}pct-efficiency-12-months",
           "6 months": "msk_efficiency_saving.2012-13.{p}pct-efficiency-6-months",
           "per calendar month": "msk_efficiency_saving.2012-13.{p}pct-efficiency-per-calendar-month",
           "October in the profile": "msk_savings_profile.2012-10.{p}pct-efficiency",
           "profile total": "msk_savings_profile.2012-13.{p}pct-efficiency"}
    rows = []
    for pct in (5, 7, 10):
        model = finance.msk_savings(inputs, pct)
        band = finance.rounding_band(lambda x: finance.msk_savings(x, pct), inputs, tols)
        for what, template in ids.items():
            rows.append({"Efficiency": f"{pct}%", "Figure": what, "Recomputed": style.fmt_money(model[what], "£", 2),
                         "_model": model[what], "_band": band[what], "fact_id": pre + template.format(p=pct)})
    caption = (f"MSK savings calculator (002 lines 1528-1539): the {budget['printed']} Rayleigh and Rochford MSK programme "
               "budget × the efficiency, for a year, six months and a calendar month. The printed monthly profile adds an "
               f"unexplained {base['printed']} to every month and the saving from October; its totals include both.")
    return _calc_table(rows, caption, "fin-msk-99f", area_code)


@_on_published
def ophthalmology_calculator(area_code: str) -> charts.Table | Markdown:
    if area_code != CPR or _models_missing():
        return _empty()
    d = _data()
    pre = "002.ophth.99f."
    rows, total = [], 0.0
    for key, label in (("gp-and-other-referred-first-outpatient-attendances", "First outpatient attendances"),
                       ("gp-and-other-referred-follow-ups", "Follow-ups")):
        spend = float(_fact(f"{pre}ophthalmology_triage_current_spend.2012-13.{key}")["value"])
        pct = float(_fact(f"{pre}ophthalmology_triage_saving_pct.2013-14.{key}")["value"])
        saving = finance.triage_saving(spend, pct)
        total += saving
        rows.append({"Figure": f"{label}: £{spend:,.0f}k × {pct:g}%", "Recomputed": _k_dec(saving), "_model": saving,
                     "_band": 0.5 * pct / 100, "fact_id": f"{pre}ophthalmology_triage_saving.2013-14.{key}"})
    rows.append({"Figure": "Total", "Recomputed": _k_dec(total), "_model": total, "_band": 0.5 * 0.25,
                 "fact_id": f"{pre}ophthalmology_triage_saving.2013-14.total"})
    return _calc_table(rows, "Ophthalmology triage calculator (002 lines 1448-1451): current spend × % saving (£000)",
                       "fin-ophth-99f", area_code)


def _k_dec(value: float) -> str:
    return f"£{value:,.1f}k"


@_on_published
def prescribing_calculator(area_code: str) -> charts.Table | Markdown:
    """Prescribing against benchmark: what moving to a benchmark cost per ASTRO-PU would save, and what the target implies."""
    if area_code != CPR or _models_missing():
        return _empty()
    d = _data()
    cur = _fact("002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.average")
    lowest = _fact("002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.practice-range-min")
    pct_avg = _fact("002.presc.pct-south-east-essex.prescribing_cost_per_astro_pu.2012-13.average")
    national = _fact("002.presc.e92000001.prescribing_cost_per_astro_pu.2012-13.average")
    spend = _fact("002.m9.99f.forecast_outturn.2012-13.medicines-management-gp-prescribing")
    lo = _fact("002.presc.99f.qipp_savings_target.2013-14.prescribing-min")
    hi = _fact("002.presc.99f.qipp_savings_target.2013-14.prescribing-max")
    root = report.root_for(area_code, d)
    rows = []
    for bench, label in ((lowest, "lowest-cost Rayleigh and Rochford practice"), (pct_avg, "South East Essex PCT average"),
                         (national, "national average")):
        share = finance.benchmark_saving_pct(cur["value"], bench["value"])
        rows.append({"Benchmark": f"{label} ({bench['printed']})", "Saving on spend": _pct(share),
                     "On 2012/13 GP prescribing (£000)": f"{spend['value'] * share / 100:,.0f}",
                     "Source": report.source_label(bench), "_source_url": report.source_url(bench, root)})
    for t, label in ((lo, "the paper's target, lower end"), (hi, "the paper's target, upper end")):
        share = finance.percent_of(t["value"], spend["value"])
        implied = cur["value"] * (1 - share / 100)
        rows.append({"Benchmark": f"{label} ({t['printed']}): cost per ASTRO-PU of {style.fmt_money(implied)}",
                     "Saving on spend": _pct(share), "On 2012/13 GP prescribing (£000)": f"{t['value']:,.0f}",
                     "Source": report.source_label(t), "_source_url": report.source_url(t, root)})
    caption = (f"Prescribing against benchmark (002 lines 1397-1405): moving from Rayleigh and Rochford's {cur['printed']} per "
               "ASTRO-PU to a benchmark, with the same volume, saves the same share of spend, shown on the CCG's 2012/13 "
               f"GP prescribing forecast of {_k(spend['value'])} (month 9 report). The paper's own scenario table is missing "
               "from the text; it calls such scenarios over-ambitious and sets the target below. The cost per ASTRO-PU is "
               "printed for Rayleigh and Rochford only, so applying it to the whole CCG is this book's assumption.")
    return charts.Table(pd.DataFrame(rows), caption, "fin-presc-99f",
                        numeric=("Saving on spend", "On 2012/13 GP prescribing (£000)"), links={"Source": "_source_url"})


@_on_published
def unplanned_care_calculator(area_code: str) -> charts.Table | Markdown:
    """Unplanned care against benchmark: the opportunity and the target recomputed from the printed spend and rates."""
    if area_code != CPR or _models_missing():
        return _empty()
    pre = "002.unpl.99f."
    facts = {"spend": _fact(pre + "unplanned_care_spend.2012-13"),
             "opportunity_pct": _fact(pre + "unplanned_care_benchmark_opportunity_pct.2012-13"),
             "target_pct": _fact(pre + "unplanned_care_saving_target_pct_budget.2013-14"),
             "opportunity": _fact(pre + "unplanned_care_benchmark_opportunity.2012-13"),
             "target": _fact(pre + "qipp_savings_target.2013-14.unplanned-care")}
    inputs = {k: _to_m(f["value"], f["unit"]) if f["unit"] != "%" else float(f["value"]) for k, f in facts.items()}
    tols = {k: _to_m(finance.printed_tolerance(f), f["unit"]) if f["unit"] != "%" else finance.printed_tolerance(f)
            for k, f in facts.items()}
    model = finance.unplanned_care(inputs)
    band = finance.rounding_band(finance.unplanned_care, inputs, tols)
    to_k = finance.convert(1, "£m", "£000", _unit_table())
    p = {k: f["printed"] for k, f in facts.items()}
    rows = [
        {"Figure": f"Benchmark opportunity: {p['spend']} × {p['opportunity_pct']}", "Recomputed": _m(model["opportunity"], 2),
         "_model": model["opportunity"], "_band": band["opportunity"], "fact_id": facts["opportunity"]["fact_id"]},
        {"Figure": f"Target: {p['spend']} × {p['target_pct']}", "Recomputed": _k(model["target"] * to_k),
         "_model": model["target"] * to_k, "_band": band["target"] * to_k, "fact_id": facts["target"]["fact_id"]},
        {"Figure": f"Target as a share of the opportunity: {p['target']} ÷ {p['opportunity']}",
         "Recomputed": f"{model['target share of opportunity']:.2f}", "_model": model["target share of opportunity"],
         "_band": band["target share of opportunity"], "fact_id": pre + "unplanned_care_target_share_of_opportunity.2013-14"},
    ]
    caption = (f"Unplanned care against benchmark (002 lines 1545-1568), recomputed from the {p['spend']} unplanned care "
               f"spend. The {p['opportunity_pct']} opportunity implies a cost base of "
               f"{_m(finance.implied_base(inputs['opportunity'], inputs['opportunity_pct']))}, not {p['spend']}; the target "
               "is 'about a third' of the opportunity in the text but 0.28 of it in the paper's own figures.")
    return _calc_table(rows, caption, "fin-unplanned-99f", area_code)


# --- the Better Care Fund --------------------------------------------------------------------------

SERVICE_SHORT = {
    "Protection of Social care to benefit health": "Protection of social care",
    "Community Health Services (including admission avoidance)": "Community health services",
    "Joint nursing and care home commissioning including CHC": "Joint nursing and care homes",
    "Acute mental health and dementia": "Acute mental health and dementia",
}


def _bcf() -> pd.DataFrame:
    return finance.bcf_frame(_data().facts, _unit_table())


def bcf_sentence(area_code: str) -> Markdown:
    if area_code != BB:
        pool = _fact("001.cover.e10000012.bcf_pooled_fund.2015-16.minimum")
        where = (f"It is part of the Essex pooled fund of {pool['printed']} for 2015/16" if area_code in finance.FIG3_CCGS
                 else f"It lies outside Essex County Council's area, so outside the Essex pooled fund of {pool['printed']} for 2015/16")
        return Markdown(f"No Better Care Fund investment plan by service is published for {_name(area_code)}; only Basildon "
                        f"and Brentwood CCG's template (paper 003) has one. {where}: see {_county_link(area_code)}.")
    frame = _bcf()
    totals = finance.bcf_totals(frame)
    t_min, t_max = _fact("003.table2.99e.bcf_investment.2015-16.totals.min"), _fact("003.table2.99e.bcf_investment.2015-16.totals.max")
    root = report.root_for(area_code, _data())
    blank = int(frame[["min", "max"]].isna().sum().sum())
    ok_min = finance.reproduces(totals.loc["2015/16", "min"], t_min["value"], finance.printed_tolerance(t_min) + 0.002)
    ok_max = finance.reproduces(totals.loc["2015/16", "max"], t_max["value"], finance.printed_tolerance(t_max) + 0.002)
    t14 = totals.loc["2014/15"]
    v14 = _fact("003.text-6-4.99e.bcf_value.2014-15")
    return Markdown(
        f"Basildon and Brentwood CCG's Better Care Fund template (paper 003, Tables 1 and 2) sets a minimum and a maximum "
        f"investment for each of 12 services in each year; {blank} of the 48 cells are blank and are shown as not published, "
        f"not as zero. In 2015/16 the published minimums add to {_m(totals.loc['2015/16', 'min'], 3)}, "
        f"{VERDICT[ok_min]} the printed total of {t_min['printed']}, and the maximums to "
        f"{_m(totals.loc['2015/16', 'max'], 3)}, {_m(t_max['value'] - totals.loc['2015/16', 'max'], 3)} short of the printed "
        f"{t_max['printed']} ({VERDICT[ok_max]}; {_src(t_max['fact_id'], root)}). Table 1 prints no totals for 2014/15: its "
        f"cells add to {_m(t14['min'], 3)} to {_m(t14['max'], 3)}, while the text gives the 2014/15 fund as {v14['printed']}, "
        "the protection-of-social-care maximum alone. In 2015/16 reablement's printed minimum (£3.700M) is above its "
        "maximum (£1.850M); the minimum total only adds up with it as printed."
    )


def bcf_table(area_code: str) -> charts.Table | Markdown:
    if area_code != BB:
        return _empty()
    frame = _bcf()
    root = report.root_for(area_code, _data())
    rows = []
    for r in frame.itertuples():
        fact = _fact(r.min_fact)
        rows.append({"Year": r.year, "Service": r.service,
                     "Minimum (as printed)": r.min_printed or "not published (blank)",
                     "Maximum (as printed)": r.max_printed or "not published (blank)",
                     "Minimum (£m)": "" if pd.isna(r.min) else f"{r.min:.3f}", "Maximum (£m)": "" if pd.isna(r.max) else f"{r.max:.3f}",
                     "Source": report.source_label(fact), "_source_url": report.source_url(fact, root)})
    totals = finance.bcf_totals(frame)
    printed = {"2015/16": (_fact("003.table2.99e.bcf_investment.2015-16.totals.min")["printed"],
                           _fact("003.table2.99e.bcf_investment.2015-16.totals.max")["printed"])}
    for year, t in totals.iterrows():
        pmin, pmax = printed.get(year, ("no total printed", "no total printed"))
        rows.append({"Year": year, "Service": "Total (recomputed from the published cells)", "Minimum (as printed)": pmin,
                     "Maximum (as printed)": pmax, "Minimum (£m)": f"{t['min']:.3f}", "Maximum (£m)": f"{t['max']:.3f}",
                     "Source": "Table 2 totals row" if year in printed else "", "_source_url": ""})
    return charts.Table(pd.DataFrame(rows), "Better Care Fund investment by service, 2014/15 (Table 1) and 2015/16 (Table 2), "
                        "as printed and in £m; blank cells not published", "fin-bcf-99e",
                        numeric=("Minimum (£m)", "Maximum (£m)"), links={"Source": "_source_url"})


def bcf_chart(area_code: str) -> charts.Chart | Markdown:
    if area_code != BB:
        return _empty()
    frame = _bcf()
    long = []
    for r in frame.itertuples():
        for col in ("min", "max"):
            v = getattr(r, col)
            if pd.notna(v):
                long.append({"Service": SERVICE_SHORT.get(r.service, r.service), "Series": f"{r.year} {'minimum' if col == 'min' else 'maximum'}",
                             "£m": v})
    if not long:
        return _empty()  # no published cell to draw; the table above lists them as not published
    data = pd.DataFrame(long)
    fig = charts.grouped_bar(data, "Service", "£m", "Series", "Better Care Fund investment by service (published cells only)", "£m")
    blanks = sorted({SERVICE_SHORT.get(s, s) for s in frame.loc[frame[["min", "max"]].isna().all(axis=1), "service"]})
    alt = "Grouped bar chart, £m. " + " ".join(f"{r['Service']}, {r['Series']}: {r['£m']:.3f}." for _, r in data.iterrows())
    caption = ("Basildon and Brentwood CCG's Better Care Fund minimum and maximum by service (003 Tables 1 and 2). Only "
               "published cells are drawn; a missing bar is a blank cell, not a zero.")
    wide = data.pivot_table(index="Service", columns="Series", values="£m", aggfunc="first").reset_index()
    cid = "fin-bcf-chart-99e"
    return charts.Chart(fig, cid, caption + (f" No figure in either year: {', '.join(blanks)}." if blanks else ""), alt,
                        charts.Table(wide, caption, cid + "-data", numeric=tuple(c for c in wide.columns if c != "Service")))


# === the Essex system finance page ================================================================

def _root() -> str:
    return report.root_for(ESSEX, _data())


def ecc_gap_sentence() -> Markdown:
    root = _root()
    prof = [_fact(f"000.ecc-gap-profile.e10000012.ecc_funding_gap.{y}") for y in ("2013-14", "2014-15", "2015-16", "2016-17")]
    head = _fact("000.ecc-outlook.e10000012.ecc_funding_gap.2016-17.headline")
    later = _fact("001.cover.e10000012.ecc_funding_gap.2014-15")
    more = _fact("001.cover.e10000012.ecc_savings_required.2014-15-2016-17")
    steps = finance.year_on_year_steps([p["value"] for p in prof])
    return Markdown(
        f"Essex County Council's funding gap grows from {prof[0]['printed']} in 2013/14 to {prof[-1]['printed'].lstrip('-')} "
        f"in 2016/17 ({_src(prof[0]['fact_id'], root)}): the profile is cumulative against the baseline, so the gap opens "
        f"by {', '.join(_m(s, 0) for s in steps)} a year. The same paper's headline puts it at {head['printed']} by 2016/17 "
        f"({_src(head['fact_id'], root)}), {_m(head['value'] - prof[-1]['value'], 0)} more than its own profile. Fifteen "
        f"months later the Health and Wellbeing Board paper reports a current gap of {later['printed']} "
        f"({_src(later['fact_id'], root)}), {_m(prof[1]['value'] - later['value'], 0)} below the profile's 2014/15 figure, and "
        f"at least {more['printed']} of further savings needed over the next three years."
    )


def ecc_gap_chart() -> charts.Chart:
    prof = [_fact(f"000.ecc-gap-profile.e10000012.ecc_funding_gap.{y}") for y in ("2013-14", "2014-15", "2015-16", "2016-17")]
    head = _fact("000.ecc-outlook.e10000012.ecc_funding_gap.2016-17.headline")
    later = _fact("001.cover.e10000012.ecc_funding_gap.2014-15")
    rows = [{"Year": p["period"], "Series": "Gap profile (000, March 2013)", "£m": p["value"]} for p in prof]
    rows.append({"Year": head["period"], "Series": "Headline gap by 2016/17 (000 line 225)", "£m": head["value"]})
    rows.append({"Year": later["period"], "Series": "Current gap (001, June 2014)", "£m": later["value"]})
    frame = pd.DataFrame(rows)
    fig = charts.lines(frame, "Year", "£m", "Series", "Essex County Council funding gap", "£m")
    fig.update_xaxes(categoryorder="array", categoryarray=[p["period"] for p in prof])
    alt = ("Line chart of Essex County Council's funding gap, £m. Profile: " +
           ", ".join(f"{p['period']} {p['value']:.0f}" for p in prof) +
           f". Headline gap by 2016/17: {head['value']:.0f}. Current gap reported in June 2014 for 2014/15: {later['value']:.0f}.")
    caption = ("The council's gap profile for 2013/14 to 2016/17 (000 lines 233-241, repeated in 002), against the headline "
               "figure in the same paper's text and the later figure in the June 2014 paper.")
    cid = "fin-ecc-gap"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame, caption, cid + "-data", numeric=("£m",)))


def wecb_sentence() -> Markdown:
    root = _root()
    gap, spend = _fact("000.wecb.agg-wecb-partners.system_funding_gap.2013-2017"), _fact("000.wecb.agg-wecb-partners.system_annual_spend.2012-13")
    orgs = _fact("000.wecb.agg-wecb-partners.statutory_commissioning_organisations.2013-03")
    ecc = _fact("000.ecc-gap-profile.e10000012.ecc_funding_gap.2016-17")
    spend_m = _to_m(spend["value"], spend["unit"])
    return Markdown(
        f"The {orgs['printed']} statutory organisations in the Whole Essex Community Budgets programme spend {spend['printed']} "
        f"a year and have identified a collective funding gap of **{gap['printed']}** over 2013-2017 "
        f"({_src(gap['fact_id'], root)}): {_pct(finance.percent_of(gap['value'], spend_m))} of one year's spending, or "
        f"{_m(gap['value'] / 4)} a year if the period is the four years to 2017. The paper says these figures are already in the organisations' "
        f"savings plans. It does not say whether the council's own gap ({ecc['printed'].lstrip('-')} by 2016/17) is part of the "
        "collective figure."
    )


def ecc_budget_chart() -> charts.Chart:
    f = _data().facts
    rows = f[f["fact_id"].str.startswith("000.netbudget.e10000012.")]
    parts = rows[rows["breakdown"] != "Net Cost of Services"]
    frame = pd.DataFrame({"Portfolio": parts["breakdown"].values, "£m": parts["value"].values}).sort_values(["£m", "Portfolio"], ascending=[False, True])
    fig = charts.bar(frame, "Portfolio", "£m", "Essex County Council controllable net budget, 2013/14", "£m", horizontal=True,
                     highlight="Adult Social Care")
    fig.update_layout(height=460, margin=dict(l=330))
    total = rows[rows["breakdown"] == "Net Cost of Services"].iloc[0]
    alt = ("Horizontal bar chart of the council's 2013/14 controllable net budget by portfolio, £m: " +
           "; ".join(f"{p} {v:,.1f}".replace("-", "−") for p, v in zip(frame["Portfolio"], frame["£m"])) +
           f". Net cost of services {total['value']:,.1f}.")
    caption = ("Controllable net budget by portfolio (000 lines 772-786); Adult Social Care, the largest, is highlighted. "
               "Education & 2012 games is negative (net income). Line 776 merges two portfolios, read as 193.0 and 5.4.")
    cid = "fin-ecc-budget"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame, caption, cid + "-data", numeric=("£m",)))


def ecc_budget_sentence() -> Markdown:
    f, root = _data().facts, _root()
    rows = f[f["fact_id"].str.startswith("000.netbudget.e10000012.")]
    parts = rows[rows["breakdown"] != "Net Cost of Services"]
    total = rows[rows["breakdown"] == "Net Cost of Services"].iloc[0]
    recomputed = parts["value"].sum()
    asc = parts[parts["breakdown"] == "Adult Social Care"].iloc[0]
    cut, s13, s12 = (_fact("000.text71.e10000012.ecc_net_budget_cash_reduction.2013-14"),
                     _fact("000.text71.e10000012.ecc_efficiency_savings.2013-14"),
                     _fact("000.text71.e10000012.ecc_efficiency_savings.2012-13"))
    ok = finance.reproduces(recomputed, total["value"], finance.printed_tolerance(total) + 0.05 * len(parts))
    return Markdown(
        f"The council's {len(parts)} portfolios add to {_m(recomputed)}, {VERDICT[ok]} the printed net cost of services of "
        f"{_m(total['value'])} ({_src(total['fact_id'], root)}). Adult social care is {_pct(finance.percent_of(asc['value'], total['value']))} "
        f"of it. The budget is a cash cut of {cut['printed']} on 2012/13 and needs {s13['printed']} of savings, against "
        f"{s12['printed']} in 2012/13 ({_src(s13['fact_id'], root)})."
    )


def mtrs_sentence() -> Markdown:
    root = _root()
    years = [_fact(f"001.cover.e10000012.ecc_social_care_planned_savings.{y}") for y in ("2014-15", "2015-16", "2016-17")]
    total, restated = _fact("001.cover.e10000012.ecc_social_care_planned_savings.2014-15-2016-17"), \
        _fact("001.s3-3.e10000012.ecc_social_care_planned_savings.2014-15-2016-17.restated-in-3.3.1")
    growth = _fact("001.cover.e10000012.ecc_mtrs_growth_funding.2014-15-2016-17")
    spend = _fact("001.cover.e10000012.ecc_social_care_spend.2014-15")
    s = sum(y["value"] for y in years)
    ok = finance.reproduces(s, total["value"], finance.printed_tolerance(total) + 0.05 * 2 + 0.5)
    return Markdown(
        f"The council's medium-term resource strategy plans adults' and children's social care savings of "
        f"{', '.join(y['printed'] for y in years)} in 2014/15 to 2016/17 ({_src(years[0]['fact_id'], root)}). They add to "
        f"{_m(s)}: the cover report prints {total['printed']} ({VERDICT[ok]}, given that £22M is printed to the nearest £1m) "
        "and section 3.3.1 "
        f"{restated['printed']}. They offset {growth['printed']} of additional funds for inflation and demographic growth over "
        f"the same years, leaving net growth of {_m(growth['value'] - s)}, on social care spending of {spend['printed']} in "
        f"2014/15. {_pct(finance.percent_of(years[0]['value'], s), 0)} of the three years' savings fall in the first year."
    )


def mtrs_chart() -> charts.Chart:
    years = [_fact(f"001.cover.e10000012.ecc_social_care_planned_savings.{y}") for y in ("2014-15", "2015-16", "2016-17")]
    frame = pd.DataFrame({"Year": [y["period"] for y in years], "£m": [y["value"] for y in years]})
    fig = charts.bar(frame, "Year", "£m", "Planned social care savings by year", "£m")
    alt = "Bar chart of planned adults' and children's social care savings, £m: " + ", ".join(
        f"{y} {v:.1f}" for y, v in zip(frame["Year"], frame["£m"])) + "."
    caption = "Essex County Council's planned social care savings (001 lines 126 and 506-512)."
    cid = "fin-mtrs"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame, caption, cid + "-data", numeric=("£m",)))


def ccg_budgets_sentence() -> Markdown:
    root = _root()
    sav, bud, pct = (_fact("001.cover.essex-ccgs.ccg_savings_required.2014-15"), _fact("001.cover.essex-ccgs.ccg_combined_budget.2014-15"),
                     _fact("001.cover.essex-ccgs.ccg_savings_pct_budget.2014-15"))
    fig10 = finance.figure10_frame(_data().facts)
    t15 = _to_m(fig10.loc[finance.FIG10_TOTAL, "2014/15"], "£000")
    q13 = _fact("000.fig2.essex-ccgs.qipp_savings.2013-14")
    q13pct = _fact("000.fig2.essex-ccgs.qipp_pct_allocation.2013-14")
    share = finance.percent_of(sav["value"], bud["value"])
    ok = finance.reproduces(share, pct["value"], finance.printed_tolerance(pct))
    return Markdown(
        f"For 2014/15 the five Essex CCGs need savings in the region of {sav['printed']} on combined budgets of {bud['printed']} "
        f"({_src(bud['fact_id'], root)}): {_pct(share, 2)}, {VERDICT[ok]} the printed {pct['printed'].strip('()')}. In 2013/14 "
        f"their QIPP was {_m(_to_m(q13['value'], q13['unit']))}, {q13pct['printed']} of allocations (000 Figure 2). The "
        f"combined budget is {_m(t15 - bud['value'])} less than Figure 10's planned CCG spending for 2014/15 "
        f"({_m(t15)}); the papers do not explain the difference."
    )


def _fig10():
    f = _data().facts
    wide = finance.figure10_frame(f)
    return wide, finance.figure10_printed_change(f)


def fig10_sentence() -> Markdown:
    wide, printed = _fig10()
    sh = finance.shares(wide)
    first, last = wide.columns[0], wide.columns[-1]
    moves = {c: sh.loc[c, last] - sh.loc[c, first] for c in ("Acute", "Community", "Primary Care", "Continuing Care")}
    change = finance.change_over_period(wide)
    ok = sum(finance.reproduces(change[c], printed[c], 0.005 + 0.01) for c in printed.index if pd.notna(printed[c]))
    n = int(printed.notna().sum())
    return Markdown(
        f"The five CCGs plan to spend {_m(_to_m(wide.loc[finance.FIG10_TOTAL, first], '£000'))} in {first} and "
        f"{_m(_to_m(wide.loc[finance.FIG10_TOTAL, last], '£000'))} in {last} (up {_pct(change[finance.FIG10_TOTAL], 2)}; "
        f"001 Figure 10). Acute care's share falls from {_pct(sh.loc['Acute', first])} to {_pct(sh.loc['Acute', last])} "
        f"({_signed(moves['Acute'])} points) while community care gains {_signed(moves['Community'])} points, primary care "
        f"{_signed(moves['Primary Care'])} and continuing care {_signed(moves['Continuing Care'])}: the shift the plan describes, "
        f"with acute spending {_pct(-change['Acute'], 2)} lower in cash. Recomputed from the rows, {ok} of the {n} printed "
        "'% change' figures reproduce."
    )


def ccg_cumulative_gap_sentence() -> Markdown:
    """The CCGs' cumulative unmitigated gap by 2018/19, set against their planned spending and Mid Essex's own figure."""
    wide, _ = _fig10()
    gap = _fact("001.s3-3.essex-ccgs.ccg_cumulative_financial_gap.2014-15-2018-19")
    mid = _fact("001.mid-summary.06q.ccg_cumulative_surplus_deficit.2017-18.do-nothing")
    five_years = _to_m(wide.loc[finance.FIG10_TOTAL, list(wide.columns[1:])].sum(), "£000")
    return Markdown(
        f"Each Essex CCG modelled its gap over the five years to 2018/19 on a common set of assumptions: together, a "
        f"cumulative **{gap['printed']}** if no mitigating plans are put in place ({_src(gap['fact_id'], _root())}). That "
        f"is {_pct(finance.percent_of(gap['value'], five_years))} of the {_m(five_years, 0)} Figure 10 plans them to spend "
        "over 2014/15 to 2018/19; the paper says the CCGs' five-year plans mitigate it and presents Figure 10 as their "
        f"planned spending. Mid Essex CCG's own 'do nothing' projection is a cumulative deficit of "
        f"{_m(-mid['value'], 0)} by 2017/18 ({_src(mid['fact_id'], _root())}), {-mid['value'] / gap['value']:.1f} times the "
        "five CCGs' figure, so the two are not on the same basis."
    )


def fig10_spend_chart() -> charts.Chart:
    wide, _ = _fig10()
    cats = [c for c in wide.index if c != finance.FIG10_TOTAL]
    frame = pd.DataFrame([{"Year": y, "Category": c, "£m": _to_m(wide.loc[c, y], "£000")} for c in cats for y in wide.columns])
    fig = charts.lines(frame, "Year", "£m", "Category", "Planned CCG expenditure by category", "£m")
    alt = "Line chart of planned spending by the five Essex CCGs, £m, 2013/14 to 2018/19. " + " ".join(
        f"{c}: {frame[frame['Category'] == c]['£m'].iloc[0]:,.1f} to {frame[frame['Category'] == c]['£m'].iloc[-1]:,.1f}."
        for c in cats)
    caption = "Planned CCG expenditure by category, 2013/14 to 2018/19 (001 Figure 10, lines 521-532; read as £000)."
    wide_m = frame.pivot(index="Category", columns="Year", values="£m").reindex(cats).round(1).reset_index()
    cid = "fin-fig10-spend"
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide_m, caption, cid + "-data",
                                                             numeric=tuple(c for c in wide_m.columns if c != "Category")))


def fig10_share_chart() -> charts.Chart:
    wide, _ = _fig10()
    sh = finance.shares(wide)
    cats = ["Acute", "Community", "Primary Care", "Continuing Care", "Mental Health"]
    frame = pd.DataFrame([{"Year": y, "Category": c, "% of total": sh.loc[c, y]} for c in cats for y in sh.columns])
    fig = charts.lines(frame, "Year", "% of total", "Category", "Share of planned CCG spending", "% of total")
    alt = "Line chart of each category's share of planned CCG spending. " + " ".join(
        f"{c}: {sh.loc[c, sh.columns[0]]:.1f}% to {sh.loc[c, sh.columns[-1]]:.1f}%." for c in cats)
    caption = "Share of total planned CCG expenditure, 2013/14 to 2018/19 (computed from 001 Figure 10)."
    table = sh.loc[cats].round(2).reset_index().rename(columns={"breakdown": "Category"})
    cid = "fin-fig10-share"
    return charts.Chart(fig, cid, caption, alt, charts.Table(table, caption, cid + "-data",
                                                             numeric=tuple(c for c in table.columns if c != "Category")))


def fig10_change_table() -> charts.Table:
    """Figure 10's '% change' column recomputed from its rows."""
    wide, printed = _fig10()
    change = finance.change_over_period(wide)
    yoy = finance.year_on_year(wide)
    rows = []
    for c in wide.index:
        p = printed.get(c, float("nan"))
        rec = change[c]
        if pd.isna(p):
            verdict = "– not printed (the 2013/14 base is negative)" if pd.isna(rec) else "– not printed"
        else:
            verdict = VERDICT[finance.reproduces(rec, p, 0.005 + 0.01)]
        rows.append({"Category": c, "Printed % change": "not published (blank)" if pd.isna(p) else f"{p:.2f}",
                     "Recomputed": "not defined" if pd.isna(rec) else f"{rec:.2f}", "Verdict": verdict,
                     **{f"{y} on year before": ("" if pd.isna(yoy.loc[c, y]) else f"{yoy.loc[c, y]:+.1f}%") for y in wide.columns[1:]}})
    return charts.Table(pd.DataFrame(rows), "Figure 10's '% change 2013/14-2018/19' recomputed from its rows, and each "
                        "category's growth on the year before", "fin-fig10-change",
                        numeric=("Printed % change", "Recomputed", *[f"{y} on year before" for y in wide.columns[1:]]))


def bcf_system_sentence() -> Markdown:
    root = _root()
    essex, staffs, nat = (_fact("001.cover.e10000012.bcf_pooled_fund.2015-16.minimum"), _fact("004.bcf.e10000028.bcf_value.2015-16"),
                          _fact("004.bcf.e92000001.bcf_value.2015-16"))
    bb = _fact("003.table2.99e.bcf_investment.2015-16.totals.min")
    transfer = _fact("004.bcf.e92000001.bcf_ccg_budget_transfer_pct.2015-16")
    nat_m = _to_m(nat["value"], nat["unit"])
    return Markdown(
        f"The national Better Care Fund is {nat['printed']} in 2015/16, built partly from a {transfer['printed']} transfer out "
        f"of CCG budgets ({_src(nat['fact_id'], root)}). Essex plans to pool at least {essex['printed'].split(' ')[0]} "
        f"({_src(essex['fact_id'], root)}), **{_pct(finance.percent_of(essex['value'], nat_m), 2)}** of the national fund; "
        f"Staffordshire's share is {staffs['printed']} ({_src(staffs['fact_id'], root)}), "
        f"**{_pct(finance.percent_of(staffs['value'], nat_m), 2)}**. Basildon and Brentwood CCG's planned minimum of "
        f"{bb['printed']} is {_pct(finance.percent_of(bb['value'], essex['value']))} of the Essex pool."
    )


def bcf_system_chart() -> charts.Chart:
    essex, staffs, nat = (_fact("001.cover.e10000012.bcf_pooled_fund.2015-16.minimum"), _fact("004.bcf.e10000028.bcf_value.2015-16"),
                          _fact("004.bcf.e92000001.bcf_value.2015-16"))
    nat_m = _to_m(nat["value"], nat["unit"])
    frame = pd.DataFrame({"Area": ["Essex (pooled minimum)", "Staffordshire"],
                          "£m": [essex["value"], staffs["value"]],
                          "% of national fund": [finance.percent_of(essex["value"], nat_m), finance.percent_of(staffs["value"], nat_m)]})
    fig = charts.bar(frame, "Area", "% of national fund", "Share of the national £3.8bn Better Care Fund, 2015/16", "% of national fund")
    alt = ("Bar chart of each area's Better Care Fund as a share of the national £3.8bn in 2015/16: " +
           "; ".join(f"{a} £{v:.1f}m, {p:.2f}%" for a, v, p in zip(frame["Area"], frame["£m"], frame["% of national fund"])) + ".")
    caption = "Essex's pooled minimum (001 line 126) and Staffordshire's fund (004 line 22) as shares of the national fund (004 line 22)."
    cid = "fin-bcf-shares"
    table = frame.assign(**{"% of national fund": frame["% of national fund"].round(2)})
    return charts.Chart(fig, cid, caption, alt, charts.Table(table, caption, cid + "-data", numeric=("£m", "% of national fund")))


def system_gap_facts() -> charts.Table:
    """Every system-level gap and savings figure, as printed, with its source."""
    pattern = (r"^(000\.ecc-gap-profile|000\.ecc-outlook\.e10000012\.ecc_funding_gap|000\.wecb\.agg-wecb-partners\.system_funding_gap"
               r"|000\.exec\.e10000012\.ecc_savings_required|000\.ecc-transformation\.e10000012\.ecc_savings_required"
               r"|001\.cover\.e10000012\.(ecc_funding_gap|ecc_savings_required)|001\.cover\.essex-ccgs"
               r"|001\.s3-3\.essex-ccgs\.ccg_cumulative_financial_gap|001\.s3-1\.e10000012)")
    return report.facts_table(_facts_where(pattern), "System gap and savings figures as printed (placeholders shown as not published)",
                              "fin-system-facts", _root(), _data())
