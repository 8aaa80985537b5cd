"""Rendering: incremental (unchanged pages are skipped) and deterministic
(parallel and serial renders give byte-identical notebooks)."""
from pathlib import Path

from analysis import render
from analysis.cli import _values_for
from conftest import parameterised_notebook


def tiny_template(tmp_path: Path) -> Path:
    return parameterised_notebook(tmp_path / "tiny.ipynb", "print(area_code)")


def test_unchanged_pages_are_skipped_and_changed_ones_render(tmp_path):
    template = tiny_template(tmp_path)
    pages = [render.Page(template=str(template), output=f"book/{c}", title=c, params={"area_code": c}, area_code=c) for c in ("A", "B")]
    keys = {p.output: render.page_key(p, "data-v1", "code-v1") for p in pages}
    first = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None, keys=keys)
    assert sorted(first.done) == ["book/A", "book/B"] and first.skipped == []
    again = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None, keys=keys)
    assert again.done == [] and sorted(again.skipped) == ["book/A", "book/B"]
    changed = {**keys, "book/B": render.page_key(pages[1], "data-v2", "code-v1")}
    third = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None, keys=changed)
    assert third.done == ["book/B"] and third.skipped == ["book/A"]
    (tmp_path / "book" / "A.ipynb").unlink()
    fourth = render.render_pages(pages, lambda p: {}, jobs=2, output_root=tmp_path, progress=lambda m: None, keys=changed)
    assert fourth.done == ["book/A"]


def test_page_key_depends_on_every_input(tmp_path):
    template = tiny_template(tmp_path)
    page = render.Page(template=str(template), output="book/A", title="A", params={"area_code": "A"}, area_code="A")
    base = render.page_key(page, "d", "c")
    assert render.page_key(page, "d2", "c") != base
    assert render.page_key(page, "d", "c2") != base
    assert render.page_key(page, "d", "c", {"qipp_delivery": 0.6}) != base
    other = render.Page(template=str(template), output="book/A", title="A", params={"area_code": "B"}, area_code="A")
    assert render.page_key(other, "d", "c") != base


def test_parallel_and_serial_renders_are_byte_identical(book_data, tmp_path):
    spec = render.book_spec(book_data)
    pages = [p for p in render.all_pages(spec) if p.output in ("book/ccg/99F/overview", "book/ccg/07H/outcomes", "book/essex/overview")]
    values = _values_for(book_data)
    serial = render.render_pages(pages, values, jobs=1, output_root=tmp_path / "serial", progress=lambda m: None)
    parallel = render.render_pages(pages, values, jobs=2, output_root=tmp_path / "parallel", progress=lambda m: None)
    assert not serial.failed and not parallel.failed
    for p in pages:
        a = (tmp_path / "serial" / f"{p.output}.ipynb").read_bytes()
        b = (tmp_path / "parallel" / f"{p.output}.ipynb").read_bytes()
        assert a == b == p.path.read_bytes()
