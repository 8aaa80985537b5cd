"""Unit conversion, in one place. Facts keep the unit they were printed in;
code converts only here, using the factors in ``data/units.csv``."""
from __future__ import annotations

import pandas as pd


class UnitError(ValueError):
    pass


def unit_table(units: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Map unit -> (dimension, factor to the dimension's base unit)."""
    return {r.unit: (r.dimension, float(r.factor)) for r in units.itertuples()}


def convert(value: float, from_unit: str, to_unit: str, table: dict[str, tuple[str, float]]) -> float:
    """Convert between units of one dimension, e.g. £000 to £m.

    >>> t = {"£000": ("money", 1e3), "£m": ("money", 1e6)}
    >>> convert(1500.0, "£000", "£m", t)
    1.5
    """
    if from_unit == to_unit:
        return value
    try:
        dim_from, f_from = table[from_unit]
        dim_to, f_to = table[to_unit]
    except KeyError as exc:
        raise UnitError(f"unknown unit {exc.args[0]!r}") from None
    if dim_from != dim_to:
        raise UnitError(f"cannot convert {from_unit!r} ({dim_from}) to {to_unit!r} ({dim_to})")
    return value * f_from / f_to


