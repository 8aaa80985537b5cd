"""The "What each section needs" page: for each section of a CCG's pages that runs a model,
the figures that make it appear (from the models' declared contracts and the spec's block
needs), with units, period forms and definitions, and which CCGs have them now."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.models import registry
from analysis.models.contracts import BELOW, Contract, Input
from analysis.pages import charts
from analysis.pages.pagedata import PageData
from analysis.pages.report import area_name
from analysis.pages.spec import load_spec


def _period(c: Contract, period: str) -> str:
    if period in c.roles:
        r = c.roles[period]
        how = {"latest": "the latest", "all": "every", "after_first": "every after the first"}[r.pick]
        of = f"of {r.measure}{': ' + r.breakdown if r.breakdown else ''}" if r.measure else "the figure is printed for"
        return f"{period.replace('_', ' ')} ({how} period {of}; in the papers {', '.join(r.example)})"
    return period


def _area(i: Input, page: PageData) -> str:
    if not i.area:
        return "the CCG"
    if i.area == BELOW:
        return "an area below the CCG"
    return area_name(i.area, page.data)


def _role(c: Contract, i: Input) -> str:
    if i.result:
        return "printed result (checked)" + ("" if i.required else ", optional")
    if any(i.key in g for g in c.one_of):
        return "input, one of a group"
    return "input" + ("" if i.required else ", optional")


def _one_of(c: Contract) -> str:
    groups = [len(g) for g in c.one_of]
    if not groups:
        return ""
    return " It needs at least one of the figures marked \"one of a group\"" + (
        "" if len(groups) == 1 else f" in each of its {len(groups)} groups") + "."


def _sections() -> list[tuple[str, str, str, tuple[str, ...], list[tuple[str, tuple[str, ...]]]]]:
    """(page id, page title, section title, the section's contracts, [(block, its needs)]) for every
    section of the book that needs a model or measures."""
    out = []
    for page in load_spec().pages:
        for s in page.sections:
            blocks = [(b.fn, b.needs) for b in s.blocks if b.needs]
            if s.needs or blocks:
                out.append((page.id, page.title, s.title or s.id or "", s.needs, blocks))
    return out


def needs_summary(page: PageData) -> charts.Table:
    """One row per section that runs a model: what it needs and which CCGs have it."""
    facts, ccgs = page.data.facts, _ccgs(page)
    rows = []
    for page_id, _, title, needs, blocks in _sections():
        for cid in needs:
            c = registry.contract(cid)
            have = [area_name(a, page.data) for a in _holders(page, c) if a in ccgs]
            rows.append({"Page": page_id, "Section": title.replace("{{area_name}}", "the CCG"), "Model": c.title,
                         "Figures it reads": len(c.inputs), "CCGs that have them": ", ".join(have) or "none yet",
                         "_link": f"#{cid}"})
        for fn, measures in blocks:
            names = [m for m in measures if m not in registry.CONTRACTS]
            if names:
                rows.append({"Page": page_id, "Section": title, "Model": fn.split(".")[-1].replace("_", " "),
                             "Figures it reads": len(names), "CCGs that have them": ", ".join(
                                 area_name(a, page.data) for a in sorted(ccgs) if _holds_measures(page, a, names)) or "none yet",
                             "_link": ""})
    return charts.Table(pd.DataFrame(rows), "Sections that run a model, what they read and which CCGs have it",
                        "needs-summary", links={"Model": "_link"})


def contract_tables(page: PageData) -> list:
    """For each model: what it is, then every figure it reads, as a new CCG would fill it in."""
    units = dict(zip(page.data.measures["measure_id"], page.data.measures["unit"]))
    labels = dict(zip(page.data.measures["measure_id"], page.data.measures["label"]))
    definitions = dict(zip(page.data.measures["measure_id"], page.data.measures["definition"]))
    out, section_ccgs = [], _ccgs(page)
    for c in registry.CONTRACTS.values():
        ccgs = [area_name(a, page.data) for a in _holders(page, c) if a in section_ccgs]
        out.append(Markdown(f"**{c.title}** (`{c.id}`, on the `{c.page}` page, section `{c.section}`). {c.definition}"
                            f"{_one_of(c)} CCGs whose data hold it now: {', '.join(ccgs) or 'none'}."))
        rows = [{"Measure": i.measure, "What it is": labels.get(i.measure, ""), "Area": _area(i, page),
                 "Breakdown": i.label or "—", "Period": _period(c, i.period), "Unit": i.unit or units.get(i.measure, ""),
                 "Role": _role(c, i), "Definition": definitions.get(i.measure, "")} for i in c.inputs]
        out.append(charts.Table(pd.DataFrame(rows), f"{c.title}: the figures it reads", c.id))
    return out


def _holders(page: PageData, c: Contract) -> list[str]:
    """The areas whose data hold a contract, found once a page."""
    return page.memo(("holders", c.id), lambda: c.areas(page.data.facts, page.data.areas))


def _ccgs(page: PageData) -> set[str]:
    a = page.data.areas
    return set(a.loc[a["section"] == "ccg", "area_code"])


def _holds_measures(page: PageData, area: str, measures: list[str]) -> bool:
    """As blocks.holds for the area's own page: a published figure of every measure in its family."""
    return set(measures) <= _published_measures(page).get(area, set())


def _published_measures(page: PageData) -> dict[str, set[str]]:
    """Each CCG's published measures, its family's included; made once a page (blocks.holds
    per CCG and block would filter the whole table each time)."""
    def compute():
        from analysis.pages.report import area_family
        f = page.published.data.facts
        by_area = {a: set(g) for a, g in f.groupby("area_code", sort=False)["measure_id"]}
        return {c: set().union(*(by_area.get(a, set()) for a in area_family(c, page.data))) for c in _ccgs(page)}
    return page.memo("published_measures", compute)


# --- the new-area template: one row per figure a section's model reads ----------------------------

def _exemplar_rows(data, c: Contract) -> list[dict]:
    """The rows of ``c``'s inputs as the first CCG that holds it prints them (every period and line),
    or, where none does, one row per input in the papers' example periods."""
    ccgs = set(data.areas.loc[data.areas["section"] == "ccg", "area_code"])
    holders = [a for a in c.areas(data.facts, data.areas) if a in ccgs]
    out = []
    for i in c.inputs:
        if i.area:  # a comparator's figure (England, the county) or one for an area below the CCG: not the CCG's row
            continue
        role = ("printed result" if i.result else "input") + ("" if i.required else ", optional")
        if holders:
            for period, row in c.rows(data.facts, holders[0], i, data.areas).items():
                out.append({"measure_id": i.measure, "period": period, "breakdown": row["breakdown"],
                            "unit": row["unit"], "role": role, "table": row["table"]})
            if i.pattern:  # every line the exemplar prints under a pattern (a monthly report's lines)
                f = data.facts
                # blank cells too: they are part of the table's shape
                more = f[(f["area_code"] == holders[0]) & (f["measure_id"] == i.measure) & f["breakdown"].map(i.matches)]
                out += [{"measure_id": i.measure, "period": r.period, "breakdown": r.breakdown, "unit": r.unit, "role": role,
                         "table": r.table} for r in more.itertuples()]
        else:
            periods = c.roles[i.period].example if i.period in c.roles else (i.period,)
            out += [{"measure_id": i.measure, "period": p, "breakdown": i.label, "unit": i.unit, "role": role, "table": ""}
                    for p in periods]
    return out


def _measure_rows(data, measures: tuple[str, ...]) -> list[dict]:
    """A block's measures as the first CCG that holds them all prints them (its family's rows)."""
    from analysis.pages.blocks import holds
    from analysis.pages.pagedata import for_data
    from analysis.pages.report import area_family
    ccgs = list(data.areas.loc[data.areas["section"] == "ccg", "area_code"])
    holder = next((a for a in ccgs if holds(for_data(data, a), measures)), None)
    if holder is None:
        return []
    f = data.facts
    rows = f[f["area_code"].isin(area_family(holder, data)) & f["measure_id"].isin(measures)]
    return [{"measure_id": r.measure_id, "period": r.period, "breakdown": r.breakdown, "unit": r.unit, "role": "input",
             "table": r.table} for r in rows.itertuples()]


def template_groups(data) -> list[tuple[str, list[dict]]]:
    """The rows a new CCG's template holds for the models, grouped by page and section in book
    order: (heading, rows); each row has measure_id, period, breakdown, unit, role and feeds."""
    groups, seen = [], set()
    for page in load_spec().pages:
        if page.for_ != "ccg":
            continue
        for s in page.sections:
            ids = list(s.needs) + [n for b in s.blocks for n in b.needs if n in registry.CONTRACTS]
            ids += [c.id for c in registry.CONTRACTS.values() if (c.page, c.section) == (page.id, s.id) and c.id not in ids]
            rows = []
            for cid in dict.fromkeys(ids):
                c = registry.contract(cid)
                rows += [dict(r, feeds=c.title) for r in _exemplar_rows(data, c)]
            for b in s.blocks:
                measures = tuple(n for n in b.needs if n not in registry.CONTRACTS)
                if measures:
                    rows += [dict(r, feeds=b.fn.split(".")[-1].replace("_", " ")) for r in _measure_rows(data, measures)]
            fresh = []
            for r in rows:
                key = (r["measure_id"], r["period"], r["breakdown"])
                if key not in seen:
                    seen.add(key)
                    fresh.append(r)
            if fresh:
                where = page.file.rsplit("/", 1)[-1].capitalize()
                groups.append((f"{where} page > {s.title or s.id}", fresh))
    return groups
