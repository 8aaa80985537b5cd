"""Every page still renders when the rows of each measure an area publishes become
not-published rows, a few measures at a time (same ids, no value, nothing printed), as if
the paper had left those cells blank. (A file of its own so that the two halves of this
check run on separate workers.)"""
import numpy as np
import pytest

from test_not_published import BOOK, CCG_MEASURES, GROUP, SECTIONS, render_all


def _withdrawals():
    out = []
    f = BOOK.facts
    for area in SECTIONS:
        own = sorted(set(f.loc[(f["area_code"] == area) & (f["status"] != "not_published"), "measure_id"]) & set(CCG_MEASURES))
        out += [(area, tuple(own[i:i + GROUP])) for i in range(0, len(own), GROUP)]
    return out


@pytest.mark.parametrize("area, measures", _withdrawals(), ids=lambda v: v if isinstance(v, str) else f"{v[0]}+{len(v) - 1}")
def test_pages_render_with_published_figures_withdrawn(area, measures):
    f = BOOK.facts.copy()
    mask = (f["area_code"] == area) & f["measure_id"].isin(measures)
    f.loc[mask, ["value_text", "printed", "status"]] = ["", "", "not_published"]
    f.loc[mask, "value"] = np.nan
    render_all(area, f)
