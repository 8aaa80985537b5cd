"""Trajectory rules as data: each row of ``data/trajectory_rules.csv`` states the
rule behind one printed path, and the path's values are found in the facts by key.

A rule names its baseline by key (source, area, measure, period, breakdown) and
the breakdown of the printed values it fixes; its path is every fact of the
baseline's table with that breakdown and a one-year period after the
baseline's. Each value becomes one row here (and one check in the ledger,
analysis.models.checks), its years counted from the rule's origin year, so an
area's trajectories need a rule row beside its facts and nothing else.
``data/trajectory_causes.csv`` holds what is said of one value alone: the
reading of its departure from the rule, and a note that replaces the rule's.
"""
from __future__ import annotations

import re

import pandas as pd

from analysis.data.provenance import PAPER_RE, squash
from analysis.data.vocabulary import KEY, ONE_YEAR_RE, TRAJECTORY_CAUSE_COLUMNS, Problem

RULES_FILE = "trajectory_rules.csv"
CAUSES_FILE = "trajectory_causes.csv"
PERIOD_SLOT = "{period}"
YEARS_SLOT = "{years}"
VALUE_COLUMNS = ["rule", "check_id", "stated", "base", "source_id", "area_code", "measure_id", "period", "breakdown",
                 "table", "kind", "rate", "step", "years", "rounding", "note", "cause"]


def start_year(period: str) -> int:
    """
    >>> start_year("2014/15"), start_year("2012")
    (2014, 2012)
    """
    return int(period[:4])


def check_id(template: str, period: str) -> str:
    """A value's check id: ``{period}`` written as in fact ids.

    >>> check_id("s001b.we.d1-traj-{period}", "2014/15")
    's001b.we.d1-traj-2014-15'
    """
    return template.replace(PERIOD_SLOT, period.replace("/", "-"))


def _number(text: str) -> float:
    return float(pd.to_numeric(text, errors="coerce")) if str(text).strip() else float("nan")


class _Index:
    """The facts of the rules' measures as records, grouped by (source, area, measure): a
    rule reads only its own group, so finding every rule's values is linear in the facts,
    not their product with the rules (pandas filters cost a millisecond each, too much
    for thousands of rules)."""

    def __init__(self, facts: pd.DataFrame, measures: set[str]):
        f = facts[facts["measure_id"].isin(measures)]
        self.groups: dict[tuple, list] = {}
        for v in f.itertuples(index=False):
            self.groups.setdefault((v.source_id, v.area_code, v.measure_id), []).append(v)

    def of(self, rule) -> list:
        return self.groups.get((rule.source_id, rule.area_code, rule.measure_id), [])

    def baseline(self, rule) -> list:
        return [v for v in self.of(rule) if v.period == rule.baseline_period and v.breakdown == rule.baseline_breakdown]

    def path(self, rule, base) -> list:
        """The printed values the rule fixes, in period order."""
        after = start_year(base.period)
        path = [v for v in self.of(rule) if v.table == base.table and v.breakdown == rule.path_breakdown
                and re.match(ONE_YEAR_RE, v.period) and start_year(v.period) > after]
        return sorted(path, key=lambda v: v.period)


def path_values(rules: pd.DataFrame, causes: pd.DataFrame, facts: pd.DataFrame, index: _Index | None = None) -> pd.DataFrame:
    """One row per printed value a rule fixes: its check id, the stated and base
    facts, the rule as it applies to that value (a total change fixes only its end
    period's value: the others get kind "unstated"), the years counted, its note and
    any reading of its departure. ``rule`` is the rule's row in its file."""
    if rules.empty or rules.attrs.get("unusable"):
        return pd.DataFrame(columns=VALUE_COLUMNS)
    index = index or _Index(facts, set(rules["measure_id"]))
    said = {tuple(k): (c, n) for *k, c, n in causes[TRAJECTORY_CAUSE_COLUMNS].itertuples(index=False)}
    rows = []
    for row, rule in zip(rules.index, rules.itertuples(index=False)):
        base = index.baseline(rule)
        if len(base) != 1 or not re.match(ONE_YEAR_RE, rule.baseline_period):
            continue  # validation reports it
        base = base[0]
        origin = int(rule.origin_year) if re.fullmatch(r"\d{4}", rule.origin_year) else None
        for v in index.path(rule, base):
            fixed = rule.kind != "total_change" or v.period == rule.end_period
            kind = rule.kind if fixed else "unstated"
            years = float(start_year(v.period) - origin) if origin is not None else float("nan")
            cause, note = said.get((v.source_id, v.area_code, v.measure_id, v.period, v.breakdown), ("", ""))
            rows.append({
                "rule": row, "check_id": check_id(rule.check_id, v.period), "stated": v.fact_id, "base": base.fact_id,
                "source_id": v.source_id, "area_code": v.area_code, "measure_id": v.measure_id, "period": v.period,
                "breakdown": v.breakdown, "table": v.table, "kind": kind,
                "rate": _number(rule.rate) if kind in ("compound", "total_change") else float("nan"),
                "step": _number(rule.step) if kind == "linear" else float("nan"),
                "years": years, "rounding": rule.rounding if fixed else "",
                "note": note or rule.note.replace(PERIOD_SLOT, v.period).replace(YEARS_SLOT, f"{years:g}"),
                "cause": cause,
            })
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def rule_problems(rules: pd.DataFrame, causes: pd.DataFrame, facts: pd.DataFrame, labels: tuple[str, str],
                  written_checks: set[str], texts: dict[str, list[str]], values: pd.DataFrame | None = None) -> list[Problem]:
    """What a rule's schema cannot see: its baseline and printed values in the facts,
    the checks it gives, the paper's words on its lines, and causes that name a value
    no rule fixes."""
    rules_label, causes_label = labels
    if rules.attrs.get("unusable"):
        return []
    index = _Index(facts, set(rules["measure_id"]))
    if values is None:  # the caller's path_values, where it has them
        values = path_values(rules, causes, facts, index)
    by_rule: dict[int, list[tuple[str, str]]] = {}
    for r, cid, period in zip(values["rule"], values["check_id"], values["period"]):
        by_rule.setdefault(r, []).append((cid, period))
    problems = []
    seen: dict[str, int] = {}
    for row, rule in zip(rules.index, rules.itertuples(index=False)):
        def problem(column, name, message):
            problems.append(Problem(rules_label, int(row), column, name, message))
        mine = by_rule.get(row, [])
        if not index.baseline(rule):
            problem("baseline_period", "trajectory_baseline",
                    f"{rule.baseline_period!r}: no fact has the baseline's key (source {rule.source_id}, area {rule.area_code}, "
                    f"measure {rule.measure_id}, period {rule.baseline_period}, breakdown {rule.baseline_breakdown!r})")
        elif not mine:
            problem("path_breakdown", "trajectory_path",
                    f"{rule.path_breakdown!r}: no printed value of the measure with this breakdown follows the baseline in its table")
        if PERIOD_SLOT not in rule.check_id and len(mine) > 1:
            problem("check_id", "trajectory_check_id",
                    f"{rule.check_id!r}: {len(mine)} values would share this check id; put {PERIOD_SLOT} in it")
        for cid, _ in mine:
            if cid in written_checks or seen.get(cid, row) != row:
                where = "data/checks.csv" if cid in written_checks else f"the rule on row {seen[cid]}"
                problem("check_id", "unique", f"{cid!r}: the check id is already used by {where}")
            seen.setdefault(cid, row)
        if rule.kind == "total_change" and rule.end_period and mine and rule.end_period not in {p for _, p in mine}:
            problem("end_period", "trajectory_end", f"{rule.end_period!r}: no printed value of the path has this period")
        lines = texts.get(rule.rule_source_id)
        span = re.fullmatch(r"(\d+)(?:-(\d+))?", rule.rule_lines)
        if lines is None or not span:
            continue  # the schema or the provenance checks report it
        a, b = int(span.group(1)), int(span.group(2) or span.group(1))
        if not 1 <= a <= b <= len(lines):
            problem("rule_lines", "lines_exist", f"{rule.rule_lines!r}: source {rule.rule_source_id} has {len(lines)} lines")
        elif re.match(PAPER_RE, rule.rule_source_id) and squash(rule.rule_words) not in squash(" ".join(lines[a - 1:b])):
            # As for printed figures, a paper's words are looked for on the cited lines.
            problem("rule_words", "trajectory_words",
                    f"{rule.rule_words!r}: not on {'lines' if b > a else 'line'} {rule.rule_lines} of source {rule.rule_source_id}")
    fixed = set(map(tuple, values[KEY].itertuples(index=False)))
    for row, key in zip(causes.index, causes[KEY].itertuples(index=False)):
        if tuple(key) not in fixed:
            problems.append(Problem(causes_label, int(row), "period", "cause_known",
                                    f"{key.period!r}: no rule in data/{RULES_FILE} fixes a printed value with this key"))
    return problems
