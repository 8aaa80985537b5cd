"""Demographics pages: the age structure from imported ONS mid-year estimates by single
year of age (analysis.data.population). The bands and the older age groups are the
book's sums of the single years, labelled as such; the All Ages figure is as printed.
"""
from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis.data import BookData
from analysis.data import population as pop
from analysis.models import demographics as dm
from analysis.pages import charts, report, style
from analysis.pages.pagedata import PageData
from analysis.pages.demographics.common import DOWNLOAD_COLUMNS, _chart, _pct, _src, judge

OLDER = (("65 and over", 65), ("75 and over", 75), ("85 and over", 85))


def estimate_rows(area_code: str, data: BookData) -> tuple[pd.Series, pd.DataFrame] | None:
    """The latest estimate for the area, persons: its All Ages fact and its single years (with
    ``age``, the age each starts at), from one source; None when the data hold none."""
    f = data.facts
    f = f[(f["area_code"] == area_code) & (f["measure_id"] == pop.MEASURE) & (f["status"] == "published")]
    parsed = f["breakdown"].map(pop.parse_breakdown)
    f = f[parsed.map(lambda p: p is not None and p[0] == "persons")]
    if f.empty:
        return None
    latest = f[f["period"] == max(f["period"])]
    latest = latest[latest["source_id"] == latest["source_id"].iloc[0]]
    total = latest[latest["breakdown"] == ""]
    years = latest[latest["breakdown"] != ""]
    if total.empty or years.empty:
        return None
    years = years.assign(age=years["breakdown"].map(lambda b: pop.age_value(pop.parse_breakdown(b)[1]))).sort_values("age")
    return total.iloc[0], years


def _band_of(age: int) -> str:
    return next(label for label, lo, hi in dm.AGE_BANDS if age >= lo and (hi is None or age <= hi))


def _lines(rows: pd.DataFrame) -> str:
    lines = sorted(set(rows["lines"]), key=lambda s: int(str(s).split("-")[0]))
    return f"{rows['source_id'].iloc[0]}, line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"


def band_frame(area_code: str, data: BookData) -> pd.DataFrame:
    """The population by age band, each band the book's sum of its single years, with its share
    of the printed All Ages figure."""
    found = estimate_rows(area_code, data)
    cols = ["band", "people", "share", "ages", "period", "source"]
    if found is None:
        return pd.DataFrame(columns=cols)
    total, years = found
    sums = dm.band_sums(dict(zip(years["age"], years["value"])))
    rows = []
    for label, lo, hi in dm.AGE_BANDS:
        held = years[years["age"].map(_band_of) == label]
        if held.empty:
            continue
        rows.append({"band": label, "people": sums[label], "share": dm.share_pct(sums[label], total["value"]),
                     "ages": f"{lo} to {hi}" if hi is not None else f"{lo} to 90+", "period": total["period"],
                     "source": _lines(held)})
    return pd.DataFrame(rows, columns=cols)


def age_band_chart(page: PageData) -> charts.Chart | None:
    """A bar per age band of the ONS estimate; None when the area's data hold no estimate."""
    area_code = page.area
    data = page.published.data
    frame = band_frame(area_code, data)
    if frame.empty:
        return None
    total, years = estimate_rows(area_code, data)
    name = report.area_name(area_code, data)
    period = total["period"]
    shown = pd.DataFrame({
        "Age band": frame["band"], "People (sum by the book)": [style.fmt_number(v) for v in frame["people"]],
        "Share of All Ages (book)": [_pct(s) for s in frame["share"]], "Single years summed": frame["ages"],
        "Source": frame["source"],
    })
    fig = charts.bar(frame.assign(label=frame["band"] + " (book's sum)"), "label", "people",
                     f"{name}: population by age band, mid-{period} (ONS estimates)", "People")
    fig.update_yaxes(rangemode="tozero")
    alt = (f"Bar chart of the population of {name} by age band in mid-{period}, each band summed by the book from the ONS "
           "single years of age: " + "; ".join(f"{b}: {style.fmt_number(v)}" for b, v in zip(frame["band"], frame["people"]))
           + f"; All Ages as printed {total['printed']}.")
    caption = (f"{name}: resident population by age band, mid-{period}. Each band is the book's sum of the ONS mid-year "
               f"estimates by single year of age ({_src(total)}).")
    download = years.assign(band=years["age"].map(_band_of))[["band"] + DOWNLOAD_COLUMNS].reset_index(drop=True)
    return _chart(fig, f"dem-age-bands-{area_code.lower()}", caption, alt, shown, ("People (sum by the book)",),
                  download=download)


def older_frame(area_code: str, data: BookData) -> pd.DataFrame:
    """The 65+, 75+ and 85+ counts (the book's sums of the single years) and their shares of All Ages."""
    found = estimate_rows(area_code, data)
    cols = ["group", "people", "share", "fact_ids"]
    if found is None:
        return pd.DataFrame(columns=cols)
    total, years = found
    rows = []
    for label, start in OLDER:
        held = years[years["age"] >= start]
        if held.empty:
            continue
        people = float(held["value"].sum())
        rows.append({"group": label, "people": people, "share": dm.share_pct(people, total["value"]),
                     "fact_ids": " ".join(held["fact_id"])})
    return pd.DataFrame(rows, columns=cols)


def _older(page: PageData):
    """The page's published data, its latest estimate (All Ages and single years) and its older
    groups; None when the area's data hold no estimate."""
    data = page.published.data
    found = estimate_rows(page.area, data)
    frame = older_frame(page.area, data)
    if found is None or frame.empty:
        return None
    return (data, *found, frame)


def older_people_sentence(page: PageData) -> Markdown | None:
    held = _older(page)
    if held is None:
        return None
    area_code = page.area
    data, total, years, frame = held
    name = report.area_name(area_code, data)
    parts = [f"{style.fmt_number(r.people)} people aged {r.group} ({_pct(r.share)})" for r in frame.itertuples()]
    added = float(years["value"].sum())
    text = (f"The ONS mid-year estimates for {total['period']} ({_src(total)}) put the population of {name} at "
            f"{total['printed']} (All Ages, as printed). Adding up the single years of age, the book finds "
            + "; ".join(parts) + " of all ages. ")
    text += (f"The {len(years)} single years add to {style.fmt_number(added)} against the All Ages figure of "
             f"{total['printed']} ({judge(added, total)}; the reconciliation ledger checks it).")
    return Markdown(text)


def older_people_table(page: PageData) -> charts.Table | None:
    held = _older(page)
    if held is None:
        return None
    area_code = page.area
    data, total, years, frame = held
    root = report.root_for(area_code, data)
    shown = pd.DataFrame({
        "Age group": ["All ages (as printed)"] + [f"{g} (sum by the book)" for g in frame["group"]],
        "People": [total["printed"]] + [style.fmt_number(v) for v in frame["people"]],
        "Share of All Ages (book)": [""] + [_pct(s) for s in frame["share"]],
        "Source": [_src(total)] + [_lines(years[years["age"] >= start]) for _, start in OLDER[:len(frame)]],
        "_source_url": [report.source_url(total, root)] * (len(frame) + 1),
    })
    download = years.assign(older=[", ".join(g for g, start in OLDER if a >= start) for a in years["age"]])
    download = pd.concat([total.to_frame().T.assign(older="all ages"), download])[["older"] + DOWNLOAD_COLUMNS]
    caption = (f"{report.area_name(area_code, data)}: older people in the ONS mid-year estimates, {total['period']}; "
               "each group summed by the book from the single years of age")
    return charts.Table(shown, caption, f"dem-age-ons-{area_code.lower()}", numeric=("People",),
                        links={"Source": "_source_url"}, download=download.reset_index(drop=True))
