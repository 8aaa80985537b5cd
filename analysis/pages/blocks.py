"""A page's sections, run from the spec: each block is a page function called with the
page's data, in the order the spec lists them, skipped when the area's data do not hold
the measures it needs."""
from __future__ import annotations

import dataclasses
import importlib

from analysis.pages.commentary import passage
from analysis.pages.pagedata import PageData
from analysis.pages.report import area_family, show
from analysis.pages.spec import Block, load_spec


def _resolve(dotted: str, package: str = "analysis.pages"):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"{package}.{module}"), name)


def holds(page: PageData, measures: tuple[str, ...]) -> bool:
    """The page's area (or what lies below it) has a published figure of every measure."""
    if not measures:
        return True
    f = page.published.data.facts
    own = f[f["area_code"].isin(area_family(page.area, page.data))] if page.area else f
    return set(measures) <= set(own["measure_id"])


def run(page: PageData, block: Block):
    return _resolve(block.fn)(page, *block.args, **block.kwargs)


def results(page: PageData, page_id: str, index: int) -> list:
    """What section ``index`` of spec page ``page_id`` shows for this page (None: nothing),
    then the area's commentary on the section, if the analyst wrote one."""
    section = load_spec().page(page_id).sections[index]
    out = [run(page, b) for b in section.blocks if holds(page, b.needs)]
    if section.id and page.area:
        out.append(passage(page, page_id, section.id))
    return out


def show_section(page: PageData, page_id: str, index: int) -> None:
    show(*results(page, page_id, index))


def scenario_class(name: str):
    return _resolve(name, "analysis.models")


def scenario_defaults(name: str) -> dict:
    """The assumptions' defaults (the paper's own), which the template declares as parameters."""
    return {f.name: f.default for f in dataclasses.fields(scenario_class(name))}


def scenario_from(name: str, namespace: dict):
    """The assumptions built from the notebook's parameters of the same names."""
    cls = scenario_class(name)
    return cls(**{f.name: namespace[f.name] for f in dataclasses.fields(cls)})
