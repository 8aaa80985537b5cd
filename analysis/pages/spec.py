"""The book's declarative spec (``book.yml``), parsed into typed models, and what is
derived from it by pure functions: the list of renders, the table of contents and
the notebook templates. Reading and writing files happen only in ``load_spec`` and
in the build.

pydantic checks the spec's shape and refers every mistake to its place in the file;
the cross-references (a part naming a page that does not exist) are checked here too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import nbformat
import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SPEC_FILE = Path(__file__).with_name("book.yml")
SECTION_KINDS = ("ccg", "hwb")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Block(_Model):
    """One result on a page: ``fn`` is ``module.function`` in analysis/pages, called as
    ``function(page, *args, **kwargs)``; ``needs`` lists measures the area's data must hold."""
    fn: str = Field(pattern=r"^[a-z_]+\.[a-z_0-9]+$")
    args: tuple = ()
    kwargs: dict[str, Any] = {}
    needs: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        return {"fn": value} if isinstance(value, str) else value


class Section(_Model):
    id: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9-]*$")  # names the section for commentary
    title: str | None = None
    text: str | None = None
    needs: tuple[str, ...] = ()  # model contracts (analysis/models/registry.py) the area's data must hold
    blocks: tuple[Block, ...] = ()


class PageSpec(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    for_: Literal["book", "county", "ccg", "hwb"] = Field(alias="for")
    file: str
    scope: Literal["area", "county", "all"]
    title: str
    intro: str | None = None
    example: str = ""           # the area the template's parameters cell names
    scenario: str | None = None  # the assumptions a page's models take as notebook parameters
    sections: tuple[Section, ...] = ()

    @field_validator("file")
    @classmethod
    def _file(cls, value: str, info) -> str:
        if not value.startswith("book/"):
            raise ValueError("a page's file is a path under book/, without its suffix")
        return value

    @property
    def template(self) -> str:
        return self.id.replace("-", "_") + ".ipynb"


class Part(_Model):
    caption: str
    for_: Literal["ccg", "hwb"] | None = Field(default=None, alias="for")
    chapter: tuple[str, ...] = ()             # per area: the chapter's pages, first page first
    chapters: tuple[tuple[str, ...], ...] = ()  # fixed chapters: page ids, `book/...` files, `sources`, `notes`


class County(_Model):
    """The county the county pages are about, and the boards whose areas they compare: a
    county page reads those boards' areas and the areas in no section (England, the
    papers' aggregates), never another section's."""
    area: str
    boards: tuple[str, ...]
    quotes: tuple[str, ...] = ()  # other areas whose own figures the pages quote beside the county's

    @property
    def scope(self) -> tuple[str, ...]:
        return self.boards + self.quotes


class BookSpec(_Model):
    root: str
    county: County
    parts: tuple[Part, ...]
    pages: tuple[PageSpec, ...]

    @model_validator(mode="after")
    def _references(self):
        ids = [p.id for p in self.pages]
        if len(ids) != len(set(ids)):
            raise ValueError(f"page ids must be unique: {sorted(i for i in ids if ids.count(i) > 1)}")
        known = set(ids) | {"sources", "notes"}
        for part in self.parts:
            for ref in part.chapter + tuple(r for c in part.chapters for r in c):
                if ref not in known and not ref.startswith("book/"):
                    raise ValueError(f"part {part.caption!r} names page {ref!r}, which the spec does not define")
            for ref in part.chapter:
                if self.page(ref).for_ != part.for_:
                    raise ValueError(f"part {part.caption!r} is for {part.for_} areas but page {ref!r} is for {self.page(ref).for_}")
        from analysis.models.registry import CONTRACTS
        for page in self.pages:
            for section in page.sections:
                unknown = [n for n in section.needs if n not in CONTRACTS]
                if unknown:
                    raise ValueError(f"page {page.id!r} section {section.id or section.title!r} needs {unknown}, "
                                     f"which no model declares (known: {', '.join(CONTRACTS)})")
            sids = [s.id for s in page.sections if s.id]
            if len(sids) != len(set(sids)):
                raise ValueError(f"page {page.id!r}: section ids must be unique")
        if self.root not in ids:
            raise ValueError(f"root page {self.root!r} is not defined")
        return self

    def page(self, page_id: str) -> PageSpec:
        for p in self.pages:
            if p.id == page_id:
                return p
        raise KeyError(f"the spec has no page {page_id!r}")


@lru_cache(maxsize=4)
def load_spec(path: Path = SPEC_FILE) -> BookSpec:
    return BookSpec.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


# --- the list of renders -------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    template: str          # file name in analysis/templates
    output: str            # path under the repository root, without suffix
    title: str
    params: dict = field(default_factory=dict, hash=False)
    area_code: str = ""
    scope: str | tuple[str, ...] | None = None  # the area (or boards) whose slice of the data the page reads
    spec_id: str = ""

    @property
    def path(self) -> Path:
        from analysis import ROOT
        return ROOT / f"{self.output}.ipynb"


@dataclass(frozen=True)
class AreaSection:
    area_code: str
    name: str
    pages: tuple[Page, ...]
    kind: str = "ccg"


def _page(spec: PageSpec, area: str, name: str, county: County) -> Page:
    if spec.for_ in SECTION_KINDS:
        return Page(spec.template, spec.file.format(area=area), f"{name}: {spec.file.rsplit('/', 1)[-1]}",
                    {"area_code": area}, area, area if spec.scope == "area" else None, spec.id)
    if spec.for_ == "county":
        return Page(spec.template, spec.file, f"Essex: {spec.file.rsplit('/', 1)[-1]}", {"area_code": county.area},
                    county.area, county.scope if spec.scope == "county" else None, spec.id)
    return Page(spec.template, spec.file, spec.file.rsplit("/", 1)[-1] if spec.file != "book/index" else "home",
                spec_id=spec.id)


def render_list(spec: BookSpec, areas: list[tuple[str, str, str]]) -> tuple[tuple[Page, ...], tuple[AreaSection, ...]]:
    """The notebooks to render: the pages that exist once (county, then reference, then the
    root), and one section per area whose registry ``section`` is ccg or hwb.
    ``areas`` is (code, name, section) in registry order.

    >>> s = load_spec()
    >>> shared, sections = render_list(s, [("99F", "Castle Point and Rochford CCG", "ccg")])
    >>> [p.output for p in sections[0].pages][:2], shared[-1].output
    (['book/ccg/99F/overview', 'book/ccg/99F/demographics'], 'book/index')
    """
    once = [p for p in spec.pages if p.for_ == "county"] + [p for p in spec.pages if p.for_ == "book" and p.id != spec.root]
    shared = tuple(_page(p, "", "", spec.county) for p in once) + (_page(spec.page(spec.root), "", "", spec.county),)
    sections = []
    for part in spec.parts:
        if part.for_ is None:
            continue
        for code, name, kind in areas:
            if kind == part.for_:
                sections.append(AreaSection(code, name, tuple(_page(spec.page(i), code, name, spec.county)
                                                              for i in part.chapter), kind))
    return shared, tuple(sections)


# --- the table of contents -----------------------------------------------------------------------

def _chapter(files: list[str]) -> dict:
    entry = {"file": files[0]}
    if files[1:]:
        entry["sections"] = [{"file": f} for f in files[1:]]
    return entry


def toc(spec: BookSpec, sections: tuple[AreaSection, ...], source_ids: list[str], note_names: list[str] = ()) -> dict:
    """The Jupyter Book table of contents: the spec's parts, with one chapter per area section."""
    def files(ref: str) -> list[str]:
        if ref == "sources":
            return ["book/sources/index"] + [f"book/sources/{s}" for s in source_ids]
        if ref == "notes":
            return ["book/notes/index"] + [f"book/notes/{n}" for n in note_names]
        return [ref] if ref.startswith("book/") else [spec.page(ref).file]

    parts = []
    for part in spec.parts:
        if part.for_ is not None:
            chapters = [_chapter([p.output for p in s.pages]) for s in sections if s.kind == part.for_]
        else:
            chapters = [_chapter([f for ref in chapter for f in files(ref)]) for chapter in part.chapters]
        if chapters:
            parts.append({"caption": part.caption, "chapters": chapters})
    return {"format": "jb-book", "root": spec.page(spec.root).file, "parts": parts}


def toc_yaml(spec: BookSpec, sections, source_ids: list[str], note_names: list[str] = ()) -> str:
    header = "# Generated by `python -m analysis render` from analysis/pages/book.yml and data/areas.csv; do not edit by hand.\n"
    return header + yaml.safe_dump(toc(spec, sections, source_ids, note_names), sort_keys=False)


# --- the notebook templates ----------------------------------------------------------------------

def _lines(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


def template(page: PageSpec, scenario_defaults: dict[str, float | None] | None = None,
             county: County | None = None) -> nbformat.NotebookNode:
    """The page's parameterised notebook: a parameters cell, its title and introduction, then
    a heading and one cell per section, which shows the section's blocks from the spec."""
    nb = nbformat.v4.new_notebook()
    county = county or load_spec().county
    area = page.example or (county.area if page.for_ == "county" else "")
    params = f"area_code = {area!r}".replace("'", '"')
    if page.scenario:
        params += ("\n# Scenario assumptions for the models: None keeps the area's own plan's value; "
                   "rates in %.\n")
        params += "\n".join(f"{k} = {v!r}" for k, v in (scenario_defaults or {}).items())
    cell = nbformat.v4.new_code_cell(params)
    cell.metadata["tags"] = ["parameters"]
    nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_markdown_cell(f"# {page.title}" + (f"\n\n{page.intro.rstrip()}" if page.intro else "")))
    scope = {"area": "scope=area_code", "county": 'scope="county"'}.get(page.scope, "scope=None")
    setup = ["from analysis.pages.blocks import scenario_from, show_section",
             "from analysis.pages.pagedata import page_data",
             f"page = page_data(area_code, {scope}" + (f", scenario=scenario_from({page.scenario!r}, globals())" if page.scenario else "") + ")"]
    nb.cells.append(nbformat.v4.new_code_cell("\n".join(setup)))
    for i, section in enumerate(page.sections):
        md = "\n\n".join(t.rstrip() for t in ((f"## {section.title}" if section.title else None), section.text) if t)
        if md:
            nb.cells.append(nbformat.v4.new_markdown_cell(md))
        if section.blocks or section.id:
            nb.cells.append(nbformat.v4.new_code_cell(f"show_section(page, {page.id!r}, {i})"))
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for c in nb.cells:
        c.pop("id", None)
    nb.nbformat_minor = 4
    return nb


def template_text(page: PageSpec, scenario_defaults: dict[str, float] | None = None, county: County | None = None) -> str:
    return nbformat.writes(template(page, scenario_defaults, county)) + "\n"
