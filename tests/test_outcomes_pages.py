"""The outcomes pages: every outcome and activity fact is shown on a page,
each section opens with a sentence, the West Essex departures and the
scorecard marks come out as the papers imply, and the paper's words the
pages quote are in the source text. Each page's sections are run from the spec
as the template's cells run them (no kernel), so the test sees what the pages show."""
import inspect
import math
import re

import pytest
from IPython.display import Markdown

from analysis.pages import blocks, charts
from analysis.models import outcomes
from analysis.pages import report
from analysis.pages import outcomes as ro
from analysis.pages.outcomes import common
from analysis.pages.pagedata import page_data
from analysis.pages.spec import load_spec
from conftest import source_lines

CCGS = ["99E", "99F", "06Q", "06T", "07H", "99G", "07G"]
PAGES = [("ccg-outcomes", code) for code in CCGS] + [("essex-outcomes", ro.COUNTY)]
ID_COLUMNS = ("fact_id", "fact_ids", "target_fact_id", "current_fact_id", "plan_fact_id")
COUNTY_LINK = 'href="../../essex/outcomes.html"'


def label(block):
    """How a test names a block: its function, with its arguments if it takes any."""
    args = [repr(a) for a in block.args] + [f"{k}={v!r}" for k, v in block.kwargs.items()]
    return f"{block.fn}({', '.join(args)})" if args else block.fn


def page_for(area_code):
    """The page's data as the template builds it: a CCG's slice, or all the data for the county."""
    return page_data(area_code) if area_code == ro.COUNTY else page_data(area_code, scope=area_code)


def run_page(page_id, area_code):
    """(section index, what shows it, result) for each result of the page's sections, as
    blocks.results gives them: the blocks the area's data allow, then the commentary passage."""
    page, out = page_for(area_code), []
    for i, section in enumerate(load_spec().page(page_id).sections):
        shown = [label(b) for b in section.blocks if blocks.holds(page, b.needs)]
        results = blocks.results(page, page_id, i)
        assert len(results) - len(shown) in (0, 1), section.id
        out += [(i, name, r) for name, r in zip(shown + ["commentary"], results)]
    return out


@pytest.fixture(scope="module")
def pages():
    return {(page_id, code): run_page(page_id, code) for page_id, code in PAGES}


def shown_ids(result):
    tables = []
    if isinstance(result, charts.Chart):
        tables = [result.data]
    elif isinstance(result, charts.Table):
        tables = [result]
    ids = set()
    for t in tables:
        for frame in (t.frame, t.download):
            if frame is None:
                continue
            for col in ID_COLUMNS:
                if col in frame.columns:
                    for v in frame[col].dropna():
                        ids |= set(str(v).split())
    return ids


def test_every_outcome_and_activity_fact_is_on_a_page(book_data, pages):
    kinds = dict(zip(book_data.measures["measure_id"], book_data.measures["kind"]))
    wanted = set(book_data.facts.loc[book_data.facts["measure_id"].map(kinds).isin(["outcome", "activity"]), "fact_id"])
    shown = set().union(*(shown_ids(r) for results in pages.values() for _, _, r in results))
    assert wanted - shown == set()
    assert shown <= set(book_data.facts["fact_id"])


def test_each_fact_has_exactly_one_home_page(book_data):
    f = common._outcome_facts(page_data(ro.COUNTY))
    assert f["fact_id"].is_unique
    assert set(f["page"]) <= set(CCGS) | {ro.COUNTY}


@pytest.mark.parametrize("area, source, page", [
    ("PROV-SUHFT", "002", "99F"), ("CLUSTER-SOUTH-ESSEX", "002", "99F"), ("PROV-BTUH", "003", "99E"),
    ("PROV-PAHT", "001", "07H"), ("E07000075", "002", "99F"), ("E10000012", "002", ro.COUNTY),
    ("PROV-BTUH", "001", ro.COUNTY), ("NATIONAL", "001", ro.COUNTY),
])
def test_home_pages(book_data, area, source, page):
    import pandas as pd
    facts = pd.DataFrame({"area_code": [area], "source_id": [source]})
    assert ro.home_pages(facts, book_data).iloc[0] == page


@pytest.mark.parametrize("page_id, code", PAGES)
def test_cells_return_displayable_results_and_sections_open_with_one(pages, page_id, code):
    seen = set()
    for section, name, result in pages[(page_id, code)]:
        assert result is None or isinstance(result, (Markdown, charts.Table, charts.Chart)), name
        if section not in seen:
            seen.add(section)
            assert result is not None, f"{name} opens section {section} with nothing"
    assert seen == set(range(len(load_spec().page(page_id).sections)))


def test_ccg_page_opens_with_the_coverage_line():
    first = load_spec().page("ccg-outcomes").sections[0].blocks[0]
    assert label(first) == "report.coverage_sentence('outcome', 'outcome')"


@pytest.mark.parametrize("code", ["99E", "99F", "06Q", "06T", "99G", "07G"])
def test_ccg_without_trajectories_says_so_and_points_to_the_county(pages, code):
    results = {name: r for _, name, r in pages[("ccg-outcomes", code)]}
    text = results["outcomes.trajectory_summary"].data
    assert "no yearly outcome trajectory" in text and COUNTY_LINK in text
    assert results["outcomes.trajectory_chart"] is None
    assert results["outcomes.trajectory_comparison"] is None


@pytest.mark.parametrize("code", ["06Q", "06T", "07G"])
def test_ccg_with_nothing_gets_a_short_page_of_sentences(pages, code):
    results = [r for _, _, r in pages[("ccg-outcomes", code)] if r is not None]
    assert all(isinstance(r, Markdown) for r in results)
    assert COUNTY_LINK in results[1].data and "publish no outcome trajectories" in results[1].data


@pytest.mark.parametrize("page_id, code", PAGES)
def test_charts_carry_alt_text_and_data_and_ids_are_unique(pages, page_id, code):
    ids = []
    for _, _, r in pages[(page_id, code)]:
        if isinstance(r, charts.Chart):
            assert re.search(r"\d", r.alt) and r.caption and len(r.data.frame)
            ids += [r.chart_id, r.data.table_id]
        elif isinstance(r, charts.Table):
            ids.append(r.table_id)
    assert len(ids) == len(set(ids))


def test_west_essex_departures_are_the_two_the_rules_imply():
    page = page_for("07H")
    frame = ro.trajectory_frame(page)
    assert set(frame.loc[frame["beyond"], "fact_id"]) == {
        "001.we-ambitions.07h.pyll_amenable_per_100k.2018-19",
        "001.we-ambitions.07h.emergency_admissions_avoidable_per_100k.2018-19",
    }
    text = ro.trajectory_summary(page).data
    # 001 lines 2061-2068: baseline 1905 YLL (2012), falling 3.2% a year; printed 1517 in 2018/19, six years on.
    # The narrative baseline 1844/100,000 is line 2061; admissions go from 1,669 (12/13) to 773 (2018/19).
    assert f"{1905 * 0.968 ** 6:,.1f}" in text
    assert f"{math.log(1517 / 1905) / math.log(0.968):.1f} years" in text
    assert f"{100 * (1669 - 773) / 1669:.1f}%" in text and "1844/100,000" in text


def test_west_essex_awaiting_indicator_cells_are_shown_as_such(book_data):
    table = ro.trajectory_comparison(page_for("07H")).frame
    awaiting = table[table["Verdict"] == "– Awaiting indicator"]
    printed = sum(line.count("Awaiting indicator") for line in source_lines(book_data, "001")[2063 - 1:2068])
    assert printed == 12  # two columns of 001's table, baseline and five years (lines 2063-2068)
    assert len(awaiting) == printed and set(awaiting["As printed"]) == {"Awaiting indicator"}


def test_trajectory_chart_marks_the_target_year_in_each_panel_with_a_target():
    chart = ro.trajectory_chart(page_for("07H"))
    targets = [t for t in chart.fig.data if t.name == "Stated target"]
    # The narrative row (001 line 2061) states 1517 by 2018, 79% in 18/19, a 54% cut from 1,669 over five
    # years and 135.6 by 2018; the seventh column's aim has no figure.
    assert sorted(float(t.y[0]) for t in targets) == pytest.approx([79, 135.6, 1669 * (1 - 0.54), 1517])
    assert len([s for s in chart.fig.layout.shapes if s.line.dash == "dot"]) == 4


def test_scorecard_marks_agree_with_the_paper_but_for_one_mark_without_a_standard(book_data):
    lines = source_lines(book_data, "002")

    def marks(first, last, mark="✓✗"):  # marks printed on lines first..last of 002
        return sum(lines[n - 1].count(m) for n in range(first, last + 1) for m in mark)
    # Table 5 is lines 1043-1075, Table 6 lines 1087-1112. A mark can be checked when its row gives a standard
    # or a plan figure: not on the "vs Plan" rows with no plan row (lines 1057, 1058, 1060, 1061, 1075),
    # nor on "No standard" (line 1053).
    printed = marks(1043, 1075) + marks(1087, 1112)
    unchecked = sum(marks(n, n) for n in (1053, 1057, 1058, 1060, 1061, 1075))
    assert (printed, unchecked) == (88, 11)
    frame = ro.scorecard_frame(page_for("99F"))
    assert (frame["paper_mark"] == "✓").sum() == marks(1043, 1075, "✓") + marks(1087, 1112, "✓")
    assert (frame["paper_mark"] == "✗").sum() == marks(1043, 1075, "✗") + marks(1087, 1112, "✗")
    counts = frame["agreement"].value_counts()
    assert counts.get(outcomes.DISAGREES, 0) == 0
    assert counts[outcomes.AGREES] == printed - unchecked
    odd = frame[frame["agreement"] == outcomes.MARK_WITHOUT_STANDARD]
    assert list(odd["fact_id"]) == ["002.t5.pct-south-east-essex.cancer_62day_upgrade_pct.2012-07"]


def test_scorecard_tables_show_marks_as_text():
    table = ro.scorecard_table(page_for("99F"), "provider").frame
    assert set(table["Recomputed"]) <= {"✔ met", "✘ not met", "– cannot judge"}
    assert "✘ not met" in set(table["Recomputed"])


def test_non_acute_targets_against_current_performance(book_data):
    frame = ro.target_progress_frame(page_for("99F")).set_index("measure_id")
    # 002 lines 1117-1133: one row per target, named with the target in brackets, e.g. "Cervical Screening (80%)".
    targets = [line for line in source_lines(book_data, "002")[1117 - 1:1133] if re.match(r"[^\t]+\([^)]*\)\t", line)]
    assert len(targets) == 10 and len(frame) == len(targets)
    assert frame.loc["cervical_screening_coverage_pct", "met"] is False  # 79% against 80% (line 1128)
    assert frame.loc["nhs_health_checks_offered", "share_of_target"] == pytest.approx(100 * 5668 / 25600)  # line 1117
    assert frame.loc["flu_vaccination_65_plus_pct", "met"] is None  # "To be added" (line 1129)


def test_basildon_same_reduction_stated_for_two_years():
    text = ro.targets_summary(page_for("99E")).data
    assert "by 2019" in text and "by 2018" in text


def test_west_essex_activity_growth_is_computed_from_the_printed_figures():
    frame = ro.growth_frame(page_for("07H")).set_index("item")
    # 001 line 2052: admissions from 62,000 to 71,000, A&E attendances from 83,000 to 92,000; line 2050: 12.1 per cent.
    assert frame.loc["Hospital admissions per year", "growth"] == pytest.approx(100 * (71000 - 62000) / 62000)
    assert frame.loc["A&E attendances per year", "growth"] == pytest.approx(100 * (92000 - 83000) / 83000)
    assert frame.loc["Population, West Essex CCG", "growth_printed"] == "12.1 per cent"


def test_bcf_gives_targets_for_two_of_five_metrics():
    # Of the five metrics (001 lines 1034-1038; Figure 12, line 550) only two carry a figure: 5% and 84%.
    assert "**2 of 5**" in ro.bcf_summary(page_for(ro.COUNTY)).data


def test_quoted_wording_is_in_the_source_at_the_stated_lines(book_data):
    rules = book_data.trajectory_rules
    assert len(rules) == 6
    for r in rules.itertuples():
        assert r.rule_words in source_lines(book_data, r.rule_source_id)[int(r.rule_lines) - 1]
    # The rules table quotes them.
    shown = ro.trajectory_rules_table(page_for("07H")).frame["Stated rule (the paper's words)"]
    assert set(shown) - {"—"} == set(rules.loc[rules["path_breakdown"] == "", "rule_words"])
    lines = source_lines(book_data, "001")
    for _, fig12, s373, line, _ in ro.BCF_METRICS:
        assert fig12 in lines[ro.BCF_FIGURE12_LINE - 1]
        assert s373 in lines[line - 1]


def test_templates_call_only_functions_that_exist():
    for page_id in ("ccg-outcomes", "essex-outcomes"):
        for section in load_spec().page(page_id).sections:
            for block in section.blocks:
                module, name = block.fn.split(".")
                fn = getattr({"report": report, "outcomes": ro}[module], name)
                assert callable(fn) and list(inspect.signature(fn).parameters)[0] == "page", block.fn
                inspect.signature(fn).bind(None, *block.args, **block.kwargs)
