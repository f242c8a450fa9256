from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from aphub.organisations.access import role_required
from aphub.organisations.models import Role

from .forms import AccessLogFilterForm
from .queries import access_log_for
from .services import log_access

PAGE_SIZE = 50


@role_required(Role.LA_ADMIN, Role.AUDITOR)
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_for(
        request.user, object_type=filters.get("object_type", ""), object_id=filters.get("object_id", "")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/access_log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters.get("object_id") or filters.get("object_type")),
        },
    )


def _pupil_for_export(request: HttpRequest, pk: int):
    from .subject_access import pupil_model

    pupil = get_object_or_404(pupil_model().objects.visible_to(request.user), pk=pk)
    log_access(user=request.user, obj=pupil, verb="export", path=request.path)
    return pupil


# LA admins only: the export holds every sensitive fact (health, SEN, safeguarding), which auditors never see
# (pupils/sensitive.py); auditors see who read and changed the record in the access log instead.
@role_required(Role.LA_ADMIN)
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    """A readable copy of everything held about one child, for a subject access request."""
    from .subject_access import export_pupil

    pupil = _pupil_for_export(request, pk)
    return render(request, "audit/subject_access.html", {"pupil": pupil, "export": export_pupil(pupil)})


# LA admins only: the export holds every sensitive fact (health, SEN, safeguarding), which auditors never see
# (pupils/sensitive.py); auditors see who read and changed the record in the access log instead.
@role_required(Role.LA_ADMIN)
def subject_access_json(request: HttpRequest, pk: int) -> HttpResponse:
    from .subject_access import export_pupil

    pupil = _pupil_for_export(request, pk)
    response = JsonResponse(export_pupil(pupil), encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="subject-access-{pupil.upn}.json"'
    return response
