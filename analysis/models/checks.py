"""The reconciliation ledger: every figure the papers derive, recomputed.

Check definitions are written in ``data/checks.csv`` (the stated fact, its
input facts, the rule and its parameters), and a trajectory check is made for
each printed value a rule of ``data/trajectory_rules.csv`` fixes (see
analysis.data.trajectories), so the rule is written once, not once a value.
The engine converts units, applies the rule, and judges the difference
against the precision the figures are printed to (never a fixed epsilon):

* the stated figure is exact to half a unit of its last printed digit
  ("£1,225" to ±0.5, "7.5%" to ±0.05 points); a figure printed as
  approximate ("circa 15,000") to a whole unit of its last non-zero digit;
* the inputs' own rounding is carried through the rule, so a total of
  rounded rows may differ from the printed total by the rows' rounding.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.data import BookData, descendants
from analysis.data.trajectories import path_values
from analysis.data.units import unit_table

REPRODUCES, DIFFERS, CANNOT = "reproduces", "differs", "cannot check"
VERDICTS = (REPRODUCES, DIFFERS, CANNOT)
CHECK_COLUMNS = ["check_id", "stated", "rule", "inputs", "params", "note", "cause"]

# rule -> (minimum inputs, maximum inputs or None)
ARITY = {
    "sum": (2, None), "difference": (2, None), "product": (2, None),
    "ratio": (2, 2), "percentage": (2, 2), "pct_change": (2, 2), "cagr": (2, 2),
    "multiple": (1, 1), "equal": (1, 1), "trajectory": (1, 1),
}
# Rules computed on inputs in the stated figure's unit; the others work in base units.
SAME_UNIT_RULES = {"sum", "difference", "equal", "multiple", "trajectory"}


@dataclass(frozen=True)
class Check:
    check_id: str
    stated: str
    rule: str
    inputs: tuple[str, ...]
    params: tuple[tuple[str, str], ...]
    note: str = ""
    cause: str = ""

    def param(self, key: str, default=None):
        return dict(self.params).get(key, default)


def parse_params(text: str) -> tuple[tuple[str, str], ...]:
    """``years=5;rate=-0.032`` -> (("years", "5"), ("rate", "-0.032")).

    >>> parse_params("years=5; rate=-0.032")
    (('years', '5'), ('rate', '-0.032'))
    """
    pairs = [p.split("=", 1) for p in text.split(";") if p.strip()]
    return tuple((k.strip(), v.strip()) for k, v in pairs)


def load_checks(path: Path) -> list[Check]:
    with open(path, newline="", encoding="utf-8") as f:
        return [
            Check(r["check_id"], r["stated"], r["rule"], tuple(r["inputs"].split()), parse_params(r["params"]),
                  r.get("note", ""), r.get("cause", ""))
            for r in csv.DictReader(f)
        ]


def trajectory_checks(data: BookData) -> list[Check]:
    """A check of each printed value a trajectory rule fixes, against its baseline."""
    values = path_values(data.trajectory_rules, data.trajectory_causes, data.facts)
    out = []
    for v in values.itertuples(index=False):
        params = [("kind", v.kind)]
        params += [("rate", str(v.rate))] if v.rate == v.rate else []
        params += [("step", str(v.step))] if v.step == v.step else []
        params += [("base", v.base), ("years", f"{v.years:g}")]
        params += [("round", v.rounding)] if v.rounding else []
        out.append(Check(v.check_id, v.stated, "trajectory", (v.base,), tuple(params), v.note, v.cause))
    return out


def estimate_checks(data: BookData) -> list[Check]:
    """A check that an ONS estimate's single years of age re-add to its All Ages figure: one per
    source, area, period and sex. The estimates are whole counts, not rounded, so the inputs
    carry no rounding (``exact``)."""
    from analysis.data import population as pop
    f = data.facts[data.facts["measure_id"] == pop.MEASURE]
    parsed = f["breakdown"].map(pop.parse_breakdown)
    f = f[parsed.notna()].assign(sex=parsed.map(lambda p: p[0] if p else ""), age=parsed.map(lambda p: p[1] if p else None))
    out = []
    for _, g in f.groupby(["source_id", "area_code", "period", "sex"], sort=False):
        total = g[g["age"].isna()]
        years = g[g["age"].notna()]
        if len(total) != 1 or years.empty:
            continue
        years = years.assign(_a=years["age"].map(pop.age_value)).sort_values("_a")
        stated = total.iloc[0]
        out.append(Check(f"{stated['fact_id']}.single-years", stated["fact_id"], "sum", tuple(years["fact_id"]),
                         (("exact", "inputs"),),
                         f"The {len(years)} single years of age of the same row re-added to its All Ages figure."))
    return out


def _family(check_id: str) -> str:
    return check_id.rsplit(".", 1)[0]


def book_checks(data: BookData) -> list[Check]:
    """The ledger's checks: those written in data/checks.csv, in file order, and the
    trajectory checks, each after the last written check of its family (the id up to
    its last dot), or at the end when no written check shares it; then the checks that
    imported ONS estimates re-add."""
    path = data.data_dir / "checks.csv"
    written = load_checks(path) if path.exists() else []
    last = {_family(c.check_id): i for i, c in enumerate(written)}
    after: dict[int, list[Check]] = {}
    for c in trajectory_checks(data):
        after.setdefault(last.get(_family(c.check_id), len(written) - 1), []).append(c)
    out = list(after.get(-1, []))
    for i, c in enumerate(written):
        out += [c, *after.get(i, [])]
    return out + estimate_checks(data)


# --- rules ------------------------------------------------------------------------------

def trajectory_value(base: float, kind: str, years: float, rate: float = 0.0, step: float = 0.0) -> float:
    """A point on a stated trajectory rule.

    >>> round(trajectory_value(1905, "compound", 2, rate=-0.032))
    1785
    >>> trajectory_value(74.2, "linear", 1, step=1)
    75.2
    """
    if kind == "compound":
        return base * (1 + rate) ** years
    if kind == "linear":
        return base + step * years
    if kind == "total_change":
        return base * (1 + rate)
    raise ValueError(f"no computable trajectory rule {kind!r}")


def apply_rule(check: Check, x: list[float]) -> float:
    rule = check.rule
    if rule == "sum":
        out = sum(x)
    elif rule == "difference":
        out = x[0] - sum(x[1:])
    elif rule == "product":
        out = math.prod(x)
    elif rule == "ratio":
        out = x[0] / x[1]
    elif rule == "percentage":
        out = 100 * x[0] / x[1]
    elif rule == "pct_change":
        out = 100 * (x[1] - x[0]) / x[0]
    elif rule == "cagr":
        out = 100 * ((x[1] / x[0]) ** (1 / float(check.param("years"))) - 1)
    elif rule == "multiple":
        out = x[0] * float(check.param("factor"))
    elif rule == "equal":
        out = x[0]
    elif rule == "trajectory":
        out = trajectory_value(x[0], check.param("kind"), float(check.param("years", 0)),
                               float(check.param("rate", 0)), float(check.param("step", 0)))
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return out * float(check.param("sign", 1))


# --- precision ------------------------------------------------------------------------------

def decimals_of(value_text: str) -> int:
    """Digits after the decimal point of a recorded value.

    >>> decimals_of("7.50"), decimals_of("1225"), decimals_of("")
    (2, 0, 0)
    """
    return len(value_text.split(".", 1)[1]) if "." in value_text else 0


def tolerance(value_text: str, status: str) -> float:
    """Half a unit in the last printed place; a whole unit of the last
    non-zero digit for a figure printed as approximate.

    >>> tolerance("1225", "published"), tolerance("7.5", "published")
    (0.5, 0.05)
    >>> tolerance("15000", "approximate"), tolerance("2.3", "approximate")
    (1000.0, 0.1)
    """
    d = decimals_of(value_text)
    if status != "approximate":
        return 0.5 * 10 ** -d
    if d:
        return 10.0 ** -d
    digits = value_text.lstrip("-")
    trailing = len(digits) - len(digits.rstrip("0")) if digits.strip("0") else 0
    return 10.0 ** trailing


# --- engine -----------------------------------------------------------------------------------

@dataclass
class Outcome:
    stated: float | None
    recomputed: float | None
    tolerance: float | None
    verdict: str
    reason: str


def _cannot(reason: str, stated: float | None = None) -> Outcome:
    return Outcome(stated, None, None, CANNOT, reason)


def propagated_tolerance(f, x: list[float], tols: list[float]) -> float:
    """How far the inputs' own rounding can move the result: each input is
    moved by its tolerance both ways and the worst moves are added.

    >>> propagated_tolerance(sum, [1.0, 2.0, 3.0], [0.5, 0.5, 0.5])
    1.5
    """
    base = f(x)
    total = 0.0
    for i, t in enumerate(tols):
        worst = 0.0
        for sign in (1, -1):
            bumped = list(x)
            bumped[i] += sign * t
            try:
                worst = max(worst, abs(f(bumped) - base))
            except (ZeroDivisionError, ValueError):
                continue
        total += worst
    return total


def evaluate(check: Check, facts: pd.DataFrame | dict[str, dict], units: dict) -> Outcome:
    """Recompute one check; ``facts`` is indexed by fact_id (a frame, or its rows as dicts)."""
    if isinstance(facts, pd.DataFrame):
        facts = facts.to_dict("index")
    if check.stated not in facts:
        return _cannot(f"stated figure {check.stated} is not in the data")
    s = facts[check.stated]
    if s["status"] == "not_published":
        return _cannot("the stated figure is not published (placeholder or blank)")
    lo, hi = ARITY.get(check.rule, (0, 0))
    missing = [i for i in check.inputs if i not in facts]
    if missing:
        return _cannot(f"input not in the data: {', '.join(missing)}", s["value"])
    rows = [facts[i] for i in check.inputs]
    unpublished = [i for i, r in zip(check.inputs, rows) if r["status"] == "not_published"]
    if unpublished:
        return _cannot("an input is not published: " + ", ".join(unpublished), s["value"])
    if len(rows) < lo or (hi is not None and len(rows) > hi):
        return _cannot("an input the rule needs is not published (see the note)", s["value"])
    if check.rule == "trajectory" and check.param("kind") not in ("compound", "linear", "total_change"):
        return _cannot("the paper states no rule for this value", s["value"])

    def convert(value: float, unit: str) -> float:
        if check.rule in SAME_UNIT_RULES:
            return value * units[unit][1] / units[s["unit"]][1]
        return value * units[unit][1]

    x = [convert(r["value"], r["unit"]) for r in rows]
    scale = 1.0 if check.rule in SAME_UNIT_RULES or s["unit"] == "%" else units[s["unit"]][1]

    def f(values: list[float]) -> float:
        return apply_rule(check, values) / scale

    try:
        recomputed = f(x)
    except (ZeroDivisionError, ValueError, TypeError) as exc:
        return _cannot(f"the rule cannot be applied: {exc}", s["value"])
    exact = check.param("exact") == "inputs"  # counts, not rounded figures
    tols = [0.0 if exact else convert(tolerance(r["value_text"], r["status"]), r["unit"]) for r in rows]
    tol_inputs = propagated_tolerance(f, x, tols)
    tol_stated = tolerance(s["value_text"], s["status"])
    diff = recomputed - s["value"]
    if abs(diff) <= tol_stated + 1e-9:
        return Outcome(s["value"], recomputed, tol_stated, REPRODUCES, "within the printed precision of the stated figure")
    if abs(diff) <= tol_stated + tol_inputs + 1e-9:
        return Outcome(s["value"], recomputed, tol_stated + tol_inputs, REPRODUCES, "within the rounding of the printed inputs")
    return Outcome(s["value"], recomputed, tol_stated + tol_inputs, DIFFERS, check.cause or "cause not evident")


def ledger(data: BookData, checks: list[Check]) -> pd.DataFrame:
    """Every check with its stated and recomputed value, difference and verdict."""
    # The checks' facts as dicts: a pandas row lookup costs more than the check's arithmetic.
    ids = {c.stated for c in checks} | {i for c in checks for i in c.inputs}
    f = data.facts
    facts = f[f["fact_id"].isin(ids)].set_index("fact_id").to_dict("index")
    units = unit_table(data.units)
    rows = []
    for c in checks:
        o = evaluate(c, facts, units)
        stated = facts.get(c.stated)
        diff = None if o.recomputed is None or o.stated is None else o.recomputed - o.stated
        rows.append({
            "check_id": c.check_id, "rule": c.rule, "stated_fact": c.stated,
            "source_id": stated["source_id"] if stated is not None else "",
            "table": stated["table"] if stated is not None else "",
            "lines": stated["lines"] if stated is not None else "",
            "area_code": stated["area_code"] if stated is not None else "",
            "unit": stated["unit"] if stated is not None else "",
            "printed": stated["printed"] if stated is not None else "",
            "stated": o.stated, "recomputed": o.recomputed, "difference": diff,
            "relative": (diff / o.stated) if diff is not None and o.stated not in (0, None) else None,
            "tolerance": o.tolerance, "verdict": o.verdict, "reading": o.reason,
            "inputs": " ".join(c.inputs), "note": c.note,
        })
    return pd.DataFrame(rows)


def evaluate_all(data: BookData) -> pd.DataFrame:
    return ledger(data, book_checks(data))


def summary_counts(led: pd.DataFrame) -> dict[str, int]:
    counts = led["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in VERDICTS}


def summary_text(led: pd.DataFrame) -> str:
    counts = summary_counts(led)
    parts = ", ".join(f"{n} {v}" for v, n in counts.items())
    return f"{len(led)} checks: {parts}."


def checks_for_area(led: pd.DataFrame, data: BookData, area_code: str) -> pd.DataFrame:
    """Checks whose stated figure is about the area or one of its districts, localities or practices."""
    return led[led["area_code"].isin(descendants(data.areas, area_code))]
