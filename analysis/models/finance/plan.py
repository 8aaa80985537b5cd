"""A CCG's financial plan for a year (Castle Point and Rochford's 2013/14 plan, 002 lines
1270-1297, is the one the papers print), recomputed from its printed inputs and checked
against its printed results."""
from __future__ import annotations

import pandas as pd

from analysis.models.finance.assumptions import Assumptions
from analysis.models.contracts import Contract, Input, Role
from analysis.models.finance.core import convert, printed_tolerance

# The plan's lines (measure fin_plan_line, £000, allocation printed negative) and rates
# (fin_plan_rate_pct, %), by their printed labels, for the plan year. Labels that carry a
# rate ("Growth at 2.3%") match whatever rate the area prints.
_LINE, _RATE = "fin_plan_line", "fin_plan_rate_pct"
_INPUT_LINES = {
    "recurrent_allocation": "Recurrent Allocation",
    "outturn_acute": "Outturn: Acute",
    "outturn_mental_health": "Outturn: Mental Health",
    "outturn_community": "Outturn: Community",
    "outturn_continuing_care": "Outturn: Continuing care",
    "outturn_primary_care": "Outturn: Primary care",
    "cquin_removed": "Non- recurrent expenditure CQUIN (deducted from outturn)",
    "tariff_deflator": (r"Tariff Deflator [0-9.]+%", "Tariff Deflator 1.3%"),
    "demographic_growth": "Activity growth: Demographic",
    "demand_growth": "Activity growth: Demand",
    "investments_recurrent": "Investments: Recurrent",
    "investments_non_recurrent": "Investments: Non-recurrent [NR]",
    "cquin_planned": "Non-recurrent expenditure CQUIN (planned)",
}
_INPUT_RATES = {"growth_pct": "Growth", "headroom_pct": "headroom (statutory requirement)",
                "tariff_deflator_pct": "Tariff Deflator"}
_RESULT_LINES = {
    "allocation_growth": (r"Growth at [0-9.]+%", "Growth at 2.3%"),
    "notified_allocation": "Notified recurrent Allocation",
    "outturn": "Outturn (subtotal)",
    "recurrent_expenditure": "Recurrent expenditure",
    "headroom": (r"[0-9.]+% headroom \(statutory requirement\)", "2% headroom (statutory requirement)"),
    "activity_growth": "Activity growth (subtotal)",
    "total_planned": "Total planned expenditure",
    "gap": "GAP",
    "gap_non_recurrent": "GAP [NR]",
}


def _line(key: str, label, measure: str = _LINE, unit: str = "£000", result: bool = False) -> Input:
    if isinstance(label, tuple):
        return Input(key, measure, label[0], "plan_year", unit, result=result, pattern=True, example=label[1])
    return Input(key, measure, label, "plan_year", unit, result=result)


PLAN = Contract(
    id="plan", title="The year's financial plan, from allocation to the gap", page="ccg-finance", section="plan",
    inputs=(*(_line(k, v) for k, v in _INPUT_LINES.items()),
            *(_line(k, v, _RATE, "%") for k, v in _INPUT_RATES.items()),
            *(_line(k, v, result=True) for k, v in _RESULT_LINES.items())),
    roles={"plan_year": Role(_LINE, "Recurrent Allocation", example=("2013/14",))},
    noun="the CCG's financial plan for a year, line by line",
    definition="The CCG's financial plan for one year line by line: allocation and its growth rate, outturn by "
               "sector, headroom, tariff deflator, activity growth, investments and CQUIN, and the gap it prints.",
)
PLAN_INPUTS = tuple(_INPUT_LINES) + tuple(_INPUT_RATES)
PLAN_RESULTS = tuple(_RESULT_LINES)
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


def plan_value(facts: pd.DataFrame, area: str, key: str, unit_tab: dict | None = None) -> float:
    """One line or rate of ``area``'s plan, in the contract's unit."""
    row = PLAN.row(facts, area, key)
    item = PLAN.input(key)
    if unit_tab is not None and row["unit"] != item.unit:
        return convert(row["value"], row["unit"], item.unit, unit_tab)
    return float(row["value"])


def plan_inputs(facts: pd.DataFrame, area: str, unit_tab: dict | None = None) -> dict[str, float]:
    """The printed inputs of ``area``'s plan: amounts in £000 (allocation as money in,
    positive), rates in %."""
    out = {k: plan_value(facts, area, k, unit_tab) for k in PLAN_INPUTS}
    out["recurrent_allocation"] = -out["recurrent_allocation"]
    return out


def plan_input_tolerances(facts: pd.DataFrame, area: str) -> dict[str, float]:
    return {k: printed_tolerance(PLAN.row(facts, area, k)) for k in PLAN_INPUTS}


def plan_year(facts: pd.DataFrame, area: str) -> str:
    return PLAN.periods(facts, area, "plan_year")[0]


def plan_printed(facts: pd.DataFrame, area: str) -> dict[str, tuple[float, float, str]]:
    """Each printed result of the plan: (value with allocation positive, printing tolerance, fact id)."""
    out = {}
    for key in PLAN_RESULTS:
        row = PLAN.row(facts, area, key)
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
