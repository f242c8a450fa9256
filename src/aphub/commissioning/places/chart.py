"""The places chart (core.figures): for each provision its commissioned places and its average pupils on roll, on one
scale, with the same figures in the page's table below it (house rule)."""

from aphub.core.figures import Figure, bar_figure

from .queries import PlacesReport


def places_chart(report: PlacesReport, year_label: str) -> Figure:
    return bar_figure(
        "places-chart",
        f"Commissioned places and average pupils on roll by provision, {year_label}: the figures are in the table "
        "below the chart",
        "",
        [row.provision.name for row in report.rows],
        {
            "Places": [row.occupancy.places for row in report.rows],
            "Average on roll": [row.occupancy.average_on_roll for row in report.rows],
        },
        category_heading="Provision",
    )
