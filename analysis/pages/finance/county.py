"""The Essex system finance page: the council's gap and budget, the Whole Essex
Community Budgets gap, the CCGs' budgets and planned spending, and the Better Care
Fund."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.data import FIGURE_KEY
from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages.finance.common import (
    ESSEX, VERDICT, _m, _pct, _signed, _src, _to_m
)
from analysis.pages.pagedata import PageData

ESSEX_CCGS = "ESSEX-CCGS"         # the five CCGs of the county council area
WECB = "AGG-WECB-PARTNERS"        # the Whole Essex Community Budgets partners
ENGLAND = "E92000001"
GAP_YEARS = ("2013/14", "2014/15", "2015/16", "2016/17")
MTRS_YEARS = ("2014/15", "2015/16", "2016/17")
# The council's gap: the March 2013 profile (000, repeated in 002) and the gap reported in June 2014 (001).
PROFILE, CURRENT_GAP = "profile", "current gap, June 2014"
# The system gap and savings figures, each as first printed: restatements and ranges carry their
# own breakdowns, and a later paper's repeat of a figure (the same key) is left out.
SYSTEM_GAP_AREAS = (ESSEX, ESSEX_CCGS, WECB)
SYSTEM_GAP_MEASURES = ("ecc_funding_gap", "ecc_savings_required", "system_funding_gap", "ccg_savings_required",
                       "ccg_savings_pct_budget", "ccg_combined_budget", "ccg_cumulative_financial_gap",
                       "health_social_care_unmanaged_cumulative_deficit")
SYSTEM_GAP_BREAKDOWNS = ("", "headline", PROFILE, CURRENT_GAP)


def _root(page: PageData) -> str:
    return page.root


def _ecc_gap(page: PageData) -> tuple[list[pd.Series], pd.Series, pd.Series]:
    """The council's gap profile, 2013/14 to 2016/17, the same paper's headline, and the later current gap."""
    head = page.lookup("ecc_funding_gap", "2016/17", "headline")
    # 000 and 002 both print the profile: it is read from the headline's paper.
    def profile(period: str) -> pd.Series:
        rows = page.published.rows(page.area, "ecc_funding_gap", period, PROFILE)
        return rows[rows["source_id"] == head["source_id"]].iloc[0]
    return [profile(y) for y in GAP_YEARS], head, page.lookup("ecc_funding_gap", "2014/15", CURRENT_GAP)


def _net_budget(page: PageData) -> pd.DataFrame:
    f = page.data.facts
    return f[(f["area_code"] == page.area) & (f["measure_id"] == "ecc_controllable_net_budget") & (f["period"] == "2013/14")]


def ecc_gap_sentence(page: PageData) -> Markdown:
    root = _root(page)
    prof, head, later = _ecc_gap(page)
    more = page.lookup("ecc_savings_required", "2014/15-2016/17")
    steps = finance.year_on_year_steps([p["value"] for p in prof])
    return Markdown(
        f"Essex County Council's funding gap grows from {prof[0]['printed']} in 2013/14 to {prof[-1]['printed'].lstrip('-')} "
        f"in 2016/17 ({_src(page, prof[0]['fact_id'], root)}): the profile is cumulative against the baseline, so the gap opens "
        f"by {', '.join(_m(s, 0) for s in steps)} a year. The same paper's headline puts it at {head['printed']} by 2016/17 "
        f"({_src(page, head['fact_id'], root)}), {_m(head['value'] - prof[-1]['value'], 0)} more than its own profile. Fifteen "
        f"months later the Health and Wellbeing Board paper reports a current gap of {later['printed']} "
        f"({_src(page, later['fact_id'], root)}), {_m(prof[1]['value'] - later['value'], 0)} below the profile's 2014/15 figure, and "
        f"at least {more['printed']} of further savings needed over the next three years."
    )


def ecc_gap_chart(page: PageData) -> charts.Chart:
    prof, head, later = _ecc_gap(page)
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


def wecb_sentence(page: PageData) -> Markdown:
    root = _root(page)
    gap, spend = (page.lookup("system_funding_gap", "2013-2017", area=WECB),
                  page.lookup("system_annual_spend", "2012/13", area=WECB))
    orgs = page.lookup("statutory_commissioning_organisations", "2013-03", area=WECB)
    ecc = _ecc_gap(page)[0][-1]
    spend_m = _to_m(page, spend["value"], spend["unit"])
    return Markdown(
        f"The {orgs['printed']} statutory organisations in the Whole Essex Community Budgets programme spend {spend['printed']} "
        f"a year and have identified a collective funding gap of **{gap['printed']}** over 2013-2017 "
        f"({_src(page, gap['fact_id'], root)}): {_pct(finance.percent_of(gap['value'], spend_m))} of one year's spending, or "
        f"{_m(gap['value'] / 4)} a year if the period is the four years to 2017. The paper says these figures are already in the organisations' "
        f"savings plans. It does not say whether the council's own gap ({ecc['printed'].lstrip('-')} by 2016/17) is part of the "
        "collective figure."
    )


def ecc_budget_chart(page: PageData) -> charts.Chart:
    rows = _net_budget(page)
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


def ecc_budget_sentence(page: PageData) -> Markdown:
    root = _root(page)
    rows = _net_budget(page)
    parts = rows[rows["breakdown"] != "Net Cost of Services"]
    total = rows[rows["breakdown"] == "Net Cost of Services"].iloc[0]
    recomputed = parts["value"].sum()
    asc = parts[parts["breakdown"] == "Adult Social Care"].iloc[0]
    cut, s13, s12 = (page.lookup("ecc_net_budget_cash_reduction", "2013/14"),
                     page.lookup("ecc_efficiency_savings", "2013/14"),
                     page.lookup("ecc_efficiency_savings", "2012/13"))
    ok = finance.reproduces(recomputed, total["value"], finance.printed_tolerance(total) + 0.05 * len(parts))
    return Markdown(
        f"The council's {len(parts)} portfolios add to {_m(recomputed)}, {VERDICT[ok]} the printed net cost of services of "
        f"{_m(total['value'])} ({_src(page, total['fact_id'], root)}). Adult social care is {_pct(finance.percent_of(asc['value'], total['value']))} "
        f"of it. The budget is a cash cut of {cut['printed']} on 2012/13 and needs {s13['printed']} of savings, against "
        f"{s12['printed']} in 2012/13 ({_src(page, s13['fact_id'], root)})."
    )


def mtrs_sentence(page: PageData) -> Markdown:
    root = _root(page)
    years = [page.lookup("ecc_social_care_planned_savings", y) for y in MTRS_YEARS]
    total, restated = (page.lookup("ecc_social_care_planned_savings", "2014/15-2016/17"),
                       page.lookup("ecc_social_care_planned_savings", "2014/15-2016/17", "restated in 3.3.1"))
    growth = page.lookup("ecc_mtrs_growth_funding", "2014/15-2016/17")
    spend = page.lookup("ecc_social_care_spend", "2014/15")
    s = sum(y["value"] for y in years)
    ok = finance.reproduces(s, total["value"], finance.printed_tolerance(total) + 0.05 * 2 + 0.5)
    return Markdown(
        f"The council's medium-term resource strategy plans adults' and children's social care savings of "
        f"{', '.join(y['printed'] for y in years)} in 2014/15 to 2016/17 ({_src(page, years[0]['fact_id'], root)}). They add to "
        f"{_m(s)}: the cover report prints {total['printed']} ({VERDICT[ok]}, given that £22M is printed to the nearest £1m) "
        "and section 3.3.1 "
        f"{restated['printed']}. They offset {growth['printed']} of additional funds for inflation and demographic growth over "
        f"the same years, leaving net growth of {_m(growth['value'] - s)}, on social care spending of {spend['printed']} in "
        f"2014/15. {_pct(finance.percent_of(years[0]['value'], s), 0)} of the three years' savings fall in the first year."
    )


def mtrs_chart(page: PageData) -> charts.Chart:
    years = [page.lookup("ecc_social_care_planned_savings", y) for y in MTRS_YEARS]
    frame = pd.DataFrame({"Year": [y["period"] for y in years], "£m": [y["value"] for y in years]})
    fig = charts.bar(frame, "Year", "£m", "Planned social care savings by year", "£m")
    alt = "Bar chart of planned adults' and children's social care savings, £m: " + ", ".join(
        f"{y} {v:.1f}" for y, v in zip(frame["Year"], frame["£m"])) + "."
    caption = "Essex County Council's planned social care savings (001 lines 126 and 506-512)."
    cid = "fin-mtrs"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame, caption, cid + "-data", numeric=("£m",)))


def ccg_budgets_sentence(page: PageData) -> Markdown:
    root = _root(page)
    sav, bud, pct = (page.lookup(m, "2014/15", area=ESSEX_CCGS)
                     for m in ("ccg_savings_required", "ccg_combined_budget", "ccg_savings_pct_budget"))
    fig10 = finance.figure10_frame(page.data.facts)
    t15 = _to_m(page, fig10.loc[finance.FIG10_TOTAL, "2014/15"], "£000")
    q13 = page.lookup("qipp_savings", "2013/14", area=ESSEX_CCGS)
    q13pct = page.lookup("qipp_pct_allocation", "2013/14", area=ESSEX_CCGS)
    share = finance.percent_of(sav["value"], bud["value"])
    ok = finance.reproduces(share, pct["value"], finance.printed_tolerance(pct))
    return Markdown(
        f"For 2014/15 the five Essex CCGs need savings in the region of {sav['printed']} on combined budgets of {bud['printed']} "
        f"({_src(page, bud['fact_id'], root)}): {_pct(share, 2)}, {VERDICT[ok]} the printed {pct['printed'].strip('()')}. In 2013/14 "
        f"their QIPP was {_m(_to_m(page, q13['value'], q13['unit']))}, {q13pct['printed']} of allocations (000 Figure 2). The "
        f"combined budget is {_m(t15 - bud['value'])} less than Figure 10's planned CCG spending for 2014/15 "
        f"({_m(t15)}); the papers do not explain the difference."
    )


def _fig10(page: PageData):
    f = page.data.facts
    wide = finance.figure10_frame(f)
    return wide, finance.figure10_printed_change(f)


def fig10_sentence(page: PageData) -> Markdown:
    wide, printed = _fig10(page)
    sh = finance.shares(wide)
    first, last = wide.columns[0], wide.columns[-1]
    moves = {c: sh.loc[c, last] - sh.loc[c, first] for c in ("Acute", "Community", "Primary Care", "Continuing Care")}
    change = finance.change_over_period(wide)
    ok = sum(finance.reproduces(change[c], printed[c], 0.005 + 0.01) for c in printed.index if pd.notna(printed[c]))
    n = int(printed.notna().sum())
    return Markdown(
        f"The five CCGs plan to spend {_m(_to_m(page, wide.loc[finance.FIG10_TOTAL, first], '£000'))} in {first} and "
        f"{_m(_to_m(page, wide.loc[finance.FIG10_TOTAL, last], '£000'))} in {last} (up {_pct(change[finance.FIG10_TOTAL], 2)}; "
        f"001 Figure 10). Acute care's share falls from {_pct(sh.loc['Acute', first])} to {_pct(sh.loc['Acute', last])} "
        f"({_signed(moves['Acute'])} points) while community care gains {_signed(moves['Community'])} points, primary care "
        f"{_signed(moves['Primary Care'])} and continuing care {_signed(moves['Continuing Care'])}: the shift the plan describes, "
        f"with acute spending {_pct(-change['Acute'], 2)} lower in cash. Recomputed from the rows, {ok} of the {n} printed "
        "'% change' figures reproduce."
    )


def ccg_cumulative_gap_sentence(page: PageData) -> Markdown:
    """The CCGs' cumulative unmitigated gap by 2018/19, set against their planned spending and Mid Essex's own figure."""
    wide, _ = _fig10(page)
    gap = page.lookup("ccg_cumulative_financial_gap", "2014/15-2018/19", area=ESSEX_CCGS)
    mid = page.lookup("ccg_cumulative_surplus_deficit", "2017/18", "do nothing", area="06Q")  # Mid Essex CCG
    five_years = _to_m(page, wide.loc[finance.FIG10_TOTAL, list(wide.columns[1:])].sum(), "£000")
    return Markdown(
        f"Each Essex CCG modelled its gap over the five years to 2018/19 on a common set of assumptions: together, a "
        f"cumulative **{gap['printed']}** if no mitigating plans are put in place ({_src(page, gap['fact_id'], _root(page))}). That "
        f"is {_pct(finance.percent_of(gap['value'], five_years))} of the {_m(five_years, 0)} Figure 10 plans them to spend "
        "over 2014/15 to 2018/19; the paper says the CCGs' five-year plans mitigate it and presents Figure 10 as their "
        f"planned spending. Mid Essex CCG's own 'do nothing' projection is a cumulative deficit of "
        f"{_m(-mid['value'], 0)} by 2017/18 ({_src(page, mid['fact_id'], _root(page))}), {-mid['value'] / gap['value']:.1f} times the "
        "five CCGs' figure, so the two are not on the same basis."
    )


def fig10_spend_chart(page: PageData) -> charts.Chart:
    wide, _ = _fig10(page)
    cats = [c for c in wide.index if c != finance.FIG10_TOTAL]
    frame = pd.DataFrame([{"Year": y, "Category": c, "£m": _to_m(page, wide.loc[c, y], "£000")} for c in cats for y in wide.columns])
    fig = charts.lines(frame, "Year", "£m", "Category", "Planned CCG expenditure by category", "£m")
    alt = "Line chart of planned spending by the five Essex CCGs, £m, 2013/14 to 2018/19. " + " ".join(
        f"{c}: {frame[frame['Category'] == c]['£m'].iloc[0]:,.1f} to {frame[frame['Category'] == c]['£m'].iloc[-1]:,.1f}."
        for c in cats)
    caption = "Planned CCG expenditure by category, 2013/14 to 2018/19 (001 Figure 10, lines 521-532; read as £000)."
    wide_m = frame.pivot(index="Category", columns="Year", values="£m").reindex(cats).round(1).reset_index()
    cid = "fin-fig10-spend"
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide_m, caption, cid + "-data",
                                                             numeric=tuple(c for c in wide_m.columns if c != "Category")))


def fig10_share_chart(page: PageData) -> charts.Chart:
    wide, _ = _fig10(page)
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


def fig10_change_table(page: PageData) -> charts.Table:
    """Figure 10's '% change' column recomputed from its rows."""
    wide, printed = _fig10(page)
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


def _bcf(page: PageData) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Essex's pooled minimum, Staffordshire's fund and the national fund, 2015/16."""
    # 001 and 004 both print the national £3.8bn: it is read from the paper that gives the 3% transfer.
    transfer = page.lookup("bcf_ccg_budget_transfer_pct", "2015/16", area=ENGLAND)
    national = page.published.rows(ENGLAND, "bcf_value", "2015/16")
    return (page.lookup("bcf_pooled_fund", "2015/16", "minimum"), page.lookup("bcf_value", "2015/16", area="E10000028"),
            national[national["source_id"] == transfer["source_id"]].iloc[0])


def bcf_system_sentence(page: PageData) -> Markdown:
    root = _root(page)
    essex, staffs, nat = _bcf(page)
    bb = page.lookup("bcf_investment", "2015/16", "Totals; min", area="99E")  # Basildon and Brentwood CCG
    transfer = page.lookup("bcf_ccg_budget_transfer_pct", "2015/16", area=ENGLAND)
    nat_m = _to_m(page, nat["value"], nat["unit"])
    return Markdown(
        f"The national Better Care Fund is {nat['printed']} in 2015/16, built partly from a {transfer['printed']} transfer out "
        f"of CCG budgets ({_src(page, nat['fact_id'], root)}). Essex plans to pool at least {essex['printed'].split(' ')[0]} "
        f"({_src(page, essex['fact_id'], root)}), **{_pct(finance.percent_of(essex['value'], nat_m), 2)}** of the national fund; "
        f"Staffordshire's share is {staffs['printed']} ({_src(page, staffs['fact_id'], root)}), "
        f"**{_pct(finance.percent_of(staffs['value'], nat_m), 2)}**. Basildon and Brentwood CCG's planned minimum of "
        f"{bb['printed']} is {_pct(finance.percent_of(bb['value'], essex['value']))} of the Essex pool."
    )


def bcf_system_chart(page: PageData) -> charts.Chart:
    essex, staffs, nat = _bcf(page)
    nat_m = _to_m(page, nat["value"], nat["unit"])
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


def system_gap_facts(page: PageData) -> charts.Table:
    """Every system-level gap and savings figure, as printed, with its source."""
    f = page.data.facts
    rows = f[f["area_code"].isin(SYSTEM_GAP_AREAS) & f["measure_id"].isin(SYSTEM_GAP_MEASURES)
             & f["breakdown"].isin(SYSTEM_GAP_BREAKDOWNS)].drop_duplicates(list(FIGURE_KEY))
    return report.facts_table(rows, "System gap and savings figures as printed (placeholders shown as not published)",
                              "fin-system-facts", _root(page), page.data)
