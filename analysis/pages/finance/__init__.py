"""The finance pages: what each CCG's finance page and the Essex system finance
page call. Each function takes the page's data (a PageData; for a CCG page, its
scenario is a finance.Assumptions) and returns one displayable result (a sentence,
a table or a chart); the arithmetic lives in analysis.models.finance."""
from __future__ import annotations

from analysis.pages.finance.spending import (
    coverage, allocation_sentence, allocation_table, allocation_chart, qipp_chart, council_spend_sentence,
    council_spend_table, council_spend_chart, mental_health_footnote,
)
from analysis.pages.finance.gap import (
    gap_summary, gap_facts,
)
from analysis.pages.finance.plans import (
    scenario_banner, scenario_table, plan_bridge_chart, plan_qipp_sentence, plan_check_table, mtfp_sentence,
    mtfp_chart, mtfp_gap_chart, mtfp_table, mtfp_check_table, plan_tornado, mtfp_tornado,
)
from analysis.pages.finance.calculators import (
    month9_sentence, month9_chart, month9_table, case_for_change_sentence, case_for_change_table, msk_calculator,
    ophthalmology_calculator, prescribing_calculator, unplanned_care_calculator, bcf_sentence, bcf_table, bcf_chart,
)
from analysis.pages.finance.county import (
    ecc_gap_sentence, ecc_gap_chart, wecb_sentence, ecc_budget_chart, ecc_budget_sentence, mtrs_sentence,
    mtrs_chart, ccg_budgets_sentence, fig10_sentence, ccg_cumulative_gap_sentence, fig10_spend_chart,
    fig10_share_chart, fig10_change_table, bcf_system_sentence, bcf_system_chart, system_gap_facts,
)

__all__ = [
    "coverage", "allocation_sentence", "allocation_table", "allocation_chart", "qipp_chart",
    "council_spend_sentence", "council_spend_table", "council_spend_chart", "mental_health_footnote", "gap_summary",
    "gap_facts", "scenario_banner", "scenario_table", "plan_bridge_chart", "plan_qipp_sentence", "plan_check_table",
    "mtfp_sentence", "mtfp_chart", "mtfp_gap_chart", "mtfp_table", "mtfp_check_table", "plan_tornado",
    "mtfp_tornado", "month9_sentence", "month9_chart", "month9_table", "case_for_change_sentence",
    "case_for_change_table", "msk_calculator", "ophthalmology_calculator", "prescribing_calculator",
    "unplanned_care_calculator", "bcf_sentence", "bcf_table", "bcf_chart", "ecc_gap_sentence", "ecc_gap_chart",
    "wecb_sentence", "ecc_budget_chart", "ecc_budget_sentence", "mtrs_sentence", "mtrs_chart",
    "ccg_budgets_sentence", "fig10_sentence", "ccg_cumulative_gap_sentence", "fig10_spend_chart",
    "fig10_share_chart", "fig10_change_table", "bcf_system_sentence", "bcf_system_chart", "system_gap_facts",
]
