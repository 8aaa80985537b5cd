"""What one page may read, passed to every page function explicitly.

A ``PageData`` holds the page's area, its slice of the book's data (see
analysis.data.slices) and, for pages with models, the scenario's
assumptions. It indexes the facts by id and by (area, measure, period,
breakdown), and memoises what the page's functions compute once per page,
so nothing is kept in module globals between pages.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from analysis import DATA_DIR
from analysis.data import BookData, load, scoped
from analysis.models import contracts

KEY_COLUMNS = ("area_code", "measure_id", "period", "breakdown")


@dataclass(frozen=True, eq=False)
class PageData:
    area: str | None
    data: BookData
    scenario: Any = None
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per page and key."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def facts(self) -> pd.DataFrame:
        return self.data.facts

    @cached_property
    def _by_id(self) -> dict[str, list[int]]:
        return self.data.facts.groupby("fact_id", sort=False).indices

    @cached_property
    def _by_key(self) -> dict[tuple, list[int]]:
        return self.data.facts.groupby(list(KEY_COLUMNS), sort=False).indices

    def fact(self, fact_id: str) -> pd.Series:
        """One fact by id; a fact outside the page's slice is an error, never a silent gap."""
        positions = self._by_id.get(fact_id, [])
        if len(positions) != 1:
            raise KeyError(f"fact {fact_id!r} is not in this page's data exactly once")
        return self.data.facts.iloc[positions[0]]

    def has(self, fact_id: str) -> bool:
        return len(self._by_id.get(fact_id, [])) == 1

    def rows(self, area: str, measure: str, period: str, breakdown: str = "") -> pd.DataFrame:
        """The facts with this (area, measure, period, breakdown), from every source that prints them."""
        return self.data.facts.iloc[list(self._by_key.get((area, measure, period, breakdown), []))]

    @cached_property
    def root(self) -> str:
        """The relative path from the page to the book folder: a CCG's pages sit two folders down."""
        types = dict(zip(self.data.areas["area_code"], self.data.areas["type"]))
        return "../../" if types.get(self.area) == "ccg" else "../"

    def lookup(self, measure: str, period: str, breakdown: str = "", area: str | None = None) -> pd.Series:
        """The published fact of ``area`` (default: the page's), ``measure``, ``period`` and
        ``breakdown``: how pages read a figure, by what it is, never by its id. Absent is an
        error naming the key (blocks run only where their inputs are held)."""
        row = contracts.find(self.data.facts, area or self.area, measure, period, breakdown)
        if row is None:
            raise KeyError(f"no published {measure} for {area or self.area}, {period}, {breakdown!r} in this page's data")
        return row

    def lookup_or_none(self, measure: str, period: str, breakdown: str = "", area: str | None = None) -> pd.Series | None:
        return contracts.find(self.data.facts, area or self.area, measure, period, breakdown)

    @cached_property
    def published(self) -> PageData:
        """The same page without its not-published rows (placeholders and blank cells): for
        functions that read figures, where such a row must count as absent, never as a number."""
        f = self.data.facts
        data = dataclasses.replace(self.data, facts=f[f["status"] != "not_published"].reset_index(drop=True),
                                   commentary=(), aims=self.data.aims.iloc[0:0])
        return PageData(self.area, data, self.scenario)


def page_data(area_code: str | None, scope: str | None = None, scenario: Any = None,
              data_dir: Path = DATA_DIR) -> PageData:
    """The page's data: the validated book data, sliced to ``scope`` (a section page's area, or
    "county": the county pages' boards, from the spec) or whole (None, for pages that compare
    every area)."""
    if scope == "county":
        from analysis.pages.spec import load_spec
        scope = load_spec().county.scope
    return PageData(area_code or None, scoped(load(Path(data_dir)), scope), scenario)


def for_data(data: BookData, area_code: str | None, scenario: Any = None) -> PageData:
    """A page over data already in hand (tests, and pages rendered without a kernel)."""
    return PageData(area_code or None, data, scenario)
