"""The scenario: the assumptions behind the Castle Point and Rochford gap
models, what each one is, and how a metric moves when they move."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Callable

import pandas as pd


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
