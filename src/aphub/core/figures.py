"""A figure: a chart drawn on the server as SVG by pygal, with its title, a summary in words and the table of the same
figures (GOV.UK's pattern for charts: nothing is only in the picture). Insight's dashboards, the committee pack and
the Schools Forum report build their charts here, so every chart looks the same, reads the same to a screen reader,
and its table is made from the very numbers the chart was drawn from.

- `bar_figure` draws categories (a tier, a provider, a month) against one or more series, as horizontal or vertical
  bars, grouped or stacked; `line_figure` draws series over time, with an optional interval band per series (a
  forecast's 80% and 95% intervals) drawn as its lower and upper lines.
- A value may be None (nothing to draw, "" in the table) or SUPPRESSED: a count too small to publish, drawn as no bar
  and written "c" in the table, the DfE's symbol (insight.publication decides which counts are suppressed).
- The SVG works without JavaScript: pygal's own script is removed and its style sheet kept inside the SVG, given the
  page's CSP nonce by the `figure.html` component (the same SVG goes into a PDF, where no CSP applies).
- `Figure.table` downloads as CSV or XLSX through core.files.exports, with its caption as the file's name.
- A table knows which of its columns are counts (`Table.counts`): publication suppresses small counts, never money,
  rates or forecasts. A figure keeps the drawing it was made from (`Figure.drawing`), so `Figure.redrawn(table)` draws
  the same chart again from other values (the published figure, its small counts suppressed) with nothing lost.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from html import escape
from typing import cast

import pygal
from pygal.style import Style

from aphub.core.files.exports import Column, Export

# GOV.UK colours, in the order a figure's series take them; the last two for interval bands.
BLUE, ORANGE, GREEN, PURPLE, GREY, TURQUOISE, PINK, RED = (
    "#1d70b8",
    "#f47738",
    "#85994b",
    "#4c2c92",
    "#505a5f",
    "#28a197",
    "#d53880",
    "#d4351c",
)
COLOURS = (BLUE, ORANGE, GREEN, PURPLE, GREY, TURQUOISE, PINK, RED)
WIDTH = 760
TEXT = "#0b0c0c"


class _Suppressed:
    """A count withheld from publication: no bar in the chart, "c" in the table and its files."""

    def __str__(self) -> str:
        return "c"

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = _Suppressed()
Value = int | Decimal | float | None | _Suppressed


@dataclass(frozen=True)
class Table:
    """The figure's figures: `headings` then one row a category. The first column names the category."""

    caption: str
    headings: list[str]
    rows: list[list[object]]
    money: bool = False
    # One flag a column after the first: True where the column counts children, placements or places (what
    # publication suppresses when small). None: every column counts unless the table is money.
    counts: tuple[bool, ...] | None = None

    def is_count_column(self, index: int) -> bool:
        """Whether column `index` (1 is the first after the category) holds counts."""
        if index < 1 or index >= len(self.headings):
            return False
        if self.counts is None:
            return not self.money
        return index - 1 < len(self.counts) and self.counts[index - 1]

    def export(self, name: str) -> Export:
        columns = [
            Column(heading, _cell_reader(index), money=self.money and index > 0)
            for index, heading in enumerate(self.headings)
        ]
        return Export(name, columns)

    def cell(self, value: object) -> str:
        """A cell as the page shows it: counts with thousands separators, money in pounds and pence, "c"."""
        if value is None:
            return ""
        if isinstance(value, _Suppressed):
            return "c"
        if isinstance(value, Decimal) and self.money:
            return f"−£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            return f"{value:,}"
        return str(value)

    def shown_rows(self) -> list[list[str]]:
        return [[self.cell(value) for value in row] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    """One chart with its words and its table. `key` is unique on the page: the anchor, the SVG's title id and the
    name a table is downloaded by (`?table=KEY&format=csv`)."""

    key: str
    title: str
    summary: str
    svg: str = field(repr=False)
    table: Table
    # What the chart was drawn from, to draw it again with other values (None: drawn by hand, cannot be redrawn).
    drawing: "Drawing | None" = field(default=None, repr=False, compare=False)

    def redrawn(self, table: Table, *, summary: str | None = None) -> "Figure":
        """The same chart drawn again from `table`: the same categories and columns as this figure's table, other
        values (a published figure's, with SUPPRESSED where a count is withheld). The summary stays unless given."""
        if self.drawing is None:
            raise ValueError(f"The figure {self.key} was not drawn by bar_figure or line_figure: it cannot be redrawn")
        if table.headings != self.table.headings or [row[0] for row in table.rows] != [
            row[0] for row in self.table.rows
        ]:
            raise ValueError(f"The figure {self.key} is redrawn from a table of the same rows and columns only")
        # A table's cells are what a figure was drawn from (Value), kept as objects by Table.
        columns = {
            heading: [cast(Value, row[index]) for row in table.rows]
            for index, heading in enumerate(table.headings[1:], start=1)
        }
        return self.drawing.draw(columns, self.summary if summary is None else summary)

    def svg_with_nonce(self, nonce: str) -> str:
        """The SVG with its style sheet allowed by the page's Content Security Policy."""
        return self.svg.replace("<style", f'<style nonce="{escape(nonce)}"', 1) if nonce else self.svg


def _cell_reader(index: int) -> Callable[[list[object]], object]:
    """A column's reader: the row's cell, a suppressed count written "c"."""

    def read(row: list[object]) -> object:
        value = row[index]
        return "c" if isinstance(value, _Suppressed) else value

    return read


@dataclass(frozen=True)
class Drawing:
    """How a figure was drawn: the function (bar_figure, line_figure), its arguments but the values, and which of the
    table's columns are its series and which its intervals' lower and upper lines."""

    function: Callable[..., "Figure"]
    arguments: Mapping[str, object]
    series: tuple[str, ...]
    intervals: tuple[str, ...] = ()

    def draw(self, columns: Mapping[str, Sequence[Value]], summary: str) -> "Figure":
        arguments = {**self.arguments, "summary": summary, "series": {name: columns[name] for name in self.series}}
        if self.intervals:
            arguments["intervals"] = {
                name: (columns[f"{name}: lower"], columns[f"{name}: upper"]) for name in self.intervals
            }
        return self.function(**arguments)


def _counts(counts: bool | Sequence[bool] | None, series: int, money: bool) -> tuple[bool, ...]:
    """A figure's series' count flags: as given, else every series counts unless the figure is money."""
    if counts is None:
        return (not money,) * series
    if isinstance(counts, bool):
        return (counts,) * series
    if len(counts) != series:
        raise ValueError("Give one counts flag a series")
    return tuple(counts)


def _number(value: Value) -> float | None:
    if value is None or isinstance(value, _Suppressed):
        return None
    return float(value)


@cache
def _style() -> Style:
    return Style(
        background="white",
        plot_background="white",
        foreground=TEXT,
        foreground_strong=TEXT,
        foreground_subtle="#505a5f",
        opacity="1",
        opacity_hover="1",
        colors=COLOURS,
        font_family="Arial, sans-serif",
        label_font_size=14,
        major_label_font_size=14,
        value_font_size=13,
        legend_font_size=14,
        tooltip_font_size=14,
        guide_stroke_color="#b1b4b6",
        major_guide_stroke_color="#505a5f",
    )


def _fits(labels: Sequence[str]) -> bool:
    """Whether labels written side by side under the plot fit its width without running into each other (about 7
    points a character at pygal's 14-point labels); if not they are turned."""
    return sum(len(label) + 2 for label in labels) * 7 <= WIDTH - 80


def _legend(names: Sequence[str], height: int, labels: Sequence[str] = ()) -> dict:
    """The legend under the plot in as many columns (three at most) as its longest name allows, and room for its
    rows: pygal neither wraps a name nor makes room for a second row. The legend is as wide as the plot, which the
    category labels on its left (`labels`, a horizontal chart's, up to pygal's 40 characters) narrow."""
    longest = max((len(name) for name in names), default=0)
    width = WIDTH - 7 * min(max((len(label) for label in labels), default=0), 40) - 30
    columns = next((count for count in (3, 2) if longest <= width / count / 7.5 - 4), 1)
    rows = -(-len(names) // columns)
    return {"legend_at_bottom_columns": columns, "margin_bottom": 24 + 22 * rows, "height": height + 22 * (rows - 1)}


def _config(**options) -> dict:
    return {
        "style": _style(),
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": False,
        "width": WIDTH,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": 40,
        "print_zeroes": False,
        "margin": 12,
        "print_values_position": "top",
        **options,
    }


_SCRIPT = re.compile(r"<script.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ROOT = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" id="(chart-[0-9a-f-]+)" class="pygal-chart"')
_TITLE = re.compile(r"<title>Pygal</title>")


def _finished(chart: pygal.graph.graph.Graph, key: str, title: str) -> str:
    """pygal's SVG made ours: no script, no comments (they carry the day it was drawn), a stable id, and an accessible
    name: role="img" labelled by its title, so a screen reader reads the title and then the table below."""
    svg = chart.render(is_unicode=True)
    svg = _COMMENT.sub("", _SCRIPT.sub("", svg))
    found = _ROOT.search(svg)
    if found:
        # pygal's random id scopes its style sheet; the figure's key, unique on the page, does the same job steadily.
        svg = svg.replace(found.group(1), f"figure-{key}")
        svg = svg.replace(
            f'id="figure-{key}" class="pygal-chart"',
            f'id="figure-{key}" class="pygal-chart app-figure__chart" role="img" focusable="false" '
            f'aria-labelledby="figure-{key}-title"',
            1,
        )
    # pygal's tooltip (for its script, removed) is hidden by a style attribute, which the page's CSP refuses: hidden
    # by SVG's own attribute instead.
    svg = svg.replace(' style="opacity: 0" class="tooltip"', ' visibility="hidden" class="tooltip"')
    # pygal names each legend entry "activate-serie-N" in every chart: unique on the page only with the figure's key.
    svg = svg.replace('id="activate-serie-', f'id="figure-{key}-serie-')
    return _TITLE.sub(f'<title id="figure-{key}-title">{escape(title)}</title>', svg, count=1)


def _few_values(horizontal: bool) -> dict:
    """A few round values on the value axis (pygal's scale of at most six steps), not one per guide line: long
    money values would run into each other."""
    return {"max_scale": 6, "min_scale": 3}


def _formatter(money: bool):
    """Values as the chart writes them: money short (£454k, £1.02m) so bars and axes stay legible; the table below
    gives every figure to the penny."""
    if money:
        return _short_money
    return lambda value: "" if value is None else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short_money(value: float | None) -> str:
    if value is None:
        return ""
    sign, size = ("−" if value < 0 else ""), abs(value)
    if size >= 1_000_000:
        return f"{sign}£{size / 1_000_000:.3g}m"
    if size >= 1_000:
        return f"{sign}£{size / 1_000:.3g}k"
    return f"{sign}£{size:,.0f}"


class _QuickAttributes:
    """pygal's charts read every setting through BaseGraph.__getattribute__, which looks up the chart's `state` twice
    through itself before each read: a fifth of the time a dashboard takes to draw its charts (make bench). This reads
    the same attribute from the same place (the state while the chart renders, else the chart) in a fraction of the
    time; the SVG is the same to the byte (tests/core/test_figure_charts.py)."""

    def __getattribute__(self, name: str):
        if name.startswith("__") or name == "state":
            return object.__getattribute__(self, name)
        state = object.__getattribute__(self, "__dict__").get("state")
        if state is not None:
            found = state.__dict__
            if name in found:
                return found[name]
        return object.__getattribute__(self, name)


def _quick(kind: type) -> type:
    # The same class name: pygal writes it into the SVG ("horizontalbar-graph").
    return type(kind.__name__, (_QuickAttributes, kind), {"__module__": __name__})


_BAR_KINDS = {
    (True, False): _quick(pygal.HorizontalBar),
    (True, True): _quick(pygal.HorizontalStackedBar),
    (False, False): _quick(pygal.Bar),
    (False, True): _quick(pygal.StackedBar),
}
_LINE = _quick(pygal.Line)


def bar_figure(
    key: str,
    title: str,
    summary: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[Value]],
    *,
    category_heading: str,
    horizontal: bool = True,
    stacked: bool = False,
    money: bool = False,
    counts: bool | Sequence[bool] | None = None,
) -> Figure:
    """Bars for each category, one bar a series (stacked when `stacked`), the value written on each bar; the table is
    the categories down and the series across, in the same order. `counts` says which series count (one flag, or one
    a series; by default all unless `money`): publication suppresses small counts only."""
    kind = _BAR_KINDS[(horizontal, stacked)]
    height = max(220, 90 + len(categories) * (22 if stacked else 12 + 14 * len(series))) if horizontal else 380
    chart = kind(
        **_config(
            **_legend(list(series), height, categories if horizontal else ()),
            print_values=not stacked and len(categories) * len(series) <= 40,
            value_formatter=_formatter(money),
            x_label_rotation=0 if horizontal or _fits(categories) else 30,
            show_legend=len(series) > 1,
            **_few_values(horizontal),
        )
    )
    # pygal draws a horizontal chart's first category at the bottom: reversed, the chart reads top-down like its table.
    order = list(reversed(range(len(categories)))) if horizontal else list(range(len(categories)))
    chart.x_labels = [categories[index] for index in order]
    for name, values in series.items():
        chart.add(name, [_number(values[index]) for index in order])
    table = _table(title, category_heading, categories, series, money, _counts(counts, len(series), money))
    drawing = Drawing(
        bar_figure,
        {
            "key": key,
            "title": title,
            "categories": list(categories),
            "category_heading": category_heading,
            "horizontal": horizontal,
            "stacked": stacked,
            "money": money,
            "counts": counts,
        },
        series=tuple(series),
    )
    return Figure(key=key, title=title, summary=summary, svg=_finished(chart, key, title), table=table, drawing=drawing)


def line_figure(
    key: str,
    title: str,
    summary: str,
    periods: Sequence[str],
    series: Mapping[str, Sequence[Value]],
    *,
    period_heading: str,
    intervals: Mapping[str, tuple[Sequence[Value], Sequence[Value]]] | None = None,
    money: bool = False,
    counts: bool | Sequence[bool] | None = None,
) -> Figure:
    """Series over `periods` (left to right), a None where a series has no value (a forecast starts where the
    history ends). `intervals` maps a name ("95% interval") to its (lower, upper) values, drawn as dashed lines and
    given in the table as two columns. `counts` as for bar_figure; an interval is a model's, never a count."""
    legend = [*series, *(f"{name}: {end}" for name in intervals or {} for end in ("lower", "upper"))]
    chart = _LINE(
        **_config(
            **_legend(legend, 380),
            value_formatter=_formatter(money),
            x_label_rotation=0 if _fits(periods) else 30,
            show_minor_x_labels=len(periods) <= 16,
            x_labels_major_every=max(1, len(periods) // 8),
            allow_interruptions=True,
            dots_size=3,
            **_few_values(False),
        )
    )
    chart.x_labels = list(periods)
    columns: dict[str, Sequence[Value]] = dict(series)
    for name, values in series.items():
        chart.add(name, [_number(value) for value in values])
    for name, (lower, upper) in (intervals or {}).items():
        dashed = {"dasharray": "6, 4", "width": 1.5}
        chart.add(f"{name}: lower", [_number(value) for value in lower], stroke_style=dashed, show_dots=False)
        chart.add(f"{name}: upper", [_number(value) for value in upper], stroke_style=dashed, show_dots=False)
        columns[f"{name}: lower"] = lower
        columns[f"{name}: upper"] = upper
    flags = _counts(counts, len(series), money) + (False,) * (2 * len(intervals or {}))
    table = _table(title, period_heading, periods, columns, money, flags)
    drawing = Drawing(
        line_figure,
        {
            "key": key,
            "title": title,
            "periods": list(periods),
            "period_heading": period_heading,
            "money": money,
            "counts": counts,
        },
        series=tuple(series),
        intervals=tuple(intervals or {}),
    )
    return Figure(key=key, title=title, summary=summary, svg=_finished(chart, key, title), table=table, drawing=drawing)


def _table(
    title: str,
    first_heading: str,
    categories: Sequence[str],
    series: Mapping[str, Sequence[Value]],
    money: bool,
    counts: tuple[bool, ...],
) -> Table:
    return Table(
        caption=title,
        headings=[first_heading, *series],
        rows=[[category, *(values[index] for values in series.values())] for index, category in enumerate(categories)],
        money=money,
        counts=counts,
    )
