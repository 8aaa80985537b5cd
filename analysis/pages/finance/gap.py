"""The finance page's gap section: what the papers report of each CCG's gap, deficit,
surplus and savings, and the figures as printed."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages.finance.common import (
    _count_word, _county_link, _holds, _paper, _k, _m, _models, _name, _pct, _qipp_programme, _scenario, _src, _to_m
)
from analysis.pages.commentary import has_passage
from analysis.pages.pagedata import PageData


def gap_summary(page: PageData) -> Markdown:
    """The paper's answer to 'how big is the gap and what closes it', for this CCG."""
    area_code = page.area
    scenario = _scenario(page)
    root = page.root
    if _holds(page, "plan", "mtfp", "case_for_change"):
        return Markdown(_model_summary(page, scenario, root))
    if has_passage(page, "ccg-finance", "gap"):
        return None  # the analyst's reading of the papers, from data/commentary/, follows the section's tables
    year = "2013/14"  # the year of the papers' allocation table (000 Figure 2)
    qipp = page.lookup_or_none("qipp_savings", year)
    pct = page.lookup_or_none("qipp_pct_allocation", year)
    if qipp is None or pct is None:
        # An area outside the allocation table (e.g. one added by an analyst).
        return Markdown(f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(page, area_code)}, "
                        f"so no gap model can be built: see {_county_link(page, area_code)} for the Essex-wide gap figures.")
    tail = (f" and Essex County Council's spending in its area ({_cite(_council_row(page))})"
            if _council_row(page) is not None else "; the other papers are about the Essex County Council area and leave it out")
    return Markdown(
        f"The source documents publish no financial plan, deficit, surplus or gap figure for {_name(page, area_code)}. "
        f"What they give is its {year} allocation and QIPP savings requirement, {_m(_to_m(page, qipp['value'], qipp['unit']))} "
        f"or {pct['printed']} of its allocation ({_cite(qipp)}){tail}. No gap model can be built from that: see "
        f"{_county_link(page, area_code)} for the Essex-wide gap figures."
    )


def _years(n: int, word: str = "year") -> str:
    return f"{_count_word(n)} {word}{'' if n == 1 else 's'}"


def _cite(row) -> str:
    return f"{row['source_id']} {row['table']}"


def _council_row(page: PageData):
    f = page.published.data.facts
    rows = f[(f["area_code"] == page.area) & (f["measure_id"] == finance.COUNCIL_SPEND_MEASURE)]
    return rows.iloc[0] if len(rows) else None


def _model_summary(page: PageData, scenario: finance.Assumptions, root: str) -> str:
    facts, area = page.data.facts, page.area
    _, plan, _, model = _models(page, scenario)
    printed = finance.mtfp_printed(facts, area)
    req = printed[printed["item"] == "qipp_requirement"].set_index("year")["printed"]
    years = finance.mtfp_years(facts, area)[1:]
    qipp = _qipp_programme(page)
    gap_id = finance.PLAN.row(facts, area, "gap")["fact_id"]
    req_rows = printed[printed["item"] == "qipp_requirement"]
    req_id = req_rows.loc[req_rows["year"] == years[0], "fact_id"].iloc[0]
    fig2 = page.lookup_or_none("qipp_savings", finance.plan_year(facts, area))
    same = (", and the same as Figure 2's QIPP for the CCG" if fig2 is not None
            and abs(_to_m(page, fig2["value"], fig2["unit"]) - _to_m(page, qipp, "£000")) < 0.0005 else "")
    text = (
        f"{_name(page, area)}'s {finance.plan_year(facts, area)} plan sets {_m(_to_m(page, plan['total_planned'], '£000'))} of recurrent "
        f"spending against a notified allocation of {_m(_to_m(page, plan['notified_allocation'], '£000'))}: a recurrent gap of "
        f"**{_k(plan['gap'])}**, plus {_k(plan['gap_non_recurrent'])} of non-recurrent investment with nothing set against it "
        f"({_src(page, gap_id, root)}). Its medium-term plan sets the QIPP savings needed to "
        f"break even each year at {', '.join(f'{_m(req[y], 2)} in {y}' for y in years)} "
        f"({_m(sum(req[y] for y in years), 2)} over {_years(len(years))}; "
        f"{_src(page, req_id, root)}). The QIPP programme that is to close the gap is "
        f"{_k(qipp)}, the sum of the {_years(len(finance.CASE_COMPONENTS), 'part')} of the case for change{same}."
    )
    if scenario != _paper(page):
        short = model.loc[list(years), "net_position"]
        text += (f" **Under this page's scenario** the {finance.plan_year(facts, area)} recurrent gap is {_k(plan['gap'])} "
                 f"and the medium-term plan needs {_m(finance.cumulative_requirement(model), 2)} of QIPP over the "
                 f"{_years(len(years))}; "
                 + (f"delivering {_pct(100 * scenario.qipp_delivery, 0)} of it leaves the CCG short by "
                    + ", ".join(f"{_m(v, 2)} in {y}" for y, v in short.items()) + "."
                    if short.abs().max() > 0.005 else "delivered in full, the plan still breaks even each year."))
    return text


def gap_facts(page: PageData, measures: list[str]) -> charts.Table | None:
    """The CCG's gap, deficit, surplus and savings figures as printed, with their sources: the facts
    of ``measures`` (``measure`` or ``measure|breakdown``, from the spec) about the area."""
    area_code = page.area
    whole = {m for m in measures if "|" not in m}
    lines = {tuple(m.split("|", 1)) for m in measures if "|" in m}
    f = page.data.facts
    own = f[f["area_code"] == area_code]
    keep = own["measure_id"].isin(whole) | pd.Series([(m, b) in lines for m, b in zip(own["measure_id"], own["breakdown"])],
                                                     index=own.index, dtype=bool)
    facts = own[keep]
    if facts.empty:
        return None
    return report.facts_table(facts, f"{report.area_name(area_code, page.data)}: gap, deficit and savings figures as printed "
                              "(placeholders shown as not published)", f"fin-gapfacts-{area_code.lower()}",
                              page.root, page.data)
