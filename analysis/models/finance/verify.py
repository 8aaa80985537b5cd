"""The gap models checked against what the paper prints, on the area's own assumptions: the
rates its plans print (``printed_assumptions``), with which the models must reproduce them."""
from __future__ import annotations

import pandas as pd

from analysis.models.finance.assumptions import Assumptions
from analysis.models.finance.core import _amounts_only, convert, printed_tolerance, reproduces, rounding_band
from analysis.models.finance.mtfp import (
    MTFP, MTFP_RESULT_LABELS, MTFP_UNIT, SCALED_LINES, mtfp_for, mtfp_input_tolerances, mtfp_outputs, mtfp_printed,
    mtfp_result_values,
)
from analysis.models.finance.plan import (
    PLAN, PLAN_RESULT_LABELS, PLAN_UNIT, plan_input_tolerances, plan_inputs, plan_printed, plan_results,
)


# The assumptions each plan prints as a rate: (contract, input) for the rate the model scales by.
PRINTED_RATES = {
    "headroom_pct": ("plan", "headroom_pct"),
    "tariff_deflator_pct": ("plan", "tariff_deflator_pct"),
    **{name: ("mtfp", "rate " + line) for line, name in SCALED_LINES.items()},
}


def printed_assumptions(facts: pd.DataFrame, area: str) -> Assumptions:
    """The area's own assumptions, as its plans print them: each rate the models scale by, from the
    year's plan or the medium-term plan; what no plan prints (QIPP delivery, a shift of growth, a
    multiple of activity growth) at its neutral value. With these the models reproduce the area's
    printed figures, whichever CCG it is."""
    contracts = {"plan": PLAN, "mtfp": MTFP}
    values = {}
    for name, (cid, key) in PRINTED_RATES.items():
        c = contracts[cid]
        try:
            values[name] = abs(c.value(facts, area, key))
        except (KeyError, IndexError):
            continue  # not printed for this area: the class default stands
    return Assumptions(**values)


def printed_rate_row(facts: pd.DataFrame, area: str, name: str) -> pd.Series | None:
    """The fact that states an assumption for the area (None where no plan prints it)."""
    if name not in PRINTED_RATES:
        return None
    cid, key = PRINTED_RATES[name]
    try:
        return {"plan": PLAN, "mtfp": MTFP}[cid].row(facts, area, key)
    except (KeyError, IndexError):
        return None


def plan_check(facts: pd.DataFrame, area: str) -> pd.DataFrame:
    """Each printed result of the 2013/14 plan beside the model with the paper's
    assumptions (£000), and whether it reproduces within the paper's rounding."""
    inputs, a = plan_inputs(facts, area), printed_assumptions(facts, area)
    model = plan_results(inputs, a)
    band = rounding_band(lambda x: plan_results(x, a), inputs, _amounts_only(plan_input_tolerances(facts, area)))
    rows = []
    for key, (value, tol, fid) in plan_printed(facts, area).items():
        rows.append({"item": key, "label": PLAN_RESULT_LABELS[key], "model": model[key], "printed": value,
                     "tolerance": tol + band[key], "fact_id": fid, "unit": PLAN_UNIT})
    out = pd.DataFrame(rows)
    out["reproduces"] = [reproduces(m, p, t) for m, p, t in zip(out["model"], out["printed"], out["tolerance"])]
    return out


def mtfp_check(facts: pd.DataFrame, area: str, unit_tab: dict) -> pd.DataFrame:
    """Each printed result of the medium-term plan beside the model with the
    paper's assumptions (£m), and whether it reproduces within the paper's rounding."""
    a = printed_assumptions(facts, area)
    inputs, model = mtfp_for(facts, area, unit_tab, a)
    notified_tol = convert(printed_tolerance(PLAN.row(facts, area, "notified_allocation")), PLAN_UNIT, MTFP_UNIT, unit_tab)
    tols = _amounts_only(mtfp_input_tolerances(facts, area, inputs, notified_tol))
    band = rounding_band(lambda x: mtfp_result_values(x, a), inputs, tols)
    out = mtfp_printed(facts, area)
    values = mtfp_outputs(model)
    keys = [f"{y}|{i}" for y, i in zip(out["year"], out["item"])]
    out["model"] = [values[k] for k in keys]
    out["tolerance"] = out["tolerance"] + [band[k] for k in keys]
    out["label"] = out["item"].map(MTFP_RESULT_LABELS)
    out["unit"] = MTFP_UNIT
    out["reproduces"] = [reproduces(m, p, t) for m, p, t in zip(out["model"], out["printed"], out["tolerance"])]
    return out
