"""Reads for the quality pages, each starting from what the user may see (Model.objects.visible_to(user)).

Two reads go wider on purpose, and return only summaries: a school's provider checks show the latest visit rating
of its own LA, the admission state and whether evidence is in date (so schools need not repeat the LA's checks;
no scores, notes or complaints), and the unregistered oversight counts children across every commissioner
(placements.oversight; counts only). Children appear on these pages only as initials and placement numbers.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from aphub.commissioning.applications.queries import OPEN_STATUSES
from aphub.commissioning.models import (
    Admission,
    Application,
    CommercialArrangement,
    Complaint,
    Lot,
    MonitoringVisit,
    QAArea,
    Rating,
    VisitAction,
)
from aphub.commissioning.quality.services import EvidenceStatus, Proposal, evidence_statuses, propose_visits
from aphub.organisations.models import LA_ROLES, LocalAuthority, Provider, Role, User
from aphub.organisations.queries import membership_of
from aphub.placements import oversight
from aphub.placements.attendance.queries import ProvisionRates, Rates, provision_rates
from aphub.placements.models import OutcomeArea, OutcomeScore, Placement, Review

ATTENDANCE_MONTHS = 12


def arrangements_of(local_authority_id: int) -> QuerySet[CommercialArrangement]:
    """The arrangements an LA buys under: those it owns and those it shares as a partner."""
    return CommercialArrangement.objects.filter(Q(owner_id=local_authority_id) | Q(partners=local_authority_id))


def la_of(user: User | None) -> LocalAuthority | None:
    membership = membership_of(user)
    if membership is None or membership.role not in LA_ROLES:
        return None
    return membership.local_authority


# --- Visits and actions ----------------------------------------------------------------------------------------


def visits_visible_to(user: User | None) -> QuerySet[MonitoringVisit]:
    return MonitoringVisit.objects.visible_to(user).select_related("provider", "local_authority", "officer")


def visit_for(user: User | None, pk: int) -> MonitoringVisit:
    return get_object_or_404(visits_visible_to(user), pk=pk)


def ratings_of(visit: MonitoringVisit) -> list[dict]:
    """The visit's rating in each QA area, in the areas' order (None where not rated)."""
    rated = {rating.area: rating for rating in visit.ratings.all()}
    return [{"area": area, "rating": rated.get(area.value)} for area in QAArea]


def actions_of(visit: MonitoringVisit) -> list[VisitAction]:
    return list(visit.actions.select_related("done_by").order_by("due_on", "id"))


def actions_visible_to(user: User | None) -> QuerySet[VisitAction]:
    return VisitAction.objects.filter(visit__in=MonitoringVisit.objects.visible_to(user).values("pk")).select_related(
        "visit__provider", "visit__local_authority", "done_by"
    )


def action_for(user: User | None, pk: int) -> VisitAction:
    return get_object_or_404(actions_visible_to(user), pk=pk)


def overdue_actions(user: User | None, *, today: datetime.date) -> QuerySet[VisitAction]:
    """Actions not done whose due date has passed, most overdue first."""
    return actions_visible_to(user).filter(done_on__isnull=True, due_on__lt=today).order_by("due_on", "id")


def visit_proposals(user: User | None, *, today: datetime.date) -> list[Proposal]:
    la = la_of(user)
    return propose_visits(la=la, today=today) if la else []


# --- Overview (LA) ---------------------------------------------------------------------------------------------


@dataclass
class ProviderRow:
    provider: Provider
    admissions: list[Admission] = field(default_factory=list)
    latest_visit: MonitoringVisit | None = None
    next_visit: MonitoringVisit | None = None
    overdue_actions: int = 0
    evidence: EvidenceStatus = field(default_factory=EvidenceStatus)

    @property
    def admission_summary(self) -> str:
        return admission_summary(self.admissions)


def admission_summary(admissions: list[Admission]) -> str:
    """'Admitted to 2 lots', 'Suspended from 1 part', 'Removed' or 'Not admitted', the most telling first."""
    by_status: dict[str, list[Admission]] = defaultdict(list)
    for admission in admissions:
        by_status[admission.status].append(admission)
    parts = []
    for status, verb in (
        (Admission.Status.SUSPENDED, "Suspended from"),
        (Admission.Status.ADMITTED, "Admitted to"),
    ):
        found = by_status.get(status, [])
        if found:
            words = {admission.lot.arrangement.lot_word for admission in found}
            word = words.pop() if len(words) == 1 else "lot"
            parts.append(f"{verb} {len(found)} {word}{'' if len(found) == 1 else 's'}")
    if parts:
        return "; ".join(parts)
    return "Removed" if by_status.get(Admission.Status.REMOVED) else "Not admitted"


def _visits_by_provider(visits) -> tuple[dict[int, MonitoringVisit], dict[int, MonitoringVisit]]:
    """(latest held visit, next visit not yet held) per provider."""
    latest: dict[int, MonitoringVisit] = {}
    upcoming: dict[int, MonitoringVisit] = {}
    for visit in visits:
        if visit.held_on is not None:
            held = latest.get(visit.provider_id)
            if held is None or (visit.held_on, visit.pk) > (held.held_on, held.pk):
                latest[visit.provider_id] = visit
        else:
            planned = upcoming.get(visit.provider_id)
            if planned is None or (visit.scheduled_for, visit.pk) < (planned.scheduled_for, planned.pk):
                upcoming[visit.provider_id] = visit
    return latest, upcoming


def quality_overview(user: User | None, *, today: datetime.date) -> list[ProviderRow]:
    """Every provider admitted to the LA's arrangements or visited by it, with its QA state, in a fixed number of
    queries however many providers there are."""
    admissions = list(
        Admission.objects.visible_to(user).select_related("provider", "lot__arrangement").order_by("lot", "pk")
    )
    visits = list(MonitoringVisit.objects.visible_to(user).select_related("provider"))
    providers = {admission.provider_id: admission.provider for admission in admissions}
    providers.update({visit.provider_id: visit.provider for visit in visits})
    rows = {pk: ProviderRow(provider=provider) for pk, provider in providers.items()}
    for admission in admissions:
        rows[admission.provider_id].admissions.append(admission)
    latest, upcoming = _visits_by_provider(visits)
    overdue = (
        overdue_actions(user, today=today)
        .values("visit__provider_id")
        .annotate(n=Count("pk"))
        .values_list("visit__provider_id", "n")
    )
    for provider_id, n in overdue:
        if provider_id in rows:
            rows[provider_id].overdue_actions = n
    statuses = evidence_statuses(providers.values(), admissions, today=today)
    for pk, row in rows.items():
        row.latest_visit = latest.get(pk)
        row.next_visit = upcoming.get(pk)
        row.evidence = statuses[pk]
    return sorted(rows.values(), key=lambda row: (row.provider.display_name.lower(), row.provider.pk))


# --- Scorecard (LA) --------------------------------------------------------------------------------------------


def provider_for_quality(user: User | None, pk: int) -> Provider:
    """A provider working in the user's LA (404 otherwise)."""
    return get_object_or_404(Provider.objects.visible_to(user).select_related("local_authority"), pk=pk)


@dataclass(frozen=True)
class OutcomeChange:
    area: str
    label: str
    placements: int  # placements with a start score and a later one in this area
    average_change: Decimal | None  # points on the 1 to 5 scale, to one decimal place


@dataclass
class Scorecard:
    provider: Provider
    admissions: list[Admission]
    latest_visit: MonitoringVisit | None
    latest_ratings: list[dict]
    next_visit: MonitoringVisit | None
    visits: list[MonitoringVisit]
    open_actions: int
    overdue_actions: int
    attendance: list[ProvisionRates]
    attendance_overall: Rates
    outcomes: list[OutcomeChange]
    outcome_overall: OutcomeChange
    complaints: list[Complaint]
    complaints_upheld: int
    complaints_open: int
    evidence: EvidenceStatus
    oversight: "oversight.ProviderCount | None"

    @property
    def admission_summary(self) -> str:
        return admission_summary(self.admissions)


TENTH = Decimal("0.1")


def _average(changes: list[int]) -> Decimal | None:
    if not changes:
        return None
    return (Decimal(sum(changes)) / len(changes)).quantize(TENTH, rounding=ROUND_HALF_UP)


def outcome_changes(user: User | None, provider: Provider) -> tuple[list[OutcomeChange], OutcomeChange]:
    """Average change from the start score to the latest one (the exit's, else the latest review's) across the
    provider's placements the user may see, per outcome area and over all areas."""
    reviews = Review.objects.visible_to(user).filter(placement__provision__provider=provider)
    rows = (
        OutcomeScore.objects.filter(review__in=reviews.values("pk"))
        .order_by("review__held_on", "review_id")
        .values_list("review__placement_id", "area", "review__kind", "score")
    )
    start: dict[tuple[int, str], int] = {}
    latest_review: dict[tuple[int, str], int] = {}
    exit_score: dict[tuple[int, str], int] = {}
    for placement_id, area, kind, score in rows:
        key = (placement_id, area)
        if kind == Review.Kind.START:
            start.setdefault(key, score)
        elif kind == Review.Kind.EXIT:
            exit_score[key] = score
        else:
            latest_review[key] = score
    changes: dict[str, list[int]] = defaultdict(list)
    for key, first in start.items():
        last = exit_score.get(key, latest_review.get(key))
        if last is not None:
            changes[key[1]].append(last - first)
    per_area = [
        OutcomeChange(area.value, area.label, len(changes[area.value]), _average(changes[area.value]))
        for area in OutcomeArea
    ]
    everything = [change for values in changes.values() for change in values]
    compared = {key[0] for key in start if key in exit_score or key in latest_review}
    overall = OutcomeChange("all", "All outcomes", len(compared), _average(everything))
    return per_area, overall


def scorecard(user: User | None, provider: Provider, *, today: datetime.date) -> Scorecard:
    admissions = list(
        Admission.objects.visible_to(user)
        .filter(provider=provider)
        .select_related("lot__arrangement")
        .order_by("lot__arrangement__title", "lot__number")
    )
    visits = list(
        MonitoringVisit.objects.visible_to(user)
        .filter(provider=provider)
        .select_related("officer")
        .order_by("-scheduled_for", "-id")
    )
    latest, upcoming = _visits_by_provider(visits)
    latest_visit = latest.get(provider.pk)
    actions = actions_visible_to(user).filter(visit__provider=provider, done_on__isnull=True)
    provisions = set(provider.provisions.values_list("pk", flat=True))
    date_from = today - datetime.timedelta(days=365 * ATTENDANCE_MONTHS // 12)
    attendance = [row for row in provision_rates(user, date_from=date_from) if row.provision_id in provisions]
    attendance_overall = Rates(
        sum(row.rates.attended for row in attendance),
        sum(row.rates.authorised for row in attendance),
        sum(row.rates.unauthorised for row in attendance),
    )
    outcomes, outcome_overall = outcome_changes(user, provider)
    complaints = list(Complaint.objects.visible_to(user).filter(provider=provider).order_by("-received_on", "-id"))
    counts = (
        oversight.count_unregistered(today=today, provider_ids=[provider.pk])
        if provider.registration_status == Provider.RegistrationStatus.UNREGISTERED
        else {}
    )
    return Scorecard(
        provider=provider,
        admissions=admissions,
        latest_visit=latest_visit,
        latest_ratings=ratings_of(latest_visit) if latest_visit else [],
        next_visit=upcoming.get(provider.pk),
        visits=visits,
        open_actions=actions.count(),
        overdue_actions=actions.filter(due_on__lt=today).count(),
        attendance=attendance,
        attendance_overall=attendance_overall,
        outcomes=outcomes,
        outcome_overall=outcome_overall,
        complaints=complaints,
        complaints_upheld=sum(1 for complaint in complaints if complaint.upheld),
        complaints_open=sum(1 for complaint in complaints if complaint.closed_on is None),
        evidence=evidence_statuses([provider], admissions, today=today)[provider.pk],
        oversight=counts.get(provider.pk),
    )


def complaint_for(user: User | None, pk: int) -> Complaint:
    return get_object_or_404(Complaint.objects.visible_to(user).select_related("provider"), pk=pk)


# --- Admissions (LA) -------------------------------------------------------------------------------------------


def admission_for(user: User | None, pk: int) -> Admission:
    return get_object_or_404(
        Admission.objects.visible_to(user).select_related(
            "provider", "lot__arrangement", "contract", "status_changed_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class PlacementToReview:
    pk: int
    initials: str
    provision: str
    status: str
    start_date: datetime.date
    under_this_lot: bool


def initials(first_name: str, last_name: str) -> str:
    return " ".join(f"{name.strip()[:1].upper()}." for name in (first_name, last_name) if name and name.strip())


def placements_to_review(user: User | None, admission: Admission) -> list[PlacementToReview]:
    """The provider's current placements (offered, accepted, active) that the user may see, those under this
    admission's lot first. Initials and placement numbers only: this is a list to work through, not a child's
    record; each placement's own page shows (and access-logs) the child."""
    placements = (
        Placement.objects.visible_to(user)
        .filter(provision__provider_id=admission.provider_id, status__in=Placement.HOLDING_STATES)
        .select_related("pupil", "provision")
        .order_by("start_date", "pk")
    )
    rows = [
        PlacementToReview(
            pk=placement.pk,
            initials=initials(placement.pupil.first_name, placement.pupil.last_name),
            provision=placement.provision.name,
            status=placement.get_status_display(),
            start_date=placement.start_date,
            under_this_lot=placement.lot_id == admission.lot_id,
        )
        for placement in placements
    ]
    return sorted(rows, key=lambda row: not row.under_this_lot)


# --- Provider checks (schools) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderCheck:
    provider: Provider
    latest_visit_rating: str  # Rating value, or "" when the LA has not visited yet
    latest_visit_rating_label: str
    latest_visit_on: datetime.date | None
    admission: str
    evidence: EvidenceStatus  # judged as the provider's own readiness checklist judges it


def provider_checks(user: User | None, *, today: datetime.date) -> list[ProviderCheck]:
    """What a school needs to rely on the LA's checks of each provider working in its LA."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.SCHOOL_STAFF:
        return []
    assert membership.school is not None  # a school role's membership names its school (check constraint)
    la_id = membership.school.local_authority_id
    providers = list(Provider.objects.visible_to(user).order_by("legal_name", "pk"))
    admissions = list(
        Admission.objects.visible_to(user)
        .filter(provider__in=providers, lot__arrangement__in=arrangements_of(la_id).values("pk"))
        .select_related("lot__arrangement")
    )
    by_provider: dict[int, list[Admission]] = defaultdict(list)
    for admission in admissions:
        by_provider[admission.provider_id].append(admission)
    # The school's own LA's visits: the rating and date only.
    held = MonitoringVisit.objects.filter(
        local_authority_id=la_id, provider__in=providers, held_on__isnull=False
    ).values_list("provider_id", "held_on", "pk", "overall")
    latest: dict[int, tuple] = {}
    for provider_id, held_on, pk, overall in held:
        if provider_id not in latest or (held_on, pk) > latest[provider_id][:2]:
            latest[provider_id] = (held_on, pk, overall)
    # A provider not yet admitted is judged on the lots it applies for, as its own checklist judges it. Only the
    # judgement reaches the school, never the application.
    applying = Application.objects.filter(
        provider__in=providers, arrangement__in=arrangements_of(la_id).values("pk"), status__in=OPEN_STATUSES
    ).prefetch_related(Prefetch("lots", queryset=Lot.objects.select_related("arrangement")))
    applied_for: dict[int, list[Lot]] = defaultdict(list)
    for application in applying:
        applied_for[application.provider_id] += application.lots.all()
    statuses = evidence_statuses(providers, admissions, today=today, applied_for=applied_for)
    checks = []
    for provider in providers:
        held_on, _, overall = latest.get(provider.pk, (None, None, ""))
        checks.append(
            ProviderCheck(
                provider=provider,
                latest_visit_rating=overall or "",
                latest_visit_rating_label=Rating(overall).label if overall in Rating.values else "",
                latest_visit_on=held_on,
                admission=admission_summary(by_provider[provider.pk]),
                evidence=statuses[provider.pk],
            )
        )
    return checks


# --- Unregistered oversight ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OversightRow:
    provider: Provider
    count: oversight.ProviderCount
    own_placements: int  # the user's LA's children placed there now (offered, accepted or active)


def oversight_rows(user: User | None, *, today: datetime.date) -> list[OversightRow]:
    """Unregistered providers working in the LA or educating its children, with counts across every commissioner,
    nearest the threshold first."""
    if la_of(user) is None:
        return []
    current = Placement.objects.visible_to(user).filter(
        status__in=Placement.HOLDING_STATES,
        provision__provider__registration_status=Provider.RegistrationStatus.UNREGISTERED,
    )
    own = dict(
        current.values("provision__provider_id").annotate(n=Count("pk")).values_list("provision__provider_id", "n")
    )
    providers = list(
        oversight.unregistered_providers().filter(
            Q(pk__in=Provider.objects.visible_to(user).values("pk")) | Q(pk__in=list(own))
        )
    )
    counts = oversight.count_unregistered(today=today, provider_ids=[provider.pk for provider in providers])
    rows = [OversightRow(provider, counts[provider.pk], own.get(provider.pk, 0)) for provider in providers]
    return sorted(
        rows,
        key=lambda row: (
            -oversight.LEVEL_ORDER[row.count.level],
            -row.count.full_time,
            row.provider.display_name.lower(),
        ),
    )


@dataclass(frozen=True)
class BreachRow:
    pk: int
    initials: str
    provider: str
    start_date: datetime.date
    problems: tuple[str, ...]


def limit_breaches_for(user: User | None, *, today: datetime.date) -> list[BreachRow]:
    """The LA's own children's current placements at unregistered providers that break its limits."""
    if la_of(user) is None:
        return []
    placements = (
        Placement.objects.visible_to(user)
        .filter(
            status__in=Placement.HOLDING_STATES,
            provision__provider__registration_status=Provider.RegistrationStatus.UNREGISTERED,
        )
        .select_related("pupil", "provision__provider")
        .order_by("start_date", "pk")
    )
    return [
        BreachRow(
            pk=breach.placement.pk,
            initials=initials(breach.placement.pupil.first_name, breach.placement.pupil.last_name),
            provider=breach.placement.provision.provider.display_name,
            start_date=breach.placement.start_date,
            problems=breach.problems,
        )
        for breach in oversight.limit_breaches(placements, today=today)
    ]


def own_oversight(
    user: User | None, *, today: datetime.date
) -> tuple[Provider | None, "oversight.ProviderCount | None"]:
    """The provider staff member's own provider and, when it is unregistered, its counts."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.PROVIDER_STAFF:
        return None, None
    provider = Provider.objects.visible_to(user).first()
    if provider is None or provider.registration_status != Provider.RegistrationStatus.UNREGISTERED:
        return provider, None
    return provider, oversight.count_unregistered(today=today, provider_ids=[provider.pk]).get(provider.pk)
