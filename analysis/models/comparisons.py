"""An indicator export's comparisons with England and the parent area, re-done.

Fingertips prints, beside each figure, whether the area is better, similar or
worse than a comparator (or higher, similar or lower where the indicator has no
polarity). For the confidence-interval methods its rule is: the area is higher
when the lower limit of its interval is above the comparator's value, lower when
the upper limit is below it, and similar otherwise. The book applies that rule
to the printed limits and the comparator's printed value, and sets the result
beside the printed verdict: it reproduces, differs, or cannot be checked (a
quintile comparison, a verdict the export did not make, a missing interval).
"""
from __future__ import annotations

import re

import pandas as pd

from analysis.data import BookData
from analysis.data.vocabulary import COMPARISON_STATISTIC
from analysis.models.checks import CANNOT, DIFFERS, REPRODUCES

HIGHER, LOWER, SIMILAR = "higher", "lower", "similar"
# The interval each method reads.
LIMITS = {"ci95": ("lower_95", "upper_95", "95%"), "ci99.8": ("lower_99_8", "upper_99_8", "99.8%")}
# Printed words and what they say about the direction; Better and Worse need the measure's polarity.
PLAIN = {"higher": HIGHER, "lower": LOWER, "similar": SIMILAR, "same": SIMILAR}  # "Same" in older exports
JUDGED = {"better", "worse"}
QUINTILE_WORDS = {"lowest", "low", "middle", "high", "highest", "best", "worst"}
COLUMNS = ["source_id", "lines", "area_code", "measure_id", "period", "breakdown", "comparator", "method", "printed",
           "value", "lower", "upper", "level", "comparator_value", "comparator_source", "recomputed", "verdict", "reading"]


def side(lower: float, upper: float, comparator: float) -> str:
    """Where an interval lies against a comparator's value, by Fingertips' rule.

    >>> side(79.6, 80.6, 79.4), side(83.0, 84.0, 83.1), side(12.0, 14.0, 16.9)
    ('higher', 'similar', 'lower')
    >>> side(79.4, 80.0, 79.4)  # touching counts as overlapping
    'similar'
    """
    if lower > comparator:
        return HIGHER
    if upper < comparator:
        return LOWER
    return SIMILAR


def printed_direction(printed: str, polarity: str) -> str | None:
    """The direction a printed verdict states, or None when it states none the rule can check.

    >>> printed_direction("Better", "higher_is_better"), printed_direction("Better 95%", "lower_is_better")
    ('higher', 'lower')
    >>> printed_direction("Similar", ""), printed_direction("Higher", ""), printed_direction("Worse", "")
    ('similar', 'higher', None)
    """
    word = re.sub(r"\s+\d+(\.\d+)?%$", "", printed.strip()).lower()
    if word in PLAIN:
        return PLAIN[word]
    if word in JUDGED and polarity in ("higher_is_better", "lower_is_better"):
        good = HIGHER if polarity == "higher_is_better" else LOWER
        return good if word == "better" else (LOWER if good == HIGHER else HIGHER)
    return None


def in_words(direction: str, printed: str, polarity: str) -> str:
    """The recomputed direction in the export's own words (Better/Worse where it judges)."""
    judged = re.sub(r"\s+\d+(\.\d+)?%$", "", printed.strip()).lower() in JUDGED and polarity
    if direction == SIMILAR:
        return "Similar"
    if judged:
        return "Better" if (direction == HIGHER) == (polarity == "higher_is_better") else "Worse"
    return direction.capitalize()


def comparison_ledger(data: BookData) -> pd.DataFrame:
    """Every printed comparison with the book's recomputation and a verdict."""
    stats = data.statistics
    verdicts = stats[stats["statistic"] == COMPARISON_STATISTIC]
    if verdicts.empty:
        return pd.DataFrame(columns=COLUMNS)
    key = ["source_id", "area_code", "measure_id", "period", "breakdown"]
    numbers = {(*k, s): v for *k, s, v in stats.loc[stats["statistic"] != COMPARISON_STATISTIC, key + ["statistic", "number"]].itertuples(index=False)}
    facts = data.facts[data.facts["status"] != "not_published"]
    values = {tuple(k): (v, p) for *k, v, p in facts[key + ["value", "printed"]].itertuples(index=False)}
    by_figure: dict[tuple, list[tuple[str, float, str]]] = {}
    for s, a, m, p, b, v, pr in facts[key + ["value", "printed"]].itertuples(index=False):
        by_figure.setdefault((a, m, p, b), []).append((s, v, pr))
    polarity = dict(zip(data.measures["measure_id"], data.measures["polarity"]))
    rows = []
    for r in verdicts.itertuples(index=False):
        k = (r.source_id, r.area_code, r.measure_id, r.period, r.breakdown)
        value = values.get(k, (None, ""))[0]
        row = {**{c: getattr(r, c) for c in ("source_id", "lines", "area_code", "measure_id", "period", "breakdown",
                                             "comparator", "method", "printed")},
               "value": value, "lower": None, "upper": None, "level": "", "comparator_value": None,
               "comparator_source": "", "recomputed": ""}
        row.update(_judge(r, k, numbers, by_figure, polarity.get(r.measure_id, ""), row))
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def _judge(r, k, numbers, by_figure, polarity: str, row: dict) -> dict:
    def cannot(why: str) -> dict:
        return {"verdict": CANNOT, "reading": why}

    word = r.printed.strip().lower()
    if word == "not compared":
        return cannot("the export did not compare this figure")
    if r.method == "quintiles" or word in QUINTILE_WORDS:
        return cannot("a quintile comparison: it ranks every area, which the export's rows for this area do not show")
    if r.method in ("", "none"):
        return cannot("the mapping does not say how the exporter compares this indicator")
    wanted = printed_direction(r.printed, polarity)
    if wanted is None:
        return cannot(f"the printed verdict {r.printed!r} states no direction the book can check"
                      + (" (the measure states no polarity)" if word in JUDGED else ""))
    lo_name, hi_name, level = LIMITS[r.method]
    lower, upper = numbers.get((*k, lo_name)), numbers.get((*k, hi_name))
    row.update(level=level, lower=lower, upper=upper)
    if lower is None or upper is None or lower != lower or upper != upper:
        return cannot(f"the export prints no {level} interval for this figure")
    printings = by_figure.get((r.comparator, r.measure_id, r.period, r.breakdown), [])
    # The export's own printing of the comparator first; a paper's printing otherwise.
    printings = sorted(printings, key=lambda t: (t[0] != r.source_id, t[0]))
    if not printings:
        return cannot(f"the data hold no {r.period} value of this measure for the comparator")
    source, comparator_value, _ = printings[0]
    row.update(comparator_value=comparator_value, comparator_source=source)
    got = side(lower, upper, comparator_value)
    row["recomputed"] = in_words(got, r.printed, polarity)
    interval = f"{level} interval {lower:g} to {upper:g} against {comparator_value:g}"
    if got == wanted:
        return {"verdict": REPRODUCES, "reading": f"the {interval} gives {row['recomputed']}, as printed"}
    return {"verdict": DIFFERS, "reading": f"the {interval} gives {row['recomputed']}; the export prints {r.printed!r}"}
