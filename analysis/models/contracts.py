"""What a model reads, declared by measure, breakdown and period, never by fact id.

A ``Contract`` lists a model's inputs. Each ``Input`` names a measure, a
breakdown (the printed line or category; a pattern where the label carries a
rate, such as "Growth at 2.3%") and a period, either as printed or by role
("plan year"). A role resolves, for each area, to the periods the area's data
hold for the contract's anchor measure, so a CCG whose plan is for another year
gets the same model. The model runs for any area whose published facts hold
every required input; the book's pages, the "What each section needs" page
and the ``new-area`` template are all read off these declarations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

KEY = ("area_code", "measure_id", "period", "breakdown")


@dataclass(frozen=True)
class Input:
    key: str                    # the model's own name for the input
    measure: str
    breakdown: str = ""         # as printed; a regular expression when ``pattern``
    period: str = ""            # as printed, or the name of one of the contract's roles
    unit: str = ""
    required: bool = True
    result: bool = False        # a printed result the model must reproduce, not an input it reads
    pattern: bool = False
    example: str = ""           # the breakdown a template row shows when ``pattern``

    def matches(self, breakdown: str) -> bool:
        if self.pattern:
            return re.fullmatch(self.breakdown, breakdown) is not None
        return breakdown == self.breakdown

    @property
    def label(self) -> str:
        return self.example or self.breakdown


@dataclass(frozen=True)
class Role:
    """A period by role: the periods the area holds for ``measure`` (and ``breakdown``),
    the latest one (``pick="latest"``), all in order (``"all"``), or all but the first
    (``"after_first"``). ``example`` is the papers' period, shown in templates."""
    measure: str
    breakdown: str = ""
    pick: str = "latest"
    example: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    id: str
    title: str                  # what the model is, for readers
    page: str                   # the spec page and section that show it
    section: str
    inputs: tuple[Input, ...]
    roles: dict[str, Role] = field(default_factory=dict)
    definition: str = ""
    noun: str = ""              # what the model needs, for a sentence: "the CCG's financial plan for a year"

    # --- resolving for one area -------------------------------------------------------------

    def periods(self, facts: pd.DataFrame, area: str, role: str) -> tuple[str, ...]:
        """The periods ``role`` stands for in ``area``'s published facts (empty: none)."""
        r = self.roles[role]
        rows = published(facts)
        rows = rows[(rows["area_code"] == area) & (rows["measure_id"] == r.measure)]
        if r.breakdown:
            rows = rows[rows["breakdown"] == r.breakdown]
        found = sorted(set(rows["period"]), key=_period_order)
        if not found:
            return ()
        if r.pick == "latest":
            return (found[-1],)
        if r.pick == "after_first":
            return tuple(found[1:])
        return tuple(found)

    def _periods_of(self, facts: pd.DataFrame, area: str, item: Input) -> tuple[str, ...]:
        if item.period in self.roles:
            return self.periods(facts, area, item.period)
        return (item.period,)

    def rows(self, facts: pd.DataFrame, area: str, item: Input) -> dict[str, pd.Series]:
        """The published fact for ``item`` in each period it stands for, keyed by period."""
        out = {}
        for period in self._periods_of(facts, area, item):
            row = find(facts, area, item.measure, period, item)
            if row is not None:
                out[period] = row
        return out

    def row(self, facts: pd.DataFrame, area: str, key: str, period: str | None = None) -> pd.Series:
        """The fact for input ``key`` (in ``period``, for an input that spans several)."""
        item = self.input(key)
        found = self.rows(facts, area, item)
        if period is None:
            if len(found) != 1:
                raise KeyError(f"{self.id}: input {key!r} for {area} is not published for exactly one period")
            return next(iter(found.values()))
        if period not in found:
            raise KeyError(f"{self.id}: input {key!r} for {area} is not published for {period}")
        return found[period]

    def value(self, facts: pd.DataFrame, area: str, key: str, period: str | None = None) -> float:
        return float(self.row(facts, area, key, period)["value"])

    def input(self, key: str) -> Input:
        for item in self.inputs:
            if item.key == key:
                return item
        raise KeyError(f"{self.id} declares no input {key!r}")

    def missing(self, facts: pd.DataFrame, area: str) -> list[str]:
        """The required inputs ``area``'s published facts lack, in words (empty: the model runs)."""
        out = []
        for role, r in self.roles.items():
            if not self.periods(facts, area, role):
                out.append(f"{r.measure}{' ' + r.breakdown if r.breakdown else ''} (which sets the {role.replace('_', ' ')})")
        if out:
            return out
        for item in self.inputs:
            if not item.required:
                continue
            periods = self._periods_of(facts, area, item)
            got = self.rows(facts, area, item)
            for period in periods:
                if period not in got:
                    out.append(f"{item.measure} {item.label} {period}".strip())
        return out

    def coverage(self, facts: pd.DataFrame, area: str) -> tuple[int, int]:
        """(required inputs the area's published facts hold in full, required inputs)."""
        required = [i for i in self.inputs if i.required]
        if any(not self.periods(facts, area, role) for role in self.roles):
            held = sum(1 for i in required if i.period not in self.roles and find(facts, area, i.measure, i.period, i))
            return held, len(required)
        held = sum(1 for i in required if len(self.rows(facts, area, i)) == len(self._periods_of(facts, area, i)))
        return held, len(required)

    def holds(self, facts: pd.DataFrame, area: str | None) -> bool:
        return bool(area) and not self.missing(facts, area)

    def areas(self, facts: pd.DataFrame) -> list[str]:
        """Every area whose published facts hold the contract."""
        measures = {i.measure for i in self.inputs if i.required}
        rows = published(facts)
        candidates = sorted(set(rows.loc[rows["measure_id"].isin(measures), "area_code"]))
        return [a for a in candidates if self.holds(facts, a)]


# --- finding facts by key ----------------------------------------------------------------------

_INDEX: dict[int, tuple[pd.DataFrame, dict]] = {}


def published(facts: pd.DataFrame) -> pd.DataFrame:
    cached = _INDEX.get(id(facts))
    if cached is None or cached[0] is not facts:
        _remember(facts)
        cached = _INDEX[id(facts)]
    return cached[1]["published"]


def _remember(facts: pd.DataFrame) -> None:
    # Models resolve hundreds of inputs a page; a scan of the whole table each time is slow.
    if len(_INDEX) >= 8:
        _INDEX.clear()
    pub = facts[(facts["status"] != "not_published") & facts["value"].notna()]
    by_key = pub.groupby(["area_code", "measure_id", "period"], sort=False).indices
    _INDEX[id(facts)] = (facts, {"published": pub, "by_key": by_key})


def find(facts: pd.DataFrame, area: str, measure: str, period: str, item: Input | str = "") -> pd.Series | None:
    """The published fact of ``area``, ``measure`` and ``period`` whose breakdown matches
    ``item`` (an ``Input`` or an exact breakdown); None when there is none. Where several
    sources print it, the first in the facts' order is taken (they agree: validation refuses
    a clash of values under one key)."""
    published(facts)
    index = _INDEX[id(facts)][1]
    positions = index["by_key"].get((area, measure, period))
    if positions is None:
        return None
    pub = index["published"]
    for pos in positions:
        row = pub.iloc[pos]
        ok = item.matches(row["breakdown"]) if isinstance(item, Input) else row["breakdown"] == item
        if ok:
            return row
    return None


def _period_order(period: str) -> tuple:
    """Periods in time order: '2012/13' and '2012-2013' by their first year, then their text.

    >>> sorted(["2014/15", "2012", "2013/14"], key=_period_order)
    ['2012', '2013/14', '2014/15']
    """
    m = re.match(r"(\d{4})", str(period))
    return (int(m.group(1)) if m else 9999, str(period))
