"""Analyst commentary on a page: the area's passage for a section (data/commentary/, see
analysis.data.commentary), with each placeholder resolved to a traced figure."""
from __future__ import annotations

import re

from IPython.display import Markdown

from analysis.data.commentary import PLACEHOLDER
from analysis.data.units import unit_table
from analysis.models import checks
from analysis.models.checks import Check
from analysis.pages import style
from analysis.pages.pagedata import PageData
from analysis.pages.report import ledger, source_url


def _fact(page: PageData, fact_id: str) -> str:
    row = page.fact(fact_id)
    return f"[{row['printed']}]({source_url(row, page.root)})"


def _check(page: PageData, check_id: str) -> str:
    led = page.memo("ledger_by_check", lambda: ledger(page).set_index("check_id"))
    if check_id not in led.index:
        raise KeyError(f"check {check_id!r} is not in this page's ledger")
    r = led.loc[check_id]
    # To the precision the paper prints the stated figure to.
    value = (style.fmt_value(r["recomputed"], r["unit"], checks.decimals_of(page.fact(r["stated_fact"])["value_text"]))
             if r["recomputed"] == r["recomputed"] else style.NOT_PUBLISHED)
    return f"[{value}]({page.root}ledger.html)"


def calc(page: PageData, rule: str, fact_ids: list[str]) -> float:
    """A ledger rule on printed figures, each in its dimension's base unit (a £m and a £000 figure add up);
    ``-ID`` takes the figure's negative."""
    units = page.memo("unit_table", lambda: unit_table(page.data.units))
    rows = [(-1.0 if i.startswith("-") else 1.0, page.fact(i.lstrip("-"))) for i in fact_ids]
    values = [sign * r["value"] * units[r["unit"]][1] for sign, r in rows]
    if rule == "share":
        return values[0] * values[1] / 100
    return checks.apply_rule(Check("commentary", "", rule, tuple(fact_ids), ()), values)


def _calc(page: PageData, body: str) -> str:
    rule, _, ids = body.partition(":")
    rule, _, unit = rule.partition("@")
    value = calc(page, rule, [i.strip() for i in ids.split(",")])
    if value != value:
        return style.NOT_PUBLISHED
    if unit:
        units = page.memo("unit_table", lambda: unit_table(page.data.units))
        return style.fmt_money(value / units[unit][1], unit, 1 if unit in ("£m", "£bn") else 0)
    return style.fmt_pct(value) if rule == "percentage" else f"{value:.1f}" if rule == "ratio" else style.fmt_number(value)


def resolve(page: PageData, text: str) -> str:
    """The passage with every placeholder replaced by its figure and a link to where it comes from."""
    def one(m: re.Match) -> str:
        kind, body = m[1], m[2].strip()
        return _fact(page, body) if kind == "fact" else _check(page, body) if kind == "check" else _calc(page, body)
    return PLACEHOLDER.sub(one, text)


def passage(page: PageData, page_id: str, section_id: str) -> Markdown | None:
    """The area's commentary on one section of a page, or None when the analyst wrote none."""
    for c in page.data.commentary:
        if (c.area_code, c.page_id, c.section_id) == (page.area, page_id, section_id):
            return Markdown(resolve(page, c.text))
    return None


def has_passage(page: PageData, page_id: str, section_id: str) -> bool:
    """Whether the analyst wrote a passage for this section: it then takes the place of the
    generic sentence a page function would write."""
    return any((c.area_code, c.page_id, c.section_id) == (page.area, page_id, section_id) for c in page.data.commentary)
