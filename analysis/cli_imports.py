"""The commands that import public files: ``import-fingertips`` (OHID Fingertips exports),
``import-lookup`` (ONS geography lookups), ``new-area --from-lookup`` and ``import-population``
(ONS population estimates).

Each stages its changes and commits them only if the data, as they would be,
validate (analysis.data.imports): a refused import leaves ``data/`` as it was.
A user's mistake is an ``ImportProblem``: one line naming the file and line.
"""
from __future__ import annotations

import datetime
from pathlib import Path

from analysis import DATA_DIR
from analysis.data import imports as imports_mod
from analysis.data.imports import ImportProblem, Staging, already_imported, read_rows


def _valid(data_dir: Path):
    from analysis.data import load
    from analysis.data.vocabulary import DataError
    try:
        # Unmemoised: an import changes the folder, and the next one in this process must see it
        # (the validated copy on disk is keyed by content).
        return load.__wrapped__(Path(data_dir))
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


def cmd_import_fingertips(args) -> int:
    import csv
    import datetime
    from analysis.data import fingertips, imports
    loaded = _valid(args.data)
    name = args.file.name
    if not args.file.is_file():
        raise ImportProblem(f"{args.file} does not exist")
    same = imports.already_imported(args.data, args.file)
    if same is not None:
        print(f"{name}: this file was imported before (data/sources/{same.name}); nothing changed.")
        return 0
    try:
        mapping = fingertips.read_mapping(args.mapping)
        export, layout = fingertips.read_export(args.file)
        print(f"Read {name}: a Fingertips export in the {layout} layout, {len(export)} rows.")
        stem = args.name or args.file.stem
        source_id = fingertips.source_id_for(stem)
        if source_id in set(loaded.sources["source_id"]):
            raise fingertips.ImportError_(f"an import named {stem!r} already exists ({source_id}); give another --name")
        facts, statistics, skipped = fingertips.export_to_facts(export, mapping, loaded, source_id)
    except fingertips.ImportError_ as exc:
        raise ImportProblem(f"{name}: {exc}; nothing was imported") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise ImportProblem(f"{name}: cannot read it as a CSV file (UTF-8 text, comma-separated): {exc}; nothing was imported") from None
    for line in skipped:
        print(f"  skipped {line}")
    if facts.empty:
        raise ImportProblem(f"{name}: no row of the export maps to a measure and an area in the registry; nothing imported")
    stage = imports.Staging(args.data)
    replaced = _earlier_imports(loaded, facts, stage, args.replace, name)
    slug = source_id[3:].lower()
    stage.copy_file(args.file, f"sources/{name}")
    stage.write_text(f"facts/fingertips-{slug}.csv", imports.csv_text(facts.to_dict("records"), list(facts.columns)))
    if len(statistics):
        stage.write_text(f"statistics/fingertips-{slug}.csv", imports.csv_text(statistics.to_dict("records"), list(statistics.columns)))
    stage.append_rows("sources.csv", [{"source_id": source_id, "file": name, "title": f"OHID Fingertips data export: {stem}",
                                       "publisher": "Office for Health Improvement and Disparities",
                                       "date": args.date or datetime.date.today().strftime("%Y-%m"),
                                       "areas": ", ".join(sorted(set(facts["area_code"])))}])
    problems = stage.commit()
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise ImportProblem(f"{name}: the imported rows do not validate; nothing was kept:\n{lines}")
    print(f"Imported {len(facts)} figure(s) and {len(statistics)} statistic(s) into facts/fingertips-{slug}.csv "
          f"(source {source_id}); skipped {len(skipped)} row(s)." + (f" Replaced {replaced}." if replaced else ""))
    return 0


def _earlier_imports(loaded, facts, stage, replace: bool, name: str) -> str:
    """Stage the removal of an earlier Fingertips import's figures of the same measures and areas
    (only with --replace); refuse otherwise. Returns what was replaced, in words."""
    from analysis.data import imports
    hit = imports.earlier_figures(loaded, facts, "FT-")
    if hit.empty:
        return ""
    if not replace:
        first = hit.iloc[0]
        raise ImportProblem(f"{name}: {first['measure_id']} for {first['area_code']} is already imported from source {first['source_id']} "
                        f"({first['file']}, row {first['row']}), as are {len(hit) - 1} more figure(s); pass --replace to "
                        "replace the earlier figures of these measures and areas with this export's; nothing was imported")
    return imports.stage_removal(stage, loaded, hit)


def add_parsers(sub) -> None:
    ft = sub.add_parser("import-fingertips", help="import an OHID Fingertips data export CSV through a mapping file")
    ft.add_argument("file", type=Path, help="the export CSV")
    ft.add_argument("--mapping", type=Path, default=DATA_DIR / "fingertips_mapping.csv", help="indicator-to-measure mapping")
    ft.add_argument("--name", help="name of this import (default: the file name)")
    ft.add_argument("--date", help="month of the export, YYYY-MM (default: this month)")
    ft.add_argument("--replace", action="store_true",
                    help="replace figures of the same measures and areas imported from an earlier export")
    ft.set_defaults(func=cmd_import_fingertips)

    lk = sub.add_parser("import-lookup", help="register CCGs, their districts, STP/ICB and council from ONS lookups")
    lk.add_argument("files", type=Path, nargs="+", help="ONS lookup CSVs (CCG to STP/ICB, CCG to district, LSOA to CCG "
                                                        "and district, district to county)")
    lk.add_argument("--parent", help="the Health and Wellbeing Board of a CCG whose districts do not say it")
    lk.set_defaults(func=cmd_import_lookup)

    pop = sub.add_parser("import-population", help="import ONS mid-year population estimates for CCGs by single year of age")
    pop.add_argument("file", type=Path, help="the estimates CSV (area code and name, All Ages, 0 to 89, 90+)")
    pop.add_argument("--period", required=True, help="the estimates' year, e.g. 2020 (as at 30 June)")
    pop.add_argument("--sex", default="persons", choices=["persons", "females", "males"], help="whose estimates (default persons)")
    pop.add_argument("--name", help="name of this import (default: the file name)")
    pop.add_argument("--date", help="month the estimates were published, YYYY-MM (default: this month)")
    pop.add_argument("--replace", action="store_true",
                     help="replace the figures an earlier import holds for the same areas, period and sex")
    pop.set_defaults(func=cmd_import_population)


def cmd_import_population(args) -> int:
    from analysis.data import population
    loaded = _valid(args.data)
    path = args.file
    if not path.is_file():
        raise ImportProblem(f"{path}: no such file")
    period = population.check_period(args.period)
    try:
        estimates = population.read_estimates(path)
    except ImportProblem as exc:
        raise ImportProblem(f"{path}: {exc}") from None
    print(f"Read {path.name}: ONS population estimates by single year of age, {len(estimates.rows)} area row(s) "
          f"(codes in column {estimates.code_column!r}).")
    copy = already_imported(args.data, path)
    if copy is not None:
        print(f"Nothing changed: {path.name} was imported before (data/sources/{copy.name}).")
        return 0
    source_id = population.source_id_for(args.name or path.stem)
    if source_id in set(loaded.sources["source_id"]):
        raise ImportProblem(f"{path}: an import named {args.name or path.stem!r} already exists ({source_id}); give another --name")
    copy_name = population.copy_name(source_id, path)
    facts, skipped = population.estimates_to_facts(estimates, loaded, source_id, period, args.sex)
    for s in skipped:
        print(f"  skipped {s}")
    if facts.empty:
        raise ImportProblem(f"{path}: no row's area is in data/areas.csv; nothing imported")
    staging = Staging(args.data)
    held = population.held_elsewhere(loaded.facts, facts)
    if len(held):
        if not args.replace:
            first = held.iloc[0]
            raise ImportProblem(f"{path}: figures for {first['area_code']} {period} are already held ({first['file']}, "
                                f"source {first['source_id']}); pass --replace to replace that import's figures")
        imports_mod.stage_removal(staging, loaded, held)
    staging.copy_file(path, f"sources/{copy_name}")
    staging.write_text(population.facts_path(source_id), facts.to_csv(index=False, lineterminator="\n"))
    staging.append_rows("sources.csv", [{
        "source_id": source_id, "file": copy_name, "title": f"ONS mid-year population estimates by single year of age: {path.name}",
        "publisher": "Office for National Statistics", "date": args.date or datetime.date.today().strftime("%Y-%m"),
        "areas": ", ".join(sorted(set(facts["area_code"]))), "plan_of": ""}])
    _commit(staging)
    replaced = f"; replaced {len(held)} figure(s) of {', '.join(sorted(set(held['source_id'])))}" if len(held) else ""
    print(f"Imported {len(facts)} figure(s) for {facts['area_code'].nunique()} area(s) into "
          f"{population.facts_path(source_id)} (source {source_id}){replaced}; skipped {len(skipped)} row(s).")
    return 0
