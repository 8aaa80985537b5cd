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
    VERDICT, _county_link, _empty, _fact, _k, _m, _name, _lines, _on_published, _pct, _qipp_programme, _span, _src, _to_m,
    _unit_table
)
from analysis.pages.pagedata import PageData
from analysis.pages.spec import load_spec


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
    root = page.root
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

def _holder(page: PageData, measure: str) -> str:
    """The area of the page's CCG or below it (a locality) whose figures a calculator reads:
    the first, in registry order, with a published ``measure``."""
    f = page.published.data.facts
    have = set(f.loc[f["measure_id"] == measure, "area_code"])
    return next(a for a in report.area_family(page.area, page.data) if a in have)


def _only(page: PageData, measure: str, breakdown: str = "", area: str | None = None):
    """The one published figure of ``measure`` (and ``breakdown``) for the area, whatever its period."""
    f = page.published.data.facts
    rows = f[(f["area_code"] == (area or page.area)) & (f["measure_id"] == measure) & (f["breakdown"] == breakdown)]
    if len(rows) != 1:
        raise KeyError(f"{measure} {breakdown!r} for {area or page.area}: {len(rows)} published figures, not one")
    return rows.iloc[0]


def _benchmark_areas(page: PageData, measure: str, period: str) -> list[str]:
    """Areas of type pct or country with an average of ``measure`` for ``period`` in the page's data."""
    types = dict(zip(page.data.areas["area_code"], page.data.areas["type"]))
    f = page.published.data.facts
    rows = f[(f["measure_id"] == measure) & (f["period"] == period) & (f["breakdown"] == "average")]
    found = [a for a in dict.fromkeys(rows["area_code"]) if types.get(a) in ("pct", "country")]
    return sorted(found, key=lambda a: types[a] == "country")


def case_for_change_sentence(page: PageData) -> Markdown:
    area_code = page.area
    d = page.data
    c = finance.CASE_FOR_CHANGE
    total = _qipp_programme(page)
    printed = c.row(d.facts, area_code, "total")
    year = finance.plan_year(d.facts, area_code) if finance.PLAN.holds(d.facts, area_code) else None
    fig2 = page.lookup_or_none("qipp_savings", year) if year else None
    activity = finance.PLAN.row(d.facts, area_code, "activity_growth") if year else None
    root = page.root
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
                              f"fin-case-{area_code.lower()}", page.root, page.data)


def _calc_table(page: PageData, rows: list[dict], caption: str, cid: str) -> charts.Table:
    """Calculator rows: each has the recomputed value ``_model``, the rounding
    carried in from its inputs ``_band`` and the printed ``fact_id``; the verdict
    allows the printed figure's rounding plus that band."""
    root = page.root
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
    loc = _holder(page, "msk_programme_budget")
    budget = _only(page, "msk_programme_budget", area=loc)
    year = budget["period"]
    start = year[:4]
    base = page.lookup("msk_savings_profile", f"{start}-04", "5% efficiency", area=loc)
    inputs = {"budget": float(budget["value"]), "base": float(base["value"])}
    tols = {"budget": finance.printed_tolerance(budget), "base": finance.printed_tolerance(base)}
    keys = {"12 months": ("msk_efficiency_saving", year, "{p}% efficiency: 12 months"),
            "6 months": ("msk_efficiency_saving", year, "{p}% efficiency: 6 months"),
            "per calendar month": ("msk_efficiency_saving", year, "{p}% efficiency: per calendar month"),
            "October in the profile": ("msk_savings_profile", f"{start}-10", "{p}% efficiency"),
            "profile total": ("msk_savings_profile", year, "{p}% efficiency")}
    rows, cited = [], [budget, base]
    for pct in (5, 7, 10):
        model = finance.msk_savings(inputs, pct)
        band = finance.rounding_band(lambda x: finance.msk_savings(x, pct), inputs, tols)
        for what, (measure, period, label) in keys.items():
            fact = page.lookup(measure, period, label.format(p=pct), area=loc)
            cited.append(fact)
            rows.append({"Efficiency": f"{pct}%", "Figure": what, "Recomputed": style.fmt_money(model[what], "£", 2),
                         "_model": model[what], "_band": band[what], "fact_id": fact["fact_id"]})
    caption = (f"MSK savings calculator ({_lines(cited)}): the {budget['printed']} {_name(page, loc)} MSK programme "
               "budget × the efficiency, for a year, six months and a calendar month."
               + (f" The printed monthly profile adds an unexplained {base['printed']} to every month and the saving "
                  "from October; its totals include both." if inputs["base"] else ""))
    return _calc_table(page, rows, caption, f"fin-msk-{page.area.lower()}")


@_on_published
def ophthalmology_calculator(page: PageData) -> charts.Table | Markdown:
    f = page.published.data.facts
    spends = f[(f["area_code"] == page.area) & (f["measure_id"] == "ophthalmology_triage_current_spend")]
    rows, total, cited = [], 0.0, []
    for r in spends.itertuples():
        pct_row = _only(page, "ophthalmology_triage_saving_pct", r.breakdown)
        saved = _only(page, "ophthalmology_triage_saving", r.breakdown)
        spend, pct = float(r.value), float(pct_row["value"])
        saving = finance.triage_saving(spend, pct)
        total += saving
        cited += [pct_row, saved]
        label = r.breakdown.replace("GP and other referred ", "").replace("First Outpatient Attendances", "First outpatient attendances")
        rows.append({"Figure": f"{label}: £{spend:,.0f}k × {pct:g}%", "Recomputed": _k_dec(saving), "_model": saving,
                     "_band": 0.5 * pct / 100, "fact_id": saved["fact_id"]})
    rows.append({"Figure": "Total", "Recomputed": _k_dec(total), "_model": total, "_band": 0.5 * 0.25,
                 "fact_id": _only(page, "ophthalmology_triage_saving", "total")["fact_id"]})
    return _calc_table(page, rows, f"Ophthalmology triage calculator ({_lines(cited)}): current spend × % saving (£000)",
                       f"fin-ophth-{page.area.lower()}")


def _k_dec(value: float) -> str:
    return f"£{value:,.1f}k"


@_on_published
def prescribing_calculator(page: PageData) -> charts.Table | Markdown:
    """Prescribing against benchmark: what moving to a benchmark cost per ASTRO-PU would save, and what the target implies."""
    loc = _holder(page, "prescribing_cost_per_astro_pu")
    cur = _only(page, "prescribing_cost_per_astro_pu", "average", area=loc)
    year = cur["period"]
    lowest = page.lookup("prescribing_cost_per_astro_pu", year, "practice range min", area=loc)
    # Benchmarks beside the area's own: its predecessor PCT's and England's averages, where printed.
    benchmarks = [(lowest, f"lowest-cost {_name(page, loc)} practice")]
    for code in _benchmark_areas(page, "prescribing_cost_per_astro_pu", year):
        row = page.lookup("prescribing_cost_per_astro_pu", year, "average", area=code)
        national = dict(zip(page.data.areas["area_code"], page.data.areas["type"])).get(code) == "country"
        benchmarks.append((row, "national average" if national else f"{_name(page, code)} average"))
    spend = page.lookup("forecast_outturn", year, "Medicines Management: GP prescribing")
    lo, hi = _only(page, "qipp_savings_target", "prescribing min"), _only(page, "qipp_savings_target", "prescribing max")
    root = page.root
    rows = []
    for bench, label in benchmarks:
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
    caption = (f"Prescribing against benchmark ({_lines([cur, lowest, lo, hi])}): moving from {_name(page, loc)}'s "
               f"{cur['printed']} per ASTRO-PU to a benchmark, with the same volume, saves the same share of spend, shown on "
               f"the CCG's {year} GP prescribing forecast of {_k(spend['value'])} (monthly report)."
               + ("" if loc == page.area else f" The cost per ASTRO-PU is printed for {_name(page, loc)} only, so applying "
                  "it to the whole CCG is this book's assumption."))
    return charts.Table(pd.DataFrame(rows), caption, f"fin-presc-{page.area.lower()}",
                        numeric=("Saving on spend", "On 2012/13 GP prescribing (£000)"), links={"Source": "_source_url"})


@_on_published
def unplanned_care_calculator(page: PageData) -> charts.Table | Markdown:
    """Unplanned care against benchmark: the opportunity and the target recomputed from the printed spend and rates."""
    facts = {"spend": _only(page, "unplanned_care_spend"),
             "opportunity_pct": _only(page, "unplanned_care_benchmark_opportunity_pct"),
             "target_pct": _only(page, "unplanned_care_saving_target_pct_budget"),
             "opportunity": _only(page, "unplanned_care_benchmark_opportunity"),
             "target": _only(page, "qipp_savings_target", "unplanned care")}
    inputs = {k: _to_m(page, f["value"], f["unit"]) if f["unit"] != "%" else float(f["value"]) for k, f in facts.items()}
    tols = {k: _to_m(page, finance.printed_tolerance(f), f["unit"]) if f["unit"] != "%" else finance.printed_tolerance(f)
            for k, f in facts.items()}
    model = finance.unplanned_care(inputs)
    band = finance.rounding_band(finance.unplanned_care, inputs, tols)
    to_k = finance.convert(1, "£m", "£000", _unit_table(page))
    share = _only(page, "unplanned_care_target_share_of_opportunity")
    p = {k: f["printed"] for k, f in facts.items()}
    rows = [
        {"Figure": f"Benchmark opportunity: {p['spend']} × {p['opportunity_pct']}", "Recomputed": _m(model["opportunity"], 2),
         "_model": model["opportunity"], "_band": band["opportunity"], "fact_id": facts["opportunity"]["fact_id"]},
        {"Figure": f"Target: {p['spend']} × {p['target_pct']}", "Recomputed": _k(model["target"] * to_k),
         "_model": model["target"] * to_k, "_band": band["target"] * to_k, "fact_id": facts["target"]["fact_id"]},
        {"Figure": f"Target as a share of the opportunity: {p['target']} ÷ {p['opportunity']}",
         "Recomputed": f"{model['target share of opportunity']:.2f}", "_model": model["target share of opportunity"],
         "_band": band["target share of opportunity"],
         "fact_id": share["fact_id"]},
    ]
    caption = (f"Unplanned care against benchmark ({_lines(facts.values())}), recomputed from the {p['spend']} unplanned care "
               f"spend. The {p['opportunity_pct']} opportunity implies a cost base of "
               f"{_m(finance.implied_base(inputs['opportunity'], inputs['opportunity_pct']))}, not {p['spend']}; the target "
               f"is '{share['printed']}' of the opportunity in the text but {model['target share of opportunity']:.2f} of it in "
               "the paper's own figures.")
    return _calc_table(page, rows, caption, f"fin-unplanned-{page.area.lower()}")


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


def _bcf_total(page: PageData, year: str, column: str):
    return page.lookup_or_none("bcf_investment", year, f"Totals; {column}")


def bcf_sentence(page: PageData) -> Markdown:
    area_code = page.area
    if not _has_bcf(page):
        pool = page.lookup_or_none("bcf_pooled_fund", "2015/16", "minimum", area=load_spec().county.area)
        elsewhere = "bcf_investment" in report._peers(page.data)
        text = f"No Better Care Fund investment plan by service is published for {_name(page, area_code)}" + (
            "; the papers print one for another CCG." if elsewhere else ".")
        if pool is not None:
            text += (f" It is part of the Essex pooled fund of {pool['printed']} for 2015/16"
                     if area_code in finance.council_areas(page.data.facts) else
                     f" It lies outside Essex County Council's area, so outside the Essex pooled fund of {pool['printed']} for 2015/16")
            text += f": see {_county_link(page, area_code)}."
        return Markdown(text)
    frame = _bcf(page)
    totals = finance.bcf_totals(frame)
    root = page.root
    blank = int(frame[["min", "max"]].isna().sum().sum())
    services, years = frame["service"].nunique(), list(totals.index)
    f = page.published.data.facts
    cited = f[(f["area_code"] == area_code) & (f["measure_id"] == "bcf_investment")]
    parts = [f"{_name(page, area_code)}'s Better Care Fund template ({_lines(r for _, r in cited.iterrows())}) sets a minimum "
             f"and a maximum investment for each of {services} services in each year ({', '.join(years)}); {blank} of the "
             f"{2 * len(frame)} cells are blank and are shown as not published, not as zero."]
    for year, t in totals.iterrows():
        t_min, t_max = _bcf_total(page, year, "min"), _bcf_total(page, year, "max")
        if t_min is None or t_max is None:
            text = f"No totals are printed for {year}: its cells add to {_m(t['min'], 3)} to {_m(t['max'], 3)}"
            told = page.lookup_or_none("bcf_value", year)
            parts.append(text + (f", while the text gives the {year} fund as {told['printed']}." if told is not None else "."))
            continue
        ok_min = finance.reproduces(t["min"], t_min["value"], finance.printed_tolerance(t_min) + 0.002)
        ok_max = finance.reproduces(t["max"], t_max["value"], finance.printed_tolerance(t_max) + 0.002)
        gap = t_max["value"] - t["max"]
        parts.append(f"In {year} the published minimums add to {_m(t['min'], 3)}, {VERDICT[ok_min]} the printed total of "
                     f"{t_min['printed']}, and the maximums to {_m(t['max'], 3)}"
                     + (f", {_m(abs(gap), 3)} {'short of' if gap > 0 else 'over'} the printed {t_max['printed']}" if not ok_max else
                        f", {VERDICT[ok_max]} the printed {t_max['printed']}")
                     + f" ({VERDICT[ok_max]}; {_src(page, t_max['fact_id'], root)}).")
    odd = frame[frame["min"] > frame["max"]]
    for r in odd.itertuples():
        parts.append(f"In {r.year} {r.service.lower()}'s printed minimum ({r.min_printed}) is above its maximum ({r.max_printed}).")
    return Markdown(" ".join(parts))


def bcf_table(page: PageData) -> charts.Table | Markdown:
    area_code = page.area
    if not _has_bcf(page):
        return _empty()
    frame = _bcf(page)
    root = page.root
    rows = []
    for r in frame.itertuples():
        fact = _fact(page, r.min_fact)
        rows.append({"Year": r.year, "Service": r.service,
                     "Minimum (as printed)": r.min_printed or "not published (blank)",
                     "Maximum (as printed)": r.max_printed or "not published (blank)",
                     "Minimum (£m)": "" if pd.isna(r.min) else f"{r.min:.3f}", "Maximum (£m)": "" if pd.isna(r.max) else f"{r.max:.3f}",
                     "Source": report.source_label(fact), "_source_url": report.source_url(fact, root)})
    totals = finance.bcf_totals(frame)
    printed = {y: (_bcf_total(page, y, "min")["printed"], _bcf_total(page, y, "max")["printed"]) for y in totals.index
               if _bcf_total(page, y, "min") is not None and _bcf_total(page, y, "max") is not None}
    for year, t in totals.iterrows():
        pmin, pmax = printed.get(year, ("no total printed", "no total printed"))
        rows.append({"Year": year, "Service": "Total (recomputed from the published cells)", "Minimum (as printed)": pmin,
                     "Maximum (as printed)": pmax, "Minimum (£m)": f"{t['min']:.3f}", "Maximum (£m)": f"{t['max']:.3f}",
                     "Source": report.source_label(_bcf_total(page, year, "min")) if year in printed else "",
                     "_source_url": report.source_url(_bcf_total(page, year, "min"), root) if year in printed else ""})
    return charts.Table(pd.DataFrame(rows), f"Better Care Fund investment by service, {' and '.join(totals.index)}, "
                        "as printed and in £m; blank cells not published", f"fin-bcf-{area_code.lower()}",
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
    caption = (f"{_name(page, page.area)}'s Better Care Fund minimum and maximum by service. Only "
               "published cells are drawn; a missing bar is a blank cell, not a zero.")
    wide = data.pivot_table(index="Service", columns="Series", values="£m", aggfunc="first").reset_index()
    cid = f"fin-bcf-chart-{page.area.lower()}"
    return charts.Chart(fig, cid, caption + (f" No figure in either year: {', '.join(blanks)}." if blanks else ""), alt,
                        charts.Table(wide, caption, cid + "-data", numeric=tuple(c for c in wide.columns if c != "Service")))
