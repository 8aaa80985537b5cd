"""Stated targets and aims outside the trajectories."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.pages import report
from analysis.data import BookData
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.common import (KINDS, _county_link, _first_line, _kinds, _labels, _lower_first, _name,
                                            _shown, page_facts)
from analysis.pages.outcomes.trajectories import _trajectory_tables



# --- targets and stated aims ------------------------------------------------------------------

def _is_target(row) -> bool:
    return "target" in row["measure_id"] or "target" in row["breakdown"]


def _progress_pairs(facts: pd.DataFrame) -> pd.DataFrame:
    """Target rows printed beside a current value of the same measure, area and period."""
    key = ["source_id", "table", "area_code", "measure_id", "period"]
    targets = facts[facts["breakdown"] == "target"]
    current = facts[facts["breakdown"] == ""]
    return targets.merge(current, on=key, suffixes=("_target", "_current"))


def target_facts(page: PageData, area_code: str | None = None) -> pd.DataFrame:
    """Stated targets and aims: target facts not part of a trajectory or a
    target-versus-current table, plus the aims a CCG's own summary states."""
    area_code = area_code or page.area
    return page.memo(("target_facts", area_code), lambda: _target_facts(page, area_code))


def _target_facts(page: PageData, area_code: str) -> pd.DataFrame:
    data = page.data
    facts = page_facts(page, area_code)
    excluded = set(_trajectory_tables(page, facts))
    excluded |= {t for t in facts["table"] if any(t.startswith(x) and t != x for x in excluded)}
    pairs = _progress_pairs(facts)
    paired = set(pairs["fact_id_target"]) | set(pairs["fact_id_current"])
    is_target = pd.Series([_is_target(r) for _, r in facts.iterrows()], index=facts.index, dtype=bool)
    chosen = facts[is_target & ~facts["table"].isin(excluded) & ~facts["fact_id"].isin(paired)]
    family = report.area_family(area_code, data)
    paper_year = dict(zip(data.sources["source_id"], data.sources["date"].str[:4]))
    kinds = _kinds(data)
    extra = []
    # Where a CCG's own summary states aims of every kind (finance, services), with their years (data/aims.csv).
    passages = data.aims[data.aims["area_code"] == area_code]
    for source, lines in zip(passages["source_id"], passages["lines"]):
        lo, hi = (int(x) for x in lines.split("-"))
        f = data.facts
        first = f["lines"].map(_first_line)
        # Aims look ahead: figures dated the paper's own year describe the present, and
        # demographic figures are context, not aims.
        extra.append(f[(f["source_id"] == source) & first.between(lo, hi) & f["area_code"].isin(family)
                       & (f["period"] != paper_year[source]) & (f["measure_id"].map(kinds) != "demographics")])
    out = pd.concat([chosen, *extra]).drop_duplicates("fact_id")
    return out.assign(_line=out["lines"].map(_first_line)).sort_values(["source_id", "_line", "file", "row"]).drop(columns="_line")


def _related(row, data: BookData) -> str:
    """Another figure printed in the same table row (e.g. a project's funding beside its target)."""
    if not row["breakdown"]:
        return ""
    f = data.facts
    same = f[(f["source_id"] == row["source_id"]) & (f["table"] == row["table"]) & (f["breakdown"] == row["breakdown"])
             & (f["measure_id"] != row["measure_id"]) & ~f["measure_id"].str.contains("target")]
    labels = _labels(data)
    return "; ".join(f"{labels.get(m, m)}: {p}" for m, p in zip(same["measure_id"], same["printed"]))


def _same_aim_different_years(targets: pd.DataFrame) -> list[tuple[pd.Series, pd.Series]]:
    """Pairs of reduction targets with the same printed size but different target years."""
    t = targets[targets["measure_id"].str.contains("reduction_target") & (targets["status"] != "not_published")]
    pairs = []
    rows = list(t.iterrows())
    for i, (_, a) in enumerate(rows):
        for _, b in rows[i + 1:]:
            if a["value"] == b["value"] and a["unit"] == b["unit"] and a["period"] != b["period"]:
                pairs.append((a, b))
    return pairs


def targets_summary(page: PageData) -> Markdown:
    data = page.data
    area_code = page.area
    name = _name(area_code, data)
    t = target_facts(page)
    if t.empty:
        return Markdown(f"The source papers state no outcome targets for {name} outside its trajectories. "
                        f"See the {_county_link()} for the Essex-wide targets.")
    labels = _labels(data)
    outcome_like = t[t["measure_id"].map(_kinds(data)).isin(KINDS)]
    share = "" if len(outcome_like) == len(t) else f", {len(outcome_like)} of them outcome or activity targets"
    text = (f"The papers state {len(t)} targets or aims for {name}{share}. None comes with a yearly path, and most name no baseline, so they are shown as printed, "
            "each with the year or period it is set for.")
    for a, b in _same_aim_different_years(t):
        text += (f" The same {a['printed']} reduction is stated for two different years: "
                 f"{_lower_first(labels.get(a['measure_id'], a['measure_id']))} by {a['period']} "
                 f"({report.source_label(a)}) and {_lower_first(labels.get(b['measure_id'], b['measure_id']))} by "
                 f"{b['period']} ({report.source_label(b)}).")
    return Markdown(text)


def targets_table(page: PageData) -> charts.Table | None:
    data = page.data
    area_code = page.area
    t = target_facts(page)
    if t.empty:
        return None
    root = page.root
    labels = _labels(data)
    shown = pd.DataFrame({
        "Aim": [labels.get(m, m) for m in t["measure_id"]],
        "Area": [report.area_name(a, data) for a in t["area_code"]],
        "Project or part": t["breakdown"].values,
        "As printed": [_shown(r) for _, r in t.iterrows()],
        "For": t["period"].values,
        "Printed beside it": [_related(r, data) for _, r in t.iterrows()],
        **report.source_columns(t, root),
    })
    if (shown["Printed beside it"] == "").all():
        shown = shown.drop(columns="Printed beside it")
    download = t[["fact_id", "area_code", "measure_id", "period", "breakdown", "value", "unit", "printed", "status",
                  "source_id", "table", "lines", "note"]]
    return charts.Table(shown, f"{_name(area_code, data)}: stated targets and aims", f"out-targets-{area_code.lower()}",
                        links={"Source": "_source_url"}, download=download)


