"""ONS mid-year estimates by single year of age for CCGs: each cell becomes a fact citing its line,
the ledger re-adds the single years to All Ages, the demographics page shows the age bands and
the older population, a re-import changes nothing, a second file for the same figures needs
--replace, and a bad file is refused in one line with data/ unchanged. The fixture
(tests/fixtures/ons/population.csv) is synthetic: see tests/fixtures/README.md."""
import csv
import shutil

import pytest

from conftest import data_snapshot

from analysis import DATA_DIR, cli
from analysis.data import collect
from analysis.models import checks
from analysis.models.finance.assumptions import Assumptions
from analysis.pages import demographics
from analysis.pages.pagedata import for_data

FIXTURES = DATA_DIR.parent / "tests" / "fixtures" / "ons"
POPULATION = FIXTURES / "population.csv"
LOOKUPS = [str(FIXTURES / n) for n in ("ccg-stp.csv", "ccg-lad.csv", "lad-county.csv")]


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    """data/ with the fixtures' two CCGs registered from the lookups."""
    base = tmp_path_factory.mktemp("registered") / "data"
    shutil.copytree(DATA_DIR, base)
    assert cli.main(["--data", str(base), "import-lookup", *LOOKUPS]) == 0
    return base


@pytest.fixture
def scratch(registered, tmp_path):
    shutil.copytree(registered, tmp_path / "data")
    return tmp_path / "data"


def imported(data_dir, *extra, path=POPULATION):
    return cli.main(["--data", str(data_dir), "import-population", str(path), "--period", "2020", "--date", "2021-06", *extra])


def test_every_cell_of_a_registered_area_is_a_fact_citing_its_line(scratch, capsys):
    assert imported(scratch) == 0
    out = capsys.readouterr().out
    assert "skipped line 4: area E38000999 (NHS Nowhere CCG) is not in data/areas.csv" in out
    data, problems = collect(scratch)
    assert problems == []
    facts = data.facts[data.facts["measure_id"] == "population_ons_mid_year_estimate"]
    assert sorted(set(facts["area_code"])) == ["91Z", "92Z"] and len(facts) == 2 * 92  # All Ages, 0-89 and 90+
    copy = scratch / "sources" / data.sources.set_index("source_id").loc[facts["source_id"].iloc[0], "file"]
    assert copy.read_bytes() == POPULATION.read_bytes()
    lines = copy.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    for r in facts.itertuples():
        cells = dict(zip(header, next(csv.reader([lines[int(r.lines) - 1]]))))
        column = "All Ages" if r.breakdown == "" else r.breakdown.removeprefix("age ")
        assert r.value_text == cells[column] and r.unit == "count" and r.period == "2020"
    assert "91Z, 92Z" in (scratch / "sources.csv").read_text(encoding="utf-8")


def test_the_ledger_re_adds_the_single_years(scratch):
    assert imported(scratch) == 0
    data = collect(scratch)[0]
    led = checks.evaluate_all(data)
    mine = led[led["stated_fact"].isin(data.facts.loc[data.facts["measure_id"] == "population_ons_mid_year_estimate", "fact_id"])]
    mine = mine.set_index("area_code")
    assert len(mine) == 2 and set(mine["rule"]) == {"sum"}
    # 91Z: ages 0-89 are 1200 - 8 × age (90 × 1200 - 8 × 4005 = 75,960) and 90+ is 350: 76,310, as its All Ages.
    assert mine.loc["91Z", "recomputed"] == 76310 and mine.loc["91Z", "verdict"] == "reproduces"
    # 92Z: 900 - 6 × age (56,970) and 200 give 57,170; its All Ages is printed 25 higher, 57,195.
    assert mine.loc["92Z", "recomputed"] == 57170 and mine.loc["92Z", "stated"] == 57195
    assert mine.loc["92Z", "verdict"] == "differs"


def test_the_page_shows_the_age_bands_and_the_older_population(scratch):
    assert imported(scratch) == 0
    data = collect(scratch)[0]
    page = for_data(data, "91Z", Assumptions())
    chart = demographics.age_band_chart(page)
    # From 1200 - 8 × age: 0-14 is 15 × 1200 - 8 × 105; 15-64 is 50 × 1200 - 8 × 1975; 65-74 is 10 × 1200 - 8 × 695;
    # 75-84 is 10 × 1200 - 8 × 795; 85+ is 5 × 1200 - 8 × 435 plus the 350 aged 90+.
    bands = dict(zip(chart.data.frame["Age band"], chart.data.frame["People (sum by the book)"]))
    assert bands == {"0-14": "17,160", "15-64": "44,200", "65-74": "6,440", "75-84": "5,640", "85+": "2,870"}
    assert "0-14: 17,160" in chart.alt and "book" in chart.caption and chart.chart_id == "dem-age-bands-91z"
    assert len(chart.data.download) == 91 and set(chart.data.download["band"]) == set(bands)
    table = demographics.older_people_table(page)
    rows = dict(zip(table.frame["Age group"], zip(table.frame["People"], table.frame["Share of All Ages (book)"])))
    # 65+ = 6,440 + 5,640 + 2,870; shares of the 76,310 of all ages.
    assert rows["65 and over (sum by the book)"] == ("14,950", "19.6%")
    assert rows["75 and over (sum by the book)"] == ("8,510", "11.2%")
    assert rows["85 and over (sum by the book)"] == ("2,870", "3.8%")
    sentence = demographics.older_people_sentence(page).data
    assert "14,950 people aged 65 and over (19.6%)" in sentence and "reproduces" in sentence
    # Its section shows them, and the age contract holds for the CCG on the estimates alone.
    from analysis.pages.blocks import results
    from analysis.pages.spec import load_spec
    index = [s.id for s in load_spec().page("ccg-demographics").sections].index("age")
    shown = [r for r in results(page, "ccg-demographics", index) if r is not None]
    assert any(getattr(r, "chart_id", "") == "dem-age-bands-91z" for r in shown)
    from analysis.models import registry
    assert registry.contract("age_structure").missing(data.facts, "91Z", data.areas) == []
    # 92Z's All Ages does not re-add: the sentence says so.
    assert "differs" in demographics.older_people_sentence(for_data(data, "92Z", Assumptions())).data


def test_a_re_import_changes_nothing(scratch, capsys):
    assert imported(scratch) == 0
    before = data_snapshot(scratch)
    capsys.readouterr()
    assert imported(scratch) == 0
    assert "Nothing changed" in capsys.readouterr().out and data_snapshot(scratch) == before


def test_another_file_for_the_same_figures_needs_replace(scratch, tmp_path, capsys):
    assert imported(scratch) == 0
    revised = tmp_path / "revised.csv"
    revised.write_text(POPULATION.read_text(encoding="utf-8").replace(",57195,", ",57170,"), encoding="utf-8")
    before = data_snapshot(scratch)
    assert imported(scratch, path=revised) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already held" in err and "--replace" in err and data_snapshot(scratch) == before
    assert imported(scratch, "--replace", path=revised) == 0
    data, problems = collect(scratch)
    assert problems == []
    facts = data.facts[data.facts["measure_id"] == "population_ons_mid_year_estimate"]
    assert set(facts["source_id"]) == {"ONS-REVISED"} and len(facts) == 184
    assert "ONS-POPULATION" not in set(data.sources["source_id"]) and not (scratch / "sources" / "ons-population.csv").exists()
    led = checks.evaluate_all(data).set_index("stated_fact")
    assert led.loc["ons-revised.92z.2020.all-ages", "verdict"] == "reproduces"


def test_an_area_is_matched_by_its_ods_code(scratch, tmp_path):
    lines = POPULATION.read_text(encoding="utf-8").splitlines()
    ods = tmp_path / "ods.csv"
    ods.write_text(lines[0] + "\n" + lines[2].replace("E38000902", "92Z", 1) + "\n", encoding="utf-8")
    assert imported(scratch, path=ods) == 0
    facts = collect(scratch)[0].facts
    assert set(facts.loc[facts["source_id"] == "ONS-ODS", "area_code"]) == {"92Z"}


def _bad(text: str, old: str, new: str) -> bytes:
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


TEXT = POPULATION.read_text(encoding="utf-8")
ROWS = TEXT.splitlines(keepends=True)
BAD = {
    "non-numeric value": (_bad(TEXT, ",1192,", ",1 192,"), ["line 2, column 7 (1): '1 192' is not a whole number"]),
    "duplicate area row": ((ROWS[0] + ROWS[1] + ROWS[2] + ROWS[1]).encode(), ["line 4: duplicate row for E38000901, as line 2"]),
    "missing age column": ("\n".join(",".join(c for i, c in enumerate(r.split(",")) if i != 50) for r in TEXT.splitlines()).encode(),
                           ["line 1", "missing column(s) 45"]),
    "unknown column": (_bad(TEXT, "All Ages,", "All Ages,Median age,").replace(b"76310,", b"76310,40,").replace(
        b"57195,", b"57195,41,").replace(b"37090,", b"37090,42,"), ["line 1", "unexpected column(s) Median age"]),
    "zip bytes": (b"PK\x03\x04\x14\x00\x08\x00" + bytes(range(256)), ["not a CSV text file"]),
    "empty file": (b"", ["the file is empty"]),
    "not UTF-8": (_bad(TEXT, "NHS Port Example CCG", "NHS Port Exampl\u00e9 CCG").replace("é".encode(), b"\xe9"),
                  ["line 3: not UTF-8 text"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_one_line_naming_the_file_and_data_is_unchanged(scratch, tmp_path, capsys, case):
    content, expected = BAD[case]
    path = tmp_path / f"{case.replace(' ', '-')}.csv"
    path.write_bytes(content)
    before = data_snapshot(scratch)
    assert imported(scratch, path=path) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {path}: ") and "Traceback" not in err, err
    for e in expected:
        assert e in err, (e, err)
    assert data_snapshot(scratch) == before


def test_a_bad_period_is_refused(scratch, capsys):
    before = data_snapshot(scratch)
    assert cli.main(["--data", str(scratch), "import-population", str(POPULATION), "--period", "mid-2020"]) == 1
    assert "--period 'mid-2020'" in capsys.readouterr().err and data_snapshot(scratch) == before
