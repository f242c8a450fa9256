"""Issue 14: the timeliness dashboard (length of stay, referral to start, the sixth-day duty). Time is frozen on
Tuesday 10 November 2026 (tests/placements/conftest.py); most tests read the academic year 2025/26, which has ended,
so a placement still open is measured to 31 August 2026 and every duty due in it is past its due date.

Every number below is worked out by hand from the records each test makes. Date arithmetic is the database's (SQLite
and PostgreSQL differ), so these run on both: `PG=1 ./t tests/insight/test_timeliness_dashboard.py`.
"""

import datetime

import pytest
from django.urls import reverse

from aphub.duties.models import Clock, Owner
from aphub.insight.dashboards import timeliness
from aphub.insight.dashboards.filters import DashboardFilters, period_of
from aphub.placements.models import Referral
from tests.factories import (
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    PupilFactory,
    member,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("insight:dashboard-timeliness")
D = datetime.date


def year(start: int, **narrowing) -> DashboardFilters:
    first, last, label, academic_year = period_of(str(start))
    return DashboardFilters(start=first, end=last, label=label, academic_year=academic_year, **narrowing)


def figure(user, filters: DashboardFilters, key: str):
    return next(each for each in timeliness.build(user, filters) if each.key == key)


def table(user, filters: DashboardFilters, key: str) -> dict[str, list]:
    return {row[0]: row[1:] for row in figure(user, filters, key).table.rows}


def placement(town, start: datetime.date, end: datetime.date | None = None, *, provider=None, **fields):
    return PlacementFactory(
        pupil=fields.pop("pupil", None) or town.pupil(),
        provision=town.provision(provider or town.provider_p1),
        start_date=start,
        end_date=end,
        status=fields.pop("status", "ended" if end else "active"),
        **fields,
    )


@pytest.fixture
def stays(town):
    """2025/26's placements, lengths in days: tier 2 ended after 7, 35, 42 and 106 days (one started before the
    period), tier 3 open since 2 March 2026, so 182 days on 31 August. Not counted: one ended before the period, one
    cancelled, one starting after it and another LA's."""
    placement(town, D(2025, 9, 1), D(2025, 9, 8))  # 7
    placement(town, D(2025, 12, 1), D(2026, 1, 5))  # 35
    placement(town, D(2025, 10, 1), D(2025, 11, 12), provider=town.provider_p2)  # 42
    placement(town, D(2025, 6, 1), D(2025, 9, 15), provider=town.provider_p2)  # 29 + 31 + 31 + 15 = 106
    placement(town, D(2026, 3, 2), tier="3", provider=town.provider_p2)  # 29 + 30 + 31 + 30 + 31 + 31 = 182
    placement(town, D(2025, 1, 6), D(2025, 7, 18))
    placement(town, D(2025, 11, 3), status="cancelled")
    placement(town, D(2026, 9, 7))
    PlacementFactory(start_date=D(2025, 9, 1), end_date=D(2025, 9, 2), status="ended")  # another LA's
    return town


def test_placements_are_banded_by_length_those_still_open_measured_to_the_periods_end(stays):
    bands = table(stays.officer, year(2025), "length-of-stay")

    assert bands == {
        "Under 2 weeks": [1, 0],
        "2 to 6 weeks": [1, 0],
        "6 to 12 weeks": [1, 0],
        "12 to 26 weeks": [1, 0],
        "26 to 52 weeks": [0, 1],  # 182 days is 26 weeks: the band from 26 weeks
        "52 weeks or more": [0, 0],
    }
    shown = figure(stays.officer, year(2025), "length-of-stay")
    assert shown.table.headings[1:] == ["Ended in the period", "Still open at the end of the period"]
    # The median of 7, 35, 42 and 106 days is (35 + 42) / 2 = 38.5 days, 5.5 weeks; 182 days is 26 weeks.
    assert shown.summary == (
        "4 placements ended in the period, after a median of 5.5 weeks; 1 placement was still open on 31 August 2026, "
        "after a median of 26 weeks so far."
    )


def test_the_median_length_by_tier_is_of_an_even_count_the_mean_of_the_middle_two(stays):
    medians = table(stays.officer, year(2025), "length-of-stay-by-tier")

    assert medians == {
        "Tier 1: targeted support in mainstream": [None, None],
        "Tier 2: time-limited placement": [5.5, None],
        "Tier 3: transitional placement": [None, 26.0],
    }
    assert figure(stays.officer, year(2025), "length-of-stay-by-tier").summary == (
        "Of placements that ended in the period, the median is 5.5 weeks for tier 2."
    )


def test_providers_are_those_with_most_placements_each_with_its_median(stays):
    shown = figure(stays.officer, year(2025), "length-of-stay-by-provider")

    # P2: 42 and 106 days ended (median 74 days, 10.6 weeks), 182 open; P1: 7 and 35 ended (21 days, 3 weeks).
    assert {row[0]: row[1:] for row in shown.table.rows} == {
        stays.provider_p2.display_name: [10.6, 26.0],
        stays.provider_p1.display_name: [3.0, None],
    }
    assert [row[0] for row in shown.table.rows][0] == stays.provider_p2.display_name  # 3 placements before 2
    assert shown.summary == (
        "The 2 providers with the most placements in the period. Of their placements that ended in the period, the "
        "median is longest for Second Chance Tuition Ltd (10.6 weeks) and shortest for Pathways One Learning Ltd "
        "(3 weeks)."
    )


def test_a_placement_open_in_the_running_year_is_measured_to_today(town):
    placement(town, D(2026, 9, 1))  # 70 days to Tuesday 10 November 2026

    shown = figure(town.officer, year(2026), "length-of-stay")

    assert shown.table.headings[2] == "Still open on 10 November 2026"
    assert {row[0]: row[1:] for row in shown.table.rows}["6 to 12 weeks"] == [0, 1]
    assert "1 placement was still open on 10 November 2026, after a median of 10 weeks so far" in shown.summary


def referral_for(started, submitted_at: datetime.datetime) -> Referral:
    referral = Referral.objects.create(
        pupil=started.pupil,
        episode=started.episode,
        status=Referral.Status.APPROVED,
        requested_tier="2",
        needs_summary="Needs",
        tried_so_far="Tried",
        child_views="Views",
        parent_views="Views",
        submitted_at=submitted_at,
    )
    started.referral = referral
    started.save(update_fields=["referral"])
    return referral


def test_time_from_referral_to_start_counts_from_the_day_it_was_submitted_in_england(town):
    # 23:30 UTC on 30 September is 00:30 on 1 October in London: 7 days to a start on 8 October, not 8.
    referral_for(placement(town, D(2025, 10, 8)), datetime.datetime(2025, 9, 30, 23, 30, tzinfo=datetime.UTC))
    referral_for(placement(town, D(2025, 11, 17)), datetime.datetime(2025, 11, 3, 10, 0, tzinfo=datetime.UTC))  # 14
    referral_for(placement(town, D(2026, 1, 26), tier="3"), datetime.datetime(2025, 12, 1, 9, 0, tzinfo=datetime.UTC))
    placement(town, D(2025, 10, 1))  # no referral: not counted
    referral_for(placement(town, D(2026, 9, 7)), datetime.datetime(2026, 7, 1, 9, 0, tzinfo=datetime.UTC))  # 2026/27

    bands = figure(town.officer, year(2025), "referral-to-start")
    by_tier = table(town.officer, year(2025), "referral-to-start-by-tier")

    # Tier 3: 30 days of December and 26 of January, 56 days: the band from 8 weeks.
    assert {row[0]: row[1] for row in bands.table.rows} == {
        "Under 1 week": 0,
        "1 to 2 weeks": 1,
        "2 to 4 weeks": 1,
        "4 to 8 weeks": 0,
        "8 to 12 weeks": 1,
        "12 weeks or more": 0,
    }
    assert by_tier["Tier 2: time-limited placement"] == [10.5]  # (7 + 14) / 2
    assert by_tier["Tier 3: transitional placement"] == [56]
    assert figure(town.officer, year(2025), "referral-to-start-by-tier").summary == (
        "Of placements started in the period from a referral, the median is longest for tier 3 (56 days) and "
        "shortest for tier 2 (10.5 days)."
    )
    assert bands.summary == (
        "3 placements started in the period from a referral, a median of 14 days after the referral was submitted; "
        "67% started within 4 weeks."
    )


def clock(town, rule: str, due_on: datetime.date, state: str, met_on: datetime.date | None = None, *, pupil=None):
    pupil = pupil or town.pupil()
    return Clock.objects.create(
        local_authority=pupil.local_authority,
        pupil=pupil,
        rule=rule,
        owner=Owner.LA if rule == "permanent-exclusion" else Owner.SCHOOL,
        started_on=due_on - datetime.timedelta(days=7),
        due_on=due_on,
        state=state,
        met_on=met_on,
        stopped_on=due_on if state == Clock.State.STOPPED else None,
    )


@pytest.fixture
def duties(town):
    """2025/26's sixth-day clocks: permanent exclusions met on the day, met 7 days late, still open since 28 August
    2026 (74 days overdue on 10 November), and stopped; a suspension met 8 days late. Not counted: a withdrawn clock,
    one due in 2026/27, a placement review's and another LA's."""
    clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.MET, D(2025, 10, 8))
    clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.MET, D(2025, 10, 15))
    clock(town, "suspension", D(2026, 1, 12), Clock.State.MET, D(2026, 1, 20))
    clock(town, "permanent-exclusion", D(2026, 8, 28), Clock.State.BREACHED)
    clock(town, "permanent-exclusion", D(2026, 2, 2), Clock.State.STOPPED)
    clock(town, "permanent-exclusion", D(2026, 2, 2), Clock.State.WITHDRAWN)
    clock(town, "permanent-exclusion", D(2026, 9, 8), Clock.State.MET, D(2026, 9, 30))
    clock(town, "placement-review", D(2026, 2, 2), Clock.State.MET, D(2026, 3, 2))
    clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.BREACHED, pupil=PupilFactory())
    return town


def test_the_sixth_day_duty_met_on_time_late_or_still_overdue(duties):
    shown = figure(duties.officer, year(2025), "sixth-day-duty")

    assert {row[0]: row[1:] for row in shown.table.rows} == {
        "Met on time": [1, 0],
        "Met late": [1, 1],
        "Still open and overdue": [1, 0],
        "Not yet due": [0, 0],
        "Stopped before it was met": [1, 0],
    }
    assert shown.summary == (
        "Of 5 sixth-day duties that fell due in the period, 20% were met on time, 40% were met late and 20% are still "
        "open and overdue; 1 duty stopped applying before being met."
    )


def test_days_late_are_calendar_days_after_the_due_date(duties):
    shown = figure(duties.officer, year(2025), "sixth-day-duty-lateness")

    assert {row[0]: row[1:] for row in shown.table.rows} == {
        "1 to 7 days": [1, 0],
        "8 to 14 days": [1, 0],
        "15 to 28 days": [0, 0],
        "29 to 56 days": [0, 0],
        "Over 56 days": [0, 1],
    }
    assert shown.summary == (
        "2 duties were met late, a median of 7.5 days after the due date; 1 duty is still open, a median of 74 days "
        "overdue so far. In calendar days, not school days."
    )


def test_a_duty_due_later_in_the_running_year_is_not_yet_due(town):
    clock(town, "permanent-exclusion", D(2026, 11, 17), Clock.State.OPEN)
    clock(town, "permanent-exclusion", D(2026, 11, 9), Clock.State.BREACHED)

    shown = figure(town.officer, year(2026), "sixth-day-duty")

    assert [row[1] for row in shown.table.rows] == [0, 0, 1, 1, 0]
    assert shown.summary.endswith("100% are still open and overdue. 1 more falls due later in the period.")


def test_the_childs_filters_narrow_every_figure(town):
    from aphub.pupils.models import Pupil

    semh = town.pupil(primary_need=Pupil.PrimaryNeed.SEMH)
    placement(town, D(2025, 9, 1), D(2025, 9, 8), pupil=semh)
    placement(town, D(2025, 9, 1), D(2025, 10, 8))
    clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.MET, D(2025, 10, 8), pupil=semh)
    clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.MET, D(2025, 10, 10))

    narrowed = year(2025, need=Pupil.PrimaryNeed.SEMH)

    assert table(town.officer, narrowed, "length-of-stay")["Under 2 weeks"] == [1, 0]
    assert sum(row[1] for row in figure(town.officer, narrowed, "length-of-stay").table.rows) == 1
    assert table(town.officer, narrowed, "sixth-day-duty")["Met on time"] == [1, 0]
    assert table(town.officer, narrowed, "sixth-day-duty")["Met late"] == [0, 0]


def test_a_school_filter_counts_the_duties_of_the_episodes_that_school_started(town):
    for school, met_on in ((town.school_a, D(2025, 10, 8)), (town.school_b, D(2025, 10, 20))):
        pupil = town.pupil(school=school)
        due = clock(town, "permanent-exclusion", D(2025, 10, 8), Clock.State.MET, met_on, pupil=pupil)
        due.episode = EpisodeFactory(pupil=pupil, school=school, start_date=D(2025, 9, 30))
        due.save(update_fields=["episode"])

    narrowed = table(town.officer, year(2025, school_id=town.school_b.pk), "sixth-day-duty")

    assert narrowed["Met on time"] == [0, 0]
    assert narrowed["Met late"] == [1, 0]


def test_the_page_shows_every_figure_to_la_staff_and_refuses_schools_and_providers(client, duties):
    client.force_login(duties.officer)
    response = client.get(PAGE, {"period": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("length-of-stay", "referral-to-start", "sixth-day-duty", "sixth-day-duty-lateness"):
        assert f'id="figure-{key}"' in page

    csv = client.get(PAGE, {"period": "2025", "table": "sixth-day-duty", "format": "csv"})
    assert csv.status_code == 200
    assert "Met late,1,1" in csv.content.decode()

    for user in (duties.school_a_staff, duties.p1_staff):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403


def test_the_page_reads_in_a_bounded_number_of_queries_however_many_placements(
    client, town, django_assert_max_num_queries
):
    for serial in range(14):
        provider = ProviderFactory(legal_name=f"Provider {serial:02}", local_authority=town.la)
        started = placement(town, D(2025, 9, 1) + datetime.timedelta(days=serial), provider=provider, tier="3")
        referral_for(started, datetime.datetime(2025, 8, 1, 9, 0, tzinfo=datetime.UTC))
        clock(town, "suspension", D(2025, 10, 1), Clock.State.MET, D(2025, 10, 1) + datetime.timedelta(days=serial))
    client.force_login(town.officer)

    with django_assert_max_num_queries(15):
        response = client.get(PAGE, {"period": "2025"})
    assert response.status_code == 200
    assert len(figure(town.officer, year(2025), "length-of-stay-by-provider").table.rows) == timeliness.TOP_PROVIDERS


def test_another_las_officer_counts_none_of_these(duties, stays):
    other = member("la-officer", LocalAuthorityFactory())

    assert sum(row[1] for row in figure(other, year(2025), "length-of-stay").table.rows) == 0
    assert sum(row[1] for row in figure(other, year(2025), "sixth-day-duty").table.rows) == 0
