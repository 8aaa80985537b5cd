"""The outcomes pages: what each CCG's papers say it aims to achieve, and how
it was doing.

Each function returns one displayable result for one area: a sentence
(Markdown), a table or a chart. Where an area has nothing for a cell after
the first of its section, the function returns None, so the cell shows
nothing and the section's first sentence says what is missing. The models
(rules, comparisons, marks) live in ``analysis.outcomes``; this module
chooses rows and words.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.models import checks
from analysis.models import finance
from analysis.models import outcomes
from analysis.pages import report
from analysis.pages import style
from analysis.data import BookData

COUNTY = "E10000012"
KINDS = ("outcome", "activity")
# Papers written by one CCG: their provider, PCT and cluster figures go on that CCG's page.
PAPER_CCG = {"002": "99F", "003": "99E"}
COUNTY_PAGE = "../../essex/outcomes.html"

# The stated rule of each West Essex measure, in the paper's words (001 line 2061).
RULE_WORDING = {
    "pyll_amenable_per_100k": "Continuing at 3.2% decrease per annum would take us to 1517 per 100,000 by 2018",
    "hrqol_ltc": "1% improvement year on year",
    "emergency_admissions_avoidable_per_100k": "a 54% reduction against the 4 composite measures over a 5 year period",
    "patient_experience_hospital_poor": "Aim to move to top quintile by 2018 to 135.6",
    "patient_experience_gp_poor": "We have modelled more improvement towards the end of the period 14/15 – 18/19",
}
# The narrative figure that states each measure's rate or total change.
RULE_FACT_MEASURE = {
    "pyll_amenable_per_100k": "pyll_amenable_annual_reduction_rate",
    "hrqol_ltc": "hrqol_ltc_annual_improvement",
    "emergency_admissions_avoidable_per_100k": "emergency_admissions_avoidable_reduction_target",
}
# Where a CCG's own summary states aims of every kind (finance, services), with their years.
AIMS_LINES = {"99E": (("001", 1479, 1626),)}

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

MET = {True: "✔ met", False: "✘ not met", None: "– cannot judge"}
PAPER_MARK = {True: "✓ (met)", False: "✗ (not met)", None: "no mark"}


# --- selecting facts ------------------------------------------------------------------

def _kinds(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["kind"]))


def _labels(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["label"]))


def _polarity(data: BookData) -> dict[str, str]:
    return dict(zip(data.measures["measure_id"], data.measures["polarity"]))


def _first_line(lines: str) -> int:
    return int(str(lines).split("-")[0])


def home_pages(facts: pd.DataFrame, data: BookData) -> pd.Series:
    """The outcomes page each fact belongs on: the CCG whose area family holds
    its area; else the CCG that wrote the paper, for the providers, PCTs and
    clusters its own plan reports; else the county page."""
    areas = data.areas
    owner: dict[str, str] = {}
    for ccg in areas.loc[areas["type"] == "ccg", "area_code"]:
        for code in report.area_family(ccg, data):
            owner.setdefault(code, ccg)
    types = dict(zip(areas["area_code"], areas["type"]))

    def home(area: str, source: str) -> str:
        if area in owner:
            return owner[area]
        if source in PAPER_CCG and types.get(area) in ("pct", "cluster", "provider"):
            return PAPER_CCG[source]
        return COUNTY

    return pd.Series([home(a, s) for a, s in zip(facts["area_code"], facts["source_id"])], index=facts.index, dtype=str)


@lru_cache(maxsize=1)
def _outcome_facts() -> pd.DataFrame:
    data = report.book()
    f = data.facts[data.facts["measure_id"].map(_kinds(data)).isin(KINDS)].copy()
    f["page"] = home_pages(f, data)
    return f


def page_facts(area_code: str) -> pd.DataFrame:
    """Outcome and activity facts shown on an area's outcomes page, in file order."""
    f = _outcome_facts()
    return f[f["page"] == area_code].drop(columns="page")


@lru_cache(maxsize=1)
def _rules() -> pd.DataFrame:
    data = report.book()
    return outcomes.trajectory_rules(checks.load_checks(data.data_dir / "checks.csv"))


def _name(code: str) -> str:
    return report.area_name(code)


def _county_link() -> str:
    return f'<a href="{COUNTY_PAGE}">Essex outcomes page</a>'


def _fmt(value: float, unit: str, decimals: int | None = None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return style.fmt_value(value, unit, decimals)


def _shown(row) -> str:
    """A fact as printed, or why it has no value."""
    if row["status"] == "not_published":
        return f"not published ({row['printed'] or 'blank'})"
    return row["printed"]


def _lower_first(text: str) -> str:
    """Lower-case a label's first letter unless it starts an abbreviation ("A&E")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _wrap(text: str, width: int = 48) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "<br>".join(lines + [line])


# --- trajectories -------------------------------------------------------------------------

def _trajectory_tables(facts: pd.DataFrame) -> list[str]:
    """Tables holding a printed value that a trajectory rule in data/checks.csv describes."""
    stated = set(_rules()["stated"])
    yearly = facts["fact_id"].isin(stated) & (facts["breakdown"] == "")
    return list(dict.fromkeys(facts.loc[yearly, "table"]))


@lru_cache(maxsize=16)
def trajectory_frame(area_code: str) -> pd.DataFrame:
    """One row per printed cell of the area's trajectory tables (baselines and
    yearly values), with the value its stated rule gives and the comparison."""
    data = report.book()
    facts = page_facts(area_code)
    tables = _trajectory_tables(facts)
    rules = _rules().set_index("stated")
    by_id = data.facts.set_index("fact_id")
    labels = _labels(data)
    rows = []
    for table in tables:
        grid = facts[facts["table"] == table]
        for measure in dict.fromkeys(grid["measure_id"]):
            cells = grid[grid["measure_id"] == measure]
            base = cells[cells["breakdown"] == "baseline"]
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


def _narrative(area_code: str, measure: str, table: str) -> pd.DataFrame:
    """The narrative-row figures printed above a trajectory table for one measure."""
    facts = page_facts(area_code)
    narrative = facts[facts["table"].str.startswith(table) & (facts["table"] != table)]
    own = narrative[narrative["measure_id"] == measure]
    rate_measure = RULE_FACT_MEASURE.get(measure)
    rate = narrative[narrative["measure_id"] == rate_measure] if rate_measure else narrative.iloc[0:0]
    return pd.concat([own, rate])


def _measures(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["measure_id"]))


def _awaiting(part: pd.DataFrame) -> bool:
    return bool((part["status"] == "not_published").all())


def _rule_kind(part: pd.DataFrame) -> str:
    kinds = [k for k in part.loc[part["role"] == "path", "kind"] if k in outcomes.RULE_KINDS]
    return kinds[0] if kinds else ""


def _rule_text(part: pd.DataFrame, data: BookData) -> str:
    """The rule as the book applies it, from data/checks.csv."""
    if _awaiting(part):
        return "none: Awaiting indicator"
    path = part[(part["role"] == "path") & part["kind"].isin(outcomes.RULE_KINDS)]
    if path.empty:
        return "no numeric rule stated"
    first = path.iloc[0]
    rule = _rules().set_index("stated").loc[first["fact_id"]]
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


def trajectory_summary(area_code: str) -> Markdown:
    """What the trajectories are, how many printed values their rules reproduce, and every departure."""
    data = report.book()
    frame = trajectory_frame(area_code)
    name = _name(area_code)
    if frame.empty:
        return Markdown(
            f"The source papers publish no yearly outcome trajectory for {name}: no baseline with a path of yearly "
            "values to a target. The only yearly trajectories in the papers are West Essex CCG's outcome ambitions. "
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
        f"on {len(measures)} measures. {len(measures) - len(awaiting)} have values; for "
        f"{len(awaiting)} every cell reads \"Awaiting indicator\" ({'; '.join(labels[m] for m in awaiting)}). "
        f"The paper states a numeric rule for {len(with_rule)} measures. Rebuilt from those rules, "
        f"**{within} of {len(path)}** printed values that a rule fixes lie within their printed rounding "
        "(half a unit of the last printed digit)."
    )
    for m in measures:
        part = frame[frame["measure_id"] == m]
        if m not in with_rule and m not in awaiting:
            text += (f" {labels[m]} has no numeric rule; its printed path is {_profile_text(part)}"
                     + (f" (the paper: \"{RULE_WORDING[m]}\")" if m in RULE_WORDING else "") + ".")
    departures = path[path["beyond"]]
    if departures.empty:
        return Markdown(text + " None departs from its rule.")
    text += f" **{len(departures)} depart{'s' if len(departures) == 1 else ''} from the stated rule:**\n"
    for r in departures.itertuples():
        text += "\n- " + _departure_text(area_code, r)
    return Markdown(text)


def _departure_text(area_code: str, r) -> str:
    """One departure in words, with its size and what the printed figure does match."""
    data = report.book()
    by_id = data.facts.set_index("fact_id")
    rule = _rules().set_index("stated").loc[r.fact_id]
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
        narrative = _narrative(area_code, r.measure_id, r.table)
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


def trajectory_rules_table(area_code: str) -> charts.Table | None:
    """Per measure: the baselines, the rule in the paper's words, the stated target and the rule as applied."""
    data = report.book()
    frame = trajectory_frame(area_code)
    if frame.empty:
        return None
    root = report.root_for(area_code, data)
    rows = []
    for m in _measures(frame):
        part = frame[frame["measure_id"] == m]
        base = part[part["role"] == "baseline"].iloc[0]
        narrative = _narrative(area_code, m, base["table"])
        nb = narrative[narrative["breakdown"] == "baseline narrative"]
        tg = narrative[narrative["breakdown"] == "target narrative"]
        rate = narrative[narrative["measure_id"] != m]
        rows.append({
            "Measure": base["label"],
            # The two baselines share a column so that the table fits the content column.
            "Baseline: table; narrative": f"{_shown(base)}; {nb.iloc[0]['printed'] if not nb.empty else '—'}",
            "Stated rule (the paper's words)": RULE_WORDING.get(m, "—") if not _awaiting(part) else "—",
            "Stated rate or change": rate.iloc[0]["printed"] if not rate.empty else "—",
            "Stated target": f"{tg.iloc[0]['printed']} ({tg.iloc[0]['period']})" if not tg.empty else "—",
            "Rule as the book applies it": _rule_text(part, data),
            "Shape of the printed path": _profile_text(part) if not _awaiting(part) else "—",
            "Source": report.source_label(base),
            "_source_url": report.source_url(base, root),
        })
    shown = pd.DataFrame(rows)
    download = pd.concat([frame[frame["role"] == "baseline"]] +
                         [_narrative(area_code, m, frame[frame["measure_id"] == m].iloc[0]["table"]) for m in _measures(frame)])
    download = download[[c for c in ("fact_id", "measure_id", "period", "breakdown", "printed", "status", "source_id", "lines")
                         if c in download.columns]]
    return charts.Table(shown, f"{_name(area_code)}: the stated rule behind each trajectory", f"out-rules-{area_code.lower()}",
                        links={"Source": "_source_url"}, download=download)


def _x(period: str) -> int:
    return outcomes.period_start_year(period)


def trajectory_chart(area_code: str) -> charts.Chart | None:
    """Small multiples: per measure the baseline, printed path, rule path and target, the target year marked."""
    frame = trajectory_frame(area_code)
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
        narrative = _narrative(area_code, m, base["table"])
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
                                 f"{_name(area_code)}: printed trajectories and the paths their rules give",
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


def trajectory_comparison(area_code: str) -> charts.Table | None:
    """Year by year: printed value, rule value, difference, and whether it is within the printed rounding."""
    data = report.book()
    frame = trajectory_frame(area_code)
    if frame.empty:
        return None
    root = report.root_for(area_code, data)
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
    caption = (f"{_name(area_code)}: each printed trajectory value beside the value its stated rule gives; "
               f"{n_dep} beyond the printed rounding")
    return charts.Table(shown, caption, f"out-traj-cmp-{area_code.lower()}", numeric=("Rule gives", "Printed minus rule"),
                        links={"Source": "_source_url"}, download=frame)


# --- targets and stated aims ------------------------------------------------------------------

def _is_target(row) -> bool:
    return "target" in row["measure_id"] or "target" in row["breakdown"]


def _progress_pairs(facts: pd.DataFrame) -> pd.DataFrame:
    """Target rows printed beside a current value of the same measure, area and period."""
    key = ["source_id", "table", "area_code", "measure_id", "period"]
    targets = facts[facts["breakdown"] == "target"]
    current = facts[facts["breakdown"] == ""]
    return targets.merge(current, on=key, suffixes=("_target", "_current"))


def target_facts(area_code: str) -> pd.DataFrame:
    """Stated targets and aims: target facts not part of a trajectory or a
    target-versus-current table, plus the aims a CCG's own summary states."""
    data = report.book()
    facts = page_facts(area_code)
    excluded = set(_trajectory_tables(facts))
    excluded |= {t for t in facts["table"] if any(t.startswith(x) and t != x for x in excluded)}
    pairs = _progress_pairs(facts)
    paired = set(pairs["fact_id_target"]) | set(pairs["fact_id_current"])
    is_target = pd.Series([_is_target(r) for _, r in facts.iterrows()], index=facts.index, dtype=bool)
    chosen = facts[is_target & ~facts["table"].isin(excluded) & ~facts["fact_id"].isin(paired)]
    family = report.area_family(area_code, data)
    paper_year = dict(zip(data.sources["source_id"], data.sources["date"].str[:4]))
    kinds = _kinds(data)
    extra = []
    for source, lo, hi in AIMS_LINES.get(area_code, ()):
        f = data.facts
        first = f["lines"].map(_first_line)
        # Aims look ahead: figures dated the paper's own year describe the present, and
        # demographic figures are context, not aims.
        extra.append(f[(f["source_id"] == source) & first.between(lo, hi) & f["area_code"].isin(family)
                       & (f["period"] != paper_year[source]) & (f["measure_id"].map(kinds) != "demographics")])
    out = pd.concat([chosen, *extra]).drop_duplicates("fact_id")
    return out.assign(_line=out["lines"].map(_first_line)).sort_values(["source_id", "_line", "file", "row"]).drop(columns="_line")


def _related(row, data: BookData) -> str:
    """Another figure printed in the same table row (e.g. a project's funding beside its target)."""
    if not row["breakdown"]:
        return ""
    f = data.facts
    same = f[(f["source_id"] == row["source_id"]) & (f["table"] == row["table"]) & (f["breakdown"] == row["breakdown"])
             & (f["measure_id"] != row["measure_id"]) & ~f["measure_id"].str.contains("target")]
    labels = _labels(data)
    return "; ".join(f"{labels.get(m, m)}: {p}" for m, p in zip(same["measure_id"], same["printed"]))


def _same_aim_different_years(targets: pd.DataFrame) -> list[tuple[pd.Series, pd.Series]]:
    """Pairs of reduction targets with the same printed size but different target years."""
    t = targets[targets["measure_id"].str.contains("reduction_target") & (targets["status"] != "not_published")]
    pairs = []
    rows = list(t.iterrows())
    for i, (_, a) in enumerate(rows):
        for _, b in rows[i + 1:]:
            if a["value"] == b["value"] and a["unit"] == b["unit"] and a["period"] != b["period"]:
                pairs.append((a, b))
    return pairs


def targets_summary(area_code: str) -> Markdown:
    data = report.book()
    name = _name(area_code)
    t = target_facts(area_code)
    if t.empty:
        return Markdown(f"The source papers state no outcome targets for {name} outside its trajectories. "
                        f"See the {_county_link()} for the Essex-wide targets.")
    labels = _labels(data)
    outcome_like = t[t["measure_id"].map(_kinds(data)).isin(KINDS)]
    share = "" if len(outcome_like) == len(t) else f", {len(outcome_like)} of them outcome or activity targets"
    text = (f"The papers state {len(t)} targets or aims for {name}{share}. None comes with a yearly path, and most name no baseline, so they are shown as printed, "
            "each with the year or period it is set for.")
    for a, b in _same_aim_different_years(t):
        text += (f" The same {a['printed']} reduction is stated for two different years: "
                 f"{_lower_first(labels.get(a['measure_id'], a['measure_id']))} by {a['period']} "
                 f"({report.source_label(a)}) and {_lower_first(labels.get(b['measure_id'], b['measure_id']))} by "
                 f"{b['period']} ({report.source_label(b)}).")
    return Markdown(text)


def targets_table(area_code: str) -> charts.Table | None:
    data = report.book()
    t = target_facts(area_code)
    if t.empty:
        return None
    root = report.root_for(area_code, data)
    labels = _labels(data)
    shown = pd.DataFrame({
        "Aim": [labels.get(m, m) for m in t["measure_id"]],
        "Area": [report.area_name(a, data) for a in t["area_code"]],
        "Project or part": t["breakdown"].values,
        "As printed": [_shown(r) for _, r in t.iterrows()],
        "For": t["period"].values,
        "Printed beside it": [_related(r, data) for _, r in t.iterrows()],
        **report.source_columns(t, root),
    })
    if (shown["Printed beside it"] == "").all():
        shown = shown.drop(columns="Printed beside it")
    download = t[["fact_id", "area_code", "measure_id", "period", "breakdown", "value", "unit", "printed", "status",
                  "source_id", "table", "lines", "note"]]
    return charts.Table(shown, f"{_name(area_code)}: stated targets and aims", f"out-targets-{area_code.lower()}",
                        links={"Source": "_source_url"}, download=download)


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


@lru_cache(maxsize=16)
def scorecard_frame(area_code: str) -> pd.DataFrame:
    """Every scorecard value on the page with its standard, the paper's mark and the recomputed one."""
    data = report.book()
    facts = page_facts(area_code)
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


def scorecard_table(area_code: str, which: str) -> charts.Table | None:
    """One scorecard ("commissioner" or "provider"): standard, value, the paper's mark and the recomputed mark."""
    data = report.book()
    frame = scorecard_frame(area_code)
    part = frame[frame["scorecard"] == which]
    if part.empty:
        return None
    root = report.root_for(area_code, data)
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


def scorecard_summary(area_code: str) -> Markdown:
    data = report.book()
    name = _name(area_code)
    frame = scorecard_frame(area_code)
    progress = target_progress_frame(area_code)
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


@lru_cache(maxsize=16)
def target_progress_frame(area_code: str) -> pd.DataFrame:
    """Targets printed beside current performance, with whether the current figure meets the target."""
    data = report.book()
    pairs = _progress_pairs(page_facts(area_code))
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


def target_progress_table(area_code: str) -> charts.Table | None:
    data = report.book()
    frame = target_progress_frame(area_code)
    if frame.empty:
        return None
    root = report.root_for(area_code, data)
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


# --- activity -------------------------------------------------------------------------------------

PROJECTED = "projected if current use continues"
POPULATION_GROWTH = {"population_projected_growth": "Population", "population_75_plus_growth": "Population aged 75+"}


@lru_cache(maxsize=16)
def growth_frame(area_code: str) -> pd.DataFrame:
    """Activity projected 'if current use continues', with its growth, beside the population growth printed with it."""
    data = report.book()
    facts = _published(page_facts(area_code))
    projected = facts[facts["breakdown"] == PROJECTED]
    rows = []
    labels = _labels(data)
    for r in projected[projected["unit"] == "count"].itertuples():
        now = facts[(facts["measure_id"] == r.measure_id) & (facts["breakdown"] == "current")]
        if now.empty:
            continue
        n = now.iloc[0]
        printed_growth = projected[(projected["measure_id"] == f"{r.measure_id}_growth")]
        rows.append({
            "item": labels.get(r.measure_id, r.measure_id), "measure_id": r.measure_id, "area_code": r.area_code,
            "now": n["printed"], "now_period": n["period"], "then": r.printed, "then_period": r.period,
            "growth": outcomes.growth_pct(n["value"], r.value),
            "growth_printed": printed_growth.iloc[0]["printed"] if not printed_growth.empty else "not printed",
            "fact_ids": " ".join([n["fact_id"], r.fact_id] + list(printed_growth["fact_id"])),
            "source_id": r.source_id, "table": r.table, "lines": r.lines,
        })
    if rows:
        f = _published(data.facts)
        source, span = projected.iloc[0]["source_id"], facts[facts["measure_id"].str.endswith("_growth")
                                                                & (facts["breakdown"] == PROJECTED)]["period"]
        pop = f[f["measure_id"].isin(list(POPULATION_GROWTH)) & (f["source_id"] == source) & f["period"].isin(set(span))]
        for r in pop.itertuples():
            rows.append({
                "item": f"{POPULATION_GROWTH[r.measure_id]}, {report.area_name(r.area_code, data)}", "measure_id": r.measure_id,
                "area_code": r.area_code,
                "now": "", "now_period": "", "then": "", "then_period": r.period,
                "growth": r.value, "growth_printed": r.printed, "fact_ids": r.fact_id,
                "source_id": r.source_id, "table": r.table, "lines": r.lines,
            })
    return pd.DataFrame(rows, columns=["item", "measure_id", "area_code", "now", "now_period", "then", "then_period", "growth",
                                       "growth_printed", "fact_ids", "source_id", "table", "lines"])


def _published(facts: pd.DataFrame) -> pd.DataFrame:
    # Models and charts read figures: a not-published row counts as absent (tables still list it).
    return facts[(facts["status"] != "not_published") & facts["value"].notna()]


def _provider_total(area_code: str) -> pd.DataFrame:
    facts = _published(page_facts(area_code))
    return facts[(facts["measure_id"] == "admissions_inpatient") & (facts["breakdown"] == "Total")]


def _provider_rows(area_code: str) -> pd.DataFrame:
    """Admissions by provider, when the total they share is published too."""
    facts = _published(page_facts(area_code))
    adm = facts[(facts["measure_id"] == "admissions_inpatient") & ~facts["breakdown"].isin(["", "Total", "main provider"])]
    return adm if len(_provider_total(area_code)) else adm.iloc[0:0]


def activity_summary(area_code: str) -> Markdown:
    data = report.book()
    name = _name(area_code)
    growth = growth_frame(area_code)
    providers = _provider_rows(area_code)
    if growth.empty and providers.empty:
        others = page_facts(area_code)
        others = others[others["measure_id"].map(_kinds(data)) == "activity"]
        if others.empty:
            return Markdown(f"The source papers publish no activity figures for {name}. See the {_county_link()}.")
        return Markdown(f"The papers print {len(others)} activity figure{'s' if len(others) != 1 else ''} for {name}, "
                        "listed with every other figure "
                        "at the end of this page; none is a projection or a split by provider.")
    parts = []
    if not growth.empty:
        act = growth[growth["now"] != ""]
        pop = growth[growth["now"] == ""]
        items = "; ".join(f"{_lower_first(r.item)} from {r.now} to {r.then} ({r.growth:+.1f}%, computed; "
                          + (f"printed as {r.growth_printed})" if r.growth_printed != "not printed" else "no percentage printed)")
                          for r in act.itertuples())
        pops = "; ".join(f"{r.growth_printed} ({r.item})" for r in pop.itertuples())
        own = pop[(pop["measure_id"] == "population_projected_growth") & (pop["area_code"] == area_code)]
        main = own.iloc[0]["growth"] if not own.empty else math.nan
        faster = [_lower_first(r.item) for r in act.itertuples() if r.growth > main]
        slower = [_lower_first(r.item) for r in act.itertuples() if r.growth <= main]
        compare = ["the papers print no population growth for the area itself to compare with"] if own.empty else []
        if own.empty:
            faster = slower = []
        if faster:
            compare.append(f"{' and '.join(faster)} would grow faster than the whole population")
        if slower:
            compare.append(f"{' and '.join(slower)} more slowly")
        parts.append(
            f"If people carry on using services as they do now, {name}'s plan expects {items}. It sets these beside "
            f"the projected growth in population over ten years: {pops}. On these figures " + ", ".join(compare)
            + f". The horizon of the activity projection is not printed; the book reads it as {act.iloc[0]['then_period']}, "
            "the end of the population projection's ten years.")
    if not providers.empty:
        total = _provider_total(area_code)
        top = providers.sort_values("value", ascending=False).iloc[0]
        t = total.iloc[0]
        parts.append(
            f"In {t['period']} the CCG's practices' patients had {t['printed']} inpatient admissions across "
            f"{len(providers) - int((providers['breakdown'] == 'Other').sum())} named providers and others; "
            f"{top['printed']} ({finance.percent_of(top['value'], t['value']):.1f}%) were at {top['breakdown']}.")
    return Markdown("\n\n".join(parts))


def activity_growth_chart(area_code: str) -> charts.Chart | None:
    data = report.book()
    frame = growth_frame(area_code)
    if frame.empty:
        return None
    root = report.root_for(area_code, data)
    plot = frame.assign(Item=[f"{i} (computed)" if n else f"{i} (printed)" for i, n in zip(frame["item"], frame["now"])])
    fig = charts.bar(plot, "Item", "growth", "Growth over the projection period", "% growth", horizontal=True)
    fig.update_layout(height=360, margin=dict(l=360))
    alt = ("Horizontal bar chart of projected growth: " + "; ".join(
        f"{r.Item} {r.growth:.1f}%" for r in plot.itertuples()) + ".")
    table = pd.DataFrame({
        "Item": frame["item"], "Now (as printed)": frame["now"], "Projected (as printed)": frame["then"],
        "Period": frame["then_period"],
        "Growth, computed from the printed figures": [f"{g:.1f}%" if n else "—" for g, n in zip(frame["growth"], frame["now"])],
        "Growth as printed": frame["growth_printed"],
        **report.source_columns(frame, root),
    })
    caption = (f"{_name(area_code)}: activity growth if current use continues, computed from the printed current and "
               "projected figures, beside the printed population growth")
    chart_id = f"out-growth-{area_code.lower()}"
    return charts.Chart(fig, chart_id, caption, alt, charts.Table(table, caption, chart_id + "-data",
                                                                   links={"Source": "_source_url"},
                                                                   download=frame))


def admissions_by_provider_chart(area_code: str) -> charts.Chart | None:
    data = report.book()
    providers = _provider_rows(area_code)
    if providers.empty:
        return None
    root = report.root_for(area_code, data)
    facts = page_facts(area_code)
    total = _provider_total(area_code).iloc[0]
    rows = []
    for r in providers.itertuples():
        same = facts[(facts["table"] == r.table) & (facts["breakdown"] == r.breakdown)]
        get = {m: p for m, p in zip(same["measure_id"], same["printed"])}
        rows.append({
            "Provider": r.breakdown, "Admissions": r.value, "Admissions (as printed)": r.printed,
            "Elective (as printed)": get.get("admissions_inpatient_elective", "—"),
            "Share of CCG admissions (printed)": get.get("pct_ccg_admissions_by_provider", "—"),
            "Share recomputed": f"{finance.percent_of(r.value, total['value']):.1f}%",
            "CCG share of provider's admissions (printed)": get.get("pct_provider_admissions_from_ccg", "—"),
            "Source": report.source_label(facts.loc[[r.Index]].iloc[0]),
            "_source_url": report.source_url(facts.loc[[r.Index]].iloc[0], root),
        })
    frame = pd.DataFrame(rows)
    fig = charts.bar(frame.sort_values("Admissions", ascending=False), "Provider", "Admissions",
                     f"Inpatient admissions by provider, {total['period']}", "Admissions", horizontal=True)
    fig.update_layout(height=360, margin=dict(l=300))
    alt = (f"Horizontal bar chart of the CCG's {total['printed']} inpatient admissions in {total['period']} by provider: "
           + "; ".join(f"{p} {n}" for p, n in zip(frame["Provider"], frame["Admissions (as printed)"])) + ".")
    caption = f"{_name(area_code)}: inpatient admissions by provider, {total['period']} ({report.source_label(total)})"
    chart_id = f"out-providers-{area_code.lower()}"
    same_table = facts[facts["table"] == total["table"]]
    return charts.Chart(fig, chart_id, caption, alt,
                        charts.Table(frame.drop(columns="Admissions"), caption, chart_id + "-data",
                                     links={"Source": "_source_url"},
                                     download=same_table[["fact_id", "measure_id", "breakdown", "period", "value", "printed",
                                                          "source_id", "lines"]]))


# --- every figure ----------------------------------------------------------------------------------

def all_figures(area_code: str) -> charts.Table | Markdown:
    """Every outcome and activity figure on this page, as printed, with its source."""
    data = report.book()
    facts = page_facts(area_code)
    name = _name(area_code)
    if facts.empty:
        return Markdown(f"The source papers print no outcome or activity figure for {name} or its districts, "
                        f"localities and practices. See the {_county_link()}.")
    caption = f"Every outcome and activity figure the papers print for {name} ({len(facts)})"
    return report.facts_table(facts, caption, f"out-all-{area_code.lower()}", report.root_for(area_code, data), data)


def page_summary(area_code: str) -> Markdown:
    """What this CCG's outcomes page holds, or that the papers publish nothing for it."""
    name = _name(area_code)
    traj = trajectory_frame(area_code)
    parts = []
    if not traj.empty:
        parts.append(f"yearly trajectories for {traj['measure_id'].nunique()} measures")
    n_t = len(target_facts(area_code))
    if n_t:
        parts.append(f"{n_t} stated targets and aims")
    score = scorecard_frame(area_code)
    if not score.empty:
        parts.append(f"{len(score)} scorecard values against their standards")
    prog = target_progress_frame(area_code)
    if not prog.empty:
        parts.append(f"{len(prog)} targets beside current performance")
    growth, providers = growth_frame(area_code), _provider_rows(area_code)
    if not growth.empty:
        parts.append("activity projected if current use continues")
    if not providers.empty:
        parts.append("admissions by provider")
    n_all = len(page_facts(area_code))
    if not parts and not n_all:
        return Markdown(f"The source papers publish no outcome trajectories, targets, scorecards or activity figures for "
                        f"{name}. For the outcome ambitions and Better Care Fund metrics set for Essex as a whole, see "
                        f"the {_county_link()}.")
    if not parts:
        return Markdown(f"The source papers publish no outcome trajectories, targets or scorecards for {name}; they print "
                        f"{n_all} other outcome or activity figure{'s' if n_all != 1 else ''}, listed at the end of this "
                        f"page. For the ambitions set for Essex as a whole, see the {_county_link()}.")
    return Markdown(f"For {name} the papers publish " + ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "")
                    + parts[-1] + f"; {n_all} outcome and activity figures in all. For the ambitions set for Essex as a "
                    f"whole, see the {_county_link()}.")


# --- county page -------------------------------------------------------------------------------------

def ccg_table(area_code: str = COUNTY) -> charts.Table:
    """For each CCG: what its outcomes page holds, with a link to it."""
    data = report.book()
    ccgs = data.areas[data.areas["type"] == "ccg"]
    rows = []
    for code, name in zip(ccgs["area_code"], ccgs["name"]):
        traj = trajectory_frame(code)
        rows.append({
            "CCG": name,
            "Trajectory measures": traj["measure_id"].nunique() if not traj.empty else 0,
            "Targets and aims": len(target_facts(code)),
            "Scorecard values": len(scorecard_frame(code)) + len(target_progress_frame(code)),
            "Outcome and activity figures": len(page_facts(code)),
            "Page": "outcomes page",
            "_url": f"../ccg/{code}/outcomes.html",
        })
    frame = pd.DataFrame(rows)
    return charts.Table(frame, "What the papers publish on outcomes for each CCG", "out-ccgs",
                        numeric=("Trajectory measures", "Targets and aims", "Scorecard values", "Outcome and activity figures"),
                        links={"Page": "_url"}, download=frame.drop(columns=["Page", "_url"]))


def _bcf_rows(area_code: str) -> pd.DataFrame:
    facts = page_facts(area_code)
    rows = []
    for i, (label, fig12, s373, line, measure) in enumerate(BCF_METRICS, start=1):
        f = facts[facts["measure_id"] == measure] if measure else facts.iloc[0:0]
        rows.append({"n": i, "metric": label, "figure12": fig12, "s373": s373, "line": line,
                     "target": "; ".join(f"{p} ({per})" for p, per in zip(f["printed"], f["period"])),
                     "fact_ids": " ".join(f["fact_id"]), "where": "; ".join(report.source_label(r) for _, r in f.iterrows())})
    return pd.DataFrame(rows)


def bcf_summary(area_code: str = COUNTY) -> Markdown:
    rows = _bcf_rows(area_code)
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


def bcf_table(area_code: str = COUNTY) -> charts.Table:
    data = report.book()
    rows = _bcf_rows(area_code)
    root = report.root_for(area_code, data)
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


def _ld(area_code: str) -> pd.DataFrame:
    facts = page_facts(area_code)
    return facts[facts["measure_id"].str.startswith("ld_") & (facts["source_id"] == "001")]


def ld_summary(area_code: str = COUNTY) -> Markdown:
    ld = _ld(area_code)
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


def ld_chart(area_code: str = COUNTY) -> charts.Chart:
    data = report.book()
    ld = _ld(area_code)
    change = ld[ld["measure_id"] == "ld_activity_change"]
    root = report.root_for(area_code, data)
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


def _shc() -> pd.DataFrame:
    data = report.book()
    f = data.facts
    return f[f["measure_id"].str.startswith("senior_health_checks")]


def shc_summary(area_code: str = COUNTY) -> Markdown:
    shc = _shc()
    out = shc[shc["measure_id"].map(_kinds(report.book())).isin(KINDS)]
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


def shc_table(area_code: str = COUNTY) -> charts.Table:
    data = report.book()
    shc = _shc()
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
