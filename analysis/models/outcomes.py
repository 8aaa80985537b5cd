"""Outcome models: yearly trajectories, their comparison with the printed
paths, and scorecard marks.

A trajectory is a baseline, a target and the yearly path between them. The
papers print both the paths and the rules behind them ("3.2% decrease per
annum", "1% improvement year on year", "54% reduction over 5 years"); the
generator here rebuilds a path from its rule so the book can set it beside
the printed one. Years are counted as offsets from the baseline, because
the papers count them differently from one measure to the next.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from analysis.models.checks import tolerance

PROFILES = ("linear", "compound", "front_loaded", "back_loaded", "explicit")
# Rule kinds of data/trajectory_rules.csv that fix a value; "unstated" fixes none.
RULE_KINDS = ("compound", "linear", "total_change")


# --- trajectories -------------------------------------------------------------------

def trajectory(baseline: float, years: Sequence[float], profile: str, *, rate: float | None = None,
               step: float | None = None, target: float | None = None, horizon: float | None = None,
               values: Sequence[float] | None = None) -> list[float]:
    """Yearly values ``years`` after the baseline, by profile.

    * linear: ``step`` a year, or a straight line to ``target`` at ``horizon``;
    * compound: ``rate`` a year (-0.032 for a 3.2% fall), or the constant rate
      that reaches ``target`` at ``horizon``;
    * front_loaded / back_loaded: to ``target`` at ``horizon``, with the change
      bunched early or late (a quadratic ease: a quarter of the change in the
      first half for back-loaded, three quarters for front-loaded);
    * explicit: the ``values`` given, one per year.

    >>> [round(v) for v in trajectory(1905, [2, 3], "compound", rate=-0.032)]
    [1785, 1728]
    >>> trajectory(165.9, [6], "linear", target=135.6, horizon=6)
    [135.6]
    >>> trajectory(100, [1, 2], "back_loaded", target=80, horizon=2)
    [95.0, 80.0]
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    years = list(years)
    if profile == "explicit":
        if values is None or len(values) != len(years):
            raise ValueError("an explicit profile needs one value for each year")
        return [float(v) for v in values]
    if profile == "linear" and step is not None:
        return [baseline + step * n for n in years]
    if profile == "compound" and rate is not None:
        return [baseline * (1 + rate) ** n for n in years]
    if target is None or not horizon:
        raise ValueError(f"a {profile} profile needs a rate or step, or a target and a horizon")
    if any(n > horizon for n in years):
        raise ValueError("a year lies beyond the horizon at which the target is reached")
    if profile == "compound":
        a_year = (target / baseline) ** (1 / horizon) - 1
        return [baseline * (1 + a_year) ** n for n in years]
    share = {
        "linear": lambda t: t,
        "front_loaded": lambda t: 1 - (1 - t) ** 2,
        "back_loaded": lambda t: t ** 2,
    }[profile]
    return [baseline + (target - baseline) * share(n / horizon) for n in years]


def value_after_change(baseline: float, change: float) -> float:
    """The value a stated total change leads to ("54% reduction" is change -0.54).

    >>> round(value_after_change(1669, -0.54), 2)
    767.74
    """
    return baseline * (1 + change)


def growth_pct(before: float, after: float) -> float:
    """Percentage change from ``before`` to ``after``.

    >>> round(growth_pct(62000, 71000), 1)
    14.5
    """
    return 100 * (after - before) / before


def years_of_change(baseline: float, value: float, rate: float) -> float:
    """How many years of a constant yearly ``rate`` take ``baseline`` to ``value``.

    >>> round(years_of_change(1905, 1517, -0.032), 1)
    7.0
    """
    return math.log(value / baseline) / math.log(1 + rate)


def yearly_changes(values: Sequence[float]) -> list[float]:
    """Change from each value to the next.

    >>> [round(c, 1) for c in yearly_changes([7.1, 6.9, 6.7, 6.4, 6.0])]
    [-0.2, -0.2, -0.3, -0.4]
    """
    values = list(values)
    return [b - a for a, b in zip(values, values[1:])]


def path_profile(values: Sequence[float], tol: float = 0.0) -> str:
    """Where a path's change falls: "front_loaded" when more than half of it is
    done by the middle of the path, "back_loaded" when less, "even" when the
    middle value is within ``tol`` of halfway.

    >>> path_profile([7.1, 6.9, 6.7, 6.4, 6.0], tol=0.05)
    'back_loaded'
    >>> path_profile([1208, 808, 803, 788, 773], tol=0.5)
    'front_loaded'
    >>> path_profile([75, 76, 77, 78, 79], tol=0.5)
    'even'
    """
    values = [float(v) for v in values]
    total = values[-1] - values[0]
    if len(values) < 3 or total == 0:
        return "even"
    half = (len(values) - 1) / 2
    lo = int(math.floor(half))
    middle = values[lo] + (values[min(lo + 1, len(values) - 1)] - values[lo]) * (half - lo)
    done = middle - values[0]
    if abs(done - total / 2) <= tol + 1e-9:
        return "even"
    return "front_loaded" if abs(done) > abs(total) / 2 else "back_loaded"


def rule_value(baseline: float, kind: str, years: float, rate: float = math.nan, step: float = math.nan) -> float:
    """The value a rule of data/trajectory_rules.csv gives ``years`` after the baseline;
    NaN where the paper states no rule for that year.

    >>> round(rule_value(1905, "compound", 6, rate=-0.032), 1)
    1567.3
    >>> rule_value(74.2, "linear", 5, step=1)
    79.2
    >>> rule_value(1669, "unstated", 2)
    nan
    """
    if kind == "compound":
        return trajectory(baseline, [years], "compound", rate=rate)[0]
    if kind == "linear":
        return trajectory(baseline, [years], "linear", step=step)[0]
    if kind == "total_change":
        # Only the end point is stated; any profile reaches it at the horizon.
        return trajectory(baseline, [years], "linear", target=value_after_change(baseline, rate), horizon=years)[0]
    return math.nan


def compare_paths(published: pd.Series, generated: pd.Series) -> pd.DataFrame:
    """Set a printed path beside a generated one, year by year.

    ``published`` holds the values as recorded (text, so that "6.0" keeps its
    printed decimal; "" where the paper prints no value), ``generated`` the
    rule's values (NaN where the rule gives none); both are indexed by period.
    A difference (printed minus rule) is beyond the printed rounding when it
    exceeds half a unit of the printed value's last digit.
    """
    periods = list(published.index)
    gen = generated.reindex(periods).astype(float)
    pub = pd.to_numeric(published.where(published != ""), errors="coerce").astype(float)
    tol = pd.Series([tolerance(t, "published") if t else math.nan for t in published], index=published.index, dtype=float)
    diff = pub - gen
    beyond = (diff.abs() > tol + 1e-9).fillna(False).astype(bool)
    return pd.DataFrame({"published": pub, "generated": gen, "difference": diff, "tolerance": tol, "beyond": beyond})


# --- scorecards -----------------------------------------------------------------------

@dataclass(frozen=True)
class Standard:
    """A scorecard standard: direction ">=", "<", "=", "vs plan", or "none"."""
    direction: str
    threshold: float | None = None
    text: str = ""


def parse_standard(text: str) -> Standard:
    """Read a standard as the scorecards print it.

    >>> parse_standard("95%")
    Standard(direction='>=', threshold=95.0, text='95%')
    >>> parse_standard("<1%").direction, parse_standard("0").direction, parse_standard("vs Plan").direction
    ('<', '=', 'vs plan')
    >>> parse_standard("80% by year end").threshold
    80.0
    >>> parse_standard("No standard").direction
    'none'
    """
    t = text.strip()
    low = t.lower()
    if low.startswith("vs plan"):
        return Standard("vs plan", None, t)
    m = re.fullmatch(r"(<=|>=|<|>|≤|≥)?\s*(-?\d+(?:\.\d+)?)\s*(%?)(.*)", t)
    if not m:
        return Standard("none", None, t)
    op, number, pct, rest = m.groups()
    value = float(number)
    if op is None:
        # A bare percentage is a floor to reach; a bare count ("0") is a level to hold.
        op = ">=" if pct else "="
    op = {"≤": "<=", "≥": ">="}.get(op, op)
    return Standard(op, value, t)


def standard_met(value: float | None, standard: Standard, plan: float | None = None,
                 polarity: str = "") -> bool | None:
    """Whether a value meets its standard; None when it cannot be judged
    (no value, no standard, or a plan that is not published).

    "vs plan" compares with the plan in the measure's better direction.

    >>> standard_met(95.0, parse_standard("95%")), standard_met(94.9, parse_standard("95%"))
    (True, False)
    >>> standard_met(6, parse_standard("vs Plan"), plan=4, polarity="lower_is_better")
    False
    >>> standard_met(12, parse_standard("vs Plan")) is None
    True
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    d, x = standard.direction, standard.threshold
    if d == "vs plan":
        if plan is None or (isinstance(plan, float) and math.isnan(plan)) or polarity not in ("higher_is_better", "lower_is_better"):
            return None
        return value <= plan if polarity == "lower_is_better" else value >= plan
    if d == "none" or x is None:
        return None
    return {">=": value >= x, ">": value > x, "<=": value <= x, "<": value < x, "=": value == x}[d]


def parse_mark(text: str) -> bool | None:
    """The paper's tick or cross; None where it prints neither.

    >>> parse_mark("✓"), parse_mark("✗"), parse_mark("(none)")
    (True, False, None)
    """
    t = text.strip()
    if t in ("✓", "✔"):
        return True
    if t in ("✗", "✘"):
        return False
    return None


def standard_and_mark(note: str) -> tuple[str, str] | None:
    """The standard and the paper's mark recorded in a scorecard fact's note.

    >>> standard_and_mark('row "RTT admitted"; period Jun-12; standard: 90%; mark: ✓; extra')
    ('90%', '✓')
    >>> standard_and_mark("no scorecard here") is None
    True
    """
    m = re.search(r"standard: ([^;]*); mark: ([^;]*)", note)
    return (m.group(1).strip(), m.group(2).strip()) if m else None


AGREES, DISAGREES, NO_MARK, CANNOT_JUDGE, MARK_WITHOUT_STANDARD = (
    "agrees", "disagrees", "no mark printed", "cannot recompute", "marked without a standard")


def mark_agreement(recomputed: bool | None, paper: bool | None, has_standard: bool = True) -> str:
    """Compare the recomputed mark with the paper's.

    >>> mark_agreement(True, True), mark_agreement(False, True), mark_agreement(True, None)
    ('agrees', 'disagrees', 'no mark printed')
    >>> mark_agreement(None, True, has_standard=False)
    'marked without a standard'
    """
    if recomputed is None:
        if paper is not None and not has_standard:
            return MARK_WITHOUT_STANDARD
        return CANNOT_JUDGE
    if paper is None:
        return NO_MARK
    return AGREES if recomputed == paper else DISAGREES


def period_start_year(period: str) -> int:
    """The first calendar year of a period ("2014/15" -> 2014, "2012-07" -> 2012).

    >>> period_start_year("2014/15"), period_start_year("2018"), period_start_year("2013/14-2017/18")
    (2014, 2018, 2013)
    """
    return int(period[:4])
