"""Analyst commentary is content: passages in data/commentary/, validated with the data,
shown after their section with every number resolved to a traced figure."""
import pytest

from analysis import data
from analysis.pages.blocks import results
from analysis.pages.commentary import calc, passage, resolve
from analysis.pages.pagedata import for_data

# 000 Figure 2, line 251: Mid Essex's 2013/14 allocation is 368,029 (£000) and its QIPP 27,500 (£000).
ALLOC, QIPP = "000.fig2.06q.ccg_allocation.2013-14", "000.fig2.06q.qipp_savings.2013-14"


def write(data_dir, area, text):
    (data_dir / "commentary").mkdir(exist_ok=True)
    path = data_dir / "commentary" / f"{area}.md"
    path.write_text(text, encoding="utf-8")
    return path


def problems(data_dir):
    return [str(p) for p in data.validate(data_dir)]


def test_a_passage_resolves_to_printed_figures_and_their_lines(data_copy):
    write(data_copy, "06Q", f"# Mid Essex\n\n## ccg-finance gap\nAn allocation of {{fact:{ALLOC}}}; QIPP is "
                            f"{{calc:percentage:{QIPP},{ALLOC}}} of it.\n")
    loaded, found = data.collect(data_copy)
    assert found == []
    page = for_data(loaded, "06Q")
    text = passage(page, "ccg-finance", "gap").data
    assert text.startswith("An allocation of [368,029](../../sources/000.html#L251); QIPP is ")
    # 100 × 27,500 / 368,029 = 7.47%.
    assert text.endswith(" 7.5% of it.")
    assert passage(page, "ccg-finance", "plan") is None and passage(for_data(loaded, "07H"), "ccg-finance", "gap") is None


def test_calc_works_in_base_units(book_data):
    page = for_data(book_data, "06Q")
    assert calc(page, "percentage", [QIPP, ALLOC]) == pytest.approx(100 * 27500 / 368029)


def test_a_check_placeholder_is_the_ledgers_recomputed_value(book_data):
    page = for_data(book_data, "06Q")
    # The ledger recomputes Mid Essex's allocation per head: £368,029,000 / 371,807 people = £990 (Figure 2, line 251).
    out = resolve(page, "{check:000.fig2.06q.per-head}")
    assert out == "[£990](../../ledger.html)"


@pytest.mark.parametrize("text, message", [
    ("## ccg-finance gap\n{fact:no.such.fact}\n", "data/commentary/06Q.md: row 2: {fact:no.such.fact}: 'no.such.fact' is not a fact_id in data/facts [commentary_reference]"),
    ("## ccg-finance gap\n{check:no-such-check}\n", "'no-such-check' is not a check_id in data/checks.csv [commentary_reference]"),
    (f"## ccg-finance gap\n{{calc:mean:{QIPP},{ALLOC}}}\n", "the rule must be one of percentage, ratio, difference, sum, share [commentary_rule]"),
    ("## Finance, the gap\ntext\n", "data/commentary/06Q.md: row 1: '## Finance, the gap': a passage's heading is '## <page-id> <section-id>'"),
    ("## ccg-finance gap\na\n## ccg-finance gap\nb\n", "row 3: a second passage for ccg-finance gap [commentary_unique]"),
])
def test_bad_commentary_is_refused_with_its_file_and_row(data_copy, text, message):
    write(data_copy, "06Q", text)
    assert any(message in p for p in problems(data_copy)), problems(data_copy)


def test_commentary_for_an_unknown_area_is_refused(data_copy):
    write(data_copy, "ZZZ", "## ccg-finance gap\ntext\n")
    assert "data/commentary/ZZZ.md: the file is named for area 'ZZZ', which is not in data/areas.csv [commentary_area]" in problems(data_copy)


def test_a_section_shows_the_areas_commentary_after_its_blocks(data_copy):
    from analysis.pages.spec import load_spec
    spec = load_spec()
    page_spec = spec.page("ccg-finance")
    index, section = next((i, s) for i, s in enumerate(page_spec.sections) if s.id)
    write(data_copy, "06Q", f"## ccg-finance {section.id}\nThe analyst's reading: {{fact:{ALLOC}}}.\n")
    loaded, found = data.collect(data_copy)
    assert found == []
    shown = results(for_data(data.scoped(loaded, "06Q"), "06Q"), "ccg-finance", index)
    assert shown[-1].data == "The analyst's reading: [368,029](../../sources/000.html#L251)."


def test_every_passage_names_a_page_and_section_of_the_spec(book_data):
    from analysis.pages.spec import load_spec
    spec = load_spec()
    for c in book_data.commentary:
        assert c.section_id in {s.id for s in spec.page(c.page_id).sections if s.id}, (c.file, c.line)
