import csv
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from aphub.audit.services import log_access, log_list_read
from aphub.core.clock import today
from aphub.core.web.views import form_page, paginate, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import Role
from aphub.organisations.queries import membership_of
from aphub.pupils.models import Pupil

from . import retention
from .forms import AccessLogFilterForm, ApprovalForm, RetentionScheduleForm
from .queries import access_log_for
from .readable import readable

PAGE_SIZE = 50
CSV_BATCH = 500
CSV_HEADER = [
    "When (UK time)",
    "Person",
    "Role",
    "Organisation",
    "Did",
    "Record",
    "Children (name and UPN)",
    "Page address",
    "Request id",
]
FILTER_NAMES = ("person", "child", "date_from_0", "date_from_1", "date_from_2", "date_to_0", "date_to_1", "date_to_2")


def _filtered_log(request: HttpRequest):
    """The filter form and the entries it selects (None while the form has errors: show them, not a wrong list)."""
    form = AccessLogFilterForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    return form, access_log_for(request.user, **form.filters())


@role_required(Role.LA_ADMIN, Role.AUDITOR)
def access_log(request: HttpRequest) -> HttpResponse:
    form, entries = _filtered_log(request)
    # The same address with ?format=csv downloads the filtered entries (as every list's download does).
    if entries is not None and request.GET.get("format") == "csv":
        return _access_log_csv(request, entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")) if entries is not None else None
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    filtered = any(request.GET.get(name, "").strip() for name in (*FILTER_NAMES, "pupil", "object_type", "object_id"))
    return form_page(
        request,
        "audit/access_log.html",
        form,
        page=page,
        rows=readable(page.object_list, reader=request.user) if page else [],
        query=query.urlencode(),
        filtered=filtered,
        children=form.children if form.is_valid() else [],
    )


def _cell(value: object) -> str:
    # Names are typed by schools and providers: a leading =, +, - or @ would run as a formula in a spreadsheet
    # (CSV injection), so such a cell is written as text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _access_log_csv(request: HttpRequest, entries) -> HttpResponse:
    """The filtered log as CSV, in words like the page. The file names children, so it is itself logged as an export
    of each child it names (one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    named: dict[int, None] = {}
    batch = []
    for entry in entries.iterator(chunk_size=CSV_BATCH):
        batch.append(entry)
        if len(batch) == CSV_BATCH:
            _write(writer, batch, named, request.user)
            batch = []
    _write(writer, batch, named, request.user)
    log_list_read(request, list(named), list_name="Access log download", verb="export")
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    return response


def _write(writer, entries: list, named: dict[int, None], reader) -> None:
    for row in readable(entries, reader=reader):
        entry = row.entry
        named.update(dict.fromkeys(child.pk for child in row.children if child.upn))
        writer.writerow(
            [
                timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                _cell(entry.user_email),
                row.role,
                _cell(entry.organisation),
                row.did,
                _cell(row.what),
                _cell("; ".join(f"{child.name} ({child.upn})" if child.upn else child.name for child in row.children)),
                entry.path,
                entry.request_id,
            ]
        )


def _pupil_for_export(request: HttpRequest, pk: int):
    pupil = get_object_or_404(Pupil.objects.visible_to(request.user), pk=pk)
    log_access(user=request.user, obj=pupil, verb="export", path=request.path)
    return pupil


# LA admins only: the export holds every sensitive fact (health, SEN, safeguarding), which auditors never see
# (pupils/sensitive.py); auditors see who read and changed the record in the access log instead.
@role_required(Role.LA_ADMIN)
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """A readable copy of everything held about one child, for a subject access request."""
    from .subject_access import readable_export

    pupil = _pupil_for_export(request, pk)
    return render(request, "audit/subject_access.html", {"pupil": pupil, "export": readable_export(pupil)})


# LA admins only, as the page: the document a parent is sent.
@role_required(Role.LA_ADMIN)
def subject_access_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from .subject_access import subject_access_pdf as document

    pupil = _pupil_for_export(request, pk)
    response = HttpResponse(document(pupil), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{pupil.upn}.pdf"'
    return response


# LA admins only: the export holds every sensitive fact (health, SEN, safeguarding), which auditors never see
# (pupils/sensitive.py); auditors see who read and changed the record in the access log instead.
@role_required(Role.LA_ADMIN)
def subject_access_json(request: HttpRequest, pk: int) -> HttpResponse:
    from .subject_access import export_pupil

    pupil = _pupil_for_export(request, pk)
    response = JsonResponse(export_pupil(pupil), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="subject-access-{pupil.upn}.json"'
    return response


# Retention and erasure (issue 15): the schedule, the sweep's list of what is due, and the admin's approval.
CHILD_RECORDS = "child-ap-record"


def _la_of(request: HttpRequest) -> int:
    membership = membership_of(request.user)
    assert membership is not None and membership.local_authority_id is not None  # role_required admitted LA staff
    return membership.local_authority_id


@role_required(Role.LA_ADMIN, Role.AUDITOR)
def retention_schedule(request: HttpRequest) -> HttpResponse:
    """The LA's retention schedule and, for each kind of record, how many are past it today (counts only: no child's
    record is read here). The auditor reads it; the LA admin changes it and approves erasures."""
    local_authority_id = _la_of(request)
    lines = [
        (line, retention.due(local_authority_id, line.record.key).count())
        for line in retention.schedule_for(local_authority_id)
    ]
    return render(
        request,
        "data_protection/retention.html",
        {
            "lines": lines,
            "child_records": CHILD_RECORDS,
            "can_approve": membership_of(request.user).role == Role.LA_ADMIN,
        },
    )


@role_required(Role.LA_ADMIN, Role.AUDITOR)
def retention_due(request: HttpRequest) -> HttpResponse:
    """The children whose AP records are past retention: the list an admin checks before approving. It names
    children, so it is logged as a read of each child it shows."""
    local_authority_id = _la_of(request)
    years = retention.years_for(local_authority_id, CHILD_RECORDS)
    page = paginate(request, retention.due(local_authority_id, CHILD_RECORDS))
    log_list_read(
        request, [pupil.pk for pupil in page.object_list], list_name="Records past retention", page_number=page.number
    )
    return render(
        request,
        "data_protection/retention_due.html",
        {
            "page": page,
            "years": years,
            "child_records": CHILD_RECORDS,
            "can_approve": membership_of(request.user).role == Role.LA_ADMIN,
        },
    )


@role_required(Role.LA_ADMIN)
def retention_erase(request: HttpRequest, key: str) -> HttpResponse:
    """GET asks "are you sure", naming how many records and what erasure does; the POST from that page erases
    exactly the records counted on it (retention.approve_erasure), or nothing if the list has changed."""
    record = retention.RECORD_TYPES[key]  # each kind has its own address (urls.py)
    if request.method == "POST":
        form = ApprovalForm(request.POST)
        if form.is_valid():
            with service_call(request) as call:
                erased = retention.approve_erasure(user=request.user, key=key, **form.cleaned_data)
                return call.done(f"{record.counted(erased)} erased.", "audit:retention")
        else:
            messages.error(request, "The approval was not complete: check the list again before you approve")
        return redirect("audit:retention")
    day = today()
    count = retention.due(_la_of(request), key, day).count()
    if not count:
        # Nothing to approve: the schedule page, saying so (not a question with nothing to ask).
        messages.info(request, f"No {record.in_words} are past their retention period today.")
        return retention_schedule(request)
    return render(
        request,
        "components/confirm.html",
        {
            "heading": f"Are you sure you want to erase {record.counted(count)}?",
            "caption": f"Past the retention period of {retention.years_for(_la_of(request), key)} years "
            f"after {record.basis}",
            "changes": [
                record.erased,
                "The access log keeps that each record was erased, by you, today; never what it held.",
            ],
            "warning": "You cannot undo this.",
            "action": request.path,
            "button": f"Yes, erase {count} record{pluralize(count)}",
            "back": reverse("audit:retention"),
            "hidden": {"as_of": day.isoformat(), "expected": count},
        },
    )


@role_required(Role.LA_ADMIN)
def retention_schedule_change(request: HttpRequest) -> HttpResponse:
    schedule = retention.schedule_for(_la_of(request))
    form = RetentionScheduleForm(request.POST or None, schedule=schedule)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            retention.set_retention_schedule(user=request.user, years=form.cleaned_data)
            return call.done("The retention schedule is saved.", "audit:retention")
    return form_page(request, "data_protection/retention_schedule.html", form, status=400 if form.errors else 200)
