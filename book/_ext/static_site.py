"""Sphinx extension: keep the published book a static, safe site.

* The book never runs code in the browser, so the interactive-kernel (thebe)
  scripts that Jupyter Book adds to every page are dropped; they also declare
  the same constant twice, which raises a console error on each page.
* plotly.js (4.8 MB, about 1.4 s of a browser's time to start) is loaded only by
  pages that draw a chart.
* sphinx-book-theme writes each page's title into a print-only heading through
  Jinja's ``striptags``, which turns escaped entities back into markup: a page
  title holding HTML (an area name, say) would run. That heading is re-escaped.
"""
import html
import re
import time
from pathlib import Path

PRINT_HEADING = re.compile(r'(<div id="jb-print-docs-body" class="onlyprint">\s*<h1>)(.*?)(</h1>)', re.S)


PLOTLY_JS = "plotly.min.js"
CHART = "plotly-graph-div"


def _page_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files", [])
    charts = CHART in context.get("body", "")
    kept, seen = [], set()
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body", "")
        name = str(script)
        if "thebe" in name or "THEBE_JS_URL" in body:
            continue
        if not charts and str(getattr(script, "filename", script)).split("?")[0].endswith(PLOTLY_JS):
            continue
        key = (name, body)
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def _escape_print_headings(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    # Only the pages this build wrote: the others were fixed when they were written (re-reading
    # every page of a national build would cost seconds on a one-page change). The fix is idempotent,
    # so a second of slack around the start costs nothing.
    since = getattr(app, "_static_site_started", 0.0) - 1.0
    for page in Path(app.outdir).rglob("*.html"):
        if page.stat().st_mtime < since:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = PRINT_HEADING.sub(lambda m: m[1] + html.escape(html.unescape(m[2])) + m[3], text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


# Extensions Jupyter Book 1 loads that declare no parallel safety, so that Sphinx would read
# serially: sphinx_multitoc_numbering only renumbers sections after reading (the book numbers
# none), and sphinx_jupyterbook_latex acts on LaTeX builds only.
NOT_DECLARED = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")


def _parallel_safe(app, config):
    for name in NOT_DECLARED:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = True


def _no_figure_numbers(app, config):
    # sphinx_jupyterbook_latex turns numfig on for every builder. The book numbers no figure or
    # table (its PDFs are printed by the browser, not by LaTeX), and numbering walks every page's
    # doctree on every build, however few pages changed: 9 s of a one-page rebuild at 211 areas.
    config.numfig = False


def _started(app):
    app._static_site_started = time.time()


def setup(app):
    app.connect("builder-inited", _started)
    app.connect("config-inited", _parallel_safe)
    app.connect("config-inited", _no_figure_numbers, priority=900)  # after sphinx_jupyterbook_latex's
    app.connect("html-page-context", _page_scripts, priority=900)
    app.connect("build-finished", _escape_print_headings)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
