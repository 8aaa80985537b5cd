"""The financial case for change (the QIPP challenge
as the sum of its components) and the QIPP scheme calculators (Castle Point and
Rochford's, 002 lines 1397-1568, are the ones the papers print)."""
from __future__ import annotations

import pandas as pd

from analysis.models.contracts import Contract, Input, Role

CASE_FOR_CHANGE = Contract(
    id="case_for_change", title="The financial case for change", page="ccg-finance", section="closing",
    inputs=(
        Input("growth", "qipp_challenge", "Keeping all growth in provider services care to 0%", "year", "£000"),
        Input("legacy", "qipp_challenge", "Continuing with the legacy QIPP schemes and Prescribing", "year", "£000"),
        Input("acute", "qipp_challenge", "Agreeing acute contractual changes and risk share", "year", "£000"),
        Input("total", "qipp_challenge", "total", "year", "£m", result=True),
    ),
    roles={"year": Role("qipp_challenge", "total", example=("2012/13",))},
    noun="a costed case for change",
    definition="The QIPP challenge as the paper's case for change sets it out: its components and the total it prints.",
)
CASE_COMPONENTS = ("growth", "legacy", "acute")


def case_for_change(components: dict[str, float]) -> float:
    """The QIPP challenge as the sum of its components (same unit as the components).

    >>> case_for_change({"a": 4461, "b": 4510, "c": 6026})
    14997
    """
    return sum(components.values())


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
