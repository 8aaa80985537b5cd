"""Seed 000 Figure 2: the transcription re-adds to the printed totals, and the
per-head and QIPP % columns are reproduced from their inputs, at the paper's rounding."""
import pytest

from analysis.models import finance

CCGS_ECC = ["06T", "06Q", "07H", "99F", "99E"]
GREATER = CCGS_ECC + ["07G", "99G"]


@pytest.fixture(scope="module")
def fig2(book_data):
    return finance.figure2_frame(book_data.facts)


@pytest.mark.parametrize("measure", ["ccg_allocation", "population_ons_projection", "qipp_savings"])
@pytest.mark.parametrize("total, members", [("ESSEX-CCGS", CCGS_ECC), ("GREATER-ESSEX", GREATER)])
def test_rows_sum_to_printed_totals(fig2, measure, total, members):
    assert fig2.loc[members, measure].sum() == fig2.loc[total, measure]


@pytest.mark.parametrize("area", GREATER + ["ESSEX-CCGS", "GREATER-ESSEX"])
def test_allocation_per_head_reproduces_printed_pounds(fig2, area):
    row = fig2.loc[area]
    assert round(finance.allocation_per_head(row["ccg_allocation"], row["population_ons_projection"])) == row["allocation_per_head"]


@pytest.mark.parametrize("area", GREATER + ["ESSEX-CCGS", "GREATER-ESSEX"])
def test_qipp_percent_reproduces_printed_one_decimal(fig2, area):
    row = fig2.loc[area]
    assert round(finance.percent_of(row["qipp_savings"], row["ccg_allocation"]), 1) == row["qipp_pct_allocation"]


def test_figure2_has_every_ccg(fig2):
    assert set(GREATER) <= set(fig2.index)
    assert fig2.loc[GREATER].notna().all().all()
