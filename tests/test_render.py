"""Rendering: incremental (unchanged pages are skipped) and deterministic
(parallel and serial renders give byte-identical notebooks)."""
from pathlib import Path

import pytest

from analysis.build import render
from analysis.cli import _values_for
from conftest import parameterised_notebook


def tiny_template(tmp_path: Path) -> Path:
    return parameterised_notebook(tmp_path / "tiny.ipynb", "print(area_code)")


@pytest.mark.slow
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


@pytest.mark.slow
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


# --- the slice of the data each page reads --------------------------------------------------

OWN_FACT = "001.we-ambitions.07h.pyll_amenable_per_100k.2012.baseline"  # a West Essex table that prints no other CCG


def _edit_fact(data_dir, fact_id, old, new):
    from analysis import data
    for path in data.fact_files(data_dir):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        hits = [i for i, line in enumerate(lines) if line.startswith(fact_id + ",")]
        if hits:
            assert f",{old}," in lines[hits[0]]
            lines[hits[0]] = lines[hits[0]].replace(f",{old},", f",{new},", 1)
            path.write_text("\n".join(lines), encoding="utf-8")
            return
    raise AssertionError(f"{fact_id} not found")


def _keys(data_dir):
    from analysis import data
    loaded, problems = data.collect(data_dir)
    assert not problems
    return data.slice_keys(loaded, [None, "07H", "99F", "06Q", "E10000028"])


def test_changing_one_areas_own_fact_changes_only_its_pages_and_the_whole_data_pages(data_copy):
    before = _keys(data_copy)
    _edit_fact(data_copy, OWN_FACT, "1905", "1906")
    after = _keys(data_copy)
    changed = sorted(str(k) for k in before if before[k] != after[k])
    assert changed == ["07H", "None"]


def test_changing_a_figure_compared_across_ccgs_changes_every_ccg_page(data_copy, book_data):
    fid = "000.fig2.99f.qipp_pct_allocation.2013-14"
    before = _keys(data_copy)
    _edit_fact(data_copy, fid, book_data.facts.set_index("fact_id").loc[fid, "value_text"], "9.9")
    after = _keys(data_copy)
    assert all(before[k] != after[k] for k in (None, "07H", "99F", "06Q", "E10000028"))


def test_a_section_outside_the_county_neither_shows_on_nor_re_renders_the_county_pages(data_copy):
    """The county pages read their boards' areas: a national section's own change leaves their key as it was."""
    from analysis import data
    from analysis.pages.spec import load_spec
    from benchmarks import synthetic
    county = load_spec().county.scope
    synthetic.write_synthetic(data_copy.parent, 3)
    loaded, problems = data.collect(data_copy)
    assert not problems
    seen = data.scoped(loaded, county)
    assert not seen.facts["area_code"].str.startswith("SYN").any()
    assert not seen.areas["area_code"].str.startswith("SYN").any()
    essex = set(loaded.areas.loc[loaded.areas["parent_code"].isin(county) & (loaded.areas["section"] == "ccg"), "area_code"])
    assert len(essex) == 7 and essex <= set(seen.areas["area_code"])
    assert set(loaded.facts.loc[loaded.facts["area_code"].isin(essex), "fact_id"]) <= set(seen.facts["fact_id"])
    before = data.slice_keys(loaded, [county, "SYN001", "07H"])
    own = loaded.facts[(loaded.facts["area_code"] == "SYN002") & ~loaded.facts["measure_id"].isin(data.COMPARED_MEASURES)
                       & loaded.facts["value_text"].str.fullmatch(r"\d+")].iloc[0]
    _edit_fact(data_copy, own["fact_id"], own["value_text"], str(int(own["value_text"]) + 1))
    loaded, _ = data.collect(data_copy)
    after = data.slice_keys(loaded, [county, "SYN001", "07H"])
    assert after[county] == before[county] and after["07H"] == before["07H"] and after["SYN001"] == before["SYN001"]
    _edit_fact(data_copy, OWN_FACT, "1905", "1906")
    loaded, _ = data.collect(data_copy)
    assert data.slice_keys(loaded, [county])[county] != after[county]


def test_a_section_page_sees_its_own_facts_and_none_of_another_sections_own(book_data):
    from analysis import data
    west = data.scoped(book_data, "07H")
    facts = set(west.facts["fact_id"])
    assert OWN_FACT in facts
    assert set(book_data.facts.loc[book_data.facts["area_code"] == "07H", "fact_id"]) <= facts
    cpr_mtfp = book_data.facts[book_data.facts["fact_id"].str.startswith("002.") & (book_data.facts["area_code"] == "99F")
                               & (book_data.facts["measure_id"] == "mtfp_line")]
    assert len(cpr_mtfp) > 0 and not set(cpr_mtfp["fact_id"]) & facts
    assert west.peer_measures == data.peer_measures(book_data)


def test_what_a_page_memoises_belongs_to_that_page(book_data):
    from analysis import data
    from analysis.pages.finance import common
    from analysis.pages.pagedata import for_data
    cpr, west = for_data(book_data, "99F"), for_data(data.scoped(book_data, "07H"), "07H")
    check = common._mtfp_check(cpr)
    assert len(check) and common._mtfp_check(cpr) is check
    assert "finance.mtfp_check" not in west._memo
    assert not common._holds(west, "plan") and common._holds(cpr, "plan", "mtfp")
    assert ("holds", "plan") in west._memo and ("holds", "mtfp") not in west._memo
