"""The scenario: the assumptions behind the gap
models, what each one is, and how a metric moves when they move."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Callable

import pandas as pd
from pydantic import ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass as pydantic_dataclass


def _rate(lo: float, hi: float):
    # A finite number within a plausible range; strict, so a string or a bool is refused, not coerced.
    return Annotated[float, Field(ge=lo, le=hi, allow_inf_nan=False)]


@pydantic_dataclass(frozen=True, config=ConfigDict(strict=True))
class Assumptions:
    """The assumptions behind the gap models (the year's plan and the medium-term plan).

    Defaults are Castle Point and Rochford's paper's own (002 lines 1270-1297 and 1869-1906):
    with them the models reproduce the printed plan and medium-term plan. Rates are in per
    cent; ``qipp_delivery`` is the share of the required QIPP savings delivered (1.0 = all of
    it). pydantic refuses a value of the wrong type or outside its range, naming the parameter.

    >>> try:
    ...     Assumptions(qipp_delivery=1.5)
    ... except ValidationError as exc:
    ...     print(refusal(exc))
    qipp_delivery=1.5: input should be less than or equal to 1 (allowed: 0 to 1)
    """
    qipp_delivery: _rate(0, 1) = 1.0
    allocation_growth_shift: _rate(-10, 10) = 0.0
    headroom_pct: _rate(0, 20) = 2.0
    contingency_pct: _rate(0, 20) = 1.0
    tariff_deflator_pct: _rate(0, 20) = 1.3
    tariff_efficiency_pct: _rate(0, 20) = 4.0
    tariff_uplift_pct: _rate(0, 20) = 2.5
    acute_growth_pct: _rate(-20, 50) = 2.0
    community_growth_pct: _rate(-20, 50) = 1.0
    mental_health_growth_pct: _rate(-20, 50) = 1.0
    prescribing_growth_pct: _rate(-20, 50) = 5.0
    chc_growth_pct: _rate(-20, 50) = 5.0
    other_growth_pct: _rate(-20, 50) = 1.0
    activity_growth_factor: _rate(0, 10) = 1.0


def bounds(name: str) -> tuple[float, float]:
    """The range an assumption may take.

    >>> bounds("qipp_delivery")
    (0, 1)
    """
    meta = Assumptions.__pydantic_fields__[name].metadata
    return next(m.ge for m in meta if hasattr(m, "ge")), next(m.le for m in meta if hasattr(m, "le"))


def refusal(exc: ValidationError) -> str:
    """A scenario's invalid assumptions, one per line, each naming its parameter and its range."""
    out = []
    for e in exc.errors():
        name = str(e["loc"][0]) if e["loc"] else "?"
        lo, hi = bounds(name) if name in Assumptions.__pydantic_fields__ else ("?", "?")
        out.append(f"{name}={e.get('input')!r}: {e['msg'].lower()} (allowed: {lo} to {hi})")
    return "; ".join(out)


@dataclass(frozen=True)
class AssumptionInfo:
    label: str
    unit: str       # how the value reads: "%", "percentage points", "× planned", "share"
    step: float     # the stated step the sensitivity moves it by, each way
    models: tuple[str, ...]  # where a plan prints it, the page cites that figure (finance.printed_rate_row)


ASSUMPTIONS = {
    "qipp_delivery": AssumptionInfo("QIPP delivery (share of the required savings)", "share", 0.1, ("plan", "mtfp")),
    "allocation_growth_shift": AssumptionInfo("Allocation growth (change to every year's uplift)", "percentage points", 0.5,
                                              ("plan", "mtfp")),
    "headroom_pct": AssumptionInfo("Headroom / national non-recurrent contingency", "%", 0.5, ("plan", "mtfp")),
    "contingency_pct": AssumptionInfo("Local contingency", "%", 0.5, ("mtfp",)),
    "tariff_deflator_pct": AssumptionInfo("Tariff deflator (the year's plan)", "%", 0.5, ("plan",)),
    "tariff_efficiency_pct": AssumptionInfo("Tariff efficiency reduction (medium-term plan)", "%", 0.5, ("mtfp",)),
    "tariff_uplift_pct": AssumptionInfo("Tariff uplift (medium-term plan)", "%", 0.5, ("mtfp",)),
    "acute_growth_pct": AssumptionInfo("Acute growth", "%", 1.0, ("mtfp",)),
    "community_growth_pct": AssumptionInfo("Community growth", "%", 1.0, ("mtfp",)),
    "mental_health_growth_pct": AssumptionInfo("Mental health growth", "%", 1.0, ("mtfp",)),
    "prescribing_growth_pct": AssumptionInfo("Prescribing growth", "%", 1.0, ("mtfp",)),
    "chc_growth_pct": AssumptionInfo("Continuing healthcare growth", "%", 1.0, ("mtfp",)),
    "other_growth_pct": AssumptionInfo("Other growth", "%", 1.0, ("mtfp",)),
    "activity_growth_factor": AssumptionInfo("Demographic and demand growth (multiple of the planned amounts)", "× planned", 0.1,
                                             ("plan",)),
}


def moved(a: Assumptions, name: str, sign: int) -> Assumptions:
    """The assumptions with one moved by its stated step, within its range.

    >>> moved(Assumptions(), "qipp_delivery", -1).qipp_delivery
    0.9
    >>> moved(Assumptions(), "qipp_delivery", 1).qipp_delivery
    1.0
    """
    lo, hi = bounds(name)
    value = min(max(round(getattr(a, name) + sign * ASSUMPTIONS[name].step, 10), lo), hi)
    return replace(a, **{name: float(value)})


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
