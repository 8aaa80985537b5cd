"""The commands that import public files: ``import-lookup`` (ONS geography lookups) and
``new-area --from-lookup``.

Each stages its changes and commits them only if the data, as they would be,
validate (analysis.data.imports): a refused import leaves ``data/`` as it was.
A user's mistake is an ``ImportProblem``: one line naming the file and line.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from analysis.data.imports import ImportProblem, Staging, read_rows


def _valid(data_dir: Path):
    from analysis.data import load
    from analysis.data.vocabulary import DataError
    try:
        return load(Path(data_dir))
    except DataError as exc:
        raise ImportProblem(f"the data has {len(exc.problems)} problem(s) before the import; first: {exc.problems[0]}. "
                            "Run `python -m analysis validate`.") from None


def _commit(staging: Staging) -> None:
    problems = staging.commit()
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ImportProblem(f"the imported rows do not validate; nothing was changed:\n{lines}")


def _read_lookups(files: list[Path]):
    from analysis.data import lookup
    out = []
    for f in files:
        if not Path(f).is_file():
            raise ImportProblem(f"{f}: no such file")
        try:
            lk = lookup.read_lookup(f)
        except ImportProblem as exc:
            raise ImportProblem(f"{f}: {exc}") from None
        print(f"Read {f.name}: an ONS {lk.layout} lookup, {lk.rows} row(s).")
        out.append(lk)
    return lookup.merged(out)


def _plan(merged, data_dir: Path, only: str | None, parent: str):
    from analysis.data import lookup
    try:
        rows, notes = lookup.plan(merged, read_rows(data_dir / "areas.csv")[1], only=only, parent=parent)
    except lookup.LookupError_ as exc:
        raise ImportProblem(f"{merged.file}: {exc}") from None
    for n in notes:
        print(f"  kept: {n}")
    return rows


def _added_text(rows: list[dict]) -> str:
    by_type: dict[str, list[str]] = {}
    for r in rows:
        by_type.setdefault(r["type"], []).append(r["area_code"])
    words = {"ccg": ("CCG", "CCGs"), "district": ("district", "districts"), "icb": ("STP/ICB", "STPs/ICBs"),
             "hwb": ("council (HWB)", "councils (HWBs)")}
    return "; ".join(f"{len(v)} {words.get(k, (k, k))[len(v) > 1]} ({', '.join(v)})" for k, v in by_type.items())


def cmd_import_lookup(args) -> int:
    _valid(args.data)
    merged = _read_lookups(args.files)
    rows = _plan(merged, args.data, None, args.parent or "")
    if not rows:
        print("Nothing changed: every area the lookups name is already in data/areas.csv.")
        return 0
    staging = Staging(args.data)
    staging.append_rows("areas.csv", rows)
    _commit(staging)
    print(f"Added to data/areas.csv: {_added_text(rows)}.")
    return 0


def cmd_new_area_from_lookup(args) -> int:
    """new-area's registry row and template, the area and what it needs taken from the lookups."""
    from analysis.data import lookup, new_area
    from analysis.pages.needs import template_groups
    loaded = _valid(args.data)
    code = args.lookup_code or args.code
    if not code:
        raise ImportProblem("--from-lookup needs --code CODE, the CCG's ODS or GSS code")
    merged = _read_lookups(args.from_lookup)
    gss = lookup.find_ccg(merged, code)
    if gss is None:
        raise ImportProblem(f"{merged.file}: {code} is not a CCG in the lookup(s) (they list {len(merged.ccgs)} CCG(s) "
                            "by GSS code CCGyyCD and ODS code CCGyyCDH)")
    rows = _plan(merged, args.data, gss, args.parent or "")
    reg = lookup.Registry(read_rows(args.data / "areas.csv")[1] + rows)
    row = reg.find(gss)
    area, name = row["area_code"], row["name"]
    if row["type"] != "ccg":
        raise ImportProblem(f"area {area} is already in data/areas.csv as a {row['type']}, not a ccg")
    template = args.data / new_area.template_path(area)
    if template.exists():
        raise ImportProblem(f"{template} already exists; edit it, or remove it to start again")
    staging = Staging(args.data)
    if rows:
        staging.append_rows("areas.csv", rows)
    if not row["section"]:
        _stage_section(staging, area)
    if new_area.local_source_id(area) not in set(loaded.sources["source_id"]):
        staging.append_rows("sources.csv", [new_area.source_row(area, name, args.date or datetime.date.today().strftime("%Y-%m"))])
    text = new_area.template_text(area, name, "ccg", new_area.template_measures(loaded, "ccg"), template_groups(loaded))
    staging.write_text(new_area.template_path(area), text)
    _commit(staging)
    if rows:
        print(f"Added to data/areas.csv: {_added_text(rows)}.")
    print(f"{'Added' if rows else 'Gave'} {area} ({name}) a section; wrote {template.name}.")
    print(f"Fill in the rows you have, then: python -m analysis validate --area {area}; python -m analysis render --area {area}")
    return 0


def _stage_section(staging: Staging, area: str) -> None:
    from analysis.data.imports import csv_text
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(staging.current_text("areas.csv"))))
    for r in rows:
        if r["area_code"] == area:
            r["section"] = "ccg"
    staging.write_text("areas.csv", csv_text(rows, list(rows[0])))


def add_parsers(sub) -> None:
    lk = sub.add_parser("import-lookup", help="register CCGs, their districts, STP/ICB and council from ONS lookups")
    lk.add_argument("files", type=Path, nargs="+", help="ONS lookup CSVs (CCG to STP/ICB, CCG to district, LSOA to CCG "
                                                        "and district, district to county)")
    lk.add_argument("--parent", help="the Health and Wellbeing Board of a CCG whose districts do not say it")
    lk.set_defaults(func=cmd_import_lookup)

