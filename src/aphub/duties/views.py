"""Duties pages: the worklist of statutory clocks, the school calendar, the LA's policy numbers and notifications.

Views parse, call one query or service, and render. Every page is `role_required`; objects in URLs are fetched
through `visible_to` (another LA's school or term: 404, the same as a missing one).
"""

from collections.abc import Callable
from typing import Any, NamedTuple

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from aphub.audit.services import log_access_many, log_list_read
from aphub.core.clock import today
from aphub.core.days.dates import long_date
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.core.forms.error_summary import error_links
from aphub.core.permissions import require
from aphub.core.web.bounds import page_number
from aphub.core.web.views import form_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import COMMISSIONERS, LA_ADMINS, LA_STAFF, PROVIDER_ROLES, SCHOOL_ROLES, School
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

from . import queries, services
from .forms import (
    ChooseSchoolForm,
    ClosureForm,
    PolicyForm,
    RecordMetForm,
    TermForm,
    WorklistFilterForm,
)
from .models import Clock, Closure, TermDates

WORKLIST_ROLES = LA_STAFF | SCHOOL_ROLES
CALENDAR_ROLES = LA_ADMINS
RECORD_MET_ROLES = COMMISSIONERS
FILTERS = ("state", "rule", "owner")
# The roles notifications are addressed to (duties.notifications); the auditor acts on nothing, so has none.
NOTIFICATION_ROLES = COMMISSIONERS | PROVIDER_ROLES

WORKLIST = Export(
    "worklist",
    [
        Column("Child", lambda row: row.clock.pupil.full_name),
        Column("UPN", lambda row: row.clock.pupil.upn),
        Column("Duty", lambda row: row.rule_title),
        Column("Who must act", lambda row: row.owner_name),
        Column("Due", lambda row: row.clock.due_on),
        Column("School days left", lambda row: row.days_left),
        Column("School days overdue", lambda row: row.days_overdue),
        Column("State", lambda row: Clock.State(row.state).label if row.state in Clock.State.values else row.state),
    ],
)


# -- Worklist -------------------------------------------------------------------------------------------------


@role_required(WORKLIST_ROLES)
def worklist(request: HttpRequest) -> HttpResponse:
    form = WorklistFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    if (fmt := requested_format(request)) and not form.errors:
        clocks = list(queries.worklist_clocks(request.user, **{name: filters.get(name, "") for name in FILTERS}))
        # A download is the list leaving the service: unlike a page, it is logged for each clock in it.
        log_access_many(user=request.user, objs=clocks, verb="export", path=request.path)
        return WORKLIST.response(queries.worklist_rows(request.user, clocks, today=today()), fmt)
    page, rows = queries.worklist_page(
        request.user,
        today=today(),
        page=request.GET.get("page", 1),
        **{name: filters.get(name, "") for name in FILTERS},
    )
    log_list_read(request, [row.clock for row in rows], list_name="Worklist", page_number=page.number)
    query = request.GET.copy()
    query.pop("page", None)
    membership = membership_of(request.user)
    return form_page(
        request,
        "duties/worklist.html",
        form,
        page=page,
        rows=rows,
        page_query=query.urlencode(),
        page_range=list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
        is_school=acts_as(membership, SCHOOL_ROLES),
        today=today(),
        downloads=download_links(request),
    )


@role_required(RECORD_MET_ROLES)
def record_met(request: HttpRequest, pk: int) -> HttpResponse:
    clock = get_object_or_404(queries.worklist_clocks(request.user).select_related("pupil", "owner_school"), pk=pk)
    require(
        services.may_record_met(request.user, clock),
        "Only the school that owns this duty, or the local authority, can record it as met.",
    )
    form = RecordMetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.record_clock_met(
                user=request.user, clock=clock, on=form.cleaned_data["met_on"], note=form.cleaned_data["note"]
            )
            return call.done(f"The duty for {clock.pupil.full_name} is recorded as met.", "duties:worklist")
    return form_page(request, "duties/record_met.html", form, clock=clock, rule_title=queries.rule_title(clock.rule))


# -- School calendar ------------------------------------------------------------------------------------------


def _local_authority(request: HttpRequest):
    return membership_of(request.user).local_authority


def _visible_school(request: HttpRequest, pk: int) -> School:
    return get_object_or_404(queries.schools_for_calendars(request.user), pk=pk)


def _calendar_url(school: School | None) -> str:
    return reverse("duties:school-calendar", kwargs={"pk": school.pk}) if school else reverse("duties:calendar")


def _calendar_page(request: HttpRequest, *, school: School | None, choose_form=None, status=200) -> HttpResponse:
    local_authority = _local_authority(request)
    terms, closures = queries.calendar_rows(request.user, local_authority=local_authority, school=school)
    choose_form = choose_form or ChooseSchoolForm(schools=queries.schools_for_calendars(request.user))
    return render(
        request,
        "duties/calendar.html",
        {
            "local_authority": local_authority,
            "school": school,
            "terms": terms,
            "closures": closures,
            "schools_with_own_dates": []
            if school
            else list(queries.schools_with_own_dates(request.user, local_authority=local_authority)),
            "choose_form": choose_form,
            "errors": error_links(choose_form) if choose_form.errors else [],
        },
        status=status,
    )


@role_required(CALENDAR_ROLES)
def calendar(request: HttpRequest) -> HttpResponse:
    if "school" in request.GET:
        form = ChooseSchoolForm(request.GET, schools=queries.schools_for_calendars(request.user))
        if form.is_valid():
            return redirect("duties:school-calendar", pk=form.cleaned_data["school"].pk)
        return _calendar_page(request, school=None, choose_form=form)
    return _calendar_page(request, school=None)


@role_required(CALENDAR_ROLES)
def school_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    return _calendar_page(request, school=_visible_school(request, pk))


def _form_page(request, *, template: str, form, school: School | None, status=200) -> HttpResponse:
    return form_page(request, template, form, school=school, back=_calendar_url(school), status=status)


class _CalendarAddition(NamedTuple):
    """A term or a closure, as a page adds it: the form, its page, the service, the fields it takes, what is said."""

    form_class: type[forms.Form]
    template: str
    add: Callable[..., Any]
    fields: tuple[str, ...]
    said: Callable[[Any], str]


_TERM = _CalendarAddition(
    TermForm,
    "duties/term_form.html",
    services.add_term,
    ("name", "first_day", "last_day"),
    lambda term: f"{term.name} is added: {long_date(term.first_day)} to {long_date(term.last_day)}.",
)
_CLOSURE = _CalendarAddition(
    ClosureForm,
    "duties/closure_form.html",
    services.add_closure,
    ("date", "reason"),
    lambda closure: f"{long_date(closure.date)} is added as a closure: {closure.reason}.",
)


def _add_to_calendar(request: HttpRequest, school: School | None, addition: _CalendarAddition) -> HttpResponse:
    """Add a term or a closure to the LA's calendar (school None) or to a school's own."""
    form = addition.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            added = addition.add(
                user=request.user,
                local_authority=_local_authority(request),
                school=school,
                **{name: form.cleaned_data[name] for name in addition.fields},
            )
            return call.done(addition.said(added), _calendar_url(school))
    return _form_page(request, template=addition.template, form=form, school=school)


@role_required(CALENDAR_ROLES)
def add_term(request: HttpRequest) -> HttpResponse:
    return _add_to_calendar(request, None, _TERM)


@role_required(CALENDAR_ROLES)
def add_school_term(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_calendar(request, _visible_school(request, pk), _TERM)


@role_required(CALENDAR_ROLES)
def add_closure(request: HttpRequest) -> HttpResponse:
    return _add_to_calendar(request, None, _CLOSURE)


@role_required(CALENDAR_ROLES)
def add_school_closure(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_calendar(request, _visible_school(request, pk), _CLOSURE)


def _moved_sentence(moved: int) -> str:
    if moved == 0:
        return "No due date of a statutory clock moved."
    if moved == 1:
        return "The due date of 1 statutory clock moved."
    return f"The due dates of {moved} statutory clocks moved."


def _moves_sentence(moved: int) -> str:
    if moved == 0:
        return "No due date of a running statutory clock will move."
    clocks = "1 running statutory clock" if moved == 1 else f"{moved} running statutory clocks"
    return f"The due dates of {clocks} will be counted again from the term dates that are left, and will move."


@role_required(CALENDAR_ROLES)
def delete_term(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says how many due dates will move; the POST from that page deletes the term."""
    term = get_object_or_404(TermDates.objects.visible_to(request.user).select_related("school"), pk=pk)
    school = term.school
    if request.method == "POST":
        moved = services.delete_term(user=request.user, term=term)
        messages.success(request, f"{term.name} is deleted. {_moved_sentence(moved)}")
        return redirect(_calendar_url(school))
    whose = f"{school.name}'s own term dates" if school else "the local authority's term dates"
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to delete {term.name}?",
            "caption": f"{long_date(term.first_day)} to {long_date(term.last_day)}",
            "changes": [
                f"{term.name} is taken out of {whose}: its days are no longer counted as school days.",
                _moves_sentence(services.due_dates_moved_by_deleting(term=term)),
            ],
            "warning": "Deadlines such as the sixth day of a permanent exclusion are counted in school days.",
            "action": request.path,
            "button": f"Yes, delete {term.name}",
            "back": _calendar_url(school),
        },
    )


@role_required(CALENDAR_ROLES)
def delete_closure(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says how many due dates will move; the POST from that page deletes the closure."""
    closure = get_object_or_404(Closure.objects.visible_to(request.user).select_related("school"), pk=pk)
    school = closure.school
    day = long_date(closure.date)
    if request.method == "POST":
        moved = services.delete_closure(user=request.user, closure=closure)
        messages.success(request, f"The closure on {day} is deleted. {_moved_sentence(moved)}")
        return redirect(_calendar_url(school))
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to delete the closure on {day}?",
            "caption": closure.reason,
            "changes": [
                f"{day} is counted as a school day again.",
                _moves_sentence(services.due_dates_moved_by_deleting(closure=closure)),
            ],
            "action": request.path,
            "button": "Yes, delete the closure",
            "back": _calendar_url(school),
        },
    )


# -- Policy ---------------------------------------------------------------------------------------------------


@role_required(CALENDAR_ROLES)
def policy(request: HttpRequest) -> HttpResponse:
    local_authority = _local_authority(request)
    current = services.policy_for(local_authority)
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.update_policy(user=request.user, local_authority=local_authority, values=form.cleaned_data)
            return call.done(
                "The policy is saved. Clock states are worked out again with the new numbers.", "duties:policy"
            )
    return form_page(request, "duties/policy.html", form, local_authority=local_authority)


# -- Notifications --------------------------------------------------------------------------------------------


@role_required(NOTIFICATION_ROLES)
def notifications(request: HttpRequest) -> HttpResponse:
    """Every notification to the user's organisation, newest first; reading the list marks none of them read."""
    page = Paginator(queries.notifications_for(request.user), queries.NOTIFICATIONS_PAGE_SIZE).get_page(
        page_number(request.GET.get("page"))
    )
    # The subjects name children (first name and initial): a page of them is a list of children, logged as one.
    log_list_read(
        request,
        [notification for notification in page.object_list if notification.pupil_id],
        list_name="Notifications",
        page_number=page.number,
    )
    membership = membership_of(request.user)
    return render(
        request,
        "duties/notifications.html",
        {"page": page, "counts": queries.notification_counts(request.user), "organisation": membership.organisation},
    )


@role_required(NOTIFICATION_ROLES)
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Following a notification marks it read for this person, then opens its page (which logs its own read)."""
    notification = queries.notification_for(request.user, pk)
    services.mark_notification_read(user=request.user, notification=notification)
    # The path is written by the service (duties.notifications), never by a user; still, only ever a page of ours.
    if not notification.path.startswith("/") or not url_has_allowed_host_and_scheme(notification.path, None):
        return redirect("duties:notifications")
    return redirect(notification.path)


@role_required(NOTIFICATION_ROLES)
@require_POST
def mark_all_notifications_read(request: HttpRequest) -> HttpResponse:
    marked = services.mark_notifications_read(
        user=request.user, notifications=queries.unread_notifications(request.user)
    )
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked as read.")
    return redirect("duties:notifications")
