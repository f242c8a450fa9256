"""Open Referral UK (HSDS 3.0 UK profile) objects built from published provisions.

The profile's compiled schemas (../shared/standards/oruk/schema) decide every field name and type, so the payloads
are plain dicts shaped exactly like them; the tests validate real responses against those schemas.

How AP facts map onto the profile (it has no eligibility, phone or contact-email fields):
- Provision -> service; Provider -> organization (UKPRN, URN, Companies House and charity numbers as
  organization_identifiers); the address and point -> service_at_location with one location.
- Ages -> minimum_age/maximum_age; admissions criteria, exit criteria, how to refer and the phone number -> labelled
  paragraphs of the service description, since the profile has nowhere else to carry them.
- Cost options -> cost_options (amount in pounds as a number, the unit in amount_description); fees summarises them.
- Registration and Ofsted status -> accreditations, and organization attributes.
- Tier, key stage, need, delivery mode and attendance pattern -> service attributes whose taxonomy terms belong to
  one taxonomy, "AP Hub", with a parent term per vocabulary and the Term codes as `term`.

IDs are UUIDs the profile requires: uuid5 of a fixed namespace and the model's label and key, so they stay the same
between requests and releases. Taxonomy term IDs come from the vocabulary and code, not the database key, so they
survive a rebuilt database.
"""

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet

from aphub.organisations.models import Provider

from .models import TERMS, CostOption, Provision, Term, Vocabulary

# Fixed for ever: changing it would change every published ID.
ORUK_NAMESPACE = uuid.UUID("5f0c1c5e-8a4b-4d0f-9a55-3f0b8f7e2a61")
TAXONOMY_NAME = "AP Hub"
TAXONOMY_VERSION = "1"
COUNTRY = "GB"

_Keyed = TypeVar("_Keyed", Provision, Provider)  # the records ORUK names by a uuid5 of their key

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

Payload = dict[str, Any]


def oruk_id(label: str, *parts: object) -> str:
    return str(uuid.uuid5(ORUK_NAMESPACE, ":".join([label, *(str(part) for part in parts)])))


def service_id(provision: Provision) -> str:
    return oruk_id("directory.provision", provision.pk)


def service_at_location_id(provision: Provision) -> str:
    # One location per provision today, so the link is keyed by the provision.
    return oruk_id("directory.provision.service_at_location", provision.pk)


def location_id(provision: Provision) -> str:
    return oruk_id("directory.provision.location", provision.pk)


def organization_id(provider: Provider) -> str:
    return oruk_id("organisations.provider", provider.pk)


def taxonomy_id() -> str:
    return oruk_id("aphub.taxonomy", TAXONOMY_NAME)


def parse_uuid(value: str) -> str | None:
    """The canonical form of a UUID string, or None when it is not one (the caller answers 404)."""
    try:
        return str(uuid.UUID(value))
    except (ValueError, AttributeError, TypeError):
        return None


# --- The AP Hub taxonomy -------------------------------------------------------------------------------------------

ATTENDANCE = "attendance-pattern"
REGISTRATION = "registration-status"
OFSTED = "ofsted-outcome"

GROUP_LABELS: dict[str, str] = {
    str(Vocabulary.TIER): "Tier",
    str(Vocabulary.KEY_STAGE): "Key stage",
    str(Vocabulary.NEED): "Needs supported",
    str(Vocabulary.DELIVERY_MODE): "Delivery mode",
    ATTENDANCE: "Attendance pattern",
    REGISTRATION: "Registration status",
    OFSTED: "Ofsted outcome",
}
GROUP_DESCRIPTIONS: dict[str, str] = {
    str(Vocabulary.TIER): "Tier of alternative provision (DfE SEND and AP improvement plan, 2023)",
    str(Vocabulary.KEY_STAGE): "Key stages of the pupils the provision is for",
    str(Vocabulary.NEED): "Needs the provision supports",
    str(Vocabulary.DELIVERY_MODE): "How the provision is delivered",
    ATTENDANCE: "Whether pupils attend full time or part time",
    REGISTRATION: "Whether the provider is a registered school or further education provider",
    OFSTED: "The provider's latest Ofsted outcome",
}


@dataclass(frozen=True)
class TaxonomyTerm:
    group: str
    code: str  # "" for the parent term of a group
    name: str
    description: str

    @property
    def id(self) -> str:
        return oruk_id("aphub.term", self.group, self.code) if self.code else oruk_id("aphub.term", self.group)

    @property
    def parent_id(self) -> str | None:
        return oruk_id("aphub.term", self.group) if self.code else None

    def as_oruk(self) -> Payload:
        term: Payload = {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "taxonomy": TAXONOMY_NAME,
            "taxonomy_id": taxonomy_id(),
            "term": self.code or self.group,
        }
        if self.parent_id:
            term["parent_id"] = self.parent_id
        return term


def _term(group: str, code: str, label: str) -> TaxonomyTerm:
    return TaxonomyTerm(group=group, code=code, name=label, description=f"{GROUP_LABELS[group]}: {label}")


class TermCatalogue:
    """Every term of the AP Hub taxonomy, read once per request: the directory's Terms plus the choices of
    attendance pattern, registration status and Ofsted outcome."""

    def __init__(self, terms: Iterable[Term] | None = None) -> None:
        if terms is None:
            terms = Term.objects.all()
        parents = [
            TaxonomyTerm(group=group, code="", name=label, description=GROUP_DESCRIPTIONS[group])
            for group, label in GROUP_LABELS.items()
        ]
        children = [_term(str(term.vocabulary), term.code, term.label) for term in terms]
        children += [_term(ATTENDANCE, value, label) for value, label in Provision.AttendancePattern.choices]
        children += [_term(REGISTRATION, value, label) for value, label in Provider.RegistrationStatus.choices]
        children += [_term(OFSTED, value, label) for value, label in Provider.OfstedOutcome.choices]
        self.terms: list[TaxonomyTerm] = parents + children
        self.by_key: dict[tuple[str, str], TaxonomyTerm] = {(t.group, t.code): t for t in self.terms}
        self.by_id: dict[str, TaxonomyTerm] = {t.id: t for t in self.terms}

    def get(self, group: str, code: str) -> TaxonomyTerm:
        # A code missing from the catalogue (a Term added after the request began) still gets a stable term.
        return self.by_key.get((group, code)) or _term(group, code, code)


def taxonomy(*, with_terms: bool, catalogue: TermCatalogue) -> Payload:
    payload: Payload = {
        "id": taxonomy_id(),
        "name": TAXONOMY_NAME,
        "description": (
            "Vocabularies of the AP Hub directory of alternative provision: tier, key stage, needs supported, "
            "delivery mode, attendance pattern, provider registration status and Ofsted outcome."
        ),
        "version": TAXONOMY_VERSION,
    }
    if with_terms:
        payload["taxonomy_terms"] = [term.as_oruk() for term in catalogue.terms]
    return payload


def _attribute(term: TaxonomyTerm, *, link_id: str) -> Payload:
    # link_type says what the term describes (HSDS 3.0): here the vocabulary, e.g. "need" or "key-stage".
    return {
        "id": oruk_id("aphub.attribute", link_id, term.group, term.code),
        "link_id": link_id,
        "link_type": term.group,
        "taxonomy_term_id": term.id,
        "taxonomy_term": term.as_oruk(),
    }


# --- Organizations -------------------------------------------------------------------------------------------------

# Identifier schemes from org-id.guide: GB-UKPRN (UK Register of Learning Providers), GB-EDU (DfE URN),
# GB-COH (Companies House), GB-CHC (Charity Commission for England and Wales).
IDENTIFIERS: list[tuple[str, str, str]] = [
    ("ukprn", "GB-UKPRN", "UKPRN"),
    ("urn", "GB-EDU", "URN"),
    ("companies_house_number", "GB-COH", "Company number"),
    ("charity_number", "GB-CHC", "Charity number"),
]


def accreditations(provider: Provider) -> str:
    text = provider.get_registration_status_display()
    if provider.ofsted_outcome not in (Provider.OfstedOutcome.NOT_APPLICABLE, ""):
        text += f". Ofsted: {provider.get_ofsted_outcome_display()}"
        if provider.ofsted_date:
            text += f" ({provider.ofsted_date.isoformat()})"
    return text


def _organization_description(provider: Provider) -> str:
    parts = []
    if provider.trading_name and provider.trading_name != provider.legal_name:
        parts.append(f"{provider.trading_name} is the trading name of {provider.legal_name}.")
    parts.append(f"Provider of alternative provision. {accreditations(provider)}.")
    return " ".join(parts)


def organization(provider: Provider, *, full: bool, services: list[Payload] | None = None) -> Payload:
    org_id = organization_id(provider)
    payload: Payload = {"id": org_id, "name": provider.display_name, "description": _organization_description(provider)}
    if provider.email:
        payload["email"] = provider.email
    if provider.website:
        payload["website"] = provider.website
    if not full:
        return payload
    payload["organization_identifiers"] = [
        {
            "id": oruk_id("organisations.provider.identifier", provider.pk, scheme),
            "organization_id": org_id,
            "identifier_scheme": scheme,
            "identifier_type": identifier_type,
            "identifier": getattr(provider, field),
        }
        for field, scheme, identifier_type in IDENTIFIERS
        if getattr(provider, field)
    ]
    payload["attributes"] = [
        _attribute(_choice_term(group, code), link_id=org_id)
        for group, code in ((REGISTRATION, provider.registration_status), (OFSTED, provider.ofsted_outcome))
        if code
    ]
    if services is not None:
        payload["services"] = services
    return payload


def _choice_term(group: str, code: str) -> TaxonomyTerm:
    choices = {
        ATTENDANCE: Provision.AttendancePattern,
        REGISTRATION: Provider.RegistrationStatus,
        OFSTED: Provider.OfstedOutcome,
    }[group]
    return _term(group, code, dict(choices.choices).get(code, code))


# --- Services ------------------------------------------------------------------------------------------------------


def _money(amount: Decimal) -> int | float:
    # JSON numbers: whole pounds as integers, pence kept exactly (2 decimal places survive a float round trip).
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def cost_description(cost: CostOption) -> str:
    return f"£{cost.amount:,.2f} {cost.get_unit_display()}"


def fees(provision: Provision) -> str:
    return "; ".join(f"{cost.label}: {cost_description(cost)}" for cost in provision.cost_options.all())


def description(provision: Provision) -> str:
    paragraphs = [provision.summary]
    if provision.description:
        # Providers often open the description with the summary; saying it twice reads badly in other directories.
        if provision.description.startswith(provision.summary.rstrip(". ")):
            paragraphs = []
        paragraphs.append(provision.description)
    labelled = [
        ("Attendance", provision.get_attendance_pattern_display()),
        ("Typical duration", f"{provision.typical_duration_weeks} weeks" if provision.typical_duration_weeks else ""),
        ("Places", str(provision.places) if provision.places else ""),
        ("Admissions criteria", provision.admissions_criteria),
        ("Exit criteria", provision.exit_criteria),
        ("How to refer", provision.how_to_refer),
        ("Phone", provision.contact_phone),
    ]
    paragraphs += [f"{label}: {text.strip()}" for label, text in labelled if text and text.strip()]
    return "\n\n".join(paragraphs)


def _service_core(provision: Provision) -> Payload:
    """The one-to-one fields of a service: what service_list.json allows."""
    provider = provision.provider
    payload: Payload = {
        "id": service_id(provision),
        "organization_id": organization_id(provider),
        "name": provision.name,
        "description": description(provision),
        "status": "active",  # only published provisions are ever built
        "accreditations": accreditations(provider),
        "minimum_age": provision.age_min,
        "maximum_age": provision.age_max,
        "last_modified": provision.updated_at.isoformat(),
    }
    url = provision.website or provider.website
    if url:
        payload["url"] = url
    if provision.contact_email:
        payload["email"] = provision.contact_email
    # The LA officer's latest approval is the assurance of what the listing says.
    assured = getattr(provision, "approved_at", None) or provision.published_at
    if assured:
        payload["assured_date"] = assured.date().isoformat()
    return payload


def service_summary(provision: Provision) -> Payload:
    payload = _service_core(provision)
    payload["organization"] = organization(provision.provider, full=False)
    return payload


def has_location(provision: Provision) -> bool:
    return bool(provision.postcode or provision.address_line_1 or provision.latitude is not None)


def location(provision: Provision, *, full: bool) -> Payload:
    loc_id = location_id(provision)
    payload: Payload = {"id": loc_id, "location_type": "physical", "name": provision.name}
    if provision.latitude is not None and provision.longitude is not None:
        payload["latitude"] = provision.latitude
        payload["longitude"] = provision.longitude
    if full:
        address_1 = ", ".join(line for line in (provision.address_line_1, provision.address_line_2) if line)
        payload["addresses"] = (
            [
                {
                    "id": oruk_id("directory.provision.address", provision.pk),
                    "location_id": loc_id,
                    "address_1": address_1,
                    "city": provision.town or provision.local_authority.name,
                    "state_province": provision.local_authority.name,
                    "postal_code": provision.postcode,
                    "country": COUNTRY,
                    "address_type": "physical",
                }
            ]
            if address_1 or provision.postcode
            else []
        )
    return payload


def _service_at_location_link(provision: Provision, *, full: bool) -> Payload:
    return {
        "id": service_at_location_id(provision),
        "service_id": service_id(provision),
        "location_id": location_id(provision),
        "location": location(provision, full=full),
    }


def service_attributes(provision: Provision, catalogue: TermCatalogue) -> list[Payload]:
    link = service_id(provision)
    terms = [catalogue.get(str(term.vocabulary), term.code) for term in provision.terms.all()]
    terms.append(catalogue.get(ATTENDANCE, provision.attendance_pattern))
    return [_attribute(term, link_id=link) for term in terms]


def service_full(provision: Provision, catalogue: TermCatalogue, *, with_organization: bool = True) -> Payload:
    """A fully nested service: what service.json allows."""
    sid = service_id(provision)
    payload = _service_core(provision)
    cost_options = list(provision.cost_options.all())
    if cost_options:
        payload["fees"] = fees(provision)
    payload["cost_options"] = [
        {
            "id": oruk_id("directory.costoption", cost.pk),
            "service_id": sid,
            "option": cost.label,
            "amount": _money(cost.amount),
            "amount_description": cost_description(cost),
        }
        for cost in cost_options
    ]
    payload["schedules"] = (
        [
            {
                "id": oruk_id("directory.provision.schedule", provision.pk),
                "service_id": sid,
                "description": provision.sessions_offered,
                "attending_type": provision.get_attendance_pattern_display(),
            }
        ]
        if provision.sessions_offered
        else []
    )
    la = provision.local_authority
    payload["service_areas"] = [
        {
            "id": oruk_id("directory.provision.service_area", provision.pk, la.pk),
            "service_id": sid,
            "name": la.name,
            "service_area": f"Listed in the directory of {la.name}",
            # ONS linked-data URI of the LA's GSS code, so consumers can join on the statistical geography.
            "uri": f"http://statistics.data.gov.uk/id/statistical-geography/{la.gss_code}",
        }
    ]
    payload["service_at_locations"] = (
        [_service_at_location_link(provision, full=True)] if has_location(provision) else []
    )
    payload["contacts"] = (
        [
            {
                "id": oruk_id("directory.provision.contact", provision.pk),
                "service_id": sid,
                "name": provision.contact_name,
            }
        ]
        if provision.contact_name
        else []
    )
    payload["attributes"] = service_attributes(provision, catalogue)
    if with_organization:
        payload["organization"] = organization(provision.provider, full=True)
    return payload


def service_at_location_summary(provision: Provision) -> Payload:
    payload = _service_at_location_link(provision, full=False)
    payload["service"] = service_summary(provision)
    return payload


def service_at_location_full(provision: Provision, catalogue: TermCatalogue) -> Payload:
    payload = _service_at_location_link(provision, full=True)
    service = service_full(provision, catalogue)
    service.pop("service_at_locations")  # the link itself is the parent here
    payload["service"] = service
    return payload


# --- Reading and filtering -----------------------------------------------------------------------------------------


def with_summary_relations(provisions: QuerySet[Provision]) -> QuerySet[Provision]:
    return provisions.select_related("provider", "local_authority")


def with_full_relations(provisions: QuerySet[Provision]) -> QuerySet[Provision]:
    return with_summary_relations(provisions).prefetch_related("terms", "cost_options")


def filter_by_term(provisions: QuerySet[Provision], term_id: str, catalogue: TermCatalogue) -> QuerySet[Provision]:
    term = catalogue.by_id.get(parse_uuid(term_id) or "")
    if term is None:
        return provisions.none()
    if term.group in TERMS:  # one of the directory's own vocabularies
        matching = Term.objects.filter(vocabulary=term.group)
        if term.code:
            matching = matching.filter(code=term.code)
        return provisions.filter(pk__in=Provision.terms.through.objects.filter(term__in=matching).values("provision"))
    field = {
        ATTENDANCE: "attendance_pattern",
        REGISTRATION: "provider__registration_status",
        OFSTED: "provider__ofsted_outcome",
    }[term.group]
    # A parent term (a whole vocabulary) matches every provision, since each has a value for these.
    return provisions.filter(**{field: term.code}) if term.code else provisions


def filter_by_taxonomy(provisions: QuerySet[Provision], value: str) -> QuerySet[Provision]:
    return provisions if parse_uuid(value) == taxonomy_id() else provisions.none()


def find_by_oruk_id(candidates: QuerySet[_Keyed], value: str, id_of: Callable[[_Keyed], str]) -> _Keyed | None:
    """uuid5 cannot be reversed, so compare against the IDs of the candidates' keys (a few hundred at most)."""
    wanted = parse_uuid(value)
    if wanted is None:
        return None
    for pk in candidates.values_list("pk", flat=True):
        if id_of(candidates.model(pk=pk)) == wanted:
            return candidates.get(pk=pk)
    return None


def find_provider(providers: QuerySet[Provider], value: str) -> Provider | None:
    return find_by_oruk_id(providers, value, organization_id)


# --- Paging --------------------------------------------------------------------------------------------------------


def page_of(items: QuerySet | list, *, page: int, per_page: int, build: Callable[[Any], Payload]) -> Payload:
    """The profile's list envelope. A page past the end is an empty page, not an error."""
    total = items.count() if isinstance(items, QuerySet) else len(items)
    start = (page - 1) * per_page
    contents = [build(item) for item in items[start : start + per_page]]
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
