"""Bar charts of the catalogue's aggregate queries, drawn on the server as SVG.

A query whose header has a ``chart`` (:class:`isgraph.query.catalogue.Chart`) is drawn as
horizontal bars, one per category, split into its series and sorted by their total. The
SVG has a title and a description for screen readers, a ``<title>`` (a tooltip) on every
segment, links from each category to its page, and its table beside it on the page: the
chart shows, the table tells.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from isgraph.query.catalogue import Chart
from isgraph.store import Collected
from isgraph.web.html import esc, shorten

#: Colours that stay apart for colour-blind readers (Okabe and Ito), for series in general.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999")
#: The colours of the levels of realisation, on every chart and on the grid picture.
LEVEL_COLOURS = {"present": "#1a7f37", "en-cours": "#f2c14e", "absent": "#c0392b", "non-renseigne": "#b8b8b8"}
#: The columns of grid-coverage-per-case, by the level they count.
_LEVEL_COLUMNS = {"present": "present", "inProgress": "en-cours", "absent": "absent", "notFilled": "non-renseigne"}
#: The most bars one chart draws (its table lists every row).
MAX_BARS = 30

_WIDTH, _LABELS, _ROW, _TOP = 760, 230, 24, 20


@dataclass
class ChartData:
    """What a chart draws: categories (key, label, link) and series (key, label), and a value per pair."""

    categories: list[tuple[str, str, str | None]] = field(default_factory=list)
    series: list[tuple[str, str]] = field(default_factory=list)
    values: dict[tuple[str, str], float] = field(default_factory=dict)

    def total(self, category: str) -> float:
        return sum(self.values.get((category, s), 0.0) for s, _ in self.series)


def chart_data(collected: Collected, chart: Chart, label: Callable[[str], str], href: Callable[[str], str]) -> ChartData:
    """The chart's categories, series and values, read from a query's whole result."""
    variables, rows = collected.table()
    at = {name: i for i, name in enumerate(variables)}
    data = ChartData()
    seen_categories: dict[str, tuple[str, str, str | None]] = {}
    seen_series: dict[str, tuple[str, str]] = {}

    def key_of(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> tuple[str, str, str | None]:
        if term is None:
            return "", "—", None
        if isinstance(term, ox.NamedNode):
            return term.value, label(term.value), href(term.value)
        return term.value, term.value, None

    def number(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> float:
        try:
            return float(term.value) if isinstance(term, ox.Literal) else 0.0
        except ValueError:
            return 0.0

    if chart.category not in at:
        return data
    for row in rows:
        category = key_of(row[at[chart.category]])
        seen_categories.setdefault(category[0], category)
        if chart.values:
            for column in chart.values:
                if column in at:
                    seen_series.setdefault(column, (column, column))
                    data.values[(category[0], column)] = data.values.get((category[0], column), 0.0) + number(row[at[column]])
            continue
        if chart.series and chart.series in at:
            key, text, _ = key_of(row[at[chart.series]])
            series = (key, text)
        else:
            series = ("", chart.value or "")
        seen_series.setdefault(series[0], series)
        amount = number(row[at[chart.value]]) if chart.value and chart.value in at else 1.0
        data.values[(category[0], series[0])] = data.values.get((category[0], series[0]), 0.0) + amount
    data.categories = list(seen_categories.values())
    data.series = list(seen_series.values())
    return data


def colour_of(series: str, index: int) -> str:
    """A level's own colour (by its IRI's last segment or its column), else one of the palette's."""
    level = _LEVEL_COLUMNS.get(series) or series.rsplit("/", 1)[-1]
    return LEVEL_COLOURS.get(level) or PALETTE[index % len(PALETTE)]


def bar_chart(
    data: ChartData, title: str, lang: str, *, series_labels: dict[str, str] | None = None, ident: str = "chart"
) -> str:
    """The SVG: one bar per category (the largest first, at most :data:`MAX_BARS`), split by series, with a legend."""
    fr = lang == "fr"
    names = {key: (series_labels or {}).get(key, text) for key, text in data.series}
    ranked = sorted(data.categories, key=lambda c: (-data.total(c[0]), c[1]))[:MAX_BARS]
    top = max((data.total(c[0]) for c in ranked), default=0.0) or 1.0
    legend_rows = (len(data.series) + 2) // 3 if len(data.series) > 1 else 0
    legend_height = legend_rows * 20 + (10 if legend_rows else 0)
    bars_top = _TOP + legend_height
    height = bars_top + _ROW * len(ranked) + 30
    span = _WIDTH - _LABELS - 60
    shown = len(ranked)
    described = (
        f"{shown} barres sur {len(data.categories)} catégories ; le tableau voisin donne toutes les valeurs."
        if fr
        else f"{shown} bars of {len(data.categories)} categories; the table beside it gives every value."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" style="max-width:100%;height:auto" role="group" '
        f'aria-labelledby="{ident}-title {ident}-desc" class="chart">'
        f'<title id="{ident}-title">{esc(title)}</title><desc id="{ident}-desc">{esc(described)}</desc>'
    ]
    if legend_rows:
        for i, (key, _) in enumerate(data.series):
            left, baseline = _LABELS + (i % 3) * 170, _TOP + (i // 3) * 20
            out.append(
                f'<rect x="{left}" y="{baseline - 10}" width="12" height="12" fill="{colour_of(key, i)}" stroke="#333" stroke-width=".5"/>'
                f'<text x="{left + 16}" y="{baseline}" font-size="12">{esc(shorten(names[key], 24))}<title>{esc(names[key])}</title></text>'
            )
    for row, (key, text, link) in enumerate(ranked):
        y = bars_top + row * _ROW
        label = f'<text x="{_LABELS - 8}" y="{y + 15}" text-anchor="end" font-size="12">{esc(shorten(text, 34))}<title>{esc(text)}</title></text>'
        out.append(f'<a href="{esc(link)}">{label}</a>' if link else label)
        x = float(_LABELS)
        for i, (series, _) in enumerate(data.series):
            amount = data.values.get((key, series), 0.0)
            if amount <= 0:
                continue
            width = span * amount / top
            what = f"{text} — {names[series]} : {_number(amount)}" if names[series] else f"{text} : {_number(amount)}"
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{_ROW - 6}" fill="{colour_of(series, i)}">'
                f"<title>{esc(what)}</title></rect>"
            )
            x += width
        out.append(f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12">{_number(data.total(key))}</text>')
    axis = bars_top + _ROW * len(ranked) + 4
    out.append(f'<line x1="{_LABELS}" y1="{bars_top}" x2="{_LABELS}" y2="{axis}" stroke="#333"/>')
    out.append(f'<text x="{_LABELS}" y="{axis + 16}" font-size="11" text-anchor="middle">0</text>')
    out.append(f'<text x="{_LABELS + span}" y="{axis + 16}" font-size="11" text-anchor="middle">{_number(top)}</text>')
    out.append("</svg>")
    return "".join(out)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.2f}"
