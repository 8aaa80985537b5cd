import shutil
import textwrap
from pathlib import Path

import pytest

from analysis import DATA_DIR, data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def book_data():
    return data.load(DATA_DIR)


@pytest.fixture
def data_copy(tmp_path):
    """A scratch copy of data/ to break on purpose (with the source texts: cited lines are checked in them)."""
    dst = tmp_path / "data"
    shutil.copytree(DATA_DIR, dst, ignore=shutil.ignore_patterns("staging"))
    return dst


@pytest.fixture(scope="session")
def site(tmp_path_factory, worker_id):
    """The book built from the committed notebooks, with warnings as errors: built once for the
    run, and shared by every xdist worker (each reads it and none writes to it)."""
    from contextlib import nullcontext
    from filelock import FileLock
    from analysis.build import render
    if worker_id == "master":
        build_dir, lock = tmp_path_factory.mktemp("build"), nullcontext()
    else:
        shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker of this run
        build_dir, lock = shared / "site", FileLock(str(shared / "site.lock"))
    with lock:
        if not (build_dir / "html" / "index.html").exists():
            render.copy_plotly_js()
            render.build_site(strict=True, build_dir=build_dir)
    return build_dir / "html"


def data_snapshot(folder: Path) -> dict:
    """Every file under ``folder`` with its bytes: an import refused must leave them all as they were."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def parameterised_notebook(path: Path, body: str) -> Path:
    """A one-cell template with an ``area_code`` parameters cell, for render tests."""
    import nbformat
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('area_code = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def fact(book_data, fact_id):
    rows = book_data.facts[book_data.facts["fact_id"] == fact_id]
    assert len(rows) == 1, f"fact {fact_id} not found"
    return rows.iloc[0]


def tiny_book(root):
    """A three-page Jupyter Book source, so a Sphinx build takes seconds."""
    root.mkdir()
    (root / "_config.yml").write_text(textwrap.dedent("""\
        title: Tiny
        execute:
          execute_notebooks: "off"
        only_build_toc_files: true
    """))
    (root / "_toc.yml").write_text(textwrap.dedent("""\
        format: jb-book
        root: book/index
        chapters:
          - file: book/a
          - file: book/b
    """))
    (root / "book").mkdir()
    (root / "book" / "index.md").write_text("# Home\n\nThe tiny book.\n")
    (root / "book" / "a.md").write_text("# Page A\n\nFirst text of A.\n")
    (root / "book" / "b.md").write_text("# Page B\n\nFirst text of B.\n")
    return root


def source_lines(book_data, source_id):
    """A source paper's text as a list of lines: line n of the paper is ``lines[n - 1]``."""
    file = dict(zip(book_data.sources["source_id"], book_data.sources["file"]))[source_id]
    return (book_data.data_dir / "sources" / file).read_text(encoding="utf-8").splitlines()


def pytest_collection_modifyitems(items):
    # A test on the built site waits for a Sphinx build.
    for item in items:
        if "site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
