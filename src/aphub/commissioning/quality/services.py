"""Quality assurance of providers: monitoring visits planned by policy and risk, ratings and actions, complaints,
suspension and removal of admissions, and reminders before evidence expires.

Every function that changes something takes keyword arguments, checks before it writes and writes in one
transaction. None of this is a child's record: visits, complaints and evidence are about providers (a complaint's
summary asks for no child's name), so nothing here writes the access log.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from aphub.commissioning.applications.queries import Readiness, assess
from aphub.commissioning.arrangements.criteria import Criterion, criteria_for_lot
from aphub.commissioning.models import (
    Admission,
    Complaint,
    Evidence,
    EvidenceReminder,
    Lot,
    MonitoringVisit,
    QAArea,
    QualityPolicy,
    Rating,
    VisitAction,
    VisitRating,
)
from aphub.commissioning.permissions import (
    can_assure_quality,
    can_change_admission,
    can_change_quality_policy,
    can_note_action,
)
from aphub.core.clock import now
from aphub.core.clock import today as clock_today
from aphub.core.days.dates import long_date
from aphub.core.days.school_days import england_bank_holidays, is_weekend
from aphub.core.errors import DomainError, NotPermitted, Problems
from aphub.core.forms.validators import Limit, at_most, check_limit
from aphub.core.lifecycle import Lifecycle, Move
from aphub.core.permissions import require
from aphub.organisations.models import LocalAuthority, Membership, Provider, Role, User
from aphub.organisations.queries import membership_of

# Officers give a provider this much notice of a routine visit.
NOTICE_WORKING_DAYS = 10
# Reminders go this many days before evidence expires (insurance, DBS renewals, training).
REMINDER_DAYS = {EvidenceReminder.Stage.DAYS_30: 30, EvidenceReminder.Stage.DAYS_7: 7}
EXPIRING_WITHIN_DAYS = 30
TEXT_LIMIT = 5000
# Each text limit once, with its message: the quality forms' fields and these services ask the same one.
SUMMARY = at_most(TEXT_LIMIT, "The summary")
NOTE = at_most(TEXT_LIMIT, "The note")
REASON = at_most(TEXT_LIMIT, "The reason")
ACTION = at_most(2000, "What needs to be done")
ACTION_OWNER = at_most(200, "Who will do it")
VISIT_BECAUSE = at_most(200, "What prompted it")


def area_note(label: str) -> Limit[str]:
    """The limit on the note on one area of a visit ("The note on safeguarding must be ...")."""
    return at_most(TEXT_LIMIT, f"The note on {label.lower()}")


# --- Policy and working days -----------------------------------------------------------------------------------


def quality_policy_for(local_authority: LocalAuthority) -> QualityPolicy:
    """The LA's quality policy; the default numbers (unsaved) while the LA has not set its own."""
    return QualityPolicy.objects.filter(local_authority=local_authority).first() or QualityPolicy(
        local_authority=local_authority
    )


@transaction.atomic
def update_quality_policy(
    *, user: User, local_authority: LocalAuthority, routine_visits_per_year: int, concern_visit_working_days: int
) -> QualityPolicy:
    require(
        can_change_quality_policy(membership_of(user), local_authority.pk),
        "Only the local authority's admins can change its quality policy.",
    )
    problems = Problems()
    if not 0 <= routine_visits_per_year <= 12:
        problems.add("Enter from 0 to 12 routine visits a year", field="routine_visits_per_year")
    if not 1 <= concern_visit_working_days <= 120:
        problems.add("Enter from 1 to 120 working days", field="concern_visit_working_days")
    problems.raise_any()
    QualityPolicy.objects.get_or_create(local_authority=local_authority)
    policy = QualityPolicy.objects.select_for_update().get(local_authority=local_authority)
    policy.routine_visits_per_year = routine_visits_per_year
    policy.concern_visit_working_days = concern_visit_working_days
    policy.save()
    return policy


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start`: weekdays that are not bank holidays in England. Visits follow the
    council's working week, not the school calendar (officers visit in the holidays too)."""
    holidays = england_bank_holidays(range(start.year, start.year + 2 + days // 200))
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if not is_weekend(day) and day not in holidays:
            counted += 1
    return day


def _la_editor(user: User | None, local_authority_id: int, doing: str) -> Membership:
    membership = membership_of(user)
    require(can_assure_quality(membership, local_authority_id), f"Only officers of the local authority can {doing}.")
    assert membership is not None  # can_assure_quality is False for None
    return membership


def _own_la_editor(user: User | None, doing: str) -> Membership:
    """The user's membership when they are an officer or admin of an LA (the LA they act for)."""
    membership = membership_of(user)
    require(can_assure_quality(membership), f"Only local authority officers can {doing}.")
    assert membership is not None  # can_assure_quality is False for None
    return membership


def _text(value: str, *, field: str, missing: str, limit: Limit[str]) -> str:
    value = check_limit(limit, value, field=field)
    if not value:
        raise DomainError(missing, field=field)
    return value


# --- Planning visits -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    provider: Provider
    scheduled_for: datetime.date
    why: str


def admitted_providers(la: LocalAuthority) -> list[Provider]:
    """Providers admitted (not suspended or removed) to a lot of an arrangement the LA owns or shares."""
    admitted = Admission.objects.filter(status=Admission.Status.ADMITTED).filter(
        Q(lot__arrangement__owner_id=la.pk) | Q(lot__arrangement__partners=la.pk)
    )
    return list(Provider.objects.filter(pk__in=admitted.values("provider_id")).order_by("legal_name", "pk"))


def propose_visits(*, la: LocalAuthority, today: datetime.date) -> list[Proposal]:
    """The routine visits the LA's policy calls for and that are not yet planned: each admitted provider gets up to
    `routine_visits_per_year` a year, spaced evenly from its last routine visit, with notice. Writes nothing."""
    per_year = quality_policy_for(la).routine_visits_per_year
    if per_year == 0:
        return []
    interval = datetime.timedelta(days=365 // per_year)
    earliest = add_working_days(today, NOTICE_WORKING_DAYS)
    providers = admitted_providers(la)
    routine = MonitoringVisit.objects.filter(
        local_authority=la, provider__in=providers, reason=MonitoringVisit.Reason.ROUTINE
    ).values_list("provider_id", "held_on")
    planned: set[int] = set()
    last_held: dict[int, datetime.date] = {}
    for provider_id, held_on in routine:
        if held_on is None:
            planned.add(provider_id)
        elif provider_id not in last_held or held_on > last_held[provider_id]:
            last_held[provider_id] = held_on
    proposals = []
    for provider in providers:
        if provider.pk in planned:
            continue
        last = last_held.get(provider.pk)
        if last is None:
            proposals.append(Proposal(provider, earliest, "No routine visit yet"))
        else:
            due = max(earliest, last + interval)
            proposals.append(Proposal(provider, due, f"Last routine visit on {long_date(last)}"))
    return proposals


@transaction.atomic
def schedule_visits(*, la: LocalAuthority, today: datetime.date, user: User | None = None) -> list[MonitoringVisit]:
    """Plan the routine visits `propose_visits` finds (an officer's button, or a scheduled job with no user).
    Running it again plans nothing new: a provider with a routine visit planned gets no second one."""
    if user is not None:
        _la_editor(user, la.pk, "plan monitoring visits")
    # One planner at a time per LA, so two officers pressing the button at once plan each visit once.
    LocalAuthority.objects.select_for_update().filter(pk=la.pk).first()
    return [
        MonitoringVisit.objects.create(
            provider=proposal.provider,
            local_authority=la,
            reason=MonitoringVisit.Reason.ROUTINE,
            scheduled_for=proposal.scheduled_for,
            officer=user,
            scheduled_because=proposal.why[:200],
        )
        for proposal in propose_visits(la=la, today=today)
    ]


@transaction.atomic
def schedule_visit(
    *, user: User, provider: Provider, scheduled_for: datetime.date, reason: str, because: str = ""
) -> MonitoringVisit:
    """An officer plans one visit by hand (a concern raised by a school, a follow-up of actions)."""
    membership = _own_la_editor(user, "plan visits")
    if not Provider.objects.visible_to(user).filter(pk=provider.pk).exists():
        raise NotPermitted("This provider does not work in your local authority.")
    assert membership.local_authority_id is not None  # an LA role's membership names its LA (check constraint)
    problems = Problems()
    if reason not in MonitoringVisit.Reason.values:
        problems.add("Choose why the visit is needed", field="reason")
    if scheduled_for < clock_today():
        problems.add("The date of the visit must be today or in the future", field="scheduled_for")
    with problems.check():
        because = check_limit(VISIT_BECAUSE, because, field="because")
    problems.raise_any()
    return MonitoringVisit.objects.create(
        provider=provider,
        local_authority_id=membership.local_authority_id,
        reason=reason,
        scheduled_for=scheduled_for,
        officer=user,
        scheduled_because=because,
    )


def schedule_concern_visit(
    *, la: LocalAuthority, provider: Provider, after: datetime.date, because: str, user: User | None = None
) -> MonitoringVisit | None:
    """A visit within the LA's concern window (20 working days unless its policy says otherwise) after a red rating
    or an upheld complaint, unless a visit not yet held is already planned by then. Call inside a transaction."""
    due = add_working_days(after, quality_policy_for(la).concern_visit_working_days)
    already = MonitoringVisit.objects.filter(
        local_authority=la, provider=provider, held_on__isnull=True, scheduled_for__lte=due
    )
    if already.exists():
        return None
    return MonitoringVisit.objects.create(
        provider=provider,
        local_authority=la,
        reason=MonitoringVisit.Reason.CONCERN,
        scheduled_for=due,
        officer=user,
        scheduled_because=because[:200],
    )


def _concern_visit(
    about: MonitoringVisit | Complaint, *, after: datetime.date, because: str, user: User
) -> MonitoringVisit | None:
    """The concern visit a red rating or an upheld complaint calls for, at the provider it is about."""
    return schedule_concern_visit(
        la=about.local_authority, provider=about.provider, after=after, because=because, user=user
    )


@transaction.atomic
def reschedule_visit(*, user: User, visit: MonitoringVisit, scheduled_for: datetime.date) -> MonitoringVisit:
    _la_editor(user, visit.local_authority_id, "change the date of this visit")
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.held_on is not None:
        raise DomainError("This visit has been held: its date cannot change", field="scheduled_for")
    if scheduled_for < clock_today():
        raise DomainError("The date of the visit must be today or in the future", field="scheduled_for")
    visit.scheduled_for = scheduled_for
    visit.save(update_fields=["scheduled_for"])
    return visit


# --- Recording a visit -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitRecorded:
    visit: MonitoringVisit
    concern_visit: MonitoringVisit | None  # planned because the visit found something red


def _is_red(visit: MonitoringVisit) -> bool:
    return visit.overall == Rating.RED or visit.ratings.filter(rating=Rating.RED).exists()


@transaction.atomic
def record_visit(
    *,
    user: User,
    visit: MonitoringVisit,
    held_on: datetime.date,
    ratings: Mapping[str, tuple[str, str]],
    overall: str,
    summary: str,
) -> VisitRecorded:
    """Record what a visit found: a rating with a note for each QA area, an overall rating and a summary.

    `ratings` maps each QAArea value to (rating, note); amber and red need a note saying why. A red rating (overall
    or in any area) plans a concern visit. Recording again corrects the ratings.
    """
    _la_editor(user, visit.local_authority_id, "record this visit")
    # Every area, the overall rating and the summary are checked together: the officer is told all that is missing.
    problems = Problems()
    if held_on > clock_today():
        problems.add("The date the visit was held must be today or in the past", field="held_on")
    cleaned: dict[str, tuple[str, str]] = {}
    for area in QAArea:
        rating, note = ratings.get(area.value, ("", ""))
        if rating not in Rating.values:
            problems.add(f"Choose a rating for {area.label}", field=area.value)
            continue
        note = (note or "").strip()
        if rating != Rating.GREEN and not note:
            problems.add(f"Say why {area.label.lower()} is {Rating(rating).name.lower()}", field=f"{area.value}_note")
        else:
            with problems.check():
                note = check_limit(area_note(area.label), note, field=area.value)
        cleaned[area.value] = (rating, note)
    if overall not in Rating.values:
        problems.add("Choose an overall rating", field="overall")
    with problems.check():
        summary = _text(summary, field="summary", missing="Write a summary of the visit", limit=SUMMARY)
    problems.raise_any()
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    was_red = visit.held_on is not None and _is_red(visit)
    visit.held_on = held_on
    visit.overall = overall
    visit.summary = summary
    visit.officer = user
    visit.save(update_fields=["held_on", "overall", "summary", "officer"])
    for area_code, (rating, note) in cleaned.items():
        VisitRating.objects.update_or_create(visit=visit, area=area_code, defaults={"rating": rating, "note": note})
    concern = None
    if not was_red and _is_red(visit):
        concern = _concern_visit(
            visit, after=held_on, because=f"Red rating at the visit of {long_date(held_on)}", user=user
        )
    return VisitRecorded(visit=visit, concern_visit=concern)


# --- Actions ---------------------------------------------------------------------------------------------------


@transaction.atomic
def add_action(
    *, user: User, visit: MonitoringVisit, description: str, owner: str, due_on: datetime.date
) -> VisitAction:
    _la_editor(user, visit.local_authority_id, "add actions to this visit")
    visit = MonitoringVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.held_on is None:
        raise DomainError("Record the visit before adding its actions", field="description")
    problems = Problems()
    with problems.check():
        description = _text(description, field="description", missing="Describe the action", limit=ACTION)
    with problems.check():
        owner = _text(owner, field="owner", missing="Say who will do it", limit=ACTION_OWNER)
    if due_on < visit.held_on:
        problems.add("The action cannot be due before the visit was held", field="due_on")
    problems.raise_any()
    return VisitAction.objects.create(visit=visit, description=description, owner=owner, due_on=due_on)


@transaction.atomic
def note_action(*, user: User, action: VisitAction, note: str) -> VisitAction:
    """The provider says what it has done; the LA reads the note and closes the action."""
    require(
        can_note_action(membership_of(user), action),
        "Only the provider's staff can add a progress note to this action.",
    )
    action = VisitAction.objects.select_for_update().get(pk=action.pk)
    if action.done_on is not None:
        raise DomainError("This action is closed: the local authority marked it done", field="note")
    action.provider_note = _text(note, field="note", missing="Say what you have done", limit=NOTE)
    action.provider_noted_at = now()
    action.save(update_fields=["provider_note", "provider_noted_at"])
    return action


@transaction.atomic
def close_action(*, user: User, action: VisitAction, done_on: datetime.date, note: str) -> VisitAction:
    _la_editor(user, action.visit.local_authority_id, "mark this action done")
    action = VisitAction.objects.select_for_update().select_related("visit").get(pk=action.pk)
    if action.done_on is not None:
        raise DomainError("This action is already marked done", field="done_on")
    problems = Problems()
    if done_on > clock_today():
        problems.add("The date it was done must be today or in the past", field="done_on")
    elif action.visit.held_on and done_on < action.visit.held_on:
        problems.add("The action cannot be done before the visit that set it", field="done_on")
    with problems.check():
        done_note = _text(note, field="note", missing="Say how the action was done", limit=NOTE)
    problems.raise_any()
    action.done_note = done_note
    action.done_on = done_on
    action.done_by = user
    action.save(update_fields=["done_on", "done_note", "done_by"])
    return action


# --- Complaints ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_complaint(*, user: User, provider: Provider, received_on: datetime.date, summary: str) -> Complaint:
    membership = _own_la_editor(user, "record complaints")
    if not Provider.objects.visible_to(user).filter(pk=provider.pk).exists():
        raise NotPermitted("This provider does not work in your local authority.")
    assert membership.local_authority_id is not None  # an LA role's membership names its LA (check constraint)
    problems = Problems()
    if received_on > clock_today():
        problems.add("The date the complaint was received must be today or in the past", field="received_on")
    with problems.check():
        summary = _text(summary, field="summary", missing="Say what the complaint is about", limit=SUMMARY)
    problems.raise_any()
    return Complaint.objects.create(
        provider=provider, local_authority_id=membership.local_authority_id, received_on=received_on, summary=summary
    )


@dataclass(frozen=True)
class ComplaintDecided:
    complaint: Complaint
    concern_visit: MonitoringVisit | None


@transaction.atomic
def decide_complaint(*, user: User, complaint: Complaint, upheld: bool) -> ComplaintDecided:
    """Close a complaint as upheld or not; an upheld one plans a concern visit."""
    _la_editor(user, complaint.local_authority_id, "decide this complaint")
    complaint = Complaint.objects.select_for_update().select_related("provider", "local_authority").get(pk=complaint.pk)
    if complaint.closed_on is not None:
        raise DomainError("This complaint has already been decided", field="upheld")
    decided_on = clock_today()
    complaint.upheld = upheld
    complaint.closed_on = decided_on
    complaint.save(update_fields=["upheld", "closed_on"])
    concern = None
    if upheld:
        because = f"Complaint received on {long_date(complaint.received_on)} upheld"
        concern = _concern_visit(complaint, after=decided_on, because=because, user=user)
    return ComplaintDecided(complaint=complaint, concern_visit=concern)


# --- Suspension and removal ------------------------------------------------------------------------------------


class AdmissionMove:
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REMOVE = "remove"


REFUSED = {
    AdmissionMove.SUSPEND: "Only an admitted provider can be suspended",
    AdmissionMove.REINSTATE: "Only a suspended provider can be reinstated; a removed one must apply again",
    AdmissionMove.REMOVE: "This provider has already been removed",
}
OWNER_SIDE = frozenset({"owner"})  # officers and admins of the LA that runs the arrangement (can_change_admission)
NOT_OWNER = "Only officers of the local authority that runs the arrangement can change an admission."

# Removal is final: a removed provider applies again to come back. A refused move is shown against the reason.
ADMISSION: Lifecycle[str, str] = Lifecycle(
    "admission",
    {
        (Admission.Status.ADMITTED, AdmissionMove.SUSPEND): Move(Admission.Status.SUSPENDED, OWNER_SIDE),
        (Admission.Status.SUSPENDED, AdmissionMove.REINSTATE): Move(Admission.Status.ADMITTED, OWNER_SIDE),
        (Admission.Status.ADMITTED, AdmissionMove.REMOVE): Move(Admission.Status.REMOVED, OWNER_SIDE),
        (Admission.Status.SUSPENDED, AdmissionMove.REMOVE): Move(Admission.Status.REMOVED, OWNER_SIDE),
    },
    choices=Admission.Status,
    invalid=lambda state, move: REFUSED.get(move, "That change is not possible"),
    refused=lambda state, move: NOT_OWNER,
    field="reason",
)

REASON_MISSING = {
    AdmissionMove.SUSPEND: "Say why the provider is suspended",
    AdmissionMove.REINSTATE: "Say why the provider is reinstated",
    AdmissionMove.REMOVE: "Say why the provider is removed",
}


def admission_moves(admission: Admission) -> list[str]:
    """The moves the owner LA may make now, in the table's order (the page's buttons)."""
    allowed = ADMISSION.allowed(admission.status, OWNER_SIDE)
    return [move for move in ADMISSION.actions if move in allowed]


@transaction.atomic
def change_admission(*, user: User, admission: Admission, move: str, reason: str) -> Admission:
    """Suspend (no new placements under the lot), reinstate, or remove (eligibility ends for good) an admission.

    Only the arrangement's owner LA decides; a partner LA sees the admission and asks the owner. Placements already
    running are not ended here: the page lists them for the officers to review one by one.
    """
    require(can_change_admission(membership_of(user), admission), NOT_OWNER)
    reason = _text(reason, field="reason", missing=REASON_MISSING.get(move, "Give a reason"), limit=REASON)
    admission = (
        Admission.objects.select_for_update().select_related("provider", "lot__arrangement").get(pk=admission.pk)
    )
    target = ADMISSION.check(admission.status, move, OWNER_SIDE).to
    admission.status = target
    admission.status_reason = reason
    admission.status_changed_at = now()
    admission.status_changed_by = user
    admission.save(update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"])
    from aphub.duties.notify import notify

    staff = Membership.objects.filter(user__is_active=True, role=Role.PROVIDER_STAFF, provider_id=admission.provider_id)
    word = {Admission.Status.SUSPENDED: "suspended", Admission.Status.ADMITTED: "reinstated"}.get(
        Admission.Status(target), "removed"
    )
    notify(
        recipients=staff.values_list("user__email", flat=True),
        subject=f"Your admission to {admission.lot} is {word}",
        body=(
            f"{admission.lot.arrangement.title}: {admission.provider.display_name}'s admission to {admission.lot} is "
            f"{word}.\n\nThe local authority's reason: {reason}\n\n"
            + (
                "No new placements can be made under it while the suspension lasts; placements already running "
                "carry on while the local authority reviews them."
                if target == Admission.Status.SUSPENDED
                else "No new placements can be made under it."
                if target == Admission.Status.REMOVED
                else "New placements can be made under it again."
            )
        ),
    )
    return admission


# --- Evidence status and reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: str
    title: str
    expires_on: datetime.date | None


@dataclass
class EvidenceStatus:
    expired: list[CriterionEvidence] = field(default_factory=list)
    expiring: list[CriterionEvidence] = field(default_factory=list)  # within EXPIRING_WITHIN_DAYS
    missing: list[Criterion] = field(default_factory=list)  # asked for by a lot it is admitted to; none held
    below_minimum: list[Criterion] = field(default_factory=list)  # cover below what an asking lot requires
    asked: bool = False  # some lot (admitted to, or applied for) asks evidence of the provider

    @property
    def in_date(self) -> bool:
        return not self.expired and not self.missing and not self.below_minimum


def current_evidence(evidence: Iterable[Evidence]) -> dict[tuple[int, str], Evidence]:
    """(provider id, criterion) -> the evidence that counts: the one lasting longest (no expiry beats any date).
    A renewal uploaded before the old document expires replaces it, so the old one raises no reminder."""
    best: dict[tuple[int, str], Evidence] = {}
    for item in evidence:
        if item.scan_status == Evidence.Scan.INFECTED:
            continue
        key = (item.provider_id, item.criterion)
        held = best.get(key)
        if held is None or _lasts_longer(item, held):
            best[key] = item
    return best


def _lasts_longer(item: Evidence, than: Evidence) -> bool:
    if than.expires_on is None:
        return False
    return item.expires_on is None or item.expires_on > than.expires_on


def _applies(criterion: Criterion, provider: Provider) -> bool:
    unregistered = provider.registration_status == Provider.RegistrationStatus.UNREGISTERED
    return (
        criterion.applies_to == "all"
        or (criterion.applies_to == "unregistered" and unregistered)
        or (criterion.applies_to == "registered" and not unregistered)
    )


def evidence_statuses(
    providers: Iterable[Provider],
    admissions: Iterable[Admission],
    *,
    today: datetime.date,
    applied_for: Mapping[int, Iterable[Lot]] | None = None,
) -> dict[int, EvidenceStatus]:
    """Each provider's evidence: what has expired, what expires within 30 days, what its admitted lots ask for and
    it does not hold or holds with too little cover. Read from the provider's whole evidence register (documents are
    held once and reused across arrangements); only criteria and dates are returned, never the files.

    Each criterion a lot asks for is judged by `application_queries.assess`, the rule of the provider's own
    readiness checklist, so no page calls evidence in date that the provider's checklist shows missing. A provider
    admitted to no lot is judged on the lots it applies for (`applied_for`: provider id -> lots), when given."""
    providers = list(providers)
    statuses = {provider.pk: EvidenceStatus() for provider in providers}
    by_pk = {provider.pk: provider for provider in providers}
    register = list(Evidence.objects.filter(provider_id__in=list(statuses)).order_by("pk"))
    held = current_evidence(register)
    titles = _criterion_titles()
    asking: dict[int, list[Lot]] = defaultdict(list)
    for admission in admissions:
        if admission.status == Admission.Status.ADMITTED and admission.provider_id in statuses:
            asking[admission.provider_id].append(admission.lot)
    for provider_id, lots in (applied_for or {}).items():
        if provider_id in statuses and provider_id not in asking:
            asking[provider_id] = list(lots)
    wanted: dict[int, dict[str, Criterion]] = defaultdict(dict)
    for provider_id, lots in asking.items():
        for lot in lots:
            for criterion in criteria_for_lot(lot):
                if _applies(criterion, by_pk[provider_id]):
                    wanted[provider_id][criterion.code] = criterion
    horizon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    for (provider_id, code), item in sorted(held.items(), key=lambda pair: (pair[0], pair[1].expires_on or today)):
        if item.expires_on is None:
            continue
        row = CriterionEvidence(code, titles.get(code, item.title), item.expires_on)
        if item.expires_on < today:
            statuses[provider_id].expired.append(row)
        elif item.expires_on <= horizon:
            statuses[provider_id].expiring.append(row)
    by_criterion: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for item in register:
        by_criterion[(item.provider_id, item.criterion)].append(item)
    for provider_id, criteria in wanted.items():
        status = statuses[provider_id]
        status.asked = bool(criteria)
        for code, criterion in criteria.items():
            judged = assess(criterion, by_criterion[(provider_id, code)], on=today)
            if judged.state == Readiness.BELOW_MINIMUM:
                status.below_minimum.append(criterion)
            elif judged.state == Readiness.MISSING and not _expired(held.get((provider_id, code)), today):
                status.missing.append(criterion)  # an expired document is listed once, as expired
    return statuses


def _expired(item: Evidence | None, today: datetime.date) -> bool:
    return item is not None and item.expires_on is not None and item.expires_on < today


def _stage_for(days_left: int) -> str | None:
    if days_left < 0:
        return EvidenceReminder.Stage.EXPIRED
    if days_left <= REMINDER_DAYS[EvidenceReminder.Stage.DAYS_7]:
        return EvidenceReminder.Stage.DAYS_7
    if days_left <= REMINDER_DAYS[EvidenceReminder.Stage.DAYS_30]:
        return EvidenceReminder.Stage.DAYS_30
    return None


STAGE_ORDER: list[str] = [EvidenceReminder.Stage.DAYS_30, EvidenceReminder.Stage.DAYS_7, EvidenceReminder.Stage.EXPIRED]


def _evidence_recipients(provider_ids: set[int]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """(provider staff by provider, LA officers by provider): officers of every LA whose arrangement the provider
    is admitted to or suspended from, since those LAs rely on the evidence."""
    staff: dict[int, set[str]] = defaultdict(set)
    for provider_id, email in Membership.objects.filter(
        user__is_active=True, role=Role.PROVIDER_STAFF, provider_id__in=provider_ids
    ).values_list("provider_id", "user__email"):
        staff[provider_id].add(email)
    la_ids_of: dict[int, set[int]] = defaultdict(set)
    standing = Admission.objects.filter(
        provider_id__in=provider_ids, status__in=[Admission.Status.ADMITTED, Admission.Status.SUSPENDED]
    )
    for provider_id, owner_id, partner_id in standing.values_list(
        "provider_id", "lot__arrangement__owner_id", "lot__arrangement__partners"
    ):
        la_ids_of[provider_id].add(owner_id)
        if partner_id:
            la_ids_of[provider_id].add(partner_id)
    officers_of_la: dict[int, set[str]] = defaultdict(set)
    all_las = set().union(*la_ids_of.values()) if la_ids_of else set()
    for la_id, email in Membership.objects.filter(
        user__is_active=True, role=Role.LA_OFFICER, local_authority_id__in=all_las
    ).values_list("local_authority_id", "user__email"):
        officers_of_la[la_id].add(email)
    officers = {pid: set().union(*(officers_of_la[la] for la in las)) for pid, las in la_ids_of.items()}
    return staff, defaultdict(set, officers)


def _reminder_message(item: Evidence, stage: str, title: str) -> tuple[str, str]:
    base = getattr(settings, "APHUB_BASE_URL", "").rstrip("/")
    provider = item.provider.display_name
    expires = long_date(item.expires_on)
    if stage == EvidenceReminder.Stage.EXPIRED:
        subject = f"{provider}: {title} expired on {expires}"
        opening = f"{provider}'s evidence for '{title}' ({item.title}) expired on {expires}."
        ask = "Upload the renewed document in AP Hub. Until then the provider's checks show evidence out of date."
    else:
        subject = f"{provider}: {title} expires on {expires}"
        opening = f"{provider}'s evidence for '{title}' ({item.title}) expires on {expires}."
        ask = "Upload the renewed document in AP Hub before then, so schools and the local authority see it in date."
    return subject, f"{opening}\n\n{ask}\n\nSign in: {base}{reverse('organisations:home')}"


@dataclass
class EvidenceSwept:
    by_stage: dict[str, int] = field(default_factory=lambda: {stage: 0 for stage in STAGE_ORDER})

    @property
    def sent(self) -> int:
        return sum(self.by_stage.values())


def send_evidence_reminders(*, today: datetime.date) -> EvidenceSwept:
    """Remind the provider's staff and the LA officers 30 days and 7 days before evidence expires, and flag expired
    evidence of admitted providers; each stage once (EvidenceReminder is unique per evidence and stage).

    When the sweep missed a stage (it did not run, or the document was uploaded late), only the latest stage is
    sent and the earlier ones are recorded as passed, so nobody receives a 30-day reminder after a 7-day one.
    """
    from aphub.duties.notify import notify

    horizon = today + datetime.timedelta(days=REMINDER_DAYS[EvidenceReminder.Stage.DAYS_30])
    soon = Evidence.objects.filter(expires_on__lte=horizon).exclude(scan_status=Evidence.Scan.INFECTED)
    keys = set(soon.values_list("provider_id", "criterion"))
    result = EvidenceSwept()
    if not keys:
        return result
    providers = {provider_id for provider_id, _ in keys}
    candidates = Evidence.objects.filter(provider_id__in=providers).select_related("provider").order_by("pk")
    current = [item for key, item in current_evidence(candidates).items() if key in keys and item.expires_on]
    sent_stages: dict[int, set[str]] = defaultdict(set)
    for evidence_id, sent in EvidenceReminder.objects.filter(evidence__in=current).values_list("evidence_id", "stage"):
        sent_stages[evidence_id].add(sent)
    admitted = set(
        Admission.objects.filter(provider_id__in=providers, status=Admission.Status.ADMITTED).values_list(
            "provider_id", flat=True
        )
    )
    staff, officers = _evidence_recipients(providers)
    titles = _criterion_titles()
    for item in sorted(current, key=lambda evidence: (evidence.expires_on, evidence.pk)):
        assert item.expires_on is not None  # `current` holds only evidence that expires
        stage = _stage_for((item.expires_on - today).days)
        if stage is None or stage in sent_stages[item.pk]:
            continue
        if stage == EvidenceReminder.Stage.EXPIRED and item.provider_id not in admitted:
            continue  # expired evidence is flagged for admitted providers; the others were reminded before
        recipients = sorted(staff[item.provider_id] | officers[item.provider_id])
        passed = [earlier for earlier in STAGE_ORDER[: STAGE_ORDER.index(stage)] if earlier not in sent_stages[item.pk]]
        subject, body = _reminder_message(item, stage, titles.get(item.criterion, item.title))
        try:
            with transaction.atomic():
                EvidenceReminder.objects.create(evidence=item, stage=stage, recipients="\n".join(recipients))
                EvidenceReminder.objects.bulk_create(EvidenceReminder(evidence=item, stage=p) for p in passed)
                Evidence.objects.filter(pk=item.pk).update(expiry_reminded_at=now())
                notify(recipients=recipients, subject=subject, body=body)
        except IntegrityError:
            continue  # another sweep sent it first
        result.by_stage[stage] += 1
    return result


def _criterion_titles() -> dict[str, str]:
    from aphub.commissioning.arrangements.criteria import _all_versions

    titles: dict[str, str] = {}
    for criteria in _all_versions().values():
        for criterion in criteria.criteria:
            titles.setdefault(criterion.code, criterion.title)
    return titles
