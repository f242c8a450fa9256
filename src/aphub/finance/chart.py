"""The month-by-month profile as a server-rendered SVG bar chart: the shapes are worked out here, the template draws
them, and the same figures are in the table beside it (no JavaScript, nothing lost to a screen reader)."""

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 720, 260
LEFT, BOTTOM, TOP = 80, 30, 10
PLOT_HEIGHT = HEIGHT - BOTTOM - TOP
# The GOV.UK colours for the three parts: what is spent, what is committed, what is expected.
PARTS = (
    ("actuals", "Actuals", "#1d70b8"),
    ("commitments", "Commitments", "#85994b"),
    ("expected", "Expected", "#f47738"),
)


@dataclass(frozen=True)
class Bar:
    x: int
    y: float
    width: int
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


def profile_chart(months) -> dict:
    """Bars (one stack a month: actuals, commitments, expected), month labels and a scale for the profile."""
    highest = max((month.forecast for month in months), default=Decimal(0)) or Decimal(1)
    slot = (WIDTH - LEFT) // max(len(months), 1)
    bars, labels = [], []
    for index, month in enumerate(months):
        x = LEFT + index * slot + 6
        base = float(HEIGHT - BOTTOM)
        for attribute, name, colour in PARTS:
            value = getattr(month, attribute)
            if value <= 0:
                continue
            height = float(value / highest) * PLOT_HEIGHT
            base -= height
            bars.append(
                Bar(
                    x=x,
                    y=round(base, 1),
                    width=slot - 12,
                    height=round(height, 1),
                    colour=colour,
                    title=f"{month.period.name}: {name.lower()} £{value:,.2f}",
                )
            )
        labels.append(Label(x=x + (slot - 12) / 2, y=HEIGHT - BOTTOM + 18, text=f"{month.period.start:%b}"))
    scale = [
        Label(
            x=LEFT - 6,
            y=round(HEIGHT - BOTTOM - fraction * PLOT_HEIGHT + 4, 1),
            text=f"£{highest * Decimal(str(fraction)):,.0f}",
        )
        for fraction in (0, 0.5, 1)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "bars": bars,
        "labels": labels,
        "scale": scale,
        "axis_x": LEFT,
        "axis_y": HEIGHT - BOTTOM,
        "legend": [(name, colour) for _, name, colour in PARTS],
    }
