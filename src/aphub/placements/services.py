"""Writes of a child's journey: routes, episodes, placements and the waiting list.

Placement lifecycle (one table, PLACEMENT): offered -> accepted -> active -> ended; offered or accepted ->
cancelled (the commissioner withdraws, or the provider declines). A place is held from the offer until the placement
ends or is cancelled; `offer_placement` locks the provision row so two offers never take the last place twice.
"""

import copy
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q

from aphub.audit.services import log_access
from aphub.commissioning.arrangements.eligibility import ineligibility
from aphub.core.clock import now, today
from aphub.core.days.dates import weekday_date
from aphub.core.days.school_days import SchoolCalendar, is_weekend
from aphub.core.errors import DomainError, DomainErrors, InvalidTransition, NotPermitted, Problems
from aphub.core.forms.validators import check_limit, check_limits, check_required
from aphub.core.lifecycle import Lifecycle, Move, from_each
from aphub.core.model_fields import own_field
from aphub.core.money import format_money
from aphub.core.permissions import require
from aphub.directory import public_cache
from aphub.directory.models import Provision
from aphub.duties import notifications
from aphub.duties import services as duties
from aphub.duties.calendars import calendar_for
from aphub.funding import services as funding
from aphub.organisations.models import LA_EDITORS, SCHOOL_ROLES, LocalAuthority, Payer, Role, School, User
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.pupils.models import Pupil
from aphub.pupils.services import current_school

from . import limits, rules, top_ups
from .models import (
    Commissioner,
    Destination,
    Episode,
    EpisodeChange,
    EpisodeKind,
    PanelDecision,
    Placement,
    PlacementChange,
    Referral,
    Registration,
    Route,
    Tier,
    WaitingListEntry,
)
from .permissions import can_change_commissioner, can_change_routes, can_commission, can_correct_episodes

if TYPE_CHECKING:
    from .oversight import ProviderCount

ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.json"
Status = Placement.Status

# Episodes a school may record itself: it commissions these (seed 004 section 7). The rest are the LA's.
SCHOOL_EPISODE_KINDS = frozenset(
    {
        EpisodeKind.SUSPENSION,
        EpisodeKind.OFF_SITE_DIRECTION,
        EpisodeKind.SHORT_TERM_INTERVENTION,
        EpisodeKind.PART_TIME_VOCATIONAL,
        EpisodeKind.HEALTH_NEEDS,
        EpisodeKind.LONG_TERM_AP,
    }
)


def default_routes() -> list[dict]:
    return json.loads(ROUTES_FILE.read_text())["routes"]


@transaction.atomic
def ensure_routes(*, local_authority: LocalAuthority) -> list[Route]:
    """Give an LA the default routes of seed 004 section 7 where it has none of that kind; never overwrite its own."""
    have = set(Route.objects.filter(local_authority=local_authority).values_list("kind", flat=True))
    created = [
        Route(local_authority=local_authority, position=position, **route)
        for position, route in enumerate(default_routes())
        if route["kind"] not in have
    ]
    Route.objects.bulk_create(created)
    return list(Route.objects.filter(local_authority=local_authority))


def _require_visible(user: User, pupil: Pupil) -> None:
    if not Pupil.objects.visible_to(user).filter(pk=pupil.pk).exists():
        raise NotPermitted("You cannot act for this pupil")


# --- Episodes -------------------------------------------------------------------------------------------------


def _open_permanent_exclusion_since(pupil: Pupil, *, other_than: Episode | None = None) -> datetime.date | None:
    others = Episode.objects.filter(
        pupil=pupil, status=Episode.Status.OPEN, route__kind=EpisodeKind.PERMANENT_EXCLUSION
    )
    if other_than is not None:
        others = others.exclude(pk=other_than.pk)
    return others.order_by("start_date").values_list("start_date", flat=True).first()


def school_of_new_episode(user: User, pupil: Pupil, school: School | None = None) -> School | None:
    """The school an episode being recorded is of: the recording school staff's own, else the one given, else the
    child's current school."""
    membership = membership_of(user)
    if acts_as(membership, SCHOOL_ROLES):
        return membership.school
    return school if school is not None else current_school(pupil)


def episode_problems(
    pupil: Pupil,
    details: rules.EpisodeDetails,
    *,
    school: School | None = None,
    other_than: Episode | None = None,
) -> list[DomainError]:
    """Every rule of placements.rules the episode breaks for this child (a page asks it of what parsed, so its
    error summary shows these beside the form's own errors). `school` is the new episode's (school_of_new_episode);
    a correction's is the episode's own. A suspension is counted in that school's calendar, as its clocks are."""
    return _judged(pupil, details, school=school, other_than=other_than)[0]


def _judged(
    pupil: Pupil, details: rules.EpisodeDetails, *, school: School | None, other_than: Episode | None
) -> tuple[list[DomainError], SchoolCalendar | None]:
    if other_than is not None:
        school = other_than.school
    calendar = (
        calendar_for(local_authority=pupil.local_authority, school=school)
        if details.kind == EpisodeKind.SUSPENSION
        else None
    )
    problems = rules.episode_problems(
        details,
        date_of_birth=pupil.date_of_birth,
        today=today(),
        calendar=calendar,
        # Only an open exclusion can be a second open one: correcting a closed one clashes with none.
        open_permanent_exclusion_since=(
            _open_permanent_exclusion_since(pupil, other_than=other_than)
            if details.kind == EpisodeKind.PERMANENT_EXCLUSION
            and (other_than is None or other_than.status == Episode.Status.OPEN)
            else None
        ),
    )
    return problems, calendar


def _judge_episode(
    pupil: Pupil, details: rules.EpisodeDetails, *, school: School | None = None, other_than: Episode | None = None
) -> int | None:
    """Raise every rule of placements.rules the episode breaks, at once (DomainErrors); else return the school days
    of a suspension, counted in the calendar the rules judged it by (None for any other kind)."""
    problems, calendar = _judged(pupil, details, school=school, other_than=other_than)
    if problems:
        raise DomainErrors(problems)
    if calendar is None or details.start_date is None or details.suspension_last_day is None:
        return None
    return rules.suspension_school_days(details.start_date, details.suspension_last_day, calendar)


@transaction.atomic
def record_episode(
    *,
    user: User,
    pupil: Pupil,
    kind: str,
    start_date: datetime.date,
    school: School | None = None,
    suspension_last_day: datetime.date | None = None,
    days_missed: int | None = None,
    summary: str = "",
) -> Episode:
    """Record why a child needs AP and since when; starts the statutory clocks that apply (duties.rules). A
    suspension runs from `start_date` to `suspension_last_day`; its school days are counted from the calendar.

    Refuses, all at once, what placements.rules refuses (a second open permanent exclusion, an exclusion dated in
    the future, a suspension of 5 school days or fewer, a health episode with no day missed).
    """
    membership = membership_of(user)
    require(can_commission(membership), "Only LA officers and school staff can record why a child needs AP")
    _require_visible(user, pupil)
    if acts_as(membership, SCHOOL_ROLES) and kind in EpisodeKind.values and kind not in SCHOOL_EPISODE_KINDS:
        raise DomainError(
            f"{EpisodeKind(kind).label}: the local authority records this; contact your LA's AP team", field="kind"
        )
    school = school_of_new_episode(user, pupil, school)
    # Pupil row lock: two officers recording the same permanent exclusion at once get one, not two.
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()
    details = rules.EpisodeDetails(
        kind=kind,
        start_date=start_date if isinstance(start_date, datetime.date) else None,
        suspension_last_day=suspension_last_day if kind == EpisodeKind.SUSPENSION else None,
        days_missed=days_missed if kind == EpisodeKind.HEALTH_NEEDS else None,
    )
    problems = Problems()
    with problems.check():
        summary = check_limit(limits.summary, summary, field="summary")
    with problems.check():
        school_days = _judge_episode(pupil, details, school=school)
    problems.raise_any()
    assert details.start_date is not None  # _judge_episode refused an episode without one
    ensure_routes(local_authority=pupil.local_authority)
    route = Route.objects.get(local_authority=pupil.local_authority, kind=kind)
    episode = Episode.objects.create(
        pupil=pupil,
        route=route,
        school=school,
        start_date=details.start_date,
        suspension_last_day=details.suspension_last_day,
        suspension_school_days=school_days,
        days_missed=details.days_missed,
        summary=summary,
        recorded_by=user,
    )
    duties.start_episode_clocks(episode=episode)
    log_access(user=user, obj=pupil, verb="change")
    log_access(user=user, obj=episode, verb="create")
    return episode


def require_episode_editor(user: User, what: str) -> None:
    """Only the LA's officers and admins correct or withdraw an episode (the API asks before it looks the episode up,
    as the pages' role check comes before theirs)."""
    require(can_correct_episodes(membership_of(user)), f"Only LA officers can {what} an episode")


def _require_la_editor(user: User, episode: Episode, what: str) -> None:
    require_episode_editor(user, what)
    if not Episode.objects.visible_to(user).filter(pk=episode.pk).exists():
        raise NotPermitted("You cannot act for this pupil")


def _reason(reason: str, what: str) -> str:
    reason = check_limit(limits.reason, reason, field="reason")
    if not reason:
        raise DomainError(f"Enter why the episode is {what}: it is kept in the child's history", field="reason")
    return reason


# Corrections the LA may make to an episode recorded in error, in the words the history shows. The kind is not
# among them: an episode of the wrong kind is withdrawn and the right one recorded, since its route and its
# clocks are different.
REASON_FOR_CORRECTION = "Enter why the episode is being corrected"
CORRECTABLE = {
    "start_date": "Start date",
    "suspension_last_day": "Last day of suspension",
    "suspension_school_days": "School days of suspension",
    "days_missed": "School days missed",
    "summary": "Summary",
}


def _shown(value) -> str:
    if value is None or value == "":
        return "Not given"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


@transaction.atomic
def correct_episode(
    *,
    user: User,
    episode: Episode,
    reason: str,
    start_date: datetime.date,
    suspension_last_day: datetime.date | None = None,
    days_missed: int | None = None,
    summary: str = "",
) -> Episode:
    """Correct the dates or details of an episode recorded in error (LA staff). The clocks it started are counted
    again from the corrected dates (duties.recount_episode_clocks); the change is kept in its history, with who,
    when and why."""
    _require_la_editor(user, episode, "correct")
    # of=("self",): PostgreSQL locks no row across the outer join to a missing school.
    episode = (
        Episode.objects.select_for_update(of=("self",)).select_related("pupil", "route", "school").get(pk=episode.pk)
    )
    EPISODE.check(episode.status, "correct", episode_parties(user, episode))
    problems: list[DomainError] = []
    try:
        checked = check_limits({"reason": (limits.reason, reason), "summary": (limits.summary, summary)})
    except DomainError as too_long:
        problems += too_long.errors
    else:
        reason, summary = checked["reason"], checked["summary"]
    if not (reason or "").strip():
        problems.append(DomainError(REASON_FOR_CORRECTION, field="reason"))
    details = rules.EpisodeDetails(
        kind=episode.kind,
        start_date=start_date if isinstance(start_date, datetime.date) else None,
        suspension_last_day=suspension_last_day if episode.kind == EpisodeKind.SUSPENSION else None,
        days_missed=days_missed if episode.kind == EpisodeKind.HEALTH_NEEDS else None,
    )
    school_days = None
    try:
        school_days = _judge_episode(episode.pupil, details, other_than=episode)
    except DomainErrors as broken:
        problems += broken.errors
    if problems:
        raise DomainErrors(problems)
    after = {
        "start_date": details.start_date,
        "suspension_last_day": details.suspension_last_day,
        "suspension_school_days": school_days,
        "days_missed": details.days_missed,
        "summary": (summary or "").strip(),
    }
    changes = {
        label: [_shown(getattr(episode, name)), _shown(after[name])]
        for name, label in CORRECTABLE.items()
        if getattr(episode, name) != after[name]
    }
    if not changes:
        raise DomainError("Nothing was changed: correct at least one date or detail", field="start_date")
    for name, value in after.items():
        setattr(episode, name, value)
    episode.save(update_fields=list(after))
    duties.recount_episode_clocks(episode=episode, on=today())
    if episode.status == Episode.Status.CLOSED:
        # A duty the correction starts on a closed episode stopped when the episode closed.
        duties.stop_episode_clocks(episode=episode, on=episode.closed_on or today())
    EpisodeChange.objects.create(
        episode=episode, action=EpisodeChange.Action.CORRECTED, changes=changes, reason=reason, changed_by=user
    )
    log_access(user=user, obj=episode, verb="change")
    log_access(user=user, obj=episode.pupil, verb="change")
    return episode


# --- An episode's and a waiting-list entry's moves (core.lifecycle) ------------------------------------------------

LA, COMMISSIONING = "la", "commissioning"  # an editor of the child's LA; anyone who commissions AP (can_commission)
_EPISODE_DONE = {"close": "closed", "withdraw": "withdrawn", "correct": "corrected"}


def _episode_invalid(state: str, action: str) -> str:
    if state == Episode.Status.WITHDRAWN and action == "correct":
        return "This episode was withdrawn; record a new one instead"
    if state == Episode.Status.WITHDRAWN and action != "withdraw":
        return "This episode was withdrawn: it was recorded in error"
    return f"This episode is already {_EPISODE_DONE.get(action, action)}"


EPISODE: Lifecycle[str, str] = Lifecycle(
    "episode",
    {
        # Closed when the child no longer needs AP: by whoever commissions it (the LA, or a school for its own).
        (Episode.Status.OPEN, "close"): Move(Episode.Status.CLOSED, frozenset({COMMISSIONING})),
        # Corrected (its dates, kind or school), open or closed, staying as it is: by the child's LA only.
        **from_each((Episode.Status.OPEN, Episode.Status.CLOSED), "correct", None, frozenset({LA})),
        # Withdrawn when recorded in error, open or closed: by the child's LA only (EpisodeChange keeps why).
        (Episode.Status.OPEN, "withdraw"): Move(Episode.Status.WITHDRAWN, frozenset({LA})),
        (Episode.Status.CLOSED, "withdraw"): Move(Episode.Status.WITHDRAWN, frozenset({LA})),
    },
    choices=Episode.Status,
    invalid=_episode_invalid,
    refused=lambda state, action: f"You cannot {action} this episode",
)


def episode_parties(user: User | None, episode: Episode) -> frozenset[str]:
    """Who the user is for this episode's moves: its child's LA editor, and (LA or school) a commissioner of AP."""
    membership = membership_of(user)
    parties = set()
    if can_correct_episodes(membership) and getattr(membership, "local_authority_id", None) == (
        episode.pupil.local_authority_id
    ):
        parties.add(LA)
    if can_commission(membership):
        parties.add(COMMISSIONING)
    return frozenset(parties)


WAITING = WaitingListEntry.Status.WAITING
WAITING_LIST: Lifecycle[str, str] = Lifecycle(
    "waiting list entry",
    {
        # Offering the child a place at the provision takes them off its list (offer_placement).
        (WAITING, "offer"): Move(WaitingListEntry.Status.OFFERED, frozenset({COMMISSIONING})),
        (WAITING, "remove"): Move(WaitingListEntry.Status.REMOVED, frozenset({COMMISSIONING})),
    },
    choices=WaitingListEntry.Status,
    invalid=lambda state, action: "This child is no longer waiting",
    refused=lambda state, action: "Only LA officers and school staff can change a waiting list",
)


def _commissioning(user: User | None) -> frozenset[str]:
    return frozenset({COMMISSIONING}) if can_commission(membership_of(user)) else frozenset()


def withdrawal_blockers(episode: Episode) -> list[str]:
    """What must happen before an episode can be withdrawn: its placements that hold a place, its referrals still
    before the panel (each would be left pointing at an episode that never was)."""
    blockers = [
        f"End or cancel the placement at {placement.provision.name} first"
        for placement in episode.placements.filter(status__in=Placement.HOLDING_STATES).select_related("provision")
    ]
    if episode.referrals.filter(status__in=REFERRALS_IN_PROGRESS).exists():
        blockers.append("Withdraw the referral to the AP panel for this episode first")
    return blockers


REFERRALS_IN_PROGRESS = (Referral.Status.DRAFT, Referral.Status.SUBMITTED, Referral.Status.DEFERRED)


@transaction.atomic
def withdraw_episode(*, user: User, episode: Episode, reason: str) -> Episode:
    """Withdraw an episode recorded in error (LA staff): it stays in the child's history as withdrawn, with who,
    when and why; every clock it started is withdrawn (kept, off the worklist, never counted as met or breached)."""
    _require_la_editor(user, episode, "withdraw")
    episode = Episode.objects.select_for_update(of=("self",)).select_related("pupil", "route").get(pk=episode.pk)
    move = EPISODE.check(episode.status, "withdraw", episode_parties(user, episode))
    problems = Problems()  # the reason and what blocks the withdrawal, said at once
    with problems.check():
        reason = _reason(reason, "withdrawn")
    for blocker in withdrawal_blockers(episode):
        problems.add(blocker)
    problems.raise_any()
    episode.status = move.to
    episode.save(update_fields=["status"])
    duties.withdraw_episode_clocks(episode=episode, on=today())
    EpisodeChange.objects.create(
        episode=episode,
        action=EpisodeChange.Action.WITHDRAWN,
        reason=reason,
        changed_by=user,
    )
    log_access(user=user, obj=episode, verb="change")
    log_access(user=user, obj=episode.pupil, verb="change")
    return episode


@transaction.atomic
def close_episode(*, user: User, episode: Episode, on: datetime.date | None = None) -> Episode:
    require(can_commission(membership_of(user)), "Only LA officers and school staff can close an episode")
    _require_visible(user, episode.pupil)
    EPISODE.check(episode.status, "close", episode_parties(user, episode))
    if episode.placements.filter(status__in=Placement.HOLDING_STATES).exists():
        raise DomainError("End or cancel the placements of this episode before closing it")
    close_episode_on(episode, on or today())
    log_access(user=user, obj=episode, verb="change")
    return episode


def close_episode_on(episode: Episode, on: datetime.date) -> None:
    """The episode ends on `on`: its statutory clocks stop (its last placement ended, or it was closed)."""
    episode.status = EPISODE.moves[(Episode.Status.OPEN, "close")].to
    episode.closed_on = on
    episode.save(update_fields=["status", "closed_on"])
    duties.stop_episode_clocks(episode=episode, on=on)


# --- Placements -----------------------------------------------------------------------------------------------


PROVIDER, COMMISSIONER = "provider", "commissioner"  # the two sides of a placement (parties_of)
# How a move is said after "cannot be", as in "A placement that is offered cannot be started".
_DONE = {"accept": "accepted", "decline": "declined", "cancel": "cancelled", "start": "started", "end": "ended"}

PLACEMENT: Lifecycle[str, str] = Lifecycle(
    "placement",
    {
        (Status.OFFERED, "accept"): Move(Status.ACCEPTED, frozenset({PROVIDER})),
        (Status.OFFERED, "decline"): Move(Status.CANCELLED, frozenset({PROVIDER})),
        (Status.OFFERED, "cancel"): Move(Status.CANCELLED, frozenset({COMMISSIONER})),
        (Status.ACCEPTED, "cancel"): Move(Status.CANCELLED, frozenset({COMMISSIONER})),
        (Status.ACCEPTED, "start"): Move(Status.ACTIVE, frozenset({PROVIDER, COMMISSIONER})),
        (Status.ACTIVE, "end"): Move(Status.ENDED, frozenset({PROVIDER, COMMISSIONER})),
    },
    choices=Status,
    invalid=lambda state, action: (
        f"A placement that is {Status(state).label.lower()} cannot be {_DONE.get(action, action)}"
    ),
    refused=lambda state, action: f"You cannot {action} this placement",
)


def parties_of(user: User | None, placement: Placement) -> frozenset[str]:
    """Which side of the placement the user acts for: the commissioner, the provider, both or neither."""
    membership = membership_of(user)
    if membership is None:
        return frozenset()
    sides = set()
    if membership.role == Role.PROVIDER_STAFF and placement.provision.provider_id == membership.provider_id:
        sides.add(PROVIDER)
    if placement.commissioner == Commissioner.LA:
        if membership.role in LA_EDITORS and placement.pupil.local_authority_id == membership.local_authority_id:
            sides.add(COMMISSIONER)
    elif membership.role == Role.SCHOOL_STAFF and placement.commissioning_school_id == membership.school_id:
        sides.add(COMMISSIONER)
    return frozenset(sides)


def allowed_actions(user: User | None, placement: Placement) -> set[str]:
    return PLACEMENT.allowed(placement.status, parties_of(user, placement))


def _lock_provision(provision_id: int) -> Provision:
    """Lock the provision's row until the transaction ends: offers for it queue here, one at a time.

    On PostgreSQL this is SELECT ... FOR UPDATE; SQLite has no row locks but its IMMEDIATE transactions (settings)
    let one writer in at a time, which serialises offers just the same.
    """
    return Provision.objects.select_for_update().get(pk=provision_id)


def _lock_pupil(pupil_id: int) -> None:
    """Lock the child's row until the transaction ends: offers and answers for one child queue here.

    Taken before any provision or placement row, in every service that locks both, so they never deadlock.
    SQLite's IMMEDIATE transactions serialise writers instead (see _lock_provision).
    """
    Pupil.objects.select_for_update().filter(pk=pupil_id).values_list("pk").first()


def _full_time_clash(
    pupil: Pupil, start: datetime.date, planned_end: datetime.date | None, *, excluding: int | None = None
) -> Placement | None:
    """The child's full-time placement (offered, accepted or active) whose dates meet [start, planned_end]."""
    clash = (
        Placement.objects.filter(pupil=pupil, is_full_time=True, status__in=Placement.HOLDING_STATES)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .filter(Q(planned_end_date__isnull=True) | Q(planned_end_date__gte=start))
    )
    if planned_end is not None:
        clash = clash.filter(start_date__lte=planned_end)
    if excluding is not None:
        clash = clash.exclude(pk=excluding)
    return clash.select_related("provision").first()


def _places_taken(provision: Provision, start: datetime.date, end: datetime.date | None) -> int:
    """The most places held on any one day of [start, end] (end None: open-ended)."""
    holding = Placement.objects.filter(provision=provision, status__in=Placement.HOLDING_STATES).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    if end is not None:
        holding = holding.filter(start_date__lte=end)
    intervals = []
    for first, planned, ended in holding.values_list("start_date", "planned_end_date", "end_date"):
        intervals.append((max(first, start), ended or planned or datetime.date.max))
    # Occupancy only rises on a start day: the peak is at one of the starts.
    return max((sum(1 for a, b in intervals if a <= day <= b) for day, _ in intervals), default=0)


def panel_approval(referral: Referral) -> PanelDecision | None:
    """The panel's latest approval of the referral: the provision and the weeks it approved, when it said."""
    return (
        PanelDecision.objects.filter(referral=referral, outcome=PanelDecision.Outcome.APPROVE)
        .order_by("-decided_at", "-pk")
        .first()
    )


def panel_weeks(referral: Referral) -> int | None:
    """How many weeks the panel approved for this referral's placement, when it said."""
    decision = panel_approval(referral)
    return decision.weeks if decision is not None else None


class OfferRefused(DomainError):
    """An offer with problems: `problems` holds every one (each names its field), so the page shows them at once."""

    def __init__(self, problems: list[DomainError]) -> None:
        super().__init__(problems[0].message, field=problems[0].field)
        self.problems = problems

    @property
    def errors(self) -> list[DomainError]:
        """Every problem, so the API's 400 lists them all as the page does."""
        return list(self.problems)


@dataclass
class OfferCheck:
    """What `check_offer` found: the problems that refuse the offer, the warnings the officer reads before sending it,
    and the offer's terms as they will be stored."""

    problems: list[DomainError]
    warnings: list[str]
    over_limits: list[str]  # the LA's limits on unregistered placements this offer goes past
    sessions: int | None = None
    hours: Decimal | None = None
    cost: Decimal | None = None
    planned_end_date: datetime.date | None = None
    registration: str | None = None
    part_time_reason: str = ""
    part_time_review_date: datetime.date | None = None
    top_up: top_ups.TopUp | None = None


def check_offer(
    *,
    user: User,
    pupil: Pupil,
    episode: Episode | None,
    provision: Provision | None,
    start_date: datetime.date | None,
    tier: str | None,
    sessions_per_week: int | None,
    hours_per_week: Decimal | None,
    annual_cost: Decimal | None,
    planned_end_date: datetime.date | None = None,
    is_full_time: bool = True,
    part_time_reason: str = "",
    part_time_review_date: datetime.date | None = None,
    registration: str | None = None,
    referral: Referral | None = None,
    lot=None,
    over_limit_reason: str = "",
    expected_outcomes: str = "",
    top_up_band=None,
    top_up_exception: bool = False,
    top_up_amount: Decimal | None = None,
    top_up_exception_reason: str = "",
    for_update: bool = False,
) -> OfferCheck:
    """Every problem of an offer at once, and the warnings to read before sending it; nothing is written.

    The offer page calls it with whatever the form could parse (None for the rest), so one submission shows every
    error; `offer_placement` calls it again, under its locks, before writing.
    """
    problems: list[DomainError] = []
    check = OfferCheck(problems=problems, warnings=[], over_limits=[])

    def refuse(message: str, field: str | None = None) -> None:
        problems.append(DomainError(message, field=field))

    membership = membership_of(user)
    if episode is not None and episode.status != Episode.Status.OPEN:
        refuse("This episode is closed; record a new one first", "episode")
    if provision is not None and provision.status != Provision.Status.PUBLISHED:
        refuse("Choose a provision that is published in the directory", "provision")
    if lot is not None and provision is not None and membership is not None:
        commissioner_la_id = (
            membership.school.local_authority_id
            if acts_as(membership, SCHOOL_ROLES) and membership.school is not None
            else membership.local_authority_id
        )
        problem = ineligibility(
            provision=provision, lot=lot, local_authority_id=commissioner_la_id, for_update=for_update
        )
        if problem:
            refuse(problem, "lot")
    if referral is not None:
        referral = Referral.objects.get(pk=referral.pk)  # its status now, not when the caller read it
        if referral.pupil_id != pupil.pk or referral.status != Referral.Status.APPROVED:
            refuse("The referral must be this pupil's, approved by panel", "referral")
    if tier not in Tier.values:
        refuse("Choose the tier", "tier")
    if not isinstance(start_date, datetime.date):
        refuse("Enter the start date", "start_date")
        start_date = None
    elif episode is not None and start_date < episode.start_date:
        refuse(
            f"The placement cannot start before the episode it serves ({weekday_date(episode.start_date)})",
            "start_date",
        )
    elif is_weekend(start_date):
        refuse(f"{weekday_date(start_date)} is a weekend day; a placement starts on a school day", "start_date")
    policy = duties.policy_for(pupil.local_authority)
    if planned_end_date is None and start_date is not None:
        # The panel decides how long; failing that, tier 2 placements are time-limited by LA policy.
        weeks = panel_weeks(referral) if referral is not None else None
        if weeks is None and tier == Tier.TIER_2:
            weeks = policy.tier_2_planned_weeks
        if weeks:
            planned_end_date = start_date + datetime.timedelta(weeks=weeks)
    if planned_end_date is not None and start_date is not None and planned_end_date < start_date:
        refuse("The planned end date must be on or after the start date", "planned_end_date")
    check.planned_end_date = planned_end_date
    # The form has read these already (None where it could not); the limits are asked again, for every caller.
    terms = Problems()
    with terms.check():
        check.sessions = check_limit(limits.sessions_per_week, sessions_per_week, field="sessions_per_week")
    with terms.check():
        check.hours = check_limit(limits.hours_per_week, hours_per_week, field="hours_per_week")
    with terms.check():
        part_time_reason = check_limit(limits.PART_TIME_REASON, part_time_reason, field="part_time_reason")
    with terms.check():
        over_limit_reason = check_limit(limits.OVER_LIMIT_REASON, over_limit_reason, field="over_limit_reason")
    with terms.check():
        check_limit(limits.EXPECTED_OUTCOMES, expected_outcomes, field="expected_outcomes")
    # Where the LA prices top-ups by band, the offer chooses a band (or an exception) and the cost follows from it;
    # elsewhere the offer gives the annual cost (placements.top_ups, decision 0030).
    check.top_up = top_ups.check_top_up(
        terms, membership=membership, pupil=pupil, provision=provision, band=top_up_band, exception=top_up_exception,
        amount=top_up_amount, exception_reason=top_up_exception_reason, annual_cost_given=annual_cost is not None,
    )  # fmt: skip
    if check.top_up.annual is not None:
        if episode is not None:
            check.cost = top_ups.annual_cost(
                check.top_up.annual, place_funding_payer=episode.route.place_funding_payer, pupil=pupil
            )
    elif not top_ups.priced_by_band(membership, pupil):
        with terms.check():
            check.cost = check_limit(limits.annual_cost, annual_cost, field="annual_cost")
    problems.extend(terms.errors)
    if not is_full_time:
        if not part_time_reason.strip():
            refuse("Give the reason for a part-time placement", "part_time_reason")
        if part_time_review_date is None:
            refuse("Enter when the part-time arrangement will be reviewed", "part_time_review_date")
        elif start_date is not None and part_time_review_date < start_date:
            refuse("The part-time review must be on or after the start date", "part_time_review_date")
        check.part_time_reason, check.part_time_review_date = part_time_reason.strip(), part_time_review_date
    registration = registration or (episode.route.registration if episode is not None else None)
    if registration not in Registration.values:
        refuse("Choose dual or single registration", "registration")
    check.registration = registration
    if is_full_time and start_date is not None:
        existing = _full_time_clash(pupil, start_date, planned_end_date)
        if existing is not None:
            refuse(
                f"{pupil.full_name} already has a full-time placement at {existing.provision} from "
                f"{weekday_date(existing.start_date)}; end or cancel it first, or offer a part-time placement",
                "start_date",
            )
    # What the officer could read before answering comes first, so a page that showed it on first load sends the
    # offer without asking again unless the answers raise something new (the offer page's fingerprint).
    known = _warnings_before_offer(pupil, provision, policy)
    check.warnings += known.warnings
    # Only a known provision can be unregistered.
    if known.unregistered and provision is not None and start_date is not None and check.sessions is not None:
        _unregistered_checks(
            check, pupil, provision, start_date, check.sessions, is_full_time, over_limit_reason, known.count
        )
    return check


@dataclass
class KnownBeforeOffer:
    """What an offer page can say before any answer: its warnings, and whether the provision's provider is
    unregistered, with its count towards the registration threshold (None when it educates no one yet)."""

    warnings: list[str]
    unregistered: bool = False
    count: "ProviderCount | None" = None


# Where a place the child already holds stands, in the words of the warning.
HELD_AS: dict[str, str] = {
    Status.OFFERED: "offered and waiting for the provider's answer",
    Status.ACCEPTED: "accepted and not started yet",
    Status.ACTIVE: "running",
}


def warnings_before_offer(*, pupil: Pupil, provision: Provision | None = None) -> list[str]:
    """What the officer should read before filling in an offer, since no answer changes it: the places the child
    already holds (this would be a second one) and, when the provision is known and its provider unregistered, the
    LA's limits for unregistered provision and how near the provider is to having to register as a school.

    check_offer gives these same warnings first, then those its answers raise."""
    return _warnings_before_offer(pupil, provision, duties.policy_for(pupil.local_authority)).warnings


def _warnings_before_offer(pupil: Pupil, provision: Provision | None, policy) -> KnownBeforeOffer:
    from aphub.organisations.models import Provider

    from .oversight import count_unregistered, registration_warnings

    known = KnownBeforeOffer(
        warnings=[
            f"{pupil.full_name} already has a placement at {other.provision} from {weekday_date(other.start_date)}, "
            f"{HELD_AS[other.status]}: this would be a second placement"
            for other in Placement.objects.filter(pupil=pupil, status__in=Placement.HOLDING_STATES)
            .select_related("provision")
            .order_by("start_date", "pk")
        ]
    )
    if provision is None or provision.provider.registration_status != Provider.RegistrationStatus.UNREGISTERED:
        return known
    provider = provision.provider
    known.unregistered = True
    # The limits are the LA's policy (LocalPolicy), the same numbers placements.oversight.limit_breaches applies.
    known.warnings.append(
        f"{provision.name} is run by {provider.display_name}, which is not registered: the LA allows a placement "
        f"there of at most {policy.unregistered_max_weeks} weeks and {policy.unregistered_max_sessions} sessions "
        "a week without a recorded reason"
    )
    known.count = count_unregistered(today=today(), provider_ids=[provider.pk]).get(provider.pk)
    known.warnings += registration_warnings(provider, known.count)
    return known


def _unregistered_checks(
    check: OfferCheck,
    pupil: Pupil,
    provision: Provision,
    start_date: datetime.date,
    sessions: int,
    is_full_time: bool,
    over_limit_reason: str,
    count: "ProviderCount | None",
) -> None:
    """At an unregistered provider, what the answers decide: whether the offer goes past the LA's limits on weeks
    and sessions (which needs a recorded reason), and whether it would bring the provider to the registration
    threshold (counts only). `count` is the provider's count before this offer (_warnings_before_offer)."""
    from .oversight import THRESHOLD_PUPILS, limit_breaches

    provider = provision.provider
    proposed = Placement(
        pupil=pupil, start_date=start_date, planned_end_date=check.planned_end_date, sessions_per_week=sessions
    )
    for breach in limit_breaches([proposed], today=today()):
        check.over_limits.extend(breach.problems)
    if check.over_limits:
        check.warnings.append(
            f"{provider.display_name} is unregistered and this offer goes past the LA's limits: "
            + "; ".join(check.over_limits)
        )
        if not over_limit_reason.strip():
            check.problems.append(
                DomainError(
                    "Give the reason for going past the LA's limits for unregistered provision "
                    f"({'; '.join(check.over_limits)}), or change the offer to keep within them",
                    field="over_limit_reason",
                )
            )
    if count is None:
        return
    already_there = Placement.objects.filter(
        pupil__upn=pupil.upn, provision__provider=provider, status__in=Placement.HOLDING_STATES
    ).exists()
    if (
        is_full_time
        and check.hours is not None
        and check.hours > count.full_time_hours
        and not already_there
        and count.full_time_once_started + 1 >= THRESHOLD_PUPILS
    ):
        check.warnings.append(
            f"{provider.display_name} may have to register as a school: this offer would bring it to "
            f"{count.full_time_once_started + 1} full-time pupils (the threshold is {THRESHOLD_PUPILS})"
        )


# How far back a placement in another episode is still the one a new placement follows: a child back in AP within
# about a month of school (holidays not counted) has moved on from it, not started afresh.
FOLLOWS_WITHIN_SCHOOL_DAYS = 20


def placement_followed(
    *, pupil: Pupil, episode: Episode, start_date: datetime.date, excluding: int | None = None
) -> Placement | None:
    """The placement a new one for `pupil` from `start_date` follows, so a move between tiers shows as a step up or
    a step down (issue 14). The rule, kept simple:

    1. the child's latest placement in the same episode that started before `start_date` and has ended by then or
       is still open (a tier 1 placement running on while tier 2 starts is stepped up from);
    2. else the child's placement in another episode that ended last, when that was within 20 school days before
       `start_date` (in the LA's calendar; 4 weeks where the calendar does not reach back that far);
    3. else none: a first placement, or a fresh start after a long gap.

    Cancelled placements never ran, so nothing follows them."""
    earlier = (
        Placement.objects.filter(pupil=pupil, start_date__lt=start_date)
        .exclude(status=Status.CANCELLED)
        .order_by("-start_date", "-pk")
    )
    if excluding is not None:
        earlier = earlier.exclude(pk=excluding)
    same_episode = earlier.filter(episode=episode).filter(Q(end_date__isnull=True) | Q(end_date__lte=start_date))
    found = same_episode.first()
    if found is not None:
        return found
    latest = earlier.exclude(episode=episode).filter(end_date__lte=start_date).order_by("-end_date", "-pk").first()
    if latest is None or latest.end_date is None:
        return None
    try:
        since = calendar_for(local_authority=pupil.local_authority).school_day_back(
            start_date, FOLLOWS_WITHIN_SCHOOL_DAYS
        )
    except ValueError:
        since = start_date - datetime.timedelta(weeks=4)
    return latest if latest.end_date >= since else None


@transaction.atomic
def offer_placement(
    *,
    user: User,
    episode: Episode,
    provision: Provision,
    start_date: datetime.date,
    tier: str,
    sessions_per_week: int,
    hours_per_week: Decimal,
    annual_cost: Decimal | None = None,
    planned_end_date: datetime.date | None = None,
    is_full_time: bool = True,
    part_time_reason: str = "",
    part_time_review_date: datetime.date | None = None,
    registration: str | None = None,
    expected_outcomes: str = "",
    referral: Referral | None = None,
    lot=None,
    over_limit_reason: str = "",
    top_up_band=None,
    top_up_exception: bool = False,
    top_up_amount: Decimal | None = None,
    top_up_exception_reason: str = "",
) -> Placement:
    """The commissioner offers a place at a provision; the place is held until the provider answers.

    `lot` (a commissioning Lot, optional) buys the place under the commercial arrangement: the provision's provider
    must be admitted to it, not suspended or removed (commissioning.arrangements.eligibility), and it must be one of the
    commissioner's LA's arrangements. At an unregistered provider, going past the LA's limits on weeks and sessions
    needs `over_limit_reason`, kept on the placement and in its change log. Where the pupil's LA prices top-ups by
    band, the offer chooses `top_up_band` (a commissioning TopUpBand that applies to the provision) or an exception
    (`top_up_exception` with `top_up_amount` and `top_up_exception_reason`) instead of `annual_cost`
    (placements.top_ups). Every problem is raised at once (OfferRefused).
    """
    membership = membership_of(user)
    require(can_commission(membership), "Only LA officers and school staff can commission a placement")
    pupil = episode.pupil
    _require_visible(user, pupil)
    if acts_as(membership, SCHOOL_ROLES):
        commissioner, commissioning_school = "school", membership.school
    else:
        commissioner, commissioning_school = "la", None
    # Offers for one child queue on the child's row, so two full-time offers at different provisions cannot both
    # see no clash (the unique index covers active placements only; offered and accepted ones hold the child too).
    _lock_pupil(pupil.pk)
    check = check_offer(
        user=user, pupil=pupil, episode=episode, provision=provision, start_date=start_date, tier=tier,
        sessions_per_week=sessions_per_week, hours_per_week=hours_per_week, annual_cost=annual_cost,
        planned_end_date=planned_end_date, is_full_time=is_full_time, part_time_reason=part_time_reason,
        part_time_review_date=part_time_review_date, registration=registration, referral=referral, lot=lot,
        over_limit_reason=over_limit_reason, expected_outcomes=expected_outcomes, top_up_band=top_up_band,
        top_up_exception=top_up_exception, top_up_amount=top_up_amount,
        top_up_exception_reason=top_up_exception_reason, for_update=True,
    )  # fmt: skip
    if check.problems:
        raise OfferRefused(check.problems)
    # With no problems, check_offer has settled every term of the offer.
    assert check.sessions is not None and check.hours is not None and check.cost is not None
    assert check.registration is not None and check.top_up is not None
    top_up = check.top_up
    planned_end_date = check.planned_end_date
    policy = duties.policy_for(pupil.local_authority)

    locked = _lock_provision(provision.pk)
    if _places_taken(locked, start_date, planned_end_date) >= locked.places:
        raise ProvisionFull(
            f"{locked.name} has no vacancy for these dates: all {locked.places} places are held. "
            "Add the child to its waiting list, or choose another provision.",
            field="provision",
        )
    placement = Placement.objects.create(
        pupil=pupil,
        episode=episode,
        follows=placement_followed(pupil=pupil, episode=episode, start_date=start_date),
        referral=referral,
        provision=locked,
        route=episode.route,
        lot=lot,
        commissioner=commissioner,
        commissioning_school=commissioning_school,
        tier=tier,
        status=Status.OFFERED,
        start_date=start_date,
        planned_end_date=planned_end_date,
        sessions_per_week=check.sessions,
        hours_per_week=check.hours,
        is_full_time=is_full_time,
        part_time_reason=check.part_time_reason,
        part_time_review_date=check.part_time_review_date,
        registration=check.registration,
        # 'Working together to improve school attendance' (2024): K when the LA arranged it, B when the school did.
        expected_attendance_code="K" if commissioner == Payer.LA else "B",
        annual_cost=check.cost,
        annual_top_up=top_up.annual,
        top_up_band=top_up.band,
        top_up_exception_reason=top_up.exception_reason,
        expected_outcomes=expected_outcomes.strip(),
        next_review_due=start_date + datetime.timedelta(weeks=policy.review_interval_weeks),
        over_limit_reason=over_limit_reason.strip() if check.over_limits else "",
        offered_by=user,
    )
    offered = f"Offered to {locked.provider.display_name}"
    if top_up.band is not None:
        offered += f" at top-up band {top_up.band.code} ({format_money(top_up.band.annual_amount)} a year)"
    elif top_up.exception_reason:
        offered += (
            f" with a top-up outside the bands ({format_money(top_up.annual or 0)} a year). "
            f"Reason: {top_up.exception_reason}"
        )
    if placement.over_limit_reason:
        offered += (
            f", past the LA's limits for unregistered provision ({'; '.join(check.over_limits)}). "
            f"Reason: {placement.over_limit_reason}"
        )
    _record_change(placement, user, offered)
    offered = WAITING_LIST.moves[(WAITING, "offer")].to
    WaitingListEntry.objects.filter(provision=locked, pupil=pupil, status=WAITING).update(
        status=offered, ended_at=now()
    )
    funding.plan_funding(placement=placement)
    log_access(user=user, obj=pupil, verb="change")
    log_access(user=user, obj=placement, verb="create")
    transaction.on_commit(public_cache.directory_changed)  # one place fewer in the public directory
    notifications.offer_made(placement)
    return placement


def _record_change(placement: Placement, user: User | None, summary: str) -> None:
    PlacementChange.objects.create(placement=placement, by=user, summary=summary)


class ProvisionFull(DomainError):
    """Every place is held for the dates asked for; the child can join the waiting list."""


def _move(user: User, placement: Placement, action: str, **changes) -> Placement:
    _lock_pupil(placement.pupil_id)  # the child first, as offer_placement does
    placement = Placement.objects.select_for_update().select_related("pupil", "provision").get(pk=placement.pk)
    move = PLACEMENT.check(placement.status, action, parties_of(user, placement))
    placement.status = move.to
    for name, value in changes.items():
        setattr(placement, name, value)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        raise DomainError(
            f"{placement.pupil.full_name} already has an active full-time placement; end it first"
        ) from None
    _record_change(placement, user, _move_summary(placement, action))
    log_access(user=user, obj=placement, verb="change")
    if move.to in (Status.CANCELLED, Status.ENDED):
        transaction.on_commit(public_cache.directory_changed)  # a place is free again
    return placement


def _move_summary(placement: Placement, action: str) -> str:
    """The change log's words for a move of the placement, with the reason or date the move recorded."""
    match action:
        case "accept":
            return "Accepted by the provider"
        case "decline":
            return f"Declined by the provider: {placement.decline_reason}"
        case "cancel":
            return f"Cancelled: {placement.exit_notes}"
        case "start":
            return f"Started on {weekday_date(placement.start_date)}"
        case "end":
            return f"Ended on {weekday_date(placement.end_date)}: {placement.get_destination_display_text()}"
    return f"{placement.get_status_display()}"


def _reason_given(reason: str, missing: str) -> str:
    """The reason, without spaces around it; none is refused with `missing` on the reason field, a long one with
    the limit's message."""
    reason = check_limit(limits.reason, reason, field="reason")
    if not reason:
        raise DomainError(missing, field="reason")
    return reason


@transaction.atomic
def accept_placement(*, user: User, placement: Placement) -> Placement:
    placement = _move(user, placement, "accept", responded_at=now())
    notifications.offer_answered(placement, accepted=True)
    return placement


@transaction.atomic
def decline_placement(*, user: User, placement: Placement, reason: str) -> Placement:
    given = _reason_given(reason, "Give the reason you cannot accept this placement")
    placement = _move(user, placement, "decline", responded_at=now(), decline_reason=given)
    funding.plan_funding(placement=placement)
    notifications.offer_answered(placement, accepted=False)
    return placement


@transaction.atomic
def cancel_placement(*, user: User, placement: Placement, reason: str) -> Placement:
    placement = _move(user, placement, "cancel", exit_notes=_reason_given(reason, "Give the reason for cancelling"))
    funding.plan_funding(placement=placement)
    return placement


@transaction.atomic
def start_placement(*, user: User, placement: Placement, on: datetime.date | None = None) -> Placement:
    """The child's first day. A full-time placement meets the episode's duty to provide full-time education."""
    on = on or placement.start_date
    if on > today():
        raise DomainError("The first day cannot be in the future", field="on")
    if on < placement.episode.start_date:
        raise DomainError("The first day cannot be before the episode began", field="on")
    if placement.planned_end_date and on > placement.planned_end_date:
        raise DomainError("The first day cannot be after the planned end date", field="on")
    # The start date becomes the day the child really started: clocks and funding count from it.
    placement = _move(user, placement, "start", start_date=on)
    if placement.is_full_time:
        duties.meet_episode_clocks(episode=placement.episode, placement=placement, on=placement.start_date)
    duties.start_placement_clocks(placement=placement)
    funding.plan_funding(placement=placement)
    return placement


@transaction.atomic
def end_placement(
    *,
    user: User,
    placement: Placement,
    end_date: datetime.date,
    destination: str,
    destination_school: School | None = None,
    notes: str = "",
) -> Placement:
    """The child leaves the placement for a destination; a return to school closes the episode's clocks."""
    notes = check_limit(limits.EXIT_NOTES, notes, field="notes")
    if destination not in Destination.values:
        raise DomainError("Choose where the child went next", field="destination")
    if not isinstance(end_date, datetime.date):
        raise DomainError("Enter the last day of the placement", field="end_date")
    if end_date < placement.start_date:
        raise DomainError("The last day cannot be before the placement started", field="end_date")
    if end_date > today():
        raise DomainError(
            "The last day cannot be in the future: record the end once the child has left "
            "(until then, the planned end date says when it is due)",
            field="end_date",
        )
    marked_later = placement.attendance_marks.filter(date__gt=end_date).order_by("date").first()
    if marked_later is not None:
        raise DomainError(
            f"The register has a mark for {weekday_date(marked_later.date)}, after this last day: choose a later "
            "last day, or ask the provider to correct the register first",
            field="end_date",
        )
    if destination in (Destination.SAME_SCHOOL, Destination.NEW_SCHOOL, Destination.SPECIAL_SCHOOL):
        if destination == Destination.SAME_SCHOOL and destination_school is None:
            destination_school = placement.episode.school
        if destination_school is None:
            raise DomainError("Choose the school the child is going to", field="destination_school")
    else:
        destination_school = None
    placement = _move(
        user,
        placement,
        "end",
        end_date=end_date,
        destination=destination,
        destination_school=destination_school,
        exit_notes=notes,
    )
    duties.stop_placement_clocks(placement=placement, on=end_date)
    funding.plan_funding(placement=placement)
    from aphub.placements.reviews.services import schedule_follow_ups

    schedule_follow_ups(placement=placement)
    episode = placement.episode
    still_placed = episode.placements.filter(status__in=Placement.HOLDING_STATES).exists()
    if destination != Destination.OTHER_AP and not still_placed and episode.status == Episode.Status.OPEN:
        close_episode_on(episode, end_date)
    return placement


def _lock_for_commissioner_change(user: User, placement: Placement, what: str) -> Placement:
    require(can_change_commissioner(membership_of(user), placement), f"Only the child's LA officers can {what}")
    _lock_pupil(placement.pupil_id)
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("pupil__local_authority", "commissioning_school", "route", "episode__school")
        .get(pk=placement.pk)
    )


@transaction.atomic
def name_commissioning_school(*, user: User, placement: Placement, school: School) -> Placement:
    """The LA names (or changes) the school that commissions the placement: it then pays the top-up and acts as its
    commissioner, and the home school records code B (the school arranged it). Funding is planned again."""
    placement = _lock_for_commissioner_change(user, placement, "name the commissioning school")
    if placement.status == Status.CANCELLED:
        raise InvalidTransition("A cancelled placement has no commissioner to name")
    if school.local_authority_id != placement.pupil.local_authority_id or not school.is_open:
        raise DomainError("Choose an open school of the child's local authority", field="school")
    if placement.commissioning_school_id == school.pk:
        raise DomainError(f"{school.name} already commissions this placement", field="school")
    before = placement.commissioning_school.name if placement.commissioning_school else "the local authority"
    placement.commissioner = Commissioner.SCHOOL
    placement.commissioning_school = school
    placement.expected_attendance_code = "B"
    placement.save(update_fields=["commissioner", "commissioning_school", "expected_attendance_code"])
    _record_change(placement, user, f"Commissioning school named: {school.name} (was {before})")
    funding.plan_funding(placement=placement)
    log_access(user=user, obj=placement, verb="change")
    return placement


def _as_commissioned_by_the_la(placement: Placement) -> None:
    placement.commissioner = Commissioner.LA
    placement.commissioning_school = None
    # 'Working together to improve school attendance' (2024): K when the LA arranged it.
    placement.expected_attendance_code = "K"


def handed_back(placement: Placement) -> Placement:
    """The placement as it would be once handed back to the LA, unsaved: what the confirmation page reads to say
    who will be billed (funding.services.billed_commissioner) before anything changes."""
    preview = copy.copy(placement)  # Django copies the related-object cache too, so the original is left alone
    _as_commissioned_by_the_la(preview)
    return preview


@transaction.atomic
def hand_back_to_la(*, user: User, placement: Placement) -> Placement:
    """The LA takes back a placement a school commissions: the LA is its commissioner again and acts for it (starts,
    ends, cancels), the school no longer does, the home school records code K, and the top-up is billed as the route
    says for an LA placement (funding planned again). Only while the placement holds a place; kept in its change log.
    """
    placement = _lock_for_commissioner_change(user, placement, "hand a placement back to the local authority")
    if placement.status not in Placement.HOLDING_STATES:
        raise InvalidTransition(
            f"A placement that is {placement.get_status_display().lower()} keeps the commissioner it had"
        )
    if placement.commissioner != Commissioner.SCHOOL:
        raise InvalidTransition("The local authority already commissions this placement")
    before = placement.commissioning_school.name if placement.commissioning_school else "a school"
    _as_commissioned_by_the_la(placement)
    placement.save(update_fields=["commissioner", "commissioning_school", "expected_attendance_code"])
    _record_change(
        placement, user, f"Handed back to the local authority: {placement.pupil.local_authority.name} commissions "
        f"it (was {before})",
    )  # fmt: skip
    funding.plan_funding(placement=placement)
    log_access(user=user, obj=placement, verb="change")
    return placement


# --- Waiting list ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_to_waiting_list(
    *, user: User, pupil: Pupil, provision: Provision, referral: Referral | None = None
) -> WaitingListEntry:
    require(can_commission(membership_of(user)), "Only LA officers and school staff can add a child to a waiting list")
    _require_visible(user, pupil)
    if provision.status != Provision.Status.PUBLISHED:
        raise DomainError("Choose a provision that is published in the directory", field="provision")
    if WaitingListEntry.objects.filter(
        provision=provision, pupil=pupil, status=WaitingListEntry.Status.WAITING
    ).exists():
        raise DomainError(f"{pupil.full_name} is already on the waiting list for {provision}")
    entry = WaitingListEntry.objects.create(
        provision=provision,
        pupil=pupil,
        referral=referral,
        due_date=duties.earliest_due_date(pupil=pupil),
        added_by=user,
    )
    log_access(user=user, obj=pupil, verb="change")
    return entry


@transaction.atomic
def remove_from_waiting_list(*, user: User, entry: WaitingListEntry) -> WaitingListEntry:
    require(can_commission(membership_of(user)), "Only LA officers and school staff can change a waiting list")
    _require_visible(user, entry.pupil)
    entry.status = WAITING_LIST.check(entry.status, "remove", _commissioning(user)).to
    entry.ended_at = now()
    entry.save(update_fields=["status", "ended_at"])
    log_access(user=user, obj=entry.pupil, verb="change")
    return entry


def refresh_waiting_list_due_dates(*, pupils: Iterable[Pupil]) -> None:
    for pupil in pupils:
        WaitingListEntry.objects.filter(pupil=pupil, status=WaitingListEntry.Status.WAITING).update(
            due_date=duties.earliest_due_date(pupil=pupil)
        )


# --- Routes ---------------------------------------------------------------------------------------------------


@transaction.atomic
def update_route(
    *,
    user: User,
    route: Route,
    name: str,
    commissioner: str,
    place_funding_payer: str,
    top_up_payer: str,
    registration: str,
    registration_note: str = "",
) -> Route:
    """An LA admin sets who commissions and pays on one of their LA's routes; placements already made keep theirs."""
    require(can_change_routes(membership_of(user), route), "Only your LA's admins can change its routes")
    problems = Problems()
    name = check_required(problems, limits.ROUTE_NAME, name, field="name", missing="Enter a name for the route")
    with problems.check():
        registration_note = check_limit(limits.REGISTRATION_NOTE, registration_note, field="registration_note")
    problems.raise_any()
    checks = (
        ("commissioner", commissioner, set(Commissioner.values)),
        ("place_funding_payer", place_funding_payer, {"", "la", "school"}),
        ("top_up_payer", top_up_payer, {"la", "school"}),
        ("registration", registration, set(Registration.values)),
    )
    for field, value, allowed in checks:
        if value not in allowed:
            raise DomainError(f"Choose the {own_field(Route, field).verbose_name} from the list", field=field)
    route.name = name
    route.commissioner = commissioner
    route.place_funding_payer = place_funding_payer
    route.top_up_payer = top_up_payer
    route.registration = registration
    route.registration_note = registration_note
    route.save()
    return route
