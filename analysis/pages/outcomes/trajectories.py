"""Yearly trajectories: the printed paths, the paths their stated rules give, and every departure."""
from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import checks
from analysis.models import outcomes
from analysis.pages import report
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.common import (_county_link, _first_line, _fmt, _labels, _name, _rules, _shown, _wrap,
                                            page_facts)

# --- trajectories -------------------------------------------------------------------------

def _trajectory_tables(page: PageData, facts: pd.DataFrame) -> list[str]:
    """Tables holding a printed yearly value that a rule of data/trajectory_rules.csv fixes."""
    stated = set(_rules(page)["stated"])
    yearly = facts["fact_id"].isin(stated) & (facts["breakdown"] == "")
    return list(dict.fromkeys(facts.loc[yearly, "table"]))


def _stated_rule(page: PageData, area_code: str, measure: str, table: str) -> pd.Series | None:
    """The rule (a row of data/trajectory_rules.csv) behind an area's printed yearly path of a
    measure in a table; None where the paper states none (an "Awaiting indicator" column)."""
    v = _rules(page)
    hit = v[(v["area_code"] == area_code) & (v["measure_id"] == measure) & (v["table"] == table) & (v["breakdown"] == "")]
    return page.data.trajectory_rules.loc[hit["rule"].iloc[0]] if not hit.empty else None


def _words(page: PageData, part: pd.DataFrame) -> str:
    """The paper's words stating a path's rule ("" where it states none)."""
    base = part.iloc[0]
    rule = _stated_rule(page, base["area_code"], base["measure_id"], base["table"])
    return rule["rule_words"] if rule is not None else ""


def trajectory_frame(page: PageData, area_code: str | None = None) -> pd.DataFrame:
    """One row per printed cell of the area's trajectory tables (baselines and
    yearly values), with the value its stated rule gives and the comparison."""
    area_code = area_code or page.area
    return page.memo(("trajectory_frame", area_code), lambda: _trajectory_frame(page, area_code))


def _trajectory_frame(page: PageData, area_code: str) -> pd.DataFrame:
    data = page.data
    facts = page_facts(page, area_code)
    tables = _trajectory_tables(page, facts)
    rules = _rules(page).set_index("stated")
    by_id = data.facts.set_index("fact_id")
    labels = _labels(data)
    rows = []
    for table in tables:
        grid = facts[facts["table"] == table]
        for measure in dict.fromkeys(grid["measure_id"]):
            cells = grid[grid["measure_id"] == measure]
            # The rule names its baseline; a column with no rule ("Awaiting indicator") has the table's.
            stated = _stated_rule(page, cells.iloc[0]["area_code"], measure, table)
            base = cells[cells["breakdown"] == (stated["baseline_breakdown"] if stated is not None else "baseline")]
            path = cells[cells["breakdown"] == ""].sort_values("period")
            generated, years, kinds, causes = {}, {}, {}, {}
            for r in path.itertuples():
                if r.fact_id not in rules.index:
                    continue
                rule = rules.loc[r.fact_id]
                b = by_id.loc[rule["base"]]
                generated[r.period] = outcomes.rule_value(b["value"], rule["kind"], rule["years"], rule["rate"], rule["step"])
                years[r.period], kinds[r.period], causes[r.period] = rule["years"], rule["kind"], rule["cause"]
            cmp = outcomes.compare_paths(pd.Series(list(path["value_text"]), index=list(path["period"]), dtype=str),
                                         pd.Series(generated, dtype=float))
            for role, part in (("baseline", base), ("path", path)):
                for r in part.itertuples():
                    c = cmp.loc[r.period] if role == "path" else None
                    rows.append({
                        "fact_id": r.fact_id, "measure_id": measure, "label": labels.get(measure, measure),
                        "table": r.table, "source_id": r.source_id, "lines": r.lines, "area_code": r.area_code,
                        "role": role, "period": r.period, "unit": r.unit, "printed": r.printed, "status": r.status,
                        "value": r.value, "value_text": r.value_text,
                        "kind": kinds.get(r.period, "") if role == "path" else "",
                        "years": years.get(r.period, math.nan) if role == "path" else math.nan,
                        "rule_value": c["generated"] if c is not None else math.nan,
                        "difference": c["difference"] if c is not None else math.nan,
                        "tolerance": c["tolerance"] if c is not None else math.nan,
                        "beyond": bool(c["beyond"]) if c is not None else False,
                        "cause": causes.get(r.period, "") if role == "path" else "",
                    })
    cols = ["fact_id", "measure_id", "label", "table", "source_id", "lines", "area_code", "role", "period", "unit",
            "printed", "status", "value", "value_text", "kind", "years", "rule_value", "difference", "tolerance",
            "beyond", "cause"]
    return pd.DataFrame(rows, columns=cols)


def _narrative(page: PageData, area_code: str, measure: str, table: str) -> pd.DataFrame:
    """The narrative-row figures printed above a trajectory table for one area's measure: its
    own, and the figure its rule names as stating the rate or change."""
    facts = page_facts(page)
    narrative = facts[facts["table"].str.startswith(table) & (facts["table"] != table) & (facts["area_code"] == area_code)]
    own = narrative[narrative["measure_id"] == measure]
    rule = _stated_rule(page, area_code, measure, table)
    rate_measure = rule["rate_measure"] if rule is not None else ""
    rate = narrative[narrative["measure_id"] == rate_measure] if rate_measure else narrative.iloc[0:0]
    return pd.concat([own, rate])


def _measures(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["measure_id"]))


def _awaiting(part: pd.DataFrame) -> bool:
    return bool((part["status"] == "not_published").all())


def _rule_kind(part: pd.DataFrame) -> str:
    kinds = [k for k in part.loc[part["role"] == "path", "kind"] if k in outcomes.RULE_KINDS]
    return kinds[0] if kinds else ""


def _rule_text(part: pd.DataFrame, page: PageData) -> str:
    """The rule as the book applies it, from data/trajectory_rules.csv."""
    if _awaiting(part):
        return "none: Awaiting indicator"
    path = part[(part["role"] == "path") & part["kind"].isin(outcomes.RULE_KINDS)]
    if path.empty:
        return "no numeric rule stated"
    first = path.iloc[0]
    rule = _rules(page).set_index("stated").loc[first["fact_id"]]
    origin = outcomes.period_start_year(first["period"]) - int(first["years"])
    if rule["kind"] == "compound":
        return f"{rule['rate'] * 100:+.1f}% a year, compounded from the table baseline (years counted from {origin})"
    if rule["kind"] == "linear":
        return f"{rule['step']:+g} a year in a straight line from the table baseline (years counted from {origin})"
    years = int(first["years"])
    return (f"{rule['rate'] * 100:+.0f}% over {years} years, the end point only: the paper states no rule for the years between")


def _profile_text(part: pd.DataFrame) -> str:
    path = part[(part["role"] == "path") & (part["status"] != "not_published")]
    if len(path) < 3:
        return "—"
    tol = float(path["tolerance"].max()) if path["tolerance"].notna().any() else 0.0
    tol = tol if tol == tol else 0.0
    shape = outcomes.path_profile(path["value"], tol)
    changes = outcomes.yearly_changes(path["value"])
    decimals = max(checks.decimals_of(t) for t in path["value_text"])
    steps = ", ".join(f"{c:+,.{decimals}f}" for c in changes)
    words = {"front_loaded": "front-loaded", "back_loaded": "back-loaded", "even": "even", "uneven": "uneven"}[shape]
    return f"{words} (yearly changes {steps})"


def trajectory_summary(page: PageData) -> Markdown:
    """What the trajectories are, how many printed values their rules reproduce, and every departure."""
    data = page.data
    area_code = page.area
    frame = trajectory_frame(page)
    name = _name(area_code, data)
    if frame.empty:
        return Markdown(
            f"The source papers publish no yearly outcome trajectory for {name}: no baseline with a path of yearly "
            f"values to a target. {_elsewhere(page)}"
            f"For the Essex-wide outcome ambitions and Better Care Fund metrics, see the {_county_link()}.")
    measures = _measures(frame)
    awaiting = [m for m in measures if _awaiting(frame[frame["measure_id"] == m])]
    with_rule = [m for m in measures if _rule_kind(frame[frame["measure_id"] == m])]
    path = frame[(frame["role"] == "path") & frame["rule_value"].notna()]
    within = int((~path["beyond"]).sum())
    first = frame.iloc[0]
    periods = sorted(set(frame.loc[frame["role"] == "path", "period"]))
    labels = _labels(data)
    text = (
        f"{name}'s plan (paper {first['source_id']}, lines {frame['lines'].map(_first_line).min()}-"
        f"{frame['lines'].map(_first_line).max()}) sets a baseline and yearly values for {periods[0]} to {periods[-1]} "
        f"on {len(measures)} measures. {len(measures) - len(awaiting)} have values"
        + (f"; for {len(awaiting)} every cell reads \"Awaiting indicator\" ({'; '.join(labels[m] for m in awaiting)}). "
           if awaiting else ". ")
        + f"The paper states a numeric rule for {len(with_rule)} measures. Rebuilt from those rules, "
        f"**{within} of {len(path)}** printed values that a rule fixes lie within their printed rounding "
        "(half a unit of the last printed digit)."
    )
    for m in measures:
        part = frame[frame["measure_id"] == m]
        if m not in with_rule and m not in awaiting:
            words = _words(page, part)
            text += (f" {labels[m]} has no numeric rule; its printed path is {_profile_text(part)}"
                     + (f" (the paper: \"{words}\")" if words else "") + ".")
    departures = path[path["beyond"]]
    if departures.empty:
        return Markdown(text + " None departs from its rule.")
    text += f" **{len(departures)} depart{'s' if len(departures) == 1 else ''} from the stated rule:**\n"
    for r in departures.itertuples():
        text += "\n- " + _departure_text(page, r)
    return Markdown(text)


def _elsewhere(page: PageData) -> str:
    """Which other areas the papers give yearly trajectories for, by the rules of their printed paths."""
    rules = page.data.trajectory_rules
    codes = [a for a in dict.fromkeys(rules.loc[rules["path_breakdown"] == "", "area_code"]) if a != page.area]
    if not codes:
        return ""
    names = [_name(a, page.data) for a in codes]
    if len(names) == 1:
        return f"The only yearly trajectories in the papers are {names[0]}'s outcome ambitions. "
    return f"The only yearly trajectories in the papers are the outcome ambitions of {', '.join(names[:-1])} and {names[-1]}. "


def _departure_text(page: PageData, r) -> str:
    """One departure in words, with its size and what the printed figure does match."""
    data = page.data
    by_id = data.facts.set_index("fact_id")
    rule = _rules(page).set_index("stated").loc[r.fact_id]
    base = by_id.loc[rule["base"]]
    unit = r.unit
    dec = checks.decimals_of(r.value_text)
    gap = r.difference
    side = "above" if gap > 0 else "below"
    text = (f"**{r.label}, {r.period}:** printed {r.printed}; the rule gives {_fmt(r.rule_value, unit, dec + 1)}, "
            f"so the printed value is {_fmt(abs(gap), unit, dec + 1)} {side} it "
            f"({abs(gap) / r.rule_value * 100:.1f}%).")
    if rule["kind"] == "compound":
        n = outcomes.years_of_change(base["value"], r.value, rule["rate"])
        text += (f" {r.printed} is {n:.1f} years of the {abs(rule['rate']) * 100:.1f}% yearly fall from the baseline "
                 f"{base['printed']}, where the rule counts {rule['years']:g}.")
        narrative = _narrative(page, r.area_code, r.measure_id, r.table)
        alt = narrative[narrative["breakdown"] == "baseline narrative"]
        if not alt.empty and alt.iloc[0]["value"] != base["value"]:
            a = alt.iloc[0]
            v = outcomes.rule_value(a["value"], "compound", rule["years"], rule["rate"])
            text += (f" The narrative above the table gives a different baseline, {a['printed']}; falling "
                     f"{abs(rule['rate']) * 100:.1f}% a year for {rule['years']:g} years it gives {_fmt(v, unit, dec + 1)}, "
                     "which is the printed value.")
    elif rule["kind"] == "total_change":
        fall = outcomes.growth_pct(base["value"], r.value)
        stated = abs(rule["rate"]) * 100
        text += (f" From the baseline {base['printed']} to {r.printed} is a change of {fall:.1f}%, "
                 f"{'which rounds to' if round(abs(fall)) == round(stated) else 'against'} the stated {stated:.0f}%.")
    return text


def trajectory_rules_table(page: PageData) -> charts.Table | None:
    """Per measure: the baselines, the rule in the paper's words, the stated target and the rule as applied."""
    data = page.data
    area_code = page.area
    frame = trajectory_frame(page)
    if frame.empty:
        return None
    root = page.root
    rows = []
    for m in _measures(frame):
        part = frame[frame["measure_id"] == m]
        if not (part["role"] == "baseline").any():
            continue  # a column with no baseline in its table: nothing to rebuild the path from
        base = part[part["role"] == "baseline"].iloc[0]
        narrative = _narrative(page, base["area_code"], m, base["table"])
        nb = narrative[narrative["breakdown"] == "baseline narrative"]
        tg = narrative[narrative["breakdown"] == "target narrative"]
        rate = narrative[narrative["measure_id"] != m]
        rows.append({
            "Measure": base["label"],
            # The two baselines share a column so that the table fits the content column.
            "Baseline: table; narrative": f"{_shown(base)}; {nb.iloc[0]['printed'] if not nb.empty else '—'}",
            "Stated rule (the paper's words)": (_words(page, part) or "—") if not _awaiting(part) else "—",
            "Stated rate or change": rate.iloc[0]["printed"] if not rate.empty else "—",
            "Stated target": f"{tg.iloc[0]['printed']} ({tg.iloc[0]['period']})" if not tg.empty else "—",
            "Rule as the book applies it": _rule_text(part, page),
            "Shape of the printed path": _profile_text(part) if not _awaiting(part) else "—",
            "Source": report.source_label(base),
            "_source_url": report.source_url(base, root),
        })
    shown = pd.DataFrame(rows)
    firsts = [frame[frame["measure_id"] == m].iloc[0] for m in _measures(frame)]
    download = pd.concat([frame[frame["role"] == "baseline"]] +
                         [_narrative(page, r["area_code"], r["measure_id"], r["table"]) for r in firsts])
    download = download[[c for c in ("fact_id", "measure_id", "period", "breakdown", "printed", "status", "source_id", "lines")
                         if c in download.columns]]
    return charts.Table(shown, f"{_name(area_code, data)}: the stated rule behind each trajectory", f"out-rules-{area_code.lower()}",
                        links={"Source": "_source_url"}, download=download)


def _x(period: str) -> int:
    return outcomes.period_start_year(period)


def trajectory_chart(page: PageData) -> charts.Chart | None:
    """Small multiples: per measure the baseline, printed path, rule path and target, the target year marked."""
    area_code = page.area
    frame = trajectory_frame(page)
    if frame.empty:
        return None
    points, marks, ticks, alt_parts = [], {}, {}, []
    for m in _measures(frame):
        part = frame[frame["measure_id"] == m]
        if _awaiting(part):
            continue
        base = part[part["role"] == "baseline"].iloc[0]
        path = part[part["role"] == "path"]
        panel = _wrap(base["label"] if base["unit"] in base["label"] else f"{base['label']}, {base['unit']}")
        unit = base["unit"]
        ticks[panel] = {_x(base["period"]): base["period"], **{_x(p): p for p in path["period"]}}

        def add(series, period, value):
            points.append({"Measure": panel, "Year": _x(period), "Period": period, "Series": series, "Value": value})

        add("Printed path", base["period"], base["value"])
        for r in path.itertuples():
            add("Printed path", r.period, r.value)
        kind = _rule_kind(part)
        yearly = path[path["kind"].isin(("compound", "linear"))]
        if not yearly.empty:
            add("Rule path", base["period"], base["value"])
            for r in yearly.itertuples():
                add("Rule path", r.period, r.rule_value)
        # Drawn after the paths so the baseline marker sits on top of their first points.
        add("Baseline", base["period"], base["value"])
        narrative = _narrative(page, base["area_code"], m, base["table"])
        nb = narrative[narrative["breakdown"] == "baseline narrative"]
        if not nb.empty and nb.iloc[0]["value"] != base["value"]:
            add("Narrative baseline", base["period"], nb.iloc[0]["value"])
        tg = narrative[narrative["breakdown"] == "target narrative"]
        target_text = ""
        if not tg.empty:
            t_period = tg.iloc[0]["period"]
            at = next((p for p in path["period"] if _x(p) == _x(t_period)), t_period)
            add("Stated target", at, tg.iloc[0]["value"])
            marks[panel] = (_x(at), f"target {tg.iloc[0]['period']}")
            target_text = f"; stated target {tg.iloc[0]['printed']} by {t_period}"
        elif kind == "total_change":
            end = path[path["kind"] == "total_change"].iloc[0]
            add("Stated target", end["period"], end["rule_value"])
            marks[panel] = (_x(end["period"]), f"target {end['period']}")
            target_text = f"; the stated change gives a target of {_fmt(end['rule_value'], unit, 1)} in {end['period']}"
        last = path.iloc[-1]
        rule_end = yearly.iloc[-1]["rule_value"] if not yearly.empty else None
        alt_parts.append(
            f"{base['label']}: printed path from {_fmt(base['value'], unit)} ({base['period']}) to "
            f"{_fmt(last['value'], unit)} ({last['period']})"
            + (f"; the rule path ends at {_fmt(rule_end, unit, 1)}" if rule_end is not None else "; no yearly rule")
            + target_text + ".")
    frame_pts = pd.DataFrame(points)
    fig = charts.small_multiples(frame_pts, "Year", "Value", "Series", "Measure",
                                 f"{_name(area_code, page.data)}: printed trajectories and the paths their rules give",
                                 dashed=("Rule path",), marks=marks, tick_labels=ticks)
    fig.update_layout(margin=dict(l=60, r=20, t=110, b=100), legend=dict(y=-0.06))
    n = frame_pts["Measure"].nunique()
    skipped = [m for m in _measures(frame) if _awaiting(frame[frame["measure_id"] == m])]
    alt = (f"{n} small line charts, one per outcome measure, each with its baseline, the printed yearly path, "
           "the path the stated rule gives (dashed) where the paper states one, and the stated target, the target year "
           "marked by a dotted vertical line. " + " ".join(alt_parts))
    caption = (f"Printed trajectories and the paths their stated rules give ({_source_span(frame)}). "
               f"Not drawn: {len(skipped)} measures whose cells read \"Awaiting indicator\". Each panel has its own scale.")
    table = frame_pts.assign(Measure=frame_pts["Measure"].str.replace("<br>", " ", regex=False))
    table = table[["Measure", "Period", "Series", "Value"]]
    table["Value"] = [f"{v:,.2f}".rstrip("0").rstrip(".") for v in table["Value"]]
    chart_id = f"out-traj-{area_code.lower()}"
    return charts.Chart(fig, chart_id, caption, alt, charts.Table(table, caption, chart_id + "-data", numeric=("Value",)))


def _source_span(frame: pd.DataFrame) -> str:
    r = frame.iloc[0]
    lines = frame["lines"].map(_first_line)
    return f"source {r['source_id']}, {r['table']}, lines {lines.min()}-{lines.max()}"


def _signed(value: float, decimals: int) -> str:
    """A difference with its sign; one that rounds to nothing shows as 0."""
    if value != value:
        return "—"
    text = f"{value:+,.{decimals}f}"
    return text[1:] if float(text) == 0 else text


def _verdict(r) -> str:
    if r["status"] == "not_published":
        return f"– {r['printed']}"
    if r["role"] == "baseline":
        return "– baseline"
    if math.isnan(r["rule_value"]):
        return "– no rule for this year"
    dec = checks.decimals_of(r["value_text"])
    if r["beyond"]:
        return f"✘ departs by {abs(r['difference']):,.{dec + 1}f}"
    return f"✔ within ±{r['tolerance']:g}"


def trajectory_comparison(page: PageData) -> charts.Table | None:
    """Year by year: printed value, rule value, difference, and whether it is within the printed rounding."""
    data = page.data
    area_code = page.area
    frame = trajectory_frame(page)
    if frame.empty:
        return None
    root = page.root
    shown = pd.DataFrame({
        "Measure": frame["label"],
        "Period": frame["period"],
        "As printed": frame["printed"],
        "Rule gives": [_fmt(v, "count", checks.decimals_of(t) + 1) if v == v else "—"
                       for v, t in zip(frame["rule_value"], frame["value_text"])],
        "Years of the rule": [f"{y:g}" if v == v else "—" for y, v in zip(frame["years"], frame["rule_value"])],
        "Printed minus rule": [_signed(d, checks.decimals_of(t) + 1) for d, t in zip(frame["difference"], frame["value_text"])],
        "Verdict": [_verdict(r) for _, r in frame.iterrows()],
        **report.source_columns(frame, root),
    })
    n_dep = int(frame["beyond"].sum())
    caption = (f"{_name(area_code, data)}: each printed trajectory value beside the value its stated rule gives; "
               f"{n_dep} beyond the printed rounding")
    return charts.Table(shown, caption, f"out-traj-cmp-{area_code.lower()}", numeric=("Rule gives", "Printed minus rule"),
                        links={"Source": "_source_url"}, download=frame)


