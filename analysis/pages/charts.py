"""Charts and tables as self-contained HTML blocks.

Headless papermill runs give plotly only its JSON mimetype, which Jupyter
Book 1 drops, so every chart is emitted as HTML that calls the one shared
plotly.js the site carries. Each chart carries a caption, a text
alternative and its data table; each table carries a CSV download built
from the same frame the page shows.
"""
from __future__ import annotations

import html
import re
import urllib.parse
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from analysis.pages import style

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def slug(text: str) -> str:
    """An id fragment safe for HTML and file names.

    >>> slug("Allocation per head (£), 2013/14")
    'allocation-per-head-2013-14'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def figure_html(fig: go.Figure, chart_id: str) -> str:
    """Plotly figure as an HTML fragment with a fixed div id, so renders are deterministic."""
    fig.update_layout(template="essexbook")
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=chart_id, config=PLOTLY_CONFIG, default_width="100%")


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV; names escaped for the page are plain text again."""
    plain = frame.copy()
    for column in plain.columns:
        values = plain[column]
        if values.dtype.kind in "biufcmM":
            continue  # numbers and dates hold no escapes
        # Only cells holding "&" can hold an escape: unescaping cell by cell is slow for a whole area's facts.
        try:
            escaped = values.str.contains("&", regex=False, na=False).astype(bool)
        except AttributeError:  # a column of other objects
            escaped = values.map(lambda v: isinstance(v, str) and "&" in v).astype(bool)
        if escaped.any():
            plain[column] = values.where(~escaped, values[escaped].map(html.unescape))
    return plain.to_csv(index=False, lineterminator="\n")


def csv_data_uri(frame: pd.DataFrame) -> str:
    return "data:text/csv;charset=utf-8," + urllib.parse.quote(csv_text(frame))


def esc(text) -> str:
    """Escape for HTML exactly once: area names arrive already escaped (see report.area_name).
    markupsafe would mark escaped text instead; the book's fragments are plain strings built in
    one place (here and table_html), so the standard library's html.escape is enough.

    >>> esc("A & B"), esc("A &amp; B"), esc("<script>")
    ('A &amp; B', 'A &amp; B', '&lt;script&gt;')
    """
    return html.escape(html.unescape(str(text)))


_LONG_TOKEN = re.compile(r"[^\s<>&]{18,}")


def _cell(value) -> str:
    """A table cell's text, escaped; a long identifier may break after '.', '_' or '/' so
    that tables fit the content column instead of scrolling sideways.

    >>> _cell("002b.mtfp.tariff.2012-13"), _cell(None), _cell("a & b")
    ('002b.<wbr>mtfp.<wbr>tariff.<wbr>2012-13', '', 'a &amp; b')
    """
    text = esc("" if value is None or (isinstance(value, float) and pd.isna(value)) else value)
    return _LONG_TOKEN.sub(lambda m: re.sub(r"([._/])", r"\1<wbr>", m[0]), text)


def _rows(frame: pd.DataFrame):
    """Each row by column, with the values ``iterrows`` gives (one array of the frame's common
    type), without building a Series a row."""
    if not frame.columns.is_unique:
        yield from (row for _, row in frame.iterrows())
        return
    position = {c: i for i, c in enumerate(frame.columns)}
    for values in frame.values:
        yield {c: values[i] for c, i in position.items()}


def table_html(frame: pd.DataFrame, caption: str, table_id: str, numeric: tuple[str, ...] = (), download: pd.DataFrame | None = None,
               links: dict[str, str] | None = None, download_href: str | None = None) -> str:
    """A plain, accessible HTML table; every cell is escaped.

    ``links`` maps a column to a column of URLs: the cell becomes a link.
    ``download`` is the frame offered as CSV (defaults to the shown frame).
    """
    links = links or {}
    shown = [c for c in frame.columns if c not in links.values()]
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in numeric else ""}>{_cell(c)}</th>' for c in shown)
    body = []
    for row in _rows(frame):
        cells = []
        for c in shown:
            text = _cell(row[c])
            if c in links and row[links[c]]:
                text = f'<a href="{html.escape(str(row[links[c]]))}">{text}</a>'
            cells.append(f"<td{num if c in numeric else ''}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    data = download if download is not None else frame[shown]
    # Many columns: a compact style, so that the table still fits the content column.
    klass = "book-table book-table-wide" if len(shown) >= 7 else "book-table"
    return (
        f'<table class="{klass}" id="{esc(table_id)}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f'<p class="book-download"><a download="{esc(table_id)}.csv" href="{esc(download_href) if download_href else csv_data_uri(data)}">'
        f"Download this table as CSV</a></p>"
    )


@dataclass
class Table:
    frame: pd.DataFrame
    caption: str
    table_id: str
    numeric: tuple[str, ...] = ()
    download: pd.DataFrame | None = None
    links: dict[str, str] = field(default_factory=dict)
    download_href: str | None = None  # a CSV file beside the site, for downloads too big to inline

    def _repr_html_(self) -> str:
        return table_html(self.frame, self.caption, self.table_id, self.numeric, self.download, self.links, self.download_href)

    def __repr__(self) -> str:
        return f"Table {self.table_id}: {self.caption} ({len(self.frame)} rows)"


@dataclass
class Chart:
    fig: go.Figure
    chart_id: str
    caption: str
    alt: str
    data: Table

    def _repr_html_(self) -> str:
        return (
            # The text alternative is a described-by paragraph, not role="img": the chart has controls inside.
            f'<figure class="book-chart" id="fig-{esc(self.chart_id)}" aria-describedby="alt-{esc(self.chart_id)}">'
            f'<p class="chart-alt" id="alt-{esc(self.chart_id)}">{esc(self.alt)}</p>'
            f"{figure_html(self.fig, self.chart_id)}"
            f"<figcaption>{esc(self.caption)}</figcaption>"
            f'<details class="book-data"><summary>Show the data behind this chart</summary>{self.data._repr_html_()}</details>'
            "</figure>"
        )

    def __repr__(self) -> str:
        return f"Chart {self.chart_id}: {self.caption}"


# --- chart builders (pure: frame in, figure out) ---------------------------------

def bar(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, highlight: str | None = None,
        reference: dict[str, float] | None = None, horizontal: bool = False) -> go.Figure:
    """One bar per row; the highlighted row in the accent colour, reference lines dashed."""
    colours = [style.HIGHLIGHT if highlight is not None and v == highlight else style.PALETTE["blue"] for v in frame[x]]
    if horizontal:
        trace = go.Bar(y=frame[x], x=frame[y], orientation="h", marker_color=colours, name=y_title)
    else:
        trace = go.Bar(x=frame[x], y=frame[y], marker_color=colours, name=y_title)
    fig = go.Figure(trace)
    for i, (label, value) in enumerate((reference or {}).items()):
        # Reference lines go in the legend: their labels would overlap when the values are close.
        line = dict(color=style.PALETTE["black"], dash=["dash", "dot", "dashdot"][i % 3], width=1.5)
        if horizontal:
            fig.add_trace(go.Scatter(x=[value, value], y=[frame[x].iloc[0], frame[x].iloc[-1]], mode="lines", line=line, name=label))
        else:
            fig.add_trace(go.Scatter(x=[frame[x].iloc[0], frame[x].iloc[-1]], y=[value, value], mode="lines", line=line, name=label))
    fig.update_layout(title=title, showlegend=bool(reference))
    if horizontal:
        fig.update_xaxes(title=y_title)
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(title=y_title)
    return fig


def grouped_bar(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str) -> go.Figure:
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.groupby(group, sort=False)):
        fig.add_trace(go.Bar(x=part[x], y=part[y], name=str(name), marker_color=style.SERIES[i % len(style.SERIES)]))
    fig.update_layout(title=title, barmode="group")
    fig.update_yaxes(title=y_title)
    return fig


def lines(frame: pd.DataFrame, x: str, y: str, group: str, title: str, y_title: str, dashed: tuple[str, ...] = ()) -> go.Figure:
    fig = go.Figure()
    for i, (name, part) in enumerate(frame.groupby(group, sort=False)):
        fig.add_trace(go.Scatter(
            x=part[x], y=part[y], name=str(name), mode="lines+markers",
            line=dict(color=style.SERIES[i % len(style.SERIES)], dash="dash" if name in dashed else "solid"),
            marker=dict(symbol=["circle", "square", "diamond", "triangle-up", "x", "cross"][i % 6], size=8),
        ))
    fig.update_layout(title=title)
    fig.update_yaxes(title=y_title)
    return fig


def waterfall(labels: list[str], values: list[float], measures: list[str], title: str, y_title: str) -> go.Figure:
    """A bridge: ``measures`` are plotly's 'absolute', 'relative' or 'total'."""
    fig = go.Figure(go.Waterfall(
        x=labels, y=values, measure=measures,
        increasing=dict(marker=dict(color=style.PALETTE["vermillion"])),
        decreasing=dict(marker=dict(color=style.PALETTE["green"])),
        totals=dict(marker=dict(color=style.PALETTE["blue"])),
        connector=dict(line=dict(color=style.MUTED, width=1)),
    ))
    fig.update_layout(title=title, showlegend=False)
    fig.update_yaxes(title=y_title)
    return fig


def tornado(frame: pd.DataFrame, label: str, low: str, high: str, title: str, x_title: str) -> go.Figure:
    fig = go.Figure([
        go.Bar(y=frame[label], x=frame[low], orientation="h", name="Assumption lower", marker_color=style.PALETTE["green"]),
        go.Bar(y=frame[label], x=frame[high], orientation="h", name="Assumption higher", marker_color=style.PALETTE["vermillion"]),
    ])
    fig.update_layout(title=title, barmode="overlay")
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(autorange="reversed")
    return fig


def small_multiples(frame: pd.DataFrame, x: str, y: str, group: str, panel: str, title: str,
                    dashed: tuple[str, ...] = (), marks: dict | None = None, tick_labels: dict | None = None,
                    cols: int = 2) -> go.Figure:
    """One small line chart per ``panel`` value, each on its own y axis (the
    panels may be in different units); a series keeps its colour and marker
    in every panel and appears once in the legend. ``marks`` maps a panel to
    an x value drawn as a dotted vertical line with its label, as (x, label);
    ``tick_labels`` maps a panel to {x value: tick text}.
    """
    from plotly.subplots import make_subplots

    panels = list(dict.fromkeys(frame[panel]))
    series = list(dict.fromkeys(frame[group]))
    rows = -(-len(panels) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=panels, vertical_spacing=0.12, horizontal_spacing=0.1)
    symbols = ["circle", "square", "diamond", "triangle-up", "x", "cross"]
    shown = set()
    for p_i, name in enumerate(panels):
        r, c = p_i // cols + 1, p_i % cols + 1
        part = frame[frame[panel] == name]
        for s_i, s in enumerate(series):
            pts = part[part[group] == s]
            if pts.empty:
                continue
            fig.add_trace(go.Scatter(
                x=pts[x], y=pts[y], name=str(s), legendgroup=str(s), showlegend=s not in shown,
                mode="lines+markers",
                line=dict(color=style.SERIES[s_i % len(style.SERIES)], dash="dash" if s in dashed else "solid"),
                marker=dict(symbol=symbols[s_i % len(symbols)], size=8),
            ), row=r, col=c)
            shown.add(s)
        if marks and name in marks:
            at, label = marks[name]
            fig.add_vline(x=at, line=dict(color=style.MUTED, dash="dot", width=1.5), annotation_text=label,
                          annotation_position="top left", annotation_font_size=11, row=r, col=c)
        if tick_labels and name in tick_labels:
            xs = sorted(tick_labels[name])
            fig.update_xaxes(tickvals=xs, ticktext=[tick_labels[name][v] for v in xs], row=r, col=c)
    fig.update_layout(title=title, height=300 * rows + 120)
    return fig

