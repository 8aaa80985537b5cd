"""The coverage line at the top of a chapter page: a count a reader can take in, with the
measures the sources do not publish for the CCG folded away and grouped by paper."""
import html
import re

from bs4 import BeautifulSoup

from analysis import data
from analysis.pages import report
from analysis.pages.pagedata import for_data


def test_a_thin_ccg_gets_a_count_not_a_wall_of_names(book_data):
    page = for_data(data.scoped(book_data, "07G"), "07G")
    text = report.coverage_sentence(page, "finance", "finance").data
    visible, folded = text.split('<details class="book-coverage">', 1)
    have, lacking = report.measure_coverage("07G", "finance", page.data)
    # Thurrock: what is published and what is not, counted...
    assert f"**{len(have)} of {len(have) + len(lacking)}**" in visible and f"The other {len(lacking)}" in visible
    # ... and the sentence names no measure: the names are in the folded list, with a link to the matrix.
    labels = dict(zip(book_data.measures["measure_id"], book_data.measures["label"]))
    assert not any(labels[m] in visible for m in lacking)
    assert 'href="../../data-dictionary.html#matrix-finance"' in visible and len(visible) < 400
    soup = BeautifulSoup(folded, "html.parser")
    assert f"The {len(lacking)} finance measures not published" in soup.get_text()
    groups = re.findall(r"\*\*Paper (\d{3})\*\*", folded)
    assert groups == sorted(set(groups)) and len(groups) >= 2
    assert all(html.escape(labels[m]) in folded for m in lacking)


def test_a_ccg_with_everything_has_no_folded_list(book_data):
    page = for_data(book_data, "99F")
    have, lacking = report.measure_coverage("99F", "finance", page.data)
    text = report.coverage_sentence(page, "finance", "finance").data
    assert ("<details" in text) == bool(lacking)
