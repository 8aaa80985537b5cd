"""Back-tests of the transcription: every table whose rows the paper totals
re-adds to the printed total, within the rounding of the printed rows.

A total that does not re-add is allowed only where the paper itself is wrong
and the check records the reading of why (its ``cause``); a slip in the
transcription has no such reading and fails here."""
import pytest

from analysis import data
from analysis.models import checks

DEFS = {c.check_id: c for c in checks.load_checks(data.DATA_DIR / "checks.csv")}
TOTAL_RULES = {"sum", "difference"}


def _tables():
    facts = data.load().facts.set_index("fact_id")
    groups = {}
    for c in DEFS.values():
        if c.rule in TOTAL_RULES and c.stated in facts.index:
            row = facts.loc[c.stated]
            groups.setdefault(f"{row['source_id']} {row['table']}", []).append(c.check_id)
    return groups


TABLES = _tables()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_table_totals_re_add(book_data, table):
    led = checks.ledger(book_data, [DEFS[i] for i in TABLES[table]])
    bad = led[(led["verdict"] == checks.DIFFERS) & ~led["check_id"].map(lambda i: bool(DEFS[i].cause))]
    assert bad.empty, bad[["check_id", "printed", "recomputed"]].to_string()


def test_every_table_in_the_index_has_facts(book_data):
    # One (source, line range) per row of the sources' table index; each must have facts in range.
    index = {
        "000": [(133, 133), (217, 245), (233, 241), (247, 262), (349, 352), (548, 548), (587, 587), (772, 792), (796, 823),
                (813, 845), (859, 921), (995, 995), (1325, 1477), (1403, 1418), (1465, 1477)],
        "001": [(120, 127), (417, 458), (468, 490), (504, 519), (521, 542), (548, 561), (941, 989), (1021, 1042), (1076, 1129),
                (1244, 1244), (1479, 1626), (1669, 1714), (1725, 1825), (1930, 1945), (2034, 2068)],
        "002": [(63, 79), (81, 109), (113, 124), (132, 143), (188, 188), (860, 945), (978, 988), (1038, 1075), (1082, 1112),
                (1116, 1133), (1270, 1297), (1301, 1333), (1353, 1358), (1364, 1383), (1397, 1451), (1518, 1568), (1831, 1865),
                (1869, 1906), (1931, 1996)],
        "003": [(200, 208), (231, 235), (398, 416), (645, 665), (667, 684)],
        "004": [(22, 35)],
    }
    f = book_data.facts
    first = f["lines"].str.split("-").str[0].astype(int)
    missing = []
    for source, ranges in index.items():
        for lo, hi in ranges:
            hit = f[(f["source_id"] == source) & (first >= lo - 3) & (first <= hi + 3)]
            if hit.empty:
                missing.append(f"{source} lines {lo}-{hi}")
    assert not missing, f"index rows with no transcribed facts: {missing}"
