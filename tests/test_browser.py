"""The published site in a real browser (Debian's Chromium driven by Playwright):
charts draw, nothing leaves localhost, no console errors, navigation and search
work, axe-core finds no serious or critical problems, every table downloads,
each CCG section prints to a PDF, and pages stay within their weight budget."""
import os
import re
import shutil

import pytest

from analysis import ROOT, data
from analysis.build import pdf
from analysis.build import render

pytestmark = pytest.mark.slow  # kernels, Sphinx, a browser or subprocesses

CHROMIUM = shutil.which("chromium")
if not CHROMIUM:
    if os.environ.get("CI"):
        raise RuntimeError("Chromium is missing: .ci/run installs it with apt-get install chromium")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium chromium-driver)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

SCREENSHOTS = ROOT / "_build" / "screenshots"
PAGE_BUDGET = 500_000
# Every chart container has its SVG: plotly has drawn the page.
DRAWN = "() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(g => g.querySelector('.main-svg'))"


# Outputs (charts, tables, the data behind a chart) wider than the content column, which
# would give the reader a horizontal scrollbar; measured with every <details> open.
WIDER_THAN_COLUMN = """() => Array.from(document.querySelectorAll('article .output, article figure.book-chart'))
    .filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => [(el.querySelector('figure, table') || el).id, el.scrollWidth, el.clientWidth])"""


def section_pages():
    shared, sections = render.book_spec(data.load())
    return [f"{p.output}.html" for s in sections for p in s.pages], [f"{p.output}.html" for p in shared]


SECTION_PAGES, SHARED_PAGES = section_pages()
# The home page and Essex overview first, then every section's pages, then the other
# notebook pages (the Essex chapters, the ledger, the data dictionary).
PAGES = ["book/index.html", "book/essex/overview.html"] + SECTION_PAGES
PAGES += sorted(set(SHARED_PAGES) - set(PAGES))


@pytest.fixture(scope="module")
def server(site):
    with pdf.serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=pdf.CHROMIUM_ARGS)
        yield b
        b.close()


# Tabs open at once: the browser renders and runs axe on two pages in parallel on two cores.
CONCURRENT = 2


async def _visit_all(base: str) -> dict:
    import asyncio
    from axe_playwright_python.async_playwright import Axe
    from playwright.async_api import async_playwright
    axe = Axe()
    queue: asyncio.Queue = asyncio.Queue()
    for path in PAGES:
        queue.put_nowait(path)
    out = {}

    async def visit(page, seen, path):
        seen["requests"], seen["errors"] = [], []
        await page.goto(f"{base}/{path}", wait_until="load", timeout=60000)
        await page.wait_for_function(DRAWN, timeout=30000)
        drawn = await page.evaluate("""() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(
            g => g.querySelectorAll('.main-svg .point, .main-svg .bars path, .main-svg .scatterlayer path.js-line, .main-svg .waterfall path').length)""")
        # Taken before axe runs: axe fetches the theme's @import stylesheets itself, resolving them
        # against the page rather than the stylesheet, which is axe's request, not the site's.
        seen_errors, seen_requests = list(seen["errors"]), list(seen["requests"])
        violations = [v for v in (await axe.run(page)).response["violations"] if v["impact"] in ("serious", "critical")]
        headings = await page.evaluate("() => Array.from(document.querySelectorAll('article h1, article h2, article h3, article h4, article h5')).map(h => Number(h.tagName[1]))")
        html = await page.content()
        await page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
        overflow = await page.evaluate(WIDER_THAN_COLUMN)
        return {"requests": seen_requests, "errors": seen_errors, "drawn": drawn, "violations": violations,
                "headings": headings, "html": html, "overflow": overflow}

    async def tab(context):
        # One tab loads its share of the pages in turn: a new document in the same tab keeps the
        # renderer's compiled scripts, so plotly.js is compiled once a tab, not once a page.
        page = await context.new_page()
        seen = {"requests": [], "errors": []}
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("response", lambda r: seen["errors"].append(f"HTTP {r.status}: {r.url} from {r.request.headers.get('referer')}") if r.status >= 400 else None)
        while not queue.empty():
            path = queue.get_nowait()
            out[path] = await visit(page, seen, path)
        await page.close()

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=pdf.CHROMIUM_ARGS)
        # One context for every tab: they share the HTTP cache.
        context = await browser.new_context(viewport={"width": 1280, "height": 1000})
        try:
            await asyncio.gather(*(tab(context) for _ in range(CONCURRENT)))
            return out
        finally:
            await browser.close()


@pytest.fixture(scope="module")
def visits(server, browser):
    """Each page loaded once, in one of a few tabs of one context, recording requests, console errors and axe results."""
    import asyncio
    import threading
    out, failed = {}, []

    def run():
        try:
            out.update(asyncio.run(_visit_all(server)))
        except BaseException as exc:  # raised again below, in the test's own thread
            failed.append(exc)

    # Its own thread: the synchronous browser of the other tests keeps an event loop in this one.
    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failed:
        raise failed[0]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    for path, name in (("book/essex/overview.html", "overview.png"), ("book/ccg/99F/overview.html", "ccg-99F.png")):
        page.goto(f"{server}/{path}", wait_until="load", timeout=60000)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
    page.close()
    return out


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_draws(visits, path):
    v = visits[path]
    assert all(n > 0 for n in v["drawn"]), f"charts without data points: {v['drawn']}"


@pytest.mark.parametrize("path", PAGES)
def test_charts_and_tables_fit_the_content_column(visits, path):
    assert visits[path]["overflow"] == [], "wider than the column: (id, width, column width)"


@pytest.mark.parametrize("path", PAGES)
def test_no_request_leaves_localhost(visits, path):
    outside = [u for u in visits[path]["requests"] if not re.match(r"^(http://127\.0\.0\.1|data:|blob:|about:)", u)]
    assert outside == []


@pytest.mark.parametrize("path", PAGES)
def test_no_console_errors(visits, path):
    assert visits[path]["errors"] == []


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(visits, path):
    found = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in visits[path]["violations"]]
    assert found == []


@pytest.mark.parametrize("path", PAGES)
def test_headings_are_in_order(visits, path):
    levels = visits[path]["headings"]
    assert levels and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


@pytest.mark.parametrize("path", PAGES)
def test_every_table_has_a_csv_download(visits, path):
    html = visits[path]["html"]
    tables = html.count('<table class="book-table')
    assert html.count("Download this table as CSV") == tables


def test_table_of_contents_reaches_every_section(visits):
    html = visits["book/index.html"]["html"]
    for path in SECTION_PAGES:
        if path.endswith("/overview.html"):
            assert path.removeprefix("book/") in html, f"{path} is not linked from the table of contents"


def test_search_finds_a_ccg_by_name(server, browser):
    page = browser.new_page()
    page.goto(f"{server}/search.html?q=Rochford", wait_until="load", timeout=60000)
    page.wait_for_selector("ul.search li a", timeout=15000)
    links = page.eval_on_selector_all("ul.search li a", "els => els.map(e => e.getAttribute('href'))")
    page.close()
    assert any("ccg/99F/" in l for l in links)


def test_ccg_page_weight_within_budget(site):
    for path in SECTION_PAGES:
        size = (site / path).stat().st_size
        assert size <= PAGE_BUDGET, f"{path} is {size:,} bytes (budget {PAGE_BUDGET:,}, plotly.js not counted)"


@pytest.mark.parametrize("area", ["99F", "07H"])
def test_section_prints_to_a_pdf_with_charts_and_page_numbers(site, browser, tmp_path, area):
    import pypdfium2
    spec = render.book_spec(data.load())
    name, paths = pdf.section_urls(spec, area)
    out = pdf.print_section(site, name, paths, tmp_path / f"{area}.pdf", browser=browser)
    doc = pypdfium2.PdfDocument(str(out))
    assert len(doc) >= len(paths)
    text = doc[0].get_textpage().get_text_range()
    assert "page 1 of" in text
    image = doc[0].render(scale=1).to_pil()
    image.save(tmp_path / "page1.png")
    grey = image.convert("L")
    assert grey.getextrema()[0] < 100, "the first page is blank"
    assert grey.histogram()[255] < grey.width * grey.height * 0.97
