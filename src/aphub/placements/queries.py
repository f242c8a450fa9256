"""Reads of a child's journey, always scoped to the user: every one starts from Model.objects.visible_to(user)."""

import datetime
from dataclasses import dataclass, field, replace

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.utils.timezone import localdate

from aphub.commissioning.arrangements.eligibility import contract_for, lot_admissions
from aphub.commissioning.models import Admission, Contract, Lot
from aphub.core.clock import today
from aphub.core.days.school_years import dates_of_birth_in_key_stage
from aphub.core.web.query_filters import each_word_matches
from aphub.directory.models import Provision
from aphub.duties.models import Clock
from aphub.organisations.models import LA_MEMBER_ROLES, LA_ROLES, Provider, Role, School
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.queries import rates_by_placement
from aphub.placements.referrals.queries import referrals_visible_to
from aphub.placements.reviews.queries import follow_up_state
from aphub.pupils.models import Enrolment, Pupil
from aphub.pupils.sensitive import sensitive_fields_for

from . import oversight
from .models import (
    AbsenceAlert,
    Episode,
    EpisodeChange,
    FollowUp,
    OutcomeArea,
    PanelDecision,
    Placement,
    Referral,
    ReferralDocument,
    Review,
    Route,
    WaitingListEntry,
)
from .oversight import count_unregistered, limit_breaches, registration_warnings

# The pupils list's "current placement": one that holds a place, the one the child attends before one accepted or
# offered, then the latest start.
CURRENT_PLACEMENT_RANK = Case(
    When(status=Placement.Status.ACTIVE, then=Value(0)),
    When(status=Placement.Status.ACCEPTED, then=Value(1)),
    default=Value(2),
)
# The pupils list's filter on the current placement: any, none, or its status.
PLACEMENT_FILTERS = {
    "current": "Has a current placement",
    "none": "No current placement",
    **{value: f"{label} placement" for value, label in Placement.Status.choices if value in Placement.HOLDING_STATES},
}


def pupils_for(
    user,
    *,
    words: str = "",
    school_id: int | None = None,
    placement: str = "",
    tier: str = "",
    key_stage: str = "",
) -> QuerySet[Pupil]:
    """The pupils the user may see, with the school of their current enrolment and their current placement, each as
    far as the user may see it (school staff see their own school's enrolments, a provider its own placements).

    Annotated in one query whatever the number of rows: current_school_name, current_placement_id, _status, _tier,
    current_provision_name.
    """
    matching = Pupil.objects.visible_to(user).select_related("local_authority")
    words = words.strip()
    if words:
        upn = words.upper().replace(" ", "")
        names = ("first_name__icontains", "last_name__icontains", "preferred_name__icontains")
        matching = matching.filter(Q(upn=upn) | each_word_matches(words, names, most=5))
    enrolment = (
        Enrolment.objects.visible_to(user)
        .filter(pupil_id=OuterRef("pk"), end_date__isnull=True)
        .order_by("-start_date", "-id")
    )
    current = (
        Placement.objects.visible_to(user)
        .filter(pupil_id=OuterRef("pk"), status__in=Placement.HOLDING_STATES)
        .annotate(rank=CURRENT_PLACEMENT_RANK)
        .order_by("rank", "-start_date", "-id")
    )
    pupils = matching.annotate(
        current_school_id=Subquery(enrolment.values("school_id")[:1]),
        current_school_name=Subquery(enrolment.values("school__name")[:1]),
        current_placement_id=Subquery(current.values("pk")[:1]),
        current_placement_status=Subquery(current.values("status")[:1]),
        current_placement_tier=Subquery(current.values("tier")[:1]),
        current_provision_name=Subquery(current.values("provision__name")[:1]),
    )
    if school_id:
        pupils = pupils.filter(current_school_id=school_id)
    if placement == "current":
        pupils = pupils.filter(current_placement_id__isnull=False)
    elif placement == "none":
        pupils = pupils.filter(current_placement_id__isnull=True)
    elif placement in Placement.HOLDING_STATES:
        pupils = pupils.filter(current_placement_status=placement)
    if tier:
        pupils = pupils.filter(current_placement_tier=tier)
    if key_stage:
        # In the database, on dates of birth: a key stage is a range of birthdays in the current school year.
        earliest, latest = dates_of_birth_in_key_stage(key_stage, today())
        if earliest is not None:
            pupils = pupils.filter(date_of_birth__gte=earliest)
        if latest is not None:
            pupils = pupils.filter(date_of_birth__lte=latest)
    return pupils.order_by("last_name", "first_name", "id")


def schools_of_pupils(user) -> list[School]:
    """The schools where the user's visible pupils are on the roll now, for the pupils list's filter."""
    on_roll = Enrolment.objects.visible_to(user).filter(end_date__isnull=True).values("school_id")
    return list(School.objects.filter(pk__in=on_roll).order_by("name"))


def pupil_for(user, pk: int) -> Pupil:
    """The pupil, or a 404 when missing or not the user's to see (the same answer, so nothing leaks)."""
    return get_object_or_404(Pupil.objects.visible_to(user).select_related("local_authority"), pk=pk)


def placement_for(user, pk: int) -> Placement:
    return get_object_or_404(
        Placement.objects.visible_to(user).select_related(
            "pupil__local_authority",
            "provision__provider",
            "episode__school",
            "route",
            "commissioning_school",
            "destination_school",
            "referral",
            "lot__arrangement",
        ),
        pk=pk,
    )


def followed(user, placement: Placement) -> Placement | None:
    """The placement this one follows (Placement.follows), when the user may see it: a provider's staff see their
    own placements only, not where the child was before."""
    if placement.follows_id is None:
        return None
    return (
        Placement.objects.visible_to(user).select_related("provision__provider").filter(pk=placement.follows_id).first()
    )


def placements_for(
    user, *, status: str = "", provision_id: int | None = None, lot_id: int | None = None
) -> QuerySet[Placement]:
    placements = Placement.objects.visible_to(user).select_related(
        "pupil", "provision__provider", "commissioning_school"
    )
    if status:
        placements = placements.filter(status=status)
    if provision_id:
        placements = placements.filter(provision_id=provision_id)
    if lot_id:
        placements = placements.filter(lot_id=lot_id)
    return placements.order_by("-start_date", "-id")


def lots_of_placements(user) -> list[Lot]:
    """The lots (or parts) the user's visible placements are bought under, for the placements list's filter."""
    used = Placement.objects.visible_to(user).filter(lot__isnull=False).values("lot_id")
    return list(Lot.objects.filter(pk__in=used).select_related("arrangement").order_by("arrangement__title", "number"))


def lot_contract(placement: Placement) -> Contract | None:
    """The provider's contract under the arrangement of the placement's lot, when it is bought under one."""
    return contract_for(provider_id=placement.provision.provider_id, lot=placement.lot)


def lot_admissions_for(user) -> list[Admission]:
    """Admissions to the commissioner's LA's lots, for the offer form (it lists the admitted ones)."""
    return list(lot_admissions(user, only_admitted=False))


def offers_waiting_for(user) -> QuerySet[Placement]:
    """Provider staff: placements offered to them and not yet answered, oldest offer first."""
    return placements_for(user, status=Placement.Status.OFFERED).order_by("offered_at", "id")


def open_episodes(user, pupil: Pupil) -> QuerySet[Episode]:
    return Episode.objects.visible_to(user).filter(pupil=pupil, status=Episode.Status.OPEN).select_related("route")


def episode_for(user, pk: int) -> Episode:
    return get_object_or_404(
        Episode.objects.visible_to(user).select_related("pupil__local_authority", "route", "school"), pk=pk
    )


def clocks_of_episode(user, episode: Episode) -> list[Clock]:
    """The clocks an episode started itself (not its placements'), not yet withdrawn, running ones first."""
    clocks = list(
        Clock.objects.visible_to(user)
        .filter(episode=episode, placement__isnull=True)
        .exclude(state=Clock.State.WITHDRAWN)
        .select_related("owner_school")
    )
    for clock in clocks:
        clock.label = clock_label(clock.rule)
    return sorted(clocks, key=lambda clock: (clock.state not in Clock.RUNNING_STATES, clock.due_on))


def provisions_to_commission(user) -> QuerySet[Provision]:
    """Published provisions in the commissioner's LA's directory."""
    membership = membership_of(user)
    if membership is None:
        return Provision.objects.none()
    if membership.role in LA_ROLES:
        la_id = membership.local_authority_id
    elif membership.role == Role.SCHOOL_STAFF and membership.school is not None:
        la_id = membership.school.local_authority_id
    else:
        return Provision.objects.none()
    return (
        Provision.objects.filter(status=Provision.Status.PUBLISHED, local_authority_id=la_id)
        .select_related("provider")
        .order_by("name")
    )


def schools_for_destination(user) -> QuerySet[School]:
    membership = membership_of(user)
    if membership is None:
        return School.objects.none()
    la_id = membership.home_local_authority.pk if membership.home_local_authority else None
    return School.objects.filter(local_authority_id=la_id, is_open=True).order_by("name")


def waiting_list_for(user, *, provision_id: int | None = None) -> QuerySet[WaitingListEntry]:
    entries = WaitingListEntry.objects.visible_to(user).filter(status=WaitingListEntry.Status.WAITING)
    if provision_id:
        entries = entries.filter(provision_id=provision_id)
    return entries.select_related("pupil", "provision__provider")


@dataclass
class Event:
    on: datetime.date
    title: str
    detail: str = ""
    url: str = ""


@dataclass
class OutcomeTable:
    """One placement's outcome scores: a row per outcome area, a column per review (start, reviews, exit)."""

    placement: Placement
    reviews: list[Review]
    rows: list[tuple[str, list[int | None]]]


AREA_ORDER = {area: position for position, area in enumerate(OutcomeArea.values)}


def outcome_table(placement: Placement) -> OutcomeTable | None:
    reviews = sorted(placement.reviews.all(), key=lambda review: (review.held_on, review.pk))
    if not reviews:
        return None
    scores = [{score.area: score.score for score in review.scores.all()} for review in reviews]
    rows = [(area.label, [each.get(area.value) for each in scores]) for area in OutcomeArea]
    return OutcomeTable(placement, reviews, rows)


@dataclass
class Timeline:
    pupil: Pupil
    sensitive: frozenset[str]
    enrolments: list[Enrolment]
    clocks: list[Clock]
    episodes: list[Episode]
    referrals: list[Referral]
    decisions: list[PanelDecision]
    placements: list[Placement]
    documents: list[ReferralDocument]
    outcomes: list[OutcomeTable] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Episodes and clocks exist for the child but the reader's role may not see them (a provider): the page says
    # so rather than "none".
    episodes_and_clocks_withheld: bool = False
    decisions_withheld: bool = False
    # Checks that a return to school lasted, shown from the day the placement ended (not only near their due date).
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def running_clocks(self) -> list[Clock]:
        return [clock for clock in self.clocks if clock.state in Clock.RUNNING_STATES]


def timeline_for(user, pupil: Pupil) -> Timeline:
    """The whole journey of one child, as far as the user may see it; a constant number of queries."""
    enrolments = list(Enrolment.objects.visible_to(user).filter(pupil=pupil).select_related("school"))
    clocks = list(
        Clock.objects.visible_to(user).filter(pupil=pupil).select_related("owner_school", "met_by__provision")
    )
    episodes = list(
        Episode.objects.visible_to(user)
        .filter(pupil=pupil)
        .select_related("route", "school")
        .prefetch_related("changes__changed_by")
    )
    # Others' drafts stay with their authors (referral_queries), on the timeline as on the referral pages.
    referrals = list(
        referrals_visible_to(user).filter(pupil=pupil).select_related("referring_school", "episode__route")
    )
    decisions = list(
        PanelDecision.objects.visible_to(user)
        .filter(referral__pupil=pupil)
        .select_related("meeting", "provision", "decided_by")
    )
    placements = list(
        Placement.objects.visible_to(user)
        .filter(pupil=pupil)
        .select_related("provision__provider", "commissioning_school", "destination_school", "route")
        .prefetch_related("reviews__scores", "absence_alerts")
    )
    documents = list(ReferralDocument.objects.filter(referral__in=[r.pk for r in referrals]).select_related("referral"))
    timeline = Timeline(
        pupil=pupil,
        sensitive=sensitive_fields_for(user),
        enrolments=enrolments,
        clocks=clocks,
        episodes=episodes,
        referrals=referrals,
        decisions=decisions,
        placements=placements,
        documents=documents,
        outcomes=[table for table in map(outcome_table, placements) if table is not None],
        episodes_and_clocks_withheld=not (Episode.objects.role_sees_any(user) and Clock.objects.role_sees_any(user)),
        decisions_withheld=not PanelDecision.objects.role_sees_any(user),
    )
    attendance = rates_by_placement(placements)
    for placement in placements:
        placement.attendance = attendance.get(placement.pk)  # Rates, or None before the first register
    for clock in clocks:
        clock.label = clock_label(clock.rule)
    timeline.follow_ups = list(
        FollowUp.objects.visible_to(user).filter(placement__pupil=pupil).select_related("placement__provision")
    )
    for follow_up in timeline.follow_ups:
        follow_up.state = follow_up_state(follow_up)
    timeline.events = _events(timeline)
    return timeline


REVIEW_NAMES = {Review.Kind.START: "Start review", Review.Kind.REVIEW: "Review", Review.Kind.EXIT: "Exit review"}


def _events(timeline: Timeline) -> list[Event]:
    events: list[Event] = []
    for episode in timeline.episodes:
        events.append(Event(episode.start_date, f"{episode.route.get_kind_display()} began", episode.summary))
        if episode.closed_on:
            events.append(Event(episode.closed_on, f"{episode.route.get_kind_display()} episode closed"))
        for change in episode.changes.all():
            what = "withdrawn: recorded in error" if change.action == EpisodeChange.Action.WITHDRAWN else "corrected"
            changed = "; ".join(f"{label} from {old} to {new}" for label, (old, new) in change.changes.items())
            detail = f"{changed}. Reason: {change.reason}" if changed else f"Reason: {change.reason}"
            events.append(
                Event(localdate(change.changed_at), f"{episode.route.get_kind_display()} episode {what}", detail)
            )
    for clock in timeline.clocks:
        if clock.state == Clock.State.MET and clock.met_on:
            late = " (late)" if clock.met_on > clock.due_on else ""
            events.append(Event(clock.met_on, f"Duty met{late}: {clock_label(clock.rule)}"))
    for referral in timeline.referrals:
        if referral.submitted_at:
            events.append(Event(referral.submitted_at.date(), "Referral sent to the AP panel"))
    for decision in timeline.decisions:
        where = f": {decision.provision}" if decision.provision_id else ""
        events.append(
            Event(decision.meeting.date, f"Panel decision: {decision.get_outcome_display()}{where}", decision.reasons)
        )
    for placement in timeline.placements:
        events.append(Event(placement.offered_at.date(), f"Placement offered at {placement.provision}"))
        if placement.status in (Placement.Status.ACTIVE, Placement.Status.ENDED):
            events.append(Event(placement.start_date, f"Started at {placement.provision}"))
        if placement.status == Placement.Status.CANCELLED:
            events.append(
                Event(
                    (placement.responded_at or placement.offered_at).date(),
                    f"Placement at {placement.provision} cancelled",
                )
            )
        for review in placement.reviews.all():
            label = REVIEW_NAMES[Review.Kind(review.kind)]
            in_order = sorted(review.scores.all(), key=lambda score: AREA_ORDER.get(score.area, len(AREA_ORDER)))
            scores = ", ".join(f"{score.get_area_display()} {score.score}" for score in in_order)
            detail = f"Outcome scores out of 5: {scores}" if scores else ""
            events.append(Event(review.held_on, f"{label} at {placement.provision}", detail))
        for alert in placement.absence_alerts.all():
            session = "morning" if alert.session == "AM" else "afternoon"
            if alert.kind == AbsenceAlert.Kind.NO_REASON:
                title = f"Absent with no reason yet ({session}) at {placement.provision}"
            else:
                title = f"Absences in a row, starting in the {session}, at {placement.provision}"
            events.append(Event(alert.date, title, "The commissioner and the school were alerted"))
        if placement.status == Placement.Status.ENDED and placement.end_date:
            events.append(
                Event(placement.end_date, f"Left {placement.provision}", placement.get_destination_display_text())
            )
    events.sort(key=lambda event: event.on, reverse=True)
    return events


CLOCK_LABELS = {
    "permanent-exclusion": "Full-time education from the 6th school day of the exclusion",
    "suspension": "Full-time education from the 6th school day of the suspension",
    "health-needs": "Provision for a child missing 15 or more school days through ill health",
    "governing-board-review": "Governing board considers reinstatement within 15 school days",
    "fair-access": "School place allocated under Fair Access within 20 school days",
    "placement-review": "Placement review",
    "planned-end": "Planned end of the placement",
    "part-time-review": "Review of the part-time arrangement",
}


def clock_label(rule: str) -> str:
    return CLOCK_LABELS.get(rule, rule.replace("-", " ").capitalize())


def routes_for(user) -> list[Route]:
    """The user's LA's routes into AP (seeded from seed 004 by services.ensure_routes)."""
    membership = membership_of(user)
    if membership is None or membership.role not in LA_MEMBER_ROLES:
        return []
    return list(Route.objects.visible_to(user).order_by("position", "pk"))


def route_for(user, pk: int) -> Route:
    return get_object_or_404(Route.objects.visible_to(user), pk=pk)


def approved_referral(user, pupil: Pupil, referral_id: str) -> Referral | None:
    """The panel-approved referral an offer answers (?referral=), when the user may read it; else None."""
    if not referral_id.isdigit():
        return None
    return referrals_visible_to(user).filter(pk=int(referral_id), pupil=pupil, status=Referral.Status.APPROVED).first()


def unregistered_warnings(user, placement: Placement) -> list[str]:
    """For a held place at an unregistered provider: the LA's limits it breaks (to its commissioners) and how near
    the provider is to having to register as a school (counts only, never a child, so to everyone on the page)."""
    provider = placement.provision.provider
    if (
        provider.registration_status != Provider.RegistrationStatus.UNREGISTERED
        or placement.status not in Placement.HOLDING_STATES
    ):
        return []
    warnings = []
    membership = membership_of(user)
    if membership is not None and (membership.role in LA_ROLES or membership.role == Role.SCHOOL_STAFF):
        for breach in limit_breaches([placement], today=today()):
            warnings += [f"{provider.display_name} is unregistered and this placement is over the LA's limit: {problem}"
                         for problem in breach.problems]  # fmt: skip
    count = count_unregistered(today=today(), provider_ids=[provider.pk]).get(provider.pk)
    if count is not None and not {"looked_after", "sen_status"} <= sensitive_fields_for(user):
        # On one child's page a count of looked-after or EHC-plan pupils can name that child's status (when the
        # provider has one pupil, or the warning stands on that count alone): a role that may not read those facts
        # (pupils.sensitive: auditors, finance officers) is warned on the full-time count only.
        count = replace(count, looked_after_or_ehcp=0, looked_after_or_ehcp_once_started=0)
    if count is not None and count.level:
        warnings += registration_warnings(provider, count)
    return warnings


# --- The LA's oversight of every child in AP, whoever arranged it (placements.oversight's rules) -----------------


def _running_placements_of_children(user, children: QuerySet[Placement]) -> QuerySet[Placement]:
    """Every running placement of the children who have one in `children`, as far as the user may see them, with
    what the oversight lists show of them."""
    return (
        Placement.objects.visible_to(user)
        .filter(status=Placement.Status.ACTIVE, pupil__in=children.values("pupil_id"))
        .select_related("pupil", "provision__provider", "commissioning_school", "episode__route")
    )


def _la_only(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role in LA_ROLES


def on_no_registered_roll(user, *, today: datetime.date) -> list[oversight.OnNoRoll]:
    """The LA's children in AP whom no registered school or provider holds on its roll (oversight.on_no_registered_roll
    says who, and why). LA roles only: a school sees its own pupils on their pages."""
    if not _la_only(user):
        return []
    at_unregistered = Placement.objects.visible_to(user).filter(
        status=Placement.Status.ACTIVE,
        provision__provider__registration_status=Provider.RegistrationStatus.UNREGISTERED,
    )
    enrolments = Enrolment.objects.visible_to(user).filter(pupil__in=at_unregistered.values("pupil_id"))
    return oversight.on_no_registered_roll(
        _running_placements_of_children(user, at_unregistered),
        enrolments.select_related("school"),
        today=today,
    )


def short_of_full_time(user, *, today: datetime.date) -> list[oversight.ShortOfFullTime]:
    """The LA's children whose part-time AP and time at school fall short of full-time education
    (oversight.short_of_full_time says how it is counted). LA roles only."""
    if not _la_only(user):
        return []
    part_time = Placement.objects.visible_to(user).filter(status=Placement.Status.ACTIVE, is_full_time=False)
    children = part_time.values("pupil_id")
    return oversight.short_of_full_time(
        _running_placements_of_children(user, part_time),
        Enrolment.objects.visible_to(user).filter(pupil__in=children),
        Episode.objects.visible_to(user).filter(pupil__in=children, status=Episode.Status.OPEN).select_related("route"),
        today=today,
    )
