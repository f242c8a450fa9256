"""A suspension is given by its first and last day; its school days are counted from the school calendar, never typed
(Education (Provision of Full-Time Education for Excluded Pupils) (England) Regulations 2007: the duty starts on the
6th school day of a suspension of more than 5 school days)."""

import datetime

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aphub.core.days.school_days import SchoolCalendar
from aphub.core.errors import DomainError
from aphub.duties.calendars import calendar_for, covers
from aphub.duties.models import Closure
from aphub.placements import rules, services
from aphub.placements.models import Episode
from tests.factories import EpisodeFactory
from tests.placements.test_episode_corrections import date_fields
from tests.placements.test_episode_rules import BORN, error_summary_links

D = datetime.date
TODAY = D(2026, 11, 10)

# --- The count, against the calendar ----------------------------------------------------------------------------

days_in_2026 = st.integers(min_value=0, max_value=364).map(lambda n: D(2026, 1, 1) + datetime.timedelta(days=n))


@st.composite
def calendars(draw):
    """A year of terms (breaks between them) and closures drawn inside them, as an LA's calendar page allows."""
    edges = sorted(draw(st.lists(days_in_2026, min_size=2, max_size=8, unique=True)))
    terms = [(edges[i], edges[i + 1]) for i in range(0, len(edges) - 1, 2)]
    closures = draw(st.frozensets(days_in_2026, max_size=15))
    return terms, closures


def school_days_by_hand(terms, closures, first: datetime.date, last: datetime.date) -> int:
    """The definition, day by day: a weekday in a term that is not a closure."""
    count, day = 0, first
    while day <= last:
        in_term = any(start <= day <= end for start, end in terms)
        count += day.weekday() < 5 and in_term and day not in closures
        day += datetime.timedelta(days=1)
    return count


@given(calendars(), days_in_2026, days_in_2026)
@settings(max_examples=300, deadline=None)
def test_the_school_days_of_a_suspension_are_the_calendars_between_its_first_and_last_day(calendar, one, other):
    terms, closures = calendar
    first, last = min(one, other), max(one, other)
    counted = rules.suspension_school_days(first, last, SchoolCalendar(terms, closures))
    assert counted == school_days_by_hand(terms, closures, first, last)


@given(calendars(), days_in_2026, st.integers(min_value=-5, max_value=80))
@settings(max_examples=300, deadline=None)
def test_a_suspension_is_refused_unless_its_dates_hold_6_to_45_school_days(calendar, first, length):
    terms, closures = calendar
    school_calendar = SchoolCalendar(terms, closures)
    last = first + datetime.timedelta(days=length)
    details = rules.EpisodeDetails(kind="suspension", start_date=first, suspension_last_day=last)
    found = rules.episode_problems(details, date_of_birth=BORN, today=D(2026, 12, 31), calendar=school_calendar)
    assert all(problem.field == "suspension_last_day" for problem in found)
    counted = school_days_by_hand(terms, closures, first, last)
    # A day past the calendar's terms cannot be counted (the count would be short), so it is refused too.
    countable = length >= 0 and covers(school_calendar, first) and covers(school_calendar, last)
    assert (found == []) == (countable and 6 <= counted <= 45)


# --- Recording and correcting, in the LA's (or the school's) calendar ----------------------------------------------


@given(first=st.integers(min_value=0, max_value=60), length=st.integers(min_value=-2, max_value=90))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_recorded_count_is_the_las_calendars(town, first, length):
    first_day = TODAY - datetime.timedelta(days=first)
    last_day = first_day + datetime.timedelta(days=length)
    pupil = town.pupil()
    calendar = calendar_for(local_authority=town.la, school=town.school_a)
    counted = calendar.school_days_between(first_day, last_day)
    try:
        episode = services.record_episode(
            user=town.officer, pupil=pupil, kind="suspension", start_date=first_day, suspension_last_day=last_day
        )
    except DomainError as refused:
        assert [each.field for each in refused.errors] == ["suspension_last_day"]
        assert length < 0 or not 6 <= counted <= 45
        assert not pupil.episodes.exists()
    else:
        assert 6 <= counted <= 45
        assert (episode.suspension_last_day, episode.suspension_school_days) == (last_day, counted)
        assert episode.clocks.filter(rule="suspension").exists()


def test_a_schools_own_inset_day_is_not_a_school_day_of_its_suspension(town):
    # Tuesday 3 to Tuesday 10 November: 6 school days in the LA's calendar, 5 at a school closed on the 6th.
    Closure.objects.create(local_authority=town.la, school=town.school_b, date=D(2026, 11, 6))
    values = {"kind": "suspension", "start_date": D(2026, 11, 3), "suspension_last_day": D(2026, 11, 10)}
    assert services.record_episode(user=town.officer, pupil=town.pupil(), **values).suspension_school_days == 6
    try:
        services.record_episode(user=town.officer, pupil=town.pupil(school=town.school_b), **values)
    except DomainError as refused:
        assert "From 3 November 2026 to 10 November 2026 is 5 school days" in refused.message
    else:
        raise AssertionError("a suspension of 5 school days at the school was recorded")


def test_the_correction_page_takes_the_first_and_last_day_and_shows_every_problem(client, town):
    episode = services.record_episode(
        user=town.officer, pupil=town.pupil(), kind="suspension", start_date=D(2026, 11, 3),
        suspension_last_day=D(2026, 11, 12),
    )  # fmt: skip
    url = reverse("placements:correct-episode", kwargs={"pk": episode.pk})
    client.force_login(town.officer)
    page = client.get(url).content.decode()
    assert "What was the first day of the suspension?" in page and "What is the last day of the suspension?" in page
    assert "Recorded: from 3 November 2026 to 12 November 2026 (8 school days)" in page

    response = client.post(
        url, {**date_fields("start_date", D(2026, 11, 5)), **date_fields("suspension_last_day", D(2026, 11, 4))}
    )
    assert response.status_code == 400
    assert error_summary_links(response.content.decode()) == [
        "The last day of the suspension must be the same as or after its first day, 5 November 2026",
        "Enter why the episode is being corrected",
    ]
    response = client.post(
        url,
        {**date_fields("start_date", D(2026, 11, 3)), **date_fields("suspension_last_day", D(2026, 11, 9)),
         "reason": "Back on the 10th"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "From 3 November 2026 to 9 November 2026 is 5 school days" in response.content.decode()

    response = client.post(
        url,
        {**date_fields("start_date", D(2026, 11, 3)), **date_fields("suspension_last_day", D(2026, 11, 24)),
         "reason": "Extended by the head teacher"},
    )  # fmt: skip
    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.suspension_last_day, episode.suspension_school_days) == (D(2026, 11, 24), 16)
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": episode.pupil_id})).content.decode()
    assert "from 3 November 2026 to 24 November 2026 (16 school days)" in timeline
    assert "last day of suspension was 12 November 2026, now 24 November 2026" in timeline
    assert "school days of suspension was 8, now 16" in timeline


def test_a_suspension_recorded_with_a_count_only_keeps_it_until_its_last_day_is_given(client, town):
    # Recorded before the last day was asked: valid as it is, shown with its count.
    episode = EpisodeFactory(
        pupil=town.pupil(), route=town.la.routes.get(kind="suspension"), school=town.school_a, suspension_school_days=8
    )
    client.force_login(town.officer)
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": episode.pupil_id})).content.decode()
    assert "Suspension of more than 5 days</strong> from 3 November 2026 (8 school days)" in timeline
    url = reverse("placements:correct-episode", kwargs={"pk": episode.pk})
    response = client.post(url, {**date_fields("start_date", D(2026, 11, 3)), "reason": "Adding the last day"})
    assert response.status_code == 400
    assert error_summary_links(response.content.decode()) == ["Enter the last day of the suspension"]
    response = client.post(
        url,
        {**date_fields("start_date", D(2026, 11, 3)), **date_fields("suspension_last_day", D(2026, 11, 12)),
         "reason": "Adding the last day"},
    )  # fmt: skip
    assert response.status_code == 302
    episode = Episode.objects.get(pk=episode.pk)
    assert (episode.suspension_last_day, episode.suspension_school_days) == (D(2026, 11, 12), 8)
