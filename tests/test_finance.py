"""Finance models: back-tests against the figures the papers print, and unit
tests on small inline inputs.

The Castle Point and Rochford 2013/14 plan and medium-term plan, the QIPP
calculators, the month 9 report, Figure 3, Figure 10 and the Better Care Fund
tables are each recomputed and compared with what the paper prints, within
the paper's rounding."""
import math
from dataclasses import fields

import pandas as pd
import pytest

from analysis.models import finance
from analysis.data import units
from tests.conftest import fact

PAPER = finance.Assumptions()


CPR = "99F"  # the CCG whose paper (002) prints a plan, a medium-term plan and a case for change
MTFP_YEARS = ("2012/13", "2013/14", "2014/15", "2015/16")  # 002 lines 1869-1906
CASE_PARTS = {  # 002 lines 1353-1357
    "growth": "002.qippcase.99f.qipp_challenge.2012-13.keeping-all-growth-in-provider-services-care-to-0pct",
    "legacy": "002.qippcase.99f.qipp_challenge.2012-13.continuing-with-the-legacy-qipp-schemes-and-prescribing",
    "acute": "002.qippcase.99f.qipp_challenge.2012-13.agreeing-acute-contractual-changes-and-risk-share",
}


def mtfp_id(line: str, year: str) -> str:
    return f"002.mtfp.99f.mtfp_line.{year.replace('/', '-')}.{finance.fact_slug(line)}"


@pytest.fixture(scope="module")
def unit_tab(book_data):
    return units.unit_table(book_data.units)


@pytest.fixture(scope="module")
def plan(book_data):
    return finance.plan_inputs(book_data.facts, CPR)


# --- assumptions ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fact_id", [
    ("headroom_pct", "002.finplan.99f.fin_plan_rate_pct.2013-14.headroom-statutory-requirement"),
    ("tariff_deflator_pct", "002.finplan.99f.fin_plan_rate_pct.2013-14.tariff-deflator"),
    ("contingency_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.local-contingency"),
    ("tariff_uplift_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.tariff-uplift"),
    ("acute_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.acute-growth"),
    ("community_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.community-growth"),
    ("mental_health_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.mental-health-growth"),
    ("prescribing_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.prescribing-growth"),
    ("chc_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.continuing-health-care-growth"),
    ("other_growth_pct", "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.other-growth"),
])
def test_default_assumptions_are_the_papers_printed_rates(book_data, name, fact_id):
    assert getattr(PAPER, name) == fact(book_data, fact_id)["value"]


def test_tariff_efficiency_default_is_the_printed_reduction(book_data):
    # Printed as a reduction, -4.0%; the assumption is the size of the cut.
    assert PAPER.tariff_efficiency_pct == -fact(book_data, "002.mtfp.99f.mtfp_rate_pct.2012-13-2015-16.tariff-reduction-acute-and-nhs-providers")["value"]


def test_defaults_deliver_all_qipp_and_shift_nothing():
    assert (PAPER.qipp_delivery, PAPER.allocation_growth_shift, PAPER.activity_growth_factor) == (1.0, 0.0, 1.0)


@pytest.mark.parametrize("bad", [{"qipp_delivery": 1.2}, {"qipp_delivery": -0.1}, {"activity_growth_factor": -1},
                                 {"acute_growth_pct": "2"}, {"headroom_pct": float("nan")}])
def test_assumptions_refuse_impossible_values(bad):
    with pytest.raises(ValueError):
        finance.Assumptions(**bad)


def test_integer_parameters_are_accepted_as_numbers():
    # The command line passes "-p qipp_delivery 1" as an int.
    assert finance.Assumptions(qipp_delivery=1, acute_growth_pct=3).acute_growth_pct == 3.0


def test_every_assumption_has_a_stated_step_and_a_model():
    names = {f.name for f in fields(finance.Assumptions)}
    assert set(finance.ASSUMPTIONS) == names
    assert all(i.step > 0 and set(i.models) <= {"plan", "mtfp"} and i.models for i in finance.ASSUMPTIONS.values())


# --- the 2013/14 plan (002 lines 1270-1297) -----------------------------------------------------

@pytest.mark.parametrize("key, fact_id, sign", [
    ("gap", "002.finplan.99f.fin_plan_line.2013-14.gap", 1),
    ("gap_non_recurrent", "002.finplan.99f.fin_plan_line.2013-14.gap-nr", 1),
    ("total_planned", "002.finplan.99f.fin_plan_line.2013-14.total-planned-expenditure", 1),
    ("notified_allocation", "002.finplan.99f.fin_plan_line.2013-14.notified-recurrent-allocation", -1),
    ("allocation_growth", "002.finplan.99f.fin_plan_line.2013-14.growth-at-2-3pct", -1),
    ("headroom", "002.finplan.99f.fin_plan_line.2013-14.2pct-headroom-statutory-requirement", 1),
    ("recurrent_expenditure", "002.finplan.99f.fin_plan_line.2013-14.recurrent-expenditure", 1),
    ("activity_growth", "002.finplan.99f.fin_plan_line.2013-14.activity-growth-subtotal", 1),
])
def test_plan_reproduces_each_printed_figure_to_the_nearest_thousand(book_data, plan, key, fact_id, sign):
    # Printed to the nearest £1k, so within £0.5k: no input rounding needed.
    assert abs(finance.plan_results(plan)[key] - sign * fact(book_data, fact_id)["value"]) <= 0.5


def test_plan_check_finds_every_printed_result_reproduced(book_data):
    check = finance.plan_check(book_data.facts, CPR)
    assert len(check) == len(finance.PLAN_RESULTS) and check["reproduces"].all()


def test_bridge_runs_from_allocation_to_the_printed_gap(book_data, plan):
    bridge = finance.plan_bridge(plan)
    steps = bridge[bridge["measure"] == "relative"]["amount"].sum()
    assert bridge.iloc[-1]["step"] == "GAP" and bridge.iloc[0]["step"] == "Recurrent allocation"
    assert steps == pytest.approx(bridge.iloc[-1]["amount"])
    assert round(steps) == fact(book_data, "002.finplan.99f.fin_plan_line.2013-14.gap")["value"]
    assert (bridge["unit"] == "£000").all()


def test_plan_growth_and_headroom_follow_their_rates(plan):
    higher = finance.plan_results(plan, finance.Assumptions(allocation_growth_shift=1.0))
    base = finance.plan_results(plan)
    # One more point of growth on £188,188k is £1,881.9k more money, and 2% headroom on it £37.6k more spending.
    assert higher["notified_allocation"] - base["notified_allocation"] == pytest.approx(1881.88)
    assert higher["gap"] - base["gap"] == pytest.approx(-1881.88 + 37.6376)


def test_plan_scaled_lines_follow_their_rates(plan):
    doubled = finance.plan_results(plan, finance.Assumptions(tariff_deflator_pct=2.6, activity_growth_factor=2.0))
    base = finance.plan_results(plan)
    assert doubled["tariff_deflator"] == pytest.approx(2 * base["tariff_deflator"])
    assert doubled["activity_growth"] == pytest.approx(2 * base["activity_growth"])


def test_case_for_change_adds_to_the_printed_challenge_and_figure2(book_data, unit_tab):
    parts = {k: fact(book_data, v)["value"] for k, v in CASE_PARTS.items()}
    total = finance.case_for_change(parts)
    assert total == fact(book_data, "000.fig2.99f.qipp_savings.2013-14")["value"]
    printed = fact(book_data, "002.qippcase.99f.qipp_challenge.2012-13.total")
    assert abs(finance.convert(total, "£000", "£m", unit_tab) - printed["value"]) <= finance.printed_tolerance(printed)


def test_qipp_programme_closes_the_plan_gap_at_two_thirds_delivery(book_data, plan):
    gap = finance.plan_results(plan)["gap"]
    qipp = finance.case_for_change({k: fact(book_data, v)["value"] for k, v in CASE_PARTS.items()})
    assert finance.after_qipp(gap, qipp, finance.break_even_delivery(gap, qipp)) == pytest.approx(0, abs=1e-6)
    assert 0.66 < finance.break_even_delivery(gap, qipp) < 0.67
    assert finance.after_qipp(gap, qipp, 0.6) > 0 > finance.after_qipp(gap, qipp, 1.0)


# --- the medium-term financial plan (002 lines 1869-1906) ----------------------------------------

@pytest.fixture(scope="module")
def mtfp(book_data, unit_tab):
    return finance.mtfp_for(book_data.facts, CPR, unit_tab, PAPER)


@pytest.mark.parametrize("year", MTFP_YEARS)
def test_mtfp_qipp_requirement_reproduces_the_printed_figure(book_data, mtfp, year):
    printed = -fact(book_data, mtfp_id("QIPP Requirement", year))["value"]
    # The printed net position (-0.0) allows ±£0.05m, carried one year on, and the
    # pressures are printed to the nearest £10k: well within £0.1m.
    assert abs(mtfp[1].loc[year, "qipp_requirement"] - printed) < 0.1


@pytest.mark.parametrize("year", MTFP_YEARS[1:])
def test_mtfp_allocation_is_regenerated_from_the_uplift_rates(book_data, mtfp, year):
    printed = -fact(book_data, mtfp_id("Opening Recurrent Allocation", year))["value"]
    growth = -fact(book_data, mtfp_id("Growth exc Management Allowance", year))["value"]
    assert abs(mtfp[1].loc[year, "opening_allocation"] - printed) < 0.1
    assert abs(mtfp[1].loc[year, "allocation_growth"] - growth) < 0.01


def test_mtfp_check_reproduces_every_printed_total(book_data, unit_tab):
    check = finance.mtfp_check(book_data.facts, CPR, unit_tab)
    assert set(check["item"]) == set(finance.MTFP_RESULT_LABELS)
    assert check["reproduces"].all(), check[~check["reproduces"]]


def test_mtfp_2013_contingency_is_the_plans_headroom(book_data, mtfp):
    pressures = finance.mtfp_pressures(mtfp[0], PAPER, mtfp[1]["opening_allocation"].to_dict())
    assert round(pressures.loc[finance.HEADROOM_LINE, "2013/14"], 2) == fact(
        book_data, mtfp_id(finance.HEADROOM_LINE, "2013/14"))["value"]


def test_mtfp_breaks_even_when_qipp_is_delivered(mtfp):
    assert mtfp[1]["net_position"].abs().max() < 1e-9


def test_mtfp_shortfall_is_carried_into_next_year(book_data, unit_tab, mtfp):
    short = finance.mtfp_for(book_data.facts, CPR, unit_tab, finance.Assumptions(qipp_delivery=0.6))[1]
    full = mtfp[1]
    assert short.loc["2013/14", "net_position"] == pytest.approx(0.4 * full.loc["2013/14", "qipp_requirement"])
    # 2014/15 must find its own requirement plus the 40% left over from 2013/14.
    assert short.loc["2014/15", "qipp_requirement"] == pytest.approx(
        full.loc["2014/15", "qipp_requirement"] + short.loc["2013/14", "net_position"])
    assert short.loc["2012/13", "net_position"] == 0  # the current year is as printed


def _tiny_mtfp():
    """A four-year plan small enough to work by hand."""
    y0, y1, y2, y3 = MTFP_YEARS
    inputs = {("rate", line): 1.0 for line in (finance.HEADROOM_LINE, *finance.SCALED_LINES)}
    inputs["years"] = MTFP_YEARS
    inputs.update({
        ("MTFP", y0): 100.0, ("Opening Recurrent Allocation", y0): 100.0, ("MTFP", y1): 100.0,
        ("uplift", y1): 10.0, ("uplift", y2): 10.0, ("uplift", y3): 0.0,
        ("Commitments b/f", y0): 100.0, ("Commitments b/f", y1): 100.0,
        ("Acute Growth", y1): 5.0, ("Acute Growth", y2): 5.0, ("Acute Growth", y3): 5.0,
        ("plan", "notified allocation"): 0.0,
    })
    return inputs


def test_mtfp_model_by_hand():
    a = finance.Assumptions(headroom_pct=0.0, acute_growth_pct=1.0, qipp_delivery=0.5)
    model = finance.mtfp_model(_tiny_mtfp(), a)
    # Allocation 100 -> 110 -> 121 -> 121; commitments 100 + 5 a year.
    assert list(model["opening_allocation"].round(6)) == [100.0, 110.0, 121.0, 121.0]
    # 2013/14: 105 against 110, no QIPP needed; 2014/15: 110 b/f + 5 = 115 against 121; 2015/16: 120 against 121.
    assert list(model["qipp_requirement"]) == [0.0, 0.0, 0.0, 0.0]
    squeezed = finance.mtfp_model(_tiny_mtfp(), finance.Assumptions(headroom_pct=0.0, acute_growth_pct=3.0, qipp_delivery=0.5))
    # Acute growth tripled to 15 a year: 2013/14 needs 115 - 110 = 5, half delivered, so 2.5 short and carried.
    assert squeezed.loc["2013/14", "qipp_requirement"] == pytest.approx(5.0)
    assert squeezed.loc["2013/14", "net_position"] == pytest.approx(2.5)
    # 2014/15: b/f 112.5 + 15 = 127.5 against 121: needs 6.5.
    assert squeezed.loc["2014/15", "qipp_requirement"] == pytest.approx(6.5)


def test_sensitivity_moves_each_assumption_by_its_step_and_sorts_by_effect():
    metric = lambda a: 10 * a.acute_growth_pct + a.headroom_pct  # noqa: E731
    out = finance.sensitivity(metric, PAPER, ["headroom_pct", "acute_growth_pct"])
    expected = pd.DataFrame({"name": ["acute_growth_pct", "headroom_pct"], "change_low": [-10.0, -0.5],
                             "change_high": [10.0, 0.5]})
    pd.testing.assert_frame_equal(out[["name", "change_low", "change_high"]], expected)


def test_qipp_delivery_step_stays_a_share():
    assert finance.moved(finance.Assumptions(qipp_delivery=0.05), "qipp_delivery", -1).qipp_delivery == 0.0
    assert finance.moved(PAPER, "qipp_delivery", 1).qipp_delivery == 1.0


def test_rounding_band_adds_the_worst_move_of_each_input():
    model = lambda x: pd.Series({"p": x["a"] * x["b"]})  # noqa: E731
    band = finance.rounding_band(model, {"a": 10.0, "b": 2.0}, {"a": 0.5, "b": 0.1})
    assert float(band["p"]) == pytest.approx(0.5 * 2 + 10 * 0.1)


# --- month 9 2012/13 (002 lines 1301-1333) -----------------------------------------------------------

def test_month9_variances_and_totals_reproduce(book_data):
    rec = finance.month9_recomputed(finance.month9_frame(book_data.facts, CPR))
    assert len(rec) > 40 and rec["reproduces"].all(), rec[~rec["reproduces"]]


def test_month9_blocks_add_to_the_printed_overspend(book_data):
    blocks = finance.month9_blocks(finance.month9_frame(book_data.facts, CPR))
    assert len(blocks) == 6
    assert blocks["forecast_outturn_variance"].sum() == fact(
        book_data, "002.m9.99f.forecast_outturn_variance.2012-13.total-ccg-south-east-essex-pct")["value"]


def test_variance_sign_is_overspend_positive():
    assert finance.variance(110, 100) == 10 and finance.variance(90, 100) == -10


# --- QIPP calculators (002 lines 1397-1568) ---------------------------------------------------------

@pytest.mark.parametrize("pct", [5, 7, 10])
def test_msk_calculator_reproduces_every_printed_figure(book_data, pct):
    pre = "002.msk.loc-99f-rayleigh-rochford."
    budget, base = fact(book_data, pre + "msk_programme_budget.2012-13"), fact(book_data, pre + "msk_savings_profile.2012-04.5pct-efficiency")
    inputs = {"budget": budget["value"], "base": base["value"]}
    band = finance.rounding_band(lambda x: finance.msk_savings(x, pct), inputs, {"budget": 0.5, "base": 0.5})
    model = finance.msk_savings(inputs, pct)
    for what, fid in {"12 months": f"msk_efficiency_saving.2012-13.{pct}pct-efficiency-12-months",
                      "6 months": f"msk_efficiency_saving.2012-13.{pct}pct-efficiency-6-months",
                      "per calendar month": f"msk_efficiency_saving.2012-13.{pct}pct-efficiency-per-calendar-month",
                      "October in the profile": f"msk_savings_profile.2012-10.{pct}pct-efficiency",
                      "profile total": f"msk_savings_profile.2012-13.{pct}pct-efficiency"}.items():
        printed = fact(book_data, pre + fid)
        assert finance.reproduces(model[what], printed["value"], finance.printed_tolerance(printed) + band[what]), what


def test_msk_profile_starts_in_october():
    profile = finance.monthly_profile(1, 10)
    assert profile == [1] * 6 + [11] * 6


def test_ophthalmology_triage_reproduces_the_printed_savings(book_data):
    pre = "002.ophth.99f."
    keys = ("gp-and-other-referred-first-outpatient-attendances", "gp-and-other-referred-follow-ups")
    savings = [finance.triage_saving(fact(book_data, f"{pre}ophthalmology_triage_current_spend.2012-13.{k}")["value"],
                                     fact(book_data, f"{pre}ophthalmology_triage_saving_pct.2013-14.{k}")["value"]) for k in keys]
    assert savings == [fact(book_data, f"{pre}ophthalmology_triage_saving.2013-14.{k}")["value"] for k in keys]
    assert sum(savings) == pytest.approx(fact(book_data, f"{pre}ophthalmology_triage_saving.2013-14.total")["value"])


def test_prescribing_benchmark_gives_the_scale_the_paper_calls_over_ambitious(book_data):
    cur = fact(book_data, "002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.average")["value"]
    low = fact(book_data, "002.presc.loc-99f-rayleigh-rochford.prescribing_cost_per_astro_pu.2012-13.practice-range-min")["value"]
    target = fact(book_data, "002.presc.99f.qipp_savings_target.2013-14.prescribing-max")["value"]
    spend = fact(book_data, "002.m9.99f.forecast_outturn.2012-13.medicines-management-gp-prescribing")["value"]
    # Matching the lowest practice would save about a fifth, several times the £750-850k target.
    assert 20 < finance.benchmark_saving_pct(cur, low) < 21
    assert spend * finance.benchmark_saving_pct(cur, low) / 100 > 5 * target


def test_unplanned_care_target_reproduces_but_the_opportunity_does_not(book_data, unit_tab):
    pre = "002.unpl.99f."
    f = {k: fact(book_data, pre + v) for k, v in {
        "spend": "unplanned_care_spend.2012-13", "opportunity_pct": "unplanned_care_benchmark_opportunity_pct.2012-13",
        "target_pct": "unplanned_care_saving_target_pct_budget.2013-14",
        "opportunity": "unplanned_care_benchmark_opportunity.2012-13", "target": "qipp_savings_target.2013-14.unplanned-care"}.items()}
    inputs = {k: (finance.convert(r["value"], r["unit"], "£m", unit_tab) if r["unit"] != "%" else r["value"]) for k, r in f.items()}
    tols = {k: (finance.convert(finance.printed_tolerance(r), r["unit"], "£m", unit_tab) if r["unit"] != "%"
                else finance.printed_tolerance(r)) for k, r in f.items()}
    model, band = finance.unplanned_care(inputs), finance.rounding_band(finance.unplanned_care, inputs, tols)
    assert finance.reproduces(model["target"], inputs["target"], tols["target"] + band["target"])
    assert not finance.reproduces(model["opportunity"], inputs["opportunity"], tols["opportunity"] + band["opportunity"])
    # The printed 10.3% is of a cost base some £2.6m below the printed £28.8m.
    assert inputs["spend"] - finance.implied_base(inputs["opportunity"], inputs["opportunity_pct"]) > 2


# --- Figure 3: council spending by CCG area ----------------------------------------------------------

def test_figure3_rows_are_the_five_essex_ccgs(book_data):
    fig3 = finance.figure3_frame(book_data.facts)
    assert list(fig3.index) == ["06T", "06Q", "07H", "99F", "99E"] and fig3.notna().all().all()


def test_council_spend_per_head_for_the_five_areas(book_data):
    fig3 = finance.figure3_frame(book_data.facts)
    pop = finance.figure2_frame(book_data.facts)["population_ons_projection"]
    ph = finance.council_spend_per_head(fig3, pop)
    # Five areas: 496,122 + 49,856 + 48,874 (£000, Figure 3 less countywide) over 1,396,988 residents.
    assert round(ph.loc["ESSEX-CCGS", "Total"]) == 426
    assert ph.loc["06T", "Total"] == ph["Total"].max()


def test_council_spend_per_head_unit_case():
    fig3 = pd.DataFrame({"Adult Social Care": [10.0, 20.0], "Schools, Children & Families": [1.0, 1.0],
                         "Public Health": [1.0, 3.0]}, index=["A", "B"])
    out = finance.council_spend_per_head(fig3, pd.Series({"A": 100, "B": 400, "ESSEX-CCGS": 500}))
    expected = pd.DataFrame({"Adult Social Care": [100.0, 50.0, 60.0], "Schools, Children & Families": [10.0, 2.5, 4.0],
                             "Public Health": [10.0, 7.5, 8.0], "Total": [120.0, 60.0, 72.0]}, index=["A", "B", "ESSEX-CCGS"])
    pd.testing.assert_frame_equal(out, expected)


# --- Figure 10: planned CCG spending ------------------------------------------------------------------

def test_figure10_percent_change_column_reproduces(book_data):
    wide = finance.figure10_frame(book_data.facts)
    printed = finance.figure10_printed_change(book_data.facts)
    change = finance.change_over_period(wide)
    for cat, value in printed.items():
        if math.isnan(value):
            assert cat == "Contingency" and math.isnan(change[cat])
        else:
            assert round(change[cat], 2) == value, cat


def test_figure10_categories_add_to_the_total_and_shares_to_100(book_data):
    wide = finance.figure10_frame(book_data.facts)
    # Rows printed to the nearest £1k: 2015/16's add to £1k less than its printed total.
    assert (wide.drop(index=finance.FIG10_TOTAL).sum() - wide.loc[finance.FIG10_TOTAL]).abs().max() == 1
    assert ((finance.shares(wide).sum() - 100).abs() < 0.001).all()


def test_shift_from_acute_to_community_and_primary_care(book_data):
    sh = finance.shares(finance.figure10_frame(book_data.facts))
    first, last = sh.columns[0], sh.columns[-1]
    assert sh.loc["Acute", last] < sh.loc["Acute", first]
    assert sh.loc["Community", last] > sh.loc["Community", first] and sh.loc["Primary Care", last] > sh.loc["Primary Care", first]


def test_year_on_year_unit_case():
    wide = pd.DataFrame({"2013/14": [100.0, -5.0], "2014/15": [110.0, 5.0], "2015/16": [99.0, 10.0]}, index=["a", "b"])
    expected = pd.DataFrame({"2013/14": [math.nan, math.nan], "2014/15": [10.0, math.nan], "2015/16": [-10.0, 100.0]},
                            index=["a", "b"])
    pd.testing.assert_frame_equal(finance.year_on_year(wide), expected)


def test_year_on_year_steps_of_the_ecc_gap_profile(book_data):
    prof = [fact(book_data, f"000.ecc-gap-profile.e10000012.ecc_funding_gap.{y}.profile")["value"]
            for y in ("2013-14", "2014-15", "2015-16", "2016-17")]
    steps = finance.year_on_year_steps(prof)
    assert sum(steps) == prof[-1] and steps[1] == 72


# --- Basildon and Brentwood Better Care Fund tables (003 Tables 1-2) ----------------------------------

@pytest.fixture(scope="module")
def bcf(book_data, unit_tab):
    return finance.bcf_frame(book_data.facts, "99E", unit_tab)


def test_bcf_blank_cells_are_missing_not_zero(bcf):
    blank = bcf[bcf["service"] == "Care Bill"]
    assert blank[["min", "max"]].isna().all().all()
    assert (bcf[["min", "max"]] != 0).all().all()


def test_bcf_units_are_converted_to_millions(bcf):
    row = bcf[(bcf["year"] == "2015/16") & (bcf["service"] == "Discharge support")].iloc[0]
    assert row["max"] == pytest.approx(0.507) and row["max_printed"] == "£507K"


def test_bcf_2015_minimum_total_reproduces_and_maximum_differs(book_data, bcf):
    totals = finance.bcf_totals(bcf)
    t_min = fact(book_data, "003.table2.99e.bcf_investment.2015-16.totals.min")["value"]
    t_max = fact(book_data, "003.table2.99e.bcf_investment.2015-16.totals.max")["value"]
    assert totals.loc["2015/16", "min"] == pytest.approx(t_min)
    assert t_max - totals.loc["2015/16", "max"] == pytest.approx(0.080)


def test_bcf_totals_unit_case():
    frame = pd.DataFrame({"year": ["y1", "y1", "y2"], "service": ["a", "b", "a"], "min": [1.0, math.nan, 2.0],
                          "max": [2.0, 3.0, math.nan]})
    expected = pd.DataFrame({"min": [1.0, 2.0], "max": [5.0, 0.0], "min_cells": [1, 1], "max_cells": [2, 0]},
                            index=pd.Index(["y1", "y2"], name="year"))
    pd.testing.assert_frame_equal(finance.bcf_totals(frame), expected)
