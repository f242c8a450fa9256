"""The bars of the places chart, worked out for the template: for each provision its commissioned places and its
average pupils on roll, on one scale. Server-drawn SVG, with the same figures in a table beside it (house rule)."""

from dataclasses import dataclass
from decimal import Decimal

from .queries import PlacesReport

LABEL_WIDTH = 240
BAR_AREA = 340
ROW_HEIGHT = 44
BAR_HEIGHT = 16
TOP = 24


@dataclass(frozen=True)
class Bar:
    name: str
    y: int
    places: int
    places_width: int
    average_on_roll: Decimal
    on_roll_width: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int


def places_chart(report: PlacesReport) -> Chart:
    largest = max(
        [Decimal(1)] + [max(Decimal(row.occupancy.places), row.occupancy.average_on_roll) for row in report.rows]
    )

    def width(value: Decimal | int) -> int:
        return int(Decimal(value) * BAR_AREA / largest)

    bars = [
        Bar(
            name=row.provision.name,
            y=TOP + i * ROW_HEIGHT,
            places=row.occupancy.places,
            places_width=width(row.occupancy.places),
            average_on_roll=row.occupancy.average_on_roll,
            on_roll_width=width(row.occupancy.average_on_roll),
        )
        for i, row in enumerate(report.rows)
    ]
    return Chart(
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + 60,
        height=TOP + len(bars) * ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
    )
