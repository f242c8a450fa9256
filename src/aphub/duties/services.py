"""Writes of the duties app: term dates, LA policy and statutory clocks.

The placements app calls the clock services when it records an episode, starts, reviews or ends a placement. This
app never imports the placements app (an import-linter contract): the episode and placement are the objects the
caller hands over, and their attributes are read from them. Clock services take no user: they run inside the
caller's transaction, and the caller's own access-log row (the episode or placement it created or changed) is the
record of who moved the clock; the sweep that changes states runs as nobody.

Dates in a clock:
- started_on: the event that started it (the exclusion's first day, the referral, the day the review was set);
- due_on: from `rules.due_date` on the calendar that applies (the episode's school, else the pupil's LA);
- met_on / met_by: the day a placement met it; met_on later than due_on stays visibly late;
- stopped_on: the day it stopped applying (episode closed, placement ended) without being met, or the day it was
  withdrawn (state `withdrawn`: its episode was recorded in error).
"""

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Min, Q

from aphub.core.bulk import insert_rows
from aphub.core.clock import now
from aphub.core.clock import today as clock_today
from aphub.core.days.dates import long_date
from aphub.core.days.school_days import SchoolCalendar, is_weekend, weekdays_between
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import check_limit, check_limits, check_required
from aphub.core.permissions import require
from aphub.organisations.models import LocalAuthority, Payer, School

from . import limits, rules
from .calendars import CalendarBook, calendar_for, covers, not_covered_error
from .models import Clock, Closure, EpisodeKind, LocalPolicy, Notification, NotificationRead, Owner, TermDates
from .permissions import can_record_met

TERM_DATES_FILE = Path(__file__).resolve().parent / "data" / "term_dates.json"
# A term longer than this is a typing mistake (a year for a month); the longest English terms are about 14 weeks.
LONGEST_TERM_DAYS = 120


# --- Term dates and closures ----------------------------------------------------------------------------------


def default_term_dates() -> dict[str, list[dict[str, Any]]]:
    """Typical English term dates for 2025-26 to 2027-28 (data/term_dates.json), as `load_term_dates` takes them."""
    raw = json.loads(TERM_DATES_FILE.read_text())
    return {
        "terms": [
            {
                "name": term["name"],
                "first_day": datetime.date.fromisoformat(term["first_day"]),
                "last_day": datetime.date.fromisoformat(term["last_day"]),
            }
            for term in raw["terms"]
        ],
        "closures": [
            {"date": datetime.date.fromisoformat(closure["date"]), "reason": closure["reason"]}
            for closure in raw["closures"]
        ],
    }


def _as_date(value: datetime.date | str, what: str) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(f"{what} must be a date like 2026-09-01, not {value!r}") from None


def _check_term(name: str, first_day: datetime.date, last_day: datetime.date) -> None:
    """The term's name and its dates, checked together: every problem is reported at once."""
    problems = Problems()
    called = (
        check_required(
            problems, limits.TERM_NAME, name, field="name", missing="Enter the name of the term, like Autumn 1 2026"
        )
        or "the term"
    )
    if last_day < first_day:
        problems.add(
            f"The last day of {called} must be the same as or after its first day ({long_date(first_day)})",
            field="last_day",
        )
    elif (last_day - first_day).days > LONGEST_TERM_DAYS:
        problems.add(
            f"{called[0].upper()}{called[1:]} is {(last_day - first_day).days + 1} days long. A term is at most "
            "about 14 weeks: check the dates, and enter half-terms as separate terms",
            field="last_day",
        )
    problems.raise_any()


def _overlap(
    first_day: datetime.date, last_day: datetime.date, terms: Iterable[tuple[str, datetime.date, datetime.date]]
):
    for name, first, last in terms:
        if first <= last_day and first_day <= last:
            return name, first, last
    return None


def _same_calendar(model, *, local_authority: LocalAuthority, school: School | None):
    if school is not None:
        return model.objects.filter(school=school)
    return model.objects.filter(local_authority=local_authority, school__isnull=True)


def _check_school(local_authority: LocalAuthority, school: School | None) -> None:
    if school is not None and school.local_authority_id != local_authority.pk:
        raise DomainError(f"{school.name} is not a school of {local_authority.name}", field="school")


@transaction.atomic
def load_term_dates(
    *,
    local_authority: LocalAuthority,
    terms: Iterable[dict[str, Any]],
    closures: Iterable[dict[str, Any]] = (),
    school: School | None = None,
) -> tuple[int, int]:
    """Load term dates and closures into the LA's calendar (or the school's own); returns (terms, closures) added.

    Idempotent: a term already there with the same dates, or a closure on a day already closed, is skipped. All is
    checked before anything is written, so a bad term loads nothing.
    """
    _check_school(local_authority, school)
    existing_terms = list(
        _same_calendar(TermDates, local_authority=local_authority, school=school).values_list(
            "name", "first_day", "last_day"
        )
    )
    known = {(first, last) for _, first, last in existing_terms}
    new_terms: list[TermDates] = []
    for term in terms:
        name = str(term["name"])
        first_day = _as_date(term["first_day"], f"The first day of {name}")
        last_day = _as_date(term["last_day"], f"The last day of {name}")
        if (first_day, last_day) in known:
            continue
        _check_term(name, first_day, last_day)
        clash = _overlap(first_day, last_day, existing_terms)
        if clash:
            raise DomainError(f"{name} overlaps {clash[0]} ({long_date(clash[1])} to {long_date(clash[2])})")
        existing_terms.append((name, first_day, last_day))
        known.add((first_day, last_day))
        new_terms.append(
            TermDates(local_authority=local_authority, school=school, name=name, first_day=first_day, last_day=last_day)
        )
    closed = set(_same_calendar(Closure, local_authority=local_authority, school=school).values_list("date", flat=True))
    new_closures: list[Closure] = []
    for closure in closures:
        day = _as_date(closure["date"], "A closure")
        if day in closed:
            continue
        closed.add(day)
        reason = check_limit(limits.CLOSURE_REASON, closure.get("reason"), field="reason") or "INSET day"
        new_closures.append(Closure(local_authority=local_authority, school=school, date=day, reason=reason))
    TermDates.objects.bulk_create(new_terms)
    Closure.objects.bulk_create(new_closures)
    if new_terms or new_closures:
        recount_due_dates(local_authority=local_authority)
    return len(new_terms), len(new_closures)


@transaction.atomic
def add_term(
    *,
    user,
    local_authority: LocalAuthority,
    name: str,
    first_day: datetime.date,
    last_day: datetime.date,
    school: School | None = None,
) -> TermDates:
    """Add one term to the LA's calendar, or to a school's own calendar. Running clocks are counted again."""
    problems = Problems()
    with problems.check():
        _check_school(local_authority, school)
    name = name.strip()
    with problems.check():
        _check_term(name, first_day, last_day)
    if not any(problem.field == "last_day" for problem in problems.errors):
        same = _same_calendar(TermDates, local_authority=local_authority, school=school)
        clash = _overlap(first_day, last_day, same.values_list("name", "first_day", "last_day"))
        if clash:
            problems.add(
                f"This term overlaps {clash[0]} ({long_date(clash[1])} to {long_date(clash[2])}). "
                "Change the dates, or delete that term first",
                field="first_day",
            )
    problems.raise_any()
    term = TermDates.objects.create(
        local_authority=local_authority, school=school, name=name, first_day=first_day, last_day=last_day
    )
    recount_due_dates(local_authority=local_authority)
    return term


@transaction.atomic
def add_closure(
    *, user, local_authority: LocalAuthority, date: datetime.date, reason: str, school: School | None = None
) -> Closure:
    """Close a school day: an INSET day or another closure. It must be a weekday inside a term of that calendar."""
    _check_school(local_authority, school)
    reason = check_limit(limits.CLOSURE_REASON, reason, field="reason") or "INSET day"
    if is_weekend(date):
        raise DomainError(
            f"{long_date(date)} is a {date:%A}: only a weekday can be an INSET day or closure", field="date"
        )
    if _same_calendar(Closure, local_authority=local_authority, school=school).filter(date=date).exists():
        raise DomainError(f"{long_date(date)} is already a closure in this calendar", field="date")
    calendar = calendar_for(local_authority=local_authority, school=school)
    if not any(first <= date <= last for first, last in calendar.terms):
        raise DomainError(
            f"{long_date(date)} is not in any term of this calendar. Add the term first, then its INSET days",
            field="date",
        )
    closure = Closure.objects.create(local_authority=local_authority, school=school, date=date, reason=reason)
    recount_due_dates(local_authority=local_authority)
    return closure


@transaction.atomic
def delete_term(*, user, term: TermDates) -> int:
    """Delete the term and count the LA's running clocks again; returns how many due dates moved."""
    local_authority = term.local_authority
    term.delete()
    return recount_due_dates(local_authority=local_authority)


@transaction.atomic
def delete_closure(*, user, closure: Closure) -> int:
    """Delete the closure and count the LA's running clocks again; returns how many due dates moved."""
    local_authority = closure.local_authority
    closure.delete()
    return recount_due_dates(local_authority=local_authority)


def recount_due_dates(*, local_authority: LocalAuthority, today: datetime.date | None = None) -> int:
    """Count the due dates of the LA's running school-day clocks again after its term dates changed.

    A due date the new calendar cannot reach (its terms end first) keeps its old value rather than vanish: the
    worklist still shows it, and the next change of term dates counts it again. Returns how many due dates moved.
    """
    moved = _due_date_moves(local_authority=local_authority)
    for clock, due in moved:
        clock.due_on = due
        clock.updated_at = now()
    Clock.objects.bulk_update([clock for clock, _ in moved], ["due_on", "updated_at"])
    if moved:
        refresh_states(today=today or clock_today(), local_authority=local_authority)
    return len(moved)


def due_dates_moved_by_deleting(*, term: TermDates | None = None, closure: Closure | None = None) -> int:
    """How many running clocks' due dates deleting the term or closure would move; it writes nothing.

    The confirmation page says this number before an LA admin deletes term dates (every school-day clock of the LA
    is counted again from the calendar that is left).
    """
    deleted = term or closure
    if deleted is None:
        raise ValueError("Give the term dates or the closure that would be deleted")
    local_authority = deleted.local_authority
    return len(
        _due_date_moves(
            local_authority=local_authority,
            without_terms=[term.pk] if term else [],
            without_closures=[closure.pk] if closure else [],
        )
    )


def _due_date_moves(
    *, local_authority: LocalAuthority, without_terms: Iterable[int] = (), without_closures: Iterable[int] = ()
) -> list[tuple[Clock, datetime.date]]:
    """(clock, new due date) for each running school-day clock whose due date the LA's calendar moves."""
    school_day_rules = [slug for slug, rule in rules.RULES.items() if rule.counts_school_days]
    clocks = list(
        Clock.objects.filter(local_authority=local_authority, rule__in=school_day_rules)
        .running()
        .select_related("episode")
        .only("id", "rule", "started_on", "due_on", "state", "local_authority_id", "episode__school_id")
    )
    if not clocks:
        return []
    book = CalendarBook(
        [local_authority.pk],
        {clock.episode.school_id for clock in clocks if clock.episode is not None},
        without_terms=without_terms,
        without_closures=without_closures,
    )
    moved = []
    for clock in clocks:
        calendar = book.for_school(local_authority.pk, clock.episode.school_id if clock.episode is not None else None)
        try:
            due = rules.due_date(clock.rule, clock.started_on, calendar)
        except ValueError:
            continue
        if covers(calendar, clock.started_on) and due != clock.due_on:
            moved.append((clock, due))
    return moved


# --- Local policy ---------------------------------------------------------------------------------------------

POLICY_FIELDS = (
    "due_soon_school_days",
    "review_interval_weeks",
    "tier_2_planned_weeks",
    "consecutive_absence_alert",
    "follow_up_weeks",
    "place_funding_annual",
    "unregistered_max_weeks",
    "unregistered_max_sessions",
    "publication_threshold",
)


def policy_for(local_authority: LocalAuthority) -> LocalPolicy:
    """The LA's policy, made with the default numbers the first time it is asked for."""
    policy, _ = LocalPolicy.objects.get_or_create(local_authority=local_authority)
    return policy


@transaction.atomic
def update_policy(*, user, local_authority: LocalAuthority, values: dict[str, Any]) -> LocalPolicy:
    """Change the LA's policy numbers. Clock states are worked out again, since 'due soon' may have moved."""
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"Not policy fields: {sorted(unknown)}")
    limited = {
        "follow_up_weeks": limits.follow_up_weeks,
        "place_funding_annual": limits.place_funding_annual,
        **limits.POLICY_NUMBERS,
    }
    values = {**values, **check_limits({name: (limited[name], values[name]) for name in limited if name in values})}
    policy = LocalPolicy.objects.select_for_update().get(pk=policy_for(local_authority).pk)
    for name, value in values.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    refresh_states(today=clock_today(), local_authority=local_authority)
    return policy


# --- Clock states ---------------------------------------------------------------------------------------------


def _days_between(calendar: SchoolCalendar, first: datetime.date, last: datetime.date) -> int:
    """School days from `first` to `last`, both counted. Beyond the calendar's terms, weekdays stand in for them:
    an LA that has not entered next year's dates yet should see a far-off review as far off, not as due soon.
    """
    if last < first:
        return 0
    if not calendar.terms:
        return weekdays_between(first, last)
    known_end = calendar.terms[-1][1]
    counted = calendar.school_days_between(first, min(last, known_end))
    if last > known_end:
        counted += weekdays_between(max(first, known_end + datetime.timedelta(days=1)), last)
    return counted


def school_days_left(calendar: SchoolCalendar, today: datetime.date, due_on: datetime.date) -> int:
    """School days after today up to and including the due date: 0 when it is due today."""
    return _days_between(calendar, today + datetime.timedelta(days=1), due_on)


def school_days_overdue(calendar: SchoolCalendar, today: datetime.date, due_on: datetime.date) -> int:
    """School days after the due date up to and including today."""
    return _days_between(calendar, due_on + datetime.timedelta(days=1), today)


def state_on(
    *, due_on: datetime.date, today: datetime.date, calendar: SchoolCalendar, due_soon_school_days: int
) -> str:
    """The state of a running clock on `today`: breached once its due date has passed (a duty 'from' a day that
    is not met on that day is breached from the next), due soon within the LA's window, else open.
    """
    if today > due_on:
        return Clock.State.BREACHED
    if school_days_left(calendar, today, due_on) <= due_soon_school_days:
        return Clock.State.DUE_SOON
    return Clock.State.OPEN


@dataclass
class Refreshed:
    checked: int
    changed: int


def due_soon_days(local_authority_ids: Iterable[int]) -> dict[int, int]:
    """LA id -> its 'due soon' window in school days (the default where it has no policy yet), in one query."""
    default = LocalPolicy._meta.get_field("due_soon_school_days").default
    found = dict(
        LocalPolicy.objects.filter(local_authority_id__in=set(local_authority_ids)).values_list(
            "local_authority_id", "due_soon_school_days"
        )
    )
    return {la_id: found.get(la_id, default) for la_id in local_authority_ids}


def refresh(*, today: datetime.date, local_authority: LocalAuthority | None = None) -> Refreshed:
    """Work out every running clock's state on `today` in one pass; write only the ones that changed."""
    running = Clock.objects.running()
    if local_authority is not None:
        running = running.filter(local_authority=local_authority)
    rows = list(running.values_list("id", "local_authority_id", "episode__school_id", "due_on", "state"))
    if not rows:
        return Refreshed(0, 0)
    la_ids = {row[1] for row in rows}
    book = CalendarBook(la_ids, {row[2] for row in rows})
    window = due_soon_days(la_ids)
    stamp = now()
    changed = []
    for clock_id, la_id, school_id, due_on, state in rows:
        new_state = state_on(
            due_on=due_on, today=today, calendar=book.for_school(la_id, school_id), due_soon_school_days=window[la_id]
        )
        if new_state != state:
            changed.append(Clock(pk=clock_id, state=new_state, updated_at=stamp))
    Clock.objects.bulk_update(changed, ["state", "updated_at"], batch_size=1000)
    return Refreshed(checked=len(rows), changed=len(changed))


def refresh_states(*, today: datetime.date, local_authority: LocalAuthority | None = None) -> int:
    """Set every running clock (of one LA, or all) to open, due soon or breached on `today`; returns how many moved."""
    return refresh(today=today, local_authority=local_authority).changed


# --- Episode clocks -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Start:
    rule: rules.Rule
    owner: str
    owner_school: School | None


def _episode_starts(episode) -> list[_Start]:
    """Which clocks an episode starts, by its route's kind."""
    kind = episode.route.kind
    school = episode.school
    if kind == EpisodeKind.PERMANENT_EXCLUSION:
        starts = [_Start(rules.PERMANENT_EXCLUSION, Owner.LA, None)]
        if school is not None:
            starts.append(_Start(rules.GOVERNING_BOARD_REVIEW, Owner.SCHOOL, school))
        return starts
    if kind == EpisodeKind.SUSPENSION:
        days = episode.suspension_school_days or 0
        starts = []
        # The sixth-day duty exists only for a suspension of more than five school days.
        if days > 5:
            starts.append(_Start(rules.SUSPENSION, Owner.SCHOOL, school))
        # The board must also consider reinstatement when suspended for more than 15 school days in a term.
        if days > 15 and school is not None:
            starts.append(_Start(rules.GOVERNING_BOARD_REVIEW, Owner.SCHOOL, school))
        return starts
    if kind == EpisodeKind.HEALTH_NEEDS:
        return [_Start(rules.HEALTH_NEEDS, Owner.LA, None)]
    if kind == EpisodeKind.AWAITING_SCHOOL_PLACE:
        return [_Start(rules.FAIR_ACCESS, Owner.LA, None)]
    return []


def _calendar_and_due(rule: rules.Rule, event: datetime.date, *, local_authority: LocalAuthority, school):
    if not rule.counts_school_days:
        return calendar_for(local_authority=local_authority, school=school), rule.due_date(event, SchoolCalendar([]))
    calendar = calendar_for(local_authority=local_authority, school=school, covering=event)
    try:
        return calendar, rule.due_date(event, calendar)
    except ValueError:
        whose = school.name if school is not None else local_authority.name
        raise not_covered_error(day=event, whose=whose) from None


def _initial_state(due_on: datetime.date, calendar: SchoolCalendar, local_authority: LocalAuthority) -> str:
    return state_on(
        due_on=due_on,
        today=clock_today(),
        calendar=calendar,
        due_soon_school_days=policy_for(local_authority).due_soon_school_days,
    )


@transaction.atomic
def start_episode_clocks(*, episode) -> list[Clock]:
    """Start the statutory clocks of a newly recorded episode; calling it again starts nothing new.

    permanent exclusion: the LA's sixth-day clock and the school's governing board review (15 school days);
    suspension of more than 5 school days: the school's sixth-day clock (and a board review beyond 15 days);
    health needs: the LA's clock, due at once; awaiting a school place: the LA's Fair Access clock (20 school days).
    Counted in the calendar of the episode's school when it has one, else of the pupil's LA. Raises NoTermDates
    (a DomainError) when that calendar does not cover the episode's start.
    """
    starts = _episode_starts(episode)
    if not starts:
        return []
    pupil = episode.pupil
    local_authority = pupil.local_authority
    have = {
        clock.rule: clock
        for clock in Clock.objects.filter(
            episode=episode, placement__isnull=True, rule__in=[start.rule.slug for start in starts]
        ).exclude(state=Clock.State.WITHDRAWN)
    }
    made = []
    for start in starts:
        if start.rule.slug in have:
            continue
        calendar, due_on = _calendar_and_due(
            start.rule, episode.start_date, local_authority=local_authority, school=episode.school
        )
        made.append(
            Clock.objects.create(
                local_authority=local_authority,
                pupil=pupil,
                episode=episode,
                rule=start.rule.slug,
                owner=start.owner,
                owner_school=start.owner_school,
                started_on=episode.start_date,
                due_on=due_on,
                state=_initial_state(due_on, calendar, local_authority),
            )
        )
    return [*[have[s.rule.slug] for s in starts if s.rule.slug in have], *made]


@transaction.atomic
def meet_episode_clocks(*, episode, placement, on: datetime.date) -> list[Clock]:
    """Mark the episode's running education clocks met by `placement` on `on` (the day the child starts).

    A clock met after its due date keeps both dates, so it stays visibly late (met_on > due_on). Reviews by the
    governing board are not met by a placement and keep running.
    """
    if placement.episode_id != episode.pk:
        raise DomainError("This placement is for another episode, so it cannot meet this episode's clocks")
    clocks = list(
        Clock.objects.select_for_update()
        .filter(episode=episode, placement__isnull=True, rule__in=rules.EDUCATION_RULES)
        .running()
    )
    for clock in clocks:
        if on < clock.started_on:
            raise DomainError(
                f"The placement starts on {long_date(on)}, before the {rules.rule_for(clock.rule).title.lower()} "
                f"clock started ({long_date(clock.started_on)}). Check the dates",
                field="start_date",
            )
    stamp = now()
    for clock in clocks:
        clock.state = Clock.State.MET
        clock.met_on = on
        clock.met_by = placement
        clock.updated_at = stamp
    Clock.objects.bulk_update(clocks, ["state", "met_on", "met_by", "updated_at"])
    return clocks


def episode_clocks(episode):
    """The clocks an episode started itself (not its placements'), withdrawn ones left out."""
    return Clock.objects.filter(episode=episode, placement__isnull=True).exclude(state=Clock.State.WITHDRAWN)


@transaction.atomic
def withdraw_episode_clocks(*, episode, on: datetime.date) -> list[Clock]:
    """Withdraw every clock an episode recorded in error started: running, met or stopped, they never applied.

    Kept, not deleted, for the history; withdrawn clocks leave the worklist and the reminders (not running) and are
    never counted as duties met or breached. Returns the clocks withdrawn.
    """
    clocks = list(episode_clocks(episode).select_for_update())
    stamp = now()
    for clock in clocks:
        clock.state = Clock.State.WITHDRAWN
        clock.stopped_on = on
        clock.updated_at = stamp
    Clock.objects.bulk_update(clocks, ["state", "stopped_on", "updated_at"])
    return clocks


@dataclass
class Recounted:
    moved: list[Clock]  # the due date changed
    withdrawn: list[Clock]  # the corrected episode no longer starts this duty
    started: list[Clock]  # the corrected episode now starts this duty too


@transaction.atomic
def recount_episode_clocks(*, episode, on: datetime.date) -> Recounted:
    """Count an episode's clocks again after its dates or details were corrected.

    Each duty that still follows from the episode is counted from the corrected start date (a running clock's state
    is worked out again; a met or stopped one keeps its state); a duty that no longer follows (a suspension
    corrected to 15 school days or fewer needs no governing board review) is withdrawn; a duty that now follows is
    started. Raises DomainError when a placement met a clock before the corrected start date.
    """
    wanted = {start.rule.slug: start for start in _episode_starts(episode)}
    local_authority = episode.pupil.local_authority
    moved, withdrawn = [], []
    stamp = now()
    for clock in episode_clocks(episode).select_for_update():
        start = wanted.get(clock.rule)
        if start is None:
            clock.state, clock.stopped_on = Clock.State.WITHDRAWN, on
            withdrawn.append(clock)
            continue
        if clock.met_on is not None and clock.met_on < episode.start_date:
            raise DomainError(
                f"A placement met the duty '{rules.rule_for(clock.rule).title}' on {long_date(clock.met_on)}, "
                f"before the corrected start date ({long_date(episode.start_date)}). Check the dates",
                field="start_date",
            )
        calendar, due_on = _calendar_and_due(
            start.rule, episode.start_date, local_authority=local_authority, school=episode.school
        )
        if (clock.started_on, clock.due_on, clock.owner, clock.owner_school) == (
            episode.start_date,
            due_on,
            start.owner,
            start.owner_school,
        ):
            continue
        clock.started_on, clock.due_on = episode.start_date, due_on
        clock.owner, clock.owner_school = start.owner, start.owner_school
        if clock.state in Clock.RUNNING_STATES:
            clock.state = _initial_state(due_on, calendar, local_authority)
        moved.append(clock)
    for clock in [*moved, *withdrawn]:
        clock.updated_at = stamp
    Clock.objects.bulk_update(
        [*moved, *withdrawn], ["state", "stopped_on", "started_on", "due_on", "owner", "owner_school", "updated_at"]
    )
    before = {clock.pk for clock in episode_clocks(episode)}
    started = [clock for clock in start_episode_clocks(episode=episode) if clock.pk not in before]
    return Recounted(moved=moved, withdrawn=withdrawn, started=started)


@transaction.atomic
def stop_episode_clocks(*, episode, on: datetime.date) -> int:
    """Stop every running clock of a closed episode (placement clocks too); returns how many stopped."""
    return Clock.objects.filter(episode=episode).stop_running(on)


# --- Placement clocks -----------------------------------------------------------------------------------------


def _placement_dates(placement) -> dict[str, datetime.date | None]:
    return {
        rules.PLACEMENT_REVIEW.slug: placement.next_review_due,
        rules.PLANNED_END.slug: placement.planned_end_date,
        rules.PART_TIME_REVIEW.slug: placement.part_time_review_date,
    }


def _placement_clock(
    placement,
    rule: str,
    due_on: datetime.date,
    started_on: datetime.date,
    calendar: SchoolCalendar | None = None,
) -> Clock:
    """A commissioner's clock of the placement, unsaved; `calendar` is the episode school's (or the LA's), read when
    not given."""
    pupil = placement.pupil
    local_authority = pupil.local_authority
    episode = placement.episode
    if calendar is None:
        calendar = calendar_for(local_authority=local_authority, school=episode.school if episode else None)
    return Clock(
        local_authority=local_authority,
        pupil=pupil,
        episode=episode,
        placement=placement,
        owner_school=_placement_clock_owner_school(placement),
        **_placement_clock_terms(
            rule, due_on, started_on, calendar, policy_for(local_authority).due_soon_school_days, clock_today()
        ),
    )


def _placement_clock_owner_school(placement):
    # The school answers for the clocks of a placement it commissions; the LA for the others.
    return placement.commissioning_school if placement.commissioner == Payer.SCHOOL else None


def _placement_clock_terms(
    rule: str,
    due_on: datetime.date,
    started_on: datetime.date,
    calendar: SchoolCalendar,
    due_soon_school_days: int,
    on: datetime.date,
) -> dict[str, Any]:
    """What a placement clock says beyond whose it is: its rule, owner, dates and state on `on` (today)."""
    return {
        "rule": rule,
        "owner": Owner.COMMISSIONER,
        "started_on": started_on,
        "due_on": due_on,
        "state": state_on(due_on=due_on, today=on, calendar=calendar, due_soon_school_days=due_soon_school_days),
    }


def _new_placement_clock(placement, rule: str, due_on: datetime.date, started_on: datetime.date) -> Clock:
    clock = _placement_clock(placement, rule, due_on, started_on)
    clock.save()
    return clock


def start_new_placements_clocks(*, placements, calendar: SchoolCalendar) -> int:
    """`start_placement_clocks` for placements just created, which have no clocks yet, all of one LA whose episodes
    share `calendar`: one INSERT for all, written as rows rather than Clock objects (a school's census return brings
    thousands). Returns how many clocks started."""
    placements = list(placements)
    if not placements:
        return 0
    started_on = clock_today()
    due_soon = policy_for(placements[0].pupil.local_authority).due_soon_school_days
    rows = []
    for placement in placements:
        owner_school = _placement_clock_owner_school(placement)
        whose = {
            "local_authority_id": placement.pupil.local_authority_id,
            "pupil_id": placement.pupil_id,
            "episode_id": placement.episode_id,
            "placement_id": placement.pk,
            "owner_school_id": owner_school.pk if owner_school is not None else None,
        }
        for rule, due_on in _placement_dates(placement).items():
            if due_on is not None:
                terms = _placement_clock_terms(rule, due_on, min(started_on, due_on), calendar, due_soon, started_on)
                rows.append({**whose, **terms})
    return insert_rows(Clock, rows)


@transaction.atomic
def start_placement_clocks(*, placement) -> list[Clock]:
    """Start the commissioner's clocks of a placement: its next review, planned end and part-time review, each
    only when the placement sets that date. Calling it again starts nothing new. Returns the running clocks.
    """
    running = {clock.rule: clock for clock in Clock.objects.filter(placement=placement).running()}
    started_on = clock_today()
    clocks = []
    for rule, due_on in _placement_dates(placement).items():
        if rule in running:
            clocks.append(running[rule])
        elif due_on is not None:
            clocks.append(_new_placement_clock(placement, rule, due_on, min(started_on, due_on)))
    return clocks


@transaction.atomic
def reset_placement_clock(
    *, placement, rule: str, due_on: datetime.date | None, on: datetime.date | None = None
) -> Clock | None:
    """A review (or a new decision) moves a placement's date: the running clock is met on `on` (today when not
    given) and a new one starts, due on `due_on`. With `due_on` None the clock is met and none follows.
    """
    if rule not in rules.PLACEMENT_RULES:
        raise ValueError(f"{rule!r} is not a placement clock; those are {', '.join(rules.PLACEMENT_RULES)}")
    on = on or clock_today()
    if due_on is not None and due_on < on:
        raise DomainError(
            f"The next date ({long_date(due_on)}) must be on or after {long_date(on)}", field="next_review_due"
        )
    Clock.objects.filter(placement=placement, rule=rule).running().update(
        state=Clock.State.MET, met_on=on, met_by=placement, updated_at=now()
    )
    if due_on is None:
        return None
    return _new_placement_clock(placement, rule, due_on, on)


@transaction.atomic
def stop_placement_clocks(*, placement, on: datetime.date) -> int:
    """The placement ended or was cancelled: its running clocks stop. Returns how many stopped."""
    return Clock.objects.filter(placement=placement).stop_running(on)


# --- Clocks met by a decision, not a placement -----------------------------------------------------------------

# Duties that a meeting or decision meets, recorded by hand: the governing board considering reinstatement.
RECORDED_BY_HAND: tuple[str, ...] = (rules.GOVERNING_BOARD_REVIEW.slug,)


def may_record_met(user, clock: Clock) -> bool:
    """A running duty met by hand (a decision), and the user may record it (permissions.can_record_met)."""
    from aphub.organisations.queries import membership_of

    if clock.rule not in RECORDED_BY_HAND or clock.state not in Clock.RUNNING_STATES:
        return False
    return can_record_met(membership_of(user), clock)


@transaction.atomic
def record_clock_met(*, user, clock: Clock, on: datetime.date, note: str) -> Clock:
    """Record that a duty met by a decision was met on `on` (the governing board considered reinstatement).

    The note says what was decided; it is part of the child's record, so the change is access-logged.
    """
    from aphub.audit.services import log_access

    clock = Clock.objects.select_for_update().get(pk=clock.pk)
    if clock.rule not in RECORDED_BY_HAND:
        raise DomainError(f"{rules.rule_for(clock.rule).title} is met by a placement or a review, not recorded here")
    if clock.state not in Clock.RUNNING_STATES:
        raise DomainError("This duty is no longer running: it was met or stopped already")
    require(
        may_record_met(user, clock), "Only the school that owns this duty, or the local authority, can record it as met"
    )
    problems = Problems()
    note = check_required(
        problems,
        limits.DECISION,
        note,
        field="note",
        missing="Enter what was decided, like 'The governing board upheld the exclusion'",
    )
    if on < clock.started_on:
        problems.add(
            f"The date it was met must be on or after {long_date(clock.started_on)}, when the duty started",
            field="met_on",
        )
    elif on > clock_today():
        problems.add("The date it was met must be today or in the past", field="met_on")
    problems.raise_any()
    clock.state = Clock.State.MET
    clock.met_on = on
    clock.met_note = note
    clock.updated_at = now()
    clock.save(update_fields=["state", "met_on", "met_note", "updated_at"])
    log_access(user=user, obj=clock, verb="change")
    return clock


# --- Reading for other apps -----------------------------------------------------------------------------------


def earliest_due_date(*, pupil) -> datetime.date | None:
    """The earliest due date of the pupil's running education clocks (the duty to get the child into education);
    the waiting list orders by it. Reviews and policy dates do not jump a child up a waiting list.
    """
    return (
        Clock.objects.filter(pupil=pupil, rule__in=rules.EDUCATION_RULES)
        .running()
        .aggregate(earliest=Min("due_on"))["earliest"]
    )


# --- Reminders --------------------------------------------------------------------------------------------------


def _kinds_due(state: str) -> list[str]:
    from .models import Reminder

    if state == Clock.State.DUE_SOON:
        return [Reminder.Kind.DUE_SOON]
    if state == Clock.State.BREACHED:
        return [Reminder.Kind.BREACHED]
    return []


def send_reminders(*, today: datetime.date, local_authority: LocalAuthority | None = None) -> int:
    """Send one reminder per clock and kind for clocks now due soon or breached; returns how many were sent.

    A Reminder row is written in the same transaction as the message is queued, and the (clock, kind) pair is
    unique, so a second sweep, or two sweeps at once, never send the same reminder twice.
    """
    from .models import Reminder
    from .reminders import message_for, recipients_for

    candidates = (
        Clock.objects.filter(state__in=[Clock.State.DUE_SOON, Clock.State.BREACHED])
        .exclude(Q(state=Clock.State.DUE_SOON, reminders__kind=Reminder.Kind.DUE_SOON))
        .exclude(Q(state=Clock.State.BREACHED, reminders__kind=Reminder.Kind.BREACHED))
        .select_related("pupil", "local_authority", "owner_school", "placement", "placement__commissioning_school")
        .order_by("id")
    )
    if local_authority is not None:
        candidates = candidates.filter(local_authority=local_authority)
    clocks = list(candidates)
    if not clocks:
        return 0
    addresses = recipients_for(clocks)
    sent = 0
    for clock in clocks:
        for kind in _kinds_due(clock.state):
            recipients = addresses.get(clock.pk, [])
            subject, body = message_for(clock, kind=kind, today=today)
            try:
                with transaction.atomic():
                    Reminder.objects.create(clock=clock, kind=kind, recipients="\n".join(recipients))
                    from .notify import notify

                    notify(recipients=recipients, subject=subject, body=body)
            except IntegrityError:
                continue  # another sweep sent it first
            sent += bool(recipients)
    return sent


@dataclass
class Swept:
    checked: int
    changed: int
    reminders: int

    def summary(self) -> str:
        return f"Checked {self.checked} running clocks: {self.changed} changed state, {self.reminders} reminders sent."


def sweep(*, today: datetime.date | None = None) -> Swept:
    """What cron runs: refresh every LA's clock states, then send the reminders now due."""
    today = today or clock_today()
    refreshed = refresh(today=today)
    return Swept(checked=refreshed.checked, changed=refreshed.changed, reminders=send_reminders(today=today))


# -- Notifications read ----------------------------------------------------------------------------------------
# A notification counts as read once the person follows it to its page, not when a list shows its subject: it asks
# someone to act (answer an offer, arrange a panel), and a subject glimpsed on the home page or in a list is not
# acted on. So the list keeps showing what each person has not yet opened, and "Mark all as read" clears what they
# dealt with another way. Read state is each person's own and changes no child's record, so it is not in the access
# log (docs/decisions/0017-notifications-read-when-followed.md).


def mark_notification_read(*, user, notification: Notification) -> NotificationRead:
    read, _ = NotificationRead.objects.get_or_create(notification=notification, user=user)
    return read


def mark_notifications_read(*, user, notifications: Iterable[Notification]) -> int:
    """Every one of `notifications` read by `user`, in one INSERT; those already read stay as they were."""
    reads = [NotificationRead(notification=notification, user=user) for notification in notifications]
    NotificationRead.objects.bulk_create(reads, ignore_conflicts=True)
    return len(reads)
