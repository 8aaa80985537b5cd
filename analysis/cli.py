"""Command line: python -m analysis {validate,render,build,checks}.

User errors (bad data, a bad area code, a failed page) end with a plain
message and a non-zero exit, never a bare traceback.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from analysis import DATA_DIR, ROOT, data as data_mod
from analysis.build import render
from analysis.data.keys import code_fingerprint


RESERVED_PARAMS = {"area_code"}


class UserError(Exception):
    """An error the user can fix; printed without a traceback."""


def _load_valid(data_dir: Path) -> data_mod.BookData:
    # load() validates once per version of the data (its disk cache is keyed by content); its
    # in-process memo is keyed by folder, so a command run after an import must not use it.
    try:
        return data_mod.load.__wrapped__(Path(data_dir))
    except data_mod.DataError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise UserError(f"the data has {len(exc.problems)} problem(s); nothing was rendered:\n{lines}\n"
                        "Fix the rows named above, then run `python -m analysis validate`.") from None


def _parse_param(pairs: list[list[str]] | None) -> dict:
    params = {}
    for key, raw in pairs or []:
        if not key.isidentifier() or key.startswith("_"):
            raise UserError(f"parameter name {key!r} is not a valid name")
        if key in RESERVED_PARAMS:
            raise UserError(f"parameter {key!r} is set by the book itself; choose the area with --area")
        try:
            params[key] = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise UserError(f"parameter {key}={raw!r}: give a number") from None
    return params


def _known_params(pages: list[render.Page]) -> dict[str, str]:
    """The scenario parameters the chosen pages' templates declare, with their defaults."""
    import papermill
    from analysis import TEMPLATE_DIR
    known: dict[str, str] = {}
    for template in sorted({p.template for p in pages}):
        for name, spec in papermill.inspect_notebook(str(TEMPLATE_DIR / template)).items():
            if name not in RESERVED_PARAMS:
                known.setdefault(name, spec["default"])
    return known


def _check_params(params: dict, pages: list[render.Page]) -> None:
    """Refuse a parameter no chosen page declares: papermill would only warn, and a
    misspelt assumption would render the default scenario."""
    known = _known_params(pages)
    unknown = sorted(set(params) - set(known))
    if not unknown:
        return
    def default(v: str) -> str:
        return "default: as the area's own plan prints it" if v == "None" else f"default {v}"
    listed = (", ".join(f"{k} ({default(v)})" for k, v in sorted(known.items())) if known
              else "none: these pages take no scenario parameters")
    raise UserError(f"unknown parameter(s) {', '.join(unknown)}; nothing was rendered. Known parameters: {listed}")


def _check_scenario(params: dict, pages: list[render.Page]) -> None:
    """Refuse assumptions of the wrong type or out of range before any page renders (the
    scenario classes validate with pydantic and name the parameter)."""
    from pydantic import ValidationError
    from analysis.pages.blocks import scenario_class, scenario_defaults
    from analysis.pages.spec import load_spec
    spec = load_spec()
    for name in sorted({spec.page(p.spec_id).scenario for p in pages if p.spec_id and spec.page(p.spec_id).scenario}):
        given = {k: v for k, v in params.items() if k in scenario_defaults(name)}
        if not given:
            continue
        try:
            scenario_class(name)(**{**scenario_defaults(name), **given})
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}={e.get('input')!r}: {e['msg'].lower()}" for e in exc.errors())
            raise UserError(f"scenario not rendered: {problems}") from None


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"{jobs} parallel notebooks: give 1 or more (leave --jobs out for one per core)")
    return jobs


def cmd_validate(args) -> int:
    if args.area is not None:
        try:
            render.check_area_code(args.area)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    loaded, problems = data_mod.collect(args.data)
    if args.area:
        problems = [p for p in problems if args.area in str(p) or p.file.endswith(f"{args.area}.csv")]
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"Data is valid: {len(loaded.facts)} facts, {len(loaded.areas)} areas, {len(loaded.measures)} measures, "
          f"{len(loaded.sources)} sources.")
    return 0


def _select(spec, area: str | None) -> list[render.Page]:
    pages = render.all_pages(spec)
    if area is None:
        return pages
    render.check_area_code(area)
    chosen = [p for p in pages if p.area_code == area]
    if not chosen:
        raise UserError(f"area {area!r} has no section in the book: add it to data/areas.csv as a CCG first")
    return chosen


def _values_for(loaded):
    names = dict(zip(loaded.areas["area_code"], loaded.areas["name"]))

    def values(page: render.Page) -> dict[str, str]:
        return {"area_code": page.area_code, "area_name": names.get(page.area_code, page.area_code)}
    return values


def _executor(text: str) -> str:
    import argparse
    from analysis.build.execute import check_executor
    try:
        return check_executor(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@contextmanager
def _early_kernels(args, changed: bool):
    """When the data or the code changed since the last validation (``changed``: some page is
    then likely stale), a process pool whose workers start their kernels (about 1.5 s) while
    this process works out the stale pages; otherwise None, as the pool would only cost its start."""
    import os
    from analysis.build import execute
    if args.executor != "local" or not changed:
        yield None
        return
    jobs = args.jobs or os.cpu_count() or 1
    with execute.executor("local", jobs) as pool:
        key = execute.current_key()
        for _ in range(jobs):
            pool.submit(execute.warm_up, key)
        yield pool


def do_render(args) -> int:
    from analysis.data.load import cache_path
    changed = not cache_path(args.data).exists()
    loaded = _load_valid(args.data)
    spec = render.book_spec(loaded)
    params = _parse_param(args.param)
    if args.area is not None:
        try:
            render.check_area_code(args.area)
        except ValueError as exc:
            raise UserError(str(exc)) from None
    pages = _select(spec, args.area)
    if params:
        _check_params(params, pages)
    _check_scenario(params, pages)
    # Refused input never gets this far, so never waits for kernels to start and stop.
    with _early_kernels(args, changed) as pool:
        return _render_stale(args, loaded, spec, pages, params, pool)


def _render_stale(args, loaded, spec, pages, params: dict, pool) -> int:
    if not params:
        # Templates first: a page the spec has just gained has none yet.
        render.write_generated_pages(loaded, spec)
    output_root = ROOT
    if params:
        # A scenario never overwrites the baseline book.
        name = args.scenario or "-".join(f"{k}-{v}" for k, v in sorted(params.items()))
        output_root = ROOT / "scenarios" / name
        print(f"Scenario {params} renders into {output_root.relative_to(ROOT)}/")
    keys = None
    if not args.force:
        slices, code_fp = data_mod.slice_keys(loaded, sorted({p.scope for p in pages}, key=str)), code_fingerprint()
        keys = {p.output: render.page_key(p, slices[p.scope], code_fp, params) for p in pages}
    if not params:
        # An area's download holds its own facts, which are in its pages' keys: written where a page is stale.
        stale = None if keys is None else {p.area_code for p in render.stale_pages(pages, keys, render.read_manifest(ROOT), ROOT)}
        render.write_downloads(loaded, spec, stale)
    try:
        result = render.render_pages(pages, _values_for(loaded), jobs=args.jobs, output_root=output_root,
                                     extra_params=params, keys=keys, executor=args.executor, pool=pool)
    except RuntimeError as exc:
        raise UserError(str(exc)) from None
    print(f"Rendered {len(result.done)} notebook(s); {len(result.failed)} failed; "
          f"{len(result.skipped)} unchanged since their last render.")
    if result.failed:
        for page, error in sorted(result.failed.items()):
            print(f"  FAILED {page}: {error}", file=sys.stderr)
        return 1
    return 0


def cmd_render(args) -> int:
    with render.build_lock():
        return do_render(args)


def cmd_build(args) -> int:
    with render.build_lock():
        if not args.no_render:
            code = do_render(args)
            if code:
                print("Not building the site: a page failed to render. The previous site is unchanged.", file=sys.stderr)
                return code
        render.copy_plotly_js()
        try:
            site = render.build_site(strict=not args.no_strict)
        except RuntimeError as exc:
            raise UserError(str(exc)) from None
    print(f"Site built: {site.relative_to(ROOT)}/index.html")
    return 0


def _append_csv(path: Path, row: dict) -> None:
    import csv
    # utf-8-sig: a file saved by Excel starts with a byte-order mark, which is not part of the first column's name.
    with open(path, newline="", encoding="utf-8-sig") as f:
        fields = next(csv.reader(f))
    raw = path.read_bytes()
    with open(path, "a", newline="", encoding="utf-8") as f:
        if raw and not raw.endswith(b"\n"):
            f.write("\n")  # a last line without its newline would run into the new row
        csv.DictWriter(f, fieldnames=fields, lineterminator="\n").writerow(row)


def _set_section(path: Path, code: str, kind: str) -> None:
    import csv
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["area_code"] == code:
            row["section"] = kind
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(path)


def cmd_new_area(args) -> int:
    import datetime
    from analysis.data import new_area
    if args.from_lookup:
        from analysis.cli_imports import cmd_new_area_from_lookup
        return cmd_new_area_from_lookup(args)
    loaded = _load_valid(args.data)
    try:
        existing = new_area.check_new_area(loaded, args.code, args.name, args.type, args.parent)
    except new_area.AreaError as exc:
        raise UserError(str(exc)) from None
    template = args.data / new_area.template_path(args.code)
    if template.exists():
        raise UserError(f"{template} already exists; edit it, or remove it to start again")
    from analysis.pages.needs import template_groups
    groups = template_groups(loaded) if args.type == "ccg" else []
    text = new_area.template_text(args.code, args.name, args.type, new_area.template_measures(loaded, args.type), groups)
    month = args.date or datetime.date.today().strftime("%Y-%m")
    if existing:
        _set_section(args.data / "areas.csv", args.code, args.type)
    else:
        _append_csv(args.data / "areas.csv", new_area.area_row(args.code, args.name, args.type, args.parent,
                                                               args.gss or "", args.ods or "", args.hwb or "", args.icb or ""))
    if new_area.local_source_id(args.code) not in set(loaded.sources["source_id"]):
        _append_csv(args.data / "sources.csv", new_area.source_row(args.code, args.name, month))
    template.write_text(text, encoding="utf-8")
    print(f"{'Gave' if existing else 'Added'} {args.code} ({args.name}) a section; wrote {template.relative_to(args.data.parent) if args.data.parent in template.parents else template}.")
    print(f"Fill in the rows you have, then: python -m analysis validate --area {args.code}; python -m analysis render --area {args.code}")
    return 0


def cmd_pdf(args) -> int:
    from analysis.build import pdf
    loaded = _load_valid(args.data)
    try:
        render.check_area_code(args.area)
        name, paths = pdf.section_urls(render.book_spec(loaded), args.area)
    except ValueError as exc:
        raise UserError(str(exc)) from None
    except KeyError:
        raise UserError(f"area {args.area!r} has no section in the book") from None
    if not (args.site / "index.html").exists():
        raise UserError(f"no built site in {args.site}: run `make book` first")
    try:
        out = pdf.print_section(args.site, name, paths, args.out / f"{args.area}.pdf")
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    print(f"Wrote {out}")
    return 0


def cmd_checks(args) -> int:
    from analysis.models import checks
    loaded = _load_valid(args.data)
    ledger = checks.evaluate_all(loaded)
    print(checks.summary_text(ledger))
    from analysis.models.comparisons import comparison_ledger
    compared = comparison_ledger(loaded)
    if len(compared):
        print("Comparisons in indicator exports, re-done: " + checks.summary_text(compared).split(": ", 1)[1])
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m analysis", description="Build and check the Essex CCG planning report book.")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: data/)")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check every data file; list each problem with file, row and column")
    v.add_argument("--area", help="only problems that mention this area code")
    v.set_defaults(func=cmd_validate)

    for name, func, text in (("render", cmd_render, "execute the notebooks with papermill"),
                             ("build", cmd_build, "render, then build the site into _build/html")):
        r = sub.add_parser(name, help=text)
        r.add_argument("--area", help="only this area's pages (e.g. 99F)")
        r.add_argument("--jobs", type=_jobs, default=None, help="parallel notebooks, 1 or more (default: one per core)")
        r.add_argument("--executor", type=_executor, default="local", metavar="local|dask://HOST:PORT",
                       help="where pages run: a process pool here (default) or a dask.distributed scheduler")
        r.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                       help="scenario parameter, e.g. -p qipp_delivery 0.6; renders into scenarios/, never over the book")
        r.add_argument("--scenario", help="name of the scenario folder (default: from the parameters)")
        r.add_argument("--force", action="store_true", help="re-render every page, even those whose inputs are unchanged")
        r.set_defaults(func=func)
    sub.choices["build"].add_argument("--no-render", action="store_true", help="build from the committed notebooks")
    sub.choices["build"].add_argument("--no-strict", action="store_true", help="do not treat Sphinx warnings as errors")

    n = sub.add_parser("new-area", help="add an area to the registry and write its data template")
    n.add_argument("code", nargs="?", help="area code, e.g. the CCG's ODS code")
    # Required unless --from-lookup gives them (checked in main).
    n.add_argument("--name", help="area name, e.g. 'Example CCG'")
    n.add_argument("--type", choices=["ccg", "hwb"], help="ccg or hwb")
    n.add_argument("--parent", help="parent area code, e.g. E10000012 for Essex")
    n.add_argument("--from-lookup", type=Path, nargs="+", metavar="FILE",
                   help="ONS lookup CSVs: register the CCG --code names, with its districts, STP/ICB and council")
    n.add_argument("--code", dest="lookup_code", help="with --from-lookup: the CCG's ODS or GSS code")
    for flag in ("gss", "ods", "hwb", "icb"):
        n.add_argument(f"--{flag}", help=f"{flag.upper()} code (optional)")
    n.add_argument("--date", help="month of the local data, YYYY-MM (default: this month)")
    n.set_defaults(func=cmd_new_area)

    pd_ = sub.add_parser("pdf", help="print one area's section of the built site to a PDF (Chromium)")
    pd_.add_argument("--area", required=True, help="area code, e.g. 99F")
    pd_.add_argument("--site", type=Path, default=ROOT / "_build" / "html", help="built site (default: _build/html)")
    pd_.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf", help="output folder (default: _build/pdf)")
    pd_.set_defaults(func=cmd_pdf)

    from analysis.cli_imports import add_parsers
    add_parsers(sub)

    c = sub.add_parser("checks", help="evaluate the reconciliation ledger and print counts by verdict")
    c.set_defaults(func=cmd_checks)
    return p


def main(argv: list[str] | None = None) -> int:
    from analysis.data.imports import ImportProblem
    p = parser()
    args = p.parse_args(argv)
    if args.command == "new-area" and not args.from_lookup:
        lacking = [f for f, v in (("code", args.code), ("--name", args.name), ("--type", args.type),
                                  ("--parent", args.parent)) if v is None]
        if lacking:
            sub = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
            sub.choices["new-area"].error(f"the following arguments are required: {', '.join(lacking)}")
    if getattr(args, "param", None) and args.command == "build":
        print("error: scenarios are rendered with `render -p ...`, not built into the site", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except (UserError, ImportProblem, render.BuildLocked) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
