"""Finance models: allocation per head, QIPP shares, bridges and plans.

Amounts carry their unit; conversion goes through analysis.units. The
submodules, each importing only those listed before it:

- ``core``: fact lookup, printing tolerances, rounding bands, percentages, conversion
- ``assumptions``: the scenario (``Assumptions``), what each assumption is, sensitivity
- ``plan``: the year's financial plan
- ``mtfp``: the medium-term financial plan
- ``verify``: the area's own assumptions (the rates its plans print), and both plans checked against what they print
- ``month9``: the month 9 2012/13 report
- ``schemes``: the case for change and the QIPP scheme calculators
- ``frames``: 000 Figures 2 and 3, 001 Figure 10 and the Better Care Fund tables
"""
from analysis.models.finance.core import (
    convert, fact_row, fact_slug, fact_value, percent_of, printed_tolerance, reproduces, rounding_band,
    year_on_year_steps,
)
from analysis.models.finance.assumptions import ASSUMPTIONS, AssumptionInfo, Assumptions, moved, sensitivity
from analysis.models.finance.plan import (
    PLAN, PLAN_INPUTS, PLAN_NEGATIVE, PLAN_RESULT_LABELS, PLAN_RESULTS, PLAN_UNIT, after_qipp, break_even_delivery,
    plan_bridge, plan_input_tolerances, plan_inputs, plan_printed, plan_results, plan_value, plan_year,
)
from analysis.models.finance.mtfp import (
    ALLOCATION_LINES, FIXED_LINES, HEADROOM_LINE, MTFP, MTFP_RESULT_LABELS,
    MTFP_RESULT_LINES, MTFP_UNIT, PRESSURE_LINES, SCALED_LINES, cumulative_requirement,
    mtfp_years, mtfp_for, mtfp_input_tolerances, mtfp_inputs, mtfp_model, mtfp_outputs, mtfp_pressures,
    mtfp_printed,
)
from analysis.models.finance.verify import PRINTED_RATES, mtfp_check, plan_check, printed_assumptions, printed_rate_row
from analysis.models.finance.month9 import M9_MEASURES, MONTH9, month9_blocks, month9_total, month9_frame, month9_recomputed, variance
from analysis.models.finance.schemes import (
    CASE_FOR_CHANGE, CASE_COMPONENTS, benchmark_saving_pct, case_for_change, efficiency_saving, implied_base,
    monthly_profile, msk_savings, part_year, triage_saving, unplanned_care,
)
from analysis.models.finance.frames import (
    ALLOCATION_COMPARISON, COUNCIL_SPEND_MEASURE, council_areas, FIG3_SERVICES, FIG10_TOTAL, FIGURE2_MEASURES,
    allocation_per_head, bcf_frame, bcf_totals, change_over_period, council_spend_per_head, figure2_frame, figure3_frame, figure10_frame,
    figure10_printed_change, pct_change, shares, year_on_year,
)

__all__ = [
    # core
    "convert", "fact_row", "fact_slug", "fact_value", "percent_of", "printed_tolerance", "reproduces",
    "rounding_band", "year_on_year_steps",
    # assumptions
    "ASSUMPTIONS", "AssumptionInfo", "Assumptions", "moved", "sensitivity",
    # plan
    "PLAN", "plan_value", "plan_year", "PLAN_INPUTS", "PLAN_NEGATIVE", "PLAN_RESULT_LABELS", "PLAN_RESULTS", "PLAN_UNIT", "after_qipp",
    "break_even_delivery", "plan_bridge", "plan_check", "plan_input_tolerances", "plan_inputs", "plan_printed",
    "plan_results",
    # mtfp
    "ALLOCATION_LINES", "FIXED_LINES", "HEADROOM_LINE", "MTFP", "mtfp_years", "printed_assumptions", "printed_rate_row", "PRINTED_RATES", "MTFP_RESULT_LABELS",
    "MTFP_RESULT_LINES", "MTFP_UNIT", "PRESSURE_LINES", "SCALED_LINES", "cumulative_requirement",
    "mtfp_check", "mtfp_for", "mtfp_input_tolerances", "mtfp_inputs", "mtfp_model", "mtfp_outputs",
    "mtfp_pressures", "mtfp_printed",
    # month9
    "M9_MEASURES", "MONTH9", "month9_total", "month9_blocks", "month9_frame", "month9_recomputed", "variance",
    # schemes
    "CASE_FOR_CHANGE", "CASE_COMPONENTS", "benchmark_saving_pct", "case_for_change", "efficiency_saving",
    "implied_base", "monthly_profile", "msk_savings", "part_year", "triage_saving", "unplanned_care",
    # frames
    "ALLOCATION_COMPARISON", "COUNCIL_SPEND_MEASURE", "council_areas", "FIG3_SERVICES", "FIG10_TOTAL", "FIGURE2_MEASURES", "allocation_per_head", "bcf_frame", "bcf_totals",
    "change_over_period", "council_spend_per_head", "figure2_frame", "figure3_frame", "figure10_frame",
    "figure10_printed_change", "pct_change", "shares", "year_on_year",
]
