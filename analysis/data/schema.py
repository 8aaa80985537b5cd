"""pandera schemas for the data files, and the mapping of their failures to
located problems. Imported only when data are validated (pandera is slow to
import and notebooks load already-validated data)."""
from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.data.vocabulary import (
    AREA_CODE_RE, FACT_ID_RE, KEY, KINDS, LINES_RE, NUMBER_RE, ONE_YEAR_RE, PERIOD_RE, POLARITIES, STATUSES,
    SECTIONS, SOURCE_ID_RE, STATISTICS, COMPARISON_METHODS, STATISTIC_KEY, COMPARISON_STATISTIC, COUNT_STATISTICS, TRAJECTORY_KINDS, TRAJECTORY_RULE_KEY, Problem, _FY, _YEAR,
)


def _check(fn, rule: str, message: str, element_wise: bool = True) -> pa.Check:
    # "rule|message" lets a failure case be mapped back to its rule.
    return pa.Check(fn, element_wise=element_wise, name=rule, error=f"{rule}|{message}")


# Vectorised (a Series in, a Series of booleans out): element-wise checks cost a Python call a cell.
def _matches(pattern: str, rule: str, message: str) -> pa.Check:
    return _check(lambda s: s.str.match(pattern), rule, message, element_wise=False)


def _one_of(allowed, rule: str, message: str) -> pa.Check:
    allowed = list(allowed)
    return _check(lambda s: s.isin(allowed), rule, message, element_wise=False)


def _non_empty(what: str) -> pa.Check:
    return _check(lambda s: s.str.strip() != "", "required", f"{what} is required", element_wise=False)


def _col(*checks: pa.Check, unique: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), unique=unique, nullable=False)


def _number_or_blank(s: pd.Series) -> pd.Series:
    return (s == "") | s.str.match(NUMBER_RE)


def _periods_in_order(s: pd.Series) -> pd.Series:
    # A national file repeats a few periods on every row: each distinct one is judged once.
    verdict = {p: not re.match(PERIOD_RE, p) or period_in_order(p) for p in s.unique()}
    return s.map(verdict).astype(bool)


def period_in_order(period: str) -> bool:
    """A span's start comes before its end; a financial year's second half follows its first.

    >>> period_in_order("2013/14"), period_in_order("2013/15"), period_in_order("2017-2013")
    (True, False, False)
    """
    def start_end(p: str) -> tuple[int, int]:
        if "/" in p:
            first = int(p[:4])
            return first, first + 1 if int(p[5:7]) == (first + 1) % 100 else -1
        return int(p), int(p)

    if re.fullmatch(_FY, period) or re.fullmatch(_YEAR, period):
        return start_end(period)[1] >= 0
    if re.fullmatch(rf"{_YEAR}-\d{{2}}", period):
        return 1 <= int(period[5:]) <= 12
    a, b = period.split("-", 1)
    (a0, a1), (b0, b1) = start_end(a), start_end(b)
    return a1 >= 0 and b1 >= 0 and a0 < b0


def fact_schema(areas: set[str], measures: pd.DataFrame, units: pd.DataFrame, sources: set[str]) -> pa.DataFrameSchema:
    dims = dict(zip(units["unit"], units["dimension"]))
    measure_dim = {m: dims.get(u) for m, u in zip(measures["measure_id"], measures["unit"])}
    bounds = {
        r.measure_id: (_float_or_none(r.min_value), _float_or_none(r.max_value))
        for r in measures.itertuples()
    }

    def unit_fits_measure(df: pd.DataFrame) -> pd.Series:
        expected = df["measure_id"].map(measure_dim)
        actual = df["unit"].map(dims)
        return expected.isna() | actual.isna() | (expected == actual)

    def value_in_range(df: pd.DataFrame) -> pd.Series:
        v = pd.to_numeric(df["value"].where(df["value"].str.match(NUMBER_RE)), errors="coerce")
        lo = pd.to_numeric(df["measure_id"].map(lambda m: bounds.get(m, (None, None))[0]), errors="coerce")
        hi = pd.to_numeric(df["measure_id"].map(lambda m: bounds.get(m, (None, None))[1]), errors="coerce")
        return v.isna() | ((lo.isna() | (v >= lo)) & (hi.isna() | (v <= hi)))

    def printed_given(df: pd.DataFrame) -> pd.Series:
        return (df["printed"].str.strip() != "") | (df["status"] == "not_published")

    def value_matches_status(df: pd.DataFrame) -> pd.Series:
        blank = df["value"].str.strip() == ""
        return blank == (df["status"] == "not_published")

    return pa.DataFrameSchema(
        {
            "fact_id": _col(_matches(FACT_ID_RE, "fact_id_format", "fact_id must be lower case letters, digits, '.', '_' or '-'"), unique=True),
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "lines": _col(_matches(LINES_RE, "source_lines", "lines must be a line number or range such as 247-262")),
            "table": _col(_non_empty("the table or figure label (source reference)")),
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv; add the area there first")),
            "measure_id": _col(_one_of(set(measures["measure_id"]), "measure_known", "measure_id is not in data/measures.csv")),
            "period": _col(
                _matches(PERIOD_RE, "period_format", "period must look like 2013/14, 2011, 2012-09, 2013-2017 or 2013/14-2018/19"),
                _check(_periods_in_order, "period_order", "period is out of order (a span must start before it ends; 2013/14 not 2013/15)", element_wise=False),
            ),
            "breakdown": _col(),
            "value": _col(_check(_number_or_blank, "number",
                                 "value must be a plain number (no thousands separators, currency or % signs), or empty when not published", element_wise=False)),
            "unit": _col(_one_of(set(units["unit"]), "unit_known", "unit is not in the allowed list in data/units.csv")),
            "printed": _col(),
            "status": _col(_one_of(STATUSES, "status_known", "status must be published, approximate or not_published")),
            "note": _col(),
        },
        checks=[
            _check(unit_fits_measure, "unit_matches_measure", "unit is of a different kind from the measure's unit in data/measures.csv", element_wise=False),
            _check(value_in_range, "value_in_range", "value is outside the measure's allowed range (min_value/max_value in data/measures.csv)", element_wise=False),
            _check(printed_given, "printed_required", "the figure as printed is required (it may be blank only for a not_published cell)", element_wise=False),
            _check(value_matches_status, "value_status", "value must be empty exactly when status is not_published (never record a placeholder as 0)", element_wise=False),
        ],
        unique=KEY,
        report_duplicates="all",
        strict=True,
        ordered=False,
    )


def statistic_schema(areas: set[str], measures: pd.DataFrame, units: pd.DataFrame, sources: set[str]) -> pa.DataFrameSchema:
    """data/statistics/*.csv: an interval limit, count or denominator (a number, in the figure's unit or
    a count), or a printed comparison (text, with the comparator area and no value or unit)."""
    dims = dict(zip(units["unit"], units["dimension"]))
    measure_dim = {m: dims.get(u) for m, u in zip(measures["measure_id"], measures["unit"])}

    def unit_fits(df: pd.DataFrame) -> pd.Series:
        expected = df["measure_id"].map(measure_dim).where(~df["statistic"].isin(COUNT_STATISTICS), "count")
        expected = expected.where(df["statistic"] != COMPARISON_STATISTIC, "")
        actual = df["unit"].map(dims).fillna("")
        return expected.isna() | (expected == actual)

    def value_fits(df: pd.DataFrame) -> pd.Series:
        verdict = df["statistic"] == COMPARISON_STATISTIC
        number = df["value"].str.match(NUMBER_RE)
        return (verdict & (df["value"] == "") & (df["comparator"] != "")) | (~verdict & number & (df["comparator"] == ""))

    return pa.DataFrameSchema(
        {
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "lines": _col(_matches(LINES_RE, "source_lines", "lines must be a line number or range such as 247-262")),
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv; add the area there first")),
            "measure_id": _col(_one_of(set(measures["measure_id"]), "measure_known", "measure_id is not in data/measures.csv")),
            "period": _col(_matches(PERIOD_RE, "period_format", "period must look like 2013/14, 2011, 2012-09, 2013-2017 or 2013/14-2018/19")),
            "breakdown": _col(),
            "statistic": _col(_one_of(STATISTICS, "statistic_known", "statistic must be one of " + ", ".join(STATISTICS))),
            "value": _col(),
            "unit": _col(),
            "printed": _col(_non_empty("the statistic as printed")),
            "comparator": _col(_check(lambda s: (s == "") | s.isin(list(areas)), "area_known", "comparator is not in data/areas.csv", element_wise=False)),
            "method": _col(_one_of(COMPARISON_METHODS, "method_known", "method must be one of " + ", ".join(m for m in COMPARISON_METHODS if m) + " or empty")),
            "note": _col(),
        },
        checks=[
            _check(unit_fits, "statistic_unit", "unit must be the figure's (an interval limit), a count (count, denominator) or empty (a comparison)", element_wise=False),
            _check(value_fits, "statistic_value", "a number needs a plain-number value and no comparator; a comparison needs a comparator and no value", element_wise=False),
        ],
        unique=STATISTIC_KEY,
        report_duplicates="all",
        strict=True,
        ordered=False,
    )


def area_schema(types: list[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "area_code": _col(_matches(AREA_CODE_RE, "area_code_format", "area_code must be letters, digits and '-' only (at most 40)"), unique=True),
            "name": _col(_non_empty("name")),
            "type": _col(_one_of(types, "area_type", "type must be one of " + ", ".join(types))),
            "parent_code": _col(), "gss_code": _col(), "ods_code": _col(),
            "hwb_code": _col(), "icb_code": _col(),
            "section": _col(_one_of(SECTIONS, "section", "section must be ccg, hwb or empty")),
            "note": _col(),
        },
        strict=True,
    )


def measure_schema(units: set[str]) -> pa.DataFrameSchema:
    number_or_blank = lambda rule: _check(_number_or_blank, rule, "must be a plain number or empty", element_wise=False)
    return pa.DataFrameSchema(
        {
            "measure_id": _col(_matches(r"^[a-z][a-z0-9_]*$", "measure_id_format", "measure_id must be snake_case"), unique=True),
            "label": _col(_non_empty("label")),
            "unit": _col(_one_of(units, "unit_known", "unit is not in data/units.csv")),
            "kind": _col(_one_of(KINDS, "kind", "kind must be one of " + ", ".join(KINDS))),
            "polarity": _col(_one_of(POLARITIES, "polarity", "polarity must be higher_is_better, lower_is_better or empty")),
            "min_value": _col(number_or_blank("min_value")),
            "max_value": _col(number_or_blank("max_value")),
            "definition": _col(_non_empty("definition")),
        },
        strict=True,
    )


def unit_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
    {
        "unit": _col(_non_empty("unit"), unique=True),
        "dimension": _col(_non_empty("dimension")),
        "factor": _col(_check(lambda v: bool(re.match(NUMBER_RE, v)) and float(v) > 0, "factor", "factor must be a positive number")),
        "description": _col(),
    },
    strict=True,
)

def source_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
    {
        "source_id": _col(_matches(SOURCE_ID_RE, "source_id_format", "source_id must be three digits (a paper) or upper-case letters, digits and '-' (local data)"), unique=True),
        "file": _col(_non_empty("file")), "title": _col(_non_empty("title")),
        "publisher": _col(_non_empty("publisher")), "date": _col(_matches(r"^\d{4}-\d{2}$", "date_format", "date must be YYYY-MM")),
        "areas": _col(),
        "plan_of": _col(),  # checked against the registry in load (the CCG whose own plan the paper is)
    },
    strict=True,
)


def aims_schema(areas: set[str], sources: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv")),
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "lines": _col(_matches(r"^\d+-\d+$", "lines_format", "lines is a range of the paper's lines, e.g. 1479-1626")),
            "note": _col(_non_empty("the note (what the passage is)")),
        },
        strict=True,
    )


def allowance_schema() -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "fact_id": _col(_matches(FACT_ID_RE, "fact_id_format", "fact_id must be lower case letters, digits, '.', '_' or '-'"), unique=True),
            "reason": _col(_non_empty("the reason (why the printed figure is not on its cited lines)")),
        },
        strict=True,
    )


def trajectory_rule_schema(areas: set[str], measures: set[str], sources: set[str]) -> pa.DataFrameSchema:
    def number_or_blank(what: str) -> pa.Check:
        return _check(_number_or_blank, "number", f"must be a plain number ({what}) or empty", element_wise=False)

    def given_for(column: str, kinds: tuple[str, ...]):
        # A parameter is given exactly when the rule's kind uses it.
        return lambda df: (df[column].str.strip() != "") == df["kind"].isin(kinds)

    return pa.DataFrameSchema(
        {
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv")),
            "measure_id": _col(_one_of(measures, "measure_known", "measure_id is not in data/measures.csv")),
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "baseline_period": _col(_matches(ONE_YEAR_RE, "period_format", "baseline_period must be a year or financial year such as 2012 or 2012/13")),
            "baseline_breakdown": _col(),
            "path_breakdown": _col(),
            "kind": _col(_one_of(TRAJECTORY_KINDS, "trajectory_kind", "kind must be one of " + ", ".join(TRAJECTORY_KINDS))),
            "rate": _col(number_or_blank("a fraction: -0.032 for a 3.2% fall")),
            "step": _col(number_or_blank("in the measure's unit")),
            "origin_year": _col(_matches(r"^\d{4}$", "year_format", "origin_year must be a calendar year such as 2012")),
            "end_period": _col(_check(lambda v: v == "" or bool(re.match(ONE_YEAR_RE, v)), "period_format", "end_period must be a year or financial year, or empty")),
            "rounding": _col(_matches(r"^((round|truncate):\d+)?$", "rounding", "rounding must be round:N or truncate:N (N decimals), or empty")),
            "check_id": _col(_matches(r"^[a-z0-9][a-z0-9._-]*(\{period\}[a-z0-9._-]*)?$", "check_id_format",
                                      "check_id must be lower case letters, digits, '.', '_' or '-', with at most one {period}"), unique=True),
            "rule_source_id": _col(_one_of(sources, "source_known", "rule_source_id is not in data/sources.csv")),
            "rule_lines": _col(_matches(LINES_RE, "source_lines", "rule_lines must be a line number or range such as 2061 or 2061-2063")),
            "rule_words": _col(_non_empty("the paper's words stating the rule")),
            "rate_measure": _col(_check(lambda v: v == "" or v in measures, "measure_known", "rate_measure is not in data/measures.csv")),
            "note": _col(_non_empty("the note each of the rule's checks carries")),
        },
        checks=[
            _check(given_for("rate", ("compound", "total_change")), "trajectory_rate", "rate is needed by a compound or total_change rule, and by no other", element_wise=False),
            _check(given_for("step", ("linear",)), "trajectory_step", "step is needed by a linear rule, and by no other", element_wise=False),
            _check(given_for("end_period", ("total_change",)), "trajectory_end", "end_period is needed by a total_change rule, and by no other", element_wise=False),
        ],
        unique=TRAJECTORY_RULE_KEY,
        report_duplicates="all",
        strict=True,
    )


def trajectory_cause_schema(areas: set[str], measures: set[str], sources: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "source_id": _col(_one_of(sources, "source_known", "source_id is not in data/sources.csv")),
            "area_code": _col(_one_of(areas, "area_known", "area_code is not in data/areas.csv")),
            "measure_id": _col(_one_of(measures, "measure_known", "measure_id is not in data/measures.csv")),
            "period": _col(_matches(PERIOD_RE, "period_format", "period must look like 2013/14 or 2012")),
            "breakdown": _col(),
            "cause": _col(_non_empty("the reading of why the printed value departs from its rule")),
            "note": _col(),
        },
        unique=KEY,
        report_duplicates="all",
        strict=True,
    )


def _float_or_none(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, label: str) -> list[Problem]:
    """Run a pandera schema and turn its failure cases into located problems."""
    if frame.attrs.get("unusable"):
        return []
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as err:
        return _problems_from_failures(err.failure_cases, frame, label, schema.unique or KEY)
    return []


# Frame-wide checks report every column of a failing row; name the one that matters.
FRAME_CHECK_COLUMN = {"printed_required": "printed", "unit_matches_measure": "unit", "value_in_range": "value", "value_status": "value",
                      "statistic_unit": "unit", "statistic_value": "value", "trajectory_rate": "rate", "trajectory_step": "step", "trajectory_end": "end_period", "unique": None}


def _problems_from_failures(cases: pd.DataFrame, frame: pd.DataFrame, label: str, key: list[str]) -> list[Problem]:
    problems = set()
    for case in cases.itertuples():
        rule, message = _rule_and_message(str(case.check), case, key)
        column = case.column if isinstance(case.column, str) and case.column in frame.columns else None
        if rule in FRAME_CHECK_COLUMN and not (rule == "unique" and str(case.check) == "field_uniqueness"):
            column = FRAME_CHECK_COLUMN[rule]
        row = int(case.index) if pd.notna(case.index) else None
        if row is not None and column and rule not in ("unique", "value_status", "printed_required"):
            message = f"{frame.at[row, column]!r}: {message}"
        problems.add(Problem(label, row, column, rule, message))
    return sorted(problems, key=lambda p: (p.row or 0, p.column or "", p.rule))


def _rule_and_message(check: str, case, key: list[str]) -> tuple[str, str]:
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        return "unique", f"duplicate: another row has the same {case.column if check == 'field_uniqueness' else '(' + ', '.join(key) + ')'}; keep one row"
    if check == "column_in_dataframe":
        return "header", f"missing column {case.failure_case!r}"
    if check == "column_in_schema":
        return "header", f"unexpected column {case.failure_case!r}"
    if "dtype" in check:
        return "type", f"wrong type: {check}"
    name, _, message = check.partition("|")
    return name, message or check


