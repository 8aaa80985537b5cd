import shutil
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
def site(tmp_path_factory):
    """The book built from the committed notebooks, with warnings as errors."""
    from analysis import render
    render.copy_plotly_js()
    return render.build_site(strict=True, build_dir=tmp_path_factory.mktemp("build"))


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
