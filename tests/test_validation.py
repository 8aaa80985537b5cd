"""Deliberately broken copies of the data give exact, located messages."""
import csv

import pytest

from analysis import data
from analysis.data import FACT_COLUMNS

GOOD = {
    "fact_id": "900.test.06q.ccg_allocation.2013-14", "source_id": "000", "lines": "252", "table": "Figure 2",
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
    path.write_text(path.read_text() + '900.x,000,252,"Figure 2,06Q\n')
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
