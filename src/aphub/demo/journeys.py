"""Children's journeys for the demo LA: episodes, clocks, referrals, a panel, placements in every state, registers,
reviews, exits and follow-ups, all made through the services a user would call, so the demo obeys every rule.

Fictional children only. Dates are relative to today, so the clocks are always live: some due soon, one breached,
others met. The journeys are calibrated on seed 004 (most AP is after permanent exclusion or for health needs;
placements of about 20 weeks) and on the school-arranged AP shares in ../shared/data.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from aphub.core.clock import today
from aphub.core.days.school_years import birthday, school_year_start, school_year_starts_in_year_group
from aphub.core.identifiers import upn_check_letter
from aphub.directory.models import Provision
from aphub.duties.calendars import calendar_for
from aphub.duties.models import Clock
from aphub.duties.services import default_term_dates, load_term_dates, record_clock_met
from aphub.organisations.models import LocalAuthority, School, User
from aphub.placements import services
from aphub.placements.attendance.services import record_register
from aphub.placements.models import AttendanceMark, Destination, OutcomeArea, Placement
from aphub.placements.referrals import services as referral_services
from aphub.placements.reviews import services as review_services
from aphub.pupils.models import Pupil
from aphub.pupils.services import enrol

from .characteristics import characteristics

FIRST_NAMES = [
    "Aiden", "Amara", "Bailey", "Callum", "Chloe", "Darius", "Ellie", "Ethan", "Faith", "Finley", "Grace", "Harvey",
    "Imani", "Isaac", "Jade", "Jayden", "Kai", "Keira", "Leo", "Lily", "Mason", "Maya", "Nathan", "Nia", "Oscar",
    "Poppy", "Reece", "Rosie", "Sami", "Tia", "Tyler", "Zara", "Ollie", "Evie", "Kian", "Layla",
]  # fmt: skip
LAST_NAMES = [
    "Ashworth", "Bramley", "Carver", "Dunmore", "Ellison", "Farrant", "Garside", "Hollins", "Ibbotson", "Jarrold",
    "Kendrick", "Lomax", "Marwood", "Nettleton", "Oakley", "Pickering", "Quarmby", "Rushton", "Sowerby", "Thackray",
    "Underwood", "Varley", "Whitlock", "Yardley",
]  # fmt: skip
ALL_SCORES = {area: 3 for area in OutcomeArea.values}


@dataclass
class Cast:
    officer: User
    admin: User
    school_staff: User  # Kingsmead Academy
    academy_staff: User  # Vale Inclusion Academy Trust
    greenway_staff: User  # Greenway Farm Learning CIC
    la: LocalAuthority
    kingsmead: School
    schools: list[School]
    greenway: list[Provision]
    academy: list[Provision]
    others: list[Provision]
    rng: random.Random
    made: dict[str, int] = field(default_factory=dict)
    serial: int = 0

    def count(self, what: str) -> None:
        self.made[what] = self.made.get(what, 0) + 1


def _upn(la_code: str, serial: int) -> str:
    body = f"{la_code}{26:02d}{serial:06d}0"[:12]
    return upn_check_letter(body) + body


def _school_day(la: LocalAuthority, on: datetime.date, back: int) -> datetime.date:
    """The school day `back` school days before `on` (0: `on` itself or the school day before it)."""
    return calendar_for(local_authority=la).school_day_back(on, back)


def _pupil(cast: Cast, *, school: School | None = None, age: int | None = None, **fields) -> Pupil:
    cast.serial += 1
    rng = cast.rng
    age = age or rng.choice([11, 12, 13, 13, 14, 14, 15, 15, 15])
    # `age` years old today, having turned it 1 to 11 months ago.
    born = birthday(today(), -age) - datetime.timedelta(days=rng.randint(30, 330))
    pupil = Pupil.objects.create(
        local_authority=cast.la,
        upn=_upn(cast.la.la_code, cast.serial),
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=born,
        postcode=rng.choice(["B91 3QB", "B92 7AW", "B26 1WS", "B91 3SX", "B90 4AA"]),
        created_by=cast.officer,
        **{**characteristics(rng), **fields},
    )
    enrol(
        user=cast.officer,
        pupil=pupil,
        school=school or rng.choice(cast.schools),
        # On the roll since Year 7 (a young Year 6 joins this September: the cast are secondary pupils).
        start_date=min(school_year_starts_in_year_group(born, 7), school_year_start(today())),
    )
    cast.count("pupils")
    return pupil


def _episode(cast: Cast, pupil: Pupil, kind: str, school_days_ago: int, **extra):
    start = _school_day(cast.la, today(), school_days_ago)
    return services.record_episode(user=cast.officer, pupil=pupil, kind=kind, start_date=start, **extra)


def _offer(cast: Cast, episode, provision: Provision, start: datetime.date, *, user: User | None = None, **extra):
    values = {
        "tier": "2", "sessions_per_week": 10, "hours_per_week": Decimal("25"), "annual_cost": Decimal("18500.00"),
        # Kept only when the offer goes past the LA's limits for an unregistered provider.
        "over_limit_reason": "The only provision with a place near the child's home; panel agreed to review at 6 weeks",
    }  # fmt: skip
    values.update(extra)
    placement = services.offer_placement(
        user=user or cast.officer, episode=episode, provision=provision, start_date=start, **values
    )
    # History: the offer was made a day or two after the episode began, not when the demo was built.
    offered = min(start, episode.start_date + datetime.timedelta(days=2))
    offered_at = datetime.datetime.combine(offered, datetime.time(10), tzinfo=datetime.UTC)
    Placement.objects.filter(pk=placement.pk).update(offered_at=offered_at)
    placement.offered_at = offered_at
    return placement


def _registers(cast: Cast, placement: Placement, until: datetime.date, absent_every: int) -> None:
    """Past registers for the placement, as the provider returned them (present, late, or an absence code)."""
    calendar = calendar_for(local_authority=cast.la)
    marks = []
    day = placement.start_date
    taken = 0
    while day < until:
        if calendar.is_school_day(day):
            taken += 1
            for session, present in (("AM", "/"), ("PM", "\\")):
                code = present
                if absent_every and taken % absent_every == 0:
                    code = cast.rng.choice(["I", "O", "M"])
                elif cast.rng.random() < 0.05:
                    code = "L"
                marks.append(AttendanceMark(placement=placement, date=day, session=session, code=code))
        day += datetime.timedelta(days=1)
    AttendanceMark.objects.bulk_create(marks)
    cast.made["attendance marks"] = cast.made.get("attendance marks", 0) + len(marks)


def _tier_terms(tier: str, start: datetime.date) -> dict:
    """An offer's tier and time: tier 1 is targeted support alongside mainstream school, so part time, with its
    reason and review (statutory guidance on part-time timetables); tiers 2 and 3 are full time."""
    if tier != "1":
        return {"tier": tier}
    return {
        "tier": tier, "is_full_time": False, "sessions_per_week": 4, "hours_per_week": Decimal("10"),
        "annual_cost": Decimal("7400.00"), "part_time_reason": "Targeted support two days a week beside school",
        "part_time_review_date": start + datetime.timedelta(weeks=6),
    }  # fmt: skip


def _active(
    cast: Cast,
    provision: Provision,
    *,
    school_days_ago: int,
    kind: str = "permanent-exclusion",
    registers_until: datetime.date | None = None,
    tier: str = "2",
):
    pupil = _pupil(cast)
    episode = _episode(cast, pupil, kind, school_days_ago + 5)
    start = _school_day(cast.la, today(), school_days_ago)
    placement = _offer(cast, episode, provision, start, **_tier_terms(tier, start))
    placement = services.accept_placement(user=_provider_user(cast, provision), placement=placement)
    placement = services.start_placement(user=cast.officer, placement=placement, on=start)
    _review(
        cast,
        placement,
        "start",
        start,
        [1, 2, 2, 3],
        "I want to get my GCSEs and go to college.",
        parent_view="Relieved there is a plan.",
    )
    _registers(cast, placement, registers_until or today(), absent_every=cast.rng.choice([0, 4, 7]))
    _board_considered(cast, placement.episode)
    if school_days_ago > 30 and registers_until is None:
        # Reviewed on time, so the worklist shows what is really due rather than every placement at once.
        _review(
            cast,
            placement,
            "review",
            _school_day(cast.la, today(), cast.rng.randint(2, 12)),
            [2, 3, 3, 4],
            "Better than at the start. I want more time on maths.",
        )
    cast.count("active placements")
    return placement


def _board_considered(cast: Cast, episode) -> None:
    """The governing board met within its 15 school days, as most do; the demo keeps one late board on purpose."""
    for clock in episode.clocks.filter(rule="governing-board-review", state__in=Clock.RUNNING_STATES):
        held = min(clock.due_on, _school_day(cast.la, today(), 1))
        if held < clock.started_on:
            continue
        record_clock_met(
            user=cast.officer, clock=clock, on=held, note="The governing board considered reinstatement and upheld it."
        )


def _provider_user(cast: Cast, provision: Provision) -> User:
    if provision.provider_id == cast.greenway[0].provider_id:
        return cast.greenway_staff
    if provision.provider_id == cast.academy[0].provider_id:
        return cast.academy_staff
    return provider_staff(provision)


def provider_staff(provision: Provision) -> User:
    """For a provider without a demo sign-in: a member of its staff for the demo only, who cannot sign in."""
    user, _ = User.objects.get_or_create(
        email=f"staff.provider{provision.provider_id}@example.org", defaults={"full_name": "Provider staff"}
    )
    if not user.memberships.exists():
        user.memberships.create(role="provider-staff", provider=provision.provider)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user


def _ended(cast: Cast, provision: Provision, destination: str) -> Placement:
    last_day = _school_day(cast.la, today(), 10)
    placement = _active(cast, provision, school_days_ago=45, registers_until=last_day + datetime.timedelta(days=1))
    _review(
        cast,
        placement,
        "review",
        _school_day(cast.la, today(), 20),
        [3, 3, 4],
        "Things are better. I get on with my key worker.",
    )
    school = placement.episode.school
    placement = services.end_placement(
        user=cast.officer,
        placement=placement,
        end_date=last_day,
        destination=destination,
        destination_school=school if destination in Destination.returns_to_school() else None,
    )
    _review(cast, placement, "exit", last_day, [3, 4, 4, 5], "I'm ready to go back.")
    cast.count("ended placements")
    return placement


# Children who moved between tiers in the last school year, for the flows dashboard's steps up and down: (from tier,
# to tier, school days ago the first placement started, the move, and the second one's end or None while it runs).
STEPS = [
    ("1", "2", 170, 140, 60),
    ("2", "3", 150, 110, None),
    ("3", "2", 130, 70, 20),
    ("2", "1", 100, 55, None),
    ("1", "3", 90, 40, None),
    ("3", "1", 75, 30, None),
    ("1", "2", 60, 25, None),
    ("2", "3", 45, 15, None),
]
# Children in one placement in tier 1 or 3 (most are in tier 2): the tier and school days ago it started and ended.
SINGLE_TIER = [("1", 180, 120), ("3", 160, 90), ("1", 120, 70), ("3", 110, None), ("1", 80, 35), ("3", 50, None)]


def _started(cast: Cast, episode, provision: Provision, tier: str, school_days_ago: int) -> Placement:
    start = _school_day(cast.la, today(), school_days_ago)
    placement = _offer(cast, episode, provision, start, **_tier_terms(tier, start))
    placement = services.accept_placement(user=_provider_user(cast, provision), placement=placement)
    return services.start_placement(user=cast.officer, placement=placement, on=start)


def _left(
    cast: Cast, placement: Placement, school_days_ago: int, destination: str, school: School | None = None
) -> Placement:
    return services.end_placement(
        user=cast.officer,
        placement=placement,
        end_date=_school_day(cast.la, today(), school_days_ago),
        destination=destination,
        destination_school=school,
    )


def _stepped(cast: Cast, provisions: list[Provision]) -> None:
    """Placements in tiers 1 to 3 over the last school year, some children stepping up or down between tiers in one
    episode: the second placement is offered once the first has ended, so it follows it (services.placement_followed).
    """
    for index, (before, after, began, moved, ended) in enumerate(STEPS):
        episode = _episode(cast, _pupil(cast), "permanent-exclusion", began + 5)
        first = _started(cast, episode, provisions[index % len(provisions)], before, began)
        _board_considered(cast, episode)
        _left(cast, first, moved + 1, Destination.OTHER_AP)
        second = _started(cast, episode, provisions[(index + 1) % len(provisions)], after, moved)
        if ended is not None:
            _left(cast, second, ended, Destination.SAME_SCHOOL)
        cast.count("steps between tiers")
    for index, (tier, began, ended) in enumerate(SINGLE_TIER):
        episode = _episode(cast, _pupil(cast), "permanent-exclusion", began + 5)
        placement = _started(cast, episode, provisions[(index + 2) % len(provisions)], tier, began)
        _board_considered(cast, episode)
        if ended is not None:
            if index % 2:
                _left(cast, placement, ended, Destination.NEW_SCHOOL, cast.schools[index % len(cast.schools)])
            else:
                _left(cast, placement, ended, Destination.SAME_SCHOOL)
        cast.count(f"tier {tier} placements")


def _review(cast, placement, kind: str, held_on: datetime.date, scores_from: list[int], pupil_voice: str, **more):
    """The officer's review, each outcome area scored at random from `scores_from`."""
    review_services.record_review(
        user=cast.officer,
        placement=placement,
        kind=kind,
        held_on=held_on,
        scores={area: cast.rng.choice(scores_from) for area in OutcomeArea.values},
        pupil_voice=pupil_voice,
        **more,
    )


def cast_of(la: LocalAuthority, rng: random.Random) -> Cast:
    """The demo LA's sign-ins, schools and provisions with places, the children's journeys are built from."""
    published = Provision.objects.filter(local_authority=la, status=Provision.Status.PUBLISHED, places__gt=0)
    greenway = list(published.filter(provider__legal_name="Greenway Farm Learning CIC").order_by("pk"))
    academy = list(published.filter(provider__legal_name="Vale Inclusion Academy Trust").order_by("pk"))
    others = list(published.exclude(pk__in=[p.pk for p in greenway + academy]).order_by("pk"))
    return Cast(
        officer=User.objects.get(email="elmbridge.officer@example.org"),
        admin=User.objects.get(email="elmbridge.admin@example.org"),
        school_staff=User.objects.get(email="school.kingsmead@example.org"),
        academy_staff=User.objects.get(email="provider.academy@example.org"),
        greenway_staff=User.objects.get(email="provider.greenway@example.org"),
        la=la,
        kingsmead=School.objects.get(urn="990003"),
        schools=list(School.objects.filter(local_authority=la, phase=School.Phase.SECONDARY).order_by("urn")[:12]),
        greenway=greenway,
        academy=academy,
        others=others,
        rng=rng,
    )


def build_journeys(*, la: LocalAuthority, seed: int = 2025) -> dict[str, int]:
    """The demo LA's children and their journeys. Returns what was made, for the command's summary."""
    for authority in LocalAuthority.objects.all():
        load_term_dates(local_authority=authority, **default_term_dates())
        services.ensure_routes(local_authority=authority)
    cast = cast_of(la, random.Random(seed))
    greenway, academy, others = cast.greenway, cast.academy, cast.others
    if not (greenway and academy):
        return cast.made
    cast.schools.append(cast.kingsmead)

    # Children in placements now, at the two providers with demo sign-ins and elsewhere.
    at_greenway = [_active(cast, greenway[index % len(greenway)], school_days_ago=8 + index * 6) for index in range(4)]
    for index in range(4):
        _active(cast, academy[index % len(academy)], school_days_ago=12 + index * 9)
    # Yesterday afternoon one of Greenway's pupils did not come and nobody rang: the LA and the school were alerted.
    absent = at_greenway[0]
    record_register(
        user=cast.greenway_staff,
        provision=absent.provision,
        date=_school_day(cast.la, today(), 1),
        session="PM",
        marks={absent.pk: ("N", "")},
    )
    for provision in others[:6]:
        _active(cast, provision, school_days_ago=cast.rng.randint(5, 60))

    # Offers waiting for Greenway Farm to answer.
    for index in range(2):
        pupil = _pupil(cast)
        episode = _episode(cast, pupil, "permanent-exclusion", 2 + index)
        _offer(cast, episode, greenway[0], _school_day(cast.la, today(), 0) + datetime.timedelta(days=7))
        cast.count("offers")

    # Journeys that ended: back to school (follow-ups due), post-16, NEET.
    for destination in (Destination.SAME_SCHOOL, Destination.NEW_SCHOOL, Destination.POST_16_EDUCATION):
        _ended(cast, academy[0], destination)

    # Statutory clocks running with no placement yet: due soon, breached, health needs, Fair Access.
    _episode(cast, _pupil(cast), "permanent-exclusion", 3, summary="Excluded after a serious incident.")
    _episode(cast, _pupil(cast), "permanent-exclusion", 9, summary="No placement found yet.")
    _episode(cast, _pupil(cast, medical_needs="Anxiety; CAMHS referral"), "health-needs", 1, days_missed=16)
    _episode(cast, _pupil(cast), "awaiting-school-place", 6)

    # A school commissions AP itself after a long suspension.
    pupil = _pupil(cast, school=cast.kingsmead)
    first = _school_day(cast.la, today(), 4)
    episode = services.record_episode(
        user=cast.school_staff,
        pupil=pupil,
        kind="suspension",
        start_date=first,
        # Ten school days, counted in the school's calendar.
        suspension_last_day=calendar_for(local_authority=cast.la, school=cast.kingsmead).nth_school_day(first, 10),
    )
    _offer(
        cast, episode, greenway[-1], _school_day(cast.la, today(), 0), user=cast.school_staff, is_full_time=False,
        sessions_per_week=4, hours_per_week=Decimal("12"), part_time_reason="Phased return with vocational days",
        part_time_review_date=today() + datetime.timedelta(weeks=4), annual_cost=Decimal("9000.00"),
    )  # fmt: skip
    cast.count("school-commissioned placements")

    # Referrals from Kingsmead Academy waiting for the AP panel, and a past panel that approved one.
    meeting = referral_services.create_panel_meeting(
        user=cast.officer,
        date=_school_day(cast.la, today(), 5),
        members="Priya Dhillon (LA inclusion officer)\nHead teacher, Kingsmead Academy\nHead, Vale Inclusion Academy",
    )
    for index in range(3):
        pupil = _pupil(cast, school=cast.kingsmead)
        episode = services.record_episode(
            user=cast.school_staff,
            pupil=pupil,
            kind="short-term-intervention",
            start_date=_school_day(cast.la, today(), 10 + index),
        )
        referral = referral_services.create_referral(
            user=cast.school_staff,
            pupil=pupil,
            episode=episode,
            requested_tier="2",
            needs_summary="Struggling in lessons; several fixed-term suspensions this year.",
            risks="Leaves site when upset.",
            tried_so_far="Mentoring, a reduced timetable and an in-school inclusion room.",
            child_views="Wants somewhere smaller and quieter.",
            parent_views="Supportive of a short placement.",
            consent_given=True,
            consent_by="Parent",
            needs=["semh"],
        )
        referral_services.submit_referral(user=cast.school_staff, referral=referral)
        cast.count("referrals")
        if index == 0:
            referral_services.record_decision(
                user=cast.officer,
                meeting=meeting,
                referral=referral,
                outcome="approve",
                reasons="Meets the criteria for a tier 2 placement; Greenway Farm has a vacancy.",
                tier="2",
                provision=greenway[0],
                weeks=20,
            )

    # A child waiting for a place.
    waiting = _pupil(cast)
    _episode(cast, waiting, "permanent-exclusion", 2)
    services.add_to_waiting_list(user=cast.officer, pupil=waiting, provision=academy[0])
    cast.count("waiting")

    _stepped(cast, [*academy, *others[6:]])
    return cast.made
