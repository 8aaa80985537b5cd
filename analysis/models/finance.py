"""Finance models: allocation per head, QIPP shares, bridges and plans.

Amounts carry their unit; conversion goes through analysis.units.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Callable

import pandas as pd

from analysis.data import units

FIGURE2_MEASURES = ["ccg_allocation", "population_ons_projection", "allocation_per_head", "qipp_savings", "qipp_pct_allocation"]


def allocation_per_head(allocation_000: float, population: float) -> float:
    """Allocation per head in £ from an allocation in £000.

    >>> round(allocation_per_head(388790, 317478))
    1225
    """
    return allocation_000 * 1000 / population


def percent_of(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``.

    >>> round(percent_of(12002, 388790), 1)
    3.1
    """
    return 100 * part / whole


def figure2_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """Seed 000 Figure 2 as one row per area, printed values only."""
    fig = facts[(facts["source_id"] == "000") & (facts["table"] == "Figure 2") & facts["measure_id"].isin(FIGURE2_MEASURES)]
    wide = fig.pivot_table(index="area_code", columns="measure_id", values="value", aggfunc="first")
    return wide.reindex(columns=FIGURE2_MEASURES)


# --- shared pieces ---------------------------------------------------------------------------

_ID_INDEX: dict[int, tuple[pd.DataFrame, dict[str, list[int]]]] = {}


def _id_index(facts: pd.DataFrame) -> dict[str, list[int]]:
    # Models look facts up by id thousands of times per page; a boolean scan
    # of the whole table each time was most of a page's render time.
    cached = _ID_INDEX.get(id(facts))
    if cached is None or cached[0] is not facts:
        if len(_ID_INDEX) >= 8:
            _ID_INDEX.clear()
        index: dict[str, list[int]] = {}
        for position, fid in enumerate(facts["fact_id"]):
            index.setdefault(fid, []).append(position)
        cached = _ID_INDEX[id(facts)] = (facts, index)
    return cached[1]


def fact_row(facts: pd.DataFrame, fact_id: str) -> pd.Series:
    """One fact by id; a missing id is an error, never a silent gap.

    >>> f = pd.DataFrame({"fact_id": ["a", "b", "b"], "value": [1.0, 2.0, 3.0]})
    >>> float(fact_row(f, "a")["value"])
    1.0
    >>> fact_row(f, "b")
    Traceback (most recent call last):
    KeyError: "fact 'b' not found exactly once"
    """
    positions = _id_index(facts).get(fact_id, [])
    if len(positions) != 1:
        raise KeyError(f"fact {fact_id!r} not found exactly once")
    return facts.iloc[positions[0]]


def fact_value(facts: pd.DataFrame, fact_id: str) -> float:
    return float(fact_row(facts, fact_id)["value"])


def printed_tolerance(row: pd.Series) -> float:
    """Half a unit in the last printed place (a whole unit of the last non-zero
    digit when printed as approximate), as the reconciliation ledger reads it."""
    from analysis.models.checks import tolerance
    if str(row["printed"]).strip() in ("-", "–"):
        return 0.0  # a dash prints an exact nil
    return tolerance(str(row["value_text"]), str(row["status"]))


def rounding_band(model: Callable[[dict], pd.Series], inputs: dict, tols: dict) -> pd.Series:
    """How far the rounding of printed inputs can move each output of ``model``:
    every input is moved by its tolerance both ways and the worst moves are added
    (the ledger's rule, applied to a whole model).

    >>> band = rounding_band(lambda x: pd.Series({"total": x["a"] + x["b"]}), {"a": 1.0, "b": 2.0}, {"a": 0.5, "b": 0.05})
    >>> round(float(band["total"]), 2)
    0.55
    """
    base = model(inputs)
    total = pd.Series(0.0, index=base.index)
    for key, tol in tols.items():
        if not tol:
            continue
        worst = pd.Series(0.0, index=base.index)
        for sign in (1, -1):
            bumped = dict(inputs)
            bumped[key] = inputs[key] + sign * tol
            worst = pd.concat([worst, (model(bumped) - base).abs()], axis=1).max(axis=1)
        total = total + worst
    return total


def reproduces(model_value: float, printed_value: float, tol: float) -> bool:
    """A model value reproduces a printed one when it lies within the printed
    figure's rounding plus the rounding carried in from its inputs.

    >>> reproduces(9962.3, 9962, 0.5), reproduces(17.22, 17.30, 0.05)
    (True, False)
    """
    return abs(model_value - printed_value) <= tol + 1e-9


# --- scenario assumptions ----------------------------------------------------------------------

@dataclass(frozen=True)
class Assumptions:
    """The assumptions behind the Castle Point and Rochford gap models.

    Defaults are the paper's own (002 lines 1270-1297 and 1869-1906): with
    them the models reproduce the printed plan and medium-term plan. Rates
    are in per cent; ``qipp_delivery`` is the share of the required QIPP
    savings delivered (1.0 = all of it).
    """
    qipp_delivery: float = 1.0
    allocation_growth_shift: float = 0.0
    headroom_pct: float = 2.0
    contingency_pct: float = 1.0
    tariff_deflator_pct: float = 1.3
    tariff_efficiency_pct: float = 4.0
    tariff_uplift_pct: float = 2.5
    acute_growth_pct: float = 2.0
    community_growth_pct: float = 1.0
    mental_health_growth_pct: float = 1.0
    prescribing_growth_pct: float = 5.0
    chc_growth_pct: float = 5.0
    other_growth_pct: float = 1.0
    activity_growth_factor: float = 1.0

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"assumption {f.name} must be a number, not {value!r}")
            object.__setattr__(self, f.name, float(value))
        if not 0 <= self.qipp_delivery <= 1:
            raise ValueError(f"qipp_delivery is a share of the required savings: give a number from 0 to 1, not {self.qipp_delivery}")
        if self.activity_growth_factor < 0:
            raise ValueError("activity_growth_factor multiplies the planned activity growth: it cannot be negative")


@dataclass(frozen=True)
class AssumptionInfo:
    label: str
    unit: str       # how the value reads: "%", "percentage points", "× planned", "share"
    step: float     # the stated step the sensitivity moves it by, each way
    models: tuple[str, ...]
    source: str     # where the paper states it


ASSUMPTIONS = {
    "qipp_delivery": AssumptionInfo("QIPP delivery (share of the required savings)", "share", 0.1, ("plan", "mtfp"),
                                    "the plan assumes full delivery; 002 lines 1333 and 1356 assume 60% and 66% in places"),
    "allocation_growth_shift": AssumptionInfo("Allocation growth (change to every year's uplift)", "percentage points", 0.5,
                                              ("plan", "mtfp"), "002 lines 1276 (2.3%) and 1871 (2.62%, 2.84%, 2.50%)"),
    "headroom_pct": AssumptionInfo("Headroom / national non-recurrent contingency", "%", 0.5, ("plan", "mtfp"), "002 lines 1287 and 1885"),
    "contingency_pct": AssumptionInfo("Local contingency", "%", 0.5, ("mtfp",), "002 line 1886"),
    "tariff_deflator_pct": AssumptionInfo("Tariff deflator (2013/14 plan)", "%", 0.5, ("plan",), "002 line 1288"),
    "tariff_efficiency_pct": AssumptionInfo("Tariff efficiency reduction (medium-term plan)", "%", 0.5, ("mtfp",), "002 line 1888"),
    "tariff_uplift_pct": AssumptionInfo("Tariff uplift (medium-term plan)", "%", 0.5, ("mtfp",), "002 line 1889"),
    "acute_growth_pct": AssumptionInfo("Acute growth", "%", 1.0, ("mtfp",), "002 lines 1347 and 1890"),
    "community_growth_pct": AssumptionInfo("Community growth", "%", 1.0, ("mtfp",), "002 line 1891"),
    "mental_health_growth_pct": AssumptionInfo("Mental health growth", "%", 1.0, ("mtfp",), "002 line 1892"),
    "prescribing_growth_pct": AssumptionInfo("Prescribing growth", "%", 1.0, ("mtfp",), "002 lines 1333 and 1893"),
    "chc_growth_pct": AssumptionInfo("Continuing healthcare growth", "%", 1.0, ("mtfp",), "002 line 1895"),
    "other_growth_pct": AssumptionInfo("Other growth", "%", 1.0, ("mtfp",), "002 line 1894"),
    "activity_growth_factor": AssumptionInfo("Demographic and demand growth (multiple of the planned amounts)", "× planned", 0.1,
                                             ("plan",), "002 lines 1289-1291"),
}


def moved(a: Assumptions, name: str, sign: int) -> Assumptions:
    """The assumptions with one moved by its stated step; a share stays within 0-1
    and a multiple stays non-negative.

    >>> moved(Assumptions(), "qipp_delivery", -1).qipp_delivery
    0.9
    >>> moved(Assumptions(), "qipp_delivery", 1).qipp_delivery
    1.0
    """
    value = round(getattr(a, name) + sign * ASSUMPTIONS[name].step, 10)
    if name == "qipp_delivery":
        value = min(max(value, 0.0), 1.0)
    if name == "activity_growth_factor":
        value = max(value, 0.0)
    return replace(a, **{name: value})


def sensitivity(metric: Callable[[Assumptions], float], a: Assumptions, names: list[str]) -> pd.DataFrame:
    """How ``metric`` moves when each named assumption moves one stated step down
    and up from ``a``; largest effect first (ties in the order given)."""
    base = metric(a)
    rows = []
    for order, name in enumerate(names):
        low_a, high_a = moved(a, name, -1), moved(a, name, 1)
        rows.append({
            "name": name, "label": ASSUMPTIONS[name].label, "unit": ASSUMPTIONS[name].unit,
            "value": getattr(a, name), "low_value": getattr(low_a, name), "high_value": getattr(high_a, name),
            "change_low": metric(low_a) - base, "change_high": metric(high_a) - base, "_order": order,
        })
    out = pd.DataFrame(rows)
    out["_size"] = out[["change_low", "change_high"]].abs().max(axis=1).round(9)
    return out.sort_values(["_size", "_order"], ascending=[False, True]).drop(columns=["_size", "_order"]).reset_index(drop=True)


# --- Castle Point and Rochford: the 2013/14 financial plan (002 lines 1270-1297) -----------------

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
CASE_FOR_CHANGE = {
    "Keeping all growth in provider services to 0%": "002.qippcase.99f.qipp_challenge.2012-13.keeping-all-growth-in-provider-services-care-to-0pct",
    "Legacy QIPP schemes and prescribing": "002.qippcase.99f.qipp_challenge.2012-13.continuing-with-the-legacy-qipp-schemes-and-prescribing",
    "Acute contractual changes and risk share": "002.qippcase.99f.qipp_challenge.2012-13.agreeing-acute-contractual-changes-and-risk-share",
}
CASE_FOR_CHANGE_TOTAL = "002.qippcase.99f.qipp_challenge.2012-13.total"


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


def case_for_change(components: dict[str, float]) -> float:
    """The QIPP challenge as the sum of its components (same unit as the components).

    >>> case_for_change({"a": 4461, "b": 4510, "c": 6026})
    14997
    """
    return sum(components.values())


# --- Castle Point and Rochford: the medium-term financial plan (002 lines 1869-1906) ------------

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


def fact_slug(text: str) -> str:
    """The id fragment the facts use for a printed label.

    >>> fact_slug("Tariff Reduction Acute & NHS Providers")
    'tariff-reduction-acute-and-nhs-providers'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


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


def _amounts_only(tols: dict) -> dict:
    # Rates are the assumptions; the paper's arithmetic adds its printed amounts,
    # so only the amounts' rounding is carried into the comparison.
    return {k: v for k, v in tols.items()
            if not (isinstance(k, tuple) and k[0] in ("rate", "uplift")) and not str(k).endswith("_pct")}


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


# --- Castle Point and Rochford: month 9 2012/13 (002 lines 1301-1333) -------------------------------

M9_MEASURES = {
    "m9_plan_ytd": "YTD plan", "m9_actual_ytd": "YTD actual", "m9_variance_ytd": "YTD variance",
    "budget_opening_plan": "Opening plan", "budget_full_year_plan": "Full-year plan", "forecast_outturn": "Forecast outturn",
    "forecast_outturn_variance": "Forecast variance", "forecast_outturn_variance_prev_month": "Previous month's forecast variance",
}
M9_TABLE = "2012/13 Financial Reporting - Month 9 (Appendix 1 - Castle Point and Rochford & Rayleigh)"


def month9_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """The month 9 report as printed: one row per line (printed order), one column per measure (£000)."""
    f = facts[(facts["source_id"] == "002") & (facts["table"] == M9_TABLE)]
    order = list(dict.fromkeys(f["breakdown"]))
    wide = f.pivot_table(index="breakdown", columns="measure_id", values="value", aggfunc="first").reindex(order)
    wide = wide.reindex(columns=list(M9_MEASURES))
    wide.insert(0, "group", [b.split(":")[0].replace(" (subtotal)", "") if ":" in b or "(subtotal)" in b else b for b in wide.index])
    wide.insert(1, "kind", ["subtotal" if "(subtotal)" in b else "total" if b.startswith("Total CCG") else
                            "line" for b in wide.index])
    return wide


def variance(actual: float, plan: float) -> float:
    """Spending against plan: positive is an overspend.

    >>> variance(80281, 73240)
    7041
    """
    return actual - plan


def month9_recomputed(m9: pd.DataFrame) -> pd.DataFrame:
    """Each printed variance and subtotal beside its recomputation, with the
    difference the rounding of the printed £000 figures allows (half a unit
    for each printed term and for the result)."""
    rows = []
    total = next(n for n in m9.index if n.endswith("South East Essex PCT"))
    for name, r in m9.iterrows():
        if r["kind"] != "total" or name == total:
            rows.append({"line": name, "figure": "YTD variance", "printed": r["m9_variance_ytd"],
                         "recomputed": variance(r["m9_actual_ytd"], r["m9_plan_ytd"]), "tolerance": 1.5})
            rows.append({"line": name, "figure": "Forecast variance", "printed": r["forecast_outturn_variance"],
                         "recomputed": variance(r["forecast_outturn"], r["budget_full_year_plan"]), "tolerance": 1.5})
    lines = m9[m9["kind"] == "line"]
    for group, part in lines.groupby("group", sort=False):
        sub = f"{group} (subtotal)"
        if sub in m9.index:
            for col in ("budget_full_year_plan", "forecast_outturn"):
                rows.append({"line": sub, "figure": M9_MEASURES[col] + " (sum of lines)", "printed": m9.loc[sub, col],
                             "recomputed": part[col].sum(), "tolerance": 0.5 * (len(part) + 1)})
    blocks = month9_blocks(m9)
    for col in ("budget_full_year_plan", "forecast_outturn", "forecast_outturn_variance"):
        rows.append({"line": total, "figure": M9_MEASURES[col] + " (sum of blocks)", "printed": m9.loc[total, col],
                     "recomputed": blocks[col].sum(), "tolerance": 0.5 * (len(blocks) + 1)})
    out = pd.DataFrame(rows)
    out["difference"] = out["recomputed"] - out["printed"]
    out["reproduces"] = out["difference"].abs() <= out["tolerance"]
    return out


def month9_blocks(m9: pd.DataFrame) -> pd.DataFrame:
    """The spending blocks the total is made of (subtotals and single-line blocks)."""
    grouped = {n.replace(" (subtotal)", "") for n in m9.index if "(subtotal)" in n}
    keep = m9[(m9["kind"] == "subtotal") | ((m9["kind"] == "line") & ~m9["group"].isin(grouped))]
    return keep


def year_on_year_steps(cumulative: list[float]) -> list[float]:
    """The yearly steps of a cumulative profile.

    >>> year_on_year_steps([5, 77, 137, 195])
    [5, 72, 60, 58]
    """
    return [b - a for a, b in zip([0, *cumulative[:-1]], cumulative)]


# --- Castle Point and Rochford: QIPP scheme calculators (002 lines 1397-1568) -------------------

def efficiency_saving(budget: float, pct: float) -> float:
    """A year's saving from an efficiency on a programme budget.

    >>> round(efficiency_saving(5853486, 5), 2)
    292674.3
    """
    return budget * pct / 100


def part_year(annual: float, months: int) -> float:
    """An annual saving for part of a year.

    >>> part_year(292674.3, 6)
    146337.15
    """
    return annual * months / 12


def monthly_profile(base: float, monthly_saving: float, start_month: int = 7, months: int = 12) -> list[float]:
    """A year's monthly profile from April: ``base`` every month, plus the
    saving from month ``start_month`` (7 = October) on.

    >>> monthly_profile(588, 24390)[5:7]
    [588, 24978]
    """
    return [base + (monthly_saving if m >= start_month else 0) for m in range(1, months + 1)]


def triage_saving(spend: float, pct: float) -> float:
    """A saving as a share of current spend.

    >>> triage_saving(258, 15)
    38.7
    """
    return round(spend * pct / 100, 10)


def benchmark_saving_pct(current: float, benchmark: float) -> float:
    """The share of spend saved if a unit cost fell from ``current`` to ``benchmark``
    with the same volume; none when the benchmark is higher.

    >>> round(benchmark_saving_pct(21130, 16737), 1), benchmark_saving_pct(21130, 24638)
    (20.8, 0.0)
    """
    return max(0.0, 100 * (1 - benchmark / current))


def implied_base(amount: float, pct: float) -> float:
    """The base a percentage must have been taken of.

    >>> round(implied_base(2.7, 10.3), 1)
    26.2
    """
    return amount * 100 / pct


def msk_savings(inputs: dict, pct: float) -> pd.Series:
    """The MSK calculator for one efficiency rate (£): a year, six months, a
    calendar month, the October value of the monthly profile and the profile's
    total. ``inputs``: ``budget`` (the programme budget) and ``base`` (the
    amount the profile adds every month).

    >>> round(float(msk_savings({"budget": 5853486, "base": 588}, 10)["profile total"]), 1)
    299730.3
    """
    annual = efficiency_saving(inputs["budget"], pct)
    per_month = part_year(annual, 1)
    profile = monthly_profile(inputs["base"], per_month)
    return pd.Series({"12 months": annual, "6 months": part_year(annual, 6), "per calendar month": per_month,
                      "October in the profile": profile[6], "profile total": sum(profile)})


def unplanned_care(inputs: dict) -> pd.Series:
    """The unplanned care calculator (£m): the benchmark opportunity and the target
    as shares of the unplanned care spend, and the printed target as a share of
    the printed opportunity. ``inputs``: ``spend``, ``opportunity_pct``,
    ``target_pct``, ``opportunity`` and ``target`` (both printed, £m).

    >>> r = unplanned_care({"spend": 28.8, "opportunity_pct": 10.3, "target_pct": 2.7, "opportunity": 2.7, "target": 0.762})
    >>> [round(float(r[k]), 4) for k in ("opportunity", "target", "target share of opportunity")]
    [2.9664, 0.7776, 0.2822]
    """
    return pd.Series({
        "opportunity": inputs["spend"] * inputs["opportunity_pct"] / 100,
        "target": inputs["spend"] * inputs["target_pct"] / 100,
        "target share of opportunity": inputs["target"] / inputs["opportunity"],
    })


# --- council spending by CCG area (000 Figure 3, lines 796-823) ----------------------------------

FIG3_SERVICES = {"Adult Social Care": "Adult social care", "Schools, Children & Families": "Schools, children and families",
                 "Public Health": "Public health"}
FIG3_CCGS = ("06T", "06Q", "07H", "99F", "99E")


def figure3_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """ECC gross expenditure in each CCG's area by service, as printed (£000), one row per CCG."""
    f = facts[(facts["source_id"] == "000") & (facts["table"] == "Figure 3")
              & (facts["measure_id"] == "ecc_gross_expenditure_budget") & facts["area_code"].isin(FIG3_CCGS)]
    wide = f.pivot_table(index="area_code", columns="breakdown", values="value", aggfunc="first")
    return wide.reindex(index=list(FIG3_CCGS), columns=list(FIG3_SERVICES))


def council_spend_per_head(fig3: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Council spending per resident (£) by service and in total, for each CCG
    area and for all of them together ("ESSEX-CCGS", over that row of
    ``population``); countywide spending, which Figure 3 does not place in any
    area, is left out."""
    spend = fig3.copy()
    spend["Total"] = spend[list(FIG3_SERVICES)].sum(axis=1)
    spend.loc["ESSEX-CCGS"] = spend.sum()
    pop = population.reindex(spend.index)
    return spend.mul(1000).div(pop, axis=0)


# --- Essex: planned CCG expenditure by category (001 Figure 10, lines 521-542) ------------------

FIG10_TOTAL = "Total Expenditure"


def figure10_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """Figure 10 as printed: categories (printed order) by year (£000)."""
    f = facts[(facts["source_id"] == "001") & (facts["table"] == "Figure 10") & (facts["measure_id"] == "ccg_planned_expenditure")]
    order = list(dict.fromkeys(f["breakdown"]))
    wide = f.pivot_table(index="breakdown", columns="period", values="value", aggfunc="first").reindex(order)
    return wide.reindex(columns=sorted(wide.columns))


def figure10_printed_change(facts: pd.DataFrame) -> pd.Series:
    """Figure 10's '%age change 2013/14-2018/19' column as printed (NaN where blank)."""
    f = facts[(facts["source_id"] == "001") & (facts["table"] == "Figure 10")
              & (facts["measure_id"] == "ccg_planned_expenditure_pct_change")]
    return f.set_index("breakdown")["value"]


def pct_change(first: float, last: float) -> float:
    """Per cent change; undefined (NaN) from a base that is not positive.

    >>> round(pct_change(936790, 923025), 2), pct_change(-2795, 13662)
    (-1.47, nan)
    """
    return 100 * (last - first) / first if first > 0 else float("nan")


def shares(wide: pd.DataFrame, total: str = FIG10_TOTAL) -> pd.DataFrame:
    """Each category as a per cent of the total, by year."""
    return wide.drop(index=total).div(wide.loc[total]) * 100


def year_on_year(wide: pd.DataFrame) -> pd.DataFrame:
    """Per cent change on the previous year, by category (first year blank)."""
    cols = list(wide.columns)
    out = pd.DataFrame(index=wide.index, columns=cols, dtype=float)
    for prev, cur in zip(cols, cols[1:]):
        out[cur] = [pct_change(p, c) for p, c in zip(wide[prev], wide[cur])]
    return out


def change_over_period(wide: pd.DataFrame) -> pd.Series:
    """Per cent change from the first year to the last, by category."""
    first, last = wide.columns[0], wide.columns[-1]
    return pd.Series([pct_change(a, b) for a, b in zip(wide[first], wide[last])], index=wide.index)


# --- Basildon and Brentwood: Better Care Fund tables (003 Tables 1-2, lines 645-684) -------------

def bcf_frame(facts: pd.DataFrame, unit_tab: dict) -> pd.DataFrame:
    """Tables 1 and 2: one row per (year, service), min and max in £m (NaN where
    the cell is blank), with the printed text; the empty Total Investment column
    and the totals row are left out."""
    f = facts[(facts["source_id"] == "003") & facts["table"].isin(["Table 1", "Table 2"])
              & (facts["measure_id"] == "bcf_investment")]
    rows = {}
    for r in f.itertuples():
        service, column = [p.strip() for p in r.breakdown.rsplit(";", 1)]
        if column not in ("min", "max") or service == "Totals":
            continue
        key = (r.period, service)
        row = rows.setdefault(key, {"year": r.period, "service": service})
        row[column] = convert(r.value, r.unit, MTFP_UNIT, unit_tab) if r.status != "not_published" else float("nan")
        row[f"{column}_printed"] = r.printed if r.status != "not_published" else ""
        row[f"{column}_fact"] = r.fact_id
    order = list(dict.fromkeys((r.period, r.breakdown.rsplit(";", 1)[0].strip()) for r in f.itertuples()))
    return pd.DataFrame([rows[k] for k in order if k in rows]).reset_index(drop=True)


def bcf_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Recomputed min and max totals by year over the published cells (£m),
    with how many cells are published."""
    out = frame.groupby("year", sort=True).agg(min=("min", "sum"), max=("max", "sum"),
                                               min_cells=("min", "count"), max_cells=("max", "count"))
    return out


def convert(value: float, from_unit: str, to_unit: str, unit_tab: dict) -> float:
    """Unit conversion, always through analysis.units."""
    return units.convert(float(value), from_unit, to_unit, unit_tab)
