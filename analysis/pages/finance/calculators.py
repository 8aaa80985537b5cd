"""The finance page's later sections: spending against plan at month 9 of 2012/13, the
case for change and the QIPP scheme calculators, and the Better Care Fund."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages import style
from analysis.pages.finance.common import (
    VERDICT, _county_link, _empty, _fact, _k, _m, _name, _on_published, _pct, _qipp_programme, _span, _src, _to_m,
    _unit_table
)
from analysis.pages.pagedata import PageData


# --- spending against plan: month 9 2012/13 ------------------------------------------------------

def month9_sentence(page: PageData) -> Markdown:
    area_code = page.area
    d = page.data
    m9 = finance.month9_frame(d.facts, area_code)
    blocks = finance.month9_blocks(m9)
    total_line = finance.month9_total(m9)
    total = m9.loc[total_line]
    year = finance.MONTH9.periods(d.facts, area_code, "year")[0]
    total_id = finance.MONTH9.row(d.facts, area_code, "forecast_outturn_variance")["fact_id"]
    worst = blocks.sort_values("forecast_outturn_variance", ascending=False).iloc[0]
    rest = blocks["forecast_outturn_variance"].sum() - worst["forecast_outturn_variance"]
    root = report.root_for(area_code, d)
    return Markdown(
        f"At month 9 of {year} the CCG forecast spending {_k(total['forecast_outturn'])} against a full-year plan of "
        f"{_k(total['budget_full_year_plan'])}: an overspend of **{_k(total['forecast_outturn_variance'])}** "
        f"({_pct(finance.percent_of(total['forecast_outturn_variance'], total['budget_full_year_plan']))} of plan), up from "
        f"{_k(total['forecast_outturn_variance_prev_month'])} a month earlier "
        f"({_src(page, total_id, root)}). "
        f"{worst['group']} alone is {_k(worst['forecast_outturn_variance'])} over; the other blocks together are "
        f"{_k(abs(rest))} {'under' if rest < 0 else 'over'}."
    )


def month9_chart(page: PageData) -> charts.Chart | Markdown:
    area_code = page.area
    blocks = finance.month9_blocks(finance.month9_frame(page.data.facts, area_code))
    frame = pd.DataFrame({"Block": [f"{b} ({'overspend' if v > 0 else 'underspend' if v < 0 else 'on plan'})"
                                    for b, v in zip(blocks["group"], blocks["forecast_outturn_variance"])],
                          "variance": blocks["forecast_outturn_variance"].round(0).astype(int).values})
    frame = frame.sort_values(["variance", "Block"], ascending=[False, True])
    fig = charts.bar(frame, "Block", "variance", f"{finance.MONTH9.periods(page.data.facts, area_code, 'year')[0]} monthly report: forecast outturn against plan", "£000 (+ overspend)",
                     highlight=frame.iloc[0]["Block"], horizontal=True)
    fig.update_layout(height=360, margin=dict(l=330))
    alt = ("Horizontal bar chart of the full-year forecast variance by spending block at month 9 of 2012/13, £000: "
           + "; ".join(f"{b} {v:+,.0f}".replace("-", "−") for b, v in zip(frame["Block"], frame["variance"])) + ".")
    caption = (f"Full-year forecast outturn less full-year plan, by spending block ({_span(page, finance.MONTH9)}); positive is an "
               "overspend. The largest is highlighted.")
    cid = f"fin-m9-{area_code.lower()}"
    return charts.Chart(fig, cid, caption, alt, charts.Table(frame.rename(columns={"variance": "Forecast variance (£000)"}),
                                                             caption, cid + "-data", numeric=("Forecast variance (£000)",)))


def month9_table(page: PageData) -> charts.Table | Markdown:
    """Each printed variance and subtotal of the month 9 report recomputed."""
    area_code = page.area
    rec = finance.month9_recomputed(finance.month9_frame(page.data.facts, area_code))
    rows = [{"Line": r.line, "Figure": r.figure, "Printed (£000)": style.fmt_number(r.printed), "Recomputed (£000)": style.fmt_number(r.recomputed),
             "Allowed by rounding": f"±{r.tolerance:g}",
             "Verdict": VERDICT[r.reproduces] if pd.notna(r.printed) and pd.notna(r.recomputed) else "– cannot check"}
            for r in rec.itertuples()]
    return charts.Table(pd.DataFrame(rows), f"Month 9 report recomputed: {int(rec['reproduces'].sum())} of {len(rec)} printed "
                        "variances and totals reproduce within the rounding of the printed figures", f"fin-m9-check-{area_code.lower()}",
                        numeric=("Printed (£000)", "Recomputed (£000)", "Allowed by rounding"))


# --- what closes the gap: the case for change and the QIPP calculators ---------------------------

def case_for_change_sentence(page: PageData) -> Markdown:
    area_code = page.area
    d = page.data
    c = finance.CASE_FOR_CHANGE
    total = _qipp_programme(page)
    printed = c.row(d.facts, area_code, "total")
    year = finance.plan_year(d.facts, area_code) if finance.PLAN.holds(d.facts, area_code) else None
    fig2 = page.lookup_or_none("qipp_savings", year) if year else None
    activity = finance.PLAN.row(d.facts, area_code, "activity_growth") if year else None
    root = report.root_for(area_code, d)
    ok = finance.reproduces(_to_m(page, total, "£000"), printed["value"], finance.printed_tolerance(printed))
    text = (f"The financial case for change ({_src(page, printed['fact_id'], root)}) puts the QIPP challenge at "
            f"{printed['printed']} in {len(finance.CASE_COMPONENTS)} parts, which add to {_k(total)} ({VERDICT[ok]} the printed total")
    if fig2 is not None:
        same = abs(_to_m(page, fig2["value"], fig2["unit"]) - _to_m(page, total, "£000")) < 0.0005
        text += f", and {'exactly' if same else 'unlike'} Figure 2's QIPP of {_k(_to_m(page, fig2['value'], fig2['unit']) * 1000)} for the CCG"
    text += ")."
    if activity is not None:
        text += (f" The first part, holding provider growth to 0%, is the plan's activity growth of {_k(activity['value'])} "
                 "avoided.")
    return Markdown(text + " The calculators below recompute the savings the paper costs scheme by scheme.")


def case_for_change_table(page: PageData) -> charts.Table | Markdown:
    area_code = page.area
    facts = page.data.facts
    c = finance.CASE_FOR_CHANGE
    ids = [c.row(facts, area_code, k)["fact_id"] for k in (*finance.CASE_COMPONENTS, "total")]
    if finance.PLAN.holds(facts, area_code):
        fig2 = page.lookup_or_none("qipp_savings", finance.plan_year(facts, area_code))
        ids += [fig2["fact_id"]] if fig2 is not None else []
    return report.facts_table(facts[facts["fact_id"].isin(ids)], "The QIPP challenge and its parts, as printed",
                              f"fin-case-{area_code.lower()}", report.root_for(area_code, page.data), page.data)


def _calc_table(page: PageData, rows: list[dict], caption: str, cid: str) -> charts.Table:
    """Calculator rows: each has the recomputed value ``_model``, the rounding
    carried in from its inputs ``_band`` and the printed ``fact_id``; the verdict
    allows the printed figure's rounding plus that band."""
    area_code = page.area
    root = report.root_for(area_code, page.data)
    out = []
    for r in rows:
        r = dict(r)
        fact = _fact(page, r.pop("fact_id"))
        model, band = r.pop("_model"), r.pop("_band")
        r["Printed"] = fact["printed"]
        r["Verdict"] = VERDICT[finance.reproduces(model, fact["value"], finance.printed_tolerance(fact) + band)]
        r["Source"] = report.source_label(fact)
        r["_source_url"] = report.source_url(fact, root)
        out.append(r)
    return charts.Table(pd.DataFrame(out), caption, cid, numeric=("Recomputed",), links={"Source": "_source_url"})


@_on_published
def msk_calculator(page: PageData) -> charts.Table | Markdown:
    """The MSK savings at 5, 7 and 10% of the programme budget, for 12 months, 6 months, per month and profiled."""
    pre = "002.msk.loc-99f-rayleigh-rochford."
    budget, base = _fact(page, pre + "msk_programme_budget.2012-13"), _fact(page, pre + "msk_savings_profile.2012-04.5pct-efficiency")
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
    return _calc_table(page, rows, caption, "fin-msk-99f")


@_on_published
def ophthalmology_calculator(page: PageData) -> charts.Table | Markdown:
    pre = "002.ophth.99f."
    rows, total = [], 0.0
    for key, label in (("gp-and-other-referred-first-outpatient-attendances", "First outpatient attendances"),
                       ("gp-and-other-referred-follow-ups", "Follow-ups")):
        spend = float(_fact(page, f"{pre}ophthalmology_triage_current_spend.2012-13.{key}")["value"])
        pct = float(_fact(page, f"{pre}ophthalmology_triage_saving_pct.2013-14.{key}")["value"])
        saving = finance.triage_saving(spend, pct)
        total += saving
        rows.append({"Figure": f"{label}: £{spend:,.0f}k × {pct:g}%", "Recomputed": _k_dec(saving), "_model": saving,
                     "_band": 0.5 * pct / 100, "fact_id": f"{pre}ophthalmology_triage_saving.2013-14.{key}"})
    rows.append({"Figure": "Total", "Recomputed": _k_dec(total), "_model": total, "_band": 0.5 * 0.25,
                 "fact_id": f"{pre}ophthalmology_triage_saving.2013-14.total"})
    return _calc_table(page, rows, "Ophthalmology triage calculator (002 lines 1448-1451): current spend × % saving (£000)",
                       "fin-ophth-99f")


def _k_dec(value: float) -> str:
    return f"£{value:,.1f}k"


@_on_published
def prescribing_calculator(page: PageData) -> charts.Table | Markdown:
    """Prescribing against benchmark: what moving to a benchmark cost per ASTRO-PU would save, and what the target implies."""
    area_code = page.area
    d = page.data
    cur = _fact(page, "002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.average")
    lowest = _fact(page, "002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.practice-range-min")
    pct_avg = _fact(page, "002.presc.pct-south-east-essex.prescribing_cost_per_astro_pu.2012-13.average")
    national = _fact(page, "002.presc.e92000001.prescribing_cost_per_astro_pu.2012-13.average")
    spend = _fact(page, "002.m9.99f.forecast_outturn.2012-13.medicines-management-gp-prescribing")
    lo = _fact(page, "002.presc.99f.qipp_savings_target.2013-14.prescribing-min")
    hi = _fact(page, "002.presc.99f.qipp_savings_target.2013-14.prescribing-max")
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
def unplanned_care_calculator(page: PageData) -> charts.Table | Markdown:
    """Unplanned care against benchmark: the opportunity and the target recomputed from the printed spend and rates."""
    pre = "002.unpl.99f."
    facts = {"spend": _fact(page, pre + "unplanned_care_spend.2012-13"),
             "opportunity_pct": _fact(page, pre + "unplanned_care_benchmark_opportunity_pct.2012-13"),
             "target_pct": _fact(page, pre + "unplanned_care_saving_target_pct_budget.2013-14"),
             "opportunity": _fact(page, pre + "unplanned_care_benchmark_opportunity.2012-13"),
             "target": _fact(page, pre + "qipp_savings_target.2013-14.unplanned-care")}
    inputs = {k: _to_m(page, f["value"], f["unit"]) if f["unit"] != "%" else float(f["value"]) for k, f in facts.items()}
    tols = {k: _to_m(page, finance.printed_tolerance(f), f["unit"]) if f["unit"] != "%" else finance.printed_tolerance(f)
            for k, f in facts.items()}
    model = finance.unplanned_care(inputs)
    band = finance.rounding_band(finance.unplanned_care, inputs, tols)
    to_k = finance.convert(1, "£m", "£000", _unit_table(page))
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
    return _calc_table(page, rows, caption, "fin-unplanned-99f")


# --- the Better Care Fund --------------------------------------------------------------------------

SERVICE_SHORT = {
    "Protection of Social care to benefit health": "Protection of social care",
    "Community Health Services (including admission avoidance)": "Community health services",
    "Joint nursing and care home commissioning including CHC": "Joint nursing and care homes",
    "Acute mental health and dementia": "Acute mental health and dementia",
}


def _has_bcf(page: PageData) -> bool:
    f = page.published.data.facts
    return bool(((f["area_code"] == page.area) & (f["measure_id"] == "bcf_investment")).any())


def _bcf(page: PageData) -> pd.DataFrame:
    return finance.bcf_frame(page.data.facts, page.area, _unit_table(page))


def bcf_sentence(page: PageData) -> Markdown:
    area_code = page.area
    if not _has_bcf(page):
        pool = _fact(page, "001.cover.e10000012.bcf_pooled_fund.2015-16.minimum")
        where = (f"It is part of the Essex pooled fund of {pool['printed']} for 2015/16" if area_code in finance.council_areas(page.data.facts)
                 else f"It lies outside Essex County Council's area, so outside the Essex pooled fund of {pool['printed']} for 2015/16")
        return Markdown(f"No Better Care Fund investment plan by service is published for {_name(page, area_code)}; only Basildon "
                        f"and Brentwood CCG's template (paper 003) has one. {where}: see {_county_link(page, area_code)}.")
    frame = _bcf(page)
    totals = finance.bcf_totals(frame)
    t_min, t_max = (_fact(page, "003.table2.99e.bcf_investment.2015-16.totals.min"),
                    _fact(page, "003.table2.99e.bcf_investment.2015-16.totals.max"))
    root = report.root_for(area_code, page.data)
    blank = int(frame[["min", "max"]].isna().sum().sum())
    ok_min = finance.reproduces(totals.loc["2015/16", "min"], t_min["value"], finance.printed_tolerance(t_min) + 0.002)
    ok_max = finance.reproduces(totals.loc["2015/16", "max"], t_max["value"], finance.printed_tolerance(t_max) + 0.002)
    t14 = totals.loc["2014/15"]
    v14 = _fact(page, "003.text-6-4.99e.bcf_value.2014-15")
    return Markdown(
        f"Basildon and Brentwood CCG's Better Care Fund template (paper 003, Tables 1 and 2) sets a minimum and a maximum "
        f"investment for each of 12 services in each year; {blank} of the 48 cells are blank and are shown as not published, "
        f"not as zero. In 2015/16 the published minimums add to {_m(totals.loc['2015/16', 'min'], 3)}, "
        f"{VERDICT[ok_min]} the printed total of {t_min['printed']}, and the maximums to "
        f"{_m(totals.loc['2015/16', 'max'], 3)}, {_m(t_max['value'] - totals.loc['2015/16', 'max'], 3)} short of the printed "
        f"{t_max['printed']} ({VERDICT[ok_max]}; {_src(page, t_max['fact_id'], root)}). Table 1 prints no totals for 2014/15: its "
        f"cells add to {_m(t14['min'], 3)} to {_m(t14['max'], 3)}, while the text gives the 2014/15 fund as {v14['printed']}, "
        "the protection-of-social-care maximum alone. In 2015/16 reablement's printed minimum (£3.700M) is above its "
        "maximum (£1.850M); the minimum total only adds up with it as printed."
    )


def bcf_table(page: PageData) -> charts.Table | Markdown:
    area_code = page.area
    if not _has_bcf(page):
        return _empty()
    frame = _bcf(page)
    root = report.root_for(area_code, page.data)
    rows = []
    for r in frame.itertuples():
        fact = _fact(page, r.min_fact)
        rows.append({"Year": r.year, "Service": r.service,
                     "Minimum (as printed)": r.min_printed or "not published (blank)",
                     "Maximum (as printed)": r.max_printed or "not published (blank)",
                     "Minimum (£m)": "" if pd.isna(r.min) else f"{r.min:.3f}", "Maximum (£m)": "" if pd.isna(r.max) else f"{r.max:.3f}",
                     "Source": report.source_label(fact), "_source_url": report.source_url(fact, root)})
    totals = finance.bcf_totals(frame)
    printed = {"2015/16": (_fact(page, "003.table2.99e.bcf_investment.2015-16.totals.min")["printed"],
                           _fact(page, "003.table2.99e.bcf_investment.2015-16.totals.max")["printed"])}
    for year, t in totals.iterrows():
        pmin, pmax = printed.get(year, ("no total printed", "no total printed"))
        rows.append({"Year": year, "Service": "Total (recomputed from the published cells)", "Minimum (as printed)": pmin,
                     "Maximum (as printed)": pmax, "Minimum (£m)": f"{t['min']:.3f}", "Maximum (£m)": f"{t['max']:.3f}",
                     "Source": "Table 2 totals row" if year in printed else "", "_source_url": ""})
    return charts.Table(pd.DataFrame(rows), "Better Care Fund investment by service, 2014/15 (Table 1) and 2015/16 (Table 2), "
                        "as printed and in £m; blank cells not published", "fin-bcf-99e",
                        numeric=("Minimum (£m)", "Maximum (£m)"), links={"Source": "_source_url"})


def bcf_chart(page: PageData) -> charts.Chart | Markdown:
    if not _has_bcf(page):
        return _empty()
    frame = _bcf(page)
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
