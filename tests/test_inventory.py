"""The figure inventory: every source line each rendered page cites (a figure's link to its
paper and lines). Pages may gain citations, and the snapshot is then updated; a citation that
disappears from a page is a figure the page no longer shows, and fails here until the change
is deliberate (update with ``UPDATE_INVENTORY=1 pytest tests/test_inventory.py``)."""
import json
import os
import re

from analysis import ROOT

SNAPSHOT = ROOT / "tests" / "snapshots" / "inventory.csv"
LINK = re.compile(r"sources/([0-9A-Za-z-]+)\.html#L(\d+)")


def inventory() -> list[str]:
    rows = set()
    for nb in sorted((ROOT / "book").rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb.parts:
            continue
        page = nb.relative_to(ROOT).as_posix()
        text = json.dumps([c.get("outputs", []) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]])
        rows |= {f"{page},{s},{int(line)}" for s, line in LINK.findall(text)}
    return sorted(rows, key=lambda r: (r.split(",")[0], r.split(",")[1], int(r.split(",")[2])))


def test_every_cited_figure_is_still_cited():
    now = inventory()
    if os.environ.get("UPDATE_INVENTORY"):
        SNAPSHOT.write_text("page,source,line\n" + "\n".join(now) + "\n", encoding="utf-8")
    kept = SNAPSHOT.read_text(encoding="utf-8").splitlines()[1:]
    lost = sorted(set(kept) - set(now))
    assert not lost, f"pages no longer cite these source lines: {lost[:20]} ({len(lost)} in all)"
    assert len(now) >= len(kept) > 600


def test_the_inventory_sees_citations():
    # The 2013/14 plan's recurrent gap (002 line 1296), linked from the plan check table.
    assert "book/ccg/99F/finance.ipynb,002,1296" in inventory()
