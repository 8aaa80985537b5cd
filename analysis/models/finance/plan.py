"""Castle Point and Rochford: the 2013/14 financial plan (002 lines 1270-1297),
recomputed from its printed inputs and checked against its printed results."""
from __future__ import annotations

import pandas as pd

from analysis.models.finance.assumptions import Assumptions
from analysis.models.finance.core import _amounts_only, fact_row, fact_value, printed_tolerance, reproduces, rounding_band

PLAN_PREFIX = "002.finplan.99f."
# Inputs the bridge is built from, as printed (£000; allocation printed negative).
PLAN_INPUTS = {
    "recurrent_allocation": "fin_plan_line.2013-14.recurrent-allocation",
    "outturn_acute": "fin_plan_line.2013-14.outturn-acute",
    "outturn_mental_health": "fin_plan_line.2013-14.outturn-mental-health",
    "outturn_community": "fin_plan_line.2013-14.outturn-community",
    "outturn_continuing_care": "fin_plan_line.2013-14.outturn-continuing-care",
    "outturn_primary_care": "fin_plan_line.2013-14.outturn-primary-care",
    "cquin_removed": "fin_plan_line.2013-14.non-recurrent-expenditure-cquin-deducted-from-outturn",
    "tariff_deflator": "fin_plan_line.2013-14.tariff-deflator-1-3pct",
    "demographic_growth": "fin_plan_line.2013-14.activity-growth-demographic",
    "demand_growth": "fin_plan_line.2013-14.activity-growth-demand",
    "investments_recurrent": "fin_plan_line.2013-14.investments-recurrent",
    "investments_non_recurrent": "fin_plan_line.2013-14.investments-non-recurrent-nr",
    "cquin_planned": "fin_plan_line.2013-14.non-recurrent-expenditure-cquin-planned",
    "growth_pct": "fin_plan_rate_pct.2013-14.growth",
    "headroom_pct": "fin_plan_rate_pct.2013-14.headroom-statutory-requirement",
    "tariff_deflator_pct": "fin_plan_rate_pct.2013-14.tariff-deflator",
}
# Results the paper prints, which the model must reproduce.
PLAN_RESULTS = {
    "allocation_growth": "fin_plan_line.2013-14.growth-at-2-3pct",
    "notified_allocation": "fin_plan_line.2013-14.notified-recurrent-allocation",
    "outturn": "fin_plan_line.2013-14.outturn-subtotal",
    "recurrent_expenditure": "fin_plan_line.2013-14.recurrent-expenditure",
    "headroom": "fin_plan_line.2013-14.2pct-headroom-statutory-requirement",
    "activity_growth": "fin_plan_line.2013-14.activity-growth-subtotal",
    "total_planned": "fin_plan_line.2013-14.total-planned-expenditure",
    "gap": "fin_plan_line.2013-14.gap",
    "gap_non_recurrent": "fin_plan_line.2013-14.gap-nr",
}
PLAN_RESULT_LABELS = {
    "allocation_growth": "Allocation growth",
    "notified_allocation": "Notified recurrent allocation",
    "outturn": "Outturn (five sectors)",
    "recurrent_expenditure": "Recurrent expenditure",
    "headroom": "Headroom",
    "activity_growth": "Activity growth (demographic + demand)",
    "total_planned": "Total planned expenditure",
    "gap": "GAP (recurrent)",
    "gap_non_recurrent": "GAP (non-recurrent)",
}
# The allocation lines are printed negative; the model works with positive money in.
PLAN_NEGATIVE = {"recurrent_allocation", "allocation_growth", "notified_allocation"}
PLAN_UNIT = "£000"


def plan_inputs(facts: pd.DataFrame) -> dict[str, float]:
    """The printed inputs of the 2013/14 plan: amounts in £000 (allocation as money in,
    positive), rates in %."""
    out = {k: fact_value(facts, PLAN_PREFIX + v) for k, v in PLAN_INPUTS.items()}
    out["recurrent_allocation"] = -out["recurrent_allocation"]
    return out


def plan_input_tolerances(facts: pd.DataFrame) -> dict[str, float]:
    return {k: printed_tolerance(fact_row(facts, PLAN_PREFIX + v)) for k, v in PLAN_INPUTS.items()}


def plan_printed(facts: pd.DataFrame) -> dict[str, tuple[float, float, str]]:
    """Each printed result of the plan: (value with allocation positive, printing tolerance, fact id)."""
    out = {}
    for key, suffix in PLAN_RESULTS.items():
        row = fact_row(facts, PLAN_PREFIX + suffix)
        value = -float(row["value"]) if key in PLAN_NEGATIVE else float(row["value"])
        out[key] = (value, printed_tolerance(row), row["fact_id"])
    return out


def plan_results(inputs: dict[str, float], a: Assumptions = Assumptions()) -> pd.Series:
    """The 2013/14 plan recomputed from its inputs and the assumptions (£000).

    Allocation growth and headroom are rate x base, as printed; the tariff
    deflator's base is not printed, so it scales with its rate; demographic and
    demand growth scale with ``activity_growth_factor``.
    """
    growth = inputs["recurrent_allocation"] * (inputs["growth_pct"] + a.allocation_growth_shift) / 100
    notified = inputs["recurrent_allocation"] + growth
    outturn = sum(inputs[k] for k in ("outturn_acute", "outturn_mental_health", "outturn_community",
                                      "outturn_continuing_care", "outturn_primary_care"))
    recurrent = outturn + inputs["cquin_removed"]
    headroom = notified * a.headroom_pct / 100
    tariff = inputs["tariff_deflator"] * a.tariff_deflator_pct / inputs["tariff_deflator_pct"]
    activity = (inputs["demographic_growth"] + inputs["demand_growth"]) * a.activity_growth_factor
    total = recurrent + headroom + tariff + activity + inputs["investments_recurrent"] + inputs["cquin_planned"]
    return pd.Series({
        "allocation_growth": growth, "notified_allocation": notified, "outturn": outturn,
        "recurrent_expenditure": recurrent, "headroom": headroom, "tariff_deflator": tariff,
        "activity_growth": activity, "total_planned": total, "gap": total - notified,
        "gap_non_recurrent": inputs["investments_non_recurrent"],
    })


def plan_bridge(inputs: dict[str, float], a: Assumptions = Assumptions()) -> pd.DataFrame:
    """The plan as a bridge from allocation to the gap, in the paper's sign
    convention (money in negative, spending positive), one row per step.
    ``measure`` is the waterfall's: relative steps, totals where the paper totals."""
    r = plan_results(inputs, a)
    f = a.activity_growth_factor
    steps = [
        ("Recurrent allocation", -inputs["recurrent_allocation"], "relative"),
        ("Allocation growth", -r["allocation_growth"], "relative"),
        ("Notified allocation", -r["notified_allocation"], "total"),
        ("Outturn: acute", inputs["outturn_acute"], "relative"),
        ("Outturn: mental health", inputs["outturn_mental_health"], "relative"),
        ("Outturn: community", inputs["outturn_community"], "relative"),
        ("Outturn: continuing care", inputs["outturn_continuing_care"], "relative"),
        ("Outturn: primary care", inputs["outturn_primary_care"], "relative"),
        ("CQUIN taken out of outturn", inputs["cquin_removed"], "relative"),
        ("Headroom", r["headroom"], "relative"),
        ("Tariff deflator", r["tariff_deflator"], "relative"),
        ("Demographic growth", inputs["demographic_growth"] * f, "relative"),
        ("Demand growth", inputs["demand_growth"] * f, "relative"),
        ("Recurrent investments", inputs["investments_recurrent"], "relative"),
        ("CQUIN (planned)", inputs["cquin_planned"], "relative"),
        ("GAP", r["gap"], "total"),
    ]
    return pd.DataFrame(steps, columns=["step", "amount", "measure"]).assign(unit=PLAN_UNIT)


def after_qipp(gap: float, qipp_plan: float, delivery: float) -> float:
    """What is left of a gap once a QIPP programme delivers a share of its plan
    (negative: the programme more than closes it).

    >>> after_qipp(9962, 14997, 1.0), round(after_qipp(9962, 14997, 0.6))
    (-5035.0, 964)
    """
    return float(gap - delivery * qipp_plan)


def break_even_delivery(gap: float, qipp_plan: float) -> float:
    """The share of a QIPP programme that must be delivered to close a gap.

    >>> round(break_even_delivery(9962, 14997), 3)
    0.664
    """
    return gap / qipp_plan


def plan_check(facts: pd.DataFrame) -> pd.DataFrame:
    """Each printed result of the 2013/14 plan beside the model with the paper's
    assumptions (£000), and whether it reproduces within the paper's rounding."""
    inputs, a = plan_inputs(facts), Assumptions()
    model = plan_results(inputs, a)
    band = rounding_band(lambda x: plan_results(x, a), inputs, _amounts_only(plan_input_tolerances(facts)))
    rows = []
    for key, (value, tol, fid) in plan_printed(facts).items():
        rows.append({"item": key, "label": PLAN_RESULT_LABELS[key], "model": model[key], "printed": value,
                     "tolerance": tol + band[key], "fact_id": fid, "unit": PLAN_UNIT})
    out = pd.DataFrame(rows)
    out["reproduces"] = [reproduces(m, p, t) for m, p, t in zip(out["model"], out["printed"], out["tolerance"])]
    return out
