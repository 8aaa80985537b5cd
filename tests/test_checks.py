"""The reconciliation engine on synthetic cases, and a snapshot of every verdict."""
import csv
import os
from pathlib import Path

import pandas as pd
import pytest

from analysis.models import checks
from analysis.models.checks import CANNOT, DIFFERS, REPRODUCES, Check

UNITS = {"£": ("money", 1.0), "£000": ("money", 1e3), "£m": ("money", 1e6), "count": ("count", 1.0),
         "%": ("percent", 1.0), "ratio": ("ratio", 1.0), "per 100,000": ("rate", 1.0)}
SNAPSHOT = Path(__file__).parent / "snapshots" / "verdicts.csv"


def facts(*rows):
    """rows: (fact_id, value_text, unit[, status])"""
    out = []
    for r in rows:
        fid, text, unit = r[:3]
        status = r[3] if len(r) > 3 else "published"
        out.append({"fact_id": fid, "value_text": text, "value": float(text) if text else float("nan"),
                    "unit": unit, "status": status})
    return pd.DataFrame(out).set_index("fact_id")


def run(rule, stated, inputs, params=(), extra=()):
    f = facts(stated, *inputs, *extra)
    c = Check("t", stated[0], rule, tuple(i[0] for i in inputs), tuple(params))
    return checks.evaluate(c, f, UNITS)


def test_sum_exact():
    assert run("sum", ("t", "6", "£000"), [("a", "1", "£000"), ("b", "5", "£000")]).verdict == REPRODUCES


def test_sum_off_by_more_than_rounding_differs():
    out = run("sum", ("t", "10", "£000"), [("a", "1", "£000"), ("b", "5", "£000")])
    assert out.verdict == DIFFERS and out.recomputed == 6


def test_sum_within_input_rounding_reproduces_with_that_reading():
    out = run("sum", ("t", "7", "£000"), [("a", "1", "£000"), ("b", "5", "£000")])
    assert out.verdict == REPRODUCES and out.reason == "within the rounding of the printed inputs"


def test_units_are_converted_for_sums():
    assert run("sum", ("t", "1.5", "£m"), [("a", "1000", "£000"), ("b", "500", "£000")]).verdict == REPRODUCES


def test_ratio_per_head_from_thousands():
    # Figure 2, North East Essex: £388,790k / 317,478 people = £1,225 a head.
    out = run("ratio", ("t", "1225", "£"), [("a", "388790", "£000"), ("b", "317478", "count")])
    assert out.verdict == REPRODUCES and round(out.recomputed) == 1225


def test_percentage_tolerance_follows_printed_decimals():
    assert run("percentage", ("t", "3.1", "%"), [("a", "12002", "£000"), ("b", "388790", "£000")]).verdict == REPRODUCES
    assert run("percentage", ("t", "3.10", "%"), [("a", "12002", "£000"), ("b", "388790", "£000")]).verdict == DIFFERS


def test_pct_change_and_cagr():
    assert run("pct_change", ("t", "14.5", "%"), [("a", "62000", "count"), ("b", "71000", "count")]).verdict == REPRODUCES
    out = run("cagr", ("t", "2.0", "%"), [("a", "100", "count"), ("b", "121.9", "count")], params=[("years", "10")])
    assert out.verdict == REPRODUCES


def test_product_and_multiple():
    assert run("product", ("t", "8375", "count"), [("a", "3350", "count"), ("b", "2.5", "ratio")]).verdict == REPRODUCES
    assert run("multiple", ("t", "50", "count"), [("a", "150", "count")], params=[("factor", "0.3333")]).verdict == REPRODUCES


def test_approximate_figure_gets_a_whole_unit_of_its_last_digit():
    # "circa 15,000" from 5,788 dwellings x 2.5 = 14,470: within ±1,000.
    out = run("product", ("t", "15000", "count", "approximate"), [("a", "5788", "count"), ("b", "2.5", "ratio")])
    assert out.verdict == REPRODUCES
    exact = run("product", ("t", "15000", "count"), [("a", "5788", "count"), ("b", "2.5", "ratio")])
    assert exact.verdict == DIFFERS


def test_trajectory_rules():
    base = ("b", "1905", "per 100,000")
    ok = run("trajectory", ("t", "1785", "per 100,000"), [base], params=[("kind", "compound"), ("rate", "-0.032"), ("years", "2")])
    assert ok.verdict == REPRODUCES
    bad = run("trajectory", ("t", "1517", "per 100,000"), [base], params=[("kind", "compound"), ("rate", "-0.032"), ("years", "6")])
    assert bad.verdict == DIFFERS and round(bad.recomputed) == 1567
    lin = run("trajectory", ("t", "155.8", "per 100,000"), [("b", "165.9", "per 100,000")], params=[("kind", "linear"), ("step", "-5.05"), ("years", "2")])
    assert lin.verdict == REPRODUCES


def test_unstated_rule_cannot_be_checked():
    out = run("trajectory", ("t", "7.1", "ratio"), [("b", "7.2", "ratio")], params=[("kind", "unstated")])
    assert out.verdict == CANNOT and "no rule" in out.reason


def test_unpublished_input_cannot_be_checked():
    out = run("sum", ("t", "6", "£000"), [("a", "", "£000", "not_published"), ("b", "5", "£000")])
    assert out.verdict == CANNOT and "not published" in out.reason


def test_missing_input_cannot_be_checked():
    out = run("percentage", ("t", "17", "%"), [("a", "28.8", "£m")])
    assert out.verdict == CANNOT


def test_sign_parameter():
    assert run("equal", ("t", "4.23", "£m"), [("a", "-4.23", "£m")], params=[("sign", "-1")]).verdict == REPRODUCES


@pytest.mark.parametrize("text, status, expected", [
    ("1225", "published", 0.5), ("7.5", "published", 0.05), ("0.125", "published", 0.0005),
    ("15000", "approximate", 1000), ("370", "approximate", 10), ("2.3", "approximate", 0.1),
])
def test_tolerance_from_printed_precision(text, status, expected):
    assert checks.tolerance(text, status) == pytest.approx(expected)


# --- the real ledger ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def led(book_data):
    return checks.evaluate_all(book_data)


def test_every_check_is_well_formed(book_data):
    defs = checks.book_checks(book_data)
    ids = set(book_data.facts["fact_id"])
    assert len({c.check_id for c in defs}) == len(defs)
    for c in defs:
        assert c.stated in ids, c.check_id
        assert all(i in ids for i in c.inputs), c.check_id
        assert c.rule in checks.ARITY, c.check_id


def test_every_difference_has_a_reading(led):
    differs = led[led["verdict"] == DIFFERS]
    assert (differs["reading"].str.len() > 0).all()


def test_verdicts_match_reviewed_snapshot(led):
    current = dict(zip(led["check_id"], led["verdict"]))
    if os.environ.get("UPDATE_SNAPSHOTS"):
        with open(SNAPSHOT, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["check_id", "verdict"])
            w.writerows(sorted(current.items()))
    with open(SNAPSHOT, newline="", encoding="utf-8") as f:
        reviewed = {r["check_id"]: r["verdict"] for r in csv.DictReader(f)}
    changed = {k: (reviewed.get(k), current.get(k)) for k in set(reviewed) | set(current) if reviewed.get(k) != current.get(k)}
    assert not changed, f"verdicts changed (reviewed, now): {changed}; review, then UPDATE_SNAPSHOTS=1 pytest tests/test_checks.py"
