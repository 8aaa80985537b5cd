"""Printed tables read as frames, with the arithmetic recomputed from them:
000 Figures 2 and 3, 001 Figure 10 and the 003 Better Care Fund tables."""
from __future__ import annotations

import pandas as pd

from analysis.models.contracts import Contract, Input, Role
from analysis.models.finance.core import convert
from analysis.models.finance.mtfp import MTFP_UNIT

# --- CCG allocations and QIPP (000 Figure 2) ---------------------------------------------------

FIGURE2_MEASURES = ["ccg_allocation", "population_ons_projection", "allocation_per_head", "qipp_savings", "qipp_pct_allocation"]


def allocation_per_head(allocation_000: float, population: float) -> float:
    """Allocation per head in £ from an allocation in £000.

    >>> round(allocation_per_head(388790, 317478))
    1225
    """
    return allocation_000 * 1000 / population


_FIGURE2_UNITS = {"ccg_allocation": "£000", "population_ons_projection": "count", "allocation_per_head": "£",
                  "qipp_savings": "£000", "qipp_pct_allocation": "%"}


def _figure2_inputs(area: str, key: str) -> tuple[Input, ...]:
    # The totals are the Figure's own: the comparison is of 2013/14 whatever year a new CCG's figures are for.
    return tuple(Input(f"{key} {m}", m, "", "2013" if m == "population_ons_projection" else "2013/14", u, area=area)
                 for m, u in _FIGURE2_UNITS.items())


ALLOCATION_COMPARISON = Contract(
    id="allocation_comparison", title="Allocation and QIPP beside the Essex totals", page="ccg-overview",
    section="allocation",
    inputs=(
        Input("allocation", "ccg_allocation", "", "year", "£000"),
        *(Input(m, m, "", "printed" if m == "population_ons_projection" else "year", u, required=False)
          for m, u in _FIGURE2_UNITS.items() if m != "ccg_allocation"),
        *_figure2_inputs("ESSEX-CCGS", "Essex CCGs"), *_figure2_inputs("GREATER-ESSEX", "Greater Essex"),
    ),
    roles={"year": Role("ccg_allocation", example=("2013/14",)), "printed": Role("", pick="all", example=("2013",))},
    noun="the CCG's allocation for the year",
    definition="The CCG's allocation, population (ONS projection), allocation per head, QIPP savings and QIPP as a "
               "share of the allocation, as printed, beside the totals for the five CCGs in the Essex County Council "
               "area and for Greater Essex (000 Figure 2); the charts rank every CCG that has the figure.",
)


def figure2_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """The allocation table (000 Figure 2, and the same measures for any area added since) as one
    row per area: each measure in its usual period, for the whole area, published values only."""
    fig = facts[facts["measure_id"].isin(FIGURE2_MEASURES) & (facts["breakdown"] == "") & (facts["status"] != "not_published")]
    usual = fig.groupby("measure_id")["period"].agg(lambda p: sorted(p.mode())[0])
    fig = fig[fig["period"] == fig["measure_id"].map(usual)]
    wide = fig.pivot_table(index="area_code", columns="measure_id", values="value", aggfunc="first")
    return wide.reindex(columns=FIGURE2_MEASURES)


# --- council spending by CCG area (000 Figure 3, lines 796-823) ----------------------------------

FIG3_SERVICES = {"Adult Social Care": "Adult social care", "Schools, Children & Families": "Schools, children and families",
                 "Public Health": "Public health"}
COUNCIL_SPEND_MEASURE = "ecc_gross_expenditure_budget"


def _council_rows(facts: pd.DataFrame) -> pd.DataFrame:
    # By service in one CCG's area; the county's own rows split each service ("Adult Social Care; Countywide").
    return facts[(facts["measure_id"] == COUNCIL_SPEND_MEASURE) & facts["breakdown"].isin(list(FIG3_SERVICES))
                 & (facts["status"] != "not_published")]


def council_areas(facts: pd.DataFrame) -> tuple[str, ...]:
    """The CCG areas whose council spending by service the facts hold, in the order printed."""
    return tuple(dict.fromkeys(_council_rows(facts)["area_code"]))


def figure3_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """The council's gross expenditure in each CCG's area by service, as printed (£000), one row per CCG."""
    f = _council_rows(facts)
    wide = f.pivot_table(index="area_code", columns="breakdown", values="value", aggfunc="first")
    return wide.reindex(index=list(council_areas(facts)), columns=list(FIG3_SERVICES))


def council_spend_per_head(fig3: pd.DataFrame, population: pd.Series) -> pd.DataFrame:
    """Council spending per resident (£) by service and in total, for each CCG
    area and for all of them together ("ESSEX-CCGS", over that row of
    ``population``); countywide spending, which Figure 3 does not place in any
    area, is left out."""
    spend = fig3.copy()
    spend["Total"] = spend[list(FIG3_SERVICES)].sum(axis=1)
    spend.loc["ESSEX-CCGS"] = spend.sum()
    pop = population.reindex(spend.index)
    return spend.mul(1000).div(pop, axis=0)


# --- Essex: planned CCG expenditure by category (001 Figure 10, lines 521-542) ------------------

FIG10_TOTAL = "Total Expenditure"


def figure10_frame(facts: pd.DataFrame) -> pd.DataFrame:
    """Figure 10 as printed: categories (printed order) by year (£000)."""
    f = facts[(facts["source_id"] == "001") & (facts["table"] == "Figure 10") & (facts["measure_id"] == "ccg_planned_expenditure")]
    order = list(dict.fromkeys(f["breakdown"]))
    wide = f.pivot_table(index="breakdown", columns="period", values="value", aggfunc="first").reindex(order)
    return wide.reindex(columns=sorted(wide.columns))


def figure10_printed_change(facts: pd.DataFrame) -> pd.Series:
    """Figure 10's '%age change 2013/14-2018/19' column as printed (NaN where blank)."""
    f = facts[(facts["source_id"] == "001") & (facts["table"] == "Figure 10")
              & (facts["measure_id"] == "ccg_planned_expenditure_pct_change")]
    return f.set_index("breakdown")["value"]


def pct_change(first: float, last: float) -> float:
    """Per cent change; undefined (NaN) from a base that is not positive.

    >>> round(pct_change(936790, 923025), 2), pct_change(-2795, 13662)
    (-1.47, nan)
    """
    return 100 * (last - first) / first if first > 0 else float("nan")


def shares(wide: pd.DataFrame, total: str = FIG10_TOTAL) -> pd.DataFrame:
    """Each category as a per cent of the total, by year."""
    return wide.drop(index=total).div(wide.loc[total]) * 100


def year_on_year(wide: pd.DataFrame) -> pd.DataFrame:
    """Per cent change on the previous year, by category (first year blank)."""
    cols = list(wide.columns)
    out = pd.DataFrame(index=wide.index, columns=cols, dtype=float)
    for prev, cur in zip(cols, cols[1:]):
        out[cur] = [pct_change(p, c) for p, c in zip(wide[prev], wide[cur])]
    return out


def change_over_period(wide: pd.DataFrame) -> pd.Series:
    """Per cent change from the first year to the last, by category."""
    first, last = wide.columns[0], wide.columns[-1]
    return pd.Series([pct_change(a, b) for a, b in zip(wide[first], wide[last])], index=wide.index)


# --- Basildon and Brentwood: Better Care Fund tables (003 Tables 1-2, lines 645-684) -------------

def bcf_frame(facts: pd.DataFrame, area: str, unit_tab: dict) -> pd.DataFrame:
    """A CCG's Better Care Fund investment by service (breakdown "service; min" or "service; max"),
    one row per (year, service), min and max in £m (NaN where the cell is blank), with the printed
    text; the totals row and any other column are left out."""
    f = facts[(facts["area_code"] == area) & (facts["measure_id"] == "bcf_investment")]
    rows = {}
    for r in f.itertuples():
        service, column = [p.strip() for p in r.breakdown.rsplit(";", 1)]
        if column not in ("min", "max") or service == "Totals":
            continue
        key = (r.period, service)
        row = rows.setdefault(key, {"year": r.period, "service": service})
        row[column] = convert(r.value, r.unit, MTFP_UNIT, unit_tab) if r.status != "not_published" else float("nan")
        row[f"{column}_printed"] = r.printed if r.status != "not_published" else ""
        row[f"{column}_fact"] = r.fact_id
    order = list(dict.fromkeys((r.period, r.breakdown.rsplit(";", 1)[0].strip()) for r in f.itertuples()))
    return pd.DataFrame([rows[k] for k in order if k in rows]).reset_index(drop=True)


def bcf_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Recomputed min and max totals by year over the published cells (£m),
    with how many cells are published."""
    out = frame.groupby("year", sort=True).agg(min=("min", "sum"), max=("max", "sum"),
                                               min_cells=("min", "count"), max_cells=("max", "count"))
    return out
