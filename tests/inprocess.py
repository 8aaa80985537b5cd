"""Run a page template's code cells in this process, without a kernel, on given data.

A template makes its page's data with ``page_data``; here that returns a
PageData over the data the test gives, and ``show`` renders each result to the
HTML or Markdown a reader would get, so a result that would fail on the page
fails here.
"""
from __future__ import annotations

import nbformat

from analysis import TEMPLATE_DIR
from analysis.data import BookData
from analysis.pages import blocks, pagedata, report

_TEMPLATES: dict[str, list] = {}


def _cells(template: str) -> list:
    if template not in _TEMPLATES:
        nb = nbformat.read(TEMPLATE_DIR / template, as_version=4)
        _TEMPLATES[template] = [(compile(c.source, f"{template}[{i}]", "exec"), "parameters" in c.metadata.get("tags", []))
                                for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    return _TEMPLATES[template]


def run_page(template: str, area_code: str, book_data: BookData, params: dict | None = None) -> list[str]:
    """The page's results, each as the HTML or Markdown text a reader would get."""
    shown: list[str] = []

    def show(*results):
        for r in results:
            if r is None:
                continue
            text = r._repr_html_() if hasattr(r, "_repr_html_") else r._repr_markdown_()
            assert text and text.strip(), f"{template}: an empty result would show as its repr"
            shown.append(text)

    def page_data(area_code, scope=None, scenario=None, data_dir=None):
        return pagedata.for_data(book_data, area_code, scenario)

    # blocks holds its own reference to report.show, bound when it was first imported.
    saved = pagedata.page_data, report.show, blocks.show
    pagedata.page_data, report.show, blocks.show = page_data, show, show
    try:
        ns: dict = {}
        for code, is_params in _cells(template):
            exec(code, ns)
            if is_params:
                ns.update(area_code=area_code, **(params or {}))
    finally:
        pagedata.page_data, report.show, blocks.show = saved
    return shown
