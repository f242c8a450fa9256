from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.organisations.access import role_required
from aphub.organisations.models import Role

from .forms import AccessLogFilterForm
from .queries import access_log_for

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
