"""Finance models: allocation per head, QIPP shares, bridges and plans.

Amounts carry their unit; conversion goes through analysis.units.
"""
from __future__ import annotations

import pandas as pd

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


def figure2_recomputed(wide: pd.DataFrame) -> pd.DataFrame:
    """Per head and QIPP % recomputed from allocation, population and QIPP."""
    return pd.DataFrame({
        "allocation_per_head": allocation_per_head(wide["ccg_allocation"], wide["population_ons_projection"]),
        "qipp_pct_allocation": percent_of(wide["qipp_savings"], wide["ccg_allocation"]),
    })
