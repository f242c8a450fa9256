"""Suggested provisions for a referral: the referral's LA's published provisions, ranked by fit, with the reasons.

The panel reads the reasons, not the score: every point a provision gains or loses comes with a plain sentence.
The score is a sum of weighted parts (`score_provision`, a pure function of plain facts, tested on its own):

| Part          | Points | Rule                                                                                        |
|---------------|--------|---------------------------------------------------------------------------------------------|
| Tier          | 30     | the provision lists the requested tier ("tier-1/2/3" terms)                                 |
| Key stage     | 20     | the provision lists the pupil's key stage, from their age on today's date (ks1..post-16)    |
| Needs         | 25     | in proportion to the referral's needs the provision supports ("need" terms)                 |
| Delivery mode | 10     | in proportion to the preferred delivery modes it offers; nothing preferred scores nothing   |
| Distance      | 10     | full at the pupil's home, falling to none at 20 miles; unknown distance scores nothing      |
| Vacancy       | 10     | at least one place free (places minus placements offered, accepted or active)               |
| Cost          | 5      | the cheapest option, as a school year, against the cheapest in the LA: 5 x cheapest / this  |
| Registration  | 5      | a registered school or further education provider                                          |
| Ofsted        | 0..5   | outstanding 5, good 4, not inspected 2, requires improvement 1, inadequate 0 (see below)    |

Tier, needs and key stage weigh most because a placement that cannot meet them fails the child whatever it costs;
distance and vacancy decide between suitable ones; cost only breaks near-ties (the panel weighs value itself).
An inadequate Ofsted outcome ranks a provision below every provision without one, whatever its points, but keeps
it on the list with a note, so the panel sees it was considered. Ties go to the nearer provision, then by name.

Costs in different units are compared as a school year of 190 days (380 sessions, 39 weeks, 3 terms, 5 taught
hours a day): only to rank, never to quote a price.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from aphub.core.clock import today
from aphub.core.days.school_years import age_on, key_stage
from aphub.core.money import format_money, to_money
from aphub.directory.geocoding import Point, geocode, haversine_miles
from aphub.directory.models import CostOption, Provision, Term, Vocabulary
from aphub.organisations.models import Provider

from .models import Placement, Referral

WEIGHT_TIER = 30
WEIGHT_KEY_STAGE = 20
WEIGHT_NEEDS = 25
WEIGHT_DELIVERY = 10
WEIGHT_DISTANCE = 10
WEIGHT_VACANCY = 10
WEIGHT_COST = 5
WEIGHT_REGISTERED = 5
OFSTED_POINTS: dict[str, int] = {
    Provider.OfstedOutcome.OUTSTANDING: 5,
    Provider.OfstedOutcome.GOOD: 4,
    Provider.OfstedOutcome.NOT_INSPECTED: 2,
    Provider.OfstedOutcome.NOT_APPLICABLE: 2,
    Provider.OfstedOutcome.REQUIRES_IMPROVEMENT: 1,
    Provider.OfstedOutcome.INADEQUATE: 0,
}
DISTANCE_HORIZON_MILES = 20.0

# A school year, to put costs in different units side by side (see the module docstring).
UNITS_PER_YEAR: dict[str, int] = {
    CostOption.Unit.PER_SESSION: 380,
    CostOption.Unit.PER_HOUR: 950,
    CostOption.Unit.PER_DAY: 190,
    CostOption.Unit.PER_WEEK: 39,
    CostOption.Unit.PER_TERM: 3,
    CostOption.Unit.PER_PLACE_PER_YEAR: 1,
}

REGISTERED = {Provider.RegistrationStatus.REGISTERED_SCHOOL, Provider.RegistrationStatus.REGISTERED_FE}


# --- Pure scoring ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cost:
    label: str
    amount: Decimal
    unit: str
    unit_label: str

    @property
    def annual(self) -> Decimal:
        return to_money(self.amount * UNITS_PER_YEAR.get(self.unit, 1))


@dataclass(frozen=True)
class ProvisionFacts:
    """What the scoring needs to know about one provision, read from the database beforehand."""

    term_codes: frozenset[str]
    places: int
    vacancies: int
    miles: float | None
    cheapest: Cost | None
    registration_status: str
    ofsted_outcome: str
    has_location: bool = True


@dataclass(frozen=True)
class ReferralWants:
    """What the referral asks for, as term codes, with the labels to name them in sentences."""

    tier: str  # "tier-2"
    key_stage: str  # "ks3"
    age: int
    needs: frozenset[str]
    delivery_modes: frozenset[str]
    home_known: bool
    labels: Mapping[str, str] = field(default_factory=dict)

    def label(self, code: str) -> str:
        return self.labels.get(code, code)


@dataclass(frozen=True)
class Score:
    points: float
    reasons: list[str]
    notes: list[str]
    ranked_down: bool = False  # listed after every provision that is not ranked down (inadequate Ofsted outcome)


def _listed(labels: list[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def score_provision(facts: ProvisionFacts, wants: ReferralWants, *, lowest_annual_cost: Decimal | None) -> Score:
    """Points and plain-sentence reasons for one provision against one referral (weights: module docstring)."""
    points = 0.0
    reasons: list[str] = []
    notes: list[str] = []

    tier = wants.label(wants.tier)
    if wants.tier in facts.term_codes:
        points += WEIGHT_TIER
        reasons.append(f"It offers the tier requested ({tier}).")
    else:
        reasons.append(f"It does not offer the tier requested ({tier}).")

    stage = wants.label(wants.key_stage)
    if wants.key_stage in facts.term_codes:
        points += WEIGHT_KEY_STAGE
        reasons.append(f"It takes pupils in {stage}; the pupil is {wants.age} today.")
    else:
        reasons.append(f"It does not list {stage}; the pupil is {wants.age} today.")

    if wants.needs:
        met = sorted(wants.needs & facts.term_codes)
        points += WEIGHT_NEEDS * len(met) / len(wants.needs)
        if not met:
            reasons.append("It supports none of the needs in the referral.")
        elif len(met) == len(wants.needs):
            reasons.append(f"It supports every need in the referral: {_listed([wants.label(c) for c in met])}.")
        else:
            reasons.append(
                f"It supports {len(met)} of the {len(wants.needs)} needs in the referral: "
                f"{_listed([wants.label(c) for c in met])}."
            )
    else:
        reasons.append("The referral names no needs to match.")

    if wants.delivery_modes:
        offered = sorted(wants.delivery_modes & facts.term_codes)
        points += WEIGHT_DELIVERY * len(offered) / len(wants.delivery_modes)
        if offered:
            reasons.append(f"It offers the preferred delivery: {_listed([wants.label(c) for c in offered])}.")
        else:
            preferred = _listed([wants.label(c) for c in sorted(wants.delivery_modes)])
            reasons.append(f"It offers none of the preferred delivery ({preferred}).")

    if facts.miles is not None:
        points += WEIGHT_DISTANCE * max(0.0, 1 - facts.miles / DISTANCE_HORIZON_MILES)
        reasons.append(f"It is {facts.miles:.1f} miles from the pupil's home.")
    elif not wants.home_known:
        reasons.append("The distance is not known: the pupil's home postcode is missing or not recognised.")
    else:
        reasons.append("The distance is not known: the provision has no known location.")

    if facts.vacancies > 0:
        points += WEIGHT_VACANCY
        reasons.append(f"It has {facts.vacancies} of {facts.places} places free.")
    else:
        reasons.append(f"It has no places free (all {facts.places} taken); the pupil may join its waiting list.")

    if facts.cheapest is None:
        reasons.append("It publishes no costs.")
    else:
        annual = facts.cheapest.annual
        if lowest_annual_cost is not None and annual > 0:
            points += WEIGHT_COST * float(min(lowest_annual_cost / annual, Decimal(1)))
        elif annual == 0:
            points += WEIGHT_COST
        reasons.append(
            f"Its cheapest option is {facts.cheapest.label}, {format_money(facts.cheapest.amount)} "
            f"{facts.cheapest.unit_label} (about {format_money(annual)} for a school year)."
        )

    ofsted = Provider.OfstedOutcome(facts.ofsted_outcome) if facts.ofsted_outcome else None
    registration = (
        Provider.RegistrationStatus(facts.registration_status).label.lower()
        if facts.registration_status in Provider.RegistrationStatus.values
        else "of unknown registration"
    )
    if facts.registration_status in REGISTERED:
        points += WEIGHT_REGISTERED
        sentence = f"The provider is a {registration}"
    else:
        sentence = f"The provider is {registration}"
        if facts.registration_status == Provider.RegistrationStatus.UNREGISTERED:
            notes.append(
                "The provider is unregistered: the placement must stay below the hours and pupil numbers at which "
                "it would have to register as a school."
            )
    points += OFSTED_POINTS.get(ofsted or "", 0)
    if ofsted in (Provider.OfstedOutcome.NOT_INSPECTED, Provider.OfstedOutcome.NOT_APPLICABLE, None):
        reasons.append(f"{sentence} and has no Ofsted judgement.")
    else:
        reasons.append(f"{sentence}; Ofsted judged it {ofsted.label.lower()}.")
    if ofsted == Provider.OfstedOutcome.INADEQUATE:
        notes.append("Ofsted judged this provider inadequate, so it is ranked below the others. Check before placing.")

    return Score(
        points=round(points, 1),
        reasons=reasons,
        notes=notes,
        ranked_down=ofsted == Provider.OfstedOutcome.INADEQUATE,
    )


# --- Reading the facts and ranking -----------------------------------------------------------------------------


@dataclass
class Suggestion:
    provision: Provision
    points: float
    reasons: list[str]
    notes: list[str]
    miles: float | None
    vacancies: int
    cheapest: Cost | None
    ranked_down: bool = False


@dataclass
class _Candidate:
    provision: Provision
    term_codes: frozenset[str]
    vacancies: int
    cheapest: Cost | None


def _candidates(local_authority_id: int) -> list[_Candidate]:
    """The LA's published provisions with their terms, cheapest cost and vacancies, in a fixed number of queries."""
    provisions = list(
        Provision.objects.filter(local_authority_id=local_authority_id, status=Provision.Status.PUBLISHED)
        .select_related("provider")
        .prefetch_related("terms", "cost_options")
        .order_by("name", "pk")
    )
    held = dict(
        Placement.objects.filter(provision__in=[p.pk for p in provisions], status__in=Placement.HOLDING_STATES)
        .order_by()
        .values("provision_id")
        .annotate(taken=Count("pk"))
        .values_list("provision_id", "taken")
    )
    units = dict(CostOption.Unit.choices)
    candidates = []
    for provision in provisions:
        costs = [
            Cost(label=o.label, amount=o.amount, unit=o.unit, unit_label=str(units.get(o.unit, o.unit)))
            for o in provision.cost_options.all()
        ]
        cheapest = min(costs, key=lambda c: (c.annual, c.label)) if costs else None
        candidates.append(
            _Candidate(
                provision=provision,
                term_codes=frozenset(term.code for term in provision.terms.all()),
                vacancies=max(provision.places - held.get(provision.pk, 0), 0),
                cheapest=cheapest,
            )
        )
    return candidates


def wants_of(referral: Referral, *, labels: Mapping[str, str] | None = None) -> tuple[ReferralWants, Point | None]:
    """What the referral asks for, and the pupil's home point (None when the postcode is missing or unknown)."""
    pupil = referral.pupil
    on = today()
    age = age_on(pupil.date_of_birth, on)
    home = geocode(pupil.postcode) if pupil.postcode else None
    if labels is None:
        labels = dict(Term.objects.values_list("code", "label"))
    wants = ReferralWants(
        tier=f"tier-{referral.requested_tier}",
        key_stage=key_stage(pupil.date_of_birth, on),
        age=age,
        needs=frozenset(term.code for term in referral.needs.all() if term.vocabulary == Vocabulary.NEED),
        delivery_modes=frozenset(
            term.code for term in referral.preferred_delivery_modes.all() if term.vocabulary == Vocabulary.DELIVERY_MODE
        ),
        home_known=home is not None,
        labels=labels,
    )
    return wants, home


def rank(candidates: Iterable[_Candidate], wants: ReferralWants, home: Point | None, *, limit: int) -> list[Suggestion]:
    candidates = list(candidates)
    annual_costs = [c.cheapest.annual for c in candidates if c.cheapest is not None and c.cheapest.annual > 0]
    lowest = min(annual_costs) if annual_costs else None
    suggestions = []
    for candidate in candidates:
        provision = candidate.provision
        has_location = provision.latitude is not None and provision.longitude is not None
        miles = None
        # has_location, spelt out so the type checker sees two numbers
        if home and provision.latitude is not None and provision.longitude is not None:
            miles = haversine_miles(home, (provision.latitude, provision.longitude))
        facts = ProvisionFacts(
            term_codes=candidate.term_codes,
            places=provision.places,
            vacancies=candidate.vacancies,
            miles=miles,
            cheapest=candidate.cheapest,
            registration_status=provision.provider.registration_status,
            ofsted_outcome=provision.provider.ofsted_outcome,
            has_location=has_location,
        )
        result = score_provision(facts, wants, lowest_annual_cost=lowest)
        suggestions.append(
            Suggestion(
                provision=provision,
                points=result.points,
                reasons=result.reasons,
                notes=result.notes,
                miles=miles,
                vacancies=candidate.vacancies,
                cheapest=candidate.cheapest,
                ranked_down=result.ranked_down,
            )
        )
    suggestions.sort(
        key=lambda s: (
            s.ranked_down,
            -s.points,
            s.miles if s.miles is not None else float("inf"),
            s.provision.name,
            s.provision.pk,
        )
    )
    return suggestions[:limit]


def suggest_provisions(*, referral: Referral, limit: int = 10) -> list[Suggestion]:
    """The referral's LA's published provisions that fit it best, best first, each with its reasons."""
    wants, home = wants_of(referral)
    return rank(_candidates(referral.pupil.local_authority_id), wants, home, limit=limit)


def suggest_for_referrals(*, referrals: Iterable[Referral], limit: int = 10) -> dict[int, list[Suggestion]]:
    """Suggestions for several referrals (a panel agenda), reading each LA's provisions once."""
    labels = dict(Term.objects.values_list("code", "label"))
    by_la: dict[int, list[_Candidate]] = {}
    found = {}
    for referral in referrals:
        la_id = referral.pupil.local_authority_id
        if la_id not in by_la:
            by_la[la_id] = _candidates(la_id)
        wants, home = wants_of(referral, labels=labels)
        found[referral.pk] = rank(by_la[la_id], wants, home, limit=limit)
    return found
