"""Issue 12: the LA's oversight sees the whole picture, the AP schools arranged themselves with its own. The
registration threshold and the LA's limits count school-arranged placements (but not a school's unnamed type of
setting); two lists name the children in AP on no registered roll (seed 004, action 1) and those whose part-time AP
and school time fall short of full-time education, each with who must act. Time is frozen on Tuesday 10 November
2026."""

import datetime

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.commissioning.models import OversightAlert
from aphub.duties.models import LocalPolicy
from aphub.organisations.models import Provider, Role
from aphub.placements import oversight
from aphub.placements.models import Placement
from aphub.placements.queries import on_no_registered_roll, short_of_full_time
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file
from aphub.pupils.models import Enrolment
from tests.factories import (
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    make_upn,
    member,
    route_for,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db

HEADER = ",".join([*COLUMNS, "provider_name"])
GREENWAY = "Greenway Learning CIC"


def census_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def school_row(town, serial: int, *, setting="OTH", provider=GREENWAY, sessions=10, hours="25", leaving="") -> str:
    """One row of a school's census AP file: a child new to AP Hub, born 2012, from Monday 2 November 2026."""
    pattern = "FT" if sessions == 10 else "PT"
    return (
        f"{make_upn(town.la.la_code, 700 + serial)},Pupil,Child{serial},2012-05-01,,,{setting},BEH,2026-11-02,"
        f"{leaving},{sessions},{pattern},{hours},300,{provider}"
    )


@pytest.fixture
def greenway(town):
    """An unregistered provider in the LA's directory, with neither URN nor UKPRN: schools name it in their files."""
    provider = ProviderFactory(legal_name=GREENWAY, local_authority=town.la)
    return ProvisionFactory(provider=provider, local_authority=town.la, name="Greenway Centre")


def la_placement(town, provision, **fields) -> Placement:
    pupil = town.pupil()
    return PlacementFactory(pupil=pupil, provision=provision, start_date=datetime.date(2026, 11, 2), **fields)


# --- The registration threshold and the LA's limits -------------------------------------------------------------


def test_school_arranged_and_la_placements_together_cross_the_threshold_and_raise_the_alert(town, greenway):
    la_placement(town, greenway)
    assert oversight.count_unregistered(today=TODAY)[greenway.provider_id].level is None
    assert oversight.raise_alerts(today=TODAY).raised == 0

    import_file(user=town.school_a_staff, content=census_file(*(school_row(town, n) for n in range(3))))
    import_file(user=town.school_b_staff, content=census_file(school_row(town, 3)))

    count = oversight.count_unregistered(today=TODAY)[greenway.provider_id]
    assert (count.full_time, count.level) == (5, "threshold")  # 1 of the LA's and 4 the schools arranged
    assert oversight.raise_alerts(today=TODAY).raised == 1
    alert = OversightAlert.objects.get(provider=greenway.provider, level="threshold", cleared_at__isnull=True)
    assert alert.full_time_pupils == 5
    assert town.officer.email in alert.recipients


def test_a_schools_unnamed_type_of_setting_is_left_out_of_the_count(client, town):
    # Five full-time pupils "at" one on one tuition, provider not named: they may be with five different tutors.
    import_file(
        user=town.school_a_staff,
        content=census_file(*(school_row(town, n, setting="OOT", provider="") for n in range(5))),
    )
    unnamed = Provider.objects.get(unnamed=True)
    assert unnamed.registration_status == Provider.RegistrationStatus.UNREGISTERED
    assert unnamed.pk not in oversight.count_unregistered(today=TODAY)
    assert oversight.count_unregistered(today=TODAY, provider_ids=[unnamed.pk]) == {}
    assert oversight.raise_alerts(today=TODAY).raised == 0
    # The LA's unregistered provision page counts named providers only, and still answers; the LA's limits apply to
    # each placement wherever it is, so the placements there are listed as breaking them.
    client.force_login(town.officer)
    response = client.get(reverse("commissioning:quality-oversight"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f">{unnamed.legal_name}</a>" not in body
    assert body.count(f'<td class="govuk-table__cell">{unnamed.legal_name}</td>') == 5


def test_the_las_limits_for_unregistered_placements_count_school_arranged_ones(town, greenway):
    LocalPolicy.objects.create(local_authority=town.la, unregistered_max_weeks=12, unregistered_max_sessions=6)
    import_file(
        user=town.school_a_staff,
        content=census_file(
            school_row(town, 1, sessions=8, hours="20"),  # no leaving date, and 8 sessions a week
            school_row(town, 2, sessions=4, hours="10", leaving="2026-12-18"),  # within both limits
        ),
    )
    running = Placement.objects.filter(recorded_by_school=True, status__in=Placement.HOLDING_STATES).select_related(
        "pupil"
    )
    breaches = {
        breach.placement.pupil.first_name: breach.problems for breach in oversight.limit_breaches(running, today=TODAY)
    }
    assert breaches == {
        "Child1": (
            "No planned end date: unregistered placements may last at most 12 weeks",
            "8 sessions a week: the limit is 6",
        )
    }


# --- Children in AP on no registered roll ------------------------------------------------------------------------


def end_enrolment(pupil, day: datetime.date) -> None:
    Enrolment.objects.filter(pupil=pupil).update(end_date=day)


def test_children_in_ap_on_no_registered_roll_and_who_must_act(town, greenway):
    # The school arranged AP and took the child off its roll: the school must act.
    import_file(user=town.school_a_staff, content=census_file(school_row(town, 1, sessions=6, hours="15")))
    off_roll = Placement.objects.get(recorded_by_school=True)
    end_enrolment(off_roll.pupil, datetime.date(2026, 11, 6))
    # Permanently excluded, off the school's roll, placed by the LA at an unregistered provider: the LA must act.
    excluded = la_placement(town, greenway, registration="single")
    end_enrolment(excluded.pupil, datetime.date(2026, 10, 16))
    # Listed by neither: still on the school's roll; also at a registered provider; past compulsory school age; not
    # started yet; another LA's child.
    la_placement(town, greenway)
    both = la_placement(town, greenway, is_full_time=False, sessions_per_week=4, part_time_reason="Health",
                        part_time_review_date=datetime.date(2026, 12, 1))  # fmt: skip
    end_enrolment(both.pupil, datetime.date(2026, 10, 16))
    registered = ProvisionFactory(provider=town.provider_p1, local_authority=town.la)
    PlacementFactory(pupil=both.pupil, episode=both.episode, provision=registered, is_full_time=False,
                     sessions_per_week=4, part_time_reason="Health", part_time_review_date=datetime.date(2026, 12, 1),
                     start_date=datetime.date(2026, 11, 2))  # fmt: skip
    older = la_placement(town, greenway)
    older.pupil.date_of_birth = datetime.date(2009, 8, 31)  # 17: past compulsory school age
    older.pupil.save()
    end_enrolment(older.pupil, datetime.date(2026, 7, 22))
    waiting = la_placement(town, greenway, status="accepted")
    end_enrolment(waiting.pupil, datetime.date(2026, 10, 16))
    other_la = LocalAuthorityFactory()
    stranger = PlacementFactory(provision=greenway, pupil=PupilFactory(local_authority=other_la))
    assert not Enrolment.objects.filter(pupil=stranger.pupil).exists()

    rows = on_no_registered_roll(town.officer, today=TODAY)

    assert [row.pupil for row in rows] == [excluded.pupil, off_roll.pupil]
    excluded_row, off_roll_row = rows
    assert excluded_row.who.school is None and excluded_row.who.label == "The local authority"
    assert excluded_row.since == datetime.date(2026, 11, 2)  # placed after leaving the roll: since the placement
    assert excluded_row.last_roll.school == town.school_a and not excluded_row.should_be_dual
    assert off_roll_row.who.school == town.school_a
    assert off_roll_row.who.label == "Ashgrove Academy (commissioning school)"
    assert off_roll_row.since == datetime.date(2026, 11, 7)  # the day after its roll ended
    assert off_roll_row.placements == (off_roll,)
    # Only the LA sees the list.
    assert on_no_registered_roll(town.school_a_staff, today=TODAY) == []


def test_a_dual_registration_without_the_schools_enrolment_is_flagged(town, greenway):
    placement = la_placement(town, greenway, registration="dual")
    Enrolment.objects.filter(pupil=placement.pupil).delete()
    [row] = on_no_registered_roll(town.officer, today=TODAY)
    assert row.should_be_dual and row.last_roll is None and row.since == placement.start_date


# --- Part-time AP and school time short of full-time education ----------------------------------------------------


def part_time(town, provision, kind: str, sessions: int, *, pupil=None, commissioned_by=None):
    pupil = pupil or town.pupil()
    episode = EpisodeFactory(pupil=pupil, route=route_for(town.la, kind), school=town.school_a,
                             start_date=datetime.date(2026, 11, 4))  # fmt: skip
    school = {"commissioner": "school", "commissioning_school": commissioned_by} if commissioned_by else {}
    return PlacementFactory(
        pupil=pupil, episode=episode, provision=provision, is_full_time=False, sessions_per_week=sessions,
        hours_per_week=f"{sessions * 2.5}", part_time_reason="Building up", start_date=datetime.date(2026, 11, 2),
        part_time_review_date=datetime.date(2026, 12, 1), **school,
    )  # fmt: skip


def test_children_short_of_full_time_education_with_the_shortfall_since_when_and_who_acts(town, greenway):
    suspended = part_time(town, greenway, "suspension", 4)
    health = part_time(town, greenway, "health-needs", 3, commissioned_by=town.school_a)
    # Part of the week around school, on the school's roll: at school for the rest of it, so not short.
    part_time(town, greenway, "off-site-direction", 3)
    # The same, but the school took the child off its roll: at school for none of the week.
    off_roll = part_time(town, greenway, "off-site-direction", 2, commissioned_by=town.school_b)
    end_enrolment(off_roll.pupil, datetime.date(2026, 11, 6))
    # Two part-time placements that make 10 sessions between them: full time.
    excluded = part_time(town, greenway, "permanent-exclusion", 6)
    part_time(town, greenway, "permanent-exclusion", 4, pupil=excluded.pupil)
    # An off-site direction placement of a child since suspended (another open episode): at school for none.
    later = part_time(town, greenway, "off-site-direction", 5)
    EpisodeFactory(pupil=later.pupil, route=route_for(town.la, "suspension"), school=town.school_a,
                   start_date=datetime.date(2026, 11, 9))  # fmt: skip

    rows = {row.pupil: row for row in short_of_full_time(town.officer, today=TODAY)}

    assert set(rows) == {suspended.pupil, health.pupil, off_roll.pupil, later.pupil}
    assert (rows[suspended.pupil].ap_sessions, rows[suspended.pupil].school_sessions) == (4, 0)
    assert rows[suspended.pupil].shortfall == 6
    assert rows[suspended.pupil].why_not_at_school == "Suspension of more than 5 days"
    assert rows[suspended.pupil].since == datetime.date(2026, 11, 4)  # the episode began after the placement
    assert rows[suspended.pupil].who.label == "The local authority"
    assert rows[health.pupil].shortfall == 7 and rows[health.pupil].who.school == town.school_a
    assert rows[off_roll.pupil].shortfall == 8
    assert rows[off_roll.pupil].why_not_at_school == "Not on a school roll since 7 November 2026"
    assert rows[off_roll.pupil].since == datetime.date(2026, 11, 7)
    assert rows[off_roll.pupil].who.school == town.school_b
    assert rows[later.pupil].since == datetime.date(2026, 11, 9) and rows[later.pupil].shortfall == 5
    # Largest shortfall first.
    assert [row.shortfall for row in short_of_full_time(town.officer, today=TODAY)] == [8, 7, 6, 5]
    assert short_of_full_time(town.school_a_staff, today=TODAY) == []


def test_school_arranged_part_time_ap_of_a_child_off_roll_is_short(town, greenway):
    import_file(user=town.school_a_staff, content=census_file(school_row(town, 1, sessions=3, hours="7.5")))
    placement = Placement.objects.get(recorded_by_school=True)
    assert short_of_full_time(town.officer, today=TODAY) == []  # on the school's roll, off site for 3 sessions
    end_enrolment(placement.pupil, datetime.date(2026, 11, 6))
    [row] = short_of_full_time(town.officer, today=TODAY)
    assert (row.pupil, row.shortfall, row.who.school) == (placement.pupil, 7, town.school_a)


# --- The pages -------------------------------------------------------------------------------------------------


def test_the_pages_list_the_las_children_and_log_the_read(client, town, greenway):
    off_roll = la_placement(town, greenway, registration="single")
    end_enrolment(off_roll.pupil, datetime.date(2026, 10, 16))
    short = part_time(town, greenway, "suspension", 4)
    other_la = LocalAuthorityFactory()
    other_officer = member(Role.LA_OFFICER, other_la)
    client.force_login(town.officer)

    body = client.get(reverse("placements:no-registered-roll")).content.decode()
    assert off_roll.pupil.full_name in body and "The local authority" in body and "16 October 2026" in body
    entry = AccessLogEntry.objects.get(list_name="Children in AP on no registered roll")
    assert entry.pupil_ids == f",{off_roll.pupil.pk},"

    body = client.get(reverse("placements:short-of-full-time")).content.decode()
    assert short.pupil.full_name in body and "6 sessions" in body and "Suspension of more than 5 days" in body
    assert AccessLogEntry.objects.get(list_name="Children short of full-time education").pupil_ids == (
        f",{short.pupil.pk},"
    )

    client.force_login(other_officer)
    for name in ("placements:no-registered-roll", "placements:short-of-full-time"):
        body = client.get(reverse(name)).content.decode()
        assert off_roll.pupil.full_name not in body and short.pupil.full_name not in body
    client.force_login(town.school_a_staff)
    assert client.get(reverse("placements:no-registered-roll")).status_code == 403


def test_the_pages_are_in_the_las_navigation(client, town):
    from aphub.organisations.navigation import pages_for

    for user in (town.officer, town.admin, town.auditor):
        names = {name for _label, name in pages_for(user.memberships.get())}
        assert {"placements:no-registered-roll", "placements:short-of-full-time"} <= names
    assert "placements:no-registered-roll" not in {
        name for _l, name in pages_for(town.school_a_staff.memberships.get())
    }


def test_the_pages_read_in_a_fixed_number_of_queries(client, town, greenway):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_children(n: int) -> None:
        for _ in range(n):
            off_roll = la_placement(town, greenway, registration="single")
            end_enrolment(off_roll.pupil, datetime.date(2026, 10, 16))
            part_time(town, greenway, "suspension", 4)

    def queries() -> list[int]:
        counts = []
        for name in ("placements:no-registered-roll", "placements:short-of-full-time"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(captured))
        return counts

    client.force_login(town.officer)
    add_children(1)
    few = queries()
    add_children(4)
    assert queries() == few
