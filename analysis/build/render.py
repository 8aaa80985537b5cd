"""Render the book: the page spec, papermill runs, the table of contents and
the Jupyter Book build.

The spec (which notebooks exist, from which template, with which
parameters) is derived from the area registry by pure functions; reading
and writing happen only in the functions at the bottom.
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from filelock import FileLock, Timeout

from analysis import BOOK_DIR, ROOT, TEMPLATE_DIR
from analysis.data import AREA_CODE_RE, BookData, source_path

from analysis.pages.spec import AreaSection as Section, Page, load_spec, render_list  # noqa: F401 (Section, for callers)
from analysis.pages import spec as book_spec_mod

def section_areas(data: BookData, kind: str = "ccg") -> list[tuple[str, str]]:
    """Areas that get their own section of a kind (registry column ``section``), in registry order."""
    areas = data.areas[data.areas["section"] == kind]
    return list(zip(areas["area_code"], areas["name"]))


def book_spec(data: BookData) -> tuple[tuple[Page, ...], tuple[Section, ...]]:
    """The notebooks to render, from the book's spec (analysis/pages/book.yml) and the registry."""
    areas = [(c, n, k) for c, n, k in zip(data.areas["area_code"], data.areas["name"], data.areas["section"]) if k]
    return render_list(load_spec(), areas)


def all_pages(spec) -> list[Page]:
    shared, sections = spec
    return list(shared) + [p for s in sections for p in s.pages]


def toc(spec, source_ids: list[str], note_names: list[str] = ()) -> dict:
    """The Jupyter Book table of contents for a render spec."""
    return book_spec_mod.toc(load_spec(), spec[1], source_ids, note_names)


def toc_yaml(spec, source_ids: list[str], note_names: list[str] = ()) -> str:
    return book_spec_mod.toc_yaml(load_spec(), spec[1], source_ids, note_names)


def template_texts() -> dict[str, str]:
    """Each page's notebook template, generated from the spec."""
    from analysis.pages.blocks import scenario_parameters
    return {p.template: book_spec_mod.template_text(p, scenario_parameters(p.scenario) if p.scenario else None)
            for p in load_spec().pages}


# --- notebook normalisation ---------------------------------------------------------

def substitute(text: str, values: dict[str, str]) -> str:
    """Fill ``{{name}}`` placeholders. str.format is avoided: MyST uses braces.

    >>> substitute("# {{area_name}} {role}`x`", {"area_name": "Mid Essex CCG"})
    '# Mid Essex CCG {role}`x`'
    """
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def normalise(nb: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """Make an executed notebook deterministic and presentable, in one place.

    Removes what changes from run to run (papermill timings, paths, the
    Python patch version), hides code and stderr, fills markdown placeholders.
    """
    params = nb.metadata.get("papermill", {}).get("parameters", {})
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "papermill": {"parameters": params},
    })
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
        if cell.cell_type == "markdown":
            cell.source = substitute(cell.source, {k: html.escape(v) for k, v in values.items()})
            continue
        if cell.cell_type != "code":
            continue
        tags = list(cell.metadata.get("tags", []))
        hide = "remove-cell" if ("parameters" in tags or "injected-parameters" in tags) else "remove-input"
        if hide not in tags:
            tags.append(hide)
        cell.metadata["tags"] = tags
        cell.outputs = [o for o in cell.outputs if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    nb.nbformat_minor = 4
    return nb


# --- running papermill ------------------------------------------------------------------

def render_page(page: Page, values: dict[str, str], output_root: Path = ROOT, extra_params: dict | None = None,
                kernel_key: str = "") -> Path:
    """Execute one template with papermill and write the normalised notebook."""
    return write_notebook(output_root / f"{page.output}.ipynb", render_text(page, values, extra_params, kernel_key))


def render_text(page: Page, values: dict[str, str], extra_params: dict | None = None, kernel_key: str = "") -> str:
    """The normalised notebook text of one page (what ``render_page`` writes)."""
    from analysis.build.execute import execute_template

    params = {**page.params, **(extra_params or {})}
    nb = normalise(execute_template(TEMPLATE_DIR / page.template, params, kernel_key), values)
    return nbformat.writes(nb) + "\n"


@dataclass
class RenderResult:
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


# --- incremental render: a page is re-rendered only when one of its inputs changed ------------

MANIFEST = "book/.render-manifest.json"


def page_key(page: Page, data_fingerprint: str, code: str, extra_params: dict | None = None) -> str:
    """What a rendered page depends on: its template, its parameters, its slice of the data
    (``data_fingerprint``, from analysis.data.slice_keys) and the code."""
    h = hashlib.sha256()
    h.update((TEMPLATE_DIR / page.template).read_bytes())
    h.update(json.dumps({**page.params, **(extra_params or {})}, sort_keys=True).encode())
    h.update(data_fingerprint.encode())
    h.update(code.encode())
    return h.hexdigest()


def read_manifest(output_root: Path) -> dict[str, str]:
    path = output_root / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_manifest(output_root: Path, manifest: dict[str, str]) -> None:
    path = output_root / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def stale_pages(pages: list[Page], keys: dict[str, str], manifest: dict[str, str], output_root: Path) -> list[Page]:
    """Pages whose inputs changed since they were rendered, or whose notebook is missing."""
    return [p for p in pages if manifest.get(p.output) != keys[p.output] or not (output_root / f"{p.output}.ipynb").exists()]


def _error_summary(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    useful = [line for line in text if line.strip() and not line.startswith("-")]
    return (useful[-1] if useful else type(exc).__name__)[:500]


def write_notebook(target: Path, text: str) -> Path:
    """Write a rendered notebook whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp_target = target.with_suffix(".ipynb.tmp")
    tmp_target.write_text(text, encoding="utf-8")
    os.replace(tmp_target, target)
    return target


def progress_line(pages: list[Page], result: RenderResult, latest: Page) -> str:
    """Pages and areas done, failed and remaining; an area is done when all its pages are.
    One plain line per page rather than a tqdm bar: it reads the same in a terminal, a CI log
    and a dask worker's output, and it counts areas as well as pages.

    >>> a, b = Page("t", "book/ccg/A/x", "x", area_code="A"), Page("t", "book/ccg/B/x", "x", area_code="B")
    >>> progress_line([a, b], RenderResult(done=["book/ccg/A/x"]), a)
    'pages 1 done, 0 failed, 1 remaining; areas 1 done, 0 failed, 1 remaining: book/ccg/A/x'
    """
    finished = set(result.done) | set(result.failed)
    areas: dict[str, list[str]] = {}
    for p in pages:
        areas.setdefault(p.area_code or p.output, []).append(p.output)
    failed = sum(any(o in result.failed for o in outs) for outs in areas.values())
    done = sum(all(o in result.done for o in outs) for outs in areas.values())
    return (f"pages {len(result.done)} done, {len(result.failed)} failed, {len(pages) - len(finished)} remaining; "
            f"areas {done} done, {failed} failed, {len(areas) - done - failed} remaining: {latest.output}"
            + (" FAILED" if latest.output in result.failed else ""))


def render_pages(pages: list[Page], values_for, jobs: int | None = None, output_root: Path = ROOT,
                 extra_params: dict | None = None, progress=print, keys: dict[str, str] | None = None,
                 executor: str = "local", pool=None) -> RenderResult:
    """Render pages on an executor (see analysis.execute); one failing page never stops the others.

    Workers return the notebook text and this process writes it, so a remote
    worker needs the book's code and data but no shared disk. With ``keys``
    (page output -> input hash), pages whose key matches the manifest beside
    the outputs are skipped, and the manifest is updated for those rendered. ``pool``: an
    executor already started (see analysis.cli), used instead of a new one.
    """
    from analysis.build.execute import current_key, executor as make_executor

    result = RenderResult()
    manifest = read_manifest(output_root) if keys is not None else {}
    if keys is not None:
        todo = stale_pages(pages, keys, manifest, output_root)
        result.skipped = [p.output for p in pages if p not in todo]
        pages = todo
    if pages:
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(pages)))
        kernel_key = current_key()
        with (nullcontext(pool) if pool is not None else make_executor(executor, jobs)) as pool:
            futures = {pool.submit(render_text, p, values_for(p), extra_params, kernel_key): p for p in pages}
            for future in as_completed(futures):
                page = futures[future]
                try:
                    write_notebook(output_root / f"{page.output}.ipynb", future.result())
                    result.done.append(page.output)
                except Exception as exc:  # reported per page, then the run fails as a whole
                    result.failed[page.output] = _error_summary(exc)
                progress(progress_line(pages, result, page))
    if keys is not None:
        manifest.update({o: keys[o] for o in result.done})
        for o in result.failed:
            manifest.pop(o, None)
        write_manifest(output_root, manifest)
    return result


# --- source viewer pages ------------------------------------------------------------------

def source_page(source_id: str, title: str, text: str) -> str:
    """A page showing a source paper's text with an anchor on every line (#L247)."""
    rows = "\n".join(
        f'<span id="L{n}" class="src-line"><a class="src-n" href="#L{n}">{n:>5}</a>  {html.escape(line)}</span>'
        for n, line in enumerate(text.splitlines(), start=1)
    )
    return (
        f"# Source {source_id}: {title}\n\n"
        "The text of the paper as converted from PDF, with line numbers. Every figure in the book "
        "links to the lines it came from. Tables were damaged by the conversion in places; the data "
        "notes record how each damaged cell was read.\n\n"
        f'<pre class="src-text">\n{rows}\n</pre>\n'
    )


def sources_index(sources) -> str:
    lines = ["# Source papers", "", "The papers the book reproduces, and any local data added to it. Each page shows the text "
             "with line numbers; the full list is also in `data/sources.csv`.", ""]
    for s in sources.itertuples():
        lines.append(f"- [{s.source_id}]({s.source_id}.md): {s.title}. {s.publisher}, {s.date}.")
    return "\n".join(lines) + "\n"


def note_names(data_dir: Path) -> list[str]:
    return sorted(p.stem for p in (data_dir / "notes").glob("*.md"))


def notes_index(data_dir: Path) -> str:
    names = note_names(data_dir)
    lines = ["# Transcription notes", "",
             "How each part of the papers was read into the data: the tables covered, every damaged cell and the "
             "reading chosen, and what was left out and why. The same readings are in the `note` of each fact.", ""]
    lines += [f"- [{n}]({n}.md)" for n in names]
    return "\n".join(lines) + "\n"


# --- writing the book ---------------------------------------------------------------------

def check_area_code(code: str) -> None:
    import re
    if not re.match(AREA_CODE_RE, code):
        raise ValueError(f"area code {code!r} is not valid: use letters, digits and '-' only (for example 99F)")


def write_generated_pages(data: BookData, spec) -> None:
    """Templates, table of contents and source viewer pages, written only when they change
    (the downloads are written by ``write_downloads`` once the stale pages are known)."""
    for name, text in template_texts().items():
        _write_if_changed(TEMPLATE_DIR / name, text)
    ids = list(data.sources["source_id"])
    _write_if_changed(ROOT / "_toc.yml", toc_yaml(spec, ids, note_names(data.data_dir)))
    for s in data.sources.itertuples():
        text = source_path(data.data_dir, s.file).read_text(encoding="utf-8")
        _write_if_changed(BOOK_DIR / "sources" / f"{s.source_id}.md", source_page(s.source_id, s.title, text))
    _write_if_changed(BOOK_DIR / "sources" / "index.md", sources_index(data.sources))
    for note in sorted((data.data_dir / "notes").glob("*.md")):
        _write_if_changed(BOOK_DIR / "notes" / note.name, note.read_text(encoding="utf-8"))
    _write_if_changed(BOOK_DIR / "notes" / "index.md", notes_index(data.data_dir))


def write_downloads(data: BookData, spec, areas: set[str] | None = None) -> None:
    """Each CCG's all-data CSV beside the site, written here on the machine that builds the
    book (never from a notebook, which may run on a remote worker). With ``areas``, only
    theirs and any missing: an area whose pages are all up to date has the same facts."""
    from analysis.pages import charts, report
    _, sections = spec
    for section in sections:
        if section.kind == "ccg":
            path = BOOK_DIR / "_static" / "downloads" / report.download_name(section.area_code)
            if areas is None or section.area_code in areas or not path.exists():
                _write_if_changed(path, charts.csv_text(report.area_download_frame(data, section.area_code)))


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def copy_plotly_js() -> Path:
    """The site's one copy of plotly.js, taken from the installed package (never a CDN)."""
    import plotly
    src = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    dst = BOOK_DIR / "_static" / "plotly.min.js"
    if not dst.exists() or dst.stat().st_size != src.stat().st_size:
        shutil.copyfile(src, dst)
    return dst


class BuildLocked(RuntimeError):
    pass


class build_lock:
    """Refuse a second build while one runs (two builds would corrupt each other). filelock
    holds an OS lock that the system releases if the build is killed, on every platform."""

    def __init__(self, root: Path = ROOT):
        self.path = root / "_build" / ".lock"

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(self.path, timeout=0)
        try:
            self.lock.acquire()
        except Timeout:
            raise BuildLocked("another build is running in this folder; wait for it to finish and try again") from None
        return self

    def __exit__(self, *exc):
        self.lock.release()


SLOTS = ("site-a", "site-b")
INPUTS_STAMP = ".site-inputs"


def site_inputs(root: Path = ROOT, strict: bool = True) -> str:
    """A hash of what the site is built from: every file under book/, the configuration,
    the table of contents and the pinned packages (by name, size and modification time,
    which is also how Sphinx decides what to re-read)."""
    h = hashlib.sha256(f"strict={strict}".encode())
    files = [root / "_config.yml", root / "_toc.yml", root / "requirements.txt"]
    files += sorted(p for p in (root / "book").rglob("*") if p.is_file() and p.name != Path(MANIFEST).name)
    for path in files:
        if path.exists():
            st = path.stat()
            h.update(f"{path.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def sync_tree(src: Path, dst: Path) -> None:
    """Make ``dst`` a copy of ``src``, copying only files whose size or modification time differ."""
    dst.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(src):
        rel = Path(dirpath).relative_to(src)
        target_dir = dst / rel
        target_dir.mkdir(exist_ok=True)
        wanted = set(dirnames) | set(filenames)
        for extra in set(os.listdir(target_dir)) - wanted:
            extra_path = target_dir / extra
            shutil.rmtree(extra_path) if extra_path.is_dir() and not extra_path.is_symlink() else extra_path.unlink()
        for name in filenames:
            a, b = Path(dirpath) / name, target_dir / name
            sa = a.stat()
            if b.is_dir():
                shutil.rmtree(b)
            if not b.exists() or (b.stat().st_size, b.stat().st_mtime_ns) != (sa.st_size, sa.st_mtime_ns):
                shutil.copy2(a, b)


def _published_slot(link: Path) -> Path | None:
    if not link.is_symlink():
        return None
    stage = link.resolve().parent.parent
    return stage if stage.name in SLOTS and stage.exists() else None


def build_site(root: Path = ROOT, strict: bool = True, build_dir: Path | None = None, jobs: int | None = None) -> Path:
    """Build the HTML with Sphinx's incremental build, and publish it only on success.

    Two build folders take turns. The one not published is first brought up to
    date with the published one (only changed files are copied), so Sphinx
    re-reads just the pages changed since; then it is built and ``_build/html``,
    a symlink, is swapped to it atomically. A failed or killed build leaves the
    published site whole. When nothing the site is built from has changed,
    nothing is built.
    """
    build_dir = build_dir or root / "_build"
    build_dir.mkdir(parents=True, exist_ok=True)
    link = build_dir / "html"
    inputs = site_inputs(root, strict)
    published = _published_slot(link)
    if published is not None and (published / INPUTS_STAMP).exists() \
            and (published / INPUTS_STAMP).read_text() == inputs and (link / "index.html").exists():
        return link
    stage = build_dir / (SLOTS[1] if published is not None and published.name == SLOTS[0] else SLOTS[0])
    (stage / INPUTS_STAMP).unlink(missing_ok=True)
    if published is not None and (published / INPUTS_STAMP).exists() and (strict or not _was_strict(published)):
        sync_tree(published / "_build", stage / "_build")
    else:
        shutil.rmtree(stage, ignore_errors=True)  # a strict build never trusts a lenient one's pages
    if jobs is None:
        jobs = 1 if published is not None and _changed_pages(root, published) <= FEW_PAGES else (os.cpu_count() or 1)
    # Jupyter Book 1's own build, with Sphinx's parallel jobs (its command line has no -j).
    cmd = [sys.executable, "-m", "analysis.build.sphinx_site", str(root), str(stage / "_build"),
           "--jobs", str(jobs)] + (["--strict"] if strict else [])
    proc = subprocess.run(cmd, capture_output=True, text=True)
    html_dir = stage / "_build" / "html"
    if proc.returncode != 0 or not (html_dir / "index.html").exists():
        shutil.rmtree(stage, ignore_errors=True)  # pages read with warnings must be read again next time
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise RuntimeError(f"the book build failed; the previous site is unchanged.\n{tail}")
    _refresh_static(root, html_dir)
    (stage / INPUTS_STAMP).write_text(inputs)
    (stage / ".strict").write_text(str(strict))
    _swap_in(link, html_dir)
    return link


# Below this many changed pages Sphinx is faster on one process: its parallel read and write
# fork workers and send them the environment, which costs more than a few pages (at 211 areas,
# an 8-page rebuild took 15.2 s on one job and 17.7 s on two).
FEW_PAGES = 24


def _changed_pages(root: Path, published: Path) -> int:
    """Pages and notebooks under book/ modified since the published site was built (every page
    when the configuration, the table of contents or the book's extension changed)."""
    stamp = published / INPUTS_STAMP
    if not stamp.exists():
        return sys.maxsize
    since = stamp.stat().st_mtime_ns
    every = [root / "_config.yml", root / "_toc.yml", root / "requirements.txt", *(root / "book" / "_ext").glob("*.py")]
    if any(p.exists() and p.stat().st_mtime_ns > since for p in every):
        return sys.maxsize
    return sum(1 for p in (root / "book").rglob("*") if p.suffix in (".ipynb", ".md") and p.stat().st_mtime_ns > since)


def _refresh_static(root: Path, html_dir: Path) -> None:
    """Copy the book's own static files over the built ones. Sphinx 7.4 copies them only
    when some page is out of date, and never over an existing file, so an edited
    stylesheet would not reach an incremental build."""
    source = root / "book" / "_static"
    for path in sorted(source.rglob("*")) if source.exists() else ():
        target = html_dir / "_static" / path.relative_to(source)
        if path.is_file() and (not target.exists() or target.read_bytes() != path.read_bytes()):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def _was_strict(stage: Path) -> bool:
    marker = stage / ".strict"
    return marker.exists() and marker.read_text() == "True"


def _swap_in(link: Path, new_html: Path) -> None:
    old_target = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)  # a plain folder from an older layout
    for stale in link.parent.glob(".html-*"):
        if stale.is_symlink():
            stale.unlink()  # left by a build killed mid-swap
    tmp_link = link.with_name(f".html-{os.getpid()}-{time.monotonic_ns()}")
    os.symlink(os.path.relpath(new_html, link.parent), tmp_link)
    os.replace(tmp_link, link)
    if old_target is not None:
        stage = old_target.parent.parent
        if stage.name.startswith("site-") and stage.name not in SLOTS:
            shutil.rmtree(stage, ignore_errors=True)  # a one-off folder from an older layout
