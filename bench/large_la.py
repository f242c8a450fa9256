"""Bench data only: the large demo LA's children and their journeys, written straight into the tables.

`make bench` needs a large LA (about 20,000 pupils, 60,000 placements and 3,000,000 attendance marks, issue 3).
Made through the services, as demo_journeys.py makes the normal demo's, that would take hours: every offer locks
its provision, every mark is a row of its own and every change writes the access log. So this module writes the
rows in bulk, as a migration from an older system would, and keeps them to the rules by construction instead:

- pupils with valid UPNs (LA number 990, check letter from aphub.core.identifiers) enrolled at the LA's schools;
- episodes on the LA's routes over the last two years; a child's placements follow one another, the first of each
  episode full time, never two full-time placements held at once, and never more places held at a provision than
  it has;
- placements at the LA's published provisions: mostly ended, about 10% active, some offered or accepted, a few
  cancelled; commissioner, route, tier, registration and dates as offer_placement would set them;
- the clocks the duties services would have started: an episode's mostly met by the placement that started, a few
  hundred running (open, due soon, breached) for recent episodes; and each started placement's review, planned end
  and part-time review clocks, stopped when it ended and running while it is active (so at full size the worklist
  holds about 12,000 running clocks, as an LA with 6,000 children in AP would);
- attendance marks for the school days of the most recent placements (COPY on PostgreSQL), and a few reviews
  with outcome scores.

No access log is written: nobody looked at or changed these records. Funding lines, referrals and follow-ups are
left out (the bench does not measure them). The bench's children have UPNs of their own (bench_upn), so they sit
beside the normal demo's children, and a second call finds them and does nothing. Never call this on a live
database.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import io
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from aphub.core.clock import today as clock_today
from aphub.core.days.school_days import SchoolCalendar
from aphub.core.days.school_years import birthday, school_year_start, school_year_starts_in_year_group
from aphub.core.identifiers import upn_check_letter
from aphub.demo.build import demo_postcodes
from aphub.demo.characteristics import characteristics
from aphub.demo.journeys import FIRST_NAMES, LAST_NAMES
from aphub.directory.models import Provision
from aphub.duties import rules
from aphub.duties.calendars import calendar_for
from aphub.duties.models import Clock, Owner
from aphub.duties.services import default_term_dates, load_term_dates, policy_for, state_on
from aphub.organisations.models import LocalAuthority, School, User
from aphub.placements.models import (
    AttendanceMark,
    Destination,
    Episode,
    OutcomeArea,
    OutcomeScore,
    Placement,
    Review,
)
from aphub.placements.services import FOLLOWS_WITHIN_SCHOOL_DAYS, ensure_routes
from aphub.pupils.models import Enrolment, Pupil

# The academic year before the shipped default term dates, so two years back from late 2026 are school days too.
# Typical English dates, as data/term_dates.json has them for the years after.
EARLIER_TERMS = [
    {"name": "Autumn 1 2024", "first_day": datetime.date(2024, 9, 2), "last_day": datetime.date(2024, 10, 25)},
    {"name": "Autumn 2 2024", "first_day": datetime.date(2024, 11, 4), "last_day": datetime.date(2024, 12, 20)},
    {"name": "Spring 1 2025", "first_day": datetime.date(2025, 1, 6), "last_day": datetime.date(2025, 2, 14)},
    {"name": "Spring 2 2025", "first_day": datetime.date(2025, 2, 24), "last_day": datetime.date(2025, 4, 4)},
    {"name": "Summer 1 2025", "first_day": datetime.date(2025, 4, 22), "last_day": datetime.date(2025, 5, 23)},
    {"name": "Summer 2 2025", "first_day": datetime.date(2025, 6, 2), "last_day": datetime.date(2025, 7, 22)},
]
EARLIER_CLOSURES = [{"date": datetime.date(2024, 9, 2), "reason": "INSET day"}]

WINDOW_DAYS = 730  # episodes spread over the last two years
ACTIVE_SHARE = 0.10  # of placements
OFFERED_SHARE = 0.02
ACCEPTED_SHARE = 0.005
CANCELLED_SHARE = 0.03
PART_TIME_SHARE = 0.10
STEP_SHARE = 0.3  # of placements that follow another: moved to another tier rather than staying in the same one
REVIEWED_SHARE = 0.05  # placements with a start (and exit) review scored
RUNNING_EPISODE_SHARE = 0.015  # pupils with a recent episode whose clocks still run

# Route kinds, weighted as seed 004 describes the cohort: most AP follows permanent exclusion or health needs.
KIND_WEIGHTS = {
    "permanent-exclusion": 30,
    "health-needs": 20,
    "suspension": 10,
    "short-term-intervention": 15,
    "long-term-ap": 10,
    "awaiting-school-place": 5,
    "off-site-direction": 5,
    "other-s19": 3,
    "part-time-vocational": 2,
}
# Kinds whose episodes start clocks (duties.services._episode_starts): the recent, running episodes use these.
CLOCK_KINDS = {"permanent-exclusion": 5, "health-needs": 3, "suspension": 1, "awaiting-school-place": 1}
PLACEMENT_WEEKS = [3, 4, 6, 6, 8, 10, 12, 12, 16, 20]
RETURN_DESTINATIONS = {
    Destination.SAME_SCHOOL: 30,
    Destination.NEW_SCHOOL: 20,
    Destination.SPECIAL_SCHOOL: 8,
    Destination.POST_16_EDUCATION: 15,
    Destination.EMPLOYMENT_TRAINING: 5,
    Destination.NEET: 6,
    Destination.MOVED_AWAY: 4,
}
# A session's mark and how often it is given, before each child's own absence rate is applied.
ABSENCE_CODES = ["I", "I", "M", "O", "O", "N", "U", "C", "E"]
MARK_CHUNK = 50_000
SESSIONS = (("AM", "/"), ("PM", "\\"))


@dataclass
class _Plan:
    """One placement before it is written: enough to write it, its clocks, reviews and marks."""

    pupil_index: int
    episode_index: int
    start: datetime.date
    end: datetime.date | None
    status: str
    full_time: bool = True
    destination: str = ""
    provision: Provision | None = None
    follows: int | None = None  # the index of the plan it follows (placements.services.placement_followed)


@dataclass
class _EpisodePlan:
    pupil_index: int
    kind: str
    start: datetime.date
    school: School | None
    placements: list[int] = field(default_factory=list)  # indexes into the placement plans
    closed_on: datetime.date | None = None


def _log(message: str, started: float) -> None:
    print(f"large LA: {message} ({time.perf_counter() - started:.1f} s)", file=sys.stderr, flush=True)


def bench_upn(la_code: str, serial: int) -> str:
    """The bench's UPNs: LA number, then 7 for bench data (the normal demo's have 26 there), a serial and 1."""
    body = f"{la_code}7{serial:07d}1"
    return upn_check_letter(body) + body


def bench_data_exists(la: LocalAuthority) -> bool:
    return Pupil.objects.filter(local_authority=la, upn=bench_upn(la.la_code, 1)).exists()


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _spread(total: int, slots: int, rng: random.Random, cap: int = 8) -> list[int]:
    """`total` placements over `slots` pupils: one each first, the rest at random, at most `cap` a pupil."""
    counts = [0] * slots
    for index in range(min(total, slots)):
        counts[index] = 1
    left = max(0, total - slots)
    while left:
        index = rng.randrange(slots)
        if counts[index] < cap:
            counts[index] += 1
            left -= 1
    return counts


class _Places:
    """The provisions' places: a placement that holds one (offered, accepted, active) takes a free one."""

    def __init__(self, provisions: list[Provision], rng: random.Random) -> None:
        self.provisions = provisions
        self.weights = [provision.places for provision in provisions]
        held = Counter(
            Placement.objects.holding_a_place().filter(provision__in=provisions).values_list("provision_id", flat=True)
        )
        self.free = {provision.pk: provision.places - held[provision.pk] for provision in provisions}
        self.rng = rng

    def any(self) -> Provision:
        return self.rng.choices(self.provisions, weights=self.weights)[0]

    def hold(self) -> Provision | None:
        for _ in range(20):
            provision = self.any()
            if self.free[provision.pk] > 0:
                self.free[provision.pk] -= 1
                return provision
        open_ = [provision for provision in self.provisions if self.free[provision.pk] > 0]
        if not open_:
            return None
        provision = self.rng.choice(open_)
        self.free[provision.pk] -= 1
        return provision


@transaction.atomic
def build_large_journeys(
    *,
    la: LocalAuthority,
    pupils: int = 20_000,
    placements: int = 60_000,
    marks: int = 3_000_000,
    seed: int = 2026,
) -> dict[str, int]:
    """Bulk-load the large LA's children and journeys (bench data only); returns counts of what was made.

    Skips (returns {"skipped": 1}) when the LA already holds this bench data, so a second `make bench` is fast.
    """
    started = time.perf_counter()
    if bench_data_exists(la):
        return {"skipped": 1}
    rng = random.Random(seed)
    today = clock_today()
    window_start = today - datetime.timedelta(days=WINDOW_DAYS)

    load_term_dates(local_authority=la, terms=EARLIER_TERMS, closures=EARLIER_CLOSURES)
    load_term_dates(local_authority=la, **default_term_dates())
    routes = {route.kind: route for route in ensure_routes(local_authority=la)}
    calendar = calendar_for(local_authority=la)
    policy = policy_for(la)
    school_days = [
        day
        for offset in range(WINDOW_DAYS + 120, -1, -1)
        if calendar.is_school_day(day := today - datetime.timedelta(days=offset))
    ]
    schools = list(School.objects.filter(local_authority=la).order_by("pk"))
    secondary = [school for school in schools if school.phase == School.Phase.SECONDARY] or schools
    provisions = list(
        Provision.objects.filter(local_authority=la, status=Provision.Status.PUBLISHED, places__gt=0).order_by("pk")
    )
    if not schools or not provisions:
        raise ValueError(f"{la} needs schools and published provisions with places first (build_demo)")
    officer = (
        User.objects.filter(memberships__local_authority=la, memberships__role="la-officer").order_by("pk").first()
    )
    places = _Places(provisions, rng)
    postcodes = [postcode for postcode, _lat, _lon in demo_postcodes() if not postcode.startswith("CV7")]

    # --- Pupils and enrolments -----------------------------------------------------------------------------
    pupil_rows = []
    for serial in range(1, pupils + 1):
        age = rng.choice([12, 13, 13, 14, 14, 14, 15, 15, 15])  # most AP is for Key Stage 4 (DfE AP census)
        born = birthday(today, -age) - datetime.timedelta(days=rng.randint(30, 330))  # `age` today
        pupil_rows.append(
            Pupil(
                local_authority=la,
                upn=bench_upn(la.la_code, serial),
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=born,
                postcode=rng.choice(postcodes),
                **characteristics(rng),  # as the demo's: the cohort dashboard's variety at scale
                safeguarding=rng.choices(["none", "cin", "cp"], weights=[85, 10, 5])[0],
                created_at=_aware(window_start),
                created_by=officer,
            )
        )
    pupil_rows = Pupil.objects.bulk_create(pupil_rows, batch_size=2000)
    home = [rng.choice(secondary) for _ in pupil_rows]
    Enrolment.objects.bulk_create(
        (
            Enrolment(
                pupil=pupil,
                school=school,
                # On the roll since Year 7 (Year 1 at a primary); a young Year 6 joins this September.
                start_date=min(
                    school_year_starts_in_year_group(pupil.date_of_birth, 7 if school in secondary else 1),
                    school_year_start(today),
                ),
                registration=rng.choices(["C", "M"], weights=[85, 15])[0],
            )
            for pupil, school in zip(pupil_rows, home, strict=True)
        ),
        batch_size=2000,
    )
    _log(f"{len(pupil_rows)} pupils and enrolments", started)

    # --- Journeys, planned in memory -----------------------------------------------------------------------
    counts = _spread(placements, pupils, rng)
    plans: list[_Plan] = []
    episodes: list[_EpisodePlan] = []
    with_placements = sum(1 for count in counts if count)
    active_chance = min(0.9, ACTIVE_SHARE * placements / max(1, with_placements))
    offered_chance = min(0.3, OFFERED_SHARE * placements / max(1, with_placements))
    accepted_chance = min(0.1, ACCEPTED_SHARE * placements / max(1, with_placements))
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    for pupil_index, count in enumerate(counts):
        school = home[pupil_index]
        if count == 0:
            continue
        draw = rng.random()
        last = (
            "active"
            if draw < active_chance
            else "offered"
            if draw < active_chance + offered_chance
            else "accepted"
            if draw < active_chance + offered_chance + accepted_chance
            else "ended"
        )
        # Dates, from the newest placement back: each ends some days before the next one starts.
        spans: list[tuple[datetime.date, datetime.date | None]] = []
        if last == "active":
            first_of_last = today - datetime.timedelta(days=rng.randint(10, 150))
            spans.append((first_of_last, None))
        elif last in ("offered", "accepted"):
            spans.append((today + datetime.timedelta(days=rng.randint(3, 21)), None))
        else:
            end = today - datetime.timedelta(days=rng.randint(5, 200))
            spans.append((end - datetime.timedelta(weeks=rng.choice(PLACEMENT_WEEKS)), end))
        cursor = min(spans[0][0], today)
        for left in range(count - 1, 0, -1):
            budget = max(2, (cursor - window_start).days // left)
            gap = min(rng.randint(5, 40), max(1, budget // 4))
            length = min(rng.choice(PLACEMENT_WEEKS) * 7, max(1, budget - gap))
            end = cursor - datetime.timedelta(days=gap)
            spans.append((end - datetime.timedelta(days=length), end))
            cursor = end - datetime.timedelta(days=length)
        spans.reverse()
        # One episode, or two when the child came back to AP after a return to school.
        split = rng.randint(1, count - 1) if count >= 3 and rng.random() < 0.4 else count
        previous: int | None = None  # the child's last placement that ran (not cancelled), by plan index
        for first, stop in ((0, split), (split, count)):
            if first >= stop:
                continue
            kind = rng.choices(kinds, weights=kind_weights)[0]
            begins = spans[first][0] - datetime.timedelta(days=rng.randint(1, 14))
            if begins > today:  # an offer waiting to start: the episode itself began in the past
                begins = today - datetime.timedelta(days=rng.randint(1, 15))
            if first > 0:  # a new episode begins after the last one's placement ended
                begins = max(begins, spans[first - 1][1] + datetime.timedelta(days=1))
            episode = _EpisodePlan(pupil_index, kind, begins, None if kind == "awaiting-school-place" else school)
            episodes.append(episode)
            for position in range(first, stop):
                is_last = position == count - 1
                status = last if is_last else "ended"
                if first < position < stop - 1 and rng.random() < CANCELLED_SHARE:
                    status = "cancelled"
                start, end = spans[position]
                provision = places.hold() if status in Placement.HOLDING_STATES else places.any()
                if provision is None:  # every place is held: this child's offer was withdrawn instead
                    status, end, provision = "cancelled", None, places.any()
                plan = _Plan(pupil_index, len(episodes) - 1, start, end, status, provision=provision)
                plan.follows = _followed(plans, previous, plan, calendar)
                if status != "cancelled":
                    previous = len(plans)
                # The first placement of an episode is full time: it meets the duty to educate the child.
                plan.full_time = position == first or rng.random() >= PART_TIME_SHARE
                if status == "ended":
                    # Moving on within one episode is to other AP; the episode's last placement ends in a return.
                    plan.destination = (
                        Destination.OTHER_AP
                        if position < stop - 1
                        else rng.choices(list(RETURN_DESTINATIONS), weights=list(RETURN_DESTINATIONS.values()))[0]
                    )
                episode.placements.append(len(plans))
                plans.append(plan)
            tail = plans[episode.placements[-1]]
            if tail.status == "ended":
                episode.closed_on = tail.end
    # Recent episodes with no placement started yet: the clocks the worklist is for.
    newest = {plan.pupil_index: plan for plan in plans}  # plans are in date order per pupil
    free = [
        index
        for index in range(pupils)
        if index not in newest or newest[index].status not in (*Placement.HOLDING_STATES, "cancelled")
    ]
    running_kinds, running_weights = list(CLOCK_KINDS), list(CLOCK_KINDS.values())
    recent_days = [day for day in school_days if day <= today][-25:]
    for pupil_index in rng.sample(free, min(len(free), max(3, int(pupils * RUNNING_EPISODE_SHARE)))):
        after = newest[pupil_index].end if pupil_index in newest else window_start
        days = [day for day in recent_days if day > after]
        if not days:
            continue
        kind = rng.choices(running_kinds, weights=running_weights)[0]
        school = None if kind == "awaiting-school-place" else home[pupil_index]
        episodes.append(_EpisodePlan(pupil_index, kind, rng.choice(days), school))
    _log(f"planned {len(plans)} placements in {len(episodes)} episodes", started)

    # --- Episodes ------------------------------------------------------------------------------------------
    episode_rows = []
    for episode in episodes:
        row = Episode(
            pupil=pupil_rows[episode.pupil_index],
            route=routes[episode.kind],
            school=episode.school,
            start_date=episode.start,
            status=Episode.Status.CLOSED if episode.closed_on else Episode.Status.OPEN,
            closed_on=episode.closed_on,
            recorded_by=officer,
            recorded_at=_aware(episode.start, 15),
        )
        if episode.kind == "suspension":
            # The route is "suspension over 5 school days", so 6 or more, with the last day from the calendar.
            row.suspension_school_days = rng.randint(6, 20)
            with contextlib.suppress(ValueError):  # the calendar's terms end first: the count alone, as before
                row.suspension_last_day = calendar.nth_school_day(episode.start, row.suspension_school_days)
        elif episode.kind == "health-needs":
            row.days_missed = rng.randint(15, 40)
        episode_rows.append(row)
    episode_rows = Episode.objects.bulk_create(episode_rows, batch_size=2000)

    # --- Placements ----------------------------------------------------------------------------------------
    placement_rows: list[Placement] = []
    for plan in plans:
        episode = episodes[plan.episode_index]
        route = routes[episode.kind]
        commissioner = route.commissioner
        if commissioner == "la-or-school":
            commissioner = rng.choice(["la", "school"])
        if commissioner == "school" and episode.school is None:
            commissioner = "la"
        tier = rng.choices(["2", "3", "1"], weights=[65, 30, 5])[0]
        if plan.follows is not None:
            # Most moves stay in the child's tier; the rest step up or down (the flows dashboard counts these).
            before = placement_rows[plan.follows].tier
            stepped = rng.random() < STEP_SHARE
            tier = rng.choice([other for other in ("1", "2", "3") if other != before]) if stepped else before
        # Tier 2 is time-limited (offer_placement sets its planned end); the others have one when the offer gave it.
        weeks = {"1": 12, "2": policy.tier_2_planned_weeks, "3": rng.choice([None, 39])}[tier]
        planned_end = plan.start + datetime.timedelta(weeks=weeks) if weeks else None
        next_review = plan.start + datetime.timedelta(weeks=policy.review_interval_weeks)
        if plan.status == "active":
            while next_review < today and rng.random() > 0.04:  # a few reviews are overdue
                next_review += datetime.timedelta(weeks=policy.review_interval_weeks)
        sessions = 10 if plan.full_time else rng.randint(2, 8)
        offered_on = min(plan.start, today) - datetime.timedelta(days=rng.randint(2, 10))
        destination = plan.destination if plan.status == "ended" else ""
        returns = destination in Destination.returns_to_school()
        placement_rows.append(
            Placement(
                pupil=pupil_rows[plan.pupil_index],
                episode=episode_rows[plan.episode_index],
                provision=plan.provision,
                route=route,
                commissioner=commissioner,
                commissioning_school=episode.school if commissioner == "school" else None,
                tier=tier,
                status=plan.status,
                start_date=plan.start,
                planned_end_date=planned_end,
                end_date=plan.end if plan.status == "ended" else None,
                sessions_per_week=sessions,
                hours_per_week=Decimal(sessions * 25) / 10,
                is_full_time=plan.full_time,
                part_time_reason="" if plan.full_time else "Phased return: mornings only at first",
                part_time_review_date=None if plan.full_time else plan.start + datetime.timedelta(weeks=4),
                registration=route.registration,
                expected_attendance_code="K" if commissioner == "la" else "B",
                annual_cost=Decimal(rng.randint(90, 400) * 100),
                next_review_due=next_review,
                offered_by=officer,
                offered_at=_aware(offered_on),
                responded_at=None if plan.status == "offered" else _aware(offered_on + datetime.timedelta(days=1)),
                decline_reason="",
                destination=destination,
                destination_school=(
                    (episode.school if destination == Destination.SAME_SCHOOL else rng.choice(schools))
                    if returns
                    else None
                ),
                exit_notes="Offer withdrawn: the family moved" if plan.status == "cancelled" else "",
            )
        )
    # A placement can only point at one already written: write them a generation at a time, those that follow
    # nothing first. bulk_create gives each row its key, so placement_rows keeps the plans' order.
    generation = [0] * len(plans)
    for index, plan in enumerate(plans):
        if plan.follows is not None:
            generation[index] = generation[plan.follows] + 1
            placement_rows[index].follows = placement_rows[plan.follows]
    for depth in range(max(generation, default=-1) + 1):
        Placement.objects.bulk_create(
            [row for row, row_depth in zip(placement_rows, generation, strict=True) if row_depth == depth],
            batch_size=2000,
        )
    _log(f"{len(episode_rows)} episodes and {len(placement_rows)} placements", started)

    # --- Clocks --------------------------------------------------------------------------------------------
    due_soon = policy.due_soon_school_days

    def state(due_on: datetime.date) -> str:
        return state_on(due_on=due_on, today=today, calendar=calendar, due_soon_school_days=due_soon)

    clock_rows = []
    for index, episode in enumerate(episodes):
        row = episode_rows[index]
        starts = _episode_rules(episode.kind, row.suspension_school_days or 0, has_school=episode.school is not None)
        meeting = next(
            (
                placement_rows[position]
                for position in episode.placements
                if plans[position].status in ("active", "ended") and plans[position].full_time
            ),
            None,
        )
        for rule, owner in starts:
            due_on = rule.due_date(episode.start, calendar)
            clock = Clock(
                local_authority=la,
                pupil=row.pupil,
                episode=row,
                rule=rule.slug,
                owner=owner,
                owner_school=episode.school if owner == Owner.SCHOOL else None,
                started_on=episode.start,
                due_on=due_on,
                created_at=_aware(episode.start, 15),
                updated_at=_aware(episode.start, 15),
            )
            if rule.met_by_placement and meeting is not None:
                clock.state, clock.met_on, clock.met_by = Clock.State.MET, meeting.start_date, meeting
            elif not rule.met_by_placement and due_on < today:
                # The governing board met, usually in time.
                clock.state = Clock.State.MET
                clock.met_on = due_on - datetime.timedelta(days=rng.randint(-3, 10))
                clock.met_on = max(clock.met_on, episode.start)
                clock.met_note = "The governing board considered reinstatement"
            elif episode.closed_on is not None:
                clock.state, clock.stopped_on = Clock.State.STOPPED, episode.closed_on
            else:
                clock.state = state(due_on)
            clock_rows.append(clock)
    for plan, row in zip(plans, placement_rows, strict=True):
        if plan.status not in ("active", "ended"):
            continue  # a placement's own clocks start on its first day
        owner_school = row.commissioning_school if row.commissioner == "school" else None
        dates = {
            rules.PLACEMENT_REVIEW.slug: row.next_review_due,
            rules.PLANNED_END.slug: row.planned_end_date,
            rules.PART_TIME_REVIEW.slug: row.part_time_review_date,
        }
        for slug, due_on in dates.items():
            if due_on is None:
                continue
            clock = Clock(
                local_authority=la,
                pupil=row.pupil,
                episode=row.episode,
                placement=row,
                rule=slug,
                owner=Owner.COMMISSIONER,
                owner_school=owner_school,
                started_on=min(row.start_date, due_on),
                due_on=due_on,
                created_at=_aware(row.start_date),
                updated_at=_aware(row.start_date),
            )
            if plan.status == "ended":
                clock.state, clock.stopped_on = Clock.State.STOPPED, row.end_date
            else:
                clock.state = state(due_on)
            clock_rows.append(clock)
    Clock.objects.bulk_create(clock_rows, batch_size=2000)
    running = sum(1 for clock in clock_rows if clock.state in Clock.RUNNING_STATES)
    _log(f"{len(clock_rows)} clocks, {running} running", started)

    # --- Reviews with outcome scores -----------------------------------------------------------------------
    review_rows, score_sets = [], []
    for plan, row in zip(plans, placement_rows, strict=True):
        if plan.status not in ("active", "ended") or rng.random() >= REVIEWED_SHARE:
            continue
        moments = [("start", row.start_date, [1, 2, 2, 3])]
        if plan.status == "ended":
            moments.append(("exit", row.end_date, [3, 3, 4, 4, 5]))
        for kind, held_on, scores in moments:
            review_rows.append(
                Review(
                    placement=row,
                    kind=kind,
                    held_on=held_on,
                    pupil_voice="I want to get my GCSEs and go to college."
                    if kind == "start"
                    else "I'm ready for what comes next.",
                    parent_view="Glad there is a plan.",
                    written_by=officer,
                    written_at=_aware(held_on, 16),
                )
            )
            score_sets.append([rng.choice(scores) for _ in OutcomeArea.values])
    review_rows = Review.objects.bulk_create(review_rows, batch_size=2000)
    OutcomeScore.objects.bulk_create(
        (
            OutcomeScore(review=review, area=area, score=score)
            for review, scores in zip(review_rows, score_sets, strict=True)
            for area, score in zip(OutcomeArea.values, scores, strict=True)
        ),
        batch_size=5000,
    )
    _log(f"{len(review_rows)} reviews with outcome scores", started)

    # --- Attendance marks ----------------------------------------------------------------------------------
    written = _write_marks(plans, placement_rows, school_days, today, marks, rng, started)
    _log(f"{written} attendance marks", started)
    return {
        "pupils": len(pupil_rows),
        "episodes": len(episode_rows),
        "placements": len(placement_rows),
        "active placements": sum(1 for plan in plans if plan.status == "active"),
        "clocks": len(clock_rows),
        "running clocks": running,
        "reviews": len(review_rows),
        "attendance marks": written,
    }


def _followed(plans: list[_Plan], previous: int | None, plan: _Plan, calendar: SchoolCalendar) -> int | None:
    """The plan `plan` follows, by placements.services.placement_followed's rule: the child's last placement that ran,
    when it is in the same episode, or ended within 20 school days before this one starts. (The bench's placements
    of one child never overlap, so the last one has always ended.)"""
    if previous is None:
        return None
    before = plans[previous]
    if before.episode_index == plan.episode_index:
        return previous
    if before.end is None:
        return None
    try:
        since = calendar.school_day_back(plan.start, FOLLOWS_WITHIN_SCHOOL_DAYS)
    except ValueError:
        since = plan.start - datetime.timedelta(weeks=4)
    return previous if since <= before.end <= plan.start else None


def _episode_rules(kind: str, suspension_days: int, *, has_school: bool) -> list[tuple[rules.Rule, str]]:
    """The clocks an episode of `kind` starts, as duties.services._episode_starts decides them."""
    if kind == "permanent-exclusion":
        return [(rules.PERMANENT_EXCLUSION, Owner.LA)] + ([(rules.GOVERNING_BOARD_REVIEW, Owner.SCHOOL)] * has_school)
    if kind == "suspension":
        starts = [(rules.SUSPENSION, Owner.SCHOOL)] if suspension_days > 5 else []
        if suspension_days > 15 and has_school:
            starts.append((rules.GOVERNING_BOARD_REVIEW, Owner.SCHOOL))
        return starts
    if kind == "health-needs":
        return [(rules.HEALTH_NEEDS, Owner.LA)]
    if kind == "awaiting-school-place":
        return [(rules.FAIR_ACCESS, Owner.LA)]
    return []


def _write_marks(
    plans: list[_Plan],
    rows: list[Placement],
    school_days: list[datetime.date],
    today: datetime.date,
    target: int,
    rng: random.Random,
    started: float,
) -> int:
    """Registers of the newest started placements first, each school day of the placement up to yesterday, until
    `target` marks are written (older placements date from before their providers returned registers here)."""
    ordinals = [day.toordinal() for day in school_days]
    started_ones = sorted(
        (pair for pair in zip(plans, rows, strict=True) if pair[0].status in ("active", "ended")),
        key=lambda pair: pair[1].start_date,
        reverse=True,
    )
    yesterday = today - datetime.timedelta(days=1)

    def marks():
        left = target
        for plan, row in started_ones:
            if left <= 0:
                return
            last = min(row.end_date or yesterday, yesterday)
            first_index = bisect.bisect_left(ordinals, row.start_date.toordinal())
            last_index = bisect.bisect_right(ordinals, last.toordinal())
            # Part-time placements: the first weekdays of each week, both sessions (sessions_per_week / 2 days).
            days_a_week = 5 if plan.full_time else max(1, row.sessions_per_week // 2)
            absence = rng.choice([0.0, 0.03, 0.05, 0.08, 0.15, 0.3])
            for day in school_days[first_index:last_index]:
                if day.weekday() >= days_a_week:
                    continue
                for session, present in SESSIONS:
                    if left <= 0:
                        return
                    draw = rng.random()
                    if draw < absence:
                        yield row.pk, day, session, rng.choice(ABSENCE_CODES), None
                    elif draw < absence + 0.04:
                        yield row.pk, day, session, "L", rng.randint(5, 30)
                    else:
                        yield row.pk, day, session, present, None
                    left -= 1

    if connection.vendor == "postgresql":
        return _copy_marks(marks(), started)
    written = 0
    batch: list[AttendanceMark] = []
    for placement_id, day, session, code, late in marks():
        batch.append(
            AttendanceMark(
                placement_id=placement_id,
                date=day,
                session=session,
                code=code,
                minutes_late=late,
                recorded_at=_aware(day, 16),
            )
        )
        if len(batch) >= 5000:
            AttendanceMark.objects.bulk_create(batch, batch_size=5000)
            written += len(batch)
            batch = []
    AttendanceMark.objects.bulk_create(batch, batch_size=5000)
    return written + len(batch)


def _copy_marks(marks, started: float) -> int:
    """COPY the marks in, with their foreign keys checked as they arrive rather than queued to the commit."""
    table = AttendanceMark._meta.db_table
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        raw = cursor.connection.cursor()
        columns = "placement_id, date, session, code, minutes_late, note, recorded_at"
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            out = io.StringIO()
            for placement_id, day, session, code, late in marks:
                # COPY's text format: a backslash (the afternoon's present mark) is doubled, \N is NULL.
                text = code.replace("\\", "\\\\")
                minutes = "\\N" if late is None else late
                out.write(f"{placement_id}\t{day}\t{session}\t{text}\t{minutes}\t\t{day} 16:00:00+00\n")
                written += 1
                if written % MARK_CHUNK == 0:
                    copy.write(out.getvalue())
                    out = io.StringIO()
                    if written % 500_000 == 0:
                        _log(f"{written} attendance marks", started)
            copy.write(out.getvalue())
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return written
