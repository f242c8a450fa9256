"""Pages of placements, the waiting list and routes (a child's own pages, under /pupils/, are placements/pupils/).
Thin: parse, call a service or a query, render. Every page that shows a child's record writes an access-log 'view'."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aphub.audit.services import log_access, log_list_read
from aphub.core.clock import today
from aphub.core.files.exports import download_links, requested_format
from aphub.core.permissions import require
from aphub.core.web.views import found_or_404, paginate, query_without_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONERS, FINANCE_OFFICERS, LA_EDITORS, LA_STAFF, PROVIDER_ROLES, Role
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.pupils.sensitive import reads_case_notes

from . import exports, queries, services
from .forms import (
    CommissioningSchoolForm,
    EndForm,
    ReasonForm,
    RouteForm,
    StartForm,
)
from .models import Placement
from .oversight import FULL_TIME_SESSIONS
from .permissions import (
    can_change_commissioner,
    can_change_routes,
    can_commission,
    can_hand_back_to_la,
)

JOURNEY_ROLES = (LA_STAFF, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)
# The finance officer reads the placements behind the money, without what was written about the child's case
# (pupils.sensitive.reads_case_notes; docs/decisions/0027-finance-officer.md).
PLACEMENT_READERS = (*JOURNEY_ROLES, FINANCE_OFFICERS)


@role_required(*PLACEMENT_READERS)
def placements(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Placement.Status.values:
        status = ""
    lot = request.GET.get("lot", "")
    # Any id filters (the query is scoped, so another LA's lot finds nothing); longer ones would overflow the column.
    lot_id = int(lot) if lot.isdigit() and len(lot) < 10 else None
    found = queries.placements_for(request.user, status=status, lot_id=lot_id)
    if fmt := requested_format(request):
        return exports.download(request, exports.PLACEMENTS, list(found), fmt)
    membership = membership_of(request.user)
    page = paginate(request, found)
    offers = list(queries.offers_waiting_for(request.user)[:50]) if acts_as(membership, PROVIDER_ROLES) else []
    log_list_read(request, [*offers, *page.object_list], list_name="Placements list", page_number=page.number)
    return render(
        request,
        "placements/placements.html",
        {
            "page": page,
            "downloads": download_links(request),
            "status": status,
            "statuses": Placement.Status.choices,
            "lots": queries.lots_of_placements(request.user),
            "lot_id": lot_id,
            "offers": offers,
            "query": query_without_page(request),
        },
    )


def _placement_page(request: HttpRequest, placement: Placement, **extra) -> HttpResponse:
    from aphub.funding.services import billed_commissioner, funding_summary

    funding = funding_summary(placement=placement, user=request.user)
    # The change log and the reasons written about the placement are the child's case, not its cost (decision 0027).
    case_notes = reads_case_notes(request.user)
    context = {
        "billed_commissioner": billed_commissioner(placement=placement),
        "changes": list(placement.changes.select_related("by")) if case_notes else [],
        "can_name_commissioner": can_change_commissioner(membership_of(request.user), placement)
        and placement.status != Placement.Status.CANCELLED,
        "can_hand_back": can_hand_back_to_la(membership_of(request.user), placement),
        "placement": placement,
        "contract": queries.lot_contract(placement),
        "follows": queries.followed(request.user, placement),
        "actions": services.allowed_actions(request.user, placement),
        "funding": funding,
        "case_notes": case_notes,
        "warnings": [*queries.unregistered_warnings(request.user, placement), *funding.warnings],
        **extra,
    }
    return render(request, "placements/placement.html", context, status=400 if extra.get("form_errors") else 200)


@role_required(*PLACEMENT_READERS)
def placement(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    log_access(user=request.user, obj=found.pupil, verb="view", path=request.path)
    log_access(user=request.user, obj=found, verb="view", path=request.path)
    return _placement_page(request, found)


@role_required(Role.PROVIDER_STAFF)
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    with service_call(request):
        services.accept_placement(user=request.user, placement=found)
        messages.success(request, f"You accepted the placement of {found.pupil.full_name}.")
    return redirect("placements:placement", pk=found.pk)


def log_form_view(request: HttpRequest, pupil) -> None:
    """A form page that names a child is a read of their record: log it when it is first shown."""
    if request.method == "GET":
        log_access(user=request.user, obj=pupil, verb="view", path=request.path)


def _action_form_page(request, *, found: Placement, form, action: str, title: str, button: str):
    log_form_view(request, found.pupil)
    return render(
        request,
        "placements/action_form.html",
        {"form": form, "placement": found, "action": action, "title": title, "button": button},
        status=400 if form.errors else 200,
    )


def _reason_action(
    request: HttpRequest, pk: int, *, action: str, service, title: str, label: str, button: str, done: str
):
    found = queries.placement_for(request.user, pk)
    require(action in services.allowed_actions(request.user, found), f"You cannot {action} this placement")
    form = ReasonForm(request.POST or None, label=label)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            service(user=request.user, placement=found, reason=form.cleaned_data["reason"])
            return call.done(done, "placements:placement", pk=found.pk)
    return _action_form_page(request, found=found, form=form, action=action, title=title, button=button)


@role_required(Role.PROVIDER_STAFF)
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action="decline",
        service=services.decline_placement,
        title="Decline this placement",
        label="Why can you not accept this placement?",
        button="Decline placement",
        done="You declined the placement. The commissioner has been told and the place is free again.",
    )


@role_required(COMMISSIONERS)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(
        request,
        pk,
        action="cancel",
        service=services.cancel_placement,
        title="Cancel this placement",
        label="Why are you cancelling it?",
        button="Cancel placement",
        done="The placement is cancelled and the place is free again.",
    )


@role_required(Role.PROVIDER_STAFF, COMMISSIONERS)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    require("start" in services.allowed_actions(request.user, found), "You cannot start this placement")
    form = StartForm(request.POST or None, initial={"on": min(found.start_date, today())})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.start_placement(user=request.user, placement=found, on=form.cleaned_data["on"])
            return call.done(
                f"{found.pupil.full_name} has started at {found.provision}.", "placements:placement", pk=found.pk
            )
    return _action_form_page(
        request, found=found, form=form, action="start", title="Record the first day", button="Record first day"
    )


@role_required(Role.PROVIDER_STAFF, COMMISSIONERS)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    require("end" in services.allowed_actions(request.user, found), "You cannot end this placement")
    form = EndForm(request.POST or None, schools=queries.schools_for_destination(request.user))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.end_placement(user=request.user, placement=found, **form.cleaned_data)
            return call.done(
                f"The placement has ended. {found.pupil.full_name}'s destination is recorded.",
                "placements:placement",
                pk=found.pk,
            )
    return _action_form_page(
        request, found=found, form=form, action="end", title="End this placement", button="End placement"
    )


@role_required(LA_EDITORS)
def commissioning_school(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    if found.status == Placement.Status.CANCELLED:
        raise Http404("A cancelled placement has no commissioner to name")
    initial = {"school": found.commissioning_school_id or found.episode.school_id}
    form = CommissioningSchoolForm(
        request.POST or None, schools=queries.schools_for_destination(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.name_commissioning_school(user=request.user, placement=found, school=form.cleaned_data["school"])
            return call.done(
                f"{form.cleaned_data['school'].name} commissions this placement and pays its top-up.",
                "placements:placement",
                pk=found.pk,
            )
    return _action_form_page(
        request,
        found=found,
        form=form,
        action="commissioning-school",
        title="Name the commissioning school",
        button="Save commissioning school",
    )


@role_required(LA_EDITORS)
def hand_back_to_la(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change (who commissions, who is billed, who can act); the POST
    from that page hands the placement back to the LA as its commissioner."""
    from aphub.funding.services import billed_commissioner

    found = queries.placement_for(request.user, pk)
    if not can_hand_back_to_la(membership_of(request.user), found):
        raise Http404("No school commissions this placement now")
    if request.method == "POST":
        with service_call(request) as call:
            services.hand_back_to_la(user=request.user, placement=found)
            return call.done(
                f"{found.pupil.local_authority.name} now commissions this placement.",
                "placements:placement",
                pk=found.pk,
            )
        return redirect("placements:placement", pk=found.pk)
    log_access(user=request.user, obj=found.pupil, verb="view", path=request.path)
    la, school = found.pupil.local_authority.name, found.commissioning_school
    school_name = school.name if school else "the school"
    billed_now = billed_commissioner(placement=found)
    billed_after = billed_commissioner(placement=services.handed_back(found))
    billing = (
        f"The top-up for the whole placement is billed to {billed_after} instead of {billed_now}."
        if billed_after != billed_now
        else f"The top-up is still billed to {billed_now}, as its route ({found.route.name}) says."
    )
    return render(
        request,
        "components/confirm.html",
        {
            "heading": "Are you sure you want to hand this placement back to the local authority?",
            "caption": f"{found.pupil.full_name} at {found.provision.name}",
            "changes": [
                f"{la} becomes the commissioner, in place of {school_name}.",
                billing,
                f"{la}'s officers act for the commissioner (record the first day, end or cancel the placement); "
                f"{school_name} no longer does, and sees the placement only while {found.pupil.full_name} is on "
                "its roll.",
                "The home school records attendance code K (arranged by the local authority) instead of B.",
                "The placement's change log records the hand-back. To give it to a school again, name the "
                "commissioning school.",
            ],
            "action": request.path,
            "button": "Yes, hand it back to the local authority",
            "back": reverse("placements:placement", kwargs={"pk": found.pk}),
        },
    )


@role_required(*JOURNEY_ROLES)
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    from .agreement import agreement_pdf

    found = queries.placement_for(request.user, pk)
    if found.status == Placement.Status.CANCELLED:
        raise Http404("A cancelled placement has no agreement")
    log_access(user=request.user, obj=found.pupil, verb="export", path=request.path)
    response = HttpResponse(agreement_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="placement-agreement-{found.pk}.pdf"'
    return response


@role_required(LA_STAFF, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)
def waiting_list(request: HttpRequest) -> HttpResponse:
    if fmt := requested_format(request):
        return exports.download(request, exports.WAITING_LIST, list(queries.waiting_list_for(request.user)), fmt)
    entries = list(queries.waiting_list_for(request.user)[:500])
    log_list_read(request, entries, list_name="Waiting list")
    return render(
        request,
        "placements/waiting_list.html",
        {
            "entries": entries,
            "downloads": download_links(request),
            "can_change": can_commission(membership_of(request.user)),
        },
    )


@role_required(COMMISSIONERS)
def remove_from_waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page takes the child off the list."""
    entry = found_or_404(queries.waiting_list_for(request.user).filter(pk=pk).first(), "waiting list entry")
    child = entry.pupil
    if request.method == "POST":
        with service_call(request):
            services.remove_from_waiting_list(user=request.user, entry=entry)
            messages.success(request, f"{child.full_name} is no longer waiting for {entry.provision}.")
        return redirect("placements:waiting-list")
    log_access(user=request.user, obj=child, verb="view", path=request.path)
    clocks = (
        f"Their statutory clocks keep running: the earliest is due on {entry.due_date.day} {entry.due_date:%B %Y}."
        if entry.due_date
        else "No statutory clock of theirs is running."
    )
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to remove {child.full_name} from the waiting list?",
            "caption": f"{entry.provision.name}, {entry.provision.provider.display_name}",
            "changes": [
                f"{child.full_name} comes off the waiting list for {entry.provision.name} and loses their place in it.",
                "The entry stays in their history as removed. To wait again, they are added again.",
                clocks,
            ],
            "action": request.path,
            "button": "Yes, remove from the waiting list",
            "back": reverse("placements:waiting-list"),
        },
    )


@role_required(LA_STAFF, FINANCE_OFFICERS)
def routes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "placements/routes.html",
        {"routes": queries.routes_for(request.user), "can_change": can_change_routes(membership_of(request.user))},
    )


@role_required(Role.LA_ADMIN)
def edit_route(request: HttpRequest, pk: int) -> HttpResponse:
    route = queries.route_for(request.user, pk)
    initial = {
        name: getattr(route, name)
        for name in ("name", "commissioner", "place_funding_payer", "top_up_payer", "registration", "registration_note")
    }
    form = RouteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.update_route(user=request.user, route=route, **form.cleaned_data)
            return call.done(
                f"{route.get_kind_display()}: saved. New placements on this route follow it.", "placements:routes"
            )
    return render(
        request, "placements/route_form.html", {"form": form, "route": route}, status=400 if form.errors else 200
    )


# --- The LA's oversight of every child in AP, whoever arranged it -----------------------------------------------


@role_required(LA_STAFF)
def on_no_registered_roll(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = queries.on_no_registered_roll(request.user, today=on)
    log_list_read(request, [row.pupil for row in rows], list_name="Children in AP on no registered roll")
    return render(request, "placements/oversight/no_registered_roll.html", {"rows": rows, "today": on})


@role_required(LA_STAFF)
def short_of_full_time(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = queries.short_of_full_time(request.user, today=on)
    log_list_read(request, [row.pupil for row in rows], list_name="Children short of full-time education")
    return render(
        request,
        "placements/oversight/short_of_full_time.html",
        {"rows": rows, "today": on, "full_time": FULL_TIME_SESSIONS},
    )
