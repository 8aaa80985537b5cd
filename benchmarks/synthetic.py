"""A synthetic national dataset: CCG-like areas in the book's data layout.

Each synthetic area copies the pattern of one of the five Essex CCGs with the
most data (which measures, periods and breakdowns it has, and their status)
and scales the values by a random factor, kept within each measure's allowed
range. Everything is marked synthetic: the area names, the source and every
fact's note. It is written only into a scratch copy of the project, never
into data/, so it cannot reach the published book.
"""
from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pandas as pd

from analysis import ROOT
from analysis.data import AREA_COLUMNS, FACT_COLUMNS, KEY, SOURCE_COLUMNS, collect

PATTERNS = ("07H", "99E", "99F", "06Q", "06T")  # the Essex CCGs with the most facts
SOURCE_ID = "SYNTHETIC"
FACT_FILE = "facts/synthetic.csv"
SOURCE_FILE = "synthetic.txt"
SEED = 2013
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", "scenarios", "__pycache__", "*.egg-info",
                                     ".pytest_cache", "benchmarks")


def area_code(i: int) -> str:
    """The code of the i-th synthetic area.

    >>> area_code(7)
    'SYN007'
    """
    return f"SYN{i:03d}"


def scratch_copy(dst: Path) -> Path:
    """The project's files (not its build, venv or history) copied to ``dst``."""
    shutil.copytree(ROOT, dst, ignore=COPY_IGNORE)
    return dst


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def scaled(value_text: str, factor: float, low: str, high: str) -> str:
    """A value scaled by ``factor``, printed to the same decimals, kept in [low, high].

    >>> scaled("1905", 1.1, "", ""), scaled("95.5", 1.2, "0", "100"), scaled("12", 0.5, "", "")
    ('2096', '100.0', '6')
    """
    value = float(value_text) * factor
    if low != "":
        value = max(value, float(low))
    if high != "":
        value = min(value, float(high))
    d = _decimals(value_text)
    return f"{value:.{d}f}" if d else str(int(round(value)))


def template_keys(data) -> pd.DataFrame:
    """Every row of a new CCG's complete template (the compared measures and every model's inputs),
    with the printed figure of the first CCG that publishes it: (measure, period, breakdown, unit,
    table, value_text, status)."""
    from analysis.data.new_area import template_measures
    from analysis.pages.needs import template_groups
    keys = [(m.measure_id, m.period, m.breakdown or "") for m in template_measures(data, "ccg").itertuples()]
    keys += [(r["measure_id"], r["period"], r["breakdown"]) for _, rows in template_groups(data) for r in rows]
    f = data.facts
    ccgs = set(data.areas.loc[data.areas["section"] == "ccg", "area_code"])
    own = f[f["area_code"].isin(ccgs)].sort_values("status", key=lambda s: s == "not_published", kind="stable")
    by = ["measure_id", "period", "breakdown"]
    first = own.drop_duplicates(by).set_index(by).sort_index()
    wanted = [k for k in dict.fromkeys(keys) if k in first.index]
    return first.loc[wanted].reset_index()


def synthetic_facts(data, n: int, seed: int = SEED) -> pd.DataFrame:
    """Facts for ``n`` synthetic areas, each on its own source line (1..n): its pattern CCG's
    figures, and every other row of the complete template, so that every page carries its models."""
    rng = random.Random(seed)
    bounds = data.measures.set_index("measure_id")[["min_value", "max_value"]]
    f = data.facts
    complete = template_keys(data)
    rows = []
    for i in range(1, n + 1):
        code, pattern = area_code(i), PATTERNS[(i - 1) % len(PATTERNS)]
        own = f[f["area_code"] == pattern].drop_duplicates(["area_code", "measure_id", "period", "breakdown"])
        own = pd.concat([own, complete]).drop_duplicates(["measure_id", "period", "breakdown"])
        factor = rng.uniform(0.7, 1.3)
        for r in own.itertuples():
            published = r.status != "not_published" and r.value_text != ""
            if not published:
                value = ""
            elif "rank" in r.measure_id:
                value = str(rng.randint(1, 211))  # a rank among the 211 CCGs, not a quantity to scale
            else:
                value = scaled(r.value_text, factor * rng.uniform(0.95, 1.05), *bounds.loc[r.measure_id])
            rows.append({
                "fact_id": f"synthetic.{code.lower()}.{r.measure_id}.{len(rows)}",
                # The table keeps the paper's name after the prefix: a table's rows stay together.
                "source_id": SOURCE_ID, "lines": str(i), "table": f"Synthetic values for {code}: {r.table}",
                "area_code": code, "measure_id": r.measure_id, "period": r.period, "breakdown": r.breakdown,
                "value": value, "unit": r.unit, "printed": value, "status": r.status,
                "note": f"SYNTHETIC: not real data; pattern of {pattern}, values scaled at random (seed {seed}).",
            })
    out = pd.DataFrame(rows, columns=FACT_COLUMNS)
    return out.drop_duplicates(KEY)


def synthetic_rules(data_dir: Path, n: int) -> list[dict]:
    """Each synthetic area's trajectory rules: the papers' rules for the same paths, as written."""
    path = data_dir / "trajectory_rules.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        rules = list(csv.DictReader(fh))
    out = []
    for i in range(1, n + 1):
        code = area_code(i)
        for r in rules:
            prefix = r["check_id"].rsplit(".", 1)[0]
            out.append(dict(r, area_code=code, source_id=SOURCE_ID,
                            check_id=r["check_id"].replace(prefix, f"synthetic.{code.lower()}.{r['area_code'].lower()}", 1),
                            note="SYNTHETIC: " + r["note"]))
    return out


def _append_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=columns, lineterminator="\n").writerows(rows)


def write_synthetic(project: Path, n: int, seed: int = SEED) -> int:
    """Add ``n`` synthetic CCG-like areas (with sections) to a scratch project's data; return the fact count."""
    if project.resolve() == ROOT.resolve():
        raise ValueError("synthetic data goes into a scratch copy of the project, never into the book's own data/")
    data_dir = project / "data"
    loaded, problems = collect(data_dir)
    if problems:
        raise ValueError(f"the scratch copy's data is not valid: {problems[0]}")
    facts = synthetic_facts(loaded, n, seed)
    (data_dir / FACT_FILE).write_text("", encoding="utf-8")
    facts.to_csv(data_dir / FACT_FILE, index=False, lineterminator="\n")
    (data_dir / "sources" / SOURCE_FILE).write_text("".join(
        f"{area_code(i)}: synthetic values for Synthetic CCG {i:03d} (benchmark data, not real)\n" for i in range(1, n + 1)),
        encoding="utf-8")
    _append_rows(data_dir / "sources.csv", SOURCE_COLUMNS, [{
        "source_id": SOURCE_ID, "file": SOURCE_FILE, "title": "SYNTHETIC benchmark data, not real",
        "publisher": "benchmarks/synthetic.py", "date": "2013-04", "areas": f"{n} synthetic CCG-like areas"}])
    rules = synthetic_rules(data_dir, n)
    if rules:
        _append_rows(data_dir / "trajectory_rules.csv", list(rules[0]), rules)
    _append_rows(data_dir / "areas.csv", AREA_COLUMNS, [{
        "area_code": area_code(i), "name": f"Synthetic CCG {i:03d}", "type": "ccg", "parent_code": "E92000001",
        "gss_code": "", "ods_code": "", "hwb_code": "", "icb_code": "", "section": "ccg",
        "note": "SYNTHETIC benchmark area, not real"} for i in range(1, n + 1)])
    return len(facts)
