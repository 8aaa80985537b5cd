"""The outcomes pages: what each CCG's papers say it aims to achieve, and how
it was doing.

Each page function takes the page's data (a PageData) and returns one
displayable result: a sentence (Markdown), a table or a chart. Where an area
has nothing for a cell after the first of its section, the function returns
None, so the cell shows nothing and the section's first sentence says what is
missing. The models (rules, comparisons, marks) live in
``analysis.models.outcomes``; these modules choose rows and words:
``common`` (which facts each page shows), ``trajectories``, ``targets``,
``scorecards``, ``activity``, ``summary`` (what each page holds, every figure)
and ``county`` (the Essex-wide ambitions).
"""
from analysis.pages.outcomes.activity import (activity_growth_chart, activity_summary, admissions_by_provider_chart,
                                              growth_frame)
from analysis.pages.outcomes.common import COUNTY, KINDS, home_pages, page_facts
from analysis.pages.outcomes.county import (BCF_FIGURE12_LINE, BCF_METRICS, bcf_summary, bcf_table, ld_chart, ld_summary,
                                            shc_summary, shc_table)
from analysis.pages.outcomes.scorecards import (scorecard_frame, scorecard_summary, scorecard_table, target_progress_frame,
                                                target_progress_table)
from analysis.pages.outcomes.summary import all_figures, ccg_table, page_summary
from analysis.pages.outcomes.targets import target_facts, targets_summary, targets_table
from analysis.pages.outcomes.trajectories import (trajectory_chart, trajectory_comparison, trajectory_frame,
                                                  trajectory_rules_table, trajectory_summary)

__all__ = [
    "COUNTY", "KINDS", "BCF_METRICS", "BCF_FIGURE12_LINE", "home_pages", "page_facts",
    "trajectory_frame", "trajectory_summary", "trajectory_rules_table", "trajectory_chart", "trajectory_comparison",
    "target_facts", "targets_summary", "targets_table",
    "scorecard_frame", "scorecard_summary", "scorecard_table", "target_progress_frame", "target_progress_table",
    "growth_frame", "activity_summary", "activity_growth_chart", "admissions_by_provider_chart",
    "page_summary", "all_figures", "ccg_table",
    "bcf_summary", "bcf_table", "ld_summary", "ld_chart", "shc_summary", "shc_table",
]
