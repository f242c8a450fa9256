"""The Schools Forum pack's tables as the page's charts and as the workbook's sheets, each declared once: the page's
tables and the XLSX show the same figures (a test reads both)."""

from collections.abc import Iterable

from django.http import HttpResponse

from aphub.core.charts import BLUE, GREEN, GREY, ORANGE, BarChart, Series, bar_chart
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


def charts(pack: ForumPack) -> dict[str, BarChart]:
    """One chart a section, each a picture of the table beside it."""
    by_provision: dict[str, list] = {}
    for row in pack.places:
        entry = by_provision.setdefault(row.provision, [0, 0])
        entry[0] += row.funding_in_year
        entry[1] += row.cost_of_empty_in_year
    spend = [Series("Actuals to date", BLUE), Series("Commitments", GREEN)]

    def spend_rows(rows: list[Spend]) -> list:
        return [(row.name, [row.actuals, row.commitments]) for row in rows]

    def bought_rows(rows: list[Bought]) -> list:
        return [(row.name, [row.cost]) for row in rows]

    return {
        "outturn": bar_chart(
            [(row.name, [row.budget or 0, row.forecast]) for row in pack.outturn.rows],
            [Series("Budget", GREY), Series("Forecast outturn", BLUE)],
            money=True,
        ),
        "places": bar_chart(
            [(name, values) for name, values in by_provision.items()],
            [Series("Place funding", GREY), Series("Cost of empty places", ORANGE)],
            money=True,
        ),
        "by_provider": bar_chart(spend_rows(pack.by_provider), spend, money=True),
        "by_route": bar_chart(spend_rows(pack.by_route), spend, money=True),
        "by_setting": bar_chart(bought_rows(pack.by_setting), [Series("Cost in the year", ORANGE)], money=True),
        "by_school": bar_chart(bought_rows(pack.by_school), [Series("Cost in the year", ORANGE)], money=True),
    }
