"""Attendance pages: the provider's register for a session, the CSV upload, a placement's marks and the rates.

Thin: parse, call a service or a query, render. A register or a rates page for a provision the user cannot see is a
404, the same as a missing one; every page that shows children writes an access-log 'view' for each.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from aphub.audit.services import log_access, log_list_read
from aphub.core.clock import now, today
from aphub.core.days.dates import weekday_date
from aphub.core.days.school_days import is_weekend, next_weekday, previous_weekday
from aphub.core.errors import DomainError
from aphub.core.files.exports import download_links, requested_format
from aphub.core.forms.error_summary import error_links
from aphub.core.forms.fields import DataFileForm
from aphub.core.web.views import form_page, service_call
from aphub.exchange.services import ImportRejected
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_STAFF, SCHOOL_ROLES, Role
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.attendance import queries
from aphub.placements.attendance.codes import AM, BY_CODE, PM, present_code
from aphub.placements.attendance.forms import RatesForm, RegisterChoiceForm, RegisterForm, UploadForm, register_query
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.attendance.services import (
    RegisterRejected,
    check_register_date,
    log_each,
    record_register,
    register_states,
    session_name,
)
from aphub.placements.exports import ATTENDANCE_RATES, download
from aphub.placements.permissions import can_take_register_of

READERS = (LA_STAFF, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)
MARKS_PAGE_SIZE = 60  # six weeks of sessions


def _links(*pairs) -> list[dict[str, str]]:
    """Error summary links: (anchor id, message) pairs."""
    return [{"href": f"#{anchor}", "text": text} for anchor, text in pairs]


def _default_session() -> str:
    return AM if timezone.localtime(now()).hour < 12 else PM


def _register_url(provision_id: int, day: datetime.date, session: str) -> str:
    query = urlencode({"provision": provision_id, "date": day.isoformat(), "session": session})
    return f"{reverse('placements:attendance-register')}?{query}"


# Provider staff take their registers; school staff those of the AP their school recorded at a provider with no
# users in AP Hub (placements.permissions: can_take_registers, can_take_register_of).
REGISTER_TAKERS = (Role.PROVIDER_STAFF, Role.SCHOOL_STAFF)


@role_required(*REGISTER_TAKERS)
def register(request: HttpRequest) -> HttpResponse:
    provisions = list(queries.register_provisions(request.user))
    if not provisions:
        return _register_page(request, {"provisions": []}, [])
    by_id = {provision.pk: provision for provision in provisions}
    asked = request.GET.get("provision", "").strip()
    if asked:
        try:
            asked_id = int(asked)
        except ValueError:
            raise Http404("No such provision") from None
        if asked_id not in by_id:
            raise Http404("No such provision")

    chosen = any(name in request.GET for name in ("provision", "date", "date_0", "session"))
    if chosen:
        data = register_query(request.GET)
        if len(provisions) == 1 and not asked:
            data["provision"] = str(provisions[0].pk)
        chooser = RegisterChoiceForm(data, provisions=provisions)
    else:
        day = today()
        initial = {"date": day, "session": _default_session()}
        if len(provisions) == 1:
            initial["provision"] = provisions[0].pk
        chooser = RegisterChoiceForm(initial=initial, provisions=provisions)

    provision = day = session = None
    if chosen and chooser.is_valid():
        asked_for = by_id.get(chooser.cleaned_data["provision"]) if chooser.cleaned_data["provision"] else None
        try:
            check_register_date(chooser.cleaned_data["date"], asked_for)
        except DomainError as error:
            chooser.add_error("date", error.message)
        else:
            provision = asked_for
            day, session = chooser.cleaned_data["date"], chooser.cleaned_data["session"]
    elif not chosen and len(provisions) == 1:
        provision, day, session = provisions[0], today(), _default_session()

    context = {"provisions": provisions, "chooser": chooser, "provision": provision, "day": day, "session": session}
    errors = error_links(chooser) if chooser.errors else []
    if provision is None:
        return _register_page(request, context, errors)

    placements = list(queries.register_placements(request.user, provision, day))
    existing = queries.register_marks(request.user, placements, day, session)
    initial = {}
    for placement_id, mark in existing.items():
        initial[f"mark_{placement_id}"] = mark.code
        initial[f"note_{placement_id}"] = mark.note
    if request.method == "POST":
        form = RegisterForm(request.POST, placements=placements, session=session)
        if form.is_valid():
            present = present_code(session) if "all_present" in request.POST else None
            marks = form.marks(present_for_unmarked=present)
            with service_call(request, form, field_for=lambda field: None) as call:
                try:
                    saved = record_register(
                        user=request.user, provision=provision, date=day, session=session, marks=marks
                    )
                except RegisterRejected as rejected:
                    for placement_id, message in rejected.problems.items():
                        field = f"mark_{placement_id}"
                        form.add_error(field if field in form.fields else None, message)
                else:
                    return call.done(
                        f"Register saved for the {session_name(session)} of {weekday_date(day)}: "
                        f"{saved.created} new mark{'s' if saved.created != 1 else ''}, {saved.changed} changed.",
                        _register_url(provision.pk, day, session),
                    )
        errors += error_links(form)
    else:
        form = RegisterForm(initial=initial, placements=placements, session=session)
    log_each(user=request.user, objs=placements, verb="view", path=request.path)
    context.update(
        form=form,
        rows=form.rows(),
        marked=len(existing),
        action=_register_url(provision.pk, day, session),
        previous_day=previous_weekday(day),
        next_day=next_weekday(day) if next_weekday(day) <= today() else None,
    )
    return _register_page(request, context, errors)


def _register_page(request: HttpRequest, context: dict, errors: list) -> HttpResponse:
    day = context.get("day")
    title = "Today's register" if day is None or day == today() else f"Register for {weekday_date(day)}"
    context.update(
        title=title,
        errors=errors,
        today=today(),
        session_label=session_name(context.get("session") or ""),
        is_school=acts_as(membership_of(request.user), SCHOOL_ROLES),
    )
    return render(request, "placements/attendance/register.html", context, status=400 if errors else 200)


def upload_page(
    request: HttpRequest,
    template: str,
    *,
    form: DataFileForm,
    run: Callable[[Any], str],
    then: str,
    **context,
) -> HttpResponse:
    """A file import's upload page: for a bound, valid `form`, `run` imports its file and says what it did (the
    success banner, then `then`); a refused file imports nothing and the page lists its bad rows
    (components/file_problems.html)."""
    refused: dict = {}
    if form.is_bound and form.is_valid():
        with service_call(request, form, field_for=lambda field: "file") as call:
            try:
                said = run(form)
            except ImportRejected as rejected:
                refused = form.refused(rejected)
            else:
                return call.done(said, then)
    return form_page(request, template, form, **refused, **context, status=400 if form.errors else 200)


@role_required(*REGISTER_TAKERS)
def upload(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    # A school sends the return one provider gave it, for one of the provisions whose registers it takes.
    provisions = list(queries.register_provisions(request.user)) if acts_as(membership, SCHOOL_ROLES) else None
    posted = request.method == "POST" and provisions != []  # a school with no registers has no return to send
    form = (
        UploadForm(request.POST, request.FILES, provisions=provisions) if posted else UploadForm(provisions=provisions)
    )

    def run(form: UploadForm) -> str:
        provision = form.cleaned_data.get("provision")
        provider = provision.provider if provision else membership.provider
        result = import_attendance(
            user=request.user, provider=provider, provision=provision, source=form.cleaned_data["file"]
        )
        return (
            f"Attendance file imported: {result.rows} mark{'s' if result.rows != 1 else ''} for "
            f"{result.placements} pupil{'s' if result.placements != 1 else ''} ({result.created} new, "
            f"{result.changed} changed, {result.unchanged} unchanged)."
        )

    return upload_page(
        request,
        "placements/attendance/upload.html",
        form=form,
        run=run,
        then="placements:attendance-upload",
        is_school=provisions is not None,
        only_provision=provisions[0] if provisions and len(provisions) == 1 else None,
        has_provisions=bool(provisions) or provisions is None,
        example_date=previous_weekday(today() + datetime.timedelta(days=1)),
    )


@role_required(*READERS)
def placement_marks(request: HttpRequest, pk: int) -> HttpResponse:
    placement = queries.placement_for(request.user, pk)
    log_access(user=request.user, obj=placement, verb="view", path=request.path)
    page = Paginator(queries.marks_for(request.user, placement), MARKS_PAGE_SIZE).get_page(request.GET.get("page"))
    membership = membership_of(request.user)
    can_mark = placement.status in register_states(membership) and can_take_register_of(membership, placement)
    # The register of the last school day the placement ran (today, or its last day for one that has ended).
    day = min(today(), placement.end_date or today())
    day = previous_weekday(day) if is_weekend(day) else day
    return render(
        request,
        "placements/attendance/placement.html",
        {
            "placement": placement,
            "summary": queries.attendance_summary(placement),
            "page": page,
            "rows": [
                {"mark": mark, "code": BY_CODE.get(mark.code), "session": session_name(mark.session)}
                for mark in page.object_list
            ],
            "can_mark": can_mark and placement.start_date <= day,
            "register_url": _register_url(placement.provision_id, day, _default_session()),
        },
    )


@role_required(*READERS)
def rates(request: HttpRequest) -> HttpResponse:
    form = RatesForm(request.GET or None)
    date_from, date_to = form.dates(today())
    provision = None
    placement_rows = []
    asked = request.GET.get("provision", "").strip()
    if asked:
        # Digits only and short enough for a database id: anything else is simply not a provision.
        if asked.isdigit() and len(asked) < 10:
            provision = queries.provision_with_placements(request.user, int(asked))
        if provision is None:
            raise Http404("No such provision")
        placement_rows = queries.placement_rates(request.user, provision.pk, date_from=date_from, date_to=date_to)
        if (fmt := requested_format(request)) and not form.errors:
            placements = [row.placement for row in placement_rows]
            return download(request, ATTENDANCE_RATES, placement_rows, fmt, records=placements)
        log_each(user=request.user, objs=[row.placement for row in placement_rows], verb="view", path=request.path)
    return form_page(
        request,
        "placements/attendance/rates.html",
        form,
        provision=provision,
        provisions=[] if provision else queries.provision_rates(request.user, date_from=date_from, date_to=date_to),
        placement_rows=placement_rows,
        date_from=date_from,
        date_to=date_to,
        period=request.GET.get("period", ""),
        downloads=download_links(request),
    )


ABSENCES_SHOWN = 500  # a bad day across a large LA; the list says when there are more


@role_required(LA_STAFF, Role.SCHOOL_STAFF)
def absences(request: HttpRequest) -> HttpResponse:
    """Who is absent today, and the absence alerts of the last week: what the LA and schools follow up."""
    day = today()
    absent = list(queries.absences_on(request.user, day)[: ABSENCES_SHOWN + 1])
    alerts = list(queries.recent_absence_alerts(request.user, on=day)[: ABSENCES_SHOWN + 1])
    shown = absent[:ABSENCES_SHOWN] + alerts[:ABSENCES_SHOWN]
    log_list_read(request, shown, list_name="Absences")
    return render(
        request,
        "placements/attendance/absences.html",
        {
            "today": day,
            "absent": [{"mark": mark, "code": BY_CODE.get(mark.code)} for mark in absent[:ABSENCES_SHOWN]],
            "alerts": alerts[:ABSENCES_SHOWN],
            "more": len(absent) > ABSENCES_SHOWN or len(alerts) > ABSENCES_SHOWN,
            "recent_days": queries.RECENT_ALERT_DAYS,
        },
    )
