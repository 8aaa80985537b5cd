"""The county page's Essex-wide ambitions: Better Care Fund metrics, adults with disabilities, Senior Health Checks."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.pages import report
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.common import KINDS, _first_line, _kinds, _labels, _lower_first, page_facts

# The five Better Care Fund metrics as 001 states them twice: Figure 12 (line 550)
# and section 3.7.3 (lines 1034-1038). The wording is the paper's.
BCF_METRICS = (
    ("Permanent admissions of older people to care homes",
     "Reduction in permanent admissions of older people (aged 65+) to residential and care homes, per 100,000 population",
     "5% reduction in permanent admissions of older people (aged 65 and over) to residential and nursing care homes, per 100,000 population",
     1034, "permanent_admissions_65_plus_pct_change"),
    ("Older people at home 91 days after reablement",
     "84% or more of older people still at home 91 days after discharge from hospital into reablement",
     "Proportion of older people (65 and over) who were still at home 91 days after discharge from hospital into reablement / rehabilitation services",
     1035, "reablement_at_home_91_days_pct"),
    ("Delayed transfers of care",
     "Phased reductions in Delayed Transfers of Care from Hospital per 100,000 population",
     "Delayed transfers of care from hospital per 100,000 population (average per month)",
     1036, None),
    ("Avoidable emergency admissions",
     "Current levels of avoidable emergency admissions retained (during a period of population growth)",
     "Maintaining the current rate of avoidable emergency hospital admissions",
     1037, None),
    ("Local metric: coverage of reablement",
     "Improved coverage of reablement",
     "LOCAL METRIC: The coverage of reablement. (This metric will measure an expansion in the number of referrals from community into reablement.)",
     1038, None),
)
BCF_FIGURE12_LINE = 550


def _bcf_rows(page: PageData) -> pd.DataFrame:
    facts = page_facts(page)
    rows = []
    for i, (label, fig12, s373, line, measure) in enumerate(BCF_METRICS, start=1):
        f = facts[facts["measure_id"] == measure] if measure else facts.iloc[0:0]
        rows.append({"n": i, "metric": label, "figure12": fig12, "s373": s373, "line": line,
                     "target": "; ".join(f"{p} ({per})" for p, per in zip(f["printed"], f["period"])),
                     "fact_ids": " ".join(f["fact_id"]), "where": "; ".join(report.source_label(r) for _, r in f.iterrows())})
    return pd.DataFrame(rows)


def bcf_summary(page: PageData) -> Markdown:
    rows = _bcf_rows(page)
    given = rows[rows["target"] != ""]
    none = rows[rows["target"] == ""]
    text = (f"Paper 001 states the Essex Better Care Fund metrics twice: as items 1-5 of Figure 12, the proposed five-year "
            f"local outcome ambitions (line {BCF_FIGURE12_LINE}), and as the outcomes agreed for the Essex BCF programme in "
            f"section 3.7.3 (lines {rows['line'].min()}-{rows['line'].max()}). It gives a target figure for "
            f"**{len(given)} of {len(rows)}**: " + "; ".join(f"{_lower_first(r.metric)}, {r.target}" for r in given.itertuples())
            + ". ")
    if not none.empty:
        text += ("It gives **no target figure** for " + "; ".join(_lower_first(r.metric) for r in none.itertuples())
                 + ": the wording asks for reductions, retained levels or expansion from current levels that the paper "
                 "does not print. Neither statement gives a yearly path or a baseline for any of the five.")
    return Markdown(text)


def bcf_table(page: PageData) -> charts.Table:
    rows = _bcf_rows(page)
    root = page.root
    shown = pd.DataFrame({
        "Metric": rows["metric"],
        f"Figure 12 (line {BCF_FIGURE12_LINE})": rows["figure12"],
        "Section 3.7.3": rows["s373"],
        "Target figure given": [t or "none given" for t in rows["target"]],
        "Source": [f"001 Figure 12, line {BCF_FIGURE12_LINE}; 3.7.3, line {n}" for n in rows["line"]],
        "_source_url": [f"{root}sources/001.html#L{n}" for n in rows["line"]],
    })
    return charts.Table(shown, "Essex Better Care Fund metrics: the paper's two statements and the target figure each gives",
                        "out-bcf", links={"Source": "_source_url"}, download=rows)


def _ld(page: PageData) -> pd.DataFrame:
    facts = page_facts(page)
    return facts[facts["measure_id"].str.startswith("ld_") & (facts["source_id"] == "001")]


def ld_summary(page: PageData) -> Markdown:
    ld = _ld(page)
    change = ld[ld["measure_id"] == "ld_activity_change"]
    indep = ld[ld["measure_id"] == "ld_people_increased_independence"]
    emp = ld[ld["measure_id"] == "ld_paid_employment_pct"].set_index("breakdown")
    text = (f"Essex County Council's three-year plan for adults with disabilities (paper 001, section 5.6.2, lines "
            f"{ld['lines'].map(_first_line).min()}-{ld['lines'].map(_first_line).max()}) sets these changes: "
            + ", ".join(f"{r.breakdown} {r.printed if r.printed.startswith('(') else '(' + r.printed + ')'}"
                        for r in change.itertuples())
            + ". \"By March 2017\" is printed with the reductions; the book reads it for the whole list.")
    if not indep.empty:
        text += f" It expects evidence that {indep.iloc[0]['printed']} people have increased their independence."
    if {"baseline", "target"} <= set(emp.index):
        text += (f" People with learning disabilities known to social care in paid employment are to rise from "
                 f"{emp.loc['baseline', 'printed']} to {emp.loc['target', 'printed']}; the paper prints no date for "
                 "either figure.")
    text += " No yearly path is given for any of these."
    return Markdown(text)


def ld_chart(page: PageData) -> charts.Chart:
    ld = _ld(page)
    change = ld[ld["measure_id"] == "ld_activity_change"]
    root = page.root
    frame = pd.DataFrame({"Setting": [b[:1].upper() + b[1:] for b in change["breakdown"]], "Change": change["value"].values})
    fig = charts.bar(frame, "Setting", "Change", "Planned change in adults with disabilities by March 2017",
                     "Change in people", horizontal=True)
    fig.update_layout(height=340, margin=dict(l=380))
    alt = ("Horizontal bar chart of planned changes by March 2017: "
           + "; ".join(f"{s} {v:+,.0f}" for s, v in zip(frame["Setting"], frame["Change"])) + ".")
    table = pd.DataFrame({
        "Setting": frame["Setting"], "Change (as printed)": change["printed"].values,
        **report.source_columns(change, root),
    })
    caption = "Planned change in adults with disabilities by setting, by March 2017 (source 001, section 5.6.2)"
    return charts.Chart(fig, "out-ld", caption, alt, charts.Table(table, caption, "out-ld-data",
                                                                  links={"Source": "_source_url"}, download=change))


def _shc(page: PageData) -> pd.DataFrame:
    f = page.data.facts
    return f[f["measure_id"].str.startswith("senior_health_checks")]


def shc_summary(page: PageData) -> Markdown:
    shc = _shc(page)
    out = shc[shc["measure_id"].map(_kinds(page.data)).isin(KINDS)]
    papers = sorted(set(out["source_id"]))
    by = {m: part for m, part in out.groupby("measure_id")}
    same = all(part["value"].nunique() == 1 for part in by.values())
    diag = by.get("senior_health_checks_new_diagnoses")
    events = by.get("senior_health_checks_emergency_events_prevented")
    text = (f"Over five years (from 2013/14, as the book reads \"the next 5 years\"), Senior Health Checks could make "
            f"{diag.iloc[0]['printed'].lower()} new diagnoses of long term conditions or high vascular risk, and prevent or "
            f"postpone {events.iloc[0]['printed'].lower()} emergency health events. Papers {' and '.join(papers)} print "
            + ("the same figures" if same else "different figures")
            + ". Both are upper bounds (\"up to\"), with no yearly profile and no baseline.")
    return Markdown(text)


def shc_table(page: PageData) -> charts.Table:
    data = page.data
    shc = _shc(page)
    labels = _labels(data)
    papers = sorted(set(shc["source_id"]))
    rows = []
    for (m, b), part in shc.groupby(["measure_id", "breakdown"], sort=False):
        row = {"Figure": labels.get(m, m) + (f" ({b})" if b else ""), "Period": part.iloc[0]["period"]}
        for p in papers:
            own = part[part["source_id"] == p]
            row[f"Paper {p}"] = f"{own.iloc[0]['printed']} (line {own.iloc[0]['lines']})" if not own.empty else "not printed"
        row["Same value in both"] = "yes" if part["value"].nunique() == 1 and len(part) == len(papers) else "no"
        rows.append(row)
    frame = pd.DataFrame(rows)
    return charts.Table(frame, "Senior Health Checks over five years: investment, outcomes and savings as each paper prints them",
                        "out-shc", download=shc[["fact_id", "source_id", "lines", "measure_id", "breakdown", "period", "value",
                                                 "printed", "status"]])
