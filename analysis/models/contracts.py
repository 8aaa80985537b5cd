"""What a model reads, declared by measure, breakdown and period, never by fact id.

A ``Contract`` lists a model's inputs. Each ``Input`` names a measure, a
breakdown (the printed line or category; a pattern where the label carries a
rate, such as "Growth at 2.3%"), a period, either as printed or by role
("plan year"), and the area it is about: the model's own (the default), any
area below it in data/areas.csv (its districts, localities, practices and
providers), or one named area (England, Greater Essex) the model sets beside
it. A role resolves, for each area, to the periods the area's data hold for the
contract's anchor measure, so a CCG whose plan is for another year gets the
same model; a role with no anchor stands for the periods each input is printed
for. The model runs for any area whose published facts hold every required
input and at least one input of each ``one_of`` group (a section that shows
whichever of several figures an area holds); the book's pages, the "What each
section needs" page and the ``new-area`` template are all read off these
declarations.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.data.memo import IdentityMemo
from analysis.data.slices import descendants

KEY = ("area_code", "measure_id", "period", "breakdown")
BELOW = "below"  # Input.area: any area below the model's area in the registry


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
    area: str = ""              # "": the model's area; BELOW: any area below it; else that area's code

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
    (``"after_first"``). With no ``measure`` the role resolves for each input on its own:
    the periods the area holds for that input's measure and breakdown. ``example`` is
    the papers' period, shown in templates."""
    measure: str
    breakdown: str = ""
    pick: str = "latest"
    example: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    """A model's inputs, resolved for one area at a time.

    >>> facts = pd.DataFrame({"area_code": ["C", "P1", "P2"], "measure_id": ["pop", "list", "list"],
    ...                       "period": ["2013", "2012/13", "2012/13"], "breakdown": "", "value": [30.0, 10.0, 20.0],
    ...                       "status": "published"})
    >>> registry = pd.DataFrame({"area_code": ["C", "P1", "P2", "D"], "parent_code": ["", "C", "C", ""]})
    >>> lists = Contract("lists", "Practice lists", "page", "section", (
    ...     Input("pop", "pop", period="2013"),
    ...     Input("lists", "list", period="printed", area=BELOW, required=False),
    ...     Input("rate", "rate", period="printed", required=False)),
    ...     roles={"printed": Role("", pick="all")}, one_of=(("lists", "rate"),))
    >>> lists.holds(facts, "C", registry), lists.missing(facts, "D", registry)
    (True, ['pop 2013', 'one of: list (an area below); rate'])
    >>> lists.row(facts, "C", "lists", areas=registry)["area_code"], lists.coverage(facts, "D", registry)
    ('P1', (0, 2))
    """
    id: str
    title: str                  # what the model is, for readers
    page: str                   # the spec page and section that show it
    section: str
    inputs: tuple[Input, ...]
    roles: dict[str, Role] = field(default_factory=dict)
    definition: str = ""
    noun: str = ""              # what the model needs, for a sentence: "the CCG's financial plan for a year"
    one_of: tuple[tuple[str, ...], ...] = ()  # groups of optional input keys: the area must hold one of each

    def __post_init__(self):
        keys = [i.key for i in self.inputs]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"{self.id}: input keys declared twice: {twice}")
        for group in self.one_of:
            for key in group:
                if self.input(key).required:
                    raise ValueError(f"{self.id}: input {key!r} of a one_of group must be declared required=False")
        unknown = sorted({i.period for i in self.inputs if i.period and not re.match(r"\d{4}", i.period)} - set(self.roles))
        if unknown:
            raise ValueError(f"{self.id}: inputs name periods that are neither printed nor a role: {unknown}")

    # --- resolving for one area -------------------------------------------------------------

    def periods(self, facts: pd.DataFrame, area: str, role: str) -> tuple[str, ...]:
        """The periods ``role`` stands for in ``area``'s published facts (empty: none)."""
        r = self.roles[role]
        if not r.measure:
            raise ValueError(f"{self.id}: role {role!r} resolves for each input; ask for the input's rows")
        found = {p for p, b in _keys(facts, area, r.measure) if not r.breakdown or b == r.breakdown}
        return _pick(sorted(found, key=_period_order), r.pick)

    def _anchored(self) -> list[str]:
        return [name for name, r in self.roles.items() if r.measure]

    def _periods_of(self, facts: pd.DataFrame, area: str, item: Input, areas: pd.DataFrame | None = None) -> tuple[str, ...]:
        if item.period in self.roles:
            r = self.roles[item.period]
            if not r.measure:
                found = {p for code in self._codes(area, item, areas) for p, b in _keys(facts, code, item.measure)
                         if item.matches(b)}
                return _pick(sorted(found, key=_period_order), r.pick)
            return self.periods(facts, area, item.period)
        return (item.period,)

    def _codes(self, area: str, item: Input, areas: pd.DataFrame | None) -> list[str]:
        """The areas ``item`` may be printed for, for a model of ``area``."""
        if not item.area:
            return [area]
        if item.area == BELOW:
            if areas is None:
                raise ValueError(f"{self.id}: input {item.key!r} is about the areas below {area}: "
                                 "pass the registry (areas=)")
            return below(areas, area)
        return [item.area]

    def rows(self, facts: pd.DataFrame, area: str, item: Input, areas: pd.DataFrame | None = None) -> dict[str, pd.Series]:
        """The published fact for ``item`` in each period it stands for, keyed by period (for an
        input about the areas below ``area``, the first of them that has one)."""
        return {period: _row_at(facts, pos) for period, pos in self._found(facts, area, item, areas).items()}

    def _found(self, facts: pd.DataFrame, area: str, item: Input, areas: pd.DataFrame | None,
               periods: tuple[str, ...] | None = None) -> dict[str, int]:
        """What :meth:`rows` finds, as positions among the published facts: enough to know an
        input is held, without building its rows. ``periods``: the input's, when known."""
        codes = self._codes(area, item, areas)
        out = {}
        for period in self._periods_of(facts, area, item, areas) if periods is None else periods:
            for code in codes:
                pos = _position(facts, code, item.measure, period, item)
                if pos is not None:
                    out[period] = pos
                    break
        return out

    def row(self, facts: pd.DataFrame, area: str, key: str, period: str | None = None,
            areas: pd.DataFrame | None = None) -> pd.Series:
        """The fact for input ``key`` (in ``period``, for an input that spans several)."""
        item = self.input(key)
        found = self.rows(facts, area, item, areas)
        if period is None:
            if len(found) != 1:
                raise KeyError(f"{self.id}: input {key!r} for {area} is not published for exactly one period")
            return next(iter(found.values()))
        if period not in found:
            raise KeyError(f"{self.id}: input {key!r} for {area} is not published for {period}")
        return found[period]

    def value(self, facts: pd.DataFrame, area: str, key: str, period: str | None = None,
              areas: pd.DataFrame | None = None) -> float:
        return float(self.row(facts, area, key, period, areas)["value"])

    def input(self, key: str) -> Input:
        for item in self.inputs:
            if item.key == key:
                return item
        raise KeyError(f"{self.id} declares no input {key!r}")

    def _held(self, facts: pd.DataFrame, area: str, item: Input, areas: pd.DataFrame | None) -> bool:
        """The area's published facts hold ``item`` in every period it stands for (and in one at least)."""
        periods = self._periods_of(facts, area, item, areas)
        if not periods and self._own(item):
            return False
        return len(self._found(facts, area, item, areas, periods)) == len(periods)

    def _own(self, item: Input) -> bool:
        """The input's period is a role that resolves for the input on its own."""
        return item.period in self.roles and not self.roles[item.period].measure

    def _label(self, item: Input) -> str:
        where = {"": "", BELOW: " (an area below)"}.get(item.area, f" ({item.area})")
        return " ".join(t for t in (item.measure, item.label) if t) + where

    def missing(self, facts: pd.DataFrame, area: str, areas: pd.DataFrame | None = None) -> list[str]:
        """The required inputs ``area``'s published facts lack, in words (empty: the model runs).
        ``areas`` (the registry) is needed by a contract with inputs about the areas below."""
        out = []
        for role in self._anchored():
            r = self.roles[role]
            if not self.periods(facts, area, role):
                out.append(f"{r.measure}{' ' + r.breakdown if r.breakdown else ''} (which sets the {role.replace('_', ' ')})")
        if out:
            return out
        for item in self.inputs:
            if not item.required:
                continue
            periods = self._periods_of(facts, area, item, areas)
            if not periods and self._own(item):
                out.append(f"{self._label(item)} (in any period)")
                continue
            got = self._found(facts, area, item, areas, periods)
            for period in periods:
                if period not in got:
                    out.append(" ".join(t for t in (item.measure, item.label, period) if t))
        for group in self.one_of:
            if not any(self._held(facts, area, self.input(k), areas) for k in group):
                out.append("one of: " + "; ".join(self._label(self.input(k)) for k in group))
        return out

    def coverage(self, facts: pd.DataFrame, area: str, areas: pd.DataFrame | None = None) -> tuple[int, int]:
        """(required inputs the area's published facts hold in full, required inputs); a
        ``one_of`` group counts as one, held when one of its inputs is."""
        required = [i for i in self.inputs if i.required]
        groups = sum(any(self._held(facts, area, self.input(k), areas) for k in g) for g in self.one_of)
        if any(not self.periods(facts, area, role) for role in self._anchored()):
            held = sum(1 for i in required if i.period not in self._anchored() and self._held(facts, area, i, areas))
            return held + groups, len(required) + len(self.one_of)
        held = sum(1 for i in required if self._held(facts, area, i, areas))
        return held + groups, len(required) + len(self.one_of)

    def holds(self, facts: pd.DataFrame, area: str | None, areas: pd.DataFrame | None = None) -> bool:
        return bool(area) and not self.missing(facts, area, areas)

    def areas(self, facts: pd.DataFrame, areas: pd.DataFrame | None = None) -> list[str]:
        """Every area whose published facts hold the contract: of the registry's areas when
        ``areas`` is given, else of those with a figure of a measure it needs of the area itself."""
        if areas is not None:
            if not self._anchored() and all(i.area not in ("", BELOW) for i in self.inputs):
                # Only named areas' figures: every area holds it or none does.
                codes = list(areas["area_code"])
                return codes if codes and self.holds(facts, codes[0], areas) else []
            return [a for a in self._candidates(facts, areas) if self.holds(facts, a, areas)]
        grouped = {k for g in self.one_of for k in g}
        measures = {i.measure for i in self.inputs if (i.required or i.key in grouped) and not i.area}
        rows = published(facts)
        candidates = sorted(set(rows.loc[rows["measure_id"].isin(measures), "area_code"]))
        return [a for a in candidates if self.holds(facts, a)]

    def _candidates(self, facts: pd.DataFrame, areas: pd.DataFrame) -> list[str]:
        """The registry's areas with a figure of one of the contract's own measures, in the area or
        below it (every area when the contract reads only named areas' figures)."""
        measures = {i.measure for i in self.inputs if i.area in ("", BELOW)}
        codes = list(areas["area_code"])
        if not measures:
            return codes
        rows = published(facts)
        having = set(rows.loc[rows["measure_id"].isin(measures), "area_code"])
        return [a for a in codes if a in having or having.intersection(below(areas, a))]


def _pick(found: list[str], pick: str) -> tuple[str, ...]:
    if not found:
        return ()
    if pick == "latest":
        return (found[-1],)
    if pick == "after_first":
        return tuple(found[1:])
    return tuple(found)


_BELOW = IdentityMemo()  # each registry's areas below each area


def below(areas: pd.DataFrame, area: str) -> list[str]:
    """The areas below ``area`` in the registry, level by level (not the area itself).

    >>> reg = pd.DataFrame({"area_code": ["C", "L", "P1", "P2"], "parent_code": ["", "C", "L", "L"]})
    >>> below(reg, "C"), below(reg, "P1")
    (['L', 'P1', 'P2'], [])
    """
    cached = _BELOW.get(lambda a: {}, areas)
    if area not in cached:
        cached[area] = descendants(areas, area)[1:]
    return cached[area]


# --- finding facts by key ----------------------------------------------------------------------

_INDEX = IdentityMemo()


def _index(facts: pd.DataFrame) -> dict:
    # Models resolve hundreds of inputs a page; a scan of the whole table each time is slow.
    return _INDEX.get(_make_index, facts)


def _make_index(facts: pd.DataFrame) -> dict:
    pub = facts[(facts["status"] != "not_published") & facts["value"].notna()]
    return {"published": pub, "by_key": pub.groupby(["area_code", "measure_id", "period"], sort=False).indices,
            "by_measure": pub.groupby(["area_code", "measure_id"], sort=False).indices}


def published(facts: pd.DataFrame) -> pd.DataFrame:
    return _index(facts)["published"]


def _period_breakdowns(index: dict) -> list[tuple[str, str]]:
    """(period, breakdown) of each published fact, in order: made when first asked."""
    if "keys" not in index:
        pub = index["published"]
        index["keys"] = list(zip(pub["period"], pub["breakdown"]))
    return index["keys"]


def _keys(facts: pd.DataFrame, area: str, measure: str) -> list[tuple[str, str]]:
    """(period, breakdown) of each published fact of ``area`` and ``measure``."""
    index = _index(facts)
    positions = index["by_measure"].get((area, measure))
    if positions is None:
        return []
    keys = _period_breakdowns(index)
    return [keys[i] for i in positions]


def _of(facts: pd.DataFrame, area: str, measure: str) -> pd.DataFrame:
    """The published facts of ``area`` and ``measure``, in the facts' order."""
    pub = published(facts)
    positions = _index(facts)["by_measure"].get((area, measure))
    return pub.iloc[positions] if positions is not None else pub.iloc[0:0]


def find(facts: pd.DataFrame, area: str, measure: str, period: str, item: Input | str = "") -> pd.Series | None:
    """The published fact of ``area``, ``measure`` and ``period`` whose breakdown matches
    ``item`` (an ``Input`` or an exact breakdown); None when there is none. Where several
    sources print it, the first in the facts' order is taken (they agree: validation refuses
    a clash of values under one key)."""
    pos = _position(facts, area, measure, period, item)
    return None if pos is None else _row_at(facts, pos)


def _row_at(facts: pd.DataFrame, pos: int) -> pd.Series:
    """The published fact at ``pos``: a row as a Series is costly to build, so each is built once."""
    rows = _index(facts).setdefault("rows", {})
    if pos not in rows:
        rows[pos] = published(facts).iloc[pos]
    return rows[pos]


def _position(facts: pd.DataFrame, area: str, measure: str, period: str, item: Input | str = "") -> int | None:
    """Where :func:`find`'s fact sits among the published facts: enough to know it is held."""
    index = _index(facts)
    positions = index["by_key"].get((area, measure, period))
    if positions is None:
        return None
    keys = _period_breakdowns(index)
    for pos in positions:
        breakdown = keys[pos][1]
        if item.matches(breakdown) if isinstance(item, Input) else breakdown == item:
            return pos
    return None


def _period_order(period: str) -> tuple:
    """Periods in time order: '2012/13' and '2012-2013' by their first year, then their text.

    >>> sorted(["2014/15", "2012", "2013/14"], key=_period_order)
    ['2012', '2013/14', '2014/15']
    """
    m = re.match(r"(\d{4})", str(period))
    return (int(m.group(1)) if m else 9999, str(period))
