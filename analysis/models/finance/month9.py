"""A monthly financial report (Castle Point and Rochford's month 9 of 2012/13, 002 lines
1301-1333, is the one the papers print), its variances and subtotals recomputed."""
from __future__ import annotations

import pandas as pd

from analysis.models.contracts import Contract, Input, Role

M9_MEASURES = {
    "m9_plan_ytd": "YTD plan", "m9_actual_ytd": "YTD actual", "m9_variance_ytd": "YTD variance",
    "budget_opening_plan": "Opening plan", "budget_full_year_plan": "Full-year plan", "forecast_outturn": "Forecast outturn",
    "forecast_outturn_variance": "Forecast variance", "forecast_outturn_variance_prev_month": "Previous month's forecast variance",
}
_TOTAL = r"Total CCG: .*"
MONTH9 = Contract(
    id="month9", title="Spending against plan in a monthly financial report", page="ccg-finance", section="month9",
    inputs=tuple(Input(m, m, _TOTAL, "year", "£000", pattern=True, example="Total CCG: South East Essex PCT")
                 for m in ("budget_full_year_plan", "forecast_outturn", "forecast_outturn_variance",
                           "forecast_outturn_variance_prev_month"))
           + tuple(Input(m + " lines", m, r".*", "year", "£000", required=False, pattern=True,
                         example="Acute Activity: NHS acute providers") for m in M9_MEASURES),
    roles={"year": Role("forecast_outturn_variance", example=("2012/13",))},
    noun="a monthly financial report by spending line",
    definition="A monthly financial report: by spending line (\"Block: line\", with \"Block (subtotal)\" rows and a "
               "\"Total CCG: ...\" row), the plan and actual to date, the full-year plan, the forecast outturn and "
               "its variance, and the previous month's forecast variance.",
)


def month9_frame(facts: pd.DataFrame, area: str) -> pd.DataFrame:
    """The monthly report as printed: one row per line (printed order), one column per measure (£000)."""
    year = MONTH9.periods(facts, area, "year")[0]
    f = facts[(facts["area_code"] == area) & facts["measure_id"].isin(list(M9_MEASURES)) & (facts["period"] == year)]
    order = list(dict.fromkeys(f["breakdown"]))
    wide = f.pivot_table(index="breakdown", columns="measure_id", values="value", aggfunc="first").reindex(order)
    wide = wide.reindex(columns=list(M9_MEASURES))
    wide.insert(0, "group", [b.split(":")[0].replace(" (subtotal)", "") if ":" in b or "(subtotal)" in b else b for b in wide.index])
    wide.insert(1, "kind", ["subtotal" if "(subtotal)" in b else "total" if b.startswith("Total CCG") else
                            "line" for b in wide.index])
    return wide


def variance(actual: float, plan: float) -> float:
    """Spending against plan: positive is an overspend.

    >>> variance(80281, 73240)
    7041
    """
    return actual - plan


def month9_total(m9: pd.DataFrame) -> str:
    """The report's total line: of the "Total CCG" lines (one per predecessor PCT), the one with the plan."""
    totals = m9[m9["kind"] == "total"]
    return str(totals["budget_full_year_plan"].abs().idxmax())


def month9_recomputed(m9: pd.DataFrame) -> pd.DataFrame:
    """Each printed variance and subtotal beside its recomputation, with the
    difference the rounding of the printed £000 figures allows (half a unit
    for each printed term and for the result)."""
    rows = []
    total = month9_total(m9)
    for name, r in m9.iterrows():
        if r["kind"] != "total" or name == total:
            rows.append({"line": name, "figure": "YTD variance", "printed": r["m9_variance_ytd"],
                         "recomputed": variance(r["m9_actual_ytd"], r["m9_plan_ytd"]), "tolerance": 1.5})
            rows.append({"line": name, "figure": "Forecast variance", "printed": r["forecast_outturn_variance"],
                         "recomputed": variance(r["forecast_outturn"], r["budget_full_year_plan"]), "tolerance": 1.5})
    lines = m9[m9["kind"] == "line"]
    for group, part in lines.groupby("group", sort=False):
        sub = f"{group} (subtotal)"
        if sub in m9.index:
            for col in ("budget_full_year_plan", "forecast_outturn"):
                rows.append({"line": sub, "figure": M9_MEASURES[col] + " (sum of lines)", "printed": m9.loc[sub, col],
                             "recomputed": part[col].sum(), "tolerance": 0.5 * (len(part) + 1)})
    blocks = month9_blocks(m9)
    for col in ("budget_full_year_plan", "forecast_outturn", "forecast_outturn_variance"):
        rows.append({"line": total, "figure": M9_MEASURES[col] + " (sum of blocks)", "printed": m9.loc[total, col],
                     "recomputed": blocks[col].sum(), "tolerance": 0.5 * (len(blocks) + 1)})
    out = pd.DataFrame(rows)
    out["difference"] = out["recomputed"] - out["printed"]
    out["reproduces"] = out["difference"].abs() <= out["tolerance"]
    return out


def month9_blocks(m9: pd.DataFrame) -> pd.DataFrame:
    """The spending blocks the total is made of (subtotals and single-line blocks)."""
    grouped = {n.replace(" (subtotal)", "") for n in m9.index if "(subtotal)" in n}
    keep = m9[(m9["kind"] == "subtotal") | ((m9["kind"] == "line") & ~m9["group"].isin(grouped))]
    return keep
