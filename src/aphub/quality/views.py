"""Quality pages: monitoring visits and actions, provider scorecards, complaints, suspension and removal, schools'
provider checks and unregistered oversight. Views parse, call one query or service, and render.

Access: every page is `role_required`; objects are fetched through the scoped queries in quality/queries.py (another
organisation's: 404, the same as a missing one); writing is the services' decision (NotPermitted: 403).
No page here shows a child's record: placements appear as initials and placement numbers with a link to the
placement's own page, which shows and access-logs the child, so these pages write no access log.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from aphub.commissioning.models import MonitoringVisit, QAArea
from aphub.commissioning.permissions import can_assure_quality, can_change_admission, can_change_quality_policy
from aphub.commissioning.quality import services
from aphub.commissioning.quality.forms import (
    ActionForm,
    AdmissionReasonForm,
    CloseActionForm,
    ComplaintForm,
    DecideComplaintForm,
    ProviderNoteForm,
    QualityPolicyForm,
    RecordVisitForm,
    RescheduleVisitForm,
    ScheduleVisitForm,
    note_field,
)
from aphub.core.clock import today
from aphub.core.forms.error_summary import error_links
from aphub.core.permissions import require
from aphub.core.web.views import form_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_ADMINS, LA_EDITORS, LA_STAFF, PROVIDER_ROLES, SCHOOL_ROLES
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.oversight import THRESHOLD_PUPILS, full_time_hours_by_la
from aphub.quality import queries

VISIT_READERS = LA_STAFF | PROVIDER_ROLES
ACTION_WRITERS = LA_EDITORS | PROVIDER_ROLES


def _long(day) -> str:
    return f"{day.day} {day:%B %Y}"


# --- LA overview and policy ------------------------------------------------------------------------------------


@role_required(LA_STAFF)
def overview(request: HttpRequest) -> HttpResponse:
    on = today()
    return render(
        request,
        "commissioning/quality/overview.html",
        {
            "rows": queries.quality_overview(request.user, today=on),
            "overdue": queries.overdue_actions(request.user, today=on).count(),
            "may_edit": can_assure_quality(membership_of(request.user)),
            "is_admin": can_change_quality_policy(membership_of(request.user)),
            "today": on,
        },
    )


@role_required(LA_ADMINS)
def policy(request: HttpRequest) -> HttpResponse:
    la = queries.la_of(request.user)
    current = services.quality_policy_for(la)
    form = QualityPolicyForm(
        request.POST if request.method == "POST" else None,
        initial={
            "routine_visits_per_year": current.routine_visits_per_year,
            "concern_visit_working_days": current.concern_visit_working_days,
        },
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.update_quality_policy(user=request.user, local_authority=la, **form.cleaned_data)
            return call.done("The quality policy is saved.", "commissioning:quality")
    return form_page(request, "commissioning/quality/policy.html", form, la=la)


# --- Visits ----------------------------------------------------------------------------------------------------


@role_required(LA_EDITORS)
def plan_visits(request: HttpRequest) -> HttpResponse:
    on = today()
    la = queries.la_of(request.user)
    if request.method == "POST":
        with service_call(request):
            planned = services.schedule_visits(la=la, today=on, user=request.user)
            if planned:
                messages.success(request, f"{len(planned)} routine visit{'' if len(planned) == 1 else 's'} planned.")
            else:
                messages.info(request, "No routine visits were needed: each admitted provider has one planned.")
        return redirect("commissioning:quality-visits")
    return render(
        request,
        "commissioning/quality/plan_visits.html",
        {"proposals": queries.visit_proposals(request.user, today=on), "policy": services.quality_policy_for(la)},
    )


@role_required(VISIT_READERS)
def visits(request: HttpRequest) -> HttpResponse:
    on = today()
    is_provider = acts_as(membership_of(request.user), PROVIDER_ROLES)
    found = list(queries.visits_visible_to(request.user).order_by("-scheduled_for", "-id")[:500])
    provider, count = queries.own_oversight(request.user, today=on) if is_provider else (None, None)
    return render(
        request,
        "commissioning/quality/visits.html",
        {
            "planned": sorted((v for v in found if v.held_on is None), key=lambda v: (v.scheduled_for, v.pk)),
            "held": [v for v in found if v.held_on is not None],
            "is_provider": is_provider,
            "may_edit": can_assure_quality(membership_of(request.user)),
            "oversight": count,
            "overdue": queries.overdue_actions(request.user, today=on).count(),
            "today": on,
        },
    )


@role_required(VISIT_READERS)
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.visit_for(request.user, pk)
    may_edit = can_assure_quality(membership_of(request.user), found.local_authority_id)
    reschedule = None
    if request.method == "POST":
        require(may_edit and found.held_on is None, "Only the local authority's officers can change a planned visit.")
    if may_edit and found.held_on is None:
        reschedule = RescheduleVisitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and reschedule.is_valid():
            with service_call(request, reschedule) as call:
                services.reschedule_visit(
                    user=request.user, visit=found, scheduled_for=reschedule.cleaned_data["scheduled_for"]
                )
                return call.done(
                    f"The visit is moved to {_long(reschedule.cleaned_data['scheduled_for'])}.",
                    "commissioning:quality-visit",
                    pk=found.pk,
                )
    return render(
        request,
        "commissioning/quality/visit.html",
        {
            "visit": found,
            "ratings": queries.ratings_of(found),
            "actions": queries.actions_of(found),
            "may_edit": may_edit,
            "is_provider": acts_as(membership_of(request.user), PROVIDER_ROLES),
            "form": reschedule,
            "errors": error_links(reschedule) if reschedule is not None and reschedule.errors else [],
            "today": today(),
        },
    )


@role_required(LA_EDITORS)
def record_visit(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.visit_for(request.user, pk)
    initial = {}
    if found.held_on:
        initial = {"held_on": found.held_on, "overall": found.overall, "summary": found.summary}
        for rating in found.ratings.all():
            initial[rating.area] = rating.rating
            initial[note_field(rating.area)] = rating.note
    form = RecordVisitForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            recorded = services.record_visit(
                user=request.user,
                visit=found,
                held_on=form.cleaned_data["held_on"],
                ratings=form.ratings(),
                overall=form.cleaned_data["overall"],
                summary=form.cleaned_data["summary"],
            )
            saved = "The visit is recorded."
            if recorded.concern_visit is not None:
                saved += f" A concern visit is planned for {_long(recorded.concern_visit.scheduled_for)}."
            return call.done(saved, "commissioning:quality-visit", pk=found.pk)
    return form_page(request, "commissioning/quality/record_visit.html", form, visit=found)


@role_required(LA_EDITORS)
def new_visit(request: HttpRequest, pk: int) -> HttpResponse:
    provider = queries.provider_for_quality(request.user, pk)
    form = ScheduleVisitForm(
        request.POST if request.method == "POST" else None, initial={"reason": MonitoringVisit.Reason.CONCERN}
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            planned = services.schedule_visit(user=request.user, provider=provider, **form.cleaned_data)
            return call.done(
                f"The visit is planned for {_long(planned.scheduled_for)}.",
                "commissioning:quality-visit",
                pk=planned.pk,
            )
    return form_page(request, "commissioning/quality/new_visit.html", form, provider=provider)


# --- Actions ---------------------------------------------------------------------------------------------------


@role_required(LA_EDITORS)
def new_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.visit_for(request.user, pk)
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.add_action(user=request.user, visit=found, **form.cleaned_data)
            return call.done("The action is added.", "commissioning:quality-visit", pk=found.pk)
    return form_page(request, "commissioning/quality/new_action.html", form, visit=found)


@role_required(ACTION_WRITERS)
def action(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.action_for(request.user, pk)
    is_provider = acts_as(membership_of(request.user), PROVIDER_ROLES)
    form_class = ProviderNoteForm if is_provider else CloseActionForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if found.done_on is not None:
            messages.error(request, "This action is already marked done.")
            return redirect("commissioning:quality-action", pk=found.pk)
        if form.is_valid():
            with service_call(request, form) as call:
                if is_provider:
                    services.note_action(user=request.user, action=found, note=form.cleaned_data["note"])
                else:
                    services.close_action(user=request.user, action=found, **form.cleaned_data)
                return call.done(
                    "Your note is saved for the local authority." if is_provider else "The action is done.",
                    "commissioning:quality-visit",
                    pk=found.visit_id,
                )
    return form_page(
        request,
        "commissioning/quality/action.html",
        form,
        action=found,
        visit=found.visit,
        is_provider=is_provider,
        today=today(),
    )


@role_required(VISIT_READERS)
def overdue_actions(request: HttpRequest) -> HttpResponse:
    on = today()
    return render(
        request,
        "commissioning/quality/overdue_actions.html",
        {"actions": list(queries.overdue_actions(request.user, today=on)[:500]), "today": on},
    )


# --- Scorecard and complaints ----------------------------------------------------------------------------------


@role_required(LA_STAFF)
def scorecard(request: HttpRequest, pk: int) -> HttpResponse:
    provider = queries.provider_for_quality(request.user, pk)
    on = today()
    return render(
        request,
        "commissioning/quality/scorecard.html",
        {
            "card": queries.scorecard(request.user, provider, today=on),
            "provider": provider,
            "areas": list(QAArea),
            "may_edit": can_assure_quality(membership_of(request.user)),
            "today": on,
        },
    )


@role_required(LA_EDITORS)
def new_complaint(request: HttpRequest, pk: int) -> HttpResponse:
    provider = queries.provider_for_quality(request.user, pk)
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.record_complaint(user=request.user, provider=provider, **form.cleaned_data)
            return call.done("The complaint is recorded.", "commissioning:quality-provider", pk=provider.pk)
    return form_page(request, "commissioning/quality/new_complaint.html", form, provider=provider)


@role_required(LA_STAFF)
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.complaint_for(request.user, pk)
    may_edit = can_assure_quality(membership_of(request.user)) and found.closed_on is None
    form = DecideComplaintForm(request.POST if request.method == "POST" else None) if may_edit else None
    if request.method == "POST":
        require(form is not None, "This complaint cannot be decided by you, or it has been decided already.")
        if form.is_valid():
            with service_call(request, form) as call:
                decided = services.decide_complaint(
                    user=request.user, complaint=found, upheld=form.cleaned_data["upheld"] == "yes"
                )
                saved = "The complaint is upheld." if decided.complaint.upheld else "The complaint is not upheld."
                if decided.concern_visit is not None:
                    saved += f" A concern visit is planned for {_long(decided.concern_visit.scheduled_for)}."
                return call.done(saved, "commissioning:quality-provider", pk=found.provider_id)
    return render(
        request,
        "commissioning/quality/complaint.html",
        {"complaint": found, "form": form, "errors": error_links(form) if form is not None and form.errors else []},
    )


# --- Admissions: suspend, reinstate, remove --------------------------------------------------------------------


@role_required(LA_STAFF)
def admission(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.admission_for(request.user, pk)
    may_change = can_change_admission(membership_of(request.user), found)
    return render(
        request,
        "commissioning/quality/admission.html",
        {
            "admission": found,
            "placements": queries.placements_to_review(request.user, found),
            "moves": services.admission_moves(found) if may_change else [],
            "may_change": may_change,
        },
    )


MOVE_PAGES = {
    services.AdmissionMove.SUSPEND: {
        "title": "Suspend the provider",
        "label": "Why is the provider suspended?",
        "button": "Suspend",
        "explain": "While suspended, no new placements can be made under this {word}. Placements already made carry "
        "on: review each of them on the admission's page.",
        "done": "{provider} is suspended from {lot}.",
    },
    services.AdmissionMove.REINSTATE: {
        "title": "Reinstate the provider",
        "label": "Why is the provider reinstated?",
        "button": "Reinstate",
        "explain": "New placements can be made under this {word} again.",
        "done": "{provider} is reinstated on {lot}.",
    },
    services.AdmissionMove.REMOVE: {
        "title": "Remove the provider",
        "label": "Why is the provider removed?",
        "button": "Remove",
        "explain": "Removal ends the provider's eligibility under this {word} for good: it cannot be reinstated and "
        "would have to apply again. Placements already made carry on.",
        "done": "{provider} is removed from {lot}.",
    },
}


def _move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    found = queries.admission_for(request.user, pk)
    require(
        can_change_admission(membership_of(request.user), found),
        "Only officers of the local authority that runs the arrangement can change an admission.",
    )
    page = MOVE_PAGES[move]
    if move not in services.admission_moves(found):
        messages.error(request, services.REFUSED[move] + ".")
        return redirect("commissioning:quality-admission", pk=found.pk)
    form = AdmissionReasonForm(
        request.POST if request.method == "POST" else None, label=page["label"], missing=services.REASON_MISSING[move]
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.change_admission(user=request.user, admission=found, move=move, reason=form.cleaned_data["reason"])
            return call.done(
                page["done"].format(provider=found.provider.display_name, lot=found.lot),
                "commissioning:quality-admission",
                pk=found.pk,
            )
    return form_page(
        request,
        "commissioning/quality/admission_move.html",
        form,
        admission=found,
        page=page,
        explain=page["explain"].format(word=found.lot.arrangement.lot_word),
        action_url=request.path,
    )


@role_required(LA_EDITORS)
@require_http_methods(["GET", "POST"])
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.AdmissionMove.SUSPEND)


@role_required(LA_EDITORS)
@require_http_methods(["GET", "POST"])
def reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.AdmissionMove.REINSTATE)


@role_required(LA_EDITORS)
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    return _move(request, pk, services.AdmissionMove.REMOVE)


# --- Schools' provider checks ----------------------------------------------------------------------------------


@role_required(SCHOOL_ROLES)
def provider_checks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/quality/provider_checks.html",
        {"checks": queries.provider_checks(request.user, today=today())},
    )


# --- Unregistered oversight ------------------------------------------------------------------------------------


@role_required(LA_STAFF)
def unregistered(request: HttpRequest) -> HttpResponse:
    on = today()
    return render(
        request,
        "commissioning/quality/unregistered.html",
        {
            "rows": queries.oversight_rows(request.user, today=on),
            "breaches": queries.limit_breaches_for(request.user, today=on),
            "hours": _la_full_time_hours(request),
            "threshold": THRESHOLD_PUPILS,
        },
    )


def _la_full_time_hours(request: HttpRequest):
    la = queries.la_of(request.user)
    la_id = la.pk if la else None
    return full_time_hours_by_la([la_id])[la_id]


@role_required(PROVIDER_ROLES)
def registration(request: HttpRequest) -> HttpResponse:
    provider, count = queries.own_oversight(request.user, today=today())
    return render(
        request,
        "commissioning/quality/registration.html",
        {"provider": provider, "count": count, "threshold": THRESHOLD_PUPILS},
    )
