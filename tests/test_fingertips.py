"""Fingertips exports in every layout Fingertips has published are read by their header: the
layout is named, the columns are found whatever their spelling, every record keeps the line it
starts on (an indicator name may hold a newline), and an unknown header is refused with what is
missing and unexpected. The fixtures are written from the layouts' descriptions; their values are
synthetic."""
import shutil

import pytest

from analysis import DATA_DIR, cli
from analysis.data import collect, fingertips

FIXTURES = DATA_DIR.parent / "tests" / "fixtures" / "fingertips"


@pytest.mark.parametrize("name, layout, rows", [
    ("current.csv", "current (27 columns, with the time period range)", 6),
    ("2018-2020.csv", "2018 to 2020 (26 columns)", 3),
    ("before-2017.csv", "before October 2017 (no 99.8% confidence intervals)", 2),
])
def test_each_layout_is_detected_from_its_header(name, layout, rows):
    frame, found = fingertips.read_export(FIXTURES / name)
    assert found == layout and len(frame) == rows
    assert set(fingertips.EXPORT_COLUMNS) <= set(frame.columns)
    assert "Lower CI 99.8 limit" in frame.columns  # empty where the layout has none


def test_records_keep_the_line_they_start_on():
    # Every field quoted, CRLF line ends, and an indicator name broken over two lines inside quotes.
    frame, _ = fingertips.read_export(FIXTURES / "2018-2020.csv")
    text = (FIXTURES / "2018-2020.csv").read_text(encoding="utf-8").splitlines()
    for line, row in frame.iterrows():
        assert text[line - 1].startswith(f'"{row["Indicator ID"]}","Life expectancy')
    assert list(frame.index) == [2, 4, 6] and frame.loc[2, "Indicator Name"] == "Life expectancy\nat birth"
    assert frame.loc[4, "Area Type"] == "Country" and frame.loc[2, "Area Name"].startswith("NHS Castle Point")


def test_an_unknown_header_is_refused_with_what_differs():
    with pytest.raises(fingertips.ImportError_) as exc:
        fingertips.read_export(FIXTURES / "unknown.csv")
    message = str(exc.value)
    assert "nearest is before October 2017" in message
    assert "missing column(s) Value" in message and "unexpected column(s) Smoothed value" in message


@pytest.mark.parametrize("name", ["current.csv", "2018-2020.csv", "before-2017.csv"])
def test_each_layout_imports_and_validates(data_copy, capsys, name):
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(FIXTURES / name), "--name", f"test {name}"]) == 0
    out = capsys.readouterr().out
    assert "a Fingertips export in the" in out and "layout" in out
    data, problems = collect(data_copy)  # not load(): it keeps one validated copy per folder for the process
    assert problems == []
    imported = data.facts[data.facts["source_id"] == fingertips.source_id_for(f"test {name}")]
    assert len(imported) and set(imported["area_code"]) <= {"99F", "E92000001"}
    # Each fact cites the export's line its record starts on (the line begins with its indicator id).
    text = (data_copy / "sources" / name).read_text(encoding="utf-8").splitlines()
    for r in imported.itertuples():
        indicator = r.fact_id.split(".")[1]
        assert text[int(r.lines) - 1].lstrip('"').startswith(indicator + ("\"," if text[int(r.lines) - 1][0] == '"' else ","))


def test_an_unknown_layout_is_one_line_of_error(data_copy, capsys):
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(FIXTURES / "unknown.csv")]) == 1
    err = capsys.readouterr().err
    assert "unknown.csv: not a Fingertips export in any layout" in err and "Traceback" not in err
    assert not any(p.name.startswith("fingertips-") for p in (data_copy / "facts").iterdir())


def test_a_copy_of_the_data_reads_its_own_folder(tmp_path):
    # The validated-data cache is keyed by content: a copy elsewhere shares the entry, but each
    # load must read source texts and notes from the folder it was asked for.
    from analysis.data import load
    shutil.copytree(DATA_DIR, tmp_path / "data")
    copy = load.__wrapped__(tmp_path / "data")
    assert copy.data_dir == tmp_path / "data"
    assert load.__wrapped__(DATA_DIR).data_dir == DATA_DIR
