"""Open Referral UK read API: the public AP directory at /api/oruk/, as the UK profile's openapi.json defines it.

Public, no sign-in, published provisions only (through `published_provisions()`). The handlers parse, read and
hand the rows to `oruk.py`, which shapes them exactly as the profile's schemas say.
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router

from aphub.core.errors import DomainError
from aphub.core.web.bounds import page_number_query
from aphub.core.web.public_read import public_read_headers
from aphub.organisations.models import Provider

from . import oruk
from .geocoding import Point, geocode, haversine_miles, normalise_postcode
from .queries import provision_words_match, published_provisions

METRES_PER_MILE = 1609.344  # the profile's proximity is in metres
PROFILE_URL = "https://github.com/openreferral/uk-profile"
COMPILED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/compiled/"
SCHEMA = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"


router = Router(tags=["Open Referral UK"])
router.add_decorator(public_read_headers, mode="view")  # "view" so 400 and 404 answers get the headers too


def _documented(schema_ref: str, description: str, *, paged: bool, not_found: bool = False) -> dict:
    """The profile's own response schema in our OpenAPI document, so clients see the ORUK shape, not `object`."""
    item = {"$ref": schema_ref}
    schema = {"type": "object", "properties": {"contents": {"type": "array", "items": item}}} if paged else item
    responses: dict = {
        200: {"description": description, "content": {"application/json": {"schema": schema}}},
        400: {"description": "A parameter is not valid; `errors` names it."},
    }
    if not_found:
        responses[404] = {"description": "No published record has this id."}
    return {"responses": responses}


PAGE = page_number_query()
PER_PAGE = Query(
    oruk.DEFAULT_PER_PAGE,
    ge=1,
    le=oruk.MAX_PER_PAGE,
    description=f"Number of results requested in a single page (at most {oruk.MAX_PER_PAGE}).",
)
MINIMUM_AGE = Query(None, ge=0, le=120, description="Services whose minimum age is at least this.")
MAXIMUM_AGE = Query(None, ge=0, le=120, description="Services whose maximum age is this or below.")
TAXONOMY_TERM = Query(None, description="Services with this AP Hub taxonomy term (or any term under it).")
TAXONOMY = Query(None, description="Services with any term of this taxonomy.")
ORGANIZATION = Query(None, description="Services of this organization (provider).")
SEARCH = Query(None, description="Words that must all appear in the service or its provider's name.")
# Not in the profile, which lets a directory add filters of its own to the list endpoints: the public search page's
# local authority filter, by the LA's three-digit DfE code (stable across systems, unlike our row ids). A code that is
# well formed but names no LA finds nothing, as an unknown organization_id does; a malformed one is a 400.
LOCAL_AUTHORITY = Query(
    None,
    pattern=r"^\d{3}$",
    description=(
        "AP Hub extension: services in the local authority with this three-digit DfE LA code (e.g. 334 for "
        "Solihull). A code of no local authority in the directory finds no services."
    ),
)


@router.get("/", summary="API version and profile", openapi_extra={"responses": {200: {"description": "API info"}}})
def api_info(request: HttpRequest) -> dict:
    return {
        "version": "3.0",
        "profile": PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("api:openapi-json")),
    }


def _filtered_services(
    *,
    search: str | None,
    taxonomy_term_id: str | None,
    taxonomy_id: str | None,
    organization_id: str | None,
    minimum_age: float | None,
    maximum_age: float | None,
    local_authority: str | None,
    catalogue: oruk.TermCatalogue,
):
    provisions = published_provisions()
    if local_authority:
        provisions = provisions.filter(local_authority__la_code=local_authority)
    if search:
        provisions = provisions.filter(provision_words_match(search))
    if taxonomy_term_id:
        provisions = oruk.filter_by_term(provisions, taxonomy_term_id, catalogue)
    if taxonomy_id:
        provisions = oruk.filter_by_taxonomy(provisions, taxonomy_id)
    if organization_id:
        provider = oruk.find_provider(_published_providers(), organization_id)
        provisions = provisions.filter(provider=provider) if provider else provisions.none()
    # The profile's wording: minimum_age "of at least" the value, maximum_age "equal to or below" it.
    if minimum_age is not None:
        provisions = provisions.filter(age_min__gte=minimum_age)
    if maximum_age is not None:
        provisions = provisions.filter(age_max__lte=maximum_age)
    return provisions.order_by("name", "pk")


def _published_providers():
    return Provider.objects.filter(pk__in=published_provisions().values("provider")).order_by("legal_name", "pk")


@router.get(
    "/services",
    summary="Paginated list of services",
    openapi_extra=_documented(COMPILED + "service_list.json", "Services with their one-to-one fields.", paged=True),
)
def list_services(
    request: HttpRequest,
    search: str | None = SEARCH,
    page: int = PAGE,
    per_page: int = PER_PAGE,
    taxonomy_term_id: str | None = TAXONOMY_TERM,
    taxonomy_id: str | None = TAXONOMY,
    organization_id: str | None = ORGANIZATION,
    minimum_age: float | None = MINIMUM_AGE,
    maximum_age: float | None = MAXIMUM_AGE,
    local_authority: str | None = LOCAL_AUTHORITY,
) -> dict:
    catalogue = oruk.TermCatalogue()
    provisions = _filtered_services(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        local_authority=local_authority,
        catalogue=catalogue,
    )
    return oruk.page_of(
        oruk.with_summary_relations(provisions), page=page, per_page=per_page, build=oruk.service_summary
    )


@router.get(
    "/services/{id}",
    summary="A fully nested service",
    openapi_extra=_documented(COMPILED + "service.json", "The service with all its related data.", paged=False),
)
def get_service(request: HttpRequest, id: str) -> dict:  # the profile names the path parameter `id`
    provision = oruk.find_by_oruk_id(oruk.with_full_relations(published_provisions()), id, oruk.service_id)
    if provision is None:
        raise Http404(f"No published service has the id {id}")
    return oruk.service_full(provision, oruk.TermCatalogue())


def _origin(postcode: str) -> Point:
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise DomainError("Enter a real postcode, like B91 3QB", field="postcode")
    point = geocode(normalised)
    if point is None:
        raise DomainError(f"We could not find the postcode {normalised}", field="postcode")
    return point


@router.get(
    "/service_at_locations",
    summary="Paginated list of services at locations",
    openapi_extra=_documented(
        COMPILED + "service_at_location_list.json", "Services at locations with one-to-one fields.", paged=True
    ),
)
def list_service_at_locations(
    request: HttpRequest,
    search: str | None = SEARCH,
    page: int = PAGE,
    per_page: int = PER_PAGE,
    taxonomy_term_id: str | None = TAXONOMY_TERM,
    taxonomy_id: str | None = TAXONOMY,
    minimum_age: float | None = MINIMUM_AGE,
    maximum_age: float | None = MAXIMUM_AGE,
    postcode: str | None = Query(None, description="Sort nearest first from this postcode's centroid."),
    proximity: float | None = Query(None, gt=0, description="With postcode: only within this many metres."),
    local_authority: str | None = LOCAL_AUTHORITY,
) -> dict:
    catalogue = oruk.TermCatalogue()
    provisions = _filtered_services(
        search=search,
        taxonomy_term_id=taxonomy_term_id,
        taxonomy_id=taxonomy_id,
        organization_id=None,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        local_authority=local_authority,
        catalogue=catalogue,
    )
    provisions = oruk.with_summary_relations(provisions)
    located = [provision for provision in provisions if oruk.has_location(provision)]
    if proximity is not None and not postcode:
        raise DomainError("Give a postcode to search by proximity", field="postcode")
    if postcode:
        origin = _origin(postcode)
        distances = {
            provision.pk: haversine_miles(origin, (provision.latitude, provision.longitude)) * METRES_PER_MILE
            for provision in located
            if provision.latitude is not None and provision.longitude is not None
        }
        located = sorted(
            (p for p in located if p.pk in distances and (proximity is None or distances[p.pk] <= proximity)),
            key=lambda p: (distances[p.pk], p.name, p.pk),
        )
    return oruk.page_of(located, page=page, per_page=per_page, build=oruk.service_at_location_summary)


@router.get(
    "/service_at_locations/{id}",
    summary="A fully nested service at a location",
    openapi_extra=_documented(
        COMPILED + "service_at_location.json", "The service at location with all related data.", paged=False
    ),
)
def get_service_at_location(request: HttpRequest, id: str) -> dict:
    provision = oruk.find_by_oruk_id(oruk.with_full_relations(published_provisions()), id, oruk.service_at_location_id)
    if provision is None or not oruk.has_location(provision):
        raise Http404(f"No published service at location has the id {id}")
    return oruk.service_at_location_full(provision, oruk.TermCatalogue())


@router.get(
    "/organizations",
    summary="Paginated list of organizations",
    openapi_extra=_documented(COMPILED + "organization_list.json", "Providers with published services.", paged=True),
)
def list_organizations(request: HttpRequest, page: int = PAGE, per_page: int = PER_PAGE) -> dict:
    return oruk.page_of(
        _published_providers(), page=page, per_page=per_page, build=lambda p: oruk.organization(p, full=False)
    )


@router.get(
    "/organizations/{id}",
    summary="A fully nested organization",
    openapi_extra=_documented(COMPILED + "organization.json", "The provider and its services.", paged=False),
)
def get_organization(request: HttpRequest, id: str) -> dict:
    provider = oruk.find_provider(_published_providers(), id)
    if provider is None:
        raise Http404(f"No organization with published services has the id {id}")
    catalogue = oruk.TermCatalogue()
    provisions = oruk.with_full_relations(published_provisions().filter(provider=provider)).order_by("name", "pk")
    services = [oruk.service_full(provision, catalogue, with_organization=False) for provision in provisions]
    return oruk.organization(provider, full=True, services=services)


@router.get(
    "/taxonomies",
    summary="Paginated list of taxonomies",
    openapi_extra=_documented(SCHEMA + "taxonomy.json", "The AP Hub taxonomy.", paged=True),
)
def list_taxonomies(request: HttpRequest, page: int = PAGE, per_page: int = PER_PAGE) -> dict:
    catalogue = oruk.TermCatalogue()
    return oruk.page_of(
        [None], page=page, per_page=per_page, build=lambda _: oruk.taxonomy(with_terms=False, catalogue=catalogue)
    )


@router.get(
    "/taxonomies/{id}",
    summary="A taxonomy with its terms",
    openapi_extra=_documented(SCHEMA + "taxonomy.json", "The AP Hub taxonomy and its terms.", paged=False),
)
def get_taxonomy(request: HttpRequest, id: str) -> dict:
    if oruk.parse_uuid(id) != oruk.taxonomy_id():
        raise Http404(f"No taxonomy has the id {id}")
    return oruk.taxonomy(with_terms=True, catalogue=oruk.TermCatalogue())


@router.get(
    "/taxonomy_terms",
    summary="Paginated list of taxonomy terms",
    openapi_extra=_documented(SCHEMA + "taxonomy_term.json", "Terms of the AP Hub taxonomy.", paged=True),
)
def list_taxonomy_terms(request: HttpRequest, page: int = PAGE, per_page: int = PER_PAGE) -> dict:
    terms = oruk.TermCatalogue().terms
    return oruk.page_of(terms, page=page, per_page=per_page, build=oruk.TaxonomyTerm.as_oruk)


@router.get(
    "/taxonomy_terms/{id}",
    summary="A taxonomy term",
    openapi_extra=_documented(SCHEMA + "taxonomy_term.json", "One term of the AP Hub taxonomy.", paged=False),
)
def get_taxonomy_term(request: HttpRequest, id: str) -> dict:
    term = oruk.TermCatalogue().by_id.get(oruk.parse_uuid(id) or "")
    if term is None:
        raise Http404(f"No taxonomy term has the id {id}")
    return term.as_oruk()
