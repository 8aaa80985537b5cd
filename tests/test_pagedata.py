"""Page data are explicit: each page reads the slice it is given, memoises per page,
and a figure outside its slice is an error rather than a silent gap."""
import dataclasses

import pytest

from analysis import data
from analysis.pages.pagedata import PageData, for_data, page_data
from inprocess import run_page

SECTION_TEMPLATES = ("ccg_overview.ipynb", "ccg_demographics.ipynb", "ccg_finance.ipynb", "ccg_outcomes.ipynb")


def test_a_page_reads_its_own_slice(book_data):
    page = page_data("07H", scope="07H")
    assert set(page.facts["area_code"]) <= set(data.scoped(book_data, "07H").facts["area_code"])
    # "There are 38 GP practices in West Essex" (001 line 2104).
    assert page.fact("001.we-transforming.07h.gp_practices.2014")["value"] == 38
    # Castle Point and Rochford's own plan is another section's: not in West Essex's slice.
    with pytest.raises(KeyError, match="not in this page's data"):
        page.fact("002.finplan.99f.fin_plan_line.2013-14.gap")


def test_memoised_results_belong_to_one_page(book_data):
    a, b = for_data(book_data, "99F"), for_data(data.scoped(book_data, "07H"), "07H")
    assert a.memo("n", lambda: len(a.facts)) == len(book_data.facts)
    assert b.memo("n", lambda: len(b.facts)) < len(book_data.facts)
    assert a.memo("n", lambda: pytest.fail("computed twice")) == len(book_data.facts)


def test_published_drops_only_not_published_rows(book_data):
    page = for_data(book_data, None)
    kept = page.published.facts
    assert (kept["status"] != "not_published").all()
    assert len(kept) == (book_data.facts["status"] != "not_published").sum()
    assert isinstance(page.published, PageData) and page.published.published.facts.shape == kept.shape


def test_rows_by_key(book_data):
    rows = for_data(book_data, "99F").rows("99F", "ccg_allocation", "2013/14")
    # 000 Figure 2 prints 192,516 (£000) for Castle Point and Rochford (line 253).
    assert 192516 in set(rows["value"])


@pytest.mark.parametrize("area", ["99F", "07H", "06Q"])
@pytest.mark.parametrize("template", SECTION_TEMPLATES)
def test_a_section_page_needs_nothing_outside_its_slice(book_data, area, template):
    """The page on its slice shows exactly what it shows with every area's data at hand."""
    assert run_page(template, area, data.scoped(book_data, area)) == run_page(template, area, book_data)


def test_a_page_data_is_not_shared_between_pages(book_data):
    with pytest.raises(dataclasses.FrozenInstanceError):
        for_data(book_data, "99F").area = "07H"
