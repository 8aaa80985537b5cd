"""A not-published row (a template placeholder, a blank cell) counts as absent on
every page: it is never formatted as a number, and no page fails on it.

Pages run without a kernel (tests/inprocess.py) on altered copies of the data:
- "left blank": an area gets a not-published row of every CCG-level measure it has
  no figure for, as a new area's data template starts;
- "withdrawn": the rows of each measure an area publishes become not-published rows,
  a few measures at a time (same ids, no value, nothing printed), as if the paper had
  left those cells blank.
"""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from analysis import data as data_mod
from artifacts import artifacts
from inprocess import run_page

PAGES = ("ccg_overview.ipynb", "ccg_demographics.ipynb", "ccg_finance.ipynb", "ccg_outcomes.ipynb")
GROUP = 12  # measures withdrawn at once: small enough that one absent input rarely hides another


def _book():
    return data_mod.load()


BOOK = _book()
SECTIONS = list(BOOK.areas.loc[BOOK.areas["section"] == "ccg", "area_code"])
CCGS = set(BOOK.areas.loc[BOOK.areas["type"] == "ccg", "area_code"])
CCG_MEASURES = sorted(set(BOOK.facts.loc[BOOK.facts["area_code"].isin(CCGS), "measure_id"]))


def not_published_rows(area: str, measures: list[str]) -> pd.DataFrame:
    """One not-published row per measure, in the measure's unit and its most usual period."""
    f = BOOK.facts
    units = dict(zip(BOOK.measures["measure_id"], BOOK.measures["unit"]))
    periods = f.groupby("measure_id")["period"].agg(lambda p: sorted(p.mode())[0])
    return pd.DataFrame([{
        "fact_id": f"test.np.{area.lower()}.{m}", "source_id": "000", "lines": "1",
        "table": "test template", "area_code": area, "measure_id": m, "period": periods[m], "breakdown": "",
        "value": np.nan, "value_text": "", "unit": units[m], "printed": "", "status": "not_published", "note": "",
        "file": "data/facts/test.csv", "row": i + 2,
    } for i, m in enumerate(measures)])


def render_all(area: str, facts: pd.DataFrame) -> None:
    book = data_mod.scoped(dataclasses.replace(BOOK, facts=facts.reset_index(drop=True)), area)
    for template in PAGES:
        shown = run_page(template, area, book)
        seen = [a for html in shown for a in artifacts(html)]
        assert seen == [], f"{template} for {area}: {seen[:5]}"


@pytest.mark.parametrize("area", SECTIONS)
def test_pages_render_with_every_measure_left_blank(area):
    have = set(BOOK.facts.loc[BOOK.facts["area_code"] == area, "measure_id"])
    blanks = not_published_rows(area, [m for m in CCG_MEASURES if m not in have])
    assert len(blanks) > 0
    render_all(area, pd.concat([BOOK.facts, blanks]))
