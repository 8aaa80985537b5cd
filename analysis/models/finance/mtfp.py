"""A CCG's medium-term financial plan (Castle Point and Rochford's, 002 lines 1869-1906,
is the one the papers print), regenerated from its rates and checked against its printed results."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.models.finance.assumptions import Assumptions
from analysis.models.contracts import Contract, Input, Role, find
from analysis.models.finance.core import convert, printed_tolerance
from analysis.models.finance.plan import PLAN_UNIT, plan_inputs, plan_results

MTFP_UNIT = "£m"
_LINE, _RATE, _UPLIFT = "mtfp_line", "mtfp_rate_pct", "mtfp_allocation_uplift_pct"
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
BALANCE_LINES = ("Commitments b/f", "Net Position")
MTFP_RESULT_LINES = {"Growth exc Management Allowance": "allocation_growth", "Opening Recurrent Allocation": "opening_allocation",
                     "QIPP Requirement": "qipp_requirement", "Total Commitments": "total_commitments"}
MTFP_RESULT_LABELS = {"allocation_growth": "Allocation growth", "opening_allocation": "Opening recurrent allocation",
                      "qipp_requirement": "QIPP requirement", "total_commitments": "Total commitments"}
_REQUIRED_LINES = ("MTFP", "Opening Recurrent Allocation", "Commitments b/f")

MTFP = Contract(
    id="mtfp", title="The medium-term financial plan, year by year", page="ccg-finance", section="mtfp",
    inputs=(
        *(Input(line, _LINE, line, "years", MTFP_UNIT, required=line in _REQUIRED_LINES)
          for line in (*ALLOCATION_LINES, *PRESSURE_LINES, *BALANCE_LINES) if line not in MTFP_RESULT_LINES),
        Input("uplift", _UPLIFT, "", "years", "%"),
        *(Input("rate " + line, _RATE, line, "span", "%") for line in (HEADROOM_LINE, *SCALED_LINES)),
        *(Input(line, _LINE, line, "years", MTFP_UNIT, required=False, result=True) for line in MTFP_RESULT_LINES),
    ),
    roles={"years": Role(_LINE, "MTFP", pick="all", example=("2012/13", "2013/14", "2014/15", "2015/16")),
           "span": Role(_RATE, "", example=("2012/13-2015/16",))},
    noun="its medium-term financial plan",
    definition="The CCG's medium-term financial plan: each year's allocation (brought forward, uplift, management "
               "allowance), its cost pressures with the rates behind them, commitments brought forward and the "
               "QIPP requirement that balances them. The first year is the base; the plan runs from the second. "
               "It needs the year's financial plan too: its notified allocation is the second year's contingency base.",
)


def mtfp_years(facts: pd.DataFrame, area: str) -> tuple[str, ...]:
    return MTFP.periods(facts, area, "years")


def _row(facts: pd.DataFrame, area: str, key) -> pd.Series | None:
    if key[0] == "rate":
        return find(facts, area, _RATE, MTFP.periods(facts, area, "span")[0], key[1])
    if key[0] == "uplift":
        return find(facts, area, _UPLIFT, key[1], "")
    return find(facts, area, _LINE, key[1], key[0])


def mtfp_inputs(facts: pd.DataFrame, area: str, plan_notified_allocation: float) -> dict:
    """The printed medium-term plan as model inputs, keyed (line, year), in £m with
    money in positive; rates keyed ("rate", line) and ("uplift", year) in %; "years" the
    plan's years in order. ``plan_notified_allocation`` (£m) is the base of the second
    year's contingency."""
    years = mtfp_years(facts, area)
    out: dict = {"years": years}
    for line in (*PRESSURE_LINES, *ALLOCATION_LINES, *BALANCE_LINES):
        for year in years:
            row = _row(facts, area, (line, year))
            if row is not None:
                out[(line, year)] = -float(row["value"]) if line in ALLOCATION_LINES else float(row["value"])
    for line in (HEADROOM_LINE, *SCALED_LINES):
        row = _row(facts, area, ("rate", line))
        if row is not None:
            out[("rate", line)] = abs(float(row["value"]))
    for year in years:
        row = _row(facts, area, ("uplift", year))
        if row is not None:
            out[("uplift", year)] = float(row["value"])
    out[("plan", "notified allocation")] = plan_notified_allocation
    return out


def mtfp_input_tolerances(facts: pd.DataFrame, area: str, inputs: dict, plan_notified_tolerance: float) -> dict:
    tols = {}
    for key in inputs:
        if key == "years":
            continue
        if key[0] == "plan":
            tols[key] = plan_notified_tolerance
            continue
        tols[key] = printed_tolerance(_row(facts, area, key))
    return tols


def mtfp_printed(facts: pd.DataFrame, area: str) -> pd.DataFrame:
    """The printed results, one row per (year, item): value (money in positive,
    QIPP requirement as savings needed), printing tolerance, fact id."""
    rows = []
    years = mtfp_years(facts, area)
    for line, item in MTFP_RESULT_LINES.items():
        for year in years:
            row = _row(facts, area, (line, year))
            if row is None or (year == years[0] and line != "QIPP Requirement"):
                continue  # the first year's allocation and total are inputs of the model, not results
            value = float(row["value"])
            if line in ALLOCATION_LINES or line == "QIPP Requirement":
                value = -value
            rows.append({"year": year, "item": item, "printed": value, "tolerance": printed_tolerance(row),
                         "fact_id": row["fact_id"], "as_printed": row["printed"]})
    return pd.DataFrame(rows)


def mtfp_pressures(inputs: dict, a: Assumptions, opening: dict[str, float]) -> pd.DataFrame:
    """Each year's cost pressures (£m), one column per year.

    The national contingency is the headroom rate times the year's allocation
    (2013/14: the 2013/14 plan's notified allocation, as printed); in 2012/13,
    whose base is not printed, it scales with its rate like the other pressures."""
    return pd.DataFrame(_pressure_table(inputs, a, opening)).reindex(list(PRESSURE_LINES))


def _pressure_table(inputs: dict, a: Assumptions, opening: dict[str, float]) -> dict[str, dict[str, float]]:
    table = {}
    for i, year in enumerate(inputs["years"]):
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
    return table


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
    return pd.DataFrame(_model_rows(inputs, a)).set_index("year").assign(unit=MTFP_UNIT)


def _model_rows(inputs: dict, a: Assumptions) -> list[dict]:
    # Plain floats, no frames: the rounding band runs the model twice per input.
    rows, opening, prev_opening, prev_total = [], {}, None, None
    years = inputs["years"]
    for i, year in enumerate(years):
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
    table = _pressure_table(inputs, a, opening)
    for i, row in enumerate(rows):
        year = row["year"]
        # As a frame column's sum: in PRESSURE_LINES order, a missing (NaN) figure counting nil.
        pressure = float(np.nansum(np.array([table[year][line] for line in PRESSURE_LINES], dtype=float)))
        bf = inputs[("Commitments b/f", year)] if i <= 1 else prev_total
        before = bf + pressure
        requirement = max(before - row["opening_allocation"] - inputs.get(("Net Position", year), 0.0), 0.0)
        delivered = requirement * (a.qipp_delivery if i > 0 else 1.0)
        total = before - delivered
        row.update(commitments_bf=bf, pressures=pressure, commitments_before_qipp=before,
                   qipp_requirement=requirement, qipp_delivered=delivered, total_commitments=total,
                   net_position=total - row["opening_allocation"])
        prev_total = total
    return rows


def mtfp_outputs(model: pd.DataFrame) -> pd.Series:
    """The model's results that the paper prints, flattened (year|item)."""
    items = list(MTFP_RESULT_LABELS)
    return pd.Series({f"{y}|{i}": float(model.loc[y, i]) for y in model.index for i in items})


def mtfp_result_values(inputs: dict, a: Assumptions = Assumptions()) -> pd.Series:
    """``mtfp_outputs(mtfp_model(inputs, a))``, without building the frame."""
    items = list(MTFP_RESULT_LABELS)
    return pd.Series({f"{row['year']}|{i}": float(row[i]) for row in _model_rows(inputs, a) for i in items})


def cumulative_requirement(model: pd.DataFrame) -> float:
    """QIPP savings the plan must find over the plan years (every year after the base, £m)."""
    return float(model["qipp_requirement"].iloc[1:].sum())


def mtfp_for(facts: pd.DataFrame, area: str, unit_tab: dict, a: Assumptions = Assumptions()) -> tuple[dict, pd.DataFrame]:
    """The medium-term plan's inputs and model under ``a``; the second year's
    contingency base is the year's plan's notified allocation under the same
    assumptions, converted from £000 to £m."""
    notified = plan_results(plan_inputs(facts, area), a)["notified_allocation"]
    inputs = mtfp_inputs(facts, area, convert(notified, PLAN_UNIT, MTFP_UNIT, unit_tab))
    return inputs, mtfp_model(inputs, a)
