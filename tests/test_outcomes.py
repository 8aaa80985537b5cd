"""The outcome models: the trajectory generator against the paths the papers
print, the path comparison at the printed rounding, and scorecard marks
against the ticks and crosses the paper prints."""
import math
import re

import pandas as pd
import pytest

from analysis import data
from analysis.data.trajectories import path_values
from analysis.models import outcomes
from conftest import fact

WE = "001.we-ambitions.07h"
YEARS = ["2014-15", "2015-16", "2016-17", "2017-18", "2018-19"]
BOOK = data.load()
RULES = path_values(BOOK.trajectory_rules, BOOK.trajectory_causes, BOOK.facts).set_index("stated")


def path(book_data, measure):
    return [fact(book_data, f"{WE}.{measure}.{y}") for y in YEARS]


def offsets(book_data, measure):
    return [RULES.loc[f["fact_id"], "years"] for f in path(book_data, measure)]


# --- the generator, back-tested on the West Essex paths that follow their rule -------------

def test_compound_rule_reproduces_domain1_to_2017_18_and_not_2018_19(book_data):
    base = fact(book_data, f"{WE}.pyll_amenable_per_100k.2012.baseline")["value"]
    rate = -fact(book_data, f"{WE}.pyll_amenable_annual_reduction_rate.2014-15-2018-19")["value"] / 100
    printed = [f["value"] for f in path(book_data, "pyll_amenable_per_100k")]
    got = outcomes.trajectory(base, offsets(book_data, "pyll_amenable_per_100k"), "compound", rate=rate)
    assert [round(v) for v in got[:4]] == printed[:4]
    # The printed 2018/19 value is one more year of the fall than the rule counts.
    assert round(got[4]) == 1567 != printed[4]
    assert round(outcomes.trajectory(base, [7], "compound", rate=rate)[0]) == printed[4]


def test_compound_rule_from_the_narrative_baseline_gives_the_narrative_target(book_data):
    base = fact(book_data, f"{WE}.pyll_amenable_per_100k.2012.baseline-narrative")["value"]
    target = fact(book_data, f"{WE}.pyll_amenable_per_100k.2018.target-narrative")["value"]
    assert round(outcomes.trajectory(base, [6], "compound", rate=-0.032)[0]) == target


def test_linear_step_reproduces_domain2(book_data):
    base = fact(book_data, f"{WE}.hrqol_ltc.2012-13.baseline")["value"]
    step = fact(book_data, f"{WE}.hrqol_ltc_annual_improvement.2014-15-2018-19")["value"]
    got = outcomes.trajectory(base, offsets(book_data, "hrqol_ltc"), "linear", step=step)
    assert [round(v) for v in got] == [f["value"] for f in path(book_data, "hrqol_ltc")]
    assert round(got[-1]) == fact(book_data, f"{WE}.hrqol_ltc.2018-19.target-narrative")["value"]


def test_straight_line_to_the_stated_target_reproduces_domain4_hospital(book_data):
    base = fact(book_data, f"{WE}.patient_experience_hospital_poor.2012.baseline")["value"]
    target = fact(book_data, f"{WE}.patient_experience_hospital_poor.2018.target-narrative")["value"]
    years = offsets(book_data, "patient_experience_hospital_poor")
    got = outcomes.trajectory(base, years, "linear", target=target, horizon=max(years))
    printed = [f["value"] for f in path(book_data, "patient_experience_hospital_poor")]
    # Printed to one decimal: each within half a unit of it.
    assert all(abs(g - p) <= 0.05 + 1e-9 for g, p in zip(got, printed))
    # The same path as the step the checks record.
    by_step = outcomes.trajectory(base, years, "linear", step=RULES.loc[path(book_data, "patient_experience_hospital_poor")[0]["fact_id"], "step"])
    assert got == pytest.approx(by_step)


def test_stated_total_change_misses_the_printed_end_point_by_more_than_its_rounding(book_data):
    base = fact(book_data, f"{WE}.emergency_admissions_avoidable_per_100k.2012-13.baseline")["value"]
    cut = fact(book_data, f"{WE}.emergency_admissions_avoidable_reduction_target.2014-15-2018-19")["value"]
    end = fact(book_data, f"{WE}.emergency_admissions_avoidable_per_100k.2018-19")["value"]
    target = outcomes.value_after_change(base, -cut / 100)
    assert abs(end - target) > 0.5
    assert round(outcomes.growth_pct(base, end)) == -cut


def test_years_of_change_explains_the_domain1_departure():
    assert round(outcomes.years_of_change(1905, 1517, -0.032), 1) == 7.0


def test_compound_to_target_reaches_it_at_the_horizon():
    got = outcomes.trajectory(200, [0, 1, 2], "compound", target=50, horizon=2)
    assert got == pytest.approx([200, 100, 50])


def test_front_and_back_loaded_reach_the_target_and_bunch_the_change():
    front = outcomes.trajectory(100, [1, 2, 3, 4], "front_loaded", target=60, horizon=4)
    back = outcomes.trajectory(100, [1, 2, 3, 4], "back_loaded", target=60, horizon=4)
    assert front[-1] == back[-1] == 60
    assert front == pytest.approx([82.5, 70, 62.5, 60])
    assert back == pytest.approx([97.5, 90, 77.5, 60])


def test_explicit_profile_returns_the_values_given():
    assert outcomes.trajectory(1669, [1, 2], "explicit", values=[1208, 808]) == [1208.0, 808.0]


@pytest.mark.parametrize("kwargs", [
    dict(profile="quadratic", rate=0.1),
    dict(profile="linear"),
    dict(profile="back_loaded", target=1.0),
    dict(profile="explicit", values=[1.0]),
    dict(profile="front_loaded", target=1.0, horizon=1),
])
def test_trajectory_refuses_incomplete_or_unknown_rules(kwargs):
    profile = kwargs.pop("profile")
    with pytest.raises(ValueError):
        outcomes.trajectory(10.0, [1, 2], profile, **kwargs)


def test_rule_value_by_kind():
    assert outcomes.rule_value(100, "compound", 2, rate=-0.1) == pytest.approx(81)
    assert outcomes.rule_value(100, "linear", 2, step=-3) == 94
    assert outcomes.rule_value(100, "total_change", 5, rate=-0.5) == pytest.approx(50)
    assert math.isnan(outcomes.rule_value(100, "unstated", 1))


def test_path_profile():
    assert outcomes.path_profile([10, 5, 4, 3.5, 3]) == "front_loaded"
    assert outcomes.path_profile([10, 9.8, 9.5, 8, 3]) == "back_loaded"
    assert outcomes.path_profile([10, 8, 6, 4, 2]) == "even"
    assert outcomes.yearly_changes([1, 3, 6]) == [2, 3]


def test_every_west_essex_rule_rate_is_the_narrative_figure(book_data):
    rates = {
        "pyll_amenable_per_100k": -fact(book_data, f"{WE}.pyll_amenable_annual_reduction_rate.2014-15-2018-19")["value"] / 100,
        "emergency_admissions_avoidable_per_100k": -fact(book_data, f"{WE}.emergency_admissions_avoidable_reduction_target.2014-15-2018-19")["value"] / 100,
    }
    for measure, rate in rates.items():
        stated = [f["fact_id"] for f in path(book_data, measure)]
        used = RULES.loc[RULES.index.intersection(stated), "rate"].dropna()
        assert not used.empty
        assert list(used) == pytest.approx([rate] * len(used))


# --- comparing paths ---------------------------------------------------------------------------

def test_compare_paths_flags_beyond_half_a_printed_unit():
    published = pd.Series(["10", "6.0", "", "7"], index=["a", "b", "c", "d"], dtype=str)
    generated = pd.Series({"a": 10.4, "b": 6.06, "c": 5.0})
    expected = pd.DataFrame({
        "published": [10.0, 6.0, math.nan, 7.0],
        "generated": [10.4, 6.06, 5.0, math.nan],
        "difference": [10 - 10.4, 6.0 - 6.06, math.nan, math.nan],
        "tolerance": [0.5, 0.05, math.nan, 0.5],
        "beyond": [False, True, False, False],
    }, index=["a", "b", "c", "d"])
    pd.testing.assert_frame_equal(outcomes.compare_paths(published, generated), expected)


def test_compare_paths_counts_exactly_half_a_unit_as_within():
    out = outcomes.compare_paths(pd.Series(["150.7"], index=["x"], dtype=str), pd.Series({"x": 150.75}))
    assert not out.loc["x", "beyond"]


def test_compare_paths_on_domain1_flags_only_2018_19(book_data):
    rows = path(book_data, "pyll_amenable_per_100k")
    published = pd.Series([r["value_text"] for r in rows], index=[r["period"] for r in rows], dtype=str)
    generated = pd.Series({r["period"]: outcomes.rule_value(1905, "compound", y, rate=-0.032)
                           for r, y in zip(rows, offsets(book_data, "pyll_amenable_per_100k"))})
    out = outcomes.compare_paths(published, generated)
    assert list(out.index[out["beyond"]]) == ["2018/19"]
    assert out.loc["2018/19", "difference"] == pytest.approx(1517 - 1567.28, abs=0.01)


# --- scorecards -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, direction, threshold", [
    ("95%", ">=", 95.0), ("80% by year end", ">=", 80.0), ("<1%", "<", 1.0), ("0", "=", 0.0),
    ("vs Plan", "vs plan", None), ("No standard", "none", None), ("(blank)", "none", None), ("Plan data", "none", None),
    ("≥ 95%", ">=", 95.0), ("< 1%", "<", 1.0),
])
def test_parse_standard(text, direction, threshold):
    s = outcomes.parse_standard(text)
    assert (s.direction, s.threshold) == (direction, threshold)


@pytest.mark.parametrize("value, standard, plan, polarity, met", [
    (95.0, "95%", None, "", True), (94.9, "95%", None, "", False),
    (0.2, "<1%", None, "", True), (1.0, "<1%", None, "", False),
    (0, "0", None, "", True), (1, "0", None, "", False),
    (6, "vs Plan", 4, "lower_is_better", False), (44, "vs Plan", 57, "lower_is_better", True),
    (6246, "vs Plan", 6049, "higher_is_better", True), (2903, "vs Plan", 2904, "higher_is_better", False),
    (12, "vs Plan", None, "higher_is_better", None), (12, "vs Plan", 10, "", None),
    (83.3, "No standard", None, "", None), (None, "95%", None, "", None),
])
def test_standard_met(value, standard, plan, polarity, met):
    assert outcomes.standard_met(value, outcomes.parse_standard(standard), plan, polarity) is met


def test_marks_and_agreement():
    assert [outcomes.parse_mark(t) for t in ("✓", "✗", "(none)", "")] == [True, False, None, None]
    assert outcomes.mark_agreement(False, False) == outcomes.AGREES
    assert outcomes.mark_agreement(True, False) == outcomes.DISAGREES
    assert outcomes.mark_agreement(None, None) == outcomes.CANNOT_JUDGE
    assert outcomes.mark_agreement(None, True, has_standard=False) == outcomes.MARK_WITHOUT_STANDARD


def _scorecard_rows(book_data):
    f = book_data.facts
    marked = f[[outcomes.standard_and_mark(n) is not None for n in f["note"]]]
    plans = marked[marked["breakdown"] == "plan"].set_index(["area_code", "measure_id", "period"])
    polarity = dict(zip(book_data.measures["measure_id"], book_data.measures["polarity"]))
    for _, r in marked[marked["breakdown"] != "plan"].iterrows():
        std, mark = outcomes.standard_and_mark(r["note"])
        key = (r["area_code"], r["measure_id"], r["period"])
        plan = plans.loc[key] if key in plans.index else None
        plan_value = plan["value"] if plan is not None and plan["status"] != "not_published" else None
        value = None if r["status"] == "not_published" else r["value"]
        yield r, outcomes.standard_met(value, outcomes.parse_standard(std), plan_value, polarity[r["measure_id"]]), outcomes.parse_mark(mark)


def test_recomputed_marks_match_every_tick_and_cross_the_scorecards_print(book_data):
    compared = [(r["fact_id"], got, paper) for r, got, paper in _scorecard_rows(book_data) if got is not None and paper is not None]
    assert len(compared) == 77
    assert [c for c in compared if c[1] != c[2]] == []


def test_the_only_mark_without_a_standard_is_the_62_day_upgrade(book_data):
    odd = [r["fact_id"] for r, got, paper in _scorecard_rows(book_data)
           if paper is not None and outcomes.parse_standard(outcomes.standard_and_mark(r["note"])[0]).direction == "none"]
    assert odd == ["002.t5.pct-south-east-essex.cancer_62day_upgrade_pct.2012-07"]


def test_standard_and_mark_reads_every_scorecard_note(book_data):
    f = book_data.facts
    scorecards = f[f["table"].str.match(r"Table [56] ")]
    assert len(scorecards) == 109
    assert all(outcomes.standard_and_mark(n) is not None for n in scorecards["note"])
    assert all(re.fullmatch(r"✓|✗|\(none\)", outcomes.standard_and_mark(n)[1]) for n in scorecards["note"])
