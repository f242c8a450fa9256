"""The places chart, for the template: for each provision its commissioned places and its average pupils on roll, on
one scale (core.charts, the shared SVG bar chart), with the same figures in a table beside it (house rule)."""

from aphub.core.charts import BLUE, GREY, BarChart, Series, bar_chart

from .queries import PlacesReport


def places_chart(report: PlacesReport) -> BarChart:
    return bar_chart(
        [(row.provision.name, [row.occupancy.places, row.occupancy.average_on_roll]) for row in report.rows],
        [Series("Places", GREY), Series("Average on roll", BLUE)],
    )
