from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from aphub.core.errors import DomainError
from aphub.organisations.access import role_required
from aphub.organisations.models import Role

from . import services
from .forms import PupilForm, add_domain_error


@role_required(Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF)
def new_pupil(request: HttpRequest) -> HttpResponse:
    form = PupilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            pupil = services.record_pupil(user=request.user, upn=values.pop("upn"), **values)
        except services.NotPermitted as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            add_domain_error(form, error)
        else:
            flag = (
                " Their UPN is temporary: replace it when the permanent one is known." if pupil.upn_is_temporary else ""
            )
            messages.success(request, f"{pupil.full_name} is recorded.{flag}")
            return redirect("placements:pupil", pk=pupil.pk)
    return render(request, "pupils/pupil_form.html", {"form": form}, status=400 if form.errors else 200)
