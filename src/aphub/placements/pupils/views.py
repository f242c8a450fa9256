"""Every page under /pupils/: the pupil list, a child's page (the timeline), recording and changing a pupil and their
school roll, episodes, the offer of a placement and the waiting list. Thin: parse, call a service or a query, render.
Every page that shows a child's record writes an access-log 'view'.

Their URL names keep their namespaces ("placements:pupil", "pupils:new"), so templates and reverse() calls do not
depend on where the views live.
"""

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.audit.services import log_access, log_list_read
from aphub.core.clock import today
from aphub.core.files.exports import download_links, requested_format
from aphub.core.forms.fields import add_domain_error
from aphub.core.web.bounds import MAX_ID
from aphub.core.web.views import service_call
from aphub.duties.services import policy_for
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONERS, LA_EDITORS, SCHOOL_ROLES, Role
from aphub.organisations.navigation import may_open
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements import exports, queries, services, top_ups
from aphub.placements.forms import (
    EpisodeCorrectionForm,
    EpisodeForm,
    OfferForm,
    PupilFilterForm,
    ReasonForm,
    WaitingListForm,
)
from aphub.placements.models import Episode, EpisodeKind, Tier
from aphub.placements.permissions import can_commission, can_correct_episodes, can_record_follow_ups
from aphub.placements.pupils.forms import EnrolmentForm, PupilForm
from aphub.placements.rules import EpisodeDetails
from aphub.placements.views import JOURNEY_ROLES, log_form_view, paginate, query_without_page
from aphub.pupils import queries as pupil_queries
from aphub.pupils import services as pupil_services
from aphub.pupils.models import Pupil
from aphub.pupils.sensitive import sensitive_fields_for


@role_required(*JOURNEY_ROLES)
def pupils(request: HttpRequest) -> HttpResponse:
    form = PupilFilterForm(
        request.GET, schools=queries.schools_of_pupils(request.user), placement_choices=queries.PLACEMENT_FILTERS
    )
    filters = form.filters()
    found = queries.pupils_for(request.user, **filters)
    if (fmt := requested_format(request)) and not form.errors:
        return exports.download(request, exports.PUPILS, list(found), fmt)
    page = paginate(request, found)
    log_list_read(request, page.object_list, list_name="Pupils list", page_number=page.number)
    return render(
        request,
        "placements/pupils.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "query": query_without_page(request),
            "downloads": download_links(request),
            "can_add": can_commission(membership_of(request.user)),
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
            "can_commission": can_commission(membership),
            "can_correct_episodes": can_correct_episodes(membership),
            # Links to other apps' pages: shown when their view admits the role.
            "can_enrol": may_open(membership, "pupils:enrol"),
            "can_see_access_log": may_open(membership, "audit:access-log"),
            "can_export": may_open(membership, "audit:subject-access"),
            "can_record_follow_ups": can_record_follow_ups(membership),
            "can_record_school_arranged": may_open(membership, "placements:school-arranged-new"),
        },
    )


@role_required(Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
def new_pupil(request: HttpRequest) -> HttpResponse:
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        with service_call(request, form) as call:
            pupil = pupil_services.record_pupil(user=request.user, upn=values.pop("upn"), **values)
            flag = (
                " Their UPN is temporary: replace it when the permanent one is known." if pupil.upn_is_temporary else ""
            )
            return call.done(f"{pupil.full_name} is recorded.{flag}", "placements:pupil", pk=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
def edit_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_queries.pupil_to_change(request.user, pk)
    allowed = sensitive_fields_for(request.user)
    hidden = [name for name in Pupil.SENSITIVE_FIELDS if name not in allowed]
    initial = {name: getattr(pupil, name) for name in pupil_services.PUPIL_FIELDS if name not in hidden}
    initial["upn"] = pupil.upn
    form = PupilForm(request.POST or None, initial=initial, without=hidden)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        with service_call(request, form) as call:
            pupil_services.update_pupil(user=request.user, pupil=pupil, upn=values.pop("upn"), **values)
            return call.done(f"{pupil.full_name}'s details are saved.", "placements:pupil", pk=pupil.pk)
    log_access(user=request.user, obj=pupil, verb="view", path=request.path)
    return render(request, "pupils/pupil_form.html", {"form": form, "pupil": pupil}, status=400 if form.errors else 200)


@role_required(LA_EDITORS)
def enrol_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = pupil_queries.pupil_to_change(request.user, pk)
    form = EnrolmentForm(
        request.POST or None,
        schools=pupil_queries.schools_to_enrol_at(request.user),
        initial={"start_date": today(), "registration": "C"},
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        with service_call(request, form) as call:
            enrolment = pupil_services.enrol(
                user=request.user,
                pupil=pupil,
                school=values["school"],
                start_date=values["start_date"],
                registration=values["registration"],
            )
            return call.done(
                f"{pupil.full_name} is on the roll of {enrolment.school.name}.", "placements:pupil", pk=pupil.pk
            )
    log_access(user=request.user, obj=pupil, verb="view", path=request.path)
    return render(
        request, "pupils/enrolment_form.html", {"form": form, "pupil": pupil}, status=400 if form.errors else 200
    )


@role_required(COMMISSIONERS)
def new_episode(request: HttpRequest, pk: int) -> HttpResponse:
    child = queries.pupil_for(request.user, pk)
    school_staff = acts_as(membership_of(request.user), SCHOOL_ROLES)
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
    log_form_view(request, child)
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
    log_form_view(request, episode.pupil)
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
    log_form_view(request, episode.pupil)
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


@role_required(COMMISSIONERS)
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
        # The bands for the provision chosen before the form; once answered, every band of the LA, so one that fits
        # the provision chosen on the form is accepted and one that does not gets the service's message.
        bands=top_ups.bands_to_choose(
            membership_of(request.user), child, preselected if request.method == "GET" else None
        ),
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
    log_form_view(request, child)
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
        "part_time_reason", "part_time_review_date", "registration", "lot", "over_limit_reason", "top_up_band",
        "top_up_amount", "top_up_exception_reason",
    )  # fmt: skip
    terms = {name: data.get(name) for name in names}
    terms["top_up_exception"] = data.get("top_up_exception", False)
    terms["top_up_exception_reason"] = terms["top_up_exception_reason"] or ""
    terms["is_full_time"] = data.get("is_full_time", True)
    terms["part_time_reason"] = terms["part_time_reason"] or ""
    terms["over_limit_reason"] = terms["over_limit_reason"] or ""
    terms["registration"] = terms["registration"] or None
    return terms


def _fingerprint(warnings: list[str]) -> str:
    """Which warnings the officer was shown: sent back with the form, so a new warning is shown before sending."""
    return hashlib.sha256("\n".join(warnings).encode()).hexdigest()[:16] if warnings else ""


@role_required(COMMISSIONERS)
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
    log_form_view(request, child)
    return render(
        request, "placements/waiting_list_form.html", {"form": form, "pupil": child}, status=400 if form.errors else 200
    )
