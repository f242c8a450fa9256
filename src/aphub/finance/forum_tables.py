"""The Schools Forum pack's tables as the page's charts and as the workbook's sheets, each declared once: the page's
tables and the XLSX show the same figures (a test reads both)."""

from collections.abc import Iterable

from django.http import HttpResponse

from aphub.core.figures import Figure, bar_figure
from aphub.core.files.exports import Column, Export, workbook_response
from aphub.funding.periods import financial_year_label

from .exports import OUTTURN
from .forum import Bought, ForumPack, PlacesRow, Spend


def _census(index: int, what: str):
    return lambda row: getattr(row.census(index), what) if isinstance(row, PlacesRow) else None


PLACES = Export(
    "place-funding",
    [
        Column("Academic year", lambda row: row.academic_year_label if isinstance(row, PlacesRow) else "Total"),
        Column("Provision", lambda row: row.provision if isinstance(row, PlacesRow) else ""),
        Column("Paid by", lambda row: row.paid_by if isinstance(row, PlacesRow) else ""),
        Column("Places", lambda row: row.places if isinstance(row, PlacesRow) else None),
        Column("On roll at the January census", _census(0, "on_roll")),
        Column("Empty at the January census", _census(0, "empty")),
        Column("On roll at the May census", _census(1, "on_roll")),
        Column("Empty at the May census", _census(1, "empty")),
        Column(
            "Cost of empty places in the academic year",
            lambda row: row.found.occupancy.cost_of_empty if isinstance(row, PlacesRow) else None,
            money=True,
        ),
        Column("Twelfths in the financial year", lambda row: row.twelfths if isinstance(row, PlacesRow) else None),
        Column("Place funding in the financial year", lambda row: row.funding_in_year, money=True),
        Column("Cost of empty places in the financial year", lambda row: row.cost_of_empty_in_year, money=True),
    ],
)


def _spend(heading: str) -> Export:
    return Export(
        heading.lower(),
        [
            Column(heading, lambda spend: spend.name),
            Column("Placements", lambda spend: spend.placements),
            Column("Actuals to date", lambda spend: spend.actuals, money=True),
            Column("Commitments", lambda spend: spend.commitments, money=True),
            Column("Spend in the year", lambda spend: spend.total, money=True),
        ],
    )


BY_PROVIDER, BY_ROUTE = _spend("Provider"), _spend("Route")


def _bought(heading: str) -> Export:
    return Export(
        heading.lower(),
        [
            Column(heading, lambda bought: bought.name),
            Column("Children", lambda bought: bought.children),
            Column("Placements", lambda bought: bought.placements),
            Column("Cost in the year", lambda bought: bought.cost, money=True),
        ],
    )


BY_SETTING, BY_SCHOOL = _bought("Type of setting"), _bought("School")


def with_total(rows: Iterable, total) -> list:
    return [*rows, total]


def workbook(pack: ForumPack) -> HttpResponse:
    """The pack as one XLSX file, a sheet a table, each with its total row."""
    outturn = pack.outturn
    return workbook_response(
        [
            ("Outturn by budget line", OUTTURN, with_total(outturn.rows, outturn.total)),
            ("Place funding and occupancy", PLACES, with_total(pack.places, pack.places_totals)),
            ("Spend by provider", BY_PROVIDER, with_total(pack.by_provider, pack.spend_total)),
            ("Spend by route", BY_ROUTE, with_total(pack.by_route, pack.spend_total)),
            ("Bought by schools, by setting", BY_SETTING, with_total(pack.by_setting, pack.bought_total)),
            ("Bought by schools, by school", BY_SCHOOL, with_total(pack.by_school, pack.bought_total)),
        ],
        name=f"schools-forum-{financial_year_label(pack.financial_year)}",
    )


def charts(pack: ForumPack) -> dict[str, Figure]:
    """One chart a section (core.figures), each a picture of the table below it: the page writes its own sentence
    and table, so only the chart is drawn from these."""
    by_provision: dict[str, list] = {}
    for row in pack.places:
        entry = by_provision.setdefault(row.provision, [0, 0])
        entry[0] += row.funding_in_year
        entry[1] += row.cost_of_empty_in_year
    below = ": the figures are in the table below the chart"

    def spend(key: str, rows: list[Spend], by: str) -> Figure:
        return bar_figure(
            key,
            f"Actuals to date and commitments by {by}{below}",
            "",
            [row.name for row in rows],
            {"Actuals to date": [row.actuals for row in rows], "Commitments": [row.commitments for row in rows]},
            category_heading=by.capitalize(),
            stacked=True,
            money=True,
        )

    def bought(key: str, rows: list[Bought], by: str) -> Figure:
        return bar_figure(
            key,
            f"Cost in the year by {by}{below}",
            "",
            [row.name for row in rows],
            {"Cost in the year": [row.cost for row in rows]},
            category_heading=by.capitalize(),
            money=True,
        )

    return {
        "outturn": bar_figure(
            "outturn-chart",
            f"Budget and forecast outturn by budget line{below}",
            "",
            [row.name for row in pack.outturn.rows],
            {
                "Budget": [row.budget or 0 for row in pack.outturn.rows],
                "Forecast outturn": [row.forecast for row in pack.outturn.rows],
            },
            category_heading="Budget line",
            money=True,
        ),
        "places": bar_figure(
            "places-chart",
            f"Place funding and the cost of empty places in the year by provision{below}",
            "",
            list(by_provision),
            {
                "Place funding": [values[0] for values in by_provision.values()],
                "Cost of empty places": [values[1] for values in by_provision.values()],
            },
            category_heading="Provision",
            money=True,
        ),
        "by_provider": spend("provider-chart", pack.by_provider, "provider"),
        "by_route": spend("route-chart", pack.by_route, "route"),
        "by_setting": bought("setting-chart", pack.by_setting, "type of setting"),
        "by_school": bought("school-chart", pack.by_school, "school"),
    }
