"""Open Contracting Data Standard feed at /api/ocds/: public, no sign-in, published arrangements only.

The handler parses, reads through `published_for_ocds` and hands the rows to `ocds.py`, which shapes them as OCDS
1.1.5 release packages. Never pupil data (see ocds.py).
"""

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest
from ninja import Query, Router

from aphub.commissioning.arrangements.queries import published_for_ocds
from aphub.commissioning.ocds import release as ocds
from aphub.core.clock import now, today
from aphub.core.web.bounds import page_number_query
from aphub.core.web.public_read import public_read_headers

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
OCDS_SCHEMA = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"


router = Router(tags=["Open Contracting (OCDS)"])
router.add_decorator(public_read_headers, mode="view")


def ocds_prefix() -> str:
    return getattr(settings, "APHUB_OCDS_PREFIX", "ocds-aphub00")


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get(
    "/releases",
    summary="Release package of the published commercial arrangements",
    description=(
        "One OCDS 1.1.5 release per published arrangement (dynamic market, DPS, open framework or approved list): "
        "the tender with its lots or parts, an award per provider admitted to a lot, and the standard contracts. "
        "No pupil data. Uses the lots and techniques extensions, and the pagination extension's `links` when there "
        "is more than one page. With nothing published yet the package has no releases."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "An OCDS release package.",
                "content": {"application/json": {"schema": {"$ref": OCDS_SCHEMA}}},
            },
            400: {"description": "A parameter is not valid; `errors` names it."},
            404: {"description": "No published arrangement has that reference, or there is no such page."},
        }
    },
)
def ocds_releases(
    request: HttpRequest,
    arrangement: str | None = Query(None, max_length=60, description="Only the arrangement with this reference."),
    page: int = page_number_query("Page number."),
    per_page: int = Query(
        DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Releases per page (at most {MAX_PER_PAGE})."
    ),
) -> dict[str, Any]:
    arrangements = published_for_ocds(reference=arrangement)
    total = arrangements.count()
    if arrangement is not None and total == 0:
        raise Http404(f"No published arrangement has the reference {arrangement}")
    last_page = max(1, -(-total // per_page))
    if page > last_page:
        raise Http404(f"There is no page {page}: the last page is {last_page}")
    chosen = list(arrangements[(page - 1) * per_page : page * per_page])
    links = {}
    if page < last_page:
        links["next"] = _page_url(request, page + 1)
    if page > 1:
        links["prev"] = _page_url(request, page - 1)
    return ocds.release_package(
        chosen,
        uri=request.build_absolute_uri(),
        prefix=ocds_prefix(),
        publisher=settings.APHUB_SERVICE_NAME,
        today=today(),
        fallback_date=now(),
        links=links or None,
    )
