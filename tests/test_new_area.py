"""The README's "Add a new CCG" steps, run exactly as written on a scratch copy
of the project; then the same area with HTML in its name, to show it stays text."""
import csv
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import ROOT

pytestmark = pytest.mark.slow  # kernels, Sphinx, a browser or subprocesses

IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "scenarios", "__pycache__", "*.egg-info", ".pytest_cache")


def readme_steps() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- new-area:start -->")[1].split("<!-- new-area:end -->")[0]
    return [line.strip() for line in block.splitlines() if line.strip().startswith(".venv/bin/python -m analysis")]


def run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    # The README's command, with this test's interpreter standing in for .venv/bin/python.
    args = [sys.executable] + shlex.split(command)[1:]
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def fill_in(path: Path) -> None:
    """Step 2, as an analyst would: publish two figures, leave the rest."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    comments = [l for l in lines if l.startswith("#")]
    rows = list(csv.DictReader([l for l in lines if not l.startswith("#")]))
    for row in rows:
        if row["measure_id"] == "ccg_allocation":
            row.update(value="200000", printed="200,000", status="published", table="Test source, table 1")
        if row["measure_id"] == "population_ons_projection":
            row.update(value="180000", printed="180,000", status="published", table="Test source, table 1")
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.writelines(comments)
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


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
    fill_in(scratch / "data" / "facts" / "area-99X.csv")
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


def test_new_area_is_in_the_toc_and_the_site(built):
    assert "book/ccg/99X/overview" in (built / "_toc.yml").read_text()
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "overview.html").read_text(encoding="utf-8")
    assert "Example CCG" in page and "200,000" in page


def test_new_area_is_in_the_essex_comparison(built):
    page = (built / "_build" / "html" / "book" / "essex" / "overview.html").read_text(encoding="utf-8")
    assert "Example CCG" in page


def test_unfilled_rows_show_as_not_published(built):
    page = (built / "_build" / "html" / "book" / "ccg" / "99X" / "overview.html").read_text(encoding="utf-8")
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
