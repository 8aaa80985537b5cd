"""Shared pieces of the finance models: fact lookup, printing tolerances,
rounding bands, percentages and unit conversion.

Amounts carry their unit; conversion goes through analysis.units.
"""
from __future__ import annotations

import re
from typing import Callable

import numpy as np
import pandas as pd

from analysis.data import units
from analysis.data.memo import IdentityMemo


def percent_of(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole``.

    >>> round(percent_of(12002, 388790), 1)
    3.1
    """
    return 100 * part / whole


def year_on_year_steps(cumulative: list[float]) -> list[float]:
    """The yearly steps of a cumulative profile.

    >>> year_on_year_steps([5, 77, 137, 195])
    [5, 72, 60, 58]
    """
    return [b - a for a, b in zip([0, *cumulative[:-1]], cumulative)]


_ID_INDEX = IdentityMemo()


def _id_index(facts: pd.DataFrame) -> dict[str, list[int]]:
    # Models look facts up by id thousands of times per page; a boolean scan
    # of the whole table each time was most of a page's render time.
    return _ID_INDEX.get(_make_id_index, facts)


def _make_id_index(facts: pd.DataFrame) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for position, fid in enumerate(facts["fact_id"]):
        index.setdefault(fid, []).append(position)
    return index


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
    index, b = base.index, base.to_numpy(dtype=float)
    total = np.zeros(len(b))
    for key, tol in tols.items():
        if not tol:
            continue
        worst = np.zeros(len(b))
        for sign in (1, -1):
            bumped = dict(inputs)
            bumped[key] = inputs[key] + sign * tol
            moved = model(bumped)
            if not moved.index.equals(index):
                return _aligned_band(model, inputs, tols, base)
            # fmax skips a NaN move, as the frame's row maximum does.
            worst = np.fmax(worst, np.abs(moved.to_numpy(dtype=float) - b))
        total = total + worst
    return pd.Series(total, index=index)


def _aligned_band(model: Callable[[dict], pd.Series], inputs: dict, tols: dict, base: pd.Series) -> pd.Series:
    # The band by label, for a model whose outputs change with its inputs.
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


def fact_slug(text: str) -> str:
    """The id fragment the facts use for a printed label.

    >>> fact_slug("Tariff Reduction Acute & NHS Providers")
    'tariff-reduction-acute-and-nhs-providers'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def _amounts_only(tols: dict) -> dict:
    # Rates are the assumptions; the paper's arithmetic adds its printed amounts,
    # so only the amounts' rounding is carried into the comparison.
    return {k: v for k, v in tols.items()
            if not (isinstance(k, tuple) and k[0] in ("rate", "uplift")) and not str(k).endswith("_pct")}


def convert(value: float, from_unit: str, to_unit: str, unit_tab: dict) -> float:
    """Unit conversion, always through analysis.units."""
    return units.convert(float(value), from_unit, to_unit, unit_tab)
