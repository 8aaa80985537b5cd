"""Demographic models: growth rates, projections, shares and rates per head,
age-structure change, housing-led population and the GP workforce gap.

Small pure functions on numbers or frames; no printing, no I/O. Rates are
in per cent unless a name says otherwise (``per_1000``).
"""
from __future__ import annotations

import re

import pandas as pd

from analysis.models.finance import percent_of

# --- growth ------------------------------------------------------------------------------


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate (%) between two points ``years`` apart.

    >>> round(cagr(100, 121, 2), 6)
    10.0
    """
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0:
        raise ValueError("the starting value must be positive")
    return 100 * ((end / start) ** (1 / years) - 1)


def project(base: float, rate_pct: float, years: float) -> float:
    """A value grown from ``base`` at ``rate_pct`` a year for ``years`` (compound).

    >>> round(project(100, 10, 2), 6)
    121.0
    """
    return base * (1 + rate_pct / 100) ** years


def total_change_pct(start: float, end: float) -> float:
    """Change from ``start`` to ``end`` as a percentage of ``start``.

    >>> total_change_pct(80, 100)
    25.0
    """
    return 100 * (end - start) / start


def annualised_rate(total_change: float, years: float) -> float:
    """The compound yearly rate (%) that gives a total change (%) over ``years``.

    >>> round(annualised_rate(21, 2), 6)
    10.0
    """
    return cagr(100, 100 + total_change, years)


def span_years(period: str) -> float | None:
    """Years between the start and end of a span such as ``2011-2020`` or
    ``2014/15-2018/19``; None when the period is a single year or month.

    >>> span_years("2011-2020"), span_years("2014/15-2018/19"), span_years("2030"), span_years("2011-04")
    (9, 4, None, None)
    """
    m = re.fullmatch(r"(\d{4})(?:/\d{2})?-(\d{4})(?:/\d{2})?", period)
    if not m:
        return None
    return int(m.group(2)) - int(m.group(1))


# --- shares and rates ----------------------------------------------------------------------

# One definition of "part as a percentage of whole" serves the whole package.
share_pct = percent_of


def per_head(value: float, population: float) -> float:
    """``value`` per person.

    >>> per_head(500, 250)
    2.0
    """
    return value / population


def per_1000(value: float, population: float) -> float:
    """``value`` per 1,000 people.

    >>> per_1000(66, 100000)
    0.66
    """
    return 1000 * value / population


def count_from_rate_per_1000(rate: float, population: float) -> float:
    """The count a rate per 1,000 implies for a population.

    >>> count_from_rate_per_1000(0.5, 20000)
    10.0
    """
    return rate * population / 1000


# --- age structure -------------------------------------------------------------------------

AGE_BANDS = (("0-14", 0, 14), ("15-64", 15, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85+", 85, None))


def band_sums(by_age: dict[int, float], bands=AGE_BANDS) -> dict[str, float]:
    """Counts by single year of age (the last an open band, 90+ keyed 90) summed into bands;
    ``None`` as a band's end means all older ages.

    >>> band_sums({0: 5, 14: 1, 15: 2, 64: 3, 65: 4, 90: 6}, (("0-14", 0, 14), ("15-64", 15, 64), ("65+", 65, None)))
    {'0-14': 6, '15-64': 5, '65+': 10}
    """
    return {label: sum(v for a, v in by_age.items() if a >= lo and (hi is None or a <= hi)) for label, lo, hi in bands}


def share_change_points(before_pct: float, after_pct: float) -> float:
    """Change in a share, in percentage points (58% -> 53% is -5 points).

    >>> share_change_points(58, 53)
    -5
    """
    return after_pct - before_pct


def relative_change_pct(before: float, after: float) -> float:
    """Change relative to the starting value, in per cent (a share of 20% -> 25% is +25%).

    >>> relative_change_pct(20, 25)
    25.0
    """
    return total_change_pct(before, after)


def age_share_change(frame: pd.DataFrame, before: str, after: str) -> pd.DataFrame:
    """For each row's shares (%) in columns ``before`` and ``after``: the change
    in percentage points and the relative change in per cent."""
    out = frame.copy()
    out["change_points"] = out[after] - out[before]
    out["relative_change_pct"] = 100 * (out[after] - out[before]) / out[before]
    return out


# --- housing-led growth ----------------------------------------------------------------------


def housing_led_population(dwellings: float, occupancy: float) -> float:
    """New residents from new dwellings at an occupancy (people per dwelling).

    >>> housing_led_population(1200, 2.5)
    3000.0
    """
    return dwellings * occupancy


def implied_occupancy(new_residents: float, dwellings: float) -> float:
    """Occupants per dwelling implied by a residents estimate.

    >>> implied_occupancy(3000, 1200)
    2.5
    """
    return new_residents / dwellings


def housing_growth(frame: pd.DataFrame) -> pd.DataFrame:
    """Per development (columns ``dwellings``, ``occupancy``, ``residents``; NaN where
    not printed): residents recomputed as dwellings x occupancy, and the occupancy the
    printed residents imply."""
    out = frame.copy()
    out["residents_recomputed"] = out["dwellings"] * out["occupancy"]
    out["occupancy_implied"] = out["residents"] / out["dwellings"]
    return out


# --- localities and practices ------------------------------------------------------------------


def list_totals(practices: pd.DataFrame, printed: pd.DataFrame) -> pd.DataFrame:
    """Practice list sizes summed by group, beside the printed totals.

    ``practices`` has columns ``group`` and ``list_size``; ``printed`` has ``group``
    and ``printed_total``. Groups keep the order of ``printed``; the difference is
    recomputed minus printed.
    """
    sums = practices.groupby("group", sort=False)["list_size"].agg(["sum", "count"])
    out = printed[["group", "printed_total"]].copy()
    out["practices"] = out["group"].map(sums["count"]).fillna(0).astype(int)
    out["recomputed_total"] = out["group"].map(sums["sum"])
    out["difference"] = out["recomputed_total"] - out["printed_total"]
    return out.reset_index(drop=True)


# --- workforce -------------------------------------------------------------------------------


def workforce_gap(england_rate: float, local_rate: float, population: float, per: float = 1000) -> float:
    """Staff needed to bring a local rate per ``per`` people up to the England rate:
    (England rate - local rate) x population / per.

    >>> round(workforce_gap(0.74, 0.66, 1_000_000), 6)
    80.0
    """
    return (england_rate - local_rate) * population / per


def workforce_gap_bounds(england_rate: float, local_rate: float, population: float,
                         england_tol: float, local_tol: float, per: float = 1000) -> tuple[float, float]:
    """The lowest and highest gap the printed rates allow, each rate being exact
    only to its tolerance (half a unit of its last printed digit).

    >>> tuple(round(v, 6) for v in workforce_gap_bounds(0.74, 0.66, 1_000_000, 0.005, 0.005))
    (70.0, 90.0)
    """
    low = workforce_gap(england_rate - england_tol, local_rate + local_tol, population, per)
    high = workforce_gap(england_rate + england_tol, local_rate - local_tol, population, per)
    return low, high


def population_implied_by_gap(gap: float, england_rate: float, local_rate: float, per: float = 1000) -> float:
    """The population at which the rate difference gives ``gap`` staff.

    >>> round(population_implied_by_gap(80, 0.74, 0.66))
    1000000
    """
    return gap * per / (england_rate - local_rate)


# --- deprivation -------------------------------------------------------------------------------


def rank_quintile(rank: int, of: int) -> int:
    """National quintile of a deprivation rank (1 = most deprived area,
    quintile 1 = the most deprived fifth, 5 = the least deprived fifth).

    >>> rank_quintile(299, 326), rank_quintile(1, 326), rank_quintile(65, 326), rank_quintile(66, 326)
    (5, 1, 1, 2)
    """
    if not 1 <= rank <= of:
        raise ValueError(f"rank {rank} is outside 1..{of}")
    return -(-rank * 5 // of)  # ceiling: rank r is in the fifth that contains r/of


def growth_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows with a total change (%) over ``years`` (NaN when the base year is
    not stated): adds the compound annual rate (%) equivalent to that change."""
    out = frame.copy()
    out["annual_rate"] = [
        annualised_rate(g, y) if pd.notna(g) and pd.notna(y) and y > 0 else float("nan")
        for g, y in zip(out["total_change"], out["years"])
    ]
    return out
