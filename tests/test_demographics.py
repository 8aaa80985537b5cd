"""Demographic models: unit tests on small inline inputs, and back-tests
against the figures the papers print."""
import math

import numpy as np
import pandas as pd
import pytest

from analysis.models import checks
from analysis.models import demographics as dm
from conftest import fact


# --- unit tests ---------------------------------------------------------------------------

def test_cagr_of_a_doubling_over_one_year_is_100_percent():
    assert dm.cagr(50, 100, 1) == pytest.approx(100.0)


def test_cagr_and_projection_are_inverse():
    rate = dm.cagr(1000, 1331, 3)
    assert rate == pytest.approx(10.0)
    assert dm.project(1000, rate, 3) == pytest.approx(1331.0)


def test_cagr_of_a_fall_is_negative():
    assert dm.cagr(100, 81, 2) == pytest.approx(-10.0)


@pytest.mark.parametrize("start, years", [(100, 0), (100, -1), (0, 5)])
def test_cagr_refuses_impossible_inputs(start, years):
    with pytest.raises(ValueError):
        dm.cagr(start, 120, years)


def test_project_with_zero_rate_keeps_the_base():
    assert dm.project(177091, 0, 9) == 177091


def test_annualised_rate_matches_cagr_of_the_same_change():
    assert dm.annualised_rate(25, 4) == pytest.approx(dm.cagr(80, 100, 4))


def test_total_change_pct():
    assert dm.total_change_pct(200, 150) == -25.0


@pytest.mark.parametrize("period, years", [("2011-2020", 9), ("2013/14-2018/19", 5), ("2014-2039", 25), ("2030", None),
                                           ("2013/14", None), ("2011-04", None)])
def test_span_years(period, years):
    assert dm.span_years(period) == years


def test_shares_and_rates_per_head():
    assert dm.share_pct(30, 120) == 25.0
    assert dm.per_head(1500, 300) == 5.0
    assert dm.per_1000(18, 12000) == 1.5
    assert dm.count_from_rate_per_1000(1.5, 12000) == pytest.approx(18.0)


def test_share_change_in_points_and_relative():
    assert dm.share_change_points(20, 25) == 5
    assert dm.relative_change_pct(20, 25) == 25.0


def test_age_share_change_frame():
    frame = pd.DataFrame({"group": ["a", "b"], "before": [50.0, 10.0], "after": [40.0, 15.0]})
    expected = frame.assign(change_points=[-10.0, 5.0], relative_change_pct=[-20.0, 50.0])
    pd.testing.assert_frame_equal(dm.age_share_change(frame, "before", "after"), expected)


def test_housing_led_population_and_implied_occupancy():
    assert dm.housing_led_population(400, 2.25) == 900.0
    assert dm.implied_occupancy(900, 400) == 2.25


def test_housing_growth_frame_leaves_gaps_where_not_printed():
    frame = pd.DataFrame({"dwellings": [100.0, 200.0, 50.0], "occupancy": [2.0, np.nan, np.nan],
                          "residents": [210.0, 500.0, np.nan]})
    expected = frame.assign(residents_recomputed=[200.0, np.nan, np.nan], occupancy_implied=[2.1, 2.5, np.nan])
    pd.testing.assert_frame_equal(dm.housing_growth(frame), expected)


def test_list_totals_sums_by_group_in_printed_order():
    practices = pd.DataFrame({"group": ["B", "A", "B", "A", "A"], "list_size": [10.0, 1.0, 20.0, 2.0, 3.0]})
    printed = pd.DataFrame({"group": ["A", "B", "C"], "printed_total": [6.0, 31.0, 5.0]})
    expected = pd.DataFrame({"group": ["A", "B", "C"], "printed_total": [6.0, 31.0, 5.0], "practices": [3, 2, 0],
                             "recomputed_total": [6.0, 30.0, np.nan], "difference": [0.0, -1.0, np.nan]})
    pd.testing.assert_frame_equal(dm.list_totals(practices, printed), expected)


def test_workforce_gap_is_zero_at_the_england_rate_and_negative_above_it():
    assert dm.workforce_gap(0.74, 0.74, 500000) == 0
    assert dm.workforce_gap(0.5, 0.6, 100000) == pytest.approx(-10.0)


def test_workforce_gap_bounds_straddle_the_central_value():
    lo, hi = dm.workforce_gap_bounds(0.74, 0.66, 2_000_000, 0.005, 0.005)
    assert lo == pytest.approx(140.0) and hi == pytest.approx(180.0)
    assert lo < dm.workforce_gap(0.74, 0.66, 2_000_000) < hi


def test_population_implied_by_gap_inverts_the_gap():
    pop = dm.population_implied_by_gap(dm.workforce_gap(0.9, 0.7, 250000), 0.9, 0.7)
    assert pop == pytest.approx(250000)


@pytest.mark.parametrize("rank, of, quintile", [(1, 100, 1), (20, 100, 1), (21, 100, 2), (80, 100, 4), (81, 100, 5),
                                                (100, 100, 5)])
def test_rank_quintile(rank, of, quintile):
    assert dm.rank_quintile(rank, of) == quintile


def test_rank_quintile_refuses_ranks_outside_the_list():
    with pytest.raises(ValueError):
        dm.rank_quintile(0, 10)


def test_growth_table_annualises_only_spans():
    frame = pd.DataFrame({"total_change": [21.0, 29.0], "years": [2.0, np.nan]})
    out = dm.growth_table(frame)
    assert out["annual_rate"].iloc[0] == pytest.approx(10.0)
    assert math.isnan(out["annual_rate"].iloc[1])


# --- back-tests against the printed figures --------------------------------------------------------

def _within(recomputed, row, extra=0.0):
    return abs(recomputed - row["value"]) <= checks.tolerance(row["value_text"], row["status"]) + extra + 1e-9


@pytest.mark.parametrize("base, end, stated", [
    ("002.t1.99f.population_registered.2011", "002.t1.99f.population_registered_projection.2020",
     "002.t1.99f.population_avg_annual_growth.2011-2020"),
    ("002.t1.99f.population_registered_75_plus.2011", "002.t1.99f.population_registered_75_plus_projection.2020",
     "002.t1.99f.population_75_plus_avg_annual_growth.2011-2020"),
])
def test_table1_cagr_reproduces_printed_average_annual_growth(book_data, base, end, stated):
    s = fact(book_data, stated)
    rate = dm.cagr(fact(book_data, base)["value"], fact(book_data, end)["value"], 9)
    assert round(rate, 1) == s["value"]


def test_table1_75_plus_grows_faster_than_england(book_data):
    rate = dm.cagr(fact(book_data, "002.t1.99f.population_registered_75_plus.2011")["value"],
                   fact(book_data, "002.t1.99f.population_registered_75_plus_projection.2020")["value"], 9)
    assert rate > fact(book_data, "002.t1.e92000001.population_75_plus_avg_annual_growth.2011-2020")["value"]


def test_table1_share_aged_75_plus_reproduces_the_printed_9_3_percent(book_data):
    share = dm.share_pct(fact(book_data, "002.t1.99f.population_registered_75_plus.2011")["value"],
                         fact(book_data, "002.t1.99f.population_registered.2011")["value"])
    assert round(share, 1) == fact(book_data, "002.profile.99f.pct_population_75_plus.2011")["value"]


def test_ccg_share_of_the_county_council_population_reproduces_12_percent(book_data):
    share = dm.share_pct(fact(book_data, "000.fig2.99f.population_ons_projection.2013")["value"],
                         fact(book_data, "000.fig2.essex-ccgs.population_ons_projection.2013")["value"])
    assert round(share) == fact(book_data, "002.profile.99f.pct_of_la_population.2013-14")["value"]


def test_pitsea_dwellings_times_occupancy_is_circa_15000(book_data):
    residents = dm.housing_led_population(fact(book_data, "003.housing.loc-basildon-pitsea.proposed_dwellings.2014-2019")["value"],
                                          fact(book_data, "003.housing.loc-basildon-pitsea.occupants_per_dwelling.2014-2019")["value"])
    assert residents == pytest.approx(14470)
    assert _within(residents, fact(book_data, "003.housing.loc-basildon-pitsea.new_residents_housing_growth.2014-2019"))


def test_wickford_dwellings_times_occupancy_is_3000(book_data):
    residents = dm.housing_led_population(fact(book_data, "003.housing.loc-basildon-wickford.proposed_dwellings.2014-2019")["value"],
                                          fact(book_data, "003.housing.loc-basildon-wickford.occupants_per_dwelling.2014-2019")["value"])
    assert residents == fact(book_data, "003.housing.loc-basildon-wickford.new_residents_housing_growth.2014-2019")["value"]


def test_gp_shortfall_of_143_is_within_what_the_rounded_rates_allow_on_greater_essex(book_data):
    england = fact(book_data, "003.context.e92000001.gps_per_1000_population.2014")
    essex = fact(book_data, "003.context.greater-essex.gps_per_1000_population.2014")
    pop = fact(book_data, "000.fig2.greater-essex.population_ons_projection.2013")["value"]
    stated = fact(book_data, "003.context.greater-essex.gp_shortfall_to_england_average.2014")["value"]
    assert round(dm.workforce_gap(england["value"], essex["value"], pop)) == 139
    lo, hi = dm.workforce_gap_bounds(england["value"], essex["value"], pop,
                                     checks.tolerance(england["value_text"], england["status"]),
                                     checks.tolerance(essex["value_text"], essex["status"]))
    assert lo <= stated <= hi


def test_gp_shortfall_of_143_does_not_fit_the_five_ccg_population(book_data):
    # The county council area alone is too small: the 143 is a Greater Essex figure.
    pop = fact(book_data, "000.fig2.essex-ccgs.population_ons_projection.2013")["value"]
    lo, hi = dm.workforce_gap_bounds(0.74, 0.66, pop, 0.005, 0.005)
    assert hi < fact(book_data, "001.s5-8.greater-essex.gp_shortfall_to_england_average.2014")["value"]


def test_appendix1_practice_lists_add_to_the_printed_locality_and_ccg_totals(book_data):
    f = book_data.facts
    parents = dict(zip(book_data.areas["area_code"], book_data.areas["parent_code"]))
    prac = f[f["fact_id"].str.startswith("002.app1.prac-")]
    practices = pd.DataFrame({"group": prac["area_code"].map(parents).values, "list_size": prac["value"].values})
    printed = pd.DataFrame({"group": ["LOC-99F-RAYLEIGH-ROCHFORD", "LOC-99F-CASTLE-POINT"],
                            "printed_total": [fact(book_data, "002.app1.loc-99f-rayleigh-rochford.population_registered.2012-13.lcg-total")["value"],
                                              fact(book_data, "002.app1.loc-99f-castle-point.population_registered.2012-13.lcg-total")["value"]]})
    out = dm.list_totals(practices, printed)
    assert (out["difference"] == 0).all()
    assert list(out["practices"]) == [11, 18]
    assert out["recomputed_total"].sum() == fact(book_data, "002.app1.99f.population_registered.2012-13.ccg-total")["value"]


def test_essex_ccgs_growth_from_rounded_populations_is_within_their_rounding(book_data):
    a = fact(book_data, "001.s3-2.essex-ccgs.population_resident.2013")
    b = fact(book_data, "001.s3-2.essex-ccgs.population_resident.2030")
    change = dm.total_change_pct(a["value"], b["value"])
    assert round(change, 1) == 22.5  # not the printed 23.4: the populations are rounded
    tol = checks.propagated_tolerance(lambda x: dm.total_change_pct(x[0], x[1]), [a["value"], b["value"]],
                                      [checks.tolerance(a["value_text"], a["status"]), checks.tolerance(b["value_text"], b["status"])])
    assert _within(change, fact(book_data, "001.s3-2.essex-ccgs.population_growth_pct.2013-2030"), tol)


def test_over_85s_more_than_double(book_data):
    before = fact(book_data, "001.s3-2.greater-essex.population_85_plus.2014")["value"]
    after = fact(book_data, "001.s3-2.greater-essex.population_85_plus.2031")["value"]
    assert after / before > 2


def test_figure5_shares_change_by_five_points_each_way(book_data):
    wa = dm.share_change_points(fact(book_data, "001.s3-2.e10000012.population_share_working_age_20_64.2011")["value"],
                                fact(book_data, "001.s3-2.e10000012.population_share_working_age_20_64.2030")["value"])
    old = dm.share_change_points(fact(book_data, "001.s3-2.e10000012.population_share_65_plus.2011")["value"],
                                 fact(book_data, "001.s3-2.e10000012.population_share_65_plus.2030")["value"])
    assert (wa, old) == (-5, 5)
    # As a relative change the working-age fall is not the "15% reduction" of line 419.
    assert round(dm.relative_change_pct(58, 53), 1) == -8.6


def test_rochford_rank_is_in_the_least_deprived_quintile_as_printed(book_data):
    # 002 line 99: "Rochford ranks 299 out of 326 LA areas so is in the least deprived quintile".
    assert dm.rank_quintile(int(fact(book_data, "002.jsna-roch.e07000075.imd_rank_la.2010")["value"]), 326) == 5


def test_basildon_development_estimates_add_to_about_the_printed_25000(book_data):
    ids = ["003.housing.loc-basildon-pitsea.new_residents_housing_growth.2014-2019",
           "003.housing.loc-basildon-wickford.new_residents_housing_growth.2014-2019",
           "003.housing.loc-basildon-central-west.new_residents_housing_growth.2014-2019"]
    rows = [fact(book_data, i) for i in ids]
    total = sum(r["value"] for r in rows)
    tol = sum(checks.tolerance(r["value_text"], r["status"]) for r in rows)
    assert total == 26500
    assert _within(total, fact(book_data, "003.context.e07000066.new_residents_housing_growth.2014-2019"), tol)
