"""Reads of the directory. Public readers see published provisions only; staff see what is theirs."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Expression, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from aphub.core.errors import DomainError
from aphub.core.web.query_filters import each_word_matches
from aphub.organisations.models import LocalAuthority, Role, User
from aphub.organisations.queries import membership_of

from .geocoding import Point, bounding_box, geocode, haversine_miles, normalise_postcode
from .models import TERMS, CostOption, Provision, Term, Vocabulary
from .snapshots import (
    EDITABLE_FIELDS,
    current_proposal,
    describe_cost_options,
    describe_terms,
    snapshot_of,
    term_labels,
)

PAGE_SIZE = 20


class Sort:
    RELEVANCE = "relevance"
    NAME = "name"
    DISTANCE = "distance"


class UnknownPostcode(DomainError):
    """A well-formed postcode the geocoder does not know."""


def published_provisions() -> QuerySet[Provision]:
    """What the public pages and the Open Referral UK API may show: approved, not archived."""
    return Provision.objects.filter(status=Provision.Status.PUBLISHED)


def local_authorities_with_published_provisions() -> list[tuple[int, str]]:
    """(id, name) of every LA with a published provision, by name: the public search's local authority filter."""
    with_published = published_provisions().values("local_authority_id")
    return list(LocalAuthority.objects.filter(pk__in=with_published).order_by("name", "pk").values_list("pk", "name"))


def public_provision(pk: int) -> Provision | None:
    """One published provision with what its page shows, or None (drafts, submitted and archived are not public)."""
    return (
        published_provisions()
        .select_related("provider", "local_authority")
        .prefetch_related("terms", "cost_options")
        .filter(pk=pk)
        .first()
    )


# Placement states that hold a place (placements.models.Placement.HOLDING_STATES; a test keeps the two equal).
# Places are held by placements, an app above this one (docs/decisions/0022-layers.md): it hands this app its count
# at start-up (placements/apps.py), as organisations hands core its membership resolver.
_places_held: Callable[[list[int]], dict[int, int]] | None = None


def register_places_held(count: Callable[[list[int]], dict[int, int]]) -> None:
    global _places_held
    _places_held = count


def vacancies_for(provisions: Iterable[Provision] | QuerySet[Provision]) -> dict[int, int]:
    """Places not taken, by provision id: places minus placements offered, accepted or active."""
    if isinstance(provisions, QuerySet):
        places = dict(provisions.values_list("pk", "places"))
    else:
        places = {provision.pk: provision.places for provision in provisions}
    if not places:
        return {}
    held = places_held(list(places))
    rows = [(pk, total, held.get(pk, 0)) for pk, total in places.items()]
    return {pk: max(places - taken, 0) for pk, places, taken in rows}


def places_held(provision_ids: list[int]) -> dict[int, int]:
    """Placements offered, accepted or active, by provision id (provisions with none are left out)."""
    if _places_held is None:
        raise RuntimeError("The placements app has not registered how places held are counted.")
    return _places_held(provision_ids)


@dataclass
class SearchResults:
    page: Page
    count: int
    origin: Point | None = None
    postcode: str = ""
    distances: dict[int, float] = field(default_factory=dict)
    vacancies: dict[int, int] = field(default_factory=dict)


# A provision's words are searched in its name, summary and description and its provider's names (the public search
# and the ORUK API's `search`), the first ten of them: a bounded number of words keeps the query bounded.
PROVISION_TEXT = (
    "name__icontains",
    "summary__icontains",
    "description__icontains",
    "provider__legal_name__icontains",
    "provider__trading_name__icontains",
)
MOST_WORDS = 10


def provision_words_match(words: str) -> Q:
    """Every word appears in the name, summary, description or the provider's name."""
    return each_word_matches(words, PROVISION_TEXT, most=MOST_WORDS)


def search_provisions(
    *,
    words: str = "",
    tiers: Sequence[str] = (),
    key_stages: Sequence[str] = (),
    needs: Sequence[str] = (),
    delivery_modes: Sequence[str] = (),
    local_authority: int | None = None,
    with_vacancies: bool = False,
    postcode: str = "",
    within_miles: float | None = None,
    sort: str = Sort.RELEVANCE,
    page: int | str = 1,
) -> SearchResults:
    """The public search: published provisions only, AND across facets, OR within a facet.

    Raises DomainError for a malformed postcode and UnknownPostcode for one the geocoder cannot place.
    Each result on the page carries `.distance` (miles or None), `.vacancies`, `.tier_labels` and `.cheapest_cost`
    (None when it has none); of its own columns, only those of CARD_FIELDS are loaded.
    """
    queryset = published_provisions()
    if local_authority is not None:
        queryset = queryset.filter(local_authority_id=local_authority)
    terms = words.split()[:MOST_WORDS]
    queryset = queryset.filter(provision_words_match(words))
    for vocabulary, codes in (
        (Vocabulary.TIER, tiers),
        (Vocabulary.KEY_STAGE, key_stages),
        (Vocabulary.NEED, needs),
        (Vocabulary.DELIVERY_MODE, delivery_modes),
    ):
        if codes:
            # A subquery per facet, not a join: no duplicate rows, and each facet narrows independently.
            tagged = Provision.terms.through.objects.filter(term__vocabulary=vocabulary, term__code__in=list(codes))
            queryset = queryset.filter(pk__in=tagged.values("provision_id"))
    counted: dict[int, int] | None = None  # vacancies of every match, when the filter needed them
    if with_vacancies:
        counted = vacancies_for(queryset)
        queryset = queryset.filter(pk__in=[pk for pk, vacancies in counted.items() if vacancies > 0])

    origin = None
    normalised = ""
    if postcode.strip():
        normalised = normalise_postcode(postcode) or ""
        if not normalised:
            raise DomainError("Enter a real postcode, like B91 3QB", field="postcode")
        origin = geocode(normalised)
        if origin is None:
            raise UnknownPostcode(
                f"We could not find the postcode {normalised}. Check it, or search without a postcode.",
                field="postcode",
            )
    if sort == Sort.DISTANCE and origin is None:
        sort = Sort.RELEVANCE

    if terms and sort == Sort.RELEVANCE:
        # A plain, portable relevance: a word in the name counts most, then the summary, then anything else.
        score: Expression = Value(0, output_field=IntegerField())
        for word in terms:
            score = score + Case(
                When(name__icontains=word, then=Value(3)),
                When(summary__icontains=word, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            )
        queryset = queryset.annotate(relevance=score).order_by("-relevance", Lower("name"), "pk")
    else:
        queryset = queryset.order_by(Lower("name"), "pk")

    distances: dict[int, float] = {}
    # Near a postcode the pages are of ids (sorted by distance here), each page's ids then swapped for provisions;
    # either way a page ends as provisions carrying `.distance` and `.vacancies`.
    paginator: Paginator[Any]
    page_obj: Page[Any]
    if origin is not None:
        if within_miles:
            min_lat, max_lat, min_lon, max_lon = bounding_box(origin, within_miles)
            queryset = queryset.filter(
                latitude__gte=min_lat, latitude__lte=max_lat, longitude__gte=min_lon, longitude__lte=max_lon
            )
        ordered: list[int] = []
        for pk, lat, lon in queryset.values_list("pk", "latitude", "longitude"):
            if lat is None or lon is None:
                if not within_miles:
                    ordered.append(pk)  # no known location: listed, but never counted as near
                continue
            miles = haversine_miles(origin, (lat, lon))
            if within_miles and miles > within_miles:
                continue
            distances[pk] = miles
            ordered.append(pk)
        if sort == Sort.DISTANCE:
            ordered.sort(key=lambda pk: distances.get(pk, float("inf")))  # stable: ties keep name order
        paginator = Paginator(ordered, PAGE_SIZE)
        page_obj = paginator.get_page(page)
        by_pk = {p.pk: p for p in _cards(Provision.objects.filter(pk__in=list(page_obj.object_list)))}
        page_obj.object_list = [by_pk[pk] for pk in page_obj.object_list if pk in by_pk]
    else:
        paginator = Paginator(_cards(queryset), PAGE_SIZE)
        page_obj = paginator.get_page(page)
        page_obj.object_list = list(page_obj.object_list)

    # The page's vacancies were already counted with every match's when filtering on them: no second query.
    vacancies = (
        {provision.pk: counted[provision.pk] for provision in page_obj.object_list}
        if counted is not None
        else vacancies_for(page_obj.object_list)
    )
    _add_card_details(page_obj.object_list)
    for provision in page_obj.object_list:
        provision.distance = distances.get(provision.pk)
        provision.vacancies = vacancies[provision.pk]
    return SearchResults(
        page=page_obj,
        count=paginator.count,
        origin=origin,
        postcode=normalised,
        distances=distances,
        vacancies=vacancies,
    )


# What a result card shows of a provision, and its places (from which its vacancies are counted). The rest of its
# columns (description, criteria, contact details, the JSON of pending changes, the times of its lifecycle) stay in
# the database: decoding them for twenty cards was a tenth of a search's work.
CARD_FIELDS = ("name", "summary", "age_min", "age_max", "places", "provider__legal_name", "provider__trading_name")


def _cards(queryset: QuerySet[Provision]) -> QuerySet[Provision]:
    return queryset.select_related("provider").only(*CARD_FIELDS)


def _add_card_details(provisions: list[Any]) -> None:
    """Gives each provision of a page of results the labels of its tiers (`.tier_labels`, in the vocabulary's order;
    the card shows no other terms) and its cheapest cost (`.cheapest_cost`, None when it has none). Two queries for
    the page, read as rows: prefetch_related's model objects and querysets were a fifth of a search's work."""
    pks = [provision.pk for provision in provisions]
    tiers: dict[int, list[str]] = {pk: [] for pk in pks}
    tagged = Provision.terms.through.objects.filter(provision_id__in=pks, term__vocabulary=Vocabulary.TIER)
    for provision_id, label in tagged.order_by("term__position", "term_id").values_list("provision_id", "term__label"):
        tiers[provision_id].append(label)
    cheapest: dict[int, CostOption] = {}
    for cost in CostOption.objects.filter(provision_id__in=pks).order_by("amount", "pk"):
        cheapest.setdefault(cost.provision_id, cost)
    for provision in provisions:
        provision.tier_labels = tiers[provision.pk]
        provision.cheapest_cost = cheapest.get(provision.pk)


def terms_by_vocabulary() -> dict[str, list[Term]]:
    """Every term grouped by vocabulary, in display order, in one query."""
    grouped: dict[str, list[Term]] = {vocabulary: [] for vocabulary in Vocabulary.values}
    for term in Term.objects.order_by("vocabulary", "position"):
        grouped.setdefault(term.vocabulary, []).append(term)
    return grouped


# -- Staff reads ----------------------------------------------------------------------------------------------


def provisions_visible_to(user: User | None) -> QuerySet[Provision]:
    """Provider staff: their provider's provisions in any status. LA officers, admins and auditors: their LA's.

    Everyone else (school staff, the public): none; they use the public directory.
    """
    return Provision.objects.visible_to(user)


def waiting_for_approval(user: User | None) -> QuerySet[Provision]:
    """LA staff: their LA's submitted first versions and published provisions with pending changes; else none."""
    membership = membership_of(user)
    if membership is None or membership.role not in (Role.LA_OFFICER, Role.LA_ADMIN, Role.AUDITOR):
        return Provision.objects.none()
    return provisions_visible_to(user).filter(
        Q(status=Provision.Status.SUBMITTED) | Q(status=Provision.Status.PUBLISHED, pending_changes__isnull=False)
    )


def approval_queue(user: User | None) -> list[Provision]:
    """What LA staff must decide: submitted first versions and published ones with pending changes, oldest first."""
    return sorted(
        waiting_for_approval(user).select_related("provider"),
        key=lambda p: (
            (p.submitted_at if p.status == Provision.Status.SUBMITTED else p.pending_submitted_at) or p.updated_at,
            p.pk,
        ),
    )


@dataclass
class ChangeRow:
    label: str
    published: str
    proposed: str
    changed: bool


_FIELD_LABELS = {
    "name": "Name",
    "summary": "Summary",
    "description": "Description",
    "age_min": "Youngest age",
    "age_max": "Oldest age",
    "attendance_pattern": "Full or part time",
    "sessions_offered": "Sessions offered",
    "typical_duration_weeks": "Typical duration (weeks)",
    "admissions_criteria": "Admissions criteria",
    "exit_criteria": "Exit criteria",
    "places": "Places",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town or city",
    "postcode": "Postcode",
    "contact_name": "Contact name",
    "contact_email": "Contact email",
    "contact_phone": "Contact phone",
    "website": "Website",
    "how_to_refer": "How to refer",
}


def proposed_changes(provision: Provision) -> list[ChangeRow]:
    """Rows comparing the published version with the proposal, for the LA's review page.

    For a published provision with pending changes, `published` is the approved value; for a first version
    there is nothing published and every row is new.
    """
    approved = snapshot_of(provision)
    proposal = current_proposal(provision)
    first_version = provision.status != Provision.Status.PUBLISHED
    labels = term_labels()
    patterns: dict[object, str] = dict(Provision.AttendancePattern.choices)

    def show(name: str, value: object) -> str:
        if value in (None, ""):
            return "Not given"
        if name == "attendance_pattern":
            return patterns.get(value, str(value))
        return str(value)

    rows = []
    for name in EDITABLE_FIELDS:
        before = "" if first_version else show(name, approved["fields"].get(name))
        after = show(name, proposal["fields"].get(name))
        rows.append(ChangeRow(_FIELD_LABELS[name], before, after, first_version or before != after))
    for vocabulary in Vocabulary:
        codes_before = [c for c in approved["term_codes"] if _vocabulary_of(c) == vocabulary]
        codes_after = [c for c in proposal["term_codes"] if _vocabulary_of(c) == vocabulary]
        before = "" if first_version else describe_terms(codes_before, labels)
        after = describe_terms(codes_after, labels)
        rows.append(ChangeRow(vocabulary.label, before, after, first_version or before != after))
    before = "" if first_version else describe_cost_options(approved["cost_options"])
    after = describe_cost_options(proposal["cost_options"])
    rows.append(ChangeRow("Costs", before, after, first_version or before != after))
    return rows


# Codes are unique across the seeded vocabularies (models.TERMS), so a code names its vocabulary.
_VOCABULARY_OF: dict[str, str] = {code: vocabulary for vocabulary, terms in TERMS.items() for code, _ in terms}


def _vocabulary_of(code: str) -> str:
    return _VOCABULARY_OF.get(code, "")
