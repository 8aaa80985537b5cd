"""The README's "Add a new CCG" steps, run exactly as written on a scratch copy
of the project; then the same area with HTML in its name, to show it stays text."""
import csv
import io
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import ROOT

pytestmark = pytest.mark.slow  # kernels, Sphinx, a browser or subprocesses

IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "scenarios", "__pycache__", "*.egg-info", ".pytest_cache")


def readme_steps(block: str = "new-area") -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(f"<!-- {block}:start -->")[1].split(f"<!-- {block}:end -->")[0]
    return [line.strip() for line in block.splitlines() if line.strip().startswith(".venv/bin/python -m analysis")]


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    # The README's command, with this test's interpreter standing in for .venv/bin/python.
    args = [sys.executable] + shlex.split(command)[1:]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def fill_in(path: Path, facts: Path, code: str = "99X") -> None:
    """Step 2, as an analyst would: publish the allocation and population, and every row a model reads,
    here with the papers' printed figures (Castle Point and Rochford's where it has them) standing in
    for the area's own (marked synthetic in `table`); rows no CCG publishes stay as they are."""
    printed = {}
    for f in sorted(facts.glob("s*.csv")):
        for r in csv.DictReader(l for l in f.read_text(encoding="utf-8").splitlines() if not l.startswith("#")):
            if r["status"] != "not_published":
                key = (r["measure_id"], r["period"], r["breakdown"])
                if key not in printed or r["area_code"] == "99F":
                    printed[key] = r
    out, header = [], None
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.startswith("#"):  # instructions and group headings stay where they are (rows keep their line numbers)
            out.append(line)
            continue
        if header is None:
            header = next(csv.reader([line]))
            out.append(line)
            continue
        row = dict(zip(header, next(csv.reader([line]))))
        if row["measure_id"] == "ccg_allocation" and not row["breakdown"]:
            row.update(value="200000", printed="200,000", status="published", table="Test source, table 1")
        elif row["measure_id"] == "population_ons_projection" and not row["breakdown"]:
            row.update(value="180000", printed="180,000", status="published", table="Test source, table 1")
        elif "Feeds:" in row["note"] and (row["measure_id"], row["period"], row["breakdown"]) in printed:
            p = printed[row["measure_id"], row["period"], row["breakdown"]]
            row.update(value=p["value"], printed=p["printed"], unit=p["unit"], status=p["status"],
                       table="SYNTHETIC " + row["table"])  # the papers' figure standing in; tables keep their grouping
        buf = io.StringIO()
        csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerow(row)
        out.append(buf.getvalue())
    path.write_text("".join(out), encoding="utf-8")
    # The trajectory rules, one row per path, as West Essex's paper states them (standing in again).
    rules = path.parent.parent / "trajectory_rules.csv"
    stated = list(csv.DictReader(rules.read_text(encoding="utf-8").splitlines()))
    with open(rules, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=list(stated[0]), lineterminator="\n").writerows(
            dict(r, area_code=code, source_id=f"LOCAL-{code}", check_id=r["check_id"].replace("s001b.we.", f"local.{code.lower()}."),
                 note="SYNTHETIC: " + r["note"]) for r in stated if r["area_code"] == "07H")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    dst = tmp_path_factory.mktemp("project") / "book-project"
    shutil.copytree(ROOT, dst, ignore=IGNORE)
    return dst


@pytest.fixture(scope="module")
def built(scratch):
    steps = readme_steps()
    assert steps[0].startswith(".venv/bin/python -m analysis new-area 99X")
    first = run(steps[0], scratch)
    assert first.returncode == 0, first.stderr
    fill_in(scratch / "data" / "facts" / "area-99X.csv", scratch / "data" / "facts")
    for step in steps[1:]:
        result = run(step, scratch)
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    return scratch


def test_readme_has_the_steps():
    steps = readme_steps()
    assert [s.split()[3] for s in steps] == ["new-area", "validate", "render", "render", "build"]


def test_template_lists_measures_with_units_and_pages(built):
    text = (built / "data" / "facts" / "area-99X.csv").read_text(encoding="utf-8")
    assert text.startswith("# Data template for Example CCG (99X)")
    assert "Shows on: Overview page" in text and ",£000," in text


def test_template_lists_every_input_of_every_model(scratch, built):
    from analysis.models import registry
    rows = list(csv.DictReader(l for l in (built / "data" / "facts" / "area-99X.csv").read_text(encoding="utf-8").splitlines()
                               if not l.startswith("#")))
    held = {(r["measure_id"], r["breakdown"]) for r in rows}
    for c in registry.CONTRACTS.values():
        for i in c.inputs:
            if i.required and not i.area:  # the CCG's own figures (not a comparator's, not a locality's)
                assert any(m == i.measure and i.matches(b) for m, b in held), (c.id, i.key)


def test_filled_template_gives_the_gap_models(built):
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "finance.html").read_text(encoding="utf-8")
    for chart in ("fin-bridge-99x", "fin-mtfp-99x", "fin-tornado-plan-99x", "fin-tornado-mtfp-99x", "fin-m9-99x"):
        assert f'id="fig-{chart}"' in page, chart
    assert "Not modelled for" not in page and "fin-bridge-check-99x" in page


def test_filled_template_and_rules_give_the_trajectories(built):
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "outcomes.html").read_text(encoding="utf-8")
    assert 'id="fig-out-traj-99x"' in page and "out-rules-99x" in page


def test_new_area_is_in_the_toc_and_the_site(built):
    assert "book/ccg/99X/overview" in (built / "_toc.yml").read_text()
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "overview.html").read_text(encoding="utf-8")
    assert "Example CCG" in page and "200,000" in page


def test_new_area_is_in_the_essex_comparison(built):
    page = (built / "_build" / "html" / "book" / "essex" / "overview.html").read_text(encoding="utf-8")
    assert "Example CCG" in page


def test_unfilled_rows_show_as_not_published(built):
    # The growth of the over-75s is compared across CCGs and read by no model: fill_in leaves it blank.
    rows = (built / "data" / "facts" / "area-99X.csv").read_text(encoding="utf-8")
    assert any(line.startswith("local.99x.population_75_plus_growth.") and ",not_published," in line for line in rows.splitlines())
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "demographics.html").read_text(encoding="utf-8")
    assert "not published" in page


def test_html_in_an_area_name_shows_as_text(built):
    areas = built / "data" / "areas.csv"
    areas.write_text(areas.read_text(encoding="utf-8").replace("Example CCG", "Example <script>alert(1)</script> CCG"), encoding="utf-8")
    for step in (".venv/bin/python -m analysis render --area 99X", ".venv/bin/python -m analysis build --no-render"):
        result = run(step, built)
        assert result.returncode == 0, result.stderr
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "overview.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- the second path: from the public files ---------------------------------------------------

FIXTURES = ROOT / "tests" / "fixtures"
# The README's file names, and the fixture saved under each.
PUBLIC_FILES = {"ccg-to-stp.csv": "ons/ccg-stp.csv", "ccg-to-lad.csv": "ons/ccg-lad.csv", "lad-to-county.csv": "ons/lad-county.csv",
                "sape-mid-2020-ccg.csv": "ons/population.csv", "fingertips-export.csv": "fingertips/example-downs.csv"}


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    dst = tmp_path_factory.mktemp("public") / "book-project"
    shutil.copytree(ROOT, dst, ignore=IGNORE)
    for name, fixture in PUBLIC_FILES.items():
        shutil.copyfile(FIXTURES / fixture, dst / name)
    steps = readme_steps("new-area-public")
    for step in steps[:3]:
        result = run(step, dst)
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    fill_in(dst / "data" / "facts" / "area-91Z.csv", dst / "data" / "facts", "91Z")
    for step in steps[3:]:
        result = run(step, dst)
        assert result.returncode == 0, f"{step}\n{result.stdout}\n{result.stderr}"
    return dst


def test_readme_has_the_public_steps():
    assert [s.split()[3] for s in readme_steps("new-area-public")] == [
        "new-area", "import-population", "import-fingertips", "validate", "render", "build"]
    assert set(PUBLIC_FILES) <= {w for s in readme_steps("new-area-public") for w in s.split()}


def test_a_ccg_outside_essex_gets_its_section_with_its_districts_and_icb(public):
    rows = {r["area_code"]: r for r in csv.DictReader((public / "data" / "areas.csv").read_text(encoding="utf-8").splitlines())}
    # From the fixtures: Example Downs (E38000901, 91Z) in STP QZ9, districts Northtown and Southvale of Example Shire.
    ccg = rows["91Z"]
    assert (ccg["gss_code"], ccg["section"], ccg["icb_code"], ccg["hwb_code"]) == ("E38000901", "ccg", "QZ9", "E10000901")
    assert rows["E10000901"]["type"] == "hwb" and rows["QZ9"]["type"] == "icb"
    districts = {r["name"] for r in rows.values() if r["type"] == "district" and r["parent_code"] == "91Z"}
    assert districts == {"Northtown", "Southvale"}
    page = (public / "_build" / "html" / "book" / "ccg" / "91Z" / "overview.html").read_text(encoding="utf-8")
    assert "NHS Example Downs CCG" in page and "Northtown, Southvale" in page and "Example Shire" in page


def test_its_demographics_page_shows_its_age_structure_and_indicators(public):
    page = (public / "_build" / "html" / "book" / "ccg" / "91Z" / "demographics.html").read_text(encoding="utf-8")
    assert 'id="fig-dem-age-bands-91z"' in page
    # The population fixture's All Ages for Example Downs, as printed there.
    line = (FIXTURES / "ons" / "population.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "E38000901" in line and "76310" in line
    # Fingertips: the table with the export's verdicts re-done, and the spine chart with its data table.
    assert 'id="indicators-91z"' in page and "✔ reproduces" in page and "✘ differs" not in page
    assert 'id="fig-spine-91z"' in page and 'id="spine-data-91z"' in page


def test_its_finance_page_gets_the_plan_models(public):
    page = (public / "_build" / "html" / "book" / "ccg" / "91Z" / "finance.html").read_text(encoding="utf-8")
    assert 'id="fig-fin-bridge-91z"' in page and "Not modelled for" not in page
