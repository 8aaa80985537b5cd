"""A page's sections, run from the spec: each block is a page function called with the
page's data, in the order the spec lists them, skipped when the area's data do not hold
the measures it needs."""
from __future__ import annotations

import dataclasses
import importlib

from IPython.display import Markdown

from analysis.models import registry
from analysis.pages import report
from analysis.pages.commentary import passage
from analysis.pages.pagedata import PageData
from analysis.pages.report import area_family, show
from analysis.pages.spec import Block, load_spec


def _resolve(dotted: str, package: str = "analysis.pages"):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"{package}.{module}"), name)


def holds(page: PageData, measures: tuple[str, ...]) -> bool:
    """The page's area (or what lies below it) has a published figure of every measure, and its
    data hold every model contract named."""
    if not measures:
        return True
    contracts = [m for m in measures if m in registry.CONTRACTS]
    if contracts:
        return not missing(page, tuple(contracts)) and holds(page, tuple(m for m in measures if m not in contracts))
    f = page.published.data.facts
    own = f[f["area_code"].isin(area_family(page.area, page.data))] if page.area else f
    return set(measures) <= set(own["measure_id"])


def run(page: PageData, block: Block):
    return _resolve(block.fn)(page, *block.args, **block.kwargs)


def missing(page: PageData, needs: tuple[str, ...]) -> dict[str, list[str]]:
    """For each contract the section needs that the area's data do not hold, what is missing."""
    out = {}
    for cid in needs:
        gaps = page.memo(("contract", cid),
                         lambda: registry.contract(cid).missing(page.data.facts, page.area, page.data.areas))
        if gaps:
            out[cid] = gaps
    return out


def absent(page: PageData, gaps: dict[str, list[str]]) -> Markdown:
    """Why a section shows no model: how many of its inputs the area's data hold, and where they are listed."""
    root = page.root
    parts = []
    for cid in gaps:
        c = registry.contract(cid)
        held, required = c.coverage(page.data.facts, page.area, page.data.areas)
        parts.append(f"{c.noun} ({required} kinds of figure, {'none' if held == 0 else held} of them published for this CCG)")
    needs = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return Markdown(f"Not modelled for {report.area_name(page.area, page.data)}: this section needs {needs}. "
                    f"[What each section needs]({root}needs.html#{next(iter(gaps))}) lists the figures and the CCGs "
                    "that have them.")


def results(page: PageData, page_id: str, index: int) -> list:
    """What section ``index`` of spec page ``page_id`` shows for this page (None: nothing),
    then the area's commentary on the section, if the analyst wrote one. A section whose
    model contracts the area's data do not hold says so instead of showing its blocks."""
    section = load_spec().page(page_id).sections[index]
    gaps = missing(page, section.needs) if page.area else {}
    if gaps:
        out = [absent(page, gaps)]
    else:
        out = []
        for b in section.blocks:
            if holds(page, b.needs):
                result = run(page, b)
                out.extend(result) if isinstance(result, list) else out.append(result)
    if section.id and page.area:
        out.append(passage(page, page_id, section.id))
    return out


def show_section(page: PageData, page_id: str, index: int) -> None:
    show(*results(page, page_id, index))


def scenario_class(name: str):
    return _resolve(name, "analysis.models")


def scenario_defaults(name: str) -> dict:
    """The assumptions' class defaults (Castle Point and Rochford's paper's), which a scenario's
    values are validated against."""
    return {f.name: f.default for f in dataclasses.fields(scenario_class(name))}


def scenario_parameters(name: str) -> dict:
    """The template's parameters: each assumption, None meaning "as the area's own plan prints it"."""
    return {f.name: None for f in dataclasses.fields(scenario_class(name))}


def scenario_from(name: str, namespace: dict) -> dict | None:
    """The assumptions a reader changed, from the notebook's parameters of the same names (None:
    the paper's own), checked by the scenario class."""
    changes = {f.name: namespace[f.name] for f in dataclasses.fields(scenario_class(name)) if namespace.get(f.name) is not None}
    if not changes:
        return None
    scenario_class(name)(**changes)  # refuses a value of the wrong type or out of range, naming it
    return changes
