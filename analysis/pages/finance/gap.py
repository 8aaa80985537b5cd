"""The finance page's gap section: what the papers report of each CCG's gap, deficit,
surplus and savings, and the figures as printed."""
from __future__ import annotations

from IPython.display import Markdown

from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages.finance.common import (
    BB, CPR, MID, NEE, _county_link, _cpr_models, _empty, _fact, _facts_where, _k, _m, _models_missing, _name, _pct,
    _qipp_programme, _scenario, _src, _to_m
)
from analysis.pages.commentary import has_passage
from analysis.pages.pagedata import PageData


def gap_summary(page: PageData) -> Markdown:
    """The paper's answer to 'how big is the gap and what closes it', for this CCG."""
    area_code = page.area
    scenario = _scenario(page)
    root = report.root_for(area_code, page.data)
    if area_code == CPR and not _models_missing(page):
        return Markdown(_cpr_summary(page, scenario, root))
    if has_passage(page, "ccg-finance", "gap"):
        return None  # the analyst's reading of the papers, from data/commentary/, follows the section's tables
    if area_code == NEE:
        return Markdown(_nee_summary(page, root))
    ids = {m: f"000.fig2.{area_code.lower()}.{m}.2013-14" for m in ("qipp_savings", "qipp_pct_allocation")}
    known = set(page.data.facts["fact_id"])
    if not all(i in known for i in ids.values()):
        # An area outside seed 000's Figure 2 (e.g. one added by an analyst).
        return Markdown(f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(page, area_code)}, "
                        f"so no gap model can be built: see {_county_link(page, area_code)} for the Essex-wide gap figures.")
    qipp = _fact(page, ids["qipp_savings"])
    pct = _fact(page, ids["qipp_pct_allocation"])
    tail = (" and Essex County Council's spending in its area (Figure 3)" if area_code in finance.FIG3_CCGS
            else "; the other papers are about the Essex County Council area and leave it out")
    return Markdown(
        f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(page, area_code)}. "
        f"What they give is its 2013/14 allocation and QIPP savings requirement, {_m(_to_m(page, qipp['value'], qipp['unit']))} "
        f"or {pct['printed']} of its allocation (000 Figure 2){tail}. No gap model can be built from that: see "
        f"{_county_link(page, area_code)} for the Essex-wide gap figures."
    )


def _cpr_summary(page: PageData, scenario: finance.Assumptions, root: str) -> str:
    _, plan, _, model = _cpr_models(page, scenario)
    printed = finance.mtfp_printed(page.data.facts)
    req = printed[printed["item"] == "qipp_requirement"].set_index("year")["printed"]
    qipp = _qipp_programme(page)
    text = (
        f"Castle Point and Rochford CCG's 2013/14 plan sets {_m(_to_m(page, plan['total_planned'], '£000'))} of recurrent "
        f"spending against a notified allocation of {_m(_to_m(page, plan['notified_allocation'], '£000'))}: a recurrent gap of "
        f"**{_k(plan['gap'])}**, plus {_k(plan['gap_non_recurrent'])} of non-recurrent investment with nothing set against it "
        f"({_src(page, '002.finplan.99f.fin_plan_line.2013-14.gap', root)}). Its medium-term plan sets the QIPP savings needed to "
        f"break even each year at {', '.join(f'{_m(req[y], 2)} in {y}' for y in finance.MTFP_PLAN_YEARS)} "
        f"({_m(sum(req[y] for y in finance.MTFP_PLAN_YEARS), 2)} over three years; "
        f"{_src(page, '002.mtfp.99f.mtfp_line.2013-14.qipp-requirement', root)}). The QIPP programme that is to close the gap is "
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


def _nee_summary(page: PageData, root: str) -> str:
    surplus = _fact(page, "001.nee-poap.06t.planned_surplus_pct.2014-15-2018-19")
    trans = _fact(page, "001.nee-poap.06t.transformation_monies_pct.2014-15-2018-19")
    lo, hi = _fact(page, "001.nee-poap.06t.qipp_savings.2014-15.min"), _fact(page, "001.nee-poap.06t.qipp_savings.2014-15.max")
    alloc = _fact(page, "000.fig2.06t.ccg_allocation.2013-14")
    qipp13 = _fact(page, "000.fig2.06t.qipp_savings.2013-14")
    alloc_m = _to_m(page, alloc["value"], alloc["unit"])
    q13 = _to_m(page, qipp13["value"], qipp13["unit"])
    return (
        f"North East Essex CCG's plan on a page sets two financial rules, a **{surplus['printed']} surplus** and "
        f"**{trans['printed']} transformation monies**, and names QIPP challenges of **{lo['printed']} in 2014/15** "
        f"({_src(page, lo['fact_id'], root)}). That is {_m(lo['value'] - q13)} to {_m(hi['value'] - q13)} more than its "
        f"2013/14 QIPP of {_m(q13)} (000 Figure 2), and {_pct(finance.percent_of(lo['value'], alloc_m))} to "
        f"{_pct(finance.percent_of(hi['value'], alloc_m))} of its 2013/14 allocation of {_m(alloc_m)}, the latest the papers "
        f"give. The paper does not say what the {surplus['printed']} and {trans['printed']} are percentages of; on that "
        f"2013/14 allocation they would come to about {_m(alloc_m * surplus['value'] / 100)} and "
        f"{_m(alloc_m * trans['value'] / 100)}. No spending plan is published, so no gap model can be built."
    )


GAP_FACTS = {
    CPR: r"^(002\.finplan\.99f\.fin_plan_line\.2013-14\.(gap|gap-nr|total-planned|notified)|002\.mtfp\.99f\.mtfp_line\..*qipp-requirement"
         r"|002\.qippcase\.|000\.fig2\.99f\.qipp|001\.cpr-poap\.99f\.)",
    MID: r"^(001\.mid-summary\.06q\.ccg_|001\.mid-poap\.06q\.ccg_|000\.fig2\.06q\.qipp)",
    NEE: r"^(001\.nee-poap\.06t\.(planned|transformation|qipp)|000\.fig2\.06t\.qipp)",
    BB: r"^(003\.text-6-4\.99e|001\.bb-summary\.99e\.bcf|001\.bb-poap\.99e\.bcf|003\.summary\.99e\.bcf|000\.fig2\.99e\.qipp)",
}


def gap_facts(page: PageData) -> charts.Table | Markdown:
    """The CCG's gap, deficit, surplus and savings figures as printed, with their sources."""
    area_code = page.area
    if area_code not in GAP_FACTS:
        return _empty()
    facts = _facts_where(page, GAP_FACTS[area_code])
    return report.facts_table(facts, f"{report.area_name(area_code, page.data)}: gap, deficit and savings figures as printed "
                              "(placeholders shown as not published)", f"fin-gapfacts-{area_code.lower()}",
                              report.root_for(area_code, page.data), page.data)
