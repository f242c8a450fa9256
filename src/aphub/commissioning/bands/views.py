"""The LA's band table page (read by FINANCE_READERS, with its CSV and XLSX), and the pages to add, change and retire
a band (COMMISSIONING_MONEY_EDITORS: those who set the LA's money, and the officers who commission at these bands).
Another LA's band is a 404, the same as a missing one. Thin: parse, call a service or a query, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from aphub.commissioning.bands import queries, services
from aphub.commissioning.bands.forms import BandForm
from aphub.commissioning.models import TopUpBand
from aphub.commissioning.permissions import can_set_top_up_bands
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.core.web.views import form_page, found_or_404, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONING_MONEY_EDITORS, FINANCE_READERS
from aphub.organisations.queries import membership_of

BANDS = Export(
    "top-up-bands",
    [
        Column("Code", lambda band: band.code),
        Column("Name", lambda band: band.label),
        Column("For", lambda band: band.scope),
        Column("Annual top-up", lambda band: band.annual_amount, money=True),
        Column("In use", lambda band: band.active),
        Column("Retired on", lambda band: band.retired_at.date() if band.retired_at else None),
    ],
)


@role_required(FINANCE_READERS)
def band_table(request: HttpRequest) -> HttpResponse:
    bands = list(queries.band_table(request.user))
    if fmt := requested_format(request):
        return BANDS.response(bands, fmt)
    return render(
        request,
        "commissioning/bands/band_table.html",
        {
            "bands": [band for band in bands if band.active],
            "retired": [band for band in bands if not band.active],
            "can_change": can_set_top_up_bands(membership_of(request.user)),
            "downloads": download_links(request),
        },
    )


def _form(request: HttpRequest, data=None, initial=None) -> BandForm:
    la_id = membership_of(request.user).local_authority_id
    return BandForm(
        data,
        initial=initial,
        provisions=queries.provisions_for_bands(la_id),
        lots=queries.lots_for_bands(la_id),
    )


def _post(request: HttpRequest, save, said: str, band: TopUpBand | None = None) -> HttpResponse:
    """The band form's POST: `save` adds or changes the band; a form with problems is shown again, every problem at
    once (what the form could not parse, and what the service found in the rest)."""
    form = _form(request, request.POST)
    valid = form.is_valid()
    if valid:
        provision, lot = form.scope_of()
        with service_call(request, form) as call:
            saved = save(
                user=request.user,
                code=form.cleaned_data["code"],
                label=form.cleaned_data["label"],
                annual_amount=form.cleaned_data["annual_amount"],
                provision=provision,
                lot=lot,
            )
            return call.done(f"Band {saved.code} is {said}.", "commissioning:top-up-bands")
    return form_page(request, "commissioning/bands/band_form.html", form, band=band, status=400)


@role_required(COMMISSIONING_MONEY_EDITORS)
def add_band(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _post(request, services.add_band, "added")
    return form_page(request, "commissioning/bands/band_form.html", _form(request), band=None)


def _band(request: HttpRequest, pk: int) -> TopUpBand:
    return found_or_404(queries.band_for(request.user, pk), "top-up band")


@role_required(COMMISSIONING_MONEY_EDITORS)
def edit_band(request: HttpRequest, pk: int) -> HttpResponse:
    band = _band(request, pk)
    if request.method == "POST":
        return _post(request, lambda **terms: services.update_band(band=band, **terms), "saved", band=band)
    return form_page(
        request, "commissioning/bands/band_form.html", _form(request, initial=BandForm.initial_for(band)), band=band
    )


@role_required(COMMISSIONING_MONEY_EDITORS)
def retire_band(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page retires the band."""
    band = _band(request, pk)
    if request.method == "POST":
        with service_call(request) as call:
            services.retire_band(user=request.user, band=band)
            return call.done(f"Band {band.code} is retired.", "commissioning:top-up-bands")
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to retire band {band.code}?",
            "caption": f"{band.label}: {band.scope}",
            "changes": [
                f"No new offer can choose band {band.code}.",
                "Placements already offered at it keep the band and their top-up.",
            ],
            "action": request.path,
            "button": f"Yes, retire band {band.code}",
            "back": reverse("commissioning:top-up-bands"),
        },
    )
