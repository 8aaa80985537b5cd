"""Load the book's data and validate it.

Every CSV is read strictly (analysis.data.read) and then validated with pandera,
the provenance checks and the commentary checks. Problems are collected, not
raised one at a time, and each names its file, row (the line number in the
file) and column, and the rule that failed. Validated data are cached under a
key of the data and the code (analysis.data.keys).
"""
from __future__ import annotations

import dataclasses
from collections import namedtuple
import math
import os
import pickle
from functools import lru_cache
from pathlib import Path

import pandas as pd

from analysis import DATA_DIR, ROOT
from analysis.data.keys import validated_key

from analysis.data.memo import checked_table, frozen
from analysis.data.read import _label
from analysis.data.vocabulary import (
    AIMS_COLUMNS, AREA_COLUMNS, STATISTIC_COLUMNS, AREA_TYPES, FACT_COLUMNS, FIGURE_KEY, KEY, MEASURE_COLUMNS, NUMBER_RE, SOURCE_COLUMNS, TRAJECTORY_CAUSE_COLUMNS,
    TRAJECTORY_RULE_COLUMNS, UNIT_COLUMNS, BookData, DataError, Problem,
)

CACHE_DIR = ROOT / "_build" / "cache"


# --- loading -------------------------------------------------------------------

def _read_dimension(data_dir: Path, name: str, columns: list[str], schema_of, args=(), optional=()) -> tuple[pd.DataFrame, list[Problem], str]:
    """A table read and checked by its schema (``schema_of(*args)``)."""
    from analysis.data.schema import schema_problems
    path = data_dir / name
    label = _label(path, data_dir)
    if not path.exists():
        frame = pd.DataFrame(columns=columns)
        return frame, [Problem(label, None, None, "exists", "file is missing")] + schema_problems(schema_of(*args), frame, label), label
    frame, problems = checked_table(path, columns, label, schema_of, args, optional)
    return frame, problems, label


def _read_optional(data_dir: Path, name: str, columns: list[str], schema_of, args=()) -> tuple[pd.DataFrame, list[Problem], str]:
    """A table that may be absent: no file means no rows."""
    from analysis.data.schema import schema_problems
    path = data_dir / name
    label = _label(path, data_dir)
    if not path.exists():
        frame = pd.DataFrame(columns=columns, dtype=str)
        return frame, schema_problems(schema_of(*args), frame, label), label
    frame, problems = checked_table(path, columns, label, schema_of, args)
    return frame, problems, label


def fact_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "facts").glob("*.csv"))


def collect(data_dir: Path = DATA_DIR) -> tuple[BookData, list[Problem]]:
    """Read and validate everything; return the data and every problem found."""
    from analysis.data.commentary import check_ids, collect_commentary
    from analysis.data.provenance import provenance_problems, source_texts
    from analysis.data.schema import (aims_schema, area_schema, fact_schema, measure_schema, source_schema, statistic_schema,
                                      trajectory_cause_schema, trajectory_rule_schema, unit_schema)
    from analysis.data.trajectories import CAUSES_FILE, RULES_FILE, path_values, rule_problems

    data_dir = Path(data_dir)
    problems: list[Problem] = []
    units, p, ulabel = _read_dimension(data_dir, "units.csv", UNIT_COLUMNS, unit_schema)
    problems += p
    sources, p, slabel = _read_dimension(data_dir, "sources.csv", SOURCE_COLUMNS, source_schema, optional=("plan_of",))
    problems += p
    measures, p, mlabel = _read_dimension(data_dir, "measures.csv", MEASURE_COLUMNS, measure_schema, (set(units["unit"]),),
                                          optional=("min_value", "max_value"))
    problems += p
    areas, p, alabel = _read_dimension(data_dir, "areas.csv", AREA_COLUMNS, area_schema, (AREA_TYPES,))
    problems += p
    problems += _parent_problems(areas, alabel)
    problems += [Problem(slabel, i, "plan_of", "area_known", f"plan_of {v!r} is not in data/areas.csv")
                 for i, v in zip(sources.index, sources["plan_of"]) if v and v not in set(areas["area_code"])]

    dimensions = (set(areas["area_code"]), measures, units, set(sources["source_id"]))
    dimensions_key = frozen(dimensions)
    frames = []
    for path in fact_files(data_dir):
        label = _label(path, data_dir)
        frame, p = checked_table(path, FACT_COLUMNS, label, fact_schema, dimensions, args_key=dimensions_key)
        problems += p
        frames.append(frame.assign(file=label, row=frame.index))
    facts = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FACT_COLUMNS + ["file", "row"])
    problems += _cross_file_problems(facts)
    problems += _clash_problems(facts, units)
    problems += provenance_problems(facts, sources, slabel, data_dir)

    statistics, p = _read_statistics(data_dir, statistic_schema, dimensions, dimensions_key)
    problems += p + _statistic_problems(statistics, facts, sources, slabel, data_dir)

    known = (set(areas["area_code"]), set(measures["measure_id"]), set(sources["source_id"]))
    rules, p, rlabel = _read_optional(data_dir, RULES_FILE, TRAJECTORY_RULE_COLUMNS, trajectory_rule_schema, known)
    problems += p
    causes, p, clabel = _read_optional(data_dir, CAUSES_FILE, TRAJECTORY_CAUSE_COLUMNS, trajectory_cause_schema, known)
    problems += p
    aims, p, aimslabel = _read_optional(data_dir, "aims.csv", AIMS_COLUMNS, aims_schema, (set(areas["area_code"]), set(sources["source_id"])))
    problems += p
    written = check_ids(data_dir)
    # Unreadable sources are reported by provenance_problems.
    texts, _ = source_texts(sources[sources["source_id"].isin(set(rules["rule_source_id"]))], data_dir, slabel)
    values = path_values(rules, causes, facts)
    problems += rule_problems(rules, causes, facts, (rlabel, clabel), written, texts, values)
    generated = set(values["check_id"])

    passages, p = collect_commentary(data_dir, set(facts["fact_id"]), set(areas["area_code"]), written | generated)
    problems += p
    facts["value_text"] = facts["value"]
    facts["value"] = pd.to_numeric(facts["value"].where(facts["value"].str.match(NUMBER_RE, na=False)), errors="coerce")
    data = BookData(facts=facts, areas=areas.reset_index(drop=True), measures=measures.reset_index(drop=True),
                    units=units.reset_index(drop=True), sources=sources.reset_index(drop=True), data_dir=data_dir,
                    commentary=tuple(passages), trajectory_rules=rules, trajectory_causes=causes, aims=aims,
                    statistics=statistics.assign(number=pd.to_numeric(statistics["value"].where(statistics["value"].str.match(NUMBER_RE, na=False)), errors="coerce")))
    return data, problems


def statistic_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "statistics").glob("*.csv"))


def _read_statistics(data_dir: Path, schema_of, args, args_key) -> tuple[pd.DataFrame, list[Problem]]:
    frames, problems = [], []
    for path in statistic_files(data_dir):
        label = _label(path, data_dir)
        frame, p = checked_table(path, STATISTIC_COLUMNS, label, schema_of, args, args_key=args_key)
        problems += p
        frames.append(frame.assign(file=label, row=frame.index))
    if not frames:
        return pd.DataFrame(columns=STATISTIC_COLUMNS + ["file", "row"], dtype=str), problems
    return pd.concat(frames, ignore_index=True), problems


def _statistic_problems(statistics: pd.DataFrame, facts: pd.DataFrame, sources: pd.DataFrame, label: str, data_dir: Path) -> list[Problem]:
    """A statistic belongs to a figure of the same source, and cites lines its source has."""
    from analysis.data.provenance import lines_problems
    held = set(zip(facts["source_id"], facts["area_code"], facts["measure_id"], facts["period"], facts["breakdown"]))
    problems = [Problem(r.file, int(r.row), "measure_id", "statistic_of_fact",
                        f"no fact of source {r.source_id} has ({r.area_code}, {r.measure_id}, {r.period}, {r.breakdown!r}): "
                        "a statistic is printed beside a figure in data/facts")
                for r in statistics.itertuples()
                if (r.source_id, r.area_code, r.measure_id, r.period, r.breakdown) not in held]
    return problems + lines_problems(statistics, sources, label, data_dir)


def _parent_problems(areas: pd.DataFrame, label: str) -> list[Problem]:
    codes = set(areas["area_code"])
    return [
        Problem(label, int(row), "parent_code", "parent_known", f"{parent!r}: parent_code is not an area_code in this file")
        for row, parent in areas["parent_code"].items()
        if parent and parent not in codes
    ]


def _cross_file_problems(facts: pd.DataFrame) -> list[Problem]:
    """Uniqueness across fact files (each file is checked on its own by its schema)."""
    problems = []
    for columns, what in ((["fact_id"], "fact_id"), (KEY, "(" + ", ".join(KEY) + ")")):
        dup = facts[facts.duplicated(columns, keep=False)]
        if dup["file"].nunique() > 1:
            for (_, group) in dup.groupby(columns, sort=True):
                if group["file"].nunique() < 2:
                    continue
                first = group.iloc[0]
                for rec in group.iloc[1:].itertuples():
                    problems.append(Problem(rec.file, int(rec.row), columns[0] if len(columns) == 1 else None, "unique",
                                            f"duplicate {what}: same as {first.file} row {first.row}; keep one row"))
    return problems


_Printed = namedtuple("_Printed", "source_id base_value value unit file row")


def _clash_problems(facts: pd.DataFrame, units: pd.DataFrame) -> list[Problem]:
    """Papers that print one figure must agree: rows of different sources with the same
    (area_code, measure_id, period, breakdown) and different values are a clash, in any files.

    The same value (compared in the unit's base, so 200 £000 repeats 0.2 £m) is a repeat and
    is allowed; a not-published row prints no value, so it neither clashes nor repeats. Two rows
    of one source under one key are refused as duplicates (the schema and _cross_file_problems)."""
    factor = pd.to_numeric(units.drop_duplicates("unit").set_index("unit")["factor"], errors="coerce")
    valued = facts[facts["value"].str.match(NUMBER_RE, na=False)]
    base = pd.to_numeric(valued["value"]) * valued["unit"].map(factor)
    problems = []
    valued = valued.assign(base_value=base)
    # Only figures printed by two sources or more can clash: most are printed once.
    shared = valued.groupby(FIGURE_KEY, sort=False)["source_id"].transform("nunique") > 1
    # Grouped as plain records, in the order groupby(FIGURE_KEY, sort=True) gives (a frame per group was most of the time).
    sub = valued[shared]
    groups: dict[tuple, list] = {}
    for rec in zip(*(sub[c] for c in FIGURE_KEY), sub["source_id"], sub["base_value"], sub["value"], sub["unit"], sub["file"], sub["row"]):
        key = rec[:len(FIGURE_KEY)]
        if not any(pd.isna(k) for k in key):
            groups.setdefault(key, []).append(_Printed(*rec[len(FIGURE_KEY):]))
    for key in sorted(groups):
        first, *rest = groups[key]
        for rec in rest:
            if rec.source_id == first.source_id or pd.isna(rec.base_value) or pd.isna(first.base_value):
                continue
            if math.isclose(rec.base_value, first.base_value, rel_tol=1e-9, abs_tol=1e-12):
                continue
            problems.append(Problem(
                rec.file, int(rec.row), "value", "clash",
                f"{rec.value} {rec.unit} clashes with {first.value} {first.unit} in {first.file} row {first.row} under the same "
                f"({', '.join(FIGURE_KEY)}) = ({', '.join(repr(k) for k in key)}); where papers print different values "
                "for one figure, tell them apart by breakdown (the table or the paper's date)"))
    return problems


def validate(data_dir: Path = DATA_DIR) -> list[Problem]:
    """Every problem in the data, located; empty when the data is valid."""
    return collect(data_dir)[1]


def cache_path(data_dir: Path) -> Path:
    """Where :func:`load` keeps this version of the data once validated."""
    return CACHE_DIR / f"data-{validated_key(Path(data_dir))}.pickle"


@lru_cache(maxsize=4)
def load(data_dir: Path = DATA_DIR) -> BookData:
    """Validated data for the book; raises DataError listing every problem.

    Validation runs once per version of the data: the validated tables are
    kept in _build/cache under a key of the data and of the code that decides
    what is valid (analysis.keys), so each notebook kernel loads them instead
    of validating again, and a changed rule is never served from the cache.
    """
    data_dir = Path(data_dir)
    cached = cache_path(data_dir)
    if cached.exists():
        with open(cached, "rb") as f:
            data = pickle.load(f)
        # The key is of the content, so a copy of the data elsewhere shares the entry: the
        # folder (for source texts and notes) is always the one asked for.
        return dataclasses.replace(data, data_dir=data_dir) if data.data_dir != data_dir else data
    data, problems = collect(data_dir)
    if problems:
        raise DataError(problems)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        pickle.dump(data, f)
    os.replace(tmp, cached)
    return data
