"""Pages where a school records the AP it arranged itself, at any provider (issue 12, docs/decisions/0026): one
placement, a census AP file, and the school's list of it with the census AP module to download.

Thin: every way in gives rows to the one importer (services.record_school_arranged, through the form's row or
imports.import_file); the list reads exports.recorded_placements. The list and its downloads are access-logged.
"""

import datetime

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.audit.services import log_list_read
from aphub.core.files.exports import Export, download_links, requested_format
from aphub.core.forms.error_summary import error_links
from aphub.core.forms.fields import DateField, dates_in_order, form_helper
from aphub.core.permissions import require
from aphub.core.web.views import form_page, found_or_404, paginate, query_without_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_EDITORS, Role
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.views import upload_page
from aphub.placements.exports import download
from aphub.placements.models import PlacementReason
from aphub.placements.permissions import can_rename_recorded_provider
from aphub.placements.queries import provisions_to_commission
from aphub.pupils.models import Pupil

from . import exports, queries, services
from .census import COLUMNS, OPTIONAL_COLUMNS, REASON_CODES, SETTING_CODES, census_reason
from .forms import KNOWN, CensusUploadForm, RecordForm, RenameRecordedProviderForm
from .imports import import_file
from .services import record_school_arranged

HEADER = ",".join((*COLUMNS, *OPTIONAL_COLUMNS))


@role_required(Role.SCHOOL_STAFF)
def record(request: HttpRequest) -> HttpResponse:
    pupils = Pupil.objects.visible_to(request.user).order_by("last_name", "first_name", "pk")
    initial = {}
    chosen = request.GET.get("pupil", "")
    if chosen.isdigit() and len(chosen) < 10 and pupils.filter(pk=int(chosen)).exists():
        initial = {"who": KNOWN, "pupil": int(chosen)}  # from the child's page; another school's child is not offered
    form = RecordForm(
        request.POST if request.method == "POST" else None,
        pupils=pupils,
        provisions=provisions_to_commission(request.user),
        initial=initial,
    )
    if request.method == "POST":
        row = form.row()
        with service_call(request, form, field_for=form.field_for) as call:
            outcome = record_school_arranged(user=request.user, rows=[row])
            [placement] = outcome.placements
            done = "recorded" if outcome.created else "updated" if outcome.updated else "already recorded, unchanged"
            return call.done(
                f"The placement at {placement.provision.name} from {placement.start_date:%-d %B %Y} is {done}.",
                "placements:pupil",
                pk=placement.pupil_id,
            )
    log_list_read(request, list(pupils), list_name="Pupils to record AP for")
    return form_page(request, "placements/school_arranged/record.html", form, status=400 if form.errors else 200)


@role_required(Role.SCHOOL_STAFF)
def upload(request: HttpRequest) -> HttpResponse:
    def run(form: CensusUploadForm) -> str:
        return f"Census AP file imported: {import_file(user=request.user, content=form.cleaned_data['file'].read())}."

    return upload_page(
        request,
        "placements/school_arranged/upload.html",
        form=CensusUploadForm(request.POST, request.FILES) if request.method == "POST" else CensusUploadForm(),
        run=run,
        then="placements:school-arranged",
        census_columns=(*COLUMNS, *OPTIONAL_COLUMNS),
        setting_codes=SETTING_CODES,
        reason_codes=REASON_CODES,
    )


@role_required(Role.SCHOOL_STAFF)
def template(request: HttpRequest) -> HttpResponse:
    """The census AP file's header row, to fill in: no child's data, so nothing to log."""
    response = HttpResponse(HEADER + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="census-ap-template.csv"'
    return response


class PeriodForm(forms.Form):
    """The census collection period: the AP placements that ran at any time from its first day to the census day."""

    first = DateField(label="First day of the collection period", what="first day", required=False)
    last = DateField(label="Census day", what="census day", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("first", "last")

    def clean(self):
        data = super().clean()
        dates_in_order(
            self, "first", "last", "The census day must be on or after the first day of the collection period"
        )
        return data


@role_required(Role.SCHOOL_STAFF)
def arranged(request: HttpRequest) -> HttpResponse:
    period = PeriodForm(request.GET if any(key.startswith(("first", "last")) for key in request.GET) else None)
    first: datetime.date | None = None
    last: datetime.date | None = None
    if period.is_bound and period.is_valid():
        first, last = period.cleaned_data["first"], period.cleaned_data["last"]
    found = exports.recorded_placements(request.user, first=first, last=last)
    errors = error_links(period)
    if (fmt := requested_format(request)) and not errors:
        school = membership_of(request.user).school
        name = f"census-ap-{school.urn}" + (f"-{last.isoformat()}" if last else "")
        return download(request, Export(name, exports.CENSUS_COLUMNS), list(found), fmt)
    page = paginate(request, found)
    log_list_read(request, page.object_list, list_name="AP the school arranged", page_number=page.number)
    for placement in page.object_list:  # as the census file gives it (an offer's from its episode)
        placement.census_reason = PlacementReason(census_reason(placement)).label
    context = {"page": page, "period": period, "errors": errors, "downloads": download_links(request)}
    context["query"] = query_without_page(request)
    return render(request, "placements/school_arranged/list.html", context, status=400 if errors else 200)


# --- The LA's list of the providers its schools recorded, and their names (decision 0026) -----------------------


@role_required(LA_EDITORS)
def recorded_providers(request: HttpRequest) -> HttpResponse:
    """Providers outside the directory that the LA's schools recorded AP at: those still called by a made-up name
    first, each with its number, placements and schools. No child is named, so nothing here is a read to log."""
    membership = membership_of(request.user)
    rows = queries.recorded_providers(request.user)
    for row in rows:
        row.may_rename = can_rename_recorded_provider(membership, row.provision)
    return render(request, "placements/school_arranged/recorded_providers.html", {"rows": rows})


@role_required(LA_EDITORS)
def rename_recorded_provider(request: HttpRequest, pk: int) -> HttpResponse:
    provision = found_or_404(queries.recorded_provision(request.user, pk), "recorded provider")
    require(
        can_rename_recorded_provider(membership_of(request.user), provision),
        "A provider a school named, or did not name, is the school's to correct in its next census AP return",
    )
    provider = provision.provider
    initial = {
        "name": provider.legal_name,
        "provision_name": "" if provision.name == provider.legal_name else provision.name,
    }
    form = RenameRecordedProviderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            renamed = services.rename_recorded_provider(user=request.user, provision=provision, **form.cleaned_data)
            return call.done(
                f"{renamed.provider.legal_name} is saved: placements and the city-wide view show it now.",
                "placements:recorded-providers",
            )
    return form_page(
        request,
        "placements/school_arranged/rename_provider.html",
        form,
        status=400 if form.errors else 200,
        provision=provision,
        provider=provider,
    )
