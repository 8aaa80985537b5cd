"""Performance against standards: the scorecards' marks recomputed, and targets beside current performance."""
from __future__ import annotations

import math
import re

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import finance
from analysis.models import outcomes
from analysis.pages import report
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.common import _county_link, _labels, _name, _polarity, page_facts
from analysis.pages.outcomes.targets import _progress_pairs

MET = {True: "✔ met", False: "✘ not met", None: "– cannot judge"}
PAPER_MARK = {True: "✓ (met)", False: "✗ (not met)", None: "no mark"}


# --- scorecards -------------------------------------------------------------------------------

def _printed_period(note: str, fallback: str) -> str:
    m = re.search(r"period ([^;(,]*)", note)
    return m.group(1).strip() if m and m.group(1).strip() else fallback


def _row_label(note: str, fallback: str) -> str:
    """The row label as printed; a sub-row ("- 62 day standard") lost its group name, so the measure's label stands in."""
    m = re.search(r'row "([^"]*)"', note)
    if not m or m.group(1).lstrip().startswith("-"):
        return fallback
    return m.group(1).strip()


def scorecard_frame(page: PageData, area_code: str | None = None) -> pd.DataFrame:
    """Every scorecard value on the page with its standard, the paper's mark and the recomputed one."""
    area_code = area_code or page.area
    return page.memo(("scorecard_frame", area_code), lambda: _scorecard_frame(page, area_code))


def _scorecard_frame(page: PageData, area_code: str) -> pd.DataFrame:
    data = page.data
    facts = page_facts(page, area_code)
    types = dict(zip(data.areas["area_code"], data.areas["type"]))
    polarity = _polarity(data)
    labels = _labels(data)
    marked = facts[pd.Series([outcomes.standard_and_mark(n) is not None for n in facts["note"]], index=facts.index, dtype=bool)]
    plans = marked[marked["breakdown"] == "plan"].set_index(["area_code", "measure_id", "period"])
    rows = []
    for r in marked[marked["breakdown"] != "plan"].itertuples():
        std_text, mark_text = outcomes.standard_and_mark(r.note)
        std = outcomes.parse_standard(std_text)
        key = (r.area_code, r.measure_id, r.period)
        plan = plans.loc[key] if key in plans.index else None
        plan_value = plan["value"] if plan is not None and plan["status"] != "not_published" else None
        value = r.value if r.status != "not_published" else None
        recomputed = outcomes.standard_met(value, std, plan_value, polarity.get(r.measure_id, ""))
        paper = outcomes.parse_mark(mark_text)
        agreement = outcomes.mark_agreement(recomputed, paper, has_standard=std.direction != "none")
        if recomputed is None and std.direction == "vs plan" and value is not None:
            why = "the plan figure is not published"
        elif recomputed is None and value is None:
            why = "no value is published"
        elif recomputed is None:
            why = "no standard is given"
        else:
            why = ""
        rows.append({
            "fact_id": r.fact_id, "scorecard": "provider" if types.get(r.area_code) == "provider" else "commissioner",
            "indicator": _row_label(r.note, labels.get(r.measure_id, r.measure_id)), "measure_id": r.measure_id,
            "area_code": r.area_code, "period": _printed_period(r.note, r.period), "standard": std_text,
            "direction": std.direction, "value": value, "printed": r.printed, "status": r.status,
            "plan": plan_value, "plan_printed": plan["printed"] if plan is not None else "",
            "plan_fact_id": plan["fact_id"] if plan is not None else "",
            "paper_mark": mark_text, "paper": paper, "recomputed": recomputed, "agreement": agreement, "why": why,
            "source_id": r.source_id, "table": r.table, "lines": r.lines,
        })
    return pd.DataFrame(rows, columns=[
        "fact_id", "scorecard", "indicator", "measure_id", "area_code", "period", "standard", "direction", "value",
        "printed", "status", "plan", "plan_printed", "plan_fact_id", "paper_mark", "paper", "recomputed", "agreement",
        "why", "source_id", "table", "lines"])


def _agreement_text(r) -> str:
    a = r["agreement"]
    if a == outcomes.AGREES:
        return "agrees"
    if a == outcomes.DISAGREES:
        return "✘ disagrees"
    if a == outcomes.MARK_WITHOUT_STANDARD:
        return "✘ paper marks a row with no standard"
    if a == outcomes.NO_MARK:
        return "paper prints no mark"
    return f"cannot recompute: {r['why']}"


def scorecard_table(page: PageData, which: str) -> charts.Table | None:
    """One scorecard ("commissioner" or "provider"): standard, value, the paper's mark and the recomputed mark."""
    data = page.data
    area_code = page.area
    frame = scorecard_frame(page)
    part = frame[frame["scorecard"] == which]
    if part.empty:
        return None
    root = page.root
    shown = pd.DataFrame({
        # The period shares the indicator's cell and the plan the value's, so that the table fits the column.
        "Indicator, period": [f"{i}, {p}" for i, p in zip(part["indicator"], part["period"])],
        "Standard": [s or "(blank)" for s in part["standard"]],
        "Area": [report.area_name(a, data) for a in part["area_code"]],
        "Value (plan)": [(p if s != "not_published" else f"not published ({p})") + (f" (plan {pl})" if pl else "")
                         for p, s, pl in zip(part["printed"], part["status"], part["plan_printed"])],
        "Paper's mark": [PAPER_MARK[m] if m is not None else "no mark" for m in part["paper"]],
        "Recomputed": [MET[m] if m is not None else "– cannot judge" for m in part["recomputed"]],
        "Agreement": [_agreement_text(r) for _, r in part.iterrows()],
        **report.source_columns(part, root),
    })
    tables = sorted(set(part["table"]))
    caption = f"{'; '.join(tables)} (source {part.iloc[0]['source_id']}): {len(part)} values against their standards"
    return charts.Table(shown, caption, f"out-score-{which}-{area_code.lower()}", links={"Source": "_source_url"},
                        download=part)


def scorecard_summary(page: PageData) -> Markdown:
    data = page.data
    name = _name(page.area, data)
    frame = scorecard_frame(page)
    progress = target_progress_frame(page)
    if frame.empty and progress.empty:
        return Markdown(f"The source papers publish no performance scorecard for {name}. "
                        f"See the {_county_link()}.")
    text = ""
    if not frame.empty:
        counts = frame["agreement"].value_counts()
        tables = "; ".join(f"{t} ({n} values)" for t, n in frame.groupby("table", sort=True).size().items())
        text = (f"{name}'s plan prints these scorecards: {tables}. The book recomputes each mark from the value and its "
                "standard (\"95%\" is at least 95%, \"<1%\" under 1%, \"0\" exactly none, \"vs Plan\" against the plan "
                "figure printed beneath it in the measure's better direction). "
                f"**{counts.get(outcomes.AGREES, 0)}** recomputed marks agree with the paper's tick or cross and "
                f"**{counts.get(outcomes.DISAGREES, 0)}** disagree.")
        why = frame.loc[frame["recomputed"].isna(), "why"].value_counts()
        if len(why):
            text += (f" {int(why.sum())} cannot be recomputed: " + "; ".join(
                f"{n} because {w}" for w, n in sorted(why.items())) + ".")
        unmarked = counts.get(outcomes.NO_MARK, 0)
        if unmarked:
            text += f" {unmarked} have a standard but no printed mark."
        for r in frame[frame["agreement"].isin([outcomes.DISAGREES, outcomes.MARK_WITHOUT_STANDARD])].itertuples():
            if r.agreement == outcomes.DISAGREES:
                text += (f" **Disagreement:** {r.indicator} ({report.area_name(r.area_code, data)}, {r.period}): "
                         f"{r.printed} against \"{r.standard}\" is {MET[r.recomputed]}, but the paper prints {r.paper_mark}.")
            else:
                text += (f" **Mark without a standard:** {r.indicator} ({report.area_name(r.area_code, data)}): "
                         f"the paper prints {r.paper_mark} beside {r.printed} although the standard reads "
                         f"\"{r.standard}\".")
        year_end = frame[frame["standard"].str.contains("year end")]
        for r in year_end.itertuples():
            text += (f" {r.indicator} is judged at {r.period} against a standard set for the year end "
                     f"(\"{r.standard}\"), as the paper does.")
    if not progress.empty:
        judged = progress[progress["met"].notna()]
        text += (f"\n\nA further table sets {len(progress)} non-acute targets beside current performance; "
                 f"{len(judged)} have a current figure, of which {int((judged['met'] == True).sum())} meet their "  # noqa: E712
                 "target. The paper prints no marks there, and no date for the current figures, so a shortfall may "
                 "reflect part of a year.")
    return Markdown(text.strip())


def target_progress_frame(page: PageData, area_code: str | None = None) -> pd.DataFrame:
    """Targets printed beside current performance, with whether the current figure meets the target."""
    area_code = area_code or page.area
    return page.memo(("target_progress_frame", area_code), lambda: _target_progress_frame(page, area_code))


def _target_progress_frame(page: PageData, area_code: str) -> pd.DataFrame:
    data = page.data
    pairs = _progress_pairs(page_facts(page, area_code))
    polarity = _polarity(data)
    rows = []
    for r in pairs.itertuples():
        direction = "<=" if polarity.get(r.measure_id) == "lower_is_better" else ">="
        published_t = r.status_target != "not_published"
        published_c = r.status_current != "not_published"
        met = None
        if published_t and published_c:
            met = outcomes.standard_met(r.value_current, outcomes.Standard(direction, r.value_target, r.printed_target))
        rows.append({
            "measure_id": r.measure_id, "area_code": r.area_code, "period": r.period,
            "target_fact_id": r.fact_id_target, "current_fact_id": r.fact_id_current,
            "target_printed": r.printed_target if published_t else f"not published ({r.printed_target})",
            "current_printed": r.printed_current if published_c else f"not published ({r.printed_current})",
            "target": r.value_target, "current": r.value_current, "unit": r.unit_target, "direction": direction,
            "share_of_target": finance.percent_of(r.value_current, r.value_target)
            if published_t and published_c and r.unit_target == "count" and r.value_target else math.nan,
            "met": met, "source_id": r.source_id, "table": r.table, "lines": r.lines_target,
        })
    return pd.DataFrame(rows, columns=["measure_id", "area_code", "period", "target_fact_id", "current_fact_id",
                                       "target_printed", "current_printed", "target", "current", "unit", "direction",
                                       "share_of_target", "met", "source_id", "table", "lines"])


def target_progress_table(page: PageData) -> charts.Table | None:
    data = page.data
    area_code = page.area
    frame = target_progress_frame(page)
    if frame.empty:
        return None
    root = page.root
    labels = _labels(data)
    shown = pd.DataFrame({
        "Target": [labels.get(m, m) for m in frame["measure_id"]],
        "Area": [report.area_name(a, data) for a in frame["area_code"]],
        "Target as printed": frame["target_printed"].values,
        "Current performance": frame["current_printed"].values,
        "Current as % of target": [f"{v:.1f}%" if v == v else "—" for v in frame["share_of_target"]],
        "Recomputed": [MET[m] if m is not None else "– cannot judge: a figure is not published" for m in frame["met"]],
        **report.source_columns(frame, root),
    })
    caption = f"Non-acute targets against current performance ({frame.iloc[0]['table']}, source {frame.iloc[0]['source_id']})"
    download = frame.rename(columns={"target_fact_id": "fact_id"})
    return charts.Table(shown, caption, f"out-progress-{area_code.lower()}", links={"Source": "_source_url"},
                        download=download)


