"""The commissioned places pages: place funding and occupancy for an academic year (with its XLSX), and setting a
provision's places for a year. Counts and money only: no child is named, so no read of a child's record is logged;
every change is (services.set_commissioned_places)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from aphub.commissioning.permissions import can_set_commissioned_places
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.core.web.views import service_call
from aphub.funding.periods import financial_year_label
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONING_MONEY_EDITORS, FINANCE_READERS
from aphub.organisations.queries import membership_of

from . import queries, services
from .chart import places_chart
from .forms import AcademicYearForm, CommissionedPlacesForm, year_label


def _census(index: int, what: str):
    return lambda row: getattr(row.occupancy.at_census[index], what)


PLACES = Export(
    "place-funding-and-occupancy",
    [
        Column("Provision", lambda row: row.provision.name),
        Column("Provider", lambda row: str(row.provision.provider)),
        Column("Payer", lambda row: row.commissioned.get_payer_display()),
        Column("Places", lambda row: row.occupancy.places),
        Column("Place funding a place", lambda row: row.occupancy.rate_per_place, money=True),
        Column("Place funding", lambda row: row.funding, money=True),
        Column("Financial year (7/12)", lambda row: financial_year_label(row.shares[0].financial_year)),
        Column("Place funding in it", lambda row: row.shares[0].amount, money=True),
        Column("Next financial year (5/12)", lambda row: financial_year_label(row.shares[1].financial_year)),
        Column("Place funding in the next", lambda row: row.shares[1].amount, money=True),
        Column("January census day", lambda row: row.occupancy.at_census[0].census.day),
        Column("On roll in January", _census(0, "on_roll")),
        Column("Empty in January", _census(0, "empty")),
        Column("Over the places in January", _census(0, "over")),
        Column("May census day", lambda row: row.occupancy.at_census[1].census.day),
        Column("On roll in May", _census(1, "on_roll")),
        Column("Empty in May", _census(1, "empty")),
        Column("Over the places in May", _census(1, "over")),
        Column("Average on roll", lambda row: row.occupancy.average_on_roll),
        Column("Occupancy (%)", lambda row: row.occupancy.occupancy_percent),
        Column("Empty place-days", lambda row: row.occupancy.empty_place_days),
        Column("Place-days over the places", lambda row: row.occupancy.over_place_days),
        Column("Value of occupied places", lambda row: row.occupancy.value_of_occupied, money=True),
        Column("Cost of empty places", lambda row: row.occupancy.cost_of_empty, money=True),
    ],
)


@role_required(FINANCE_READERS)
def report(request: HttpRequest) -> HttpResponse:
    form, year = AcademicYearForm.from_query(
        request.GET, years=queries.academic_years_for(request.user), current=queries.current_academic_year()
    )
    found = queries.places_and_occupancy_for(request.user, academic_year=year)
    if (fmt := requested_format(request)) and not form.errors:
        return PLACES.response(found.rows, fmt, name=f"place-funding-and-occupancy-{year}-{(year + 1) % 100:02d}")
    census = found.rows[0].occupancy.at_census if found.rows else []
    totals = found.totals
    return render(
        request,
        "commissioning/places/report.html",
        {
            "form": form,
            "year": year,
            "year_label": year_label(year),
            "report": found,
            "census_totals": [
                {"census": count.census, "on_roll": on_roll, "empty": empty, "over": over}
                for count, on_roll, empty, over in zip(
                    census, totals.on_roll_at_census, totals.empty_at_census, totals.over_at_census, strict=True
                )
            ],
            "financial_years": [financial_year_label(year), financial_year_label(year + 1)],
            "chart": places_chart(found, year_label(year)),
            "may_set": can_set_commissioned_places(membership_of(request.user)),
            "downloads": download_links(request, year=year),
        },
    )


@role_required(COMMISSIONING_MONEY_EDITORS)
def set_places(request: HttpRequest) -> HttpResponse:
    years = queries.academic_years_for(request.user)
    provisions = queries.provisions_for_places(request.user)
    form = CommissionedPlacesForm(request.POST or None, years=years, provisions=provisions)
    if request.method == "GET":
        form.initial = _initial(request, provisions)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            data = form.cleaned_data
            made = services.set_commissioned_places(user=request.user, **data)
            return call.done(
                f"{made.provision.name} has {made.places} commissioned place{'s' if made.places != 1 else ''} "
                f"in {year_label(made.academic_year)}.",
                f"{reverse('places:report')}?year={made.academic_year}",
            )
    return render(request, "commissioning/places/set.html", {"form": form})


def _initial(request: HttpRequest, provisions) -> dict:
    """The form as the page was asked for (?provision=&year=): that row's values if it is set, else the LA's rate."""
    initial: dict = {
        "academic_year": queries.current_academic_year(),
        "rate_per_place": queries.default_rate_for(request.user),
    }
    if request.GET.get("year", "").isdigit():
        initial["academic_year"] = int(request.GET["year"])
    if request.GET.get("provision", "").isdigit():
        provision = provisions.filter(pk=int(request.GET["provision"])).first()
        if provision is not None:
            initial["provision"] = provision.pk
            found = queries.commissioned_places_of(request.user, provision, initial["academic_year"])
            if found is not None:
                initial.update(places=found.places, rate_per_place=found.rate_per_place, payer=found.payer)
    return initial
