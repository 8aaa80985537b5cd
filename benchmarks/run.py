"""Time the book's build against a naive papermill baseline, and at national size.

    python -m benchmarks.run [--sizes 7 50 211] [--update-readme]

Every measurement runs on a scratch copy of the project in a temporary folder
(synthetic areas are added only there), by the same commands a user types.
The table compares, in one run:

  (a) naive: the papermill command line once per notebook, serially, then
      ``jupyter-book build``;
  (b) this project's full build (``python -m analysis build`` from a clean copy);
  (c) a rebuild with nothing changed;
  (d) a rebuild after one area's data changed;
  (e) the full build at each size (real book plus synthetic areas);
  (f) the per-notebook floor: importing the notebooks' libraries in a fresh Python.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from analysis import ROOT
from benchmarks import synthetic

REAL_AREAS = 7
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"
IMPORTS = ("import pandas, plotly, IPython, analysis.pages.report, analysis.pages.demographics, "
           "analysis.pages.finance, analysis.pages.outcomes, analysis.pages.hwb, analysis.pages.blocks")


@dataclass
class Timing:
    seconds: float
    notebooks: int = 0
    output: str = ""
    peak_rss: int = 0  # bytes: the largest total resident memory of the command and its children


def _tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass  # a child that ended between the listing and the reading
    return total


def run(args: list[str], cwd: Path, check: bool = True, env: dict | None = None) -> Timing:
    """Run a command, timing it and sampling the memory of its process tree (workers and kernels
    included) five times a second."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(args, cwd=cwd, stdout=out, stderr=err, text=True, env=env)
        watched, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            try:
                peak = max(peak, _tree_rss(watched))
            except psutil.Error:
                pass
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed in {cwd}:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    match = re.search(r"Rendered (\d+) notebook", stdout)
    return Timing(seconds, int(match.group(1)) if match else 0, stdout + stderr, peak)


def book(cwd: Path, *args: str) -> Timing:
    return run([sys.executable, "-m", "analysis", *args], cwd)


def import_floor(cwd: Path, repeats: int = 5) -> float:
    """Median time to import the notebooks' libraries in a fresh interpreter."""
    return statistics.median(run([sys.executable, "-c", IMPORTS], cwd).seconds for _ in range(repeats))


def project_pages(project: Path) -> list[tuple[str, str, dict]]:
    """(template, output, parameters) of every notebook of a project copy, from its own spec."""
    code = ("import json; from analysis import data; from analysis.build import render; "
            "spec = render.book_spec(data.load()); "
            "print(json.dumps([[p.template, p.output, p.params] for p in render.all_pages(spec)]))")
    return [tuple(p) for p in json.loads(run([sys.executable, "-c", code], project).output.strip().splitlines()[-1])]


def naive_build(project: Path) -> Timing:
    """(a) papermill's command line once per notebook, one after another, then jupyter-book build."""
    pages = project_pages(project)
    papermill = str(Path(sys.executable).parent / "papermill")
    start = time.perf_counter()
    for template, output, params in pages:
        args = [papermill, str(project / "analysis" / "templates" / template), str(project / f"{output}.ipynb"),
                "-k", "python3", "--cwd", str(project), "--no-progress-bar"]
        for key, value in params.items():
            args += ["-p", key, str(value)]
        run(args, project)
    out = Path(tempfile.mkdtemp(prefix="naive-site-"))
    run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(project), "--path-output", str(out)], project)
    seconds = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    return Timing(seconds, len(pages))


def clean(project: Path) -> None:
    shutil.rmtree(project / "_build", ignore_errors=True)
    (project / "book" / ".render-manifest.json").unlink(missing_ok=True)


def change_one_fact(project: Path, area_code: str) -> str:
    """Change the value of one of an area's own published facts: one in a table printing no
    other area, and not of a measure every CCG's overview compares (that would be every area's change)."""
    code = (f"from analysis import data; d = data.load(); f = d.facts; "
            f"own = f[(f.area_code == {area_code!r}) & (f.status == 'published') & ~f.measure_id.isin(data.COMPARED_MEASURES)]; "
            "alone = [r for r in own.itertuples() if set(f[(f.source_id == r.source_id) & (f.table == r.table)].area_code) == {r.area_code}]; "
            "r = alone[0]; print(r.fact_id, r.file)")
    fact_id, file = run([sys.executable, "-c", code], project).output.strip().splitlines()[-1].split()
    path = project / file
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(csv.reader([next(line for line in lines if line and not line.startswith("#"))]))
    i = next(i for i, line in enumerate(lines) if line.startswith(fact_id + ","))
    row = next(csv.reader([lines[i]]))
    row[header.index("value")] = bumped(row[header.index("value")])
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(row)
    lines[i] = buf.getvalue()
    path.write_text("\n".join(lines), encoding="utf-8")
    return fact_id


def bumped(value: str) -> str:
    """A value moved up by one unit of its last printed digit.

    >>> bumped("1905"), bumped("95.5"), bumped("0.25")
    ('1906', '95.6', '0.26')
    """
    decimals = len(value.split(".")[1]) if "." in value else 0
    return f"{float(value) + 10 ** -decimals:.{decimals}f}"


def measure_project(project: Path, change_area: str, rebuilds: bool) -> dict[str, Timing]:
    clean(project)
    out = {"render": book(project, "render"), "site": book(project, "build", "--no-render")}
    out["full"] = Timing(out["render"].seconds + out["site"].seconds, out["render"].notebooks,
                         peak_rss=max(out["render"].peak_rss, out["site"].peak_rss))
    if rebuilds:
        out["no_change"] = book(project, "build")
        out["changed_fact"] = Timing(0, output=change_one_fact(project, change_area))
        # The render and the site of a one-area change, timed apart (each has its own target).
        out["one_area_render"] = book(project, "render")
        out["one_area_site"] = book(project, "build", "--no-render")
        out["one_area"] = Timing(out["one_area_render"].seconds + out["one_area_site"].seconds, out["one_area_render"].notebooks)
    return out


def measure_tests(project: Path) -> dict[str, Timing]:
    """The test loops, in a copy of the project: `make test-fast`, and the full suite as CI runs it."""
    make = shutil.which("make") or "make"
    env = {**os.environ, "CI": "true"}
    return {"test_fast": run([make, "test-fast", f"BIN={Path(sys.executable).parent}", "STAMP="], project, env=env),
            "test": run([make, "test", f"BIN={Path(sys.executable).parent}", "STAMP="], project, env=env)}


def fmt(seconds: float) -> str:
    return f"{seconds:,.1f} s"


def verdict(value: float, limit: float, higher_is_better: bool = False) -> str:
    """Whether a target is met, and if not by how much.

    >>> verdict(4.0, 5.0), verdict(7.5, 5.0), verdict(3.0, 2.0, higher_is_better=True)
    ('met', 'missed by 50%', 'met')
    """
    ok = value >= limit if higher_is_better else value <= limit
    return "met" if ok else f"missed by {abs(value - limit) / limit:.0%}"


GIB = 1024 ** 3


def gib(n: int) -> str:
    return f"{n / GIB:.2f} GiB"


def table(results: dict, cores: int) -> str:
    floor, naive, sizes = results["floor"], results["naive"], results["sizes"]
    real = sizes[REAL_AREAS]
    n = sorted(sizes)
    rows = []

    def row(what, work, time_, ratio="", target="", met=""):
        rows.append((what, work, time_, ratio, target, met))

    speedup = naive.seconds / real["full"].seconds
    row("(a) naive: papermill CLI per notebook, serial, then jupyter-book build", f"{naive.notebooks} notebooks", fmt(naive.seconds))
    row("(b) full build (`python -m analysis build`, clean copy)", f"{real['full'].notebooks} notebooks",
        fmt(real["full"].seconds), f"a/b = {speedup:.1f}×", "a/b ≥ 5×", verdict(speedup, 5, higher_is_better=True))
    for a in n:
        s = sizes[a]
        if "no_change" not in s:
            continue
        where = "" if a == REAL_AREAS else f", {a} areas"
        row(f"(c) rebuild, nothing changed{where}", f"{s['no_change'].notebooks} notebooks",
            fmt(s["no_change"].seconds), "", "≤ 5 s", verdict(s["no_change"].seconds, 5))
        for part, what in (("render", "render"), ("site", "site")):
            t = s[f"one_area_{part}"]
            row(f"(d) one fact of one area changed{where}: {what} ({s['changed_fact'].output})",
                f"{s['one_area_render'].notebooks} notebooks" if part == "render" else "", fmt(t.seconds), "", "≤ 15 s",
                verdict(t.seconds, 15))
    for a in n:
        s = sizes[a]
        last = a == max(n) and a == 211
        met = verdict(s["full"].seconds, 300) if last else ""
        if last and met == "met":
            met = "met; stretch ≤ 200 s " + verdict(s["full"].seconds, 200)
        row(f"(e) full build, {a} areas (render {fmt(s['render'].seconds)}, site {fmt(s['site'].seconds)})",
            f"{s['full'].notebooks} notebooks", fmt(s["full"].seconds), f"{s['full'].seconds / s['full'].notebooks:.2f} s a notebook",
            "≤ 300 s; stretch ≤ 200 s" if last else "", met)
    biggest = sizes[max(n)]["full"]
    row(f"peak memory of the full build, {max(n)} areas (render or site, every process)", "", gib(biggest.peak_rss), "",
        "≤ 4 GiB", verdict(biggest.peak_rss / GIB, 4))

    def marginal(lo, hi, part="full"):
        return (sizes[hi][part].seconds - sizes[lo][part].seconds) / (sizes[hi]["full"].notebooks - sizes[lo]["full"].notebooks)

    if len(n) >= 2:
        lo, hi = n[-2], n[-1]
        m = marginal(lo, hi)
        row(f"marginal cost a notebook, {lo}→{hi} areas (render {marginal(lo, hi, 'render'):.2f} s, "
            f"site {marginal(lo, hi, 'site'):.2f} s)", "", f"{m:.2f} s", f"{m / (floor / cores):.2f} × f/cores")
    if len(n) >= 3:
        growth = marginal(n[-2], n[-1]) / marginal(n[-3], n[-2])
        row(f"growth: cost a notebook {n[-2]}→{n[-1]} over {n[-3]}→{n[-2]} areas", "", f"{growth:.2f}", "",
            "0.8 to 1.25", "met" if 0.8 <= growth <= 1.25 else f"missed ({growth:.2f})")
    row("(f) floor: import the notebooks' libraries in a fresh Python (median of 5)", "", fmt(floor), f"f/cores = {floor / cores:.2f} s")
    tests = results.get("tests")
    if tests:
        row("(g) `make test-fast` (the edit-test loop)", "", fmt(tests["test_fast"].seconds), "", "≤ 60 s",
            verdict(tests["test_fast"].seconds, 60))
        row("(h) `make test` as CI runs it (`CI=true`: every notebook by nbval, every page in the browser)", "",
            fmt(tests["test"].seconds), "", "≤ 300 s", verdict(tests["test"].seconds, 300))
    lines = ["| measure | work | time | ratio | target | |", "|---|---|---|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    return "\n".join(lines)


def update_readme(text: str) -> None:
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    before, rest = content.split(README_START)
    _, after = rest.split(README_END)
    readme.write_text(f"{before}{README_START}\n{text}\n{README_END}{after}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[7, 50, 211], help="numbers of CCG areas (7 = the real book)")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copies")
    parser.add_argument("--no-tests", action="store_true", help="leave out the timings of the test suite")
    args = parser.parse_args(argv)
    if min(args.sizes) != REAL_AREAS:
        parser.error(f"the sizes must start at {REAL_AREAS}, the real book")
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="book-bench-"))
    results: dict = {"sizes": {}}
    try:
        real = synthetic.scratch_copy(work / "areas-7")
        print(f"Benchmark on {cores} cores in {work}", flush=True)
        results["floor"] = import_floor(real)
        print(f"(f) import floor {fmt(results['floor'])}", flush=True)
        if not args.no_tests:
            results["tests"] = measure_tests(synthetic.scratch_copy(work / "tests"))
            print(f"(g) test-fast {fmt(results['tests']['test_fast'].seconds)}, (h) test {fmt(results['tests']['test'].seconds)}", flush=True)
        results["naive"] = naive_build(synthetic.scratch_copy(work / "naive"))
        print(f"(a) naive {fmt(results['naive'].seconds)} for {results['naive'].notebooks} notebooks", flush=True)
        for size in sorted(args.sizes):
            project = real if size == REAL_AREAS else synthetic.scratch_copy(work / f"areas-{size}")
            if size != REAL_AREAS:
                synthetic.write_synthetic(project, size - REAL_AREAS)
            change = "07H" if size == REAL_AREAS else synthetic.area_code(1)
            results["sizes"][size] = measure_project(project, change, rebuilds=size in (REAL_AREAS, max(args.sizes)))
            print(f"(e) {size} areas: full build {fmt(results['sizes'][size]['full'].seconds)}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = (f"Measured {dt.date.today().isoformat()} on {cores} cores ({sys.platform}, Python "
            f"{sys.version.split()[0]}) by `make bench`.\n\n" + table(results, cores))
    print(text)
    (Path(__file__).parent / "latest.md").write_text(text + "\n", encoding="utf-8")
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
