"""The slice of the book's data each page reads, and the hash of each slice."""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.keys import data_fingerprint
from analysis.data.memo import IdentityMemo
from analysis.data.vocabulary import FACT_COLUMNS, STATISTIC_COLUMNS, BookData

# --- the slice of the data a page reads ------------------------------------------------------
#
# A section page (one area's overview, demographics, finance, outcomes) reads
# the facts about its area and everything below it, about areas in no section
# (England, the county, districts, providers), and every row of a table that
# prints its area beside others, and every area's figures for the measures
# compared across CCGs (allocation, QIPP); never the rest of another section's
# facts. It also knows which measures some CCG has (for "not published" lists).
# The page makes exactly that slice for itself (analysis.pages.pagedata), so the
# slice is all it can depend on: its hash is the data part of its render key,
# and a change to one area's own facts re-renders that area's pages only.

_TREES = IdentityMemo()


def _tree(areas: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Each area's children, and each area's place in the registry: made once per registry
    table, as a page asks many times."""
    return _TREES.get(_make_tree, areas)


def _make_tree(areas: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, int]]:
    children: dict[str, list[str]] = {}
    for code, parent in zip(areas["area_code"], areas["parent_code"]):
        children.setdefault(parent, []).append(code)
    return children, {code: i for i, code in enumerate(areas["area_code"])}


def _below(tree: tuple[dict[str, list[str]], dict[str, int]], area_code: str) -> list[str]:
    children, place = tree
    family, frontier = [area_code], [area_code]
    seen = {area_code}
    while frontier:
        frontier = sorted({c for p in frontier for c in children.get(p, ()) if c not in seen}, key=place.get)
        seen.update(frontier)
        family += frontier
    return family


def descendants(areas: pd.DataFrame, area_code: str) -> list[str]:
    """The area and everything below it in the registry, level by level in registry order.

    >>> a = pd.DataFrame({"area_code": ["E", "C1", "P1", "C2", "D"], "parent_code": ["", "E", "C1", "E", "E"]})
    >>> descendants(a, "E"), descendants(a, "C1")
    (['E', 'C1', 'C2', 'D', 'P1'], ['C1', 'P1'])
    """
    return _below(_tree(areas), area_code)


def families(areas: pd.DataFrame) -> dict[str, set[str]]:
    """Each section area and everything below it.

    >>> a = pd.DataFrame({"area_code": ["E", "C1", "P1", "C2", "D"], "parent_code": ["", "E", "C1", "E", "E"],
    ...                   "section": ["", "ccg", "", "ccg", ""]})
    >>> {k: sorted(v) for k, v in families(a).items()}
    {'C1': ['C1', 'P1'], 'C2': ['C2']}
    """
    tree = _tree(areas)  # one walk of the registry for every root
    return {root: set(_below(tree, root)) for root in areas.loc[areas["section"] != "", "area_code"]}


# Compared across all CCGs on each CCG's overview (the allocation chart).
COMPARED_MEASURES = ("ccg_allocation", "population_ons_projection", "allocation_per_head", "qipp_savings",
                     "qipp_pct_allocation")

_EXAMPLE_AREAS = pd.DataFrame({"area_code": ["E", "C1", "P1", "C2", "D"], "parent_code": ["", "E", "C1", "E", "E"],
                               "section": ["", "ccg", "", "ccg", ""]})
_EXAMPLE_FACTS = pd.DataFrame({"area_code": ["E", "C1", "C2", "C2", "C2"], "source_id": ["s"] * 5,
                               "table": ["t1", "t2", "t2", "t3", "t4"], "measure_id": ["m", "m", "m", "m", "qipp_savings"]})


Scope = str | tuple[str, ...]  # a section's area, or the boards a county page compares


class Slicer:
    """Which facts and areas are in each page's slice, computed for many pages at once.

    A section page's scope is its area. A county page's scope is a tuple of boards: it
    reads the areas below them, their passages and the areas in no section, and nothing
    of a section outside them (not even the measures every CCG's overview compares)."""

    def __init__(self, facts: pd.DataFrame, areas: pd.DataFrame):
        self.tree = _tree(areas)
        self.all_areas = set(areas["area_code"])
        self.families = families(areas)
        owner = {a: root for root, fam in self.families.items() for a in fam}
        # Integer codes: np.isin on strings is slow enough to matter for hundreds of pages.
        self.area, self.area_codes = pd.factorize(facts["area_code"])
        self.shared = facts["area_code"].map(owner).isna().to_numpy()
        self.passage = (facts["source_id"].astype(str) + "\x1f" + facts["table"].astype(str)).factorize()[0]
        self.compared = facts["measure_id"].isin(COMPARED_MEASURES).to_numpy()

    def _own(self, scope: Scope) -> set[str]:
        if isinstance(scope, str):
            return self.families.get(scope, {scope})
        return set().union(*(_below(self.tree, b) for b in scope))

    def areas(self, scope: Scope) -> set[str]:
        """The areas whose facts a page for ``scope`` may read: all but other sections' own.

        >>> s = Slicer(_EXAMPLE_FACTS, _EXAMPLE_AREAS)
        >>> sorted(s.areas("C1")), sorted(s.areas("C2")), sorted(s.areas(("C1",)))
        (['C1', 'D', 'E', 'P1'], ['C2', 'D', 'E'], ['C1', 'D', 'E', 'P1'])
        """
        own = self._own(scope)
        others = set().union(*(f for root, f in self.families.items() if root not in own)) - own
        return self.all_areas - others

    def mask(self, scope: Scope) -> np.ndarray:
        """Which facts are in the slice.

        >>> s = Slicer(_EXAMPLE_FACTS, _EXAMPLE_AREAS)
        >>> s.mask("C1").tolist(), s.mask(("C1",)).tolist()
        ([True, True, True, False, True], [True, True, True, False, False])
        """
        family = self.area_codes.get_indexer(list(self._own(scope)))
        own = np.isin(self.area, family[family >= 0])
        mask = self.shared | own | np.isin(self.passage, np.unique(self.passage[own]))
        return mask | self.compared if isinstance(scope, str) else mask


def peer_measures(data: BookData) -> dict[str, tuple[str, ...]]:
    """Measures with a fact (of any status) for some CCG, each with the sources that hold one."""
    ccgs = data.areas.loc[data.areas["type"] == "ccg", "area_code"]
    f = data.facts.loc[data.facts["area_code"].isin(ccgs), ["measure_id", "source_id"]].drop_duplicates()
    return {m: tuple(sorted(g["source_id"])) for m, g in f.groupby("measure_id", sort=True)}


_MEMO = IdentityMemo(limit=4)


def _memo(data: BookData) -> dict:
    """What every slice of one data set shares (its slicer, the peer measures), made once:
    a warm kernel renders many pages of the same data, and each would rebuild them."""
    return _MEMO.get(lambda facts, areas: {}, data.facts, data.areas)


def _slicer(data: BookData) -> Slicer:
    memo = _memo(data)
    if "slicer" not in memo:
        memo["slicer"] = Slicer(data.facts, data.areas)
    return memo["slicer"]


def _peers(data: BookData) -> dict[str, tuple[str, ...]]:
    memo = _memo(data)
    if "peers" not in memo:
        memo["peers"] = peer_measures(data)
    return memo["peers"]


def scoped(data: BookData, area_code: Scope | None) -> BookData:
    """The data as a page for ``area_code`` (an area, or a county page's boards) sees it (all of it when None)."""
    if area_code is None:
        return data
    if not isinstance(area_code, str):
        area_code = tuple(area_code)
    slicer = _slicer(data)
    facts = data.facts[slicer.mask(area_code)].reset_index(drop=True)
    keep = slicer.areas(area_code) | set(facts["area_code"])
    return BookData(facts=facts, areas=data.areas[data.areas["area_code"].isin(keep)].reset_index(drop=True),
                    measures=data.measures, units=data.units, sources=data.sources, data_dir=data.data_dir,
                    peer_measures=_peers(data), commentary=tuple(c for c in data.commentary if c.area_code in keep),
                    trajectory_rules=data.trajectory_rules, trajectory_causes=data.trajectory_causes,
                    aims=data.aims, statistics=_statistics_of(data.statistics, facts))


def _statistics_of(statistics: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The statistics printed beside the slice's facts."""
    if statistics.empty:
        return statistics
    key = ["source_id", "area_code", "measure_id", "period", "breakdown"]
    held = pd.MultiIndex.from_frame(facts[key].drop_duplicates())
    return statistics[pd.MultiIndex.from_frame(statistics[key]).isin(held)].reset_index(drop=True)


# The tables every page reads. printed_allowances.csv and the source texts only affect
# validation, so they are in keys.data_fingerprint (the whole data's key) and not here.
SHARED_FILES = ("areas.csv", "measures.csv", "units.csv", "sources.csv", "checks.csv", "trajectory_rules.csv",
                "trajectory_causes.csv", "aims.csv")


def slice_keys(data: BookData, area_codes: list[Scope | None]) -> dict[Scope | None, str]:
    """A hash of each page slice (None: the whole data): the slice's facts, row by
    row as read from the files, and the shared tables every page reads."""
    shared = hashlib.sha256(Path(__file__).read_bytes())
    for name in SHARED_FILES:
        path = data.data_dir / name
        shared.update(name.encode() + (path.read_bytes() if path.exists() else b""))
    # pandas' row hashes (64-bit, vectorised), then SHA-256 over each slice's rows.
    cols = FACT_COLUMNS[:8] + ["value_text"] + FACT_COLUMNS[9:]
    digests = pd.util.hash_pandas_object(data.facts[cols].astype(str), index=False).to_numpy()
    whole = data_fingerprint(data.data_dir)
    shared.update(repr(sorted(_peers(data).items())).encode())
    slicer = _slicer(data)
    # A statistic is in a slice when a fact of its key is (as _statistics_of selects them): keys as
    # integers shared by both tables, and the statistics' row hashes made once, not once a slice.
    key = ["source_id", "area_code", "measure_id", "period", "breakdown"]
    both = pd.concat([data.facts[key], data.statistics[key]], ignore_index=True)
    codes_of = pd.MultiIndex.from_frame(both.astype(str)).factorize()[0] if len(both) else np.zeros(0, dtype=int)
    fact_key, stat_key = codes_of[:len(data.facts)], codes_of[len(data.facts):]
    stat_digests = pd.util.hash_pandas_object(data.statistics[STATISTIC_COLUMNS].astype(str), index=False).to_numpy()
    out = {}
    for code in area_codes:
        h = shared.copy()
        if code is None:
            h.update(whole.encode())  # the commentary files are in it
        else:
            mask = slicer.mask(code)
            h.update(digests[mask].tobytes())
            if len(stat_key):
                h.update(stat_digests[np.isin(stat_key, fact_key[mask])].tobytes())
            keep = slicer.areas(code)
            h.update(repr([c for c in data.commentary if c.area_code in keep]).encode())
        out[code] = h.hexdigest()
    return out
