"""The book's spec: it validates, every block is a page function, and what is derived
from it (the render list, the table of contents, the templates) is current."""
import inspect

import pytest
import yaml
from pydantic import ValidationError

from analysis import TEMPLATE_DIR
from analysis.build import render
from analysis.pages import spec as spec_mod
from analysis.pages.blocks import _resolve

SPEC = spec_mod.load_spec()


@pytest.mark.parametrize("page", SPEC.pages, ids=lambda p: p.id)
def test_every_block_is_a_page_function_taking_the_page(page):
    for section in page.sections:
        for block in section.blocks:
            fn = _resolve(block.fn)
            params = list(inspect.signature(fn).parameters)
            assert params and params[0] == "page", f"{block.fn} must take the page first"
            inspect.signature(fn).bind("page", *block.args, **block.kwargs)


@pytest.mark.parametrize("name, text", sorted(render.template_texts().items()))
def test_committed_templates_are_generated_from_the_spec(name, text):
    assert (TEMPLATE_DIR / name).read_text(encoding="utf-8") == text, "run `python -m analysis render`"


def test_every_template_comes_from_the_spec():
    assert sorted(p.name for p in TEMPLATE_DIR.glob("*.ipynb")) == sorted(render.template_texts())


def test_render_list_snapshot(book_data):
    """The pages the spec and the registry give, in order (reviewed when the book's shape changes)."""
    shared, sections = render.book_spec(book_data)
    assert [p.output for p in shared] == ["book/essex/overview", "book/essex/demographics", "book/essex/finance",
                                          "book/essex/outcomes", "book/ledger", "book/needs", "book/data-dictionary", "book/index"]
    assert [(s.area_code, s.kind, len(s.pages)) for s in sections] == [
        ("99E", "ccg", 4), ("99F", "ccg", 4), ("06Q", "ccg", 4), ("06T", "ccg", 4), ("07H", "ccg", 4), ("99G", "ccg", 4),
        ("07G", "ccg", 4), ("E10000028", "hwb", 1)]
    page = sections[1].pages[2]
    assert (page.template, page.output, page.params, page.scope) == ("ccg_finance.ipynb", "book/ccg/99F/finance", {"area_code": "99F"}, "99F")


def test_toc_follows_the_spec_parts(book_data):
    toc = render.toc(render.book_spec(book_data), ["000"], ["s000a"])
    assert [p["caption"] for p in toc["parts"]] == [p.caption for p in SPEC.parts]
    reference = toc["parts"][-1]["chapters"]
    assert reference[0] == {"file": "book/ledger"} and reference[-2] == {"file": "book/sources/index", "sections": [{"file": "book/sources/000"}]}


def _broken(tmp_path, change) -> str:
    raw = yaml.safe_load(spec_mod.SPEC_FILE.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "book.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    spec_mod.load_spec.cache_clear()
    with pytest.raises(ValidationError) as err:
        spec_mod.load_spec(path)
    spec_mod.load_spec.cache_clear()
    return str(err.value)


def test_a_part_naming_an_unknown_page_is_refused(tmp_path):
    msg = _broken(tmp_path, lambda s: s["parts"][0]["chapters"][0].append("no-such-page"))
    assert "names page 'no-such-page', which the spec does not define" in msg


def test_a_misspelt_key_is_refused_with_its_place(tmp_path):
    msg = _broken(tmp_path, lambda s: s["pages"][7]["sections"][1].update(blocs=[]))
    assert "pages.7.sections.1.blocs" in msg and "Extra inputs are not permitted" in msg


def test_a_page_outside_book_is_refused(tmp_path):
    msg = _broken(tmp_path, lambda s: s["pages"][0].update(file="elsewhere/index"))
    assert "a path under book/" in msg
