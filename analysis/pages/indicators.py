"""Imported indicators (an OHID Fingertips export) on an area's pages and in the ledger: each
figure with its interval, England's and the parent's values and the export's verdict beside the
book's; a spine chart of where the area sits against England and the other areas in the export.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from IPython.display import Markdown

from analysis.models import comparisons as cmp
from analysis.pages import charts, report, style
from analysis.pages.pagedata import PageData
from analysis.pages.report import VERDICT_MARK, area_name, source_url

KEY = ["source_id", "area_code", "measure_id", "period", "breakdown"]


def _ledger(page: PageData) -> pd.DataFrame:
    return page.memo("comparisons", lambda: cmp.comparison_ledger(page.data))


def _imported(page: PageData) -> pd.DataFrame:
    """The area's figures that an export prints with statistics (its own area and those below it)."""
    stats = page.data.statistics
    family = set(report.area_family(page.area, page.data))
    keys = stats.loc[stats["area_code"].isin(family), KEY].drop_duplicates()
    f = page.published.data.facts
    return f.merge(keys, on=KEY).sort_values(["measure_id", "breakdown", "period", "area_code"], kind="stable")


def _statistics(page: PageData) -> dict[tuple, list[pd.Series]]:
    """The page's statistics by the figure they are printed beside (indexed once a page)."""
    def index():
        out: dict[tuple, list[pd.Series]] = {}
        for _, r in page.data.statistics.iterrows():
            out.setdefault(tuple(r[KEY]), []).append(r)
        return out
    return page.memo("statistics-by-figure", index)


def _stat(page: PageData, row, statistic: str, comparator: str = "") -> pd.Series | None:
    return next((s for s in _statistics(page).get(tuple(row[KEY]), [])
                 if s["statistic"] == statistic and s["comparator"] == comparator), None)


def _parent(page: PageData, row, england: str | None) -> str | None:
    """The other comparator the export compares the figure with: its parent area."""
    return next((s["comparator"] for s in _statistics(page).get(tuple(row[KEY]), [])
                 if s["statistic"] == "compared" and s["comparator"] != england), None)


def _england(page: PageData) -> str | None:
    a = page.data.areas
    return next(iter(a.loc[a["type"] == "country", "area_code"]), None)


def _comparator_value(page: PageData, row, comparator: str | None) -> pd.Series | None:
    """The comparator's printing of the same figure: the export's own first."""
    if not comparator:
        return None
    f = page.published.data.facts
    hit = f[(f["area_code"] == comparator) & (f["measure_id"] == row["measure_id"]) & (f["period"] == row["period"])
            & (f["breakdown"] == row["breakdown"])]
    if hit.empty:
        return None
    return hit.assign(_own=hit["source_id"] != row["source_id"]).sort_values(["_own", "source_id"]).iloc[0]


def _label(page: PageData, measure: str, breakdown: str) -> str:
    labels = dict(zip(page.data.measures["measure_id"], page.data.measures["label"]))
    return labels.get(measure, measure) + (f" ({breakdown})" if breakdown else "")


def indicator_sentence(page: PageData) -> Markdown:
    name = area_name(page.area, page.data)
    f = _imported(page)
    if f.empty:
        return Markdown(f"The book holds no indicator export (OHID Fingertips) for {name}: the papers' own health "
                        "figures are in the section above.")
    led = _ledger(page)
    own = led.merge(f[KEY], on=KEY)
    sources = ", ".join(sorted(set(f["source_id"])))
    counts = own["verdict"].value_counts()
    return Markdown(
        f"{len(f)} figure(s) for {name} come from an indicator export ({sources}), each with the interval, count and "
        f"comparisons the export prints beside it. The book re-does the export's {len(own)} comparison(s) with England "
        f"and the parent area from the printed interval and the comparator's value: {counts.get('reproduces', 0)} "
        f"reproduce, {counts.get('differs', 0)} differ and {counts.get('cannot check', 0)} cannot be checked.")


def indicator_table(page: PageData) -> charts.Table | None:
    f = _imported(page)
    if f.empty:
        return None
    led = _ledger(page).set_index(KEY + ["comparator"])
    england = _england(page)
    rows = []
    for _, r in f.iterrows():
        lo, hi = _stat(page, r, "lower_95"), _stat(page, r, "upper_95")
        parent = _parent(page, r, england)
        eng, par = _comparator_value(page, r, england), _comparator_value(page, r, parent)
        k = tuple(r[KEY]) + (england,)
        check = led.loc[k] if k in led.index else None
        count = _stat(page, r, "count")
        rows.append({
            "Indicator": _label(page, r["measure_id"], r["breakdown"]),
            "Area": area_name(r["area_code"], page.data),
            "Period": r["period"],
            "Value": f"{r['printed']} {r['unit']}",
            "95% interval": f"{lo['printed']} to {hi['printed']}" if lo is not None and hi is not None else "not printed",
            "Count": count["printed"] if count is not None else "",
            "England": eng["printed"] if eng is not None else "not in the data",
            "Parent": f"{par['printed']} ({area_name(parent, page.data)})" if par is not None else "",
            "Compared to England, as printed": check["printed"] if check is not None else "",
            "Recomputed": check["recomputed"] if check is not None else "",
            "Verdict": VERDICT_MARK.get(check["verdict"], "") if check is not None else "",
            "Source": report.source_label(r),
            "_source_url": source_url(r, page.root),
        })
    shown = pd.DataFrame(rows)
    for c in ("Count", "Parent"):
        if (shown[c] == "").all():
            shown = shown.drop(columns=c)
    download = _ledger(page).merge(f[KEY], on=KEY)
    return charts.Table(shown, f"{area_name(page.area, page.data)}: imported indicators, with the export's comparisons re-done",
                        f"indicators-{page.area.lower()}", links={"Source": "_source_url"},
                        download=download if len(download) else None)


def spine_frame(page: PageData) -> pd.DataFrame:
    """For each of the area's own imported figures with England's value: the area, England, and
    the range and quartiles of the other areas of the same kind in the same export."""
    f = _imported(page)
    f = f[f["area_code"] == page.area]
    england = _england(page)
    kinds = dict(zip(page.data.areas["area_code"], page.data.areas["type"]))
    polarity = dict(zip(page.data.measures["measure_id"], page.data.measures["polarity"]))
    facts = page.published.data.facts
    rows = []
    for _, r in f.iterrows():
        eng = _comparator_value(page, r, england)
        peers = facts[(facts["source_id"] == r["source_id"]) & (facts["measure_id"] == r["measure_id"])
                      & (facts["period"] == r["period"]) & (facts["breakdown"] == r["breakdown"])
                      & (facts["area_code"].map(kinds) == kinds.get(page.area))]
        if eng is None or peers.empty:
            continue
        v = peers["value"].astype(float)
        rows.append({"indicator": _label(page, r["measure_id"], r["breakdown"]), "period": r["period"], "unit": r["unit"],
                     "polarity": polarity.get(r["measure_id"], ""), "value": float(r["value"]), "england": float(eng["value"]),
                     "lowest": v.min(), "q1": v.quantile(0.25), "q3": v.quantile(0.75), "highest": v.max(), "areas": len(v)})
    return pd.DataFrame(rows)


def _scaled(frame: pd.DataFrame) -> pd.DataFrame:
    """Each figure as its distance from England over the widest distance of any area, so that every
    indicator shares one axis (England at 0); flipped where lower is better, so right is better."""
    out = frame.copy()
    spread = pd.concat([(frame[c] - frame["england"]).abs() for c in ("value", "lowest", "highest")], axis=1).max(axis=1)
    spread = spread.where(spread > 0, 1.0)
    sign = frame["polarity"].map({"lower_is_better": -1.0}).fillna(1.0)
    for c in ("value", "lowest", "q1", "q3", "highest"):
        out[f"x_{c}"] = (frame[c] - frame["england"]) / spread * sign
    return out


def spine_chart(page: PageData) -> charts.Chart | None:
    frame = spine_frame(page)
    if frame.empty:
        return None
    s = _scaled(frame)
    name = area_name(page.area, page.data)
    labels = [f"{i}, {p}" for i, p in zip(s["indicator"], s["period"])]
    fig = go.Figure()
    lo = s[["x_lowest", "x_highest"]].min(axis=1)
    hi = s[["x_lowest", "x_highest"]].max(axis=1)
    fig.add_trace(go.Bar(y=labels, x=hi - lo, base=lo, orientation="h", marker_color=style.PALETTE["grey"],
                         name="range of the areas in the export", hoverinfo="skip"))
    q_lo = s[["x_q1", "x_q3"]].min(axis=1)
    fig.add_trace(go.Bar(y=labels, x=s[["x_q1", "x_q3"]].max(axis=1) - q_lo, base=q_lo, orientation="h",
                         marker_color=style.PALETTE["blue"], opacity=0.45, name="middle half (25th to 75th percentile)",
                         hoverinfo="skip"))
    fig.add_trace(go.Scatter(y=labels, x=s["x_value"], mode="markers", marker=dict(size=12, color=style.HIGHLIGHT, symbol="diamond"),
                             name=name, text=[f"{v:g} {u}" for v, u in zip(s["value"], s["unit"])], hoverinfo="text+y"))
    fig.add_vline(x=0, line=dict(color=style.PALETTE["black"], width=2))
    fig.update_layout(title=f"{name} against England (centre line)", barmode="overlay", showlegend=True,
                      height=160 + 48 * len(s))
    fig.update_xaxes(title="distance from England, to the widest of any area (right is better where the measure has a direction)",
                     range=[-1.1, 1.1], zeroline=False, showticklabels=False)
    fig.update_yaxes(autorange="reversed")
    alt = (f"Spine chart of {len(s)} indicator(s) for {name}. " + " ".join(
        f"{r.indicator} ({r.period}): {r.value:g} {r.unit} against England's {r.england:g}; the {r.areas} area(s) in the "
        f"export range from {r.lowest:g} to {r.highest:g}." for r in s.itertuples()))
    table = pd.DataFrame({
        "Indicator": s["indicator"], "Period": s["period"], name: [f"{v:g}" for v in s["value"]],
        "England": [f"{v:g}" for v in s["england"]], "Lowest": [f"{v:g}" for v in s["lowest"]],
        "25th percentile": [f"{v:g}" for v in s["q1"]], "75th percentile": [f"{v:g}" for v in s["q3"]],
        "Highest": [f"{v:g}" for v in s["highest"]], "Areas": s["areas"], "Unit": s["unit"],
    })
    return charts.Chart(fig, f"spine-{page.area.lower()}",
                        "Where the area sits: England is the centre line, the grey bar the range of the areas of the same kind "
                        "in the export and the blue band their middle half; percentiles computed by the book.", alt,
                        charts.Table(table, f"{name}: the spine chart's figures", f"spine-data-{page.area.lower()}",
                                     numeric=("Areas",)))


# --- the ledger's section ----------------------------------------------------------------------

def comparison_sentence(page: PageData) -> Markdown:
    led = _ledger(page)
    if led.empty:
        return Markdown("The book holds no indicator export, so there are no printed comparisons to re-do. An export "
                        "imported with `python -m analysis import-fingertips` adds its comparisons here.")
    c = led["verdict"].value_counts()
    return Markdown(
        f"An indicator export prints, beside each figure, whether the area is better, similar or worse than England "
        f"and its parent area. The book re-does **{len(led)}** such comparisons from the printed interval and the "
        f"comparator's value by the exporter's rule (higher when the interval's lower limit is above the comparator's "
        f"value, lower when its upper limit is below, similar otherwise): **{c.get('reproduces', 0)}** reproduce, "
        f"**{c.get('differs', 0)}** differ and **{c.get('cannot check', 0)}** cannot be checked (a quintile "
        "comparison, no interval, or a verdict the export did not make).")


def comparison_table(page: PageData) -> charts.Table | None:
    led = _ledger(page)
    if led.empty:
        return None
    shown = pd.DataFrame({
        "Figure": [f"{area_name(r.area_code, page.data)}: {_label(page, r.measure_id, r.breakdown)}, {r.period}"
                   for r in led.itertuples()],
        "Compared to": [area_name(c, page.data) for c in led["comparator"]],
        "As printed": led["printed"], "Recomputed": led["recomputed"],
        "Verdict": led["verdict"].map(VERDICT_MARK), "Reading": led["reading"],
        "Source": [f"{r.source_id}, line {r.lines}" for r in led.itertuples()],
        "_source_url": [source_url(r, "../") for _, r in led.iterrows()],
    })
    return charts.Table(shown, f"Comparisons in indicator exports, re-done ({len(led)})", "ledger-comparisons",
                        links={"Source": "_source_url"}, download=led)
