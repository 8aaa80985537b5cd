"""Trajectory rules are data: a rule row in data/trajectory_rules.csv, with a baseline
and printed yearly values in the facts, gives any area its trajectory checks and its
trajectory section. A copy of the data gives another CCG a small plan of its own
(a paper, its facts and two rules); the values it prints are computed here from the
rule's own words, never taken from the book's code."""
import csv

import pandas as pd
import pytest

from analysis import data
from analysis.data import FACT_COLUMNS, TRAJECTORY_CAUSE_COLUMNS, TRAJECTORY_RULE_COLUMNS
from analysis.data.vocabulary import SOURCE_COLUMNS
from analysis.data.trajectories import path_values
from analysis.models import checks
from analysis.pages import outcomes as ro
from analysis.pages.pagedata import for_data
from inprocess import run_page

AREA = "99E"
PAPER = "900"
TABLE = "Test ambitions table"
START, RATE, ORIGIN = 2000, -0.03, 2013  # "3% decrease per annum" from 2,000 per 100,000 in 12/13
LEVEL, STEP = 70.0, 0.5  # "half a point a year" from 70.0% in 12/13
YEARS = ["2014/15", "2015/16", "2016/17", "2017/18"]
SHIFTED = "2017/18"  # printed as one more year of the fall than the rule counts
CAUSE = "A shifted column: the printed value is one more year of the fall."


def compound(n):
    return START * (1 + RATE) ** n


def linear(n):
    return LEVEL + STEP * n


def years(period):
    return int(period[:4]) - ORIGIN


def printed_pyll(period):
    n = years(period) + (1 if period == SHIFTED else 0)
    return str(round(compound(n)))


def printed_hrqol(period):
    return f"{linear(years(period)):.1f}"


def _paper() -> list[str]:
    return [
        "Test CCG plan: ambitions",
        "Continuing at 3% decrease per annum would take us lower. Half a point a year on quality of life.",
        f"Baseline\t{START} per 100,000 (12/13)\t{LEVEL:.1f} (12/13)",
        *[f"{p}\t{printed_pyll(p)}\t{printed_hrqol(p)}" for p in YEARS],
    ]


def _fact(measure, period, breakdown, value, unit, printed, line, table=TABLE):
    slug = period.replace("/", "-")
    return {"fact_id": f"{PAPER}.test.{AREA.lower()}.{measure}.{slug}" + (f".{breakdown.replace(' ', '-')}" if breakdown else ""),
            "source_id": PAPER, "lines": str(line), "table": table, "area_code": AREA, "measure_id": measure,
            "period": period, "breakdown": breakdown, "value": value, "unit": unit, "printed": printed,
            "status": "published", "note": ""}


def _facts() -> list[dict]:
    rows = [_fact("pyll_amenable_per_100k", "2012/13", "baseline", str(START), "per 100,000", f"{START} per 100,000", 3),
            _fact("hrqol_ltc", "2012/13", "starting point", f"{LEVEL:.1f}", "%", f"{LEVEL:.1f}", 3),
            _fact("pyll_amenable_annual_reduction_rate", "2014/15-2017/18", "", "3", "%", "3%", 2,
                  table=TABLE + " (narrative row)")]
    for line, p in enumerate(YEARS, start=4):
        rows.append(_fact("pyll_amenable_per_100k", p, "", printed_pyll(p), "per 100,000", printed_pyll(p), line))
        rows.append(_fact("hrqol_ltc", p, "", printed_hrqol(p), "%", printed_hrqol(p), line))
    return rows


RULES = [
    {"area_code": AREA, "measure_id": "pyll_amenable_per_100k", "source_id": PAPER, "baseline_period": "2012/13",
     "baseline_breakdown": "baseline", "path_breakdown": "", "kind": "compound", "rate": str(RATE), "step": "",
     "origin_year": str(ORIGIN), "end_period": "", "rounding": "round:0", "check_id": "t900.bb.pyll-{period}",
     "rule_source_id": PAPER, "rule_lines": "2", "rule_words": "Continuing at 3% decrease per annum",
     "rate_measure": "pyll_amenable_annual_reduction_rate", "note": "PYLL, {period}: 2000 x 0.97^{years}."},
    {"area_code": AREA, "measure_id": "hrqol_ltc", "source_id": PAPER, "baseline_period": "2012/13",
     "baseline_breakdown": "starting point", "path_breakdown": "", "kind": "linear", "rate": "", "step": str(STEP),
     "origin_year": str(ORIGIN), "end_period": "", "rounding": "round:1", "check_id": "t900.bb.hrqol-{period}",
     "rule_source_id": PAPER, "rule_lines": "2", "rule_words": "Half a point a year",
     "rate_measure": "", "note": "HRQoL, {period}: 70.0 + 0.5 x {years}."},
]
CAUSES = [{"source_id": PAPER, "area_code": AREA, "measure_id": "pyll_amenable_per_100k", "period": SHIFTED,
           "breakdown": "", "cause": CAUSE, "note": ""}]


def _append(path, columns, rows):
    with open(path, "a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, fieldnames=columns, lineterminator="\n").writerows(rows)


def _rows_in(path) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


def add_plan(data_dir, rules=RULES, causes=CAUSES):
    """The data with another CCG's plan: its paper, facts, rules and one cause."""
    (data_dir / "sources" / f"{PAPER}_test.txt").write_text("\n".join(_paper()) + "\n", encoding="utf-8")
    _append(data_dir / "sources.csv", SOURCE_COLUMNS,
            [{"source_id": PAPER, "file": f"{PAPER}_test.txt", "title": "Test plan", "publisher": "Test CCG",
              "date": "2014-06", "areas": "Basildon and Brentwood CCG"}])
    with open(data_dir / "facts" / "zz-plan.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=FACT_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(_facts())
    first = _rows_in(data_dir / "trajectory_rules.csv") + 2  # the line the first added rule is on
    _append(data_dir / "trajectory_rules.csv", TRAJECTORY_RULE_COLUMNS, rules)
    _append(data_dir / "trajectory_causes.csv", TRAJECTORY_CAUSE_COLUMNS, causes)
    return first


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    import shutil
    dst = tmp_path_factory.mktemp("plan") / "data"
    shutil.copytree(data.DATA_DIR, dst, ignore=shutil.ignore_patterns("staging"))
    add_plan(dst)
    loaded, problems = data.collect(dst)
    assert [str(p) for p in problems] == []
    return loaded


def test_another_ccg_gets_a_check_of_each_printed_value(plan):
    led = checks.evaluate_all(plan).set_index("check_id")
    for p in YEARS:
        pyll, hrqol = led.loc[f"t900.bb.pyll-{p.replace('/', '-')}"], led.loc[f"t900.bb.hrqol-{p.replace('/', '-')}"]
        assert pyll["recomputed"] == pytest.approx(compound(years(p)))
        assert hrqol["recomputed"] == pytest.approx(linear(years(p)))
        assert hrqol["verdict"] == checks.REPRODUCES
        assert pyll["verdict"] == (checks.DIFFERS if p == SHIFTED else checks.REPRODUCES)
        assert pyll["area_code"] == AREA and pyll["inputs"] == f"{PAPER}.test.99e.pyll_amenable_per_100k.2012-13.baseline"
    assert led.loc["t900.bb.pyll-2017-18", "reading"] == CAUSE
    assert led.loc["t900.bb.pyll-2015-16", "note"] == "PYLL, 2015/16: 2000 x 0.97^2."
    # The book's own checks keep their verdicts beside the new ones.
    assert led.loc["s001b.we.d1-traj-2018-19", "verdict"] == checks.DIFFERS


def test_generated_checks_join_their_family_in_the_ledger(plan):
    ids = [c.check_id for c in checks.book_checks(plan)]
    written = [c.check_id for c in checks.load_checks(plan.data_dir / "checks.csv")]
    # West Essex's follow its other s001b.we checks; the new family has none, so comes last.
    at = ids.index("s001b.we.d1-traj-2014-15")
    assert ids[at - 1] == [w for w in written if w.startswith("s001b.we.")][-1]
    assert ids[-8:] == [f"t900.bb.{m}-{p.replace('/', '-')}" for m in ("pyll", "hrqol") for p in YEARS]


def test_another_ccg_gets_its_trajectory_section(plan):
    shown = run_page("ccg_outcomes.ipynb", AREA, data.scoped(plan, AREA))
    text = "\n".join(shown)
    # The chart, one panel a measure, beside the rules table and the year-by-year comparison.
    assert 'id="fig-out-traj-99e"' in text and "2 small line charts, one per outcome measure" in text
    assert "out-traj-cmp-99e" in text and "out-rules-99e" in text
    summary = next(s for s in shown if "sets a baseline and yearly values" in s)
    # Eight printed values have a rule; one is the shifted column.
    assert "**7 of 8**" in summary and "1 departs from the stated rule" in summary
    assert f"{compound(years(SHIFTED)):,.1f}" in summary
    assert "Continuing at 3% decrease per annum" in text and "Half a point a year" in text
    # Each path starts from the baseline its rule names, whatever the table calls it.
    frame = ro.trajectory_frame(for_data(data.scoped(plan, AREA), AREA))
    assert list(frame.loc[frame["role"] == "baseline", "value"]) == [START, LEVEL]
    # A CCG without trajectories names both that have them.
    other = "\n".join(run_page("ccg_outcomes.ipynb", "06Q", data.scoped(plan, "06Q")))
    assert "the outcome ambitions of West Essex CCG and Basildon and Brentwood CCG" in other


def test_a_total_change_fixes_only_its_end_period(plan):
    rule = {**RULES[0], "kind": "total_change", "rate": "-0.12", "end_period": "2016/17"}
    rules = pd.DataFrame([rule], columns=TRAJECTORY_RULE_COLUMNS)
    v = path_values(rules, plan.trajectory_causes, plan.facts).set_index("period")
    assert list(v.index) == YEARS
    assert list(v["kind"]) == ["unstated", "unstated", "total_change", "unstated"]
    assert list(v["years"]) == [years(p) for p in YEARS]


@pytest.mark.parametrize("change, expected", [
    ({"kind": "quadratic"}, "column 'kind': 'quadratic': kind must be one of compound, linear, total_change, unstated [trajectory_kind]"),
    ({"rate": ""}, "column 'rate': '': rate is needed by a compound or total_change rule, and by no other [trajectory_rate]"),
    ({"rate": "3%"}, "column 'rate': '3%': must be a plain number"),
    ({"origin_year": "12/13"}, "column 'origin_year': '12/13': origin_year must be a calendar year such as 2012 [year_format]"),
    ({"baseline_period": "2011/12"}, "column 'baseline_period': '2011/12': no fact has the baseline's key"),
    ({"path_breakdown": "plan"}, "column 'path_breakdown': 'plan': no printed value of the measure with this breakdown follows the baseline"),
    ({"check_id": "t900.bb.pyll"}, "column 'check_id': 't900.bb.pyll': 4 values would share this check id; put {period} in it [trajectory_check_id]"),
    ({"check_id": "s001b.we.d1-traj-{period}"}, "column 'check_id': duplicate: another row has the same check_id"),
    ({"rule_words": "Continuing at 4% decrease"}, "column 'rule_words': 'Continuing at 4% decrease': not on line 2 of source 900 [trajectory_words]"),
    ({"rule_lines": "20"}, "column 'rule_lines': '20': source 900 has 7 lines [lines_exist]"),
    ({"area_code": "ZZ9"}, "column 'area_code': 'ZZ9': area_code is not in data/areas.csv [area_known]"),
])
def test_a_bad_rule_gives_a_located_message(data_copy, change, expected):
    row = add_plan(data_copy, rules=[{**RULES[0], **change}, RULES[1]], causes=[])
    found = [str(p) for p in data.validate(data_copy)]
    assert any(m.startswith(f"data/trajectory_rules.csv: row {row}, ") and expected in m for m in found), found


def test_a_cause_for_a_value_no_rule_fixes_is_refused(data_copy):
    add_plan(data_copy, causes=[{**CAUSES[0], "period": "2019/20"}])
    found = [str(p) for p in data.validate(data_copy)]
    assert any(m.startswith("data/trajectory_causes.csv: row 4, column 'period': '2019/20': no rule") and m.endswith("[cause_known]")
               for m in found), found
