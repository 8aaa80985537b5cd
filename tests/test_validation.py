"""Deliberately broken copies of the data give exact, located messages."""
import csv

import pytest

from analysis import data
from analysis.data import FACT_COLUMNS

GOOD = {
    "fact_id": "900.test.06q.ccg_allocation.2013-14", "source_id": "000", "lines": "251", "table": "Figure 2",
    "area_code": "06Q", "measure_id": "ccg_allocation", "period": "2013/14", "breakdown": "test row",
    "value": "368029", "unit": "£000", "printed": "368,029", "status": "published", "note": "",
}


def write_facts(data_dir, rows, name="zz-test.csv"):
    path = data_dir / "facts" / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FACT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


def messages(data_dir):
    return [str(p) for p in data.validate(data_dir)]


def test_committed_data_is_valid():
    assert messages(data.DATA_DIR) == []


def test_good_row_is_valid(data_copy):
    write_facts(data_copy, [GOOD])
    assert messages(data_copy) == []


@pytest.mark.parametrize("column, bad, expected", [
    ("unit", "GBP", "data/facts/zz-test.csv: row 2, column 'unit': 'GBP': unit is not in the allowed list in data/units.csv [unit_known]"),
    ("area_code", "XX9", "data/facts/zz-test.csv: row 2, column 'area_code': 'XX9': area_code is not in data/areas.csv; add the area there first [area_known]"),
    ("measure_id", "no_such_measure", "data/facts/zz-test.csv: row 2, column 'measure_id': 'no_such_measure': measure_id is not in data/measures.csv [measure_known]"),
    ("table", "", "data/facts/zz-test.csv: row 2, column 'table': '': the table or figure label (source reference) is required [required]"),
    ("lines", "", "data/facts/zz-test.csv: row 2, column 'lines': '': lines must be a line number or range such as 247-262 [source_lines]"),
    ("source_id", "999", "data/facts/zz-test.csv: row 2, column 'source_id': '999': source_id is not in data/sources.csv [source_known]"),
    ("period", "13/14", "data/facts/zz-test.csv: row 2, column 'period': '13/14': period must look like 2013/14, 2011, 2012-09, 2013-2017 or 2013/14-2018/19 [period_format]"),
    ("period", "2017-2013", "data/facts/zz-test.csv: row 2, column 'period': '2017-2013': period is out of order (a span must start before it ends; 2013/14 not 2013/15) [period_order]"),
    ("value", "1,234", "data/facts/zz-test.csv: row 2, column 'value': '1,234': value must be a plain number (no thousands separators, currency or % signs), or empty when not published [number]"),
    ("value", "£368029", "data/facts/zz-test.csv: row 2, column 'value': '£368029': value must be a plain number (no thousands separators, currency or % signs), or empty when not published [number]"),
    ("unit", "%", "data/facts/zz-test.csv: row 2, column 'unit': '%': unit is of a different kind from the measure's unit in data/measures.csv [unit_matches_measure]"),
])
def test_broken_cell_gives_located_message(data_copy, column, bad, expected):
    write_facts(data_copy, [{**GOOD, column: bad}])
    assert expected in messages(data_copy)


def test_duplicate_key_is_reported(data_copy):
    write_facts(data_copy, [GOOD, {**GOOD, "fact_id": GOOD["fact_id"] + ".copy"}])
    found = messages(data_copy)
    assert "data/facts/zz-test.csv: row 3: duplicate: another row has the same (source_id, area_code, measure_id, period, breakdown); keep one row [unique]" in found


# The same figure from another source (local data: its lines are checked, not its printed text).
OTHER_PAPER = {**GOOD, "fact_id": GOOD["fact_id"] + ".local", "source_id": "LOCAL-E10000028", "lines": "17"}
CLASH = ("clashes with 368029 £000 in data/facts/zz-test.csv row 2 under the same (area_code, measure_id, period, "
         "breakdown) = ('06Q', 'ccg_allocation', '2013/14', 'test row'); where papers print different values for one "
         "figure, tell them apart by breakdown (the table or the paper's date) [clash]")


@pytest.mark.parametrize("same_file", [False, True])
def test_two_papers_printing_different_values_under_one_key_clash(data_copy, same_file):
    other = {**OTHER_PAPER, "value": "368030", "printed": "368,030"}
    if same_file:
        write_facts(data_copy, [GOOD, other])
        where = "data/facts/zz-test.csv: row 3"
    else:
        write_facts(data_copy, [GOOD])
        write_facts(data_copy, [other], name="zz-test2.csv")
        where = "data/facts/zz-test2.csv: row 2"
    assert messages(data_copy) == [f"{where}, column 'value': 368030 £000 {CLASH}"]


def test_a_clash_is_found_whatever_the_units(data_copy):
    write_facts(data_copy, [GOOD])
    write_facts(data_copy, [{**OTHER_PAPER, "value": "368.1", "unit": "£m", "printed": "£368.1m"}], name="zz-test2.csv")
    assert messages(data_copy) == [f"data/facts/zz-test2.csv: row 2, column 'value': 368.1 £m {CLASH}"]


def test_a_repeat_in_another_paper_is_allowed_and_read_from_the_first(data_copy):
    # The same value, printed in another unit, is the same figure: a repeat, not a clash.
    write_facts(data_copy, [GOOD])
    write_facts(data_copy, [{**OTHER_PAPER, "value": "368.029", "unit": "£m", "printed": "£368.029m"}], name="zz-test2.csv")
    loaded, problems = data.collect(data_copy)
    assert [str(p) for p in problems] == []
    from analysis.models import contracts
    assert contracts.find(loaded.facts, "06Q", "ccg_allocation", "2013/14", "test row")["source_id"] == "000"


def test_a_repeat_within_one_paper_is_a_duplicate(data_copy):
    write_facts(data_copy, [GOOD])
    write_facts(data_copy, [{**GOOD, "fact_id": GOOD["fact_id"] + ".copy"}], name="zz-test2.csv")
    assert messages(data_copy) == [
        "data/facts/zz-test2.csv: row 2: duplicate (source_id, area_code, measure_id, period, breakdown): same as "
        "data/facts/zz-test.csv row 2; keep one row [unique]"]


def test_negative_population_is_out_of_range(data_copy):
    row = {**GOOD, "measure_id": "population_ons_projection", "unit": "count", "value": "-5", "printed": "-5"}
    write_facts(data_copy, [row])
    assert "data/facts/zz-test.csv: row 2, column 'value': '-5': value is outside the measure's allowed range (min_value/max_value in data/measures.csv) [value_in_range]" in messages(data_copy)


def test_placeholder_recorded_as_zero_is_refused(data_copy):
    write_facts(data_copy, [{**GOOD, "value": "0", "status": "not_published", "printed": "£XX.Xm"}])
    assert ("data/facts/zz-test.csv: row 2, column 'value': value must be empty exactly when status is not_published "
            "(never record a placeholder as 0) [value_status]") in messages(data_copy)


def test_ragged_row(data_copy):
    path = write_facts(data_copy, [GOOD])
    path.write_text(path.read_text() + "a,b,c\n")
    assert "data/facts/zz-test.csv: row 3: 3 fields where the header has 13; a comma inside a value needs quotes [field_count]" in messages(data_copy)


@pytest.mark.parametrize("saved_as", ["byte-order mark", "CRLF", "byte-order mark and CRLF", "old Mac CR"])
def test_files_saved_by_excel_are_read(data_copy, saved_as):
    # Excel's "CSV UTF-8" writes a byte-order mark and CRLF line endings.
    path = write_facts(data_copy, [GOOD, {**GOOD, "fact_id": GOOD["fact_id"] + ".b", "breakdown": "second row"}])
    raw = path.read_bytes()
    if "CRLF" in saved_as:
        raw = raw.replace(b"\n", b"\r\n")
    if "CR" in saved_as and "CRLF" not in saved_as:
        raw = raw.replace(b"\n", b"\r")
    if "byte-order" in saved_as:
        raw = b"\xef\xbb\xbf" + raw
    path.write_bytes(raw)
    loaded, problems = data.collect(data_copy)
    assert [str(p) for p in problems] == []
    mine = loaded.facts[loaded.facts["file"] == "data/facts/zz-test.csv"]
    # The first column keeps its name and the rows keep their line numbers.
    assert list(mine["fact_id"]) == [GOOD["fact_id"], GOOD["fact_id"] + ".b"]
    assert list(mine["row"]) == [2, 3]
    assert list(mine["value"]) == [368029, 368029]


def test_excel_saved_file_still_reports_the_right_row(data_copy):
    path = write_facts(data_copy, [GOOD, {**GOOD, "fact_id": GOOD["fact_id"] + ".b", "breakdown": "b", "unit": "GBP"}])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert "data/facts/zz-test.csv: row 3, column 'unit': 'GBP': unit is not in the allowed list in data/units.csv [unit_known]" in messages(data_copy)


def test_not_utf8(data_copy):
    path = write_facts(data_copy, [GOOD])
    path.write_bytes(path.read_bytes().replace("£".encode(), b"\xa3"))
    assert "data/facts/zz-test.csv: row 2: byte 0xa3 is not UTF-8; save the file as UTF-8 [utf8]" in messages(data_copy)


def test_empty_file(data_copy):
    (data_copy / "facts" / "zz-test.csv").write_text("")
    found = messages(data_copy)
    assert any(m.startswith("data/facts/zz-test.csv: file is empty") and m.endswith("[not_empty]") for m in found)


def test_missing_and_extra_column(data_copy):
    path = write_facts(data_copy, [GOOD])
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("note", "comment")
    path.write_text("\n".join(lines) + "\n")
    found = messages(data_copy)
    assert any(m.startswith("data/facts/zz-test.csv: row 1: missing column(s) 'note'; unexpected column(s) 'comment'") for m in found)


def test_bad_quote(data_copy):
    path = write_facts(data_copy, [GOOD])
    path.write_text(path.read_text() + '900.x,000,251,"Figure 2,06Q\n')
    found = messages(data_copy)
    assert any("[csv_syntax]" in m or "[field_count]" in m for m in found)
    assert all(m.startswith("data/facts/zz-test.csv") for m in found)


def test_load_raises_with_every_problem(data_copy):
    write_facts(data_copy, [{**GOOD, "unit": "GBP", "area_code": "XX9"}])
    data.load.cache_clear()
    with pytest.raises(data.DataError) as err:
        data.load(data_copy)
    assert len(err.value.problems) == 2
    assert "2 data problem(s)" in str(err.value)


# --- provenance: cited lines exist, and a paper's printed figure is on them ----------------

NOT_ON_LINES = ("not on line 251 of source 000; correct the lines or the printed text, or if the text conversion "
                "split or changed the figure, add the fact_id and why to data/printed_allowances.csv [printed_on_lines]")


def write_allowances(data_dir, rows, header="fact_id,reason"):
    path = data_dir / "printed_allowances.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(header + "\n")
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def edit_fact(data_dir, fact_id, **changes):
    """Change cells of one committed fact in the copy."""
    for path in sorted((data_dir / "facts").glob("s*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            if row["fact_id"] == fact_id:
                row.update(changes)
                with open(path, "w", newline="", encoding="utf-8") as f:
                    w = csv.DictWriter(f, fieldnames=FACT_COLUMNS, lineterminator="\n")
                    w.writeheader()
                    w.writerows(rows)
                return
    raise AssertionError(f"{fact_id} not found")


@pytest.mark.parametrize("lines, expected", [
    ("999999", "'999999': line 999999 is past the end; source 000 has 1494 lines"),
    ("251-1500", "'251-1500': line 1500 is past the end; source 000 has 1494 lines"),
    ("0", "'0': lines are numbered from 1; source 000 has 1494 lines"),
    ("262-251", "'262-251': the range ends before it starts; source 000 has 1494 lines"),
])
def test_cited_lines_must_exist_in_the_source(data_copy, lines, expected):
    write_facts(data_copy, [{**GOOD, "lines": lines}])
    assert messages(data_copy) == [f"data/facts/zz-test.csv: row 2, column 'lines': {expected} [lines_exist]"]


def test_local_data_lines_are_checked_but_not_its_printed_text(data_copy):
    local = {**GOOD, "source_id": "LOCAL-E10000028", "printed": "not in that file"}
    write_facts(data_copy, [{**local, "lines": "17"}, {**local, "fact_id": GOOD["fact_id"] + ".b", "breakdown": "b", "lines": "18"}])
    assert messages(data_copy) == [
        "data/facts/zz-test.csv: row 3, column 'lines': '18': line 18 is past the end; source LOCAL-E10000028 has 17 lines [lines_exist]"]


@pytest.mark.parametrize("printed", ["368,030", "68,029", "368", "£368,029"])
def test_printed_figure_must_be_on_its_lines(data_copy, printed):
    # 68,029 and 368 occur on line 251 only inside 368,029, which is not the same figure.
    write_facts(data_copy, [{**GOOD, "printed": printed}])
    assert messages(data_copy) == [f"data/facts/zz-test.csv: row 2, column 'printed': {printed!r}: {NOT_ON_LINES}"]


def test_committed_fact_with_a_figure_not_on_its_lines(data_copy, book_data):
    from conftest import fact
    fid = "000.fig2.99f.qipp_pct_allocation.2013-14"
    row = fact(book_data, fid)
    edit_fact(data_copy, fid, printed="9.9%")
    assert messages(data_copy) == [
        f"{row['file']}: row {row['row']}, column 'printed': '9.9%': not on line 253 of source 000; correct the lines or the "
        "printed text, or if the text conversion split or changed the figure, add the fact_id and why to "
        "data/printed_allowances.csv [printed_on_lines]"]


def test_printed_text_may_run_across_the_cited_lines(data_copy):
    # Whitespace runs (a tab, the break between lines 250 and 251) compare as one space.
    write_facts(data_copy, [{**GOOD, "lines": "250-251", "printed": "3.1% Mid  Essex 368,029"}])
    assert messages(data_copy) == []


def test_allowance_excuses_a_figure_the_conversion_changed(data_copy):
    write_facts(data_copy, [{**GOOD, "printed": "368,030"}])
    write_allowances(data_copy, [[GOOD["fact_id"], "test: the conversion changed the last digit"]])
    assert messages(data_copy) == []


@pytest.mark.parametrize("fact_id, expected", [
    ("900.no.such.fact", "'900.no.such.fact': no fact has this fact_id; remove the row [allowance_known]"),
    (GOOD["fact_id"], f"{GOOD['fact_id']!r}: its printed figure is on its cited lines, so it needs no allowance; remove the row [allowance_needed]"),
    ("001.fig10.essex-ccgs.ccg_planned_expenditure_pct_change.2013-14-2018-19.contingency",
     "'001.fig10.essex-ccgs.ccg_planned_expenditure_pct_change.2013-14-2018-19.contingency': it is not a printed figure "
     "from a paper, so it needs no allowance; remove the row [allowance_needed]"),
])
def test_stale_allowance_is_a_problem(data_copy, fact_id, expected):
    write_facts(data_copy, [GOOD])
    write_allowances(data_copy, [[fact_id, "test"]])
    assert messages(data_copy) == [f"data/printed_allowances.csv: row 2, column 'fact_id': {expected}"]


def test_allowance_file_is_read_strictly(data_copy):
    write_allowances(data_copy, [["900.x", "a"]], header="fact_id,why")
    assert messages(data_copy) == ["data/printed_allowances.csv: row 1: missing column(s) 'reason'; unexpected column(s) 'why'. "
                                   "Expected header: fact_id,reason [header]"]
    write_facts(data_copy, [{**GOOD, "printed": "368,030"}])
    write_allowances(data_copy, [[GOOD["fact_id"], ""], [GOOD["fact_id"], "again"]])
    found = messages(data_copy)
    assert "data/printed_allowances.csv: row 2, column 'reason': '': the reason (why the printed figure is not on its cited lines) is required [required]" in found
    assert "data/printed_allowances.csv: row 3, column 'fact_id': duplicate: another row has the same fact_id; keep one row [unique]" in found


def test_no_allowance_file_means_no_allowances(data_copy):
    (data_copy / "printed_allowances.csv").unlink()
    assert messages(data_copy) == []


def test_missing_source_text_is_reported(data_copy):
    (data_copy / "sources" / "004_f2e5fbc36ffa8986.txt").unlink()
    assert messages(data_copy) == ["data/sources.csv: row 6, column 'file': '004_f2e5fbc36ffa8986.txt': no such file "
                                   "(papers are in data/sources/; a name with '/' is relative to data/) [source_file]"]


def test_fingerprint_covers_allowances_and_source_texts(data_copy):
    from analysis.data import keys
    before = keys.validated_key(data_copy)
    write_allowances(data_copy, [[GOOD["fact_id"], "test"]])
    with_allowance = keys.validated_key(data_copy)
    text = data_copy / "sources" / "004_f2e5fbc36ffa8986.txt"
    text.write_text(text.read_text(encoding="utf-8") + "one more line\n", encoding="utf-8")
    assert len({before, with_allowance, keys.validated_key(data_copy)}) == 3
