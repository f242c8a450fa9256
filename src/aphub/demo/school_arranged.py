"""The AP that Elmbridge's schools arranged themselves and recorded in AP Hub (issue 12), so the LA's city-wide view
and its oversight have a shape worth looking at.

Six secondary schools each send their census AP rows through the one importer (placements.school_arranged:
census.read_row, then services.record_school_arranged), as a school's file upload would: about 40 placements at
providers in the LA's directory (chosen by the page, or named by URN or UKPRN), at establishments and providers AP
Hub has not met (by URN, by UKPRN, by name), and at types of setting with no provider named. Reasons, settings and
patterns follow the DfE's published shares for school-arranged AP (../shared/data, 2022/23: most for behavioural
support, then mental health; one on one tuition and other unregistered providers the commonest settings), some
ended, some part time, some starting soon.

A few are there for the LA's oversight to find: One Step Tuition, unregistered, one full-time pupil short of the
registration threshold once the schools' placements are counted with the LA's one; two children a school took off
its roll while they are in unregistered AP (no registered roll holds them); and children in part-time AP who are not
at school for the rest of the week (short of full-time education).

Fictional children only; dates are relative to today and deterministic for a seed.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from aphub.core.clock import today
from aphub.core.days.school_years import birthday, school_year_start
from aphub.core.identifiers import upn_check_letter
from aphub.directory.models import Provision
from aphub.duties.calendars import calendar_for
from aphub.organisations.models import LocalAuthority, School, User
from aphub.placements import services
from aphub.placements.models import Placement
from aphub.placements.school_arranged.census import read_row
from aphub.placements.school_arranged.services import record_school_arranged
from aphub.pupils.models import Enrolment, Pupil
from aphub.pupils.services import record_pupil

from .characteristics import characteristics
from .journeys import FIRST_NAMES, LAST_NAMES, provider_staff

# The schools that arrange AP themselves: Kingsmead Academy (which has a demo sign-in) and five other secondaries.
SCHOOL_URNS = ("990003", "990004", "990008", "990012", "990016", "990020")
KINGSMEAD_STAFF = "school.kingsmead@example.org"
LA_OFFICER = "elmbridge.officer@example.org"
# Providers the schools name, in the shapes the census asks for. "directory:" is a provision the school chose from
# the LA's directory on the page; "urn:" and "ukprn:" a registered establishment or provider (in AP Hub or not);
# "name:" an unregistered provider named by the school; "setting:" a type of setting with no provider named.
GREENWAY = "directory:Greenway Farm Learning CIC"
ONE_STEP = "directory:One Step Tuition Ltd"
HARBOUR_LIGHT = "urn:990903"  # the LA's PRU, in the directory
OUT_OF_AREA_PRU = "urn:148211"  # a PRU in another LA, which AP Hub does not hold
NORTHGATE = "ukprn:10990921"  # Northgate Skills College, an FE college in the directory
LAKESIDE_COLLEGE = "ukprn:10074622"  # an FE college AP Hub does not hold
BOXING = "name:Top Corner Boxing Gym"
MOTOR = "name:Driveline Motor Project"
TUTOR = "setting:OOT"
WORK = "setting:WBP"
NFE = "setting:NFE"
OTHER = "setting:OTH"


@dataclass(frozen=True)
class Arranged:
    """One row a school sends: which school, at which provider, why, from how many school days ago, to when."""

    school: int  # index into SCHOOL_URNS
    provider: str
    reason: str  # census reason code
    started: int  # school days before today (negative: starts that many school days from today)
    sessions: int = 10
    left: int | None = None  # the leaving date, school days before today (negative: planned, in the future)
    weekly_cost: int = 450
    setting: str = ""  # the type of setting of a directory provider without URN or UKPRN
    # The school then took the child off its roll, this many school days ago (the roll's last day).
    off_roll: int | None = None
    # The school suspended the child (from yesterday, 10 school days) and arranged part-time AP from the first day.
    suspended: bool = False


# About 40 rows: full time (25 hours) at 10 sessions, part time at 2.5 hours a session.
ROWS = (
    # One Step Tuition, unregistered: the LA has one full-time pupil there (la_placement), and the schools' three
    # more bring it to four, one short of the registration threshold.
    Arranged(0, ONE_STEP, "BEH", 30, setting="OOT"),
    Arranged(1, ONE_STEP, "BEH", 18, setting="OOT", off_roll=3),  # then off the roll: on no registered roll
    Arranged(2, ONE_STEP, "MHN", 12, setting="OOT", left=-40),
    Arranged(5, ONE_STEP, "MHN", 40, setting="OOT", left=3),  # ended: no longer counted
    Arranged(3, ONE_STEP, "BEH", 20, sessions=4, setting="OOT", weekly_cost=180),  # part time: not counted
    # Greenway Farm: part-time vocational days around school.
    Arranged(0, GREENWAY, "BEH", 25, sessions=2, setting="WBP", weekly_cost=120),
    Arranged(4, GREENWAY, "OTH", 15, sessions=3, setting="WBP", weekly_cost=150),
    Arranged(5, GREENWAY, "BEH", 60, sessions=2, setting="WBP", weekly_cost=120, left=20),
    # Registered providers: the LA's PRU by URN, an out-of-area PRU, FE colleges by UKPRN.
    Arranged(0, HARBOUR_LIGHT, "BEH", 35, left=-30, weekly_cost=520),
    Arranged(1, HARBOUR_LIGHT, "SUS", 8, left=-2, weekly_cost=520),
    Arranged(2, HARBOUR_LIGHT, "BEH", 70, left=15, weekly_cost=520),
    Arranged(3, OUT_OF_AREA_PRU, "BEH", 22, weekly_cost=560, off_roll=0),  # on the PRU's roll instead
    Arranged(1, NORTHGATE, "OTH", 40, sessions=2, weekly_cost=140),
    Arranged(4, NORTHGATE, "BEH", 28, sessions=3, weekly_cost=190),
    Arranged(5, NORTHGATE, "OTH", 28, sessions=2, weekly_cost=140),
    Arranged(2, LAKESIDE_COLLEGE, "BEH", 33, sessions=2, weekly_cost=150),
    Arranged(3, LAKESIDE_COLLEGE, "OTH", 55, sessions=2, weekly_cost=150, left=12),
    # Unregistered providers the schools name.
    Arranged(0, BOXING, "BEH", 26, sessions=2, weekly_cost=90),
    Arranged(1, BOXING, "BEH", 19, sessions=2, weekly_cost=90),
    # Off the roll as well: on no registered roll, and short of full-time education by 8 sessions.
    Arranged(4, BOXING, "BEH", 11, sessions=2, weekly_cost=90, off_roll=5),
    Arranged(5, MOTOR, "BEH", 24, sessions=3, weekly_cost=160),
    Arranged(2, MOTOR, "OTH", 50, sessions=3, weekly_cost=160, left=25),
    # Types of setting with no provider named: tutors above all, for mental and physical health.
    Arranged(0, TUTOR, "MHN", 21, sessions=3, weekly_cost=240),
    Arranged(0, TUTOR, "PHN", 14, sessions=2, weekly_cost=160),
    Arranged(1, TUTOR, "MHN", 32, sessions=4, weekly_cost=320),
    Arranged(2, TUTOR, "MHN", 9, sessions=3, weekly_cost=240),
    Arranged(3, TUTOR, "MHN", 44, sessions=2, weekly_cost=160, left=6),
    Arranged(4, TUTOR, "PHN", 17, sessions=4, weekly_cost=320),
    Arranged(5, TUTOR, "MHN", 27, sessions=3, weekly_cost=240),
    Arranged(5, TUTOR, "MHN", -3, sessions=2, weekly_cost=160),  # starts next week
    Arranged(1, WORK, "BEH", 29, sessions=2, weekly_cost=60),
    Arranged(3, WORK, "OTH", 16, sessions=2, weekly_cost=60),
    Arranged(4, NFE, "BEH", 36, sessions=2, weekly_cost=130),
    Arranged(2, NFE, "OTH", 23, sessions=2, weekly_cost=130),
    Arranged(0, OTHER, "BEH", 13, sessions=3, weekly_cost=200),
    Arranged(3, OTHER, "MHN", 38, left=4, weekly_cost=400),
    Arranged(5, OTHER, "SUS", 1, sessions=4, left=-5, weekly_cost=260, suspended=True),  # short by 6 sessions
    Arranged(4, OTHER, "BEH", -5, weekly_cost=420),  # starts in a week
)


def _school_day(la: LocalAuthority, days: int) -> datetime.date:
    """The school day `days` school days before today (after it, when negative)."""
    calendar = calendar_for(local_authority=la)
    if days >= 0:
        return calendar.school_day_back(today(), days)
    return calendar.nth_school_day(today() + datetime.timedelta(days=1), -days)


def _staff(school: School) -> User:
    """The school's member of staff who records its AP: Kingsmead's demo sign-in, else one who cannot sign in."""
    if school.urn == "990003":
        return User.objects.get(email=KINGSMEAD_STAFF)
    user, _ = User.objects.get_or_create(
        email=f"staff.school{school.urn}@example.org", defaults={"full_name": f"AP lead, {school.name}"}
    )
    if not user.memberships.exists():
        user.memberships.create(role="school-staff", school=school)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _provision(la: LocalAuthority, provider_name: str) -> Provision:
    """The provider's first provision in the LA's directory."""
    provision = (
        Provision.objects.filter(
            local_authority=la, status=Provision.Status.PUBLISHED, provider__legal_name=provider_name
        )
        .order_by("pk")
        .first()
    )
    assert provision is not None, provider_name
    return provision


def la_placement(la: LocalAuthority, provision: Provision, rng: random.Random) -> Placement:
    """A child the LA placed full time at `provision` after a permanent exclusion, through the services an officer
    and the provider would use: the LA's own count at a provider the schools use too."""
    officer = User.objects.get(email=LA_OFFICER)
    body = f"{la.la_code}27{len(ROWS):06d}0"[:12]
    pupil = record_pupil(
        user=officer,
        upn=upn_check_letter(body) + body,
        enrol_at=School.objects.get(urn=SCHOOL_URNS[3]),
        enrolment_start=school_year_start(today()),
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=birthday(today(), -14) - datetime.timedelta(days=rng.randint(30, 330)),
        **{**characteristics(rng), "sex": "F"},
    )
    episode = services.record_episode(
        user=officer, pupil=pupil, kind="permanent-exclusion", start_date=_school_day(la, 30)
    )
    start = _school_day(la, 24)
    placement = services.offer_placement(
        user=officer, episode=episode, provision=provision, start_date=start, tier="2", sessions_per_week=10,
        hours_per_week=Decimal("25"), annual_cost=Decimal("16500.00"),
        over_limit_reason="Tuition at home while a PRU place is found; reviewed at 6 weeks",
    )  # fmt: skip
    placement = services.accept_placement(user=provider_staff(provision), placement=placement)
    return services.start_placement(user=officer, placement=placement, on=start)


def _provider_values(la: LocalAuthority, arranged: Arranged) -> dict[str, object]:
    kind, _, value = arranged.provider.partition(":")
    if kind == "directory":
        return {"provision_id": _provision(la, value).pk, "setting_type": arranged.setting}
    if kind == "name":
        return {"provider_name": value, "setting_type": "OTH"}
    return {{"urn": "urn", "ukprn": "ukprn", "setting": "setting_type"}[kind]: value}


def build_school_arranged(*, la: LocalAuthority, seed: int = 2025) -> dict[str, int]:
    """Record the schools' AP (ROWS) through the importer, school by school. Returns what was made."""
    rng = random.Random(seed + 12)
    schools = {school.urn: school for school in School.objects.filter(urn__in=SCHOOL_URNS)}
    by_school: dict[int, list[tuple[int, dict[str, object]]]] = {}
    children: dict[int, str] = {}
    on = today()
    for index, arranged in enumerate(ROWS):
        body = f"{la.la_code}27{index:06d}0"[:12]
        upn = upn_check_letter(body) + body
        children[index] = upn
        age = rng.choice([12, 13, 14, 14, 15, 15, 15])
        born = birthday(on, -age) - datetime.timedelta(days=rng.randint(30, 330))
        left = _school_day(la, arranged.left) if arranged.left is not None else None
        values: dict[str, object] = {
            "upn": upn,
            "surname": rng.choice(LAST_NAMES),
            "forename": rng.choice(FIRST_NAMES),
            "date_of_birth": born.isoformat(),
            "reason": arranged.reason,
            "entry_date": _school_day(la, arranged.started).isoformat(),
            "leaving_date": left.isoformat() if left else "",
            "sessions_per_week": str(arranged.sessions),
            "attendance_pattern": "FT" if arranged.sessions == 10 else "PT",
            "hours_per_week": "25" if arranged.sessions == 10 else f"{arranged.sessions * 2.5:g}",
            "weekly_cost": f"{arranged.weekly_cost}.00",
            **_provider_values(la, arranged),
        }
        by_school.setdefault(arranged.school, []).append((index, values))
    la_placement(la, _provision(la, ONE_STEP.partition(":")[2]), rng)
    recorded = 0
    for school_index, rows in sorted(by_school.items()):
        school = schools[SCHOOL_URNS[school_index]]
        staff = _staff(school)
        for index, values in rows:
            if ROWS[index].suspended:
                _suspend_first(la, school, staff, values)
        read = [read_row(values, line=0) for _, values in rows]
        for index, ((_, values), row) in enumerate(zip(rows, read, strict=True)):
            row.provision_id = values.get("provision_id")  # type: ignore[assignment]
            row.line = index + 2  # as a file's lines: a problem names its row
        outcome = record_school_arranged(user=staff, rows=read)
        recorded += len(outcome.created)
    # The school took these children off its roll (its MIS's leaving date, which AP Hub records on the enrolment).
    for index, arranged in enumerate(ROWS):
        if arranged.off_roll is not None:
            Enrolment.objects.filter(pupil__upn=children[index], pupil__local_authority=la).update(
                end_date=_school_day(la, arranged.off_roll)
            )
    return {"school-arranged placements": recorded}


def _suspend_first(la: LocalAuthority, school: School, staff: User, values: dict[str, object]) -> None:
    """The child is on the school's roll and suspended (10 school days, from yesterday, the AP's first day) before
    the AP is recorded: the school records the pupil and the suspension, and its AP row then joins the suspension."""
    first = _school_day(la, 1)
    pupil = record_pupil(
        user=staff,
        upn=str(values["upn"]),
        first_name=str(values["forename"]),
        last_name=str(values["surname"]),
        date_of_birth=datetime.date.fromisoformat(str(values["date_of_birth"])),
        sex="M",
        enrolment_start=school_year_start(today()),
    )
    assert isinstance(pupil, Pupil)
    services.record_episode(
        user=staff,
        pupil=pupil,
        kind="suspension",
        start_date=first,
        suspension_last_day=calendar_for(local_authority=la, school=school).nth_school_day(first, 10),
    )
