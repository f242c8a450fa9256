"""Arrangement pages: the public list and page of each published arrangement, and the LA staff's pages to set one
up, add its lots or parts, publish, close and open it.

Access: the public pages are on the allow-list and show published arrangements only (a draft is a 404, the same as a
missing one). Every staff page is `role_required` and fetches through `arrangements_visible_to` (another LA's
arrangement: 404); changing needs an officer or admin of the owner LA (a partner LA: 403).
"""

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aphub.commissioning.arrangements import queries, services
from aphub.commissioning.arrangements.criteria import criteria_set
from aphub.commissioning.arrangements.forms import ArrangementForm, LotForm
from aphub.commissioning.arrangements.services import UNREGISTERED_ONLY
from aphub.commissioning.models import CommercialArrangement, Lot
from aphub.commissioning.permissions import can_change_arrangement, can_set_up_arrangements
from aphub.core.permissions import require
from aphub.core.web.views import form_page, found_or_404, lifecycle_button, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_EDITORS, LA_STAFF
from aphub.organisations.queries import membership_of

# -- Public pages ---------------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/arrangements/public_list.html",
        {"arrangements": list(queries.published_arrangements())},
    )


def _arrangement_shown(arrangement: CommercialArrangement) -> dict:
    """What the public page and the staff page both show of an arrangement: itself, its lots and partners."""
    return {
        "arrangement": arrangement,
        "lots": queries.lots_with_criteria(arrangement),
        "partners": list(arrangement.partners.all()),
    }


def public_detail(request: HttpRequest, reference: str) -> HttpResponse:
    arrangement = found_or_404(queries.public_arrangement(reference), "arrangement")
    national = [c for c in criteria_set(arrangement.criteria_version).criteria if c.applies_to == UNREGISTERED_ONLY]
    return render(
        request,
        "commissioning/arrangements/public_detail.html",
        {
            **_arrangement_shown(arrangement),
            "national_standards": national,
            "is_open": arrangement.status == CommercialArrangement.Status.OPEN,
        },
    )


# -- Staff pages ----------------------------------------------------------------------------------------------


def _staff_arrangement(request: HttpRequest, pk: int) -> CommercialArrangement:
    return found_or_404(queries.arrangement_for_staff(request.user, pk), "arrangement")


def _changeable_arrangement(request: HttpRequest, pk: int) -> CommercialArrangement:
    arrangement = _staff_arrangement(request, pk)
    require(
        can_change_arrangement(membership_of(request.user), arrangement),
        "Only officers of the council that owns this arrangement can change it.",
    )
    return arrangement


@role_required(LA_STAFF)
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/arrangements/manage_list.html",
        {
            "arrangements": list(queries.managed_arrangements(request.user)),
            "can_create": can_set_up_arrangements(membership_of(request.user)),
        },
    )


def _form_page(request, *, form, arrangement=None, status=200) -> HttpResponse:
    return form_page(
        request, "commissioning/arrangements/arrangement_form.html", form, arrangement=arrangement, status=status
    )


@role_required(LA_EDITORS)
def create(request: HttpRequest) -> HttpResponse:
    partners = queries.partner_choices(request.user)
    if request.method == "POST":
        form = ArrangementForm(request.POST, partner_choices=partners)
        if form.is_valid():
            with service_call(request, form) as call:
                made = services.create_arrangement(user=request.user, **form.values())
                return call.done(
                    f"{made.title} is saved as a draft. Add its {made.lot_word}s, then publish it.",
                    "commissioning:arrangement-manage",
                    pk=made.pk,
                )
        return _form_page(request, form=form)
    return _form_page(request, form=ArrangementForm(partner_choices=partners))


@role_required(LA_STAFF)
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = _staff_arrangement(request, pk)
    allowed = services.allowed_actions(request.user, arrangement)
    return render(
        request,
        "commissioning/arrangements/manage.html",
        {
            **_arrangement_shown(arrangement),
            "can_change": can_change_arrangement(membership_of(request.user), arrangement),
            "allowed": {action.value for action in allowed},
            "is_draft": arrangement.status == CommercialArrangement.Status.DRAFT,
        },
    )


@role_required(LA_EDITORS)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = _changeable_arrangement(request, pk)
    partners = queries.partner_choices(request.user)
    published = arrangement.status != CommercialArrangement.Status.DRAFT
    if request.method == "POST":
        form = ArrangementForm(request.POST, partner_choices=partners, published=published)
        if form.is_valid():
            with service_call(request, form) as call:
                updated = services.update_arrangement(user=request.user, arrangement=arrangement, **form.values())
                return call.done("Your changes are saved.", "commissioning:arrangement-manage", pk=updated.pk)
        return _form_page(request, form=form, arrangement=arrangement)
    initial = {
        "kind": arrangement.kind,
        "title": arrangement.title,
        "reference": arrangement.reference,
        "description": arrangement.description,
        "starts_on": arrangement.starts_on,
        "ends_on": arrangement.ends_on,
        "partners": [partner.pk for partner in arrangement.partners.all()],
    }
    form = ArrangementForm(partner_choices=partners, published=published, initial=initial)
    return _form_page(request, form=form, arrangement=arrangement)


def _lot_page(request, *, form, arrangement, lot=None, status=200) -> HttpResponse:
    return form_page(
        request,
        "commissioning/arrangements/lot_form.html",
        form,
        arrangement=arrangement,
        lot=lot,
        word=arrangement.lot_word,
        status=status,
    )


def _lot_form(arrangement: CommercialArrangement, data=None, initial=None) -> LotForm:
    return LotForm(data, initial=initial, criteria_version=arrangement.criteria_version, word=arrangement.lot_word)


def _post_lot(
    request: HttpRequest,
    arrangement: CommercialArrangement,
    save: Callable[..., Lot],
    said: str,
    lot: Lot | None = None,
) -> HttpResponse:
    """The lot page's POST: `save` adds or changes the lot; a form with problems is shown again."""
    form = _lot_form(arrangement, request.POST)
    if form.is_valid():
        names = ("title", "description", "criteria", "for_unregistered")
        with service_call(request, form) as call:
            saved = save(user=request.user, **{name: form.cleaned_data[name] for name in names})
            return call.done(f"{saved} is {said}.", "commissioning:arrangement-manage", pk=arrangement.pk)
    return _lot_page(request, form=form, arrangement=arrangement, lot=lot)


@role_required(LA_EDITORS)
def add_lot(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = _changeable_arrangement(request, pk)
    if request.method == "POST":
        return _post_lot(request, arrangement, partial(services.add_lot, arrangement=arrangement), "added")
    return _lot_page(request, form=_lot_form(arrangement), arrangement=arrangement)


def _changeable_lot(request: HttpRequest, pk: int) -> Lot:
    lot = found_or_404(queries.lot_for_staff(request.user, pk), "lot")
    require(
        can_change_arrangement(membership_of(request.user), lot.arrangement),
        "Only officers of the council that owns this arrangement can change it.",
    )
    return lot


@role_required(LA_EDITORS)
def edit_lot(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _changeable_lot(request, pk)
    arrangement = lot.arrangement
    if request.method == "POST":
        return _post_lot(request, arrangement, partial(services.update_lot, lot=lot), "saved", lot=lot)
    national = {
        c.code for c in criteria_set(arrangement.criteria_version).criteria if c.applies_to == UNREGISTERED_ONLY
    }
    initial = {
        "title": lot.title,
        "description": lot.description,
        "criteria": [code for code in lot.criteria if code not in national],
        "for_unregistered": lot.for_unregistered,
    }
    return _lot_page(request, form=_lot_form(arrangement, initial=initial), arrangement=arrangement, lot=lot)


@role_required(LA_EDITORS)
@require_POST
def remove_lot(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _changeable_lot(request, pk)
    name = str(lot)
    with service_call(request):
        services.remove_lot(user=request.user, lot=lot)
        messages.success(request, f"{name} is removed.")
    return redirect("commissioning:arrangement-manage", pk=lot.arrangement_id)


def _move_view(operation, success: str):
    """A button on the arrangement's page that moves it through its lifecycle; `success` names it as {moved.title}."""
    view = lifecycle_button(
        operation, find=_staff_arrangement, keyword="arrangement", said=success, to="commissioning:arrangement-manage"
    )
    return role_required(LA_EDITORS)(view)


publish = _move_view(
    services.publish_arrangement,
    "{moved.title} is published and open for applications. Anyone can read it on its public page.",
)
close = _move_view(
    services.close_arrangement, "{moved.title} is closed to new applications. Admitted providers keep their place."
)
reopen = _move_view(services.open_arrangement, "{moved.title} is open for applications again.")
