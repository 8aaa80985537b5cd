"""The site build: nothing is built when nothing changed; otherwise Sphinx
re-reads only the changed pages, in the folder not published, and the
published site changes only when a build succeeds."""
import pytest

from analysis.build import render
from conftest import tiny_book

pytestmark = pytest.mark.slow  # kernels, Sphinx, a browser or subprocesses


@pytest.fixture
def book(tmp_path):
    return tiny_book(tmp_path / "src"), tmp_path / "build"


def test_unchanged_inputs_build_nothing(book, monkeypatch):
    root, build = book
    first = render.build_site(root=root, build_dir=build)
    target = first.resolve()

    def no_sphinx(*args, **kwargs):
        raise AssertionError("Sphinx ran although nothing changed")
    monkeypatch.setattr(render.subprocess, "run", no_sphinx)
    assert render.build_site(root=root, build_dir=build).resolve() == target


def test_a_changed_page_is_the_only_one_sphinx_writes(book):
    root, build = book
    render.build_site(root=root, build_dir=build)
    first = (build / "html").resolve()
    (root / "book" / "b.md").write_text("# Page B\n\nSecond text of B.\n")
    render.build_site(root=root, build_dir=build)
    second = (build / "html").resolve()
    assert second != first and {first.parent.parent.name, second.parent.parent.name} == set(render.SLOTS)
    assert "Second text of B." in (second / "book" / "b.html").read_text()
    # Page A was copied from the published build, not written again.
    assert (second / "book" / "a.html").stat().st_mtime_ns == (first / "book" / "a.html").stat().st_mtime_ns
    assert (second / "book" / "b.html").stat().st_mtime_ns != (first / "book" / "b.html").stat().st_mtime_ns


def test_a_failed_build_keeps_the_published_site_and_the_next_one_reads_every_page(book):
    root, build = book
    render.build_site(root=root, build_dir=build)
    published = (build / "html").resolve()
    (root / "book" / "b.md").write_text("# Page B\n\nA [broken reference](missing.md).\n")
    with pytest.raises(RuntimeError, match="previous site is unchanged"):
        render.build_site(root=root, build_dir=build)
    assert (build / "html").resolve() == published and "First text of B." in (published / "book" / "b.html").read_text()
    (root / "book" / "b.md").write_text("# Page B\n\nThird text of B.\n")
    render.build_site(root=root, build_dir=build)
    assert "Third text of B." in (build / "html" / "book" / "b.html").read_text()


def test_sync_copies_only_what_differs_and_removes_what_is_gone(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "dst"
    (src / "d").mkdir(parents=True)
    (src / "d" / "same.txt").write_text("same")
    (src / "new.txt").write_text("new")
    render.sync_tree(src, dst)
    assert (dst / "d" / "same.txt").read_text() == "same" and (dst / "new.txt").read_text() == "new"
    (dst / "stale.txt").write_text("gone from the source")
    (src / "new.txt").write_text("newer text")
    render.sync_tree(src, dst)
    assert not (dst / "stale.txt").exists() and (dst / "new.txt").read_text() == "newer text"


def test_an_edited_stylesheet_reaches_the_next_build(book):
    """Sphinx copies static files only when a page is out of date, and never over an existing
    copy; the build refreshes the book's own static files itself."""
    root, build = book
    static = root / "book" / "_static"
    static.mkdir()
    (static / "book.css").write_text("p { color: black; }\n")
    (root / "_config.yml").write_text((root / "_config.yml").read_text() + 'sphinx:\n  config:\n    html_static_path: ["book/_static"]\n')
    render.build_site(root=root, build_dir=build)
    assert (build / "html" / "_static" / "book.css").read_text() == "p { color: black; }\n"
    (static / "book.css").write_text("p { color: #222; }\n")
    render.build_site(root=root, build_dir=build)
    assert (build / "html" / "_static" / "book.css").read_text() == "p { color: #222; }\n"


def test_a_few_changed_pages_build_on_one_process_and_a_changed_configuration_on_all(book):
    """Sphinx's parallel build costs more than it saves for a few pages, not for a full re-read."""
    import sys
    root, build = book
    render.build_site(root=root, build_dir=build)
    published = (build / "html").resolve().parent.parent
    assert render._changed_pages(root, published) == 0
    (root / "book" / "b.md").write_text("# Page B\n\nSecond text of B.\n")
    assert render._changed_pages(root, published) == 1 <= render.FEW_PAGES
    (root / "_config.yml").write_text((root / "_config.yml").read_text() + "\n")
    assert render._changed_pages(root, published) == sys.maxsize
