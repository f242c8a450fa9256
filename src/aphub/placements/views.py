from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.organisations.access import LA_STAFF, role_required
from aphub.organisations.models import Role

from . import queries


@role_required(LA_STAFF, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF)
def pupils(request: HttpRequest) -> HttpResponse:
    return render(request, "placements/pupils.html", {"pupils": queries.pupils_for(request.user)[:200]})
