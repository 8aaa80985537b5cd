"""The finance page's allocation and council spending sections: each CCG's 2013/14
allocation and QIPP (000 Figure 2) and Essex County Council's spending in its area
(000 Figure 3)."""
from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import Markdown

from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages import style
from analysis.pages.finance.common import (
    _county_link, _empty, _m, _name, _src, _to_m
)
from analysis.pages.commentary import has_passage
from analysis.pages.pagedata import PageData


# --- allocation and QIPP (000 Figure 2) -----------------------------------------------------------

def coverage(page: PageData) -> Markdown:
    return report.coverage_sentence(page, "finance", "finance")


def allocation_sentence(page: PageData) -> Markdown:
    return report.figure2_sentence(page)


def allocation_table(page: PageData) -> charts.Table | Markdown:
    return report.figure2_comparison(page)


def allocation_chart(page: PageData) -> charts.Chart:
    return report.figure2_chart(page, "allocation_per_head")


def qipp_chart(page: PageData) -> charts.Chart:
    return report.figure2_chart(page, "qipp_pct_allocation")


# --- council spending by CCG area (000 Figure 3) ------------------------------------------------

def _fig3(page: PageData) -> tuple[pd.DataFrame, pd.DataFrame]:
    d = page.data
    fig3 = finance.figure3_frame(d.facts)
    pop = finance.figure2_frame(d.facts)["population_ons_projection"]
    return fig3, finance.council_spend_per_head(fig3, pop)


def _not_in_fig3(page: PageData, area_code: str) -> Markdown:
    return Markdown(f"Council spending in {_name(page, area_code)}'s area is not published in the source documents for this CCG: "
                    "Figure 3 of paper 000 splits Essex County Council's budget across the five CCG areas of the county "
                    f"only, and {_name(page, area_code)} lies outside it. See {_county_link(page, area_code)} for the county budget.")


def council_spend_sentence(page: PageData) -> Markdown:
    area_code = page.area
    if area_code not in finance.council_areas(page.data.facts):
        return _not_in_fig3(page, area_code)
    fig3, per_head = _fig3(page)
    own = fig3.loc[area_code]
    total = own.sum()
    alloc = page.lookup_or_none("ccg_allocation", "2013/14", "repeat in Figure 3")
    combined = page.lookup_or_none("ccg_allocation_plus_ecc_gross_expenditure", "2013/14")
    root = page.root
    ph, essex = per_head.loc[area_code, "Total"], per_head.loc["ESSEX-CCGS", "Total"]
    side = "more" if ph > essex else "less"
    parts = ", ".join(f"{label.lower()} {_m(_to_m(page, own[s], '£000'))}" for s, label in finance.FIG3_SERVICES.items())
    return Markdown(
        f"Essex County Council budgeted {_m(_to_m(page, total, '£000'))} of gross spending in {_name(page, area_code)}'s area for 2013/14: "
        f"{parts} ({_src(page, page.lookup(finance.COUNCIL_SPEND_MEASURE, '2013/14', 'Adult Social Care')['fact_id'], root)}). "
        f"That is {style.fmt_money(ph)} per resident, {style.fmt_money(abs(ph - essex))} {side} than the "
        f"{style.fmt_money(essex)} across the five CCG areas (spending the council books countywide, mostly schools, "
        "is left out of both)."
        + (f" With the CCG's own allocation of {_m(_to_m(page, alloc['value'], alloc['unit']))}, the paper's total for the "
           f"area is {_m(_to_m(page, combined['value'], combined['unit']))}." if alloc is not None and combined is not None else "")
    )


def council_spend_table(page: PageData) -> charts.Table | Markdown:
    """Council spending in the area by service, as printed and per resident, against the five-area figure."""
    area_code = page.area
    if area_code not in finance.council_areas(page.data.facts):
        return _empty()
    fig3, per_head = _fig3(page)
    root = page.root
    rows = []
    for service, label in {**finance.FIG3_SERVICES, "Total": "All three services"}.items():
        if service == "Total":
            printed, source, url = style.fmt_number(fig3.loc[area_code].sum()), "sum of the three rows", ""
        else:
            fact = page.lookup(finance.COUNCIL_SPEND_MEASURE, "2013/14", service)
            printed, source, url = fact["printed"], report.source_label(fact), report.source_url(fact, root)
        own, essex = per_head.loc[area_code, service], per_head.loc["ESSEX-CCGS", service]
        rows.append({"Service": label, "£000 (as printed)": printed, "£ per resident": style.fmt_money(own),
                     "£ per resident, five CCG areas": style.fmt_money(essex),
                     "Difference": f"{100 * (own / essex - 1):+.0f}%" if pd.notna(own) and pd.notna(essex) else style.NOT_PUBLISHED,
                     "Source": source, "_source_url": url})
    return charts.Table(pd.DataFrame(rows), f"Essex County Council gross spending budget in {report.area_name(area_code, page.data)}'s "
                        "area, 2013/14 (000 Figure 3; per resident with the ONS 2013 population of Figure 2)",
                        f"fin-council-{area_code.lower()}", numeric=("£000 (as printed)", "£ per resident",
                                                                     "£ per resident, five CCG areas", "Difference"),
                        links={"Source": "_source_url"})


def council_spend_chart(page: PageData) -> charts.Chart | Markdown:
    """Council spending per resident in each of the five CCG areas, this one highlighted."""
    area_code = page.area
    if area_code not in finance.council_areas(page.data.facts):
        return _empty()
    d = page.data
    _, per_head = _fig3(page)
    ccgs = finance.council_areas(d.facts)
    frame = pd.DataFrame({"CCG": [report.area_name(c, d) for c in ccgs], "per_head": [per_head.loc[c, "Total"] for c in ccgs]})
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


def mental_health_footnote(page: PageData) -> Markdown:
    """The paper's footnote on where mental health spending was booked, quoted, and what it does to the comparison."""
    area_code = page.area
    if area_code not in finance.council_areas(page.data.facts):
        return _empty()
    row = page.lookup(finance.COUNCIL_SPEND_MEASURE, "2013/14", "Adult Social Care")
    # The footnote is quoted in the transcription note, with the line it is printed at.
    found = re.search(r'Footnote printed at line (\d+) \(verbatim\): "(.*?)"', str(row["note"]))
    if found is None:
        return None
    at, quote = found.groups()
    root = page.root
    # Where an analyst has read the footnote for this area (data/commentary/), the reading follows
    # the section; otherwise the generic reading for an area outside the two localities named.
    effect = "" if has_passage(page, "ccg-finance", "council") else (
        f" {_name(page, area_code)}'s mental health spending is therefore booked to North East Essex or Castle Point and "
        "Rochford (the footnote does not list which areas make up each locality), so its adult social care "
        "figure here leaves it out and its per-resident spending is understated.")
    line = (f'<a href="{root}sources/{row["source_id"]}.html#L{at}">{row["source_id"]} {html.escape(row["table"])} '
            f'footnote, line {at}</a>')
    return Markdown(
        f"> {html.escape(quote)}\n\n"
        f"The paper's footnote to Figure 3 ({line}). The footnote marker was lost when the "
        f"paper was converted to text; it is read here as applying to adult social care, where mental health sits.{effect}"
    )
