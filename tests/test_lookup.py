"""ONS geography lookups register a CCG beyond Essex in one step: each layout is detected from its
header whatever its year suffix, the CCG is added with its districts, its STP and its council, a
re-import changes nothing, and a bad file is refused in one line naming it, with data/ unchanged.
The fixtures (tests/fixtures/ons/) are synthetic, written from the layouts' descriptions."""
import csv
import shutil

import pytest

from conftest import data_snapshot

from analysis import DATA_DIR, cli
from analysis.data import collect, lookup

FIXTURES = DATA_DIR.parent / "tests" / "fixtures" / "ons"
STP, LAD, LSOA, COUNTY = (FIXTURES / n for n in ("ccg-stp.csv", "ccg-lad.csv", "lsoa-ccg-lad.csv", "lad-county.csv"))


def areas(data_dir):
    with open(data_dir / "areas.csv", newline="", encoding="utf-8") as f:
        return {r["area_code"]: r for r in csv.DictReader(f)}


def fixture_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("path, layout", [
    (STP, "CCG to STP/ICB"), (LAD, "CCG to local authority district"),
    (LSOA, "LSOA to CCG and local authority district"), (COUNTY, "local authority district to county"),
])
def test_each_layout_is_detected_and_named(data_copy, capsys, path, layout):
    lk = lookup.read_lookup(path)
    assert lk.layout == layout and lk.rows == len(fixture_rows(path))
    cli.main(["--data", str(data_copy), "import-lookup", str(path), str(COUNTY)])
    assert f"Read {path.name}: an ONS {layout} lookup" in capsys.readouterr().out


def test_any_year_suffix_is_read(tmp_path):
    # The CCG to district layout with 2019's suffix and an STP lookup spelt with ICB columns.
    text = LAD.read_text(encoding="utf-8").replace("CCG21", "CCG19").replace("LAD21", "LAD19")
    (tmp_path / "lad19.csv").write_text(text, encoding="utf-8")
    assert lookup.read_lookup(tmp_path / "lad19.csv").layout == "CCG to local authority district"
    header = "ICB22CD,ICB22CDH,ICB22NM,CCG22CD,CCG22CDH,CCG22NM\n"
    (tmp_path / "icb.csv").write_text(header + "E54000901,QZ9,Example ICB,E38000901,91Z,NHS Example Downs CCG\n", encoding="utf-8")
    assert lookup.read_lookup(tmp_path / "icb.csv").icb_of == {"E38000901": ("E54000901", "QZ9", "Example ICB")}


def test_lsoas_are_aggregated_to_ccg_and_district_pairs():
    lk = lookup.read_lookup(LSOA)
    pairs = {(r["CCG20CD"], r["LAD20CD"]) for r in fixture_rows(LSOA)}
    assert {(c, d) for c, ds in lk.districts.items() for d in ds} == pairs and len(pairs) < lk.rows


def test_a_ccg_outside_essex_is_registered_with_its_districts_icb_and_council(data_copy, capsys):
    before = areas(data_copy)
    assert cli.main(["--data", str(data_copy), "import-lookup", str(STP), str(LAD), str(COUNTY)]) == 0
    after = areas(data_copy)
    added = {c: r for c, r in after.items() if c not in before}
    # From the fixtures: Example Downs (91Z, E38000901) has Northtown and Southvale, two-tier districts
    # of Example Shire (E10000901); Port Example CCG (92Z) has the unitary Port Example (E06000901);
    # both are in STP E54000901 (QZ9). Castle Point and Rochford (99F) is registered already.
    assert set(added) == {"91Z", "92Z", "E07000901", "E07000902", "E10000901", "E06000901", "QZ9"}
    ccg = added["91Z"]
    assert (ccg["type"], ccg["section"], ccg["gss_code"], ccg["ods_code"]) == ("ccg", "ccg", "E38000901", "91Z")
    assert ccg["name"] == "NHS Example Downs CCG"
    assert (ccg["parent_code"], ccg["hwb_code"], ccg["icb_code"]) == ("E10000901", "E10000901", "QZ9")
    for d, name in (("E07000901", "Northtown"), ("E07000902", "Southvale")):
        assert (added[d]["type"], added[d]["parent_code"], added[d]["hwb_code"], added[d]["name"]) == ("district", "91Z", "E10000901", name)
    assert (added["QZ9"]["type"], added["QZ9"]["gss_code"]) == ("icb", "E54000901")
    assert (added["E10000901"]["type"], added["E10000901"]["parent_code"], added["E10000901"]["name"]) == ("hwb", "E92000001", "Example Shire")
    assert (added["92Z"]["parent_code"], added["E06000901"]["type"]) == ("E06000901", "hwb")
    assert {c: r for c, r in after.items() if c in before} == before  # rows already there are left as they are
    assert collect(data_copy)[1] == []
    raw = (data_copy / "areas.csv").read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")


def test_a_re_import_changes_nothing(data_copy, capsys):
    args = ["--data", str(data_copy), "import-lookup", str(LSOA), str(COUNTY)]
    assert cli.main(args) == 0
    first = data_snapshot(data_copy)
    capsys.readouterr()
    assert cli.main(args) == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert data_snapshot(data_copy) == first


def test_a_district_under_another_ccg_keeps_its_row(data_copy, tmp_path, capsys):
    other = tmp_path / "moved.csv"
    other.write_text("CCG21CD,CCG21CDH,CCG21NM,LAD21CD,LAD21NM\nE38000901,91Z,NHS Example Downs CCG,E07000069,Castle Point\n",
                     encoding="utf-8")
    assert cli.main(["--data", str(data_copy), "import-lookup", str(other), str(COUNTY)]) == 0
    assert "E07000069 (Castle Point) is already in data/areas.csv under 99F" in capsys.readouterr().out
    assert areas(data_copy)["E07000069"]["parent_code"] == "99F"


def test_districts_in_two_boards_or_an_unknown_county_are_refused(data_copy, tmp_path, capsys):
    two = tmp_path / "two.csv"
    two.write_text("CCG21CD,CCG21CDH,CCG21NM,LAD21CD,LAD21NM\nE38000901,91Z,NHS Example Downs CCG,E07000901,Northtown\n"
                   "E38000901,91Z,NHS Example Downs CCG,E06000901,Port Example\n", encoding="utf-8")
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "import-lookup", str(two), str(COUNTY)]) == 1
    err = capsys.readouterr().err
    assert "2 Health and Wellbeing Board areas" in err and "--parent CODE" in err
    assert cli.main(["--data", str(data_copy), "import-lookup", str(LAD)]) == 1
    err = capsys.readouterr().err
    assert "E07000901, E07000902" in err and "district-to-county lookup" in err and "--parent CODE" in err
    assert data_snapshot(data_copy) == before
    # --parent settles it.
    assert cli.main(["--data", str(data_copy), "import-lookup", str(two), str(COUNTY), "--parent", "E10000901"]) == 0
    assert areas(data_copy)["91Z"]["parent_code"] == "E10000901" and areas(data_copy)["E06000901"]["type"] == "hwb"


def test_new_area_from_lookup_registers_the_ccg_and_writes_its_template(data_copy, capsys):
    assert cli.main(["--data", str(data_copy), "new-area", "--from-lookup", str(STP), str(LAD), str(COUNTY),
                     "--code", "E38000902", "--date", "2024-03"]) == 0
    out = capsys.readouterr().out
    reg = areas(data_copy)
    assert "92Z" in reg and "91Z" not in reg and reg["92Z"]["name"] == "NHS Port Example CCG"
    assert reg["92Z"]["parent_code"] == "E06000901" and reg["QZ9"]["type"] == "icb"
    template = (data_copy / "facts" / "area-92Z.csv").read_text(encoding="utf-8")
    assert template.startswith("# Data template for NHS Port Example CCG (92Z), written by `python -m analysis new-area`.")
    assert "LOCAL-92Z,facts/area-92Z.csv,Local data for NHS Port Example CCG,Local analyst,2024-03" in (
        data_copy / "sources.csv").read_text(encoding="utf-8")
    assert "wrote area-92Z.csv" in out
    assert collect(data_copy)[1] == []


def test_new_area_from_lookup_writes_the_template_new_area_writes(data_copy, tmp_path, capsys):
    # The same CCG registered by hand with new-area gives the same template, byte for byte.
    by_hand = tmp_path / "by-hand"
    shutil.copytree(DATA_DIR, by_hand)
    assert cli.main(["--data", str(by_hand), "new-area", "92Z", "--name", "NHS Port Example CCG", "--type", "ccg",
                     "--parent", "E06000033", "--date", "2024-03"]) == 0
    assert cli.main(["--data", str(data_copy), "new-area", "--from-lookup", str(STP), str(LAD),
                     "--code", "92Z", "--date", "2024-03"]) == 0
    assert (data_copy / "facts" / "area-92Z.csv").read_bytes() == (by_hand / "facts" / "area-92Z.csv").read_bytes()


BAD = {
    "unknown header": (b"CCG20CD,CCG20NM,Population\nE38000901,NHS Example Downs CCG,1000\n",
                       ["line 1", "nearest is CCG to", "missing column(s) CCG<yy>CDH", "unexpected column(s) Population"]),
    "duplicate row": (b"CCG21CD,CCG21CDH,CCG21NM,LAD21CD,LAD21NM\nE38000901,91Z,NHS Example Downs CCG,E07000901,Northtown\n"
                      b"E38000901,91Z,NHS Example Downs CCG,E07000901,Northtown\n", ["line 3: duplicate row", "as line 2"]),
    "bad code": (b"CCG21CD,CCG21CDH,CCG21NM,LAD21CD,LAD21NM\nE38000901,91Z,NHS Example Downs CCG,Northtown,E07000901\n",
                 ["line 2, column 4 (LAD21CD)", "'Northtown' is not a code"]),
    "zip bytes": (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), ["not a CSV text file"]),
    "empty file": (b"", ["the file is empty"]),
    "short row": (b"CCG21CD,CCG21CDH,CCG21NM,LAD21CD,LAD21NM\r\nE38000901,91Z\r\n", ["line 2: 2 fields where the header has 5"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_lookup_is_one_line_naming_the_file_and_data_is_unchanged(data_copy, tmp_path, capsys, case):
    content, expected = BAD[case]
    path = tmp_path / f"{case.replace(' ', '-')}.csv"
    path.write_bytes(content)
    before = data_snapshot(data_copy)
    for argv in (["import-lookup", str(path), str(COUNTY)], ["new-area", "--from-lookup", str(path), "--code", "91Z"]):
        assert cli.main(["--data", str(data_copy), *argv]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith(f"error: {path}: ") and "Traceback" not in err, err
        for e in expected:
            assert e in err, (e, err)
    assert data_snapshot(data_copy) == before


def test_a_code_not_in_the_lookup_is_refused(data_copy, capsys):
    before = data_snapshot(data_copy)
    assert cli.main(["--data", str(data_copy), "new-area", "--from-lookup", str(STP), str(LAD), "--code", "93Z"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "93Z is not a CCG in the lookup(s)" in err and str(STP.name) in err
    assert data_snapshot(data_copy) == before


def test_new_area_still_needs_its_options_without_a_lookup(data_copy, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--data", str(data_copy), "new-area", "99Q", "--name", "Q"])
    assert exc.value.code == 2 and "required: --type, --parent" in capsys.readouterr().err
