"""What the outcome models of a CCG's outcomes page read, as contracts
(analysis.models.contracts): yearly trajectories, stated targets, scorecard marks
against standards, targets beside current performance, activity growth and
admissions by provider.

The sections show whatever an area holds, so every input is optional and each
contract needs one input of its ``one_of`` group (or, for admissions by provider,
the total and the providers' rows). Periods are as each figure is printed: the
papers' scorecards, targets and trajectories are for different months and years.
"""
from __future__ import annotations

from analysis.models.contracts import BELOW, Contract, Input, Role

PRINTED = "printed"


def _opt(key: str, measure: str, unit: str, breakdown: str = "", period: str = PRINTED, area: str = "",
         example: str = "") -> Input:
    """An optional input; a breakdown with an ``example`` is a pattern."""
    return Input(key, measure, breakdown, period, unit, required=False, pattern=bool(example), example=example, area=area)


# --- trajectories ------------------------------------------------------------------------------

# The seven outcome ambitions of the 2014-19 plans, and the rates their narrative states.
AMBITIONS = {
    "pyll_amenable_per_100k": "per 100,000", "hrqol_ltc": "%", "emergency_admissions_avoidable_per_100k": "per 100,000",
    "patient_experience_gp_poor": "per 100", "patient_experience_hospital_poor": "per 100,000",
    "older_people_independent_after_discharge": "%", "avoidable_deaths_hospital": "count",
}
STATED_RATES = {"pyll_amenable_annual_reduction_rate": "%", "hrqol_ltc_annual_improvement": "%",
                "emergency_admissions_avoidable_reduction_target": "%"}


def _ambition(measure: str, unit: str) -> tuple[Input, ...]:
    return (_opt(f"{measure} baseline", measure, unit, "baseline", "baseline"),
            _opt(f"{measure} yearly", measure, unit, "", "years"),
            _opt(f"{measure} baseline narrative", measure, unit, "baseline narrative", "baseline"),
            _opt(f"{measure} target narrative", measure, unit, "target narrative", "target"))


TRAJECTORIES = Contract(
    id="trajectories", title="Yearly trajectories rebuilt from their stated rules", page="ccg-outcomes",
    section="trajectories",
    inputs=(*(i for m, u in AMBITIONS.items() for i in _ambition(m, u)),
            *(_opt(m, m, u, "", "span") for m, u in STATED_RATES.items())),
    roles={"baseline": Role("", example=("2012", "2012/13")),
           "years": Role("", pick="all", example=("2014/15", "2015/16", "2016/17", "2017/18", "2018/19")),
           "target": Role("", example=("2018", "2018/19")),
           "span": Role("", example=("2014/15-2018/19",))},
    one_of=(tuple(f"{m} yearly" for m in AMBITIONS),),
    noun="a baseline and yearly values of an outcome ambition",
    definition="Each outcome ambition's printed path (a baseline, then a value a year) beside the path its stated rule "
               "gives, value by value within the printed rounding, with the narrative's baseline, target and rate. "
               "The rule behind each path (compound, linear, a total change, or none stated) is a row of "
               "data/trajectory_rules.csv naming the baseline and the path's breakdown; without one a path is listed "
               "but not rebuilt.",
)

# --- stated targets ----------------------------------------------------------------------------

STATED_TARGETS = Contract(
    id="stated_targets", title="Stated targets and aims", page="ccg-outcomes", section="targets",
    inputs=(
        _opt("emergency_admissions", "emergency_admissions_reduction_target", "%"),
        _opt("unplanned_hospital_use", "unplanned_hospital_use_reduction_target", "%"),
        _opt("iapt_access", "iapt_access_target", "%"),
        _opt("delays_by_project", "target_reduction_delays_pct", "%", ".+", example="Dedicated SPT worker"),
        _opt("admissions_by_project", "target_reduction_hospital_admissions_pct", "%", ".+",
             example="Single Point of referral"),
        _opt("referrals", "referral_reduction_target_pct", "%", "min|max|", example="min"),
        _opt("ld_health_checks", "ld_health_check_target_pct", "%", ".*", example="DES register"),
        _opt("spor_assessment", "spor_assessment_target_hours", "hours"),
    ),
    roles={PRINTED: Role("", pick="all", example=("2012/13", "2013/14", "2014/15", "2018", "2019"))},
    one_of=(("emergency_admissions", "unplanned_hospital_use", "iapt_access", "delays_by_project",
             "admissions_by_project", "referrals", "ld_health_checks", "spor_assessment"),),
    noun="a stated outcome target",
    definition="The targets and aims the papers state outside the trajectories, each with the year it is set for, and "
               "the same reduction stated for two different years pointed out.",
)

# --- performance against standards --------------------------------------------------------------

# The scorecards' rows: the commissioner's (Table 5 of the 2013-14 plan) and its providers'.
_PCT = ("ambulance_red1_8min_pct", "ambulance_red2_8min_pct", "ambulance_cat_a_19min_pct",
        "cancer_31day_first_treatment_pct", "cancer_31day_subsequent_surgery_pct", "cancer_31day_subsequent_drug_pct",
        "cancer_31day_subsequent_radiotherapy_pct", "cancer_62day_standard_pct", "cancer_62day_screening_pct",
        "cancer_62day_upgrade_pct", "cancer_2week_wait_pct", "cancer_breast_symptom_2week_wait_pct",
        "mh_cpa_7day_followup_pct", "iapt_entering_treatment_pct_of_need", "iapt_recovery_pct", "rtt_admitted_18wk_pct",
        "rtt_non_admitted_18wk_pct", "rtt_incomplete_18wk_pct", "diagnostics_6wk_plus_pct", "ae_4hr_pct",
        "health_checks_offered_pct", "mh_crisis_resolution_gatekept_pct", "vte_risk_assessment_pct")
SCORECARD_UNITS = {**{m: "%" for m in _PCT}, "patient_experience_score": "score",
                   **{m: "count" for m in ("mh_early_intervention_psychosis_new_cases",
                                           "mh_crisis_resolution_home_treatment_episodes", "mixed_sex_accommodation_breaches",
                                           "mrsa_cases", "cdiff_cases", "smoking_quitters")}}
COMMISSIONER_ROWS = tuple(m for m in SCORECARD_UNITS if m not in ("mh_crisis_resolution_gatekept_pct", "vte_risk_assessment_pct"))
PROVIDER_ROWS = tuple(m for m in SCORECARD_UNITS if not m.startswith(("ambulance_", "iapt_", "health_checks_"))
                      and m not in ("mh_crisis_resolution_home_treatment_episodes", "smoking_quitters"))
# Rows judged "vs Plan" print the plan beneath the value.
PLANNED_ROWS = ("cdiff_cases", "mrsa_cases", "smoking_quitters", "mh_early_intervention_psychosis_new_cases")


def _scorecard(area: str, rows: tuple[str, ...], who: str) -> tuple[Input, ...]:
    values = tuple(_opt(f"{who} {m}", m, SCORECARD_UNITS[m], area=area) for m in rows)
    plans = tuple(_opt(f"{who} {m} plan", m, SCORECARD_UNITS[m], "plan", area=area) for m in rows if m in PLANNED_ROWS)
    return values + plans


SCORECARDS = Contract(
    id="scorecards", title="Scorecard marks recomputed against their standards", page="ccg-outcomes", section="standards",
    inputs=(*_scorecard("", COMMISSIONER_ROWS, "commissioner"), *_scorecard(BELOW, PROVIDER_ROWS, "provider")),
    roles={PRINTED: Role("", pick="all", example=("2011/12", "2012-06", "2012-07", "2012-09"))},
    one_of=(tuple(f"commissioner {m}" for m in COMMISSIONER_ROWS) + tuple(f"provider {m}" for m in PROVIDER_ROWS),),
    noun="a performance scorecard",
    definition="Each row of the commissioner's scorecard (the CCG's) and its providers' (areas below the CCG), with "
               "the standard and the paper's tick or cross recorded in the figure's note (\"standard: 95%; mark: ✓\"): "
               "the mark recomputed from the value and its standard (\"vs Plan\" against the plan row printed beneath "
               "it, in the measure's better direction) and set beside the paper's.",
)

PROGRESS_UNITS = {"nhs_health_checks_offered": "count", "nhs_health_checks_received": "count", "ld_health_checks": "count",
                  "choose_and_book_usage_pct": "%", "mmr_age2_coverage_pct": "%", "mmr_age5_coverage_pct": "%",
                  "cervical_screening_coverage_pct": "%", "flu_vaccination_65_plus_pct": "%",
                  "flu_vaccination_at_risk_pct": "%", "avoidable_pressure_ulcers": "count"}
TARGET_PROGRESS = Contract(
    id="target_progress", title="Targets beside current performance", page="ccg-outcomes", section="standards",
    inputs=tuple(i for m, u in PROGRESS_UNITS.items()
                 for i in (_opt(f"{m} target", m, u, "target"), _opt(f"{m} current", m, u))),
    roles={PRINTED: Role("", pick="all", example=("2012/13",))},
    one_of=(tuple(f"{m} target" for m in PROGRESS_UNITS),),
    noun="a target printed beside current performance",
    definition="Targets printed beside the current figure of the same measure and period (breakdowns \"target\" and "
               "none), each judged met or not in the measure's better direction, with the current figure as a share "
               "of a count target.",
)

# --- activity ----------------------------------------------------------------------------------

PROJECTED = "projected if current use continues"
ACTIVITY_GROWTH = Contract(
    id="activity_growth", title="Activity projected if current use continues", page="ccg-outcomes", section="activity",
    inputs=(
        *(i for m in ("hospital_admissions", "ae_attendances")
          for i in (_opt(f"{m} current", m, "count", "current"), _opt(f"{m} projected", m, "count", PROJECTED))),
        _opt("hospital_admissions_growth", "hospital_admissions_growth", "%", PROJECTED),
        _opt("population_growth", "population_projected_growth", "%"),
        _opt("population_75_plus_growth", "population_75_plus_growth", "%"),
        _opt("national_population_growth", "population_projected_growth", "%", area="NATIONAL"),
    ),
    roles={PRINTED: Role("", pick="all", example=("2014", "2024", "2014-2024"))},
    one_of=(("hospital_admissions projected", "ae_attendances projected"),),
    noun="activity now and projected if current use continues",
    definition="Activity now and as projected if people go on using services as they do, its growth computed from the "
               "two and set beside the printed growth and the population growth (all ages and 75+) the same paper "
               "prints for the period.",
)

_PROVIDER = r"(?!Total$|main provider$).+"
ADMISSIONS_BY_PROVIDER = Contract(
    id="admissions_by_provider", title="Inpatient admissions by provider", page="ccg-outcomes", section="activity",
    inputs=(
        Input("total", "admissions_inpatient", "Total", "year", "count"),
        Input("by_provider", "admissions_inpatient", _PROVIDER, "year", "count", pattern=True,
              example="Southend Univ Hospital NHS FT"),
        _opt("elective", "admissions_inpatient_elective", "count", _PROVIDER, "year",
             example="Southend Univ Hospital NHS FT"),
        _opt("share_of_ccg", "pct_ccg_admissions_by_provider", "%", _PROVIDER, "year",
             example="Southend Univ Hospital NHS FT"),
        _opt("share_of_provider", "pct_provider_admissions_from_ccg", "%", _PROVIDER, "year",
             example="Southend Univ Hospital NHS FT"),
    ),
    roles={"year": Role("admissions_inpatient", "Total", example=("2010/11",))},
    noun="the CCG's inpatient admissions by provider and in total",
    definition="The CCG's patients' inpatient admissions at each provider (breakdown: the provider as printed, "
               "\"Other\" for the rest), with the total they share: each provider's share of the total recomputed and "
               "set beside the printed shares.",
)

OUTCOMES_CONTRACTS = (TRAJECTORIES, STATED_TARGETS, SCORECARDS, TARGET_PROGRESS, ACTIVITY_GROWTH, ADMISSIONS_BY_PROVIDER)
