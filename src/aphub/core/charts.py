"""A horizontal bar chart drawn on the server as SVG (components/bar_chart.html): one group of bars a row (a provision,
a budget line, a school), one bar a series (places and pupils on roll, budget and forecast), all on one scale, each
bar's value written beside it. The page puts the same figures in a table beside the chart (house rule: no
JavaScript, nothing lost to a screen reader), so the chart is a picture of the table, never the only place a figure
is. The shapes are worked out here; the template only draws them.

Money is shown as £1,234 (whole pounds: the table beside gives the pence); counts as they are.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# GOV.UK colours, in the order a chart's series take them.
BLUE, GREY, GREEN, ORANGE, PURPLE = "#1d70b8", "#b1b4b6", "#85994b", "#f47738", "#4c2c92"
LABEL_WIDTH = 240
BAR_AREA = 340
VALUE_ROOM = 90  # for the value written after the longest bar
BAR_HEIGHT = 16
GROUP_GAP = 12
TOP = 24  # the legend's line
LABEL_CHARACTERS = 36


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    y: int
    width: int
    colour: str
    text: str  # the value written after the bar
    title: str  # what a pointer on the bar shows: the row, the series and the value


@dataclass(frozen=True)
class Group:
    label: str
    y: int  # the top of its first bar
    bars: list[Bar]


@dataclass(frozen=True)
class Legend:
    x: int
    name: str
    colour: str


@dataclass(frozen=True)
class BarChart:
    groups: list[Group]
    legend: list[Legend]
    width: int
    height: int
    label_width: int
    bar_height: int


def _text(value: Decimal | int, money: bool) -> str:
    if money:
        return f"£{Decimal(value):,.0f}"
    return f"{value}"


def bar_chart(
    rows: Sequence[tuple[str, Sequence[Decimal | int]]], series: Sequence[Series], *, money: bool = False
) -> BarChart:
    """A chart of `rows`, each (label, one value a series), the bars scaled to the largest value. A negative value
    (an overspend's variance) draws no bar: its figure is still written, and is in the table."""
    largest = max([Decimal(1)] + [Decimal(value) for _, values in rows for value in values])
    group_height = BAR_HEIGHT * len(series) + GROUP_GAP
    groups = []
    for index, (label, values) in enumerate(rows):
        top = TOP + index * group_height
        bars = [
            Bar(
                y=top + position * BAR_HEIGHT,
                width=int(max(Decimal(value), Decimal(0)) * BAR_AREA / largest),
                colour=kind.colour,
                text=_text(value, money),
                title=f"{label}: {kind.name.lower()} {_text(value, money)}",
            )
            for position, (kind, value) in enumerate(zip(series, values, strict=True))
        ]
        groups.append(Group(label=label[:LABEL_CHARACTERS], y=top, bars=bars))
    legend, x = [], LABEL_WIDTH
    for kind in series:
        legend.append(Legend(x=x, name=kind.name, colour=kind.colour))
        x += 24 + 8 * len(kind.name)
    return BarChart(
        groups=groups,
        legend=legend,
        width=LABEL_WIDTH + BAR_AREA + VALUE_ROOM,
        height=TOP + max(len(rows), 1) * group_height,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )
