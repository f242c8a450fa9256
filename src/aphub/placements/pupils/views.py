from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.audit.services import log_access
from aphub.core.clock import today
from aphub.core.views import service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import Role
from aphub.placements.pupils.forms import EnrolmentForm, PupilForm
from aphub.pupils import queries, services
from aphub.pupils.models import Pupil
from aphub.pupils.sensitive import sensitive_fields_for


@role_required(Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
def new_pupil(request: HttpRequest) -> HttpResponse:
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        with service_call(request, form) as call:
            pupil = services.record_pupil(user=request.user, upn=values.pop("upn"), **values)
            flag = (
                " Their UPN is temporary: replace it when the permanent one is known." if pupil.upn_is_temporary else ""
            )
            return call.done(f"{pupil.full_name} is recorded.{flag}", "placements:pupil", pk=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form}, status=400 if form.errors else 200)


@role_required(Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
def edit_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = queries.pupil_to_change(request.user, pk)
    allowed = sensitive_fields_for(request.user)
    hidden = [name for name in Pupil.SENSITIVE_FIELDS if name not in allowed]
    initial = {name: getattr(pupil, name) for name in services.PUPIL_FIELDS if name not in hidden}
    initial["upn"] = pupil.upn
    form = PupilForm(request.POST or None, initial=initial, without=hidden)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        with service_call(request, form) as call:
            services.update_pupil(user=request.user, pupil=pupil, upn=values.pop("upn"), **values)
            return call.done(f"{pupil.full_name}'s details are saved.", "placements:pupil", pk=pupil.pk)
    log_access(user=request.user, obj=pupil, verb="view", path=request.path)
    return render(request, "pupils/pupil_form.html", {"form": form, "pupil": pupil}, status=400 if form.errors else 200)


@role_required(Role.LA_ADMIN, Role.LA_OFFICER)
def enrol_pupil(request: HttpRequest, pk: int) -> HttpResponse:
    pupil = queries.pupil_to_change(request.user, pk)
    form = EnrolmentForm(
        request.POST or None,
        schools=queries.schools_to_enrol_at(request.user),
        initial={"start_date": today(), "registration": "C"},
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        with service_call(request, form) as call:
            enrolment = services.enrol(
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
