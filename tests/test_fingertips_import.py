"""What a Fingertips import keeps, re-does and refuses: every figure with its intervals, count,
denominator and printed comparisons, each citing the export's line; the comparisons recomputed by
Fingertips' interval rule; imports that are all or nothing (a refused import leaves data/ byte for
byte as it was), a re-import that changes nothing, and a newer export that replaces an older one only
with --replace. Expected values are read from the fixture's text here, not from the importer."""
import csv
import shutil
import zipfile

import pytest

from conftest import data_snapshot

from analysis import DATA_DIR, cli
from analysis.data import collect
from analysis.models import comparisons

FIXTURES = DATA_DIR.parent / "tests" / "fixtures" / "fingertips"
EXPORT = FIXTURES / "comparisons.csv"


def records():
    with open(EXPORT, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def imported(data_copy, *extra):
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(EXPORT), *extra]) == 0
    data, problems = collect(data_copy)
    assert problems == []
    return data


def test_every_statistic_is_kept_with_its_line(data_copy):
    data = imported(data_copy)
    stats = data.statistics[data.statistics["source_id"] == "FT-COMPARISONS"]
    gss = dict(zip(data.areas["gss_code"], data.areas["area_code"]))
    columns = {"lower_95": "Lower CI 95.0 limit", "upper_95": "Upper CI 95.0 limit", "lower_99_8": "Lower CI 99.8 limit",
               "upper_99_8": "Upper CI 99.8 limit", "count": "Count", "denominator": "Denominator"}
    expected = 0
    for line, r in enumerate(records(), start=2):
        area = gss[r["Area Code"]]
        for stat, column in columns.items():
            if r[column]:
                expected += 1
                row = stats[(stats["area_code"] == area) & (stats["statistic"] == stat) & (stats["lines"] == str(line))]
                assert list(row["printed"]) == [r[column]], (line, stat)
    assert (stats["statistic"] != "compared").sum() == expected
    # The value itself is a fact on the same line.
    facts = data.facts[data.facts["source_id"] == "FT-COMPARISONS"]
    assert sorted(facts["lines"].astype(int)) == list(range(2, len(records()) + 2))
    assert set(facts["printed"]) == {r["Value"] for r in records()}


def test_printed_comparisons_are_kept_as_printed(data_copy):
    data = imported(data_copy)
    verdicts = data.statistics[data.statistics["statistic"] == "compared"]
    ccg = verdicts[(verdicts["area_code"] == "99E") & (verdicts["measure_id"] == "life_expectancy_at_birth_male")]
    assert dict(zip(ccg["comparator"], ccg["printed"])) == {"E92000001": "Better", "E10000012": "Similar"}
    # England's own rows print no verdict; a blank parent column is not a verdict.
    assert "E92000001" not in set(verdicts["area_code"])
    assert len(verdicts[verdicts["area_code"] == "E10000012"]) == 1


def _by_hand(lower, upper, england):
    return "higher" if lower > england else "lower" if upper < england else "similar"


def test_the_ledger_recomputes_the_comparisons_with_england(data_copy):
    data = imported(data_copy)
    led = comparisons.comparison_ledger(data).set_index(["area_code", "measure_id", "comparator"])
    rows = records()
    england = {r["Indicator ID"]: float(r["Value"]) for r in rows if r["Area Code"] == "E92000001"}
    # Castle Point and Rochford's life expectancy: the interval lies above England's value.
    r = next(r for r in rows if r["Area Code"] == "E38000030" and r["Indicator ID"] == "90366")
    assert _by_hand(float(r["Lower CI 95.0 limit"]), float(r["Upper CI 95.0 limit"]), england["90366"]) == "higher"
    assert led.loc[("99F", "life_expectancy_at_birth_male", "E92000001"), "verdict"] == "reproduces"
    # Smoking, where lower is better: an interval below England's is "Better".
    r = next(r for r in rows if r["Area Code"] == "E38000030" and r["Indicator ID"] == "92443")
    assert _by_hand(float(r["Lower CI 95.0 limit"]), float(r["Upper CI 95.0 limit"]), england["92443"]) == "lower"
    assert led.loc[("99F", "adult_smoking_prevalence_pct", "E92000001"), ["recomputed", "verdict"]].tolist() == ["Better", "reproduces"]
    # Basildon and Brentwood is printed Better, but its interval holds England's value.
    r = next(r for r in rows if r["Area Code"] == "E38000007" and r["Indicator ID"] == "90366")
    assert _by_hand(float(r["Lower CI 95.0 limit"]), float(r["Upper CI 95.0 limit"]), england["90366"]) == "similar"
    assert led.loc[("99E", "life_expectancy_at_birth_male", "E92000001"), ["printed", "recomputed", "verdict"]].tolist() == [
        "Better", "Similar", "differs"]
    # Against the parent (Essex, a row of the same export).
    assert led.loc[("06Q", "life_expectancy_at_birth_male", "E10000012"), "verdict"] == "reproduces"
    # Cannot check: a quintile verdict, a figure not compared, a comparator with no value in the data.
    assert "quintile" in led.loc[("99F", "adult_obesity_pct", "E92000001"), "reading"]
    assert led.loc[("06Q", "adult_smoking_prevalence_pct", "E92000001"), "verdict"] == "cannot check"
    assert led.loc[("99F", "adult_smoking_prevalence_pct", "E10000012"), "verdict"] == "cannot check"


def test_the_99_8_method_reads_the_wider_interval(data_copy, tmp_path):
    mapping = (DATA_DIR / "fingertips_mapping.csv").read_text(encoding="utf-8").replace(
        "Life expectancy at birth (Male),ci95", "Life expectancy at birth (Male),ci99.8")
    (tmp_path / "mapping.csv").write_text(mapping, encoding="utf-8")
    data = imported(data_copy, "--mapping", str(tmp_path / "mapping.csv"))
    led = comparisons.comparison_ledger(data).set_index(["area_code", "measure_id", "comparator"])
    r = next(r for r in records() if r["Area Code"] == "E38000030" and r["Indicator ID"] == "90366")
    # 99.8% limits 79.6 to 81.2 hold England's 79.6: similar, where the 95% interval gave higher.
    assert _by_hand(float(r["Lower CI 99.8 limit"]), float(r["Upper CI 99.8 limit"]), 79.6) == "similar"
    row = led.loc[("99F", "life_expectancy_at_birth_male", "E92000001")]
    assert (row["level"], row["recomputed"], row["verdict"]) == ("99.8%", "Similar", "differs")


def test_reimporting_the_same_file_changes_nothing(data_copy, capsys):
    imported(data_copy)
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(EXPORT), "--name", "again"]) == 0
    assert "imported before" in capsys.readouterr().out
    assert data_snapshot(data_copy) == before


def test_a_newer_export_replaces_only_when_asked(data_copy, tmp_path, capsys):
    imported(data_copy)
    newer = tmp_path / "newer.csv"
    newer.write_text(EXPORT.read_text(encoding="utf-8").replace(",80.4,79.9,80.9,", ",80.5,80.0,81.0,"), encoding="utf-8")
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(newer)]) == 1
    assert "--replace" in capsys.readouterr().err
    assert data_snapshot(data_copy) == before
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(newer), "--replace"]) == 0
    data, problems = collect(data_copy)
    assert problems == []
    assert set(data.sources["source_id"]) >= {"FT-NEWER"} and "FT-COMPARISONS" not in set(data.sources["source_id"])
    assert not (data_copy / "sources" / "comparisons.csv").exists()
    le = data.facts[(data.facts["area_code"] == "99F") & (data.facts["measure_id"] == "life_expectancy_at_birth_male")]
    assert le[le["period"] == "2016-2018"]["printed"].tolist() == ["80.5"]


def bad_export(tmp_path, name, text=None, data=None):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _zip_bytes(tmp_path):
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("export.csv", EXPORT.read_text(encoding="utf-8"))
    return z.read_bytes()


def _lines():
    return EXPORT.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize("case, make, expected", [
    ("unknown header", lambda t: bad_export(t, "u.csv", (FIXTURES / "unknown.csv").read_text(encoding="utf-8")),
     "not a Fingertips export in any layout"),
    ("duplicate row", lambda t: bad_export(t, "d.csv", "".join(_lines()[:3] + _lines()[2:3])), "line 4: repeats line 3"),
    ("non-numeric value", lambda t: bad_export(t, "n.csv", "".join(_lines()[:2] + [_lines()[2].replace(",80.4,", ",eighty,")])),
     "line 3, column 'Value': 'eighty' is not a number"),
    ("not CSV", lambda t: bad_export(t, "z.csv", data=_zip_bytes(t)), "cannot read it as a CSV file"),
    ("empty file", lambda t: bad_export(t, "e.csv", ""), "the file is empty"),
    ("a short row", lambda t: bad_export(t, "s.csv", "".join(_lines()[:2] + ["90366,Life expectancy at birth\n"])),
     "line 3: 2 fields where the header has 27"),
])
def test_a_bad_import_names_file_and_line_and_changes_nothing(data_copy, tmp_path, capsys, case, make, expected):
    path = make(tmp_path)
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(path)]) == 1, case
    err = capsys.readouterr().err
    assert path.name in err and expected in err and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1
    assert data_snapshot(data_copy) == before


def test_an_import_that_does_not_validate_changes_nothing(data_copy, tmp_path, capsys):
    # A value outside the measure's range (a smoking prevalence over 100%) passes the reader but not validation.
    path = bad_export(tmp_path, "range.csv", "".join(_lines()[:7] + [_lines()[7].replace(",11.2,8.1,14.3,", ",111.2,8.1,14.3,")]))
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(path)]) == 1
    err = capsys.readouterr().err
    assert "do not validate" in err and "value_in_range" in err
    assert data_snapshot(data_copy) == before and not any(p.name.startswith(".data-import") for p in data_copy.parent.iterdir())


def test_the_area_page_and_the_ledger_show_the_imported_indicators(data_copy):
    from analysis.data import scoped
    from tests.inprocess import run_page
    data = imported(data_copy)
    html = "\n".join(run_page("ccg_demographics.ipynb", "99E", scoped(data, "99E")))
    assert 'id="indicators-99e"' in html and "✘ differs" in html  # printed Better, recomputed Similar
    # The spine chart, with its text alternative and its data table: the three CCGs of the export.
    assert 'id="fig-spine-99e"' in html and 'class="chart-alt"' in html and 'id="spine-data-99e"' in html
    assert "the 3 area(s) in the export range from 79.9 to 80.9" in html
    # A CCG with no export says so.
    other = "\n".join(run_page("ccg_demographics.ipynb", "07H", scoped(data, "07H")))
    assert "holds no indicator export" in other and "indicators-07h" not in other
    ledger = "\n".join(run_page("ledger.ipynb", None, data))
    # Every verdict the export prints (each parent in this export is in the registry).
    printed = sum(bool(r[c]) for r in records() for c in ("Compared to England value or percentiles",
                                                          "Compared to Region value or percentiles"))
    assert 'id="ledger-comparisons"' in ledger and f"re-does **{printed}** such comparisons" in ledger


def test_category_rows_are_breakdowns_where_the_mapping_asks(data_copy, tmp_path, capsys):
    export = FIXTURES / "current.csv"
    with open(export, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    line, row = next((i, r) for i, r in enumerate(rows, start=2) if r["Category Type"])
    assert cli.main(["--data", str(data_copy), "import-fingertips", str(export)]) == 0
    data, _ = collect(data_copy)
    kept = data.facts[(data.facts["source_id"] == "FT-CURRENT") & (data.facts["lines"] == str(line))]
    assert kept[["breakdown", "printed"]].values.tolist() == [[f"{row['Category Type']}: {row['Category']}", row["Value"]]]
    # The same export through a mapping that asks for no category type: the row is skipped, and says why.
    other = tmp_path / "data2"
    shutil.copytree(DATA_DIR, other)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text((DATA_DIR / "fingertips_mapping.csv").read_text(encoding="utf-8").replace(
        ",ci95,County & UA deprivation deciles", ",ci95,"), encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--data", str(other), "import-fingertips", str(export), "--mapping", str(mapping)]) == 0
    assert f"skipped line {line}: category breakdown ({row['Category Type']}) is not asked for" in capsys.readouterr().out
