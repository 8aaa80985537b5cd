"""What the notebooks call: each function returns one displayable result
(a sentence, a table or a chart) for one area. No arithmetic lives here
beyond choosing rows; the models do the computing."""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import Markdown

from analysis.pages import charts
from analysis.pages import style
from analysis import data as data_mod
from analysis.data import BookData
from analysis.pages.pagedata import PageData


def show(*results) -> None:
    """Display a section's results in order, skipping any that is None (nothing to show).

    One notebook cell per section instead of one per result: every cell costs a
    round trip to the kernel, which was a large share of a page's render time.
    A result with no HTML or Markdown form would reach the reader as its Python
    repr, so it is refused.
    """
    from IPython.display import display
    for result in results:
        if result is None:
            continue
        if isinstance(result, Markdown) and not (result.data or "").strip():
            raise ValueError("an empty Markdown would show as its repr; return None for nothing to show")
        if not (hasattr(result, "_repr_html_") or hasattr(result, "_repr_markdown_")):
            raise TypeError(f"{type(result).__name__} has no HTML or Markdown form to show")
        display(result)


def area_name(code: str, data: BookData) -> str:
    """The area's name, HTML-escaped: names go into Markdown sentences, where a name
    holding HTML must show as text (tables and captions escape exactly once, see charts.esc)."""
    return html.escape(data.area_names.get(code, code))


def name_md(code: str, data: BookData) -> str:
    """An area name for Markdown text (already escaped by area_name)."""
    return area_name(code, data)


def root_for(code: str, data: BookData) -> str:
    """Relative path from a page to the book folder, by where the page sits."""
    types = dict(zip(data.areas["area_code"], data.areas["type"]))
    return "../../" if types.get(code) == "ccg" else "../"


def source_url(row, root: str) -> str:
    first = str(row["lines"]).split("-")[0]
    return f"{root}sources/{row['source_id']}.html#L{first}"


def source_label(row) -> str:
    lines = str(row["lines"])
    return f"{row['source_id']} {row['table']}, {'lines' if '-' in lines else 'line'} {lines}"


def area_family(area_code: str, data: BookData) -> list[str]:
    """The area and everything below it in the registry (districts, localities, practices)."""
    return data_mod.descendants(data.areas, area_code)


def source_columns(rows: pd.DataFrame, root: str) -> dict[str, list[str]]:
    """A table's "Source" column (paper, table and lines) and the link behind each entry."""
    records = [r for _, r in rows.iterrows()]
    return {"Source": [source_label(r) for r in records], "_source_url": [source_url(r, root) for r in records]}


def facts_table(facts: pd.DataFrame, caption: str, table_id: str, root: str, data: BookData) -> charts.Table:
    """Facts as printed, one row each, with the area, measure, period and a link to the source lines."""
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    types = dict(zip(data.areas["area_code"], data.areas["type"]))
    shown = pd.DataFrame({
        "Area": [f"{area_name(a, data)}" + (f" ({types.get(a)})" if types.get(a) in ("district", "locality", "practice") else "")
                 for a in facts["area_code"]],
        "Measure": [labels.get(m, m) for m in facts["measure_id"]],
        "Breakdown": facts["breakdown"].values,
        "Period": facts["period"].values,
        "As printed": [p if s != "not_published" else f"not published ({p or 'blank'})" for p, s in zip(facts["printed"], facts["status"])],
        "Unit": facts["unit"].values,
        **source_columns(facts, root),
    })
    if (shown["Breakdown"] == "").all():
        shown = shown.drop(columns="Breakdown")
    download = facts[["fact_id", "area_code", "measure_id", "period", "breakdown", "value", "unit", "printed", "status",
                      "source_id", "table", "lines", "note"]]
    return charts.Table(shown, caption, table_id, links={"Source": "_source_url"}, download=download)


def measure_coverage(area_code: str, kind: str, data: BookData) -> tuple[list[str], list[str]]:
    """Measures of a kind that some CCG has: (those with a published figure for this area, those without)."""
    kinds = dict(zip(data.measures["measure_id"], data.measures["kind"]))
    f = data.facts[data.facts["measure_id"].map(kinds) == kind]
    universe = sorted(m for m in _peers(data) if kinds.get(m) == kind)
    own = f[(f["area_code"] == area_code) & (f["status"] != "not_published")]
    have = sorted(set(own["measure_id"]) & set(universe))
    return have, [m for m in universe if m not in have]


def _peers(data: BookData) -> dict[str, tuple[str, ...]]:
    return data.peer_measures if data.peer_measures is not None else data_mod.peer_measures(data)


def coverage_sentence(page: PageData, kind: str, what: str) -> Markdown:
    """The coverage line at the top of a chapter page: a count, and what the sources do not
    publish for this area folded away, grouped by the paper that has it for another CCG."""
    data = page.data
    area_code = page.area
    have, lacking = measure_coverage(area_code, kind, data)
    name = name_md(area_code, data)
    text = f"**Coverage:** the source papers publish **{len(have)} of {len(have) + len(lacking)}** CCG-level {what} measures for {name}."
    if not lacking:
        return Markdown(text)
    matrix = f"{page.root}data-dictionary.html#matrix-{kind}"
    text += (f" The other {len(lacking)} are published for other CCGs only; the data dictionary shows "
             f'<a href="{matrix}">which CCG has which</a>.')
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    titles = dict(zip(data.sources["source_id"], data.sources["title"]))
    peers = _peers(data)
    by_source: dict[str, list[str]] = {}
    for m in lacking:
        by_source.setdefault(peers[m][0], []).append(labels.get(m, m))
    groups = "\n\n".join(
        f"**Paper {html.escape(s)}** ({html.escape(titles.get(s, s))}): " + "; ".join(html.escape(x) for x in sorted(items)) + "."
        for s, items in sorted(by_source.items()))
    summary = f"The {len(lacking)} {what} measures not published for {name}, by the paper that has them for another CCG"
    return Markdown(f'{text}\n\n<details class="book-coverage"><summary>{summary}</summary>\n\n{groups}\n\n</details>\n')


# --- overview: allocation and QIPP (seed 000 Figure 2) ------------------------------------------

FIG2_LABELS = {
    "ccg_allocation": "2013/14 allocation",
    "population_ons_projection": "Population (ONS projection 2013)",
    "allocation_per_head": "Allocation per head",
    "qipp_savings": "QIPP savings",
    "qipp_pct_allocation": "QIPP as % of allocation",
}
TOTALS = ("ESSEX-CCGS", "GREATER-ESSEX")


def allocation_facts(data: BookData) -> pd.DataFrame:
    """One fact per (area, measure) for the allocation comparison: seed 000 Figure 2
    where it has the area, otherwise the area's own published figure (e.g. a new CCG's data)."""
    f = data.facts[data.facts["measure_id"].isin(FIG2_LABELS) & (data.facts["status"] != "not_published")]
    fig2 = f[(f["source_id"] == "000") & (f["table"] == "Figure 2")]
    sections = list(data.areas.loc[data.areas["section"] == "ccg", "area_code"])
    others = f[f["area_code"].isin(sections) & ~f.set_index(["area_code", "measure_id"]).index.isin(
        fig2.set_index(["area_code", "measure_id"]).index)]
    others = others.sort_values(["area_code", "measure_id", "source_id", "period"]).drop_duplicates(["area_code", "measure_id"])
    return pd.concat([fig2, others], ignore_index=True)


def allocation_frame(data: BookData) -> pd.DataFrame:
    """Values for the comparison, one row per CCG with a section (registry order), then the totals."""
    f = allocation_facts(data)
    wide = f.pivot_table(index="area_code", columns="measure_id", values="value", aggfunc="first").reindex(columns=list(FIG2_LABELS))
    order = [c for c in data.areas.loc[data.areas["section"] == "ccg", "area_code"] if c in wide.index]
    return wide.reindex(order + [t for t in TOTALS if t in wide.index])


def _printed(f: pd.DataFrame, area: str, measure: str) -> pd.Series | None:
    rows = f[(f["area_code"] == area) & (f["measure_id"] == measure)]
    return rows.iloc[0] if len(rows) else None


def figure2_comparison(page: PageData) -> charts.Table | Markdown:
    """The CCG's allocation figures beside the Essex (five CCGs) and Greater Essex totals."""
    data = page.data
    area_code = page.area
    f = allocation_facts(data)
    root = page.root
    name = area_name(area_code, data)
    if _printed(f, area_code, "ccg_allocation") is None:
        return Markdown(f"The source papers publish no 2013/14 allocation for {name_md(area_code, data)}.")
    rows = []
    for measure, label in FIG2_LABELS.items():
        own = _printed(f, area_code, measure)
        essex, greater = _printed(f, "ESSEX-CCGS", measure), _printed(f, "GREATER-ESSEX", measure)
        rows.append({
            "Measure": label,
            "Unit": own["unit"] if own is not None else essex["unit"],
            name: own["printed"] if own is not None else style.NOT_PUBLISHED,
            "Essex CCGs (ECC area)": essex["printed"],
            "Greater Essex": greater["printed"],
            "Source": source_label(own) if own is not None else "",
            "_source_url": source_url(own, root) if own is not None else "",
        })
    return charts.Table(pd.DataFrame(rows), f"{name}: 2013/14 allocation and QIPP, as printed",
                        f"fig2-{area_code}", links={"Source": "_source_url"})


def figure2_sentence(page: PageData) -> Markdown:
    data = page.data
    area_code = page.area
    wide = allocation_frame(data)
    name = name_md(area_code, data)
    if area_code not in wide.index or pd.isna(wide.loc[area_code, "ccg_allocation"]):
        return Markdown(f"The source papers publish no 2013/14 allocation or QIPP figures for {name}: "
                        "the comparison below shows the other CCGs only.")
    own, essex, greater = wide.loc[area_code], wide.loc["ESSEX-CCGS"], wide.loc["GREATER-ESSEX"]
    text = f"In 2013/14 {name} was allocated {style.fmt_money(own['ccg_allocation'] / 1000, '£m', 1)}"
    if pd.notna(own["population_ons_projection"]):
        text += f" for {style.fmt_number(own['population_ons_projection'])} residents (ONS 2013 projection)"
    if pd.notna(own["allocation_per_head"]):
        diff = own["allocation_per_head"] - essex["allocation_per_head"]
        side = "more" if diff > 0 else "less"
        text += (f", {style.fmt_money(own['allocation_per_head'])} a head: {style.fmt_money(abs(diff))} {side} than the "
                 f"{style.fmt_money(essex['allocation_per_head'])} across the five CCGs in the Essex County Council area "
                 f"(Greater Essex: {style.fmt_money(greater['allocation_per_head'])})")
    text += "."
    if pd.notna(own["qipp_savings"]):
        text += (f" Its QIPP savings requirement was {style.fmt_money(own['qipp_savings'] / 1000, '£m', 1)}, "
                 f"{style.fmt_pct(own['qipp_pct_allocation'])} of its allocation, against "
                 f"{style.fmt_pct(essex['qipp_pct_allocation'])} across the Essex CCGs.")
    return Markdown(text)


def figure2_chart(page: PageData, measure: str = "allocation_per_head", own: bool = True) -> charts.Chart:
    """One bar per CCG for a Figure 2 measure, the page's CCG highlighted."""
    data = page.data
    area_code = page.area if own else None
    wide = allocation_frame(data)
    frame = wide.drop(index=[t for t in TOTALS if t in wide.index])[[measure]].dropna().reset_index()
    frame.insert(1, "CCG", [area_name(c, data) for c in frame["area_code"]])
    label = FIG2_LABELS[measure]
    unit = data.measures.set_index("measure_id").loc[measure, "unit"]
    y_title = {"£": "£ per head", "%": "% of allocation", "£000": "£000"}.get(unit, unit)
    reference = {
        f"Essex CCGs {style.fmt_value(wide.loc['ESSEX-CCGS', measure], unit)}": wide.loc["ESSEX-CCGS", measure],
        f"Greater Essex {style.fmt_value(wide.loc['GREATER-ESSEX', measure], unit)}": wide.loc["GREATER-ESSEX", measure],
    }
    highlight = area_name(area_code, data) if area_code in set(frame["area_code"]) else None
    ordered = frame.sort_values([measure, "CCG"], ascending=[False, True])
    fig = charts.bar(ordered, "CCG", measure, f"{label}, 2013/14", y_title, highlight=highlight, reference=reference, horizontal=True)
    fig.update_layout(height=380, margin=dict(l=230))
    top, bottom = ordered.iloc[0], ordered.iloc[-1]
    alt = (f"Horizontal bar chart of {label.lower()} for {len(frame)} CCGs in 2013/14. Highest: {top['CCG']} "
           f"({style.fmt_value(top[measure], unit)}); lowest: {bottom['CCG']} ({style.fmt_value(bottom[measure], unit)}).")
    if highlight:
        alt += f" {highlight} is highlighted."
    table = ordered[["CCG", measure]].rename(columns={measure: f"{label} ({unit})"})
    chart_id = f"fig2-{measure.replace('_', '-')}-{(area_code or 'all').lower()}"
    caption = f"{label} by CCG, 2013/14 (source 000 Figure 2). Dashed lines: the Essex (five CCGs) and Greater Essex totals."
    return charts.Chart(fig, chart_id, caption, alt, charts.Table(table, caption, chart_id + "-data", numeric=(f"{label} ({unit})",)))


def figure2_all(page: PageData) -> charts.Table:
    """All the allocation figures as printed, with sources, for the Essex overview."""
    data = page.data
    f = allocation_facts(data)
    rows = []
    for code in allocation_frame(data).index:
        row = {"Area": area_name(code, data)}
        for measure, label in FIG2_LABELS.items():
            fact = _printed(f, code, measure)
            row[label] = fact["printed"] if fact is not None else style.NOT_PUBLISHED
        rows.append(row)
    return charts.Table(pd.DataFrame(rows), "2013/14 allocation, population, allocation per head and QIPP by CCG "
                        "(source 000 Figure 2, lines 247-262)", "fig2-all", numeric=tuple(FIG2_LABELS.values()))


def registry(page: PageData) -> charts.Table:
    """The area's codes, its Health and Wellbeing Board and its 2022 successor ICB."""
    data = page.data
    area_code = page.area
    a = data.areas.set_index("area_code")
    row = a.loc[area_code]
    districts = a[(a["type"] == "district") & (a["parent_code"] == area_code)]["name"]
    frame = pd.DataFrame([
        {"Item": "ODS code", "Value": row["ods_code"]},
        {"Item": "ONS GSS code", "Value": row["gss_code"]},
        {"Item": "Health and Wellbeing Board", "Value": area_name(row["hwb_code"], data) if row["hwb_code"] else "not recorded"},
        {"Item": "Successor ICB (2022)", "Value": area_name(row["icb_code"], data) if row["icb_code"] else "not recorded"},
        {"Item": "Districts", "Value": ", ".join(districts) if len(districts) else "none in the registry"},
    ])
    return charts.Table(frame, f"{row['name']}: codes and organisations", f"registry-{area_code}")


# --- reconciliation ledger -----------------------------------------------------------------

VERDICT_MARK = {"reproduces": "✔ reproduces", "differs": "✘ differs", "cannot check": "– cannot check"}


def ledger(page: PageData) -> pd.DataFrame:
    """The reconciliation ledger over the page's data, evaluated once per page."""
    from analysis.models import checks
    return page.memo("ledger", lambda: checks.evaluate_all(page.data))


def _fmt_num(value, unit: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    return style.fmt_value(value, unit, decimals=style.auto_decimals(round(value, 3)) if abs(value) < 1000 else 0)


def ledger_rows(led: pd.DataFrame, root: str) -> pd.DataFrame:
    """The ledger as shown: verdict as text and mark, figures formatted by unit, sources linked."""
    out = pd.DataFrame({
        # The rule is short (sum, ratio, equal...): it shares the check's cell so that the table fits the column.
        "Check (rule)": [f"{c} ({r})" for c, r in zip(led["check_id"], led["rule"])],
        "Source": [f"{r.source_id} {r.table}, lines {r.lines}" for r in led.itertuples()],
        "_source_url": [source_url(r, root) for _, r in led.iterrows()],
        "Stated (as printed)": led["printed"],
        "Recomputed": [_fmt_num(r.recomputed, r.unit) for r in led.itertuples()],
        "Difference": [_fmt_num(r.difference, r.unit) for r in led.itertuples()],
        "Verdict": led["verdict"].map(VERDICT_MARK),
        "Reading": led["reading"],
    })
    return out


def ledger_summary(page: PageData) -> charts.Table:
    from analysis.models import checks
    led = ledger(page)
    counts = checks.summary_counts(led)
    by_paper = led.groupby(["source_id", "verdict"]).size().unstack(fill_value=0).reindex(columns=list(counts), fill_value=0)
    frame = by_paper.reset_index().rename(columns={"source_id": "Paper"})
    total = {"Paper": "All papers", **counts}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["Checks"] = frame[list(counts)].sum(axis=1)
    return charts.Table(frame, f"{len(led)} checks by paper and verdict", "ledger-summary", numeric=tuple(counts) + ("Checks",))


def ledger_sentence(page: PageData) -> Markdown:
    from analysis.models import checks
    led = ledger(page)
    c = checks.summary_counts(led)
    return Markdown(
        f"The book recomputes **{len(led)}** figures that the papers derive from other figures. "
        f"**{c['reproduces']}** reproduce within the precision they are printed to, **{c['differs']}** differ, "
        f"and **{c['cannot check']}** cannot be checked because an input is not published or the paper states no rule."
    )


def ledger_table(page: PageData, source_id: str) -> charts.Table:
    led = ledger(page)
    part = led[led["source_id"] == source_id].sort_values(["table", "check_id"])
    shown = ledger_rows(part, "../")
    return charts.Table(shown, f"Checks on paper {source_id} ({len(part)})", f"ledger-{source_id}",
                        links={"Source": "_source_url"}, download=part)


def ledger_download(page: PageData) -> charts.Table:
    """The full ledger as one CSV, with the differing checks shown."""
    led = ledger(page)
    differs = led[led["verdict"] == "differs"]
    return charts.Table(ledger_rows(differs, "../"), f"The {len(differs)} figures that differ, with the likely cause",
                        "ledger-differs", links={"Source": "_source_url"}, download=led)


def area_checks(page: PageData) -> charts.Table | Markdown:
    from analysis.models import checks
    data = page.data
    area_code = page.area
    led = checks.checks_for_area(ledger(page), data, area_code)
    if led.empty:
        return Markdown(f"No figure the papers derive is about {name_md(area_code, data)} alone; "
                        f'see the <a href="{page.root}ledger.html">reconciliation ledger</a> for the county checks.')
    c = checks.summary_counts(led)
    caption = (f"Checks on {area_name(area_code, data)}'s figures: {c['reproduces']} reproduce, "
               f"{c['differs']} differ, {c['cannot check']} cannot be checked")
    return charts.Table(ledger_rows(led, page.root), caption, f"checks-{area_code}",
                        links={"Source": "_source_url"}, download=led)


# --- data dictionary ---------------------------------------------------------------------------

def data_dictionary_sentence(page: PageData) -> Markdown:
    data = page.data
    f = data.facts
    counts = f["status"].value_counts()
    return Markdown(
        f"The book's data hold **{len(f):,}** figures transcribed from **{f['source_id'].nunique()}** papers, "
        f"on **{f['measure_id'].nunique()}** measures and **{f['area_code'].nunique()}** areas. "
        f"{counts.get('published', 0):,} are printed exactly, {counts.get('approximate', 0):,} are printed as approximate "
        f"(circa, about, up to) and {counts.get('not_published', 0):,} are template placeholders or blank cells, "
        "recorded as not published rather than as zero. [What each section needs](needs.html) lists, for each model "
        "the CCG pages run, the measures that make it appear and the CCGs that have them."
    )


def data_dictionary(page: PageData, kind: str) -> charts.Table:
    """Every measure of a kind: definition, unit, the papers it comes from and how many areas have it."""
    data = page.data
    m = data.measures[data.measures["kind"] == kind]
    f = data.facts[data.facts["status"] != "not_published"]
    by_measure = f.groupby("measure_id")
    rows = []
    for r in m.sort_values("measure_id").itertuples():
        part = by_measure.get_group(r.measure_id) if r.measure_id in by_measure.groups else f.iloc[0:0]
        rows.append({
            "Measure": r.label, "Id": r.measure_id, "Unit": r.unit, "Definition": r.definition,
            "Polarity": r.polarity.replace("_", " ") if r.polarity else "",
            "Papers": ", ".join(sorted(set(part["source_id"]))) or "none (placeholders only)",
            "Areas with a figure": part["area_code"].nunique(),
            "Figures": len(part),
        })
    frame = pd.DataFrame(rows)
    return charts.Table(frame, f"{kind.capitalize()} measures ({len(frame)})", f"dictionary-{kind}",
                        numeric=("Areas with a figure", "Figures"))


def ccg_measure_matrix(page: PageData, kind: str) -> charts.Table:
    """Which CCGs have a published figure for each CCG-level measure of a kind."""
    data = page.data
    ccgs = data.areas[data.areas["type"] == "ccg"]
    kinds = dict(zip(data.measures["measure_id"], data.measures["kind"]))
    labels = dict(zip(data.measures["measure_id"], data.measures["label"]))
    f = data.facts[(data.facts["measure_id"].map(kinds) == kind) & data.facts["area_code"].isin(ccgs["area_code"])]
    published = f[f["status"] != "not_published"]
    have = set(zip(published["measure_id"], published["area_code"]))
    rows = []
    for measure in sorted(set(f["measure_id"])):
        row = {"Measure": labels.get(measure, measure)}
        for code, name in zip(ccgs["area_code"], ccgs["name"]):
            row[name.replace(" CCG", "")] = "✔ yes" if (measure, code) in have else "– no"
        rows.append(row)
    frame = pd.DataFrame(rows)
    return charts.Table(frame, f"CCG-level {kind} measures: which CCGs the papers give a figure for",
                        f"matrix-{kind}")


# --- home page -----------------------------------------------------------------------------------

def home_table(page: PageData) -> charts.Table:
    """Each CCG's headline figures, linking to its section."""
    data = page.data
    wide = allocation_frame(data)
    rows = []
    for code, name in zip(data.areas["area_code"], data.areas["name"]):
        if data.areas.set_index("area_code").loc[code, "section"] != "ccg":
            continue
        row = wide.loc[code] if code in wide.index else None
        def val(measure, unit):
            return style.fmt_value(row[measure], unit) if row is not None and pd.notna(row[measure]) else style.NOT_PUBLISHED
        rows.append({
            "CCG": html.escape(name), "_url": f"ccg/{code}/overview.html", "ODS code": code,
            "Allocation 2013/14": style.fmt_money(row["ccg_allocation"] / 1000, "£m", 1) if row is not None and pd.notna(row["ccg_allocation"]) else style.NOT_PUBLISHED,
            "Population (ONS 2013)": val("population_ons_projection", "count"),
            "Allocation per head": val("allocation_per_head", "£"),
            "QIPP % of allocation": val("qipp_pct_allocation", "%"),
        })
    frame = pd.DataFrame(rows)
    return charts.Table(frame, f"The {len(frame)} CCGs with a section in the book, 2013/14 (source 000 Figure 2): follow a name to its section",
                        "home-ccgs", numeric=("Allocation 2013/14", "Population (ONS 2013)", "Allocation per head", "QIPP % of allocation"),
                        links={"CCG": "_url"})


DOWNLOAD_COLUMNS = ["fact_id", "area_code", "measure_id", "period", "breakdown", "value", "unit", "printed", "status",
                    "source_id", "table", "lines", "note"]


def download_name(area_code: str) -> str:
    return f"{area_code}-all-data.csv"


def area_download_frame(data: BookData, area_code: str) -> pd.DataFrame:
    """Every figure the book holds for the area and everything below it, as the CSV lists them."""
    return data.facts[data.facts["area_code"].isin(area_family(area_code, data))][DOWNLOAD_COLUMNS]


def area_data_download(page: PageData) -> charts.Table:
    """Every figure the book holds for the area, its districts, localities and practices, as one CSV."""
    data = page.data
    area_code = page.area
    f = area_download_frame(data, area_code)
    counts = f["status"].value_counts()
    summary = pd.DataFrame([{
        "Figures": len(f), "Published": int(counts.get("published", 0)), "Approximate": int(counts.get("approximate", 0)),
        "Not published (placeholders, blanks)": int(counts.get("not_published", 0)), "Papers": ", ".join(sorted(set(f["source_id"]))),
    }])
    # The CSV is written beside the site by the build (analysis.build.render.write_downloads),
    # not inlined, to keep the page within its weight budget.
    name = download_name(area_code)
    return charts.Table(summary, f"All data for {area_name(area_code, data)}: every figure in one CSV", f"all-data-{area_code}",
                        download=f, download_href=f"{page.root}../_static/downloads/{name}")
