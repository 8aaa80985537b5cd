"""The book builds with warnings as errors, and its pages carry what they promise."""
import re

import nbformat
import pytest

from analysis import ROOT
from analysis.build import render
from analysis.cli import _values_for
from artifacts import artifacts

CCGS = ["99E", "99F", "06Q", "06T", "07H", "99G", "07G"]


@pytest.mark.parametrize("code", CCGS)
def test_ccg_page_has_chart_and_table(site, code):
    page = (site / "book" / "ccg" / code / "overview.html").read_text(encoding="utf-8")
    assert "Plotly.newPlot" in page
    assert '<table class="book-table' in page
    assert 'class="chart-alt"' in page


def test_overview_and_home_exist(site):
    assert (site / "index.html").exists()
    overview = (site / "book" / "essex" / "overview.html").read_text(encoding="utf-8")
    assert overview.count("Plotly.newPlot") >= 2


def test_plotly_js_is_local_and_shipped_once(site):
    assert (site / "_static" / "plotly.min.js").stat().st_size > 1_000_000
    page = (site / "book" / "ccg" / "99F" / "overview.html").read_text(encoding="utf-8")
    assert "cdn.plot.ly" not in page and "cdn.jsdelivr" not in page
    assert len(re.findall(r"plotly\.min\.js", page)) == 1
    # The chart divs call the shared library; none embeds its own copy.
    assert all(p.stat().st_size < 2_000_000 for p in site.rglob("*.html"))


def test_only_pages_with_a_chart_load_plotly_js(site):
    loads = {"with": 0, "without": 0}
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        script = re.search(r'<script src="[^"]*_static/plotly\.min\.js', text)
        if "Plotly.newPlot" in text:
            assert script and script.start() < text.index("Plotly.newPlot"), f"{page} draws a chart without plotly.js first"
            loads["with"] += 1
        else:
            assert script is None, f"{page} loads plotly.js but draws no chart"
            loads["without"] += 1
    assert loads["with"] > 0 and loads["without"] > 0, loads


def test_every_ccg_is_in_the_table_of_contents(book_data):
    spec = render.book_spec(book_data)
    toc = render.toc(spec, list(book_data.sources["source_id"]))
    files = {c["file"] for part in toc["parts"] for c in part["chapters"]}
    assert {f"book/ccg/{c}/overview" for c in CCGS} <= files


def test_committed_toc_is_current(book_data):
    spec = render.book_spec(book_data)
    assert (ROOT / "_toc.yml").read_text() == render.toc_yaml(spec, list(book_data.sources["source_id"]), render.note_names(book_data.data_dir))


@pytest.mark.slow
def test_render_is_byte_identical_to_committed(book_data, tmp_path):
    page = next(p for p in render.all_pages(render.book_spec(book_data)) if p.output == "book/ccg/99F/overview")
    out = render.render_page(page, _values_for(book_data)(page), output_root=tmp_path)
    assert out.read_bytes() == page.path.read_bytes()


def test_normalise_strips_run_dependent_metadata():
    nb = nbformat.v4.new_notebook()
    nb.metadata["papermill"] = {"start_time": "x", "duration": 1.0, "parameters": {"area_code": "99F"}}
    cell = nbformat.v4.new_code_cell("1")
    cell.metadata["papermill"] = {"duration": 0.1}
    cell.metadata["execution"] = {"iopub.status.idle": "t"}
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="warning")]
    nb.cells = [nbformat.v4.new_markdown_cell("# {{area_name}}"), cell]
    out = render.normalise(nb, {"area_name": "Mid Essex CCG"})
    assert out.metadata["papermill"] == {"parameters": {"area_code": "99F"}}
    assert out.cells[0].source == "# Mid Essex CCG"
    assert out.cells[1].outputs == []
    assert "remove-input" in out.cells[1].metadata["tags"]
    assert "papermill" not in out.cells[1].metadata and "execution" not in out.cells[1].metadata


@pytest.mark.parametrize("code", CCGS)
def test_each_ccg_has_an_all_data_csv(site, book_data, code):
    import csv
    from analysis.pages import report
    page = (site / "book" / "ccg" / code / "overview.html").read_text(encoding="utf-8")
    href = f"../../../_static/downloads/{code}-all-data.csv"
    assert href in page
    with open((site / "book" / "ccg" / code / href).resolve(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    family = set(report.area_family(code, book_data))
    expected = book_data.facts[book_data.facts["area_code"].isin(family)]
    assert len(rows) == len(expected) > 0
    assert {r["area_code"] for r in rows} <= family


def test_the_artifact_scan_finds_what_it_looks_for():
    page = ('<main><p>Total &lt;IPython.core.display.Markdown object&gt;</p><table><tr><td>nan</td><td>None</td></tr></table>'
            "<p>{{area_name}} £nan</p><pre>Traceback (most recent call last):</pre><p>object at 0x7f3a</p></main>")
    found = artifacts(page)
    assert [f.split(" ")[0] for f in found] == ["Python", "Python", "traceback", "unfilled", "missing", "missing", "a", "a"], found
    assert artifacts("<main><p>None of the 7 CCGs; Nantwich; a financial plan.</p><table><tr><td>0</td></tr></table></main>") == []


def test_no_page_shows_a_reader_an_artifact(site):
    """Every built page: no Python repr, no nan or None in a cell, no traceback, no unfilled placeholder."""
    found = {}
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts or page.name in ("search.html", "genindex.html"):
            continue
        seen = artifacts(page.read_text(encoding="utf-8"))
        if seen:
            found[str(page.relative_to(site))] = seen[:5]
    assert found == {}
