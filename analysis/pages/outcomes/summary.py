"""What each outcomes page holds: the CCG page's summary, the county page's table of CCGs, and every figure."""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.pages import report
from analysis.pages.pagedata import PageData
from analysis.pages.outcomes.activity import _provider_rows, growth_frame
from analysis.pages.outcomes.common import _county_link, _name, page_facts
from analysis.pages.outcomes.scorecards import scorecard_frame, target_progress_frame
from analysis.pages.outcomes.targets import target_facts
from analysis.pages.outcomes.trajectories import trajectory_frame

# --- every figure ----------------------------------------------------------------------------------

def all_figures(page: PageData) -> charts.Table | Markdown:
    """Every outcome and activity figure on this page, as printed, with its source."""
    data = page.data
    area_code = page.area
    facts = page_facts(page)
    name = _name(area_code, data)
    if facts.empty:
        return Markdown(f"The source papers print no outcome or activity figure for {name} or its districts, "
                        f"localities and practices. See the {_county_link()}.")
    caption = f"Every outcome and activity figure the papers print for {name} ({len(facts)})"
    return report.facts_table(facts, caption, f"out-all-{area_code.lower()}", page.root, data)


def page_summary(page: PageData) -> Markdown:
    """What this CCG's outcomes page holds, or that the papers publish nothing for it."""
    name = _name(page.area, page.data)
    traj = trajectory_frame(page)
    parts = []
    if not traj.empty:
        parts.append(f"yearly trajectories for {traj['measure_id'].nunique()} measures")
    n_t = len(target_facts(page))
    if n_t:
        parts.append(f"{n_t} stated targets and aims")
    score = scorecard_frame(page)
    if not score.empty:
        parts.append(f"{len(score)} scorecard values against their standards")
    prog = target_progress_frame(page)
    if not prog.empty:
        parts.append(f"{len(prog)} targets beside current performance")
    growth, providers = growth_frame(page), _provider_rows(page)
    if not growth.empty:
        parts.append("activity projected if current use continues")
    if not providers.empty:
        parts.append("admissions by provider")
    n_all = len(page_facts(page))
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

def ccg_table(page: PageData) -> charts.Table:
    """For each CCG: what its outcomes page holds, with a link to it."""
    data = page.data
    ccgs = data.areas[data.areas["type"] == "ccg"]
    rows = []
    for code, name in zip(ccgs["area_code"], ccgs["name"]):
        traj = trajectory_frame(page, code)
        rows.append({
            "CCG": name,
            "Trajectory measures": traj["measure_id"].nunique() if not traj.empty else 0,
            "Targets and aims": len(target_facts(page, code)),
            "Scorecard values": len(scorecard_frame(page, code)) + len(target_progress_frame(page, code)),
            "Outcome and activity figures": len(page_facts(page, code)),
            "Page": "outcomes page",
            "_url": f"../ccg/{code}/outcomes.html",
        })
    frame = pd.DataFrame(rows)
    return charts.Table(frame, "What the papers publish on outcomes for each CCG", "out-ccgs",
                        numeric=("Trajectory measures", "Targets and aims", "Scorecard values", "Outcome and activity figures"),
                        links={"Page": "_url"}, download=frame.drop(columns=["Page", "_url"]))


