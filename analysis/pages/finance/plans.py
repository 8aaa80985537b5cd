"""The gap models on a CCG's finance page, for any CCG whose data hold their inputs: the
scenario the page shows, the year's plan as a bridge, the medium-term plan rebuilt from its rates, and
what moves the gap."""
from __future__ import annotations

import functools

import pandas as pd
from IPython.display import Markdown

from analysis.models import finance
from analysis.pages import charts
from analysis.pages import report
from analysis.pages.finance.common import (
    VERDICT, _count_word, _empty, _fact, _fmt_assumption, _paper, _holds, _k, _m, _models, _mtfp_check, _name, _pct, _qipp_programme,
    _span, _scenario, _scenario_differs, _src, _step_text, _unit_table
)
from analysis.pages.pagedata import PageData


def _cid(page: PageData, stem: str) -> str:
    return f"{stem}-{page.area.lower()}"


# --- scenario ------------------------------------------------------------------------------------

def scenario_banner(page: PageData) -> Markdown:
    """Says plainly when the page shows a scenario rather than the paper's own assumptions."""
    area_code = page.area
    scenario = _scenario(page)
    changed = _scenario_differs(page)
    if not changed:
        return _empty()
    items = "; ".join(f"{finance.ASSUMPTIONS[n].label} {_fmt_assumption(n, getattr(scenario, n))} "
                      f"(paper: {_fmt_assumption(n, getattr(_paper(page), n))})" for n in changed)
    if not _holds(page, "plan", "mtfp"):
        return Markdown(f"**Scenario:** {items}. No gap model exists for {_name(page, area_code)}, so nothing on this page changes.")
    return Markdown(f"**Scenario, not the paper's figures:** {items}. The model figures below use these assumptions; "
                    "printed figures are shown as printed.")


def _stated_where(page: PageData, name: str) -> str:
    row = finance.printed_rate_row(page.data.facts, page.area, name)
    if row is not None:
        return f"{report.source_label(row)} (printed {row['printed']})"
    return "no plan prints it: the model's neutral value"


def scenario_table(page: PageData) -> charts.Table | Markdown:
    """The assumptions the gap models use on this page, beside the paper's own."""
    area_code = page.area
    scenario = _scenario(page)
    year = finance.plan_year(page.data.facts, area_code)
    paper = _paper(page)
    rows = []
    for name, info in finance.ASSUMPTIONS.items():
        rows.append({
            "Assumption": info.label,
            "Parameter": name,
            "Paper's value": _fmt_assumption(name, getattr(paper, name)),
            "This page": _fmt_assumption(name, getattr(scenario, name)),
            "Step in the sensitivity": _step_text(name),
            "Moves": " and ".join({"plan": f"{year} plan", "mtfp": "medium-term plan"}[m] for m in info.models),
            "Where the paper states it": _stated_where(page, name),
        })
    return charts.Table(pd.DataFrame(rows), "Assumptions behind the gap models: the paper's and this page's "
                        f"(render a scenario with `python -m analysis render --area {area_code} -p NAME VALUE`)", _cid(page, "fin-assumptions"))

# --- the year's plan as a bridge ------------------------------------------------------------------

def plan_bridge_chart(page: PageData) -> charts.Chart | Markdown:
    """The year's plan as a waterfall from allocation to the gap, in the paper's sign convention."""
    area_code = page.area
    scenario = _scenario(page)
    inputs = finance.plan_inputs(page.data.facts, page.area)
    bridge = finance.plan_bridge(inputs, scenario)
    fig = charts.waterfall(list(bridge["step"]), list(bridge["amount"]), list(bridge["measure"]),
                           f"{finance.plan_year(page.data.facts, area_code)} financial plan: from allocation to the gap", "£000 (money in negative, spending positive)")
    fig.update_traces(text=[f"{v:+,.0f}".replace("-", "−") for v in bridge["amount"]], textposition="outside")
    fig.update_layout(height=520, margin=dict(b=150))
    gap = bridge.iloc[-1]["amount"]
    scenario_note = "" if scenario == _paper(page) else " Model figures use this page's scenario."
    alt = ("Waterfall chart. Starting from the recurrent allocation of −" + f"{inputs['recurrent_allocation']:,.0f}" +
           " (£000) and growth, the notified allocation is " + f"{bridge.iloc[2]['amount']:,.0f}".replace("-", "−") +
           "; spending steps then add " + "; ".join(f"{s} {a:+,.0f}".replace("-", "−") for s, a in
                                                    zip(bridge["step"][3:-1], bridge["amount"][3:-1])) +
           f", ending at a gap of {gap:,.0f} (£000).")
    caption = (f"{_name(page, area_code)}'s {finance.plan_year(page.data.facts, area_code)} financial plan "
               f"({_span(page, finance.PLAN)}) as a bridge: money in is "
               "negative and spending positive, as in the paper, so the bars end at the recurrent gap. Headroom and "
               "allocation growth are recomputed from their rates; the other steps are as printed." + scenario_note)
    table = pd.DataFrame({"Step": bridge["step"], "£000 (model)": bridge["amount"].round(0).astype(int)})
    cid = _cid(page, "fin-bridge")
    return charts.Chart(fig, cid, caption, alt, charts.Table(table, caption, cid + "-data", numeric=("£000 (model)",)))


def plan_qipp_sentence(page: PageData) -> Markdown:
    """What closes the year's gap: the QIPP programme against it, and the delivery rate that breaks even."""
    area_code = page.area
    scenario = _scenario(page)
    plan = finance.plan_results(finance.plan_inputs(page.data.facts, area_code), scenario)
    qipp = _qipp_programme(page)
    root = page.root
    left = finance.after_qipp(plan["gap"], qipp, scenario.qipp_delivery)
    even = finance.break_even_delivery(plan["gap"], qipp)
    verdict = (f"leaves {_k(left)} of the gap open" if left > 0.5 else
               f"closes the gap with {_k(-left)} to spare" if left < -0.5 else "closes the gap exactly")
    total = finance.CASE_FOR_CHANGE.row(page.data.facts, area_code, "total")["fact_id"]
    if even <= 1:
        size = f"is larger than the recurrent gap of {_k(plan['gap'])}: it closes the gap if at least **{_pct(100 * even, 0)}** of it is delivered"
    else:
        size = f"is smaller than the recurrent gap of {_k(plan['gap'])}: delivered in full it leaves {_k(plan['gap'] - qipp)} open"
    return Markdown(
        f"The QIPP programme of {_k(qipp)} ({_src(page, total, root)}) {size}. Delivered at this page's rate of "
        f"{_pct(100 * scenario.qipp_delivery, 0)}, the programme {verdict}."
    )


def plan_check_table(page: PageData) -> charts.Table | Markdown:
    """The model with the paper's assumptions against each printed result of the plan."""
    area_code = page.area
    d = page.data
    check = finance.plan_check(d.facts, area_code)
    root = page.root
    rows = [{"Figure": r.label, "Printed": _fact(page, r.fact_id)["printed"], "Model (£000)": f"{r.model:,.1f}",
             "Difference": f"{r.model - r.printed:+,.1f}", "Allowed by rounding": f"±{r.tolerance:,.1f}",
             "Verdict": VERDICT[r.reproduces], "Source": report.source_label(_fact(page, r.fact_id)),
             "_source_url": report.source_url(_fact(page, r.fact_id), root)} for r in check.itertuples()]
    return charts.Table(pd.DataFrame(rows), f"The {finance.plan_year(d.facts, area_code)} plan recomputed with the paper's "
                        "assumptions, against what it prints (allocation shown as a positive amount)", _cid(page, "fin-bridge-check"),
                        numeric=("Model (£000)", "Difference", "Allowed by rounding"), links={"Source": "_source_url"})


# --- the medium-term financial plan ----------------------------------------------------------------

def mtfp_sentence(page: PageData) -> Markdown:
    scenario = _scenario(page)
    _, _, _, model = _models(page, scenario)
    paper = _mtfp_check(page)
    ok = paper["reproduces"].all()
    first, last = model.index[1], model.index[-1]
    y13, y15 = model.loc[first], model.loc[last]
    text = (
        f"The medium-term plan ({_span(page, finance.MTFP)}) grows the allocation by a stated uplift each year and adds each year's "
        "cost pressures, at stated rates, to the commitments brought forward; the QIPP requirement is what balances the two. "
        "The book rebuilds it from those rates: the allocation, the national contingency and the QIPP requirement are "
        "recomputed; each sector's growth and the tariff lines are printed as an amount and a rate without the base, so "
        "they scale with their rate. "
        + (f"With the paper's assumptions the model reproduces all {len(paper)} printed totals within the paper's rounding. "
           if ok else f"With the paper's assumptions {int(paper['reproduces'].sum())} of {len(paper)} printed totals reproduce. ")
        + f"On this page's assumptions, commitments before QIPP run {_m(y13['commitments_before_qipp'] - y13['opening_allocation'], 2)} "
        f"ahead of the {_m(y13['opening_allocation'])} allocation in {first} and "
        f"{_m(y15['commitments_before_qipp'] - y15['opening_allocation'], 2)} ahead of {_m(y15['opening_allocation'])} in {last}"
    )
    if scenario.qipp_delivery < 1:
        text += (f"; delivering {_pct(100 * scenario.qipp_delivery, 0)} of each year's QIPP leaves a deficit of "
                 + ", ".join(f"{_m(model.loc[y, 'net_position'], 2)} in {y}" for y in model.index[1:])
                 + ", each year's shortfall carried into the next year's commitments.")
    else:
        text += "; with QIPP delivered in full the plan breaks even every year."
    return Markdown(text)


def mtfp_chart(page: PageData) -> charts.Chart | Markdown:
    """Allocation against commitments, year by year: the distance between the lines is the QIPP requirement."""
    area_code = page.area
    scenario = _scenario(page)
    _, _, _, model = _models(page, scenario)
    series = {"Opening allocation": "opening_allocation", "Commitments before QIPP": "commitments_before_qipp",
              "Commitments after QIPP delivered": "total_commitments"}
    frame = pd.DataFrame([{"Year": y, "Series": s, "£m": model.loc[y, col]} for s, col in series.items() for y in model.index])
    fig = charts.lines(frame, "Year", "£m", "Series", "Medium-term plan: allocation and commitments", "£m",
                       dashed=("Commitments after QIPP delivered",))
    alt = (f"Line chart, {model.index[0]} to {model.index[-1]}, £m. Opening allocation: " +
           ", ".join(f"{y} {model.loc[y, 'opening_allocation']:.1f}" for y in model.index) +
           ". Commitments before QIPP: " + ", ".join(f"{y} {model.loc[y, 'commitments_before_qipp']:.1f}" for y in model.index) +
           ". Commitments after QIPP: " + ", ".join(f"{y} {model.loc[y, 'total_commitments']:.1f}" for y in model.index) + ".")
    caption = (f"{_name(page, area_code)}'s medium-term plan rebuilt from its rates ({_span(page, finance.MTFP)}): the gap "
               "between commitments before QIPP and the allocation is the QIPP requirement; the dashed line is what is "
               "left after the QIPP delivered" + ("" if scenario == _paper(page) else ", under this page's scenario") + ".")
    wide = frame.pivot(index="Year", columns="Series", values="£m").reindex(columns=list(series)).round(2).reset_index()
    cid = _cid(page, "fin-mtfp")
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide, caption, cid + "-data", numeric=tuple(series)))


def mtfp_gap_chart(page: PageData) -> charts.Chart | Markdown:
    """The QIPP requirement each year, printed against the model, and any shortfall under the scenario."""
    scenario = _scenario(page)
    _, _, _, model = _models(page, scenario)
    printed = finance.mtfp_printed(page.data.facts, page.area)
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
               + ("" if scenario == _paper(page) else " under this page's scenario")
               + "; any shortfall is the deficit left when less than all of it is delivered.")
    wide = frame.pivot(index="Year", columns="Series", values="£m").round(2).reset_index()
    cid = _cid(page, "fin-mtfp-qipp")
    return charts.Chart(fig, cid, caption, alt, charts.Table(wide, caption, cid + "-data",
                                                             numeric=tuple(c for c in wide.columns if c != "Year")))


def mtfp_table(page: PageData) -> charts.Table | Markdown:
    """The rebuilt plan, line by line and year by year, on this page's assumptions (£m)."""
    scenario = _scenario(page)
    _, _, inputs, model = _models(page, scenario)
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
                        "are positive when they add to spending)", _cid(page, "fin-mtfp-lines"), numeric=tuple(model.index))


def mtfp_check_table(page: PageData) -> charts.Table | Markdown:
    """The model with the paper's assumptions against each printed total of the medium-term plan."""
    check = _mtfp_check(page)
    root = page.root
    rows = [{"Year": r.year, "Figure": r.label, "Printed": r.as_printed, "Model (£m)": f"{r.model:,.3f}",
             "Difference": f"{r.model - r.printed:+.3f}", "Allowed by rounding": f"±{r.tolerance:.3f}",
             "Verdict": VERDICT[r.reproduces], "Source": report.source_label(_fact(page, r.fact_id)),
             "_source_url": report.source_url(_fact(page, r.fact_id), root)} for r in check.itertuples()]
    return charts.Table(pd.DataFrame(rows), "The medium-term plan recomputed with the paper's assumptions, against what it "
                        "prints (allocation and QIPP requirement shown as positive amounts; the allowance adds the "
                        "rounding of the printed amounts the model adds up)", _cid(page, "fin-mtfp-check"),
                        numeric=("Model (£m)", "Difference", "Allowed by rounding"), links={"Source": "_source_url"})


# --- what moves the gap ---------------------------------------------------------------------------

def _plan_metric(page: PageData, a: finance.Assumptions) -> float:
    inputs = finance.plan_inputs(page.data.facts, page.area)
    return finance.after_qipp(finance.plan_results(inputs, a)["gap"], _qipp_programme(page), a.qipp_delivery)


def _mtfp_metric(page: PageData, a: finance.Assumptions) -> float:
    return finance.cumulative_requirement(finance.mtfp_for(page.data.facts, page.area, _unit_table(page), a)[1])


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


def plan_tornado(page: PageData) -> charts.Chart | Markdown:
    """How the year's gap left after QIPP moves when each of the plan's assumptions moves one step."""
    scenario = _scenario(page)
    sens, base = _sensitivity("plan", functools.partial(_plan_metric, page), scenario)
    year = finance.plan_year(page.data.facts, page.area)
    title = (f"{year} plan: gap left after QIPP ({_k(base)} on this page's assumptions; negative means the QIPP "
             "programme more than closes it)")
    return _tornado(sens, "£000", title, f"the {year} gap left after QIPP", _cid(page, "fin-tornado-plan"))


def mtfp_tornado(page: PageData) -> charts.Chart | Markdown:
    """How the QIPP savings needed over the plan years move when each assumption moves one step."""
    scenario = _scenario(page)
    sens, base = _sensitivity("mtfp", functools.partial(_mtfp_metric, page), scenario)
    years = finance.mtfp_years(page.data.facts, page.area)
    title = (f"Medium-term plan: QIPP savings needed over {years[1]} to {years[-1]} ({_m(base, 2)} on this page's assumptions; "
             "undelivered savings are carried into the next year's requirement)")
    return _tornado(sens, "£m", title, f"the {_count_word(len(years) - 1)}-year QIPP requirement", _cid(page, "fin-tornado-mtfp"))
