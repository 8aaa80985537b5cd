"""Print a CCG's section of the built site to one PDF, for board packs.

Chromium prints each page of the section (charts are SVG, so they print as
static images); the pages are joined into one file with pypdf. The footer
carries the section name and page numbers.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#333;">{title} — page '
          '<span class="pageNumber"></span> of <span class="totalPages"></span></div>')


def chromium_path() -> str:
    """Debian's Chromium (the book never downloads a browser of its own)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise FileNotFoundError("Chromium is not installed: apt-get install chromium")


@contextlib.contextmanager
def serve(site: Path):
    """Serve a built site on a free localhost port."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def section_urls(spec, area_code: str) -> tuple[str, list[str]]:
    """The section's name and its pages' site paths, in book order."""
    _, sections = spec
    for s in sections:
        if s.area_code == area_code:
            return s.name, [f"{p.output}.html" for p in s.pages]
    raise KeyError(area_code)


def print_section(site: Path, name: str, paths: list[str], out: Path, browser=None) -> Path:
    """Print the pages to one PDF; ``browser`` is an open Playwright browser, or None to start one."""
    from playwright.sync_api import sync_playwright

    if browser is None:
        with sync_playwright() as p:
            own = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                return print_section(site, name, paths, out, own)
            finally:
                own.close()
    from pypdf import PdfWriter

    writer = PdfWriter()
    with serve(site) as base:
        # An A4 page's printable width, so the responsive charts lay out to fit it.
        page = browser.new_page(viewport={"width": 720, "height": 1000})
        page.emulate_media(media="print")
        for path in paths:
            page.goto(f"{base}/{path}", wait_until="load", timeout=60000)
            page.evaluate("() => document.querySelectorAll('.js-plotly-plot').forEach(g => window.Plotly.Plots.resize(g))")
            title = page.title().split(" — ")[0]
            pdf = page.pdf(format="A4", print_background=True, display_header_footer=True,
                           header_template="<div></div>", footer_template=FOOTER.format(title=_escape(f"{name}: {title}")),
                           margin={"top": "15mm", "bottom": "18mm", "left": "12mm", "right": "12mm"})
            writer.append(io.BytesIO(pdf))
        page.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        writer.write(f)
    return out


def _escape(text: str) -> str:
    import html
    return html.escape(text)
