"""Castle Point and Rochford: the medium-term financial plan (002 lines 1869-1906),
regenerated from its rates and checked against its printed results."""
from __future__ import annotations

import pandas as pd

from analysis.models.finance.assumptions import Assumptions
from analysis.models.finance.core import (
    _amounts_only, convert, fact_row, fact_slug, printed_tolerance, reproduces, rounding_band,
)
from analysis.models.finance.plan import PLAN_PREFIX, PLAN_RESULTS, PLAN_UNIT, plan_inputs, plan_results

MTFP_PREFIX = "002.mtfp.99f."
MTFP_YEARS = ("2012/13", "2013/14", "2014/15", "2015/16")
MTFP_PLAN_YEARS = MTFP_YEARS[1:]   # the scenario's QIPP delivery applies from the plan year on
MTFP_UNIT = "£m"
HEADROOM_LINE = "Nationally Defined NR Contingency Increase committed in year"
# Cost pressures printed as a rate and an amount, with the base not printed:
# the amount scales with its rate.
SCALED_LINES = {
    "Local Contingency": "contingency_pct",
    "Tariff Reduction Acute & NHS Providers": "tariff_efficiency_pct",
    "Tariff Uplift": "tariff_uplift_pct",
    "Acute Growth": "acute_growth_pct",
    "Community Growth": "community_growth_pct",
    "Mental Health Growth": "mental_health_growth_pct",
    "Prescribing Growth": "prescribing_growth_pct",
    "Other Growth": "other_growth_pct",
    "Continuing Health Care Growth": "chc_growth_pct",
}
FIXED_LINES = ("Operating Framework Requirements", "Running Costs", "Known Investments/Commitments")
PRESSURE_LINES = (HEADROOM_LINE, *SCALED_LINES, *FIXED_LINES)
ALLOCATION_LINES = ("MTFP", "Growth exc Management Allowance", "Management Allowance", "Opening Recurrent Allocation")
MTFP_RESULT_LINES = {"Growth exc Management Allowance": "allocation_growth", "Opening Recurrent Allocation": "opening_allocation",
                     "QIPP Requirement": "qipp_requirement", "Total Commitments": "total_commitments"}
MTFP_RESULT_LABELS = {"allocation_growth": "Allocation growth", "opening_allocation": "Opening recurrent allocation",
                      "qipp_requirement": "QIPP requirement", "total_commitments": "Total commitments"}


def mtfp_fact_id(line: str, year: str) -> str:
    return f"{MTFP_PREFIX}mtfp_line.{year.replace('/', '-')}.{fact_slug(line)}"


def mtfp_inputs(facts: pd.DataFrame, plan_notified_allocation: float) -> dict:
    """The printed medium-term plan as model inputs, keyed (line, year), in £m with
    money in positive; rates keyed ("rate", line) and ("uplift", year) in %.
    ``plan_notified_allocation`` (£m) is the base of the 2013/14 contingency."""
    out: dict = {}
    mtfp = facts[facts["fact_id"].str.startswith(MTFP_PREFIX) & (facts["status"] != "not_published")]
    for r in mtfp.itertuples():
        if r.measure_id == "mtfp_line" and (r.breakdown in PRESSURE_LINES or r.breakdown in ALLOCATION_LINES
                                            or r.breakdown in ("Commitments b/f", "Net Position")):
            value = -float(r.value) if r.breakdown in ALLOCATION_LINES else float(r.value)
            out[(r.breakdown, r.period)] = value
        elif r.measure_id == "mtfp_rate_pct":
            out[("rate", r.breakdown)] = abs(float(r.value))
        elif r.measure_id == "mtfp_allocation_uplift_pct":
            out[("uplift", r.period)] = float(r.value)
    out[("plan", "notified allocation")] = plan_notified_allocation
    return out


def mtfp_input_tolerances(facts: pd.DataFrame, inputs: dict, plan_notified_tolerance: float) -> dict:
    tols = {}
    for key in inputs:
        if key[0] == "rate":
            fid = next(f for f in facts["fact_id"] if f.startswith(MTFP_PREFIX + "mtfp_rate_pct.") and f.endswith("." + fact_slug(key[1])))
        elif key[0] == "uplift":
            fid = f"{MTFP_PREFIX}mtfp_allocation_uplift_pct.{key[1].replace('/', '-')}"
        elif key[0] == "plan":
            tols[key] = plan_notified_tolerance
            continue
        else:
            fid = mtfp_fact_id(*key)
        tols[key] = printed_tolerance(fact_row(facts, fid))
    return tols


def mtfp_printed(facts: pd.DataFrame) -> pd.DataFrame:
    """The printed results, one row per (year, item): value (money in positive,
    QIPP requirement as savings needed), printing tolerance, fact id."""
    rows = []
    for line, item in MTFP_RESULT_LINES.items():
        for year in MTFP_YEARS:
            fid = mtfp_fact_id(line, year)
            if not (facts["fact_id"] == fid).any() or (year == MTFP_YEARS[0] and line != "QIPP Requirement"):
                continue  # 2012/13's allocation and total are inputs of the model, not results
            row = fact_row(facts, fid)
            value = float(row["value"])
            if line in ALLOCATION_LINES or line == "QIPP Requirement":
                value = -value
            rows.append({"year": year, "item": item, "printed": value, "tolerance": printed_tolerance(row),
                         "fact_id": fid, "as_printed": row["printed"]})
    return pd.DataFrame(rows)


def mtfp_pressures(inputs: dict, a: Assumptions, opening: dict[str, float]) -> pd.DataFrame:
    """Each year's cost pressures (£m), one column per year.

    The national contingency is the headroom rate times the year's allocation
    (2013/14: the 2013/14 plan's notified allocation, as printed); in 2012/13,
    whose base is not printed, it scales with its rate like the other pressures."""
    table = {}
    for i, year in enumerate(MTFP_YEARS):
        col = {}
        if i == 0:
            col[HEADROOM_LINE] = inputs.get((HEADROOM_LINE, year), 0.0) * a.headroom_pct / inputs[("rate", HEADROOM_LINE)]
        elif i == 1:
            col[HEADROOM_LINE] = inputs[("plan", "notified allocation")] * a.headroom_pct / 100
        else:
            col[HEADROOM_LINE] = opening[year] * a.headroom_pct / 100
        for line, name in SCALED_LINES.items():
            col[line] = inputs.get((line, year), 0.0) * getattr(a, name) / inputs[("rate", line)]
        for line in FIXED_LINES:
            col[line] = inputs.get((line, year), 0.0)
        table[year] = col
    return pd.DataFrame(table).reindex(list(PRESSURE_LINES))


def mtfp_model(inputs: dict, a: Assumptions = Assumptions()) -> pd.DataFrame:
    """The medium-term plan regenerated from its rates, one row per year (£m).

    Allocation: each year's opening allocation is the previous one grown by
    the year's uplift (2013/14 from the paper's restated base, plus the
    management allowance). Commitments: brought forward from the previous
    year's total (2012/13 and the restated 2013/14 as printed), plus the
    year's pressures. The QIPP requirement balances the two, leaving the
    net position the paper plans (printed as -0.0, so the printed requirement
    may differ from the exact balance by that figure's rounding). Only
    ``qipp_delivery`` of it is delivered from 2013/14 on; the rest stays in
    the commitments and is carried into the next year.
    """
    rows, opening, prev_opening, prev_total = [], {}, None, None
    for i, year in enumerate(MTFP_YEARS):
        allowance = inputs.get(("Management Allowance", year), 0.0)
        if i == 0:
            base, growth = inputs[("MTFP", year)], 0.0
            open_ = inputs[("Opening Recurrent Allocation", year)]
        else:
            base = inputs[("MTFP", year)] if i == 1 else prev_opening
            growth = base * (inputs[("uplift", year)] + a.allocation_growth_shift) / 100
            open_ = base + growth + allowance
        opening[year] = open_
        prev_opening = open_
        rows.append({"year": year, "allocation_bf": base, "allocation_growth": growth, "management_allowance": allowance,
                     "opening_allocation": open_})
    pressures = mtfp_pressures(inputs, a, opening)
    for i, row in enumerate(rows):
        year = row["year"]
        bf = inputs[("Commitments b/f", year)] if i <= 1 else prev_total
        before = bf + pressures[year].sum()
        requirement = max(before - row["opening_allocation"] - inputs.get(("Net Position", year), 0.0), 0.0)
        delivered = requirement * (a.qipp_delivery if year in MTFP_PLAN_YEARS else 1.0)
        total = before - delivered
        row.update(commitments_bf=bf, pressures=pressures[year].sum(), commitments_before_qipp=before,
                   qipp_requirement=requirement, qipp_delivered=delivered, total_commitments=total,
                   net_position=total - row["opening_allocation"])
        prev_total = total
    return pd.DataFrame(rows).set_index("year").assign(unit=MTFP_UNIT)


def mtfp_outputs(model: pd.DataFrame) -> pd.Series:
    """The model's results that the paper prints, flattened (year|item)."""
    items = list(MTFP_RESULT_LABELS)
    return pd.Series({f"{y}|{i}": float(model.loc[y, i]) for y in model.index for i in items})


def cumulative_requirement(model: pd.DataFrame, years=MTFP_PLAN_YEARS) -> float:
    """QIPP savings the plan must find over the plan years (£m)."""
    return float(model.loc[list(years), "qipp_requirement"].sum())


def mtfp_for(facts: pd.DataFrame, unit_tab: dict, a: Assumptions = Assumptions()) -> tuple[dict, pd.DataFrame]:
    """The medium-term plan's inputs and model under ``a``; the 2013/14
    contingency base is the 2013/14 plan's notified allocation under the same
    assumptions, converted from £000 to £m."""
    notified = plan_results(plan_inputs(facts), a)["notified_allocation"]
    inputs = mtfp_inputs(facts, convert(notified, PLAN_UNIT, MTFP_UNIT, unit_tab))
    return inputs, mtfp_model(inputs, a)


def mtfp_check(facts: pd.DataFrame, unit_tab: dict) -> pd.DataFrame:
    """Each printed result of the medium-term plan beside the model with the
    paper's assumptions (£m), and whether it reproduces within the paper's rounding."""
    a = Assumptions()
    inputs, model = mtfp_for(facts, unit_tab, a)
    notified_tol = convert(printed_tolerance(fact_row(facts, PLAN_PREFIX + PLAN_RESULTS["notified_allocation"])),
                           PLAN_UNIT, MTFP_UNIT, unit_tab)
    tols = _amounts_only(mtfp_input_tolerances(facts, inputs, notified_tol))
    band = rounding_band(lambda x: mtfp_outputs(mtfp_model(x, a)), inputs, tols)
    out = mtfp_printed(facts)
    values = mtfp_outputs(model)
    keys = [f"{y}|{i}" for y, i in zip(out["year"], out["item"])]
    out["model"] = [values[k] for k in keys]
    out["tolerance"] = out["tolerance"] + [band[k] for k in keys]
    out["label"] = out["item"].map(MTFP_RESULT_LABELS)
    out["unit"] = MTFP_UNIT
    out["reproduces"] = [reproduces(m, p, t) for m, p, t in zip(out["model"], out["printed"], out["tolerance"])]
    return out
