"""Pages of a child's journey: pupils, the timeline, episodes, placements and the waiting list. Thin: parse, call a
service or a query, render. Every page that shows a child's record writes an access-log 'view'."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aphub.audit.services import log_access, log_list_read
from aphub.core.bounds import MAX_ID
from aphub.core.clock import today
from aphub.core.exports import download_links, requested_format
from aphub.core.form_fields import add_domain_error
from aphub.core.views import service_call
from aphub.duties.services import policy_for
from aphub.organisations.access import LA_EDITORS, LA_STAFF, role_required
from aphub.organisations.models import Role
from aphub.organisations.queries import membership_of

from . import exports, queries, services
from .forms import (
    CommissioningSchoolForm,
    EndForm,
    EpisodeCorrectionForm,
    EpisodeForm,
    OfferForm,
    PupilFilterForm,
    ReasonForm,
    RouteForm,
    StartForm,
    WaitingListForm,
)
from .models import Episode, EpisodeKind, Placement, Tier
from .review_views import FOLLOW_UP_ROLES
from .rules import EpisodeDetails

JOURNEY_ROLES = (LA_STAFF, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)
COMMISSIONERS = (Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
PAGE_SIZE = 50


def _page(request: HttpRequest, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)  # a page link never downloads a file
    return query.urlencode()


@role_required(*JOURNEY_ROLES)
def pupils(request: HttpRequest) -> HttpResponse:
    form = PupilFilterForm(
        request.GET, schools=queries.schools_of_pupils(request.user), placement_choices=queries.PLACEMENT_FILTERS
    )
    filters = form.filters()
    found = queries.pupils_for(request.user, **filters)
    if (fmt := requested_format(request)) and not form.errors:
        return exports.download(request, exports.PUPILS, list(found), fmt)
    page = _page(request, found)
    log_list_read(request, page.object_list, list_name="Pupils list", page_number=page.number)
    return render(
        request,
        "placements/pupils.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "query": _query_without_page(request),
            "downloads": download_links(request),
            "can_add": membership_of(request.user).role in COMMISSIONERS,
        },
    )


@role_required(*JOURNEY_ROLES)
def pupil(request: HttpRequest, pk: int) -> HttpResponse:
    child = queries.pupil_for(request.user, pk)
    log_access(user=request.user, obj=child, verb="view", path=request.path)
    membership = membership_of(request.user)
    return render(
        request,
        "placements/timeline.html",
        {
            "timeline": queries.timeline_for(request.user, child),
            "pupil": child,
            "can_commission": membership.role in COMMISSIONERS,
            "can_correct_episodes": membership.role in LA_EDITORS,
            "can_enrol": membership.role in (Role.LA_ADMIN, Role.LA_OFFICER),
            "can_see_access_log": membership.role in (Role.LA_ADMIN, Role.AUDITOR),
            "can_export": membership.role == Role.LA_ADMIN,
            "can_record_follow_ups": membership.role in FOLLOW_UP_ROLES,
        },
    )


@role_required(*COMMISSIONERS)
def new_episode(request: HttpRequest, pk: int) -> HttpResponse:
    child = queries.pupil_for(request.user, pk)
    school_staff = membership_of(request.user).role == Role.SCHOOL_STAFF
    kinds = [(k, label) for k, label in EpisodeKind.choices if not school_staff or k in services.SCHOOL_EPISODE_KINDS]
    form = EpisodeForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.record_episode(user=request.user, pupil=child, **form.cleaned_data)
            return call.done(
                "The episode is recorded and its statutory clocks have started.", "placements:pupil", pk=child.pk
            )
    elif request.method == "POST":
        school = services.school_of_new_episode(request.user, child)
        _add_rule_problems(form, child, kind=form.cleaned_data.get("kind", ""), school=school)
    _log_form_view(request, child)
    return render(
        request, "placements/episode_form.html", {"form": form, "pupil": child}, status=400 if form.errors else 200
    )


def _add_rule_problems(form, pupil, *, kind: str, school=None, other_than=None) -> None:
    """When the form itself has errors, add what the rules say of the fields that did parse, so the error summary
    shows every problem of the submission at once (GOV.UK), not one round at a time."""
    data = form.cleaned_data
    details = EpisodeDetails(
        kind=kind,
        start_date=data.get("start_date"),
        suspension_last_day=data.get("suspension_last_day"),
        days_missed=data.get("days_missed"),
    )
    for problem in services.episode_problems(pupil, details, school=school, other_than=other_than):
        if problem.field in form.fields and problem.field not in form.errors:
            form.add_error(problem.field, problem.message)


@role_required(*LA_EDITORS)
def correct_episode(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the dates or details of an episode recorded in error; its clocks are counted again."""
    episode = queries.episode_for(request.user, pk)
    if episode.status == Episode.Status.WITHDRAWN:
        raise Http404("This episode was withdrawn")
    initial = {
        "start_date": episode.start_date,
        "suspension_last_day": episode.suspension_last_day,
        "days_missed": episode.days_missed,
        "summary": episode.summary,
    }
    form = EpisodeCorrectionForm(request.POST or None, initial=initial, kind=episode.kind)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.correct_episode(user=request.user, episode=episode, **form.cleaned_data)
            return call.done(
                "The episode is corrected and its statutory clocks are counted again.",
                "placements:pupil",
                pk=episode.pupil_id,
            )
    elif request.method == "POST":
        _add_rule_problems(form, episode.pupil, kind=episode.kind, other_than=episode)
        # A reason too long already has its message; asking for one as well would contradict it.
        if "reason" not in form.errors and not (form.cleaned_data.get("reason") or "").strip():
            form.add_error("reason", services.REASON_FOR_CORRECTION)
    _log_form_view(request, episode.pupil)
    return render(
        request,
        "placements/episode_correct.html",
        {"form": form, "episode": episode, "pupil": episode.pupil},
        status=400 if form.errors else 200,
    )


@role_required(*LA_EDITORS)
def withdraw_episode(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an episode recorded in error, after a page that says what will change (which clocks stop)."""
    episode = queries.episode_for(request.user, pk)
    if episode.status == Episode.Status.WITHDRAWN:
        raise Http404("This episode was withdrawn")
    form = ReasonForm(request.POST or None, label="Why are you withdrawing it?")
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.withdraw_episode(user=request.user, episode=episode, reason=form.cleaned_data["reason"])
            return call.done(
                "The episode is withdrawn and its statutory clocks have stopped.",
                "placements:pupil",
                pk=episode.pupil_id,
            )
    _log_form_view(request, episode.pupil)
    return render(
        request,
        "placements/episode_withdraw.html",
        {
            "form": form,
            "episode": episode,
            "pupil": episode.pupil,
            "clocks": queries.clocks_of_episode(request.user, episode),
            "blockers": services.withdrawal_blockers(episode),
        },
        status=400 if form.errors else 200,
    )


@role_required(*COMMISSIONERS)
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    child = queries.pupil_for(request.user, pk)
    episodes = list(queries.open_episodes(request.user, child))
    provisions = queries.provisions_to_commission(request.user)
    initial = {"start_date": today(), "tier": Tier.TIER_2, "is_full_time": "yes", "sessions_per_week": 10}
    if episodes:
        initial["episode"] = episodes[0].pk
        initial["registration"] = episodes[0].route.registration
    referral = queries.approved_referral(request.user, child, request.GET.get("referral", ""))
    approval = services.panel_approval(referral) if referral is not None else None
    if referral is not None:
        initial["episode"] = referral.episode_id
        initial["tier"] = referral.requested_tier
    # The provision chosen before the form: from the waiting list or the panel's link (?provision=), else the one
    # the panel approved. Only one the user may commission: its warnings name it.
    provision_id = request.GET.get("provision", "")
    if provision_id.isdigit() and int(provision_id) <= MAX_ID:
        preselected = provisions.filter(pk=int(provision_id)).first()
    elif approval is not None and approval.provision_id:
        preselected = provisions.filter(pk=approval.provision_id).first()
    else:
        preselected = None
    if preselected is not None:
        initial["provision"] = preselected.pk
    form = OfferForm(
        request.POST or None,
        episodes=episodes,
        provisions=provisions,
        admissions=queries.lot_admissions_for(request.user),
        initial=initial,
    )
    weeks = approval.weeks if approval is not None else None
    form.fields["planned_end_date"].help_text = (
        f"Leave it blank and the placement is planned to end after the {weeks} weeks the panel approved."
        if weeks
        else f"Tier 2 placements end after {policy_for(child.local_authority).tier_2_planned_weeks} weeks "
        "unless you set another date."
    )
    full_provision = None
    # What is known before any answer is shown on first load; sent back with the form, so the offer goes in one
    # submission unless the answers raise a warning not read yet.
    warnings = services.warnings_before_offer(pupil=child, provision=preselected) if request.method == "GET" else []
    warnings_seen = _fingerprint(warnings)
    if request.method == "POST":
        valid = form.is_valid()
        data = dict(form.cleaned_data)
        chosen = data.pop("episode", None)
        episode = next((e for e in episodes if e.pk == chosen), None)
        # The service checks what the form could parse, so one submission shows every error the page can find.
        check = services.check_offer(
            user=request.user, pupil=child, episode=episode, referral=referral, **_offer_terms(data)
        )
        for problem in check.problems:
            if problem.field not in form.errors:
                add_domain_error(form, problem)
        warnings = check.warnings
        warnings_seen = _fingerprint(warnings)
        # Warnings are read before the offer is sent: a first submission that raises new ones shows them instead.
        if valid and not form.errors and (not warnings or request.POST.get("warnings_seen") == warnings_seen):
            with service_call(request, form) as call:
                try:
                    made = services.offer_placement(user=request.user, episode=episode, referral=referral, **data)
                except services.OfferRefused as error:
                    for problem in error.problems:
                        add_domain_error(form, problem)
                except services.ProvisionFull as error:
                    add_domain_error(form, error)
                    full_provision = data["provision"]
                else:
                    return call.done(
                        f"The placement is offered to {made.provision}. The place is held for {child.full_name}.",
                        "placements:placement",
                        pk=made.pk,
                    )
    _log_form_view(request, child)
    return render(
        request,
        "placements/offer_form.html",
        {
            "form": form,
            "pupil": child,
            "episodes": episodes,
            "full_provision": full_provision,
            "referral": referral,
            "warnings": warnings,
            "warnings_seen": warnings_seen,
            "answered": request.method == "POST",
        },
        status=400 if form.errors else 200,
    )


def _offer_terms(data: dict) -> dict:
    """The offer form's parsed values as check_offer takes them; what did not parse is None."""
    names = (
        "provision", "start_date", "tier", "sessions_per_week", "hours_per_week", "annual_cost", "planned_end_date",
        "part_time_reason", "part_time_review_date", "registration", "lot", "over_limit_reason",
    )  # fmt: skip
    terms = {name: data.get(name) for name in names}
    terms["is_full_time"] = data.get("is_full_time", True)
    terms["part_time_reason"] = terms["part_time_reason"] or ""
    terms["over_limit_reason"] = terms["over_limit_reason"] or ""
    terms["registration"] = terms["registration"] or None
    return terms


def _fingerprint(warnings: list[str]) -> str:
    """Which warnings the officer was shown: sent back with the form, so a new warning is shown before sending."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16] if warnings else ""


@role_required(*JOURNEY_ROLES)
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
    page = _page(request, found)
    offers = list(queries.offers_waiting_for(request.user)[:50]) if membership.role == Role.PROVIDER_STAFF else []
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
            "query": _query_without_page(request),
        },
    )


def _placement_page(request: HttpRequest, placement: Placement, **extra) -> HttpResponse:
    from aphub.funding.services import billed_commissioner, funding_summary

    funding = funding_summary(placement=placement, user=request.user)
    context = {
        "billed_commissioner": billed_commissioner(placement=placement),
        "changes": list(placement.changes.select_related("by")),
        "can_name_commissioner": services.can_change_commissioner(request.user, placement)
        and placement.status != Placement.Status.CANCELLED,
        "can_hand_back": services.can_hand_back_to_la(request.user, placement),
        "placement": placement,
        "contract": queries.lot_contract(placement),
        "actions": services.allowed_actions(request.user, placement),
        "funding": funding,
        "warnings": [*queries.unregistered_warnings(request.user, placement), *funding.warnings],
        **extra,
    }
    return render(request, "placements/placement.html", context, status=400 if extra.get("form_errors") else 200)


@role_required(*JOURNEY_ROLES)
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


def _log_form_view(request: HttpRequest, pupil) -> None:
    """A form page that names a child is a read of their record: log it when it is first shown."""
    if request.method == "GET":
        log_access(user=request.user, obj=pupil, verb="view", path=request.path)


def _action_form_page(request, *, found: Placement, form, action: str, title: str, button: str):
    _log_form_view(request, found.pupil)
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
    if action not in services.allowed_actions(request.user, found):
        raise PermissionDenied(f"You cannot {action} this placement")
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


@role_required(*COMMISSIONERS)
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


@role_required(Role.PROVIDER_STAFF, *COMMISSIONERS)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    if "start" not in services.allowed_actions(request.user, found):
        raise PermissionDenied("You cannot start this placement")
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


@role_required(Role.PROVIDER_STAFF, *COMMISSIONERS)
def end(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.placement_for(request.user, pk)
    if "end" not in services.allowed_actions(request.user, found):
        raise PermissionDenied("You cannot end this placement")
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


@role_required(Role.LA_ADMIN, Role.LA_OFFICER)
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


@role_required(Role.LA_ADMIN, Role.LA_OFFICER)
def hand_back_to_la(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change (who commissions, who is billed, who can act); the POST
    from that page hands the placement back to the LA as its commissioner."""
    from aphub.funding.services import billed_commissioner

    found = queries.placement_for(request.user, pk)
    if not services.can_hand_back_to_la(request.user, found):
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
            "can_change": membership_of(request.user).role in COMMISSIONERS,
        },
    )


@role_required(*COMMISSIONERS)
def add_to_waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    child = queries.pupil_for(request.user, pk)
    initial = {"provision": request.GET["provision"]} if request.GET.get("provision", "").isdigit() else {}
    form = WaitingListForm(
        request.POST or None, provisions=queries.provisions_to_commission(request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.add_to_waiting_list(user=request.user, pupil=child, provision=form.cleaned_data["provision"])
            return call.done(
                f"{child.full_name} is on the waiting list for {form.cleaned_data['provision']}.",
                "placements:waiting-list",
            )
    _log_form_view(request, child)
    return render(
        request, "placements/waiting_list_form.html", {"form": form, "pupil": child}, status=400 if form.errors else 200
    )


@role_required(*COMMISSIONERS)
def remove_from_waiting_list(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page takes the child off the list."""
    entry = queries.waiting_list_for(request.user).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such waiting list entry")
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


@role_required(LA_STAFF)
def routes(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "placements/routes.html",
        {"routes": queries.routes_for(request.user), "can_change": membership_of(request.user).role == Role.LA_ADMIN},
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
