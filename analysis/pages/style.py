"""Shared presentation choices: palette, number formats and chart theme.
Every chart and table in the book takes them from here."""
from __future__ import annotations

import math

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito: distinguishable with the common forms of colour-blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#767676",
}
SERIES = [PALETTE[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
HIGHLIGHT = PALETTE["vermillion"]
MUTED = PALETTE["grey"]

FONT = "Arial, Helvetica, sans-serif"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT, size=13, color="#222222"),
        colorway=SERIES,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=60, r=20, t=50, b=60),
        xaxis=dict(showgrid=False, linecolor="#444444", ticks="outside"),
        yaxis=dict(gridcolor="#e5e5e5", linecolor="#444444", zerolinecolor="#999999"),
        legend=dict(orientation="h", y=-0.3),
        hoverlabel=dict(font_family=FONT),
    )
)
pio.templates["essexbook"] = TEMPLATE

NOT_PUBLISHED = "not published"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value, decimals: int = 0) -> str:
    """Thousands-separated number; missing values say so.

    >>> fmt_number(1396988)
    '1,396,988'
    >>> fmt_number(float('nan'))
    'not published'
    """
    if _missing(value):
        return NOT_PUBLISHED
    return f"{value:,.{decimals}f}"


def fmt_money(value, unit: str = "£", decimals: int = 0) -> str:
    """Money with its unit as the papers print it: £1,225, £388,790k, £5.0m.

    >>> fmt_money(388790, "£000")
    '£388,790k'
    >>> fmt_money(5, "£m", 1)
    '£5.0m'
    >>> fmt_money(-12.5, "£m", 1)
    '−£12.5m'
    """
    if _missing(value):
        return NOT_PUBLISHED
    suffix = {"£": "", "£000": "k", "£m": "m", "£bn": "bn"}[unit]
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}{suffix}"


def fmt_pct(value, decimals: int = 1) -> str:
    """Percentage.

    >>> fmt_pct(7.48)
    '7.5%'
    """
    if _missing(value):
        return NOT_PUBLISHED
    return f"{value:,.{decimals}f}%"


def auto_decimals(value) -> int:
    """Decimals needed to show a value without losing printed precision (max 2).

    >>> auto_decimals(1225.0), auto_decimals(7.5), auto_decimals(0.125)
    (0, 1, 2)
    """
    if _missing(value):
        return 0
    for d in (0, 1):
        if abs(round(value, d) - value) < 1e-9:
            return d
    return 2


def fmt_value(value, unit: str, decimals: int | None = None) -> str:
    """Format any fact value by its unit, by default at the value's own precision."""
    if decimals is None:
        decimals = auto_decimals(value)
    if unit in ("£", "£000", "£m", "£bn"):
        return fmt_money(value, unit, decimals)
    if unit == "%":
        return fmt_pct(value, decimals)
    text = fmt_number(value, decimals)
    if text == NOT_PUBLISHED or unit in ("count", "ratio", "rank"):
        return text
    return f"{text} {unit}"
