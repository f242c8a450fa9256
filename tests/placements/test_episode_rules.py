"""Episodes refuse what the law and common sense refuse (placements.rules), all at once, on the page and in the API."""

import datetime
import re

import pytest
from django.urls import reverse

from aphub.core.days.school_days import SchoolCalendar
from aphub.core.errors import DomainError
from aphub.placements import rules, services
from aphub.placements.models import Episode, EpisodeKind
from tests.placements.test_api import bearer

D = datetime.date
TODAY = D(2026, 11, 10)
BORN = D(2012, 3, 14)
# Autumn term 2026 around a half-term, with an INSET day on Friday 16 October.
CALENDAR = SchoolCalendar([(D(2026, 9, 3), D(2026, 10, 23)), (D(2026, 11, 2), D(2026, 12, 18))], {D(2026, 10, 16)})


def error_summary_links(page: str) -> list[str]:
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", summary)


def problems(**given):
    details = rules.EpisodeDetails(**{"kind": "permanent-exclusion", "start_date": D(2026, 11, 3), **given})
    found = rules.episode_problems(details, date_of_birth=BORN, today=TODAY, calendar=CALENDAR)
    return [(p.field, p.message) for p in found]


def test_a_permanent_exclusion_today_or_before_breaks_no_rule():
    assert problems() == []
    assert problems(start_date=TODAY) == []


@pytest.mark.parametrize("kind", ["permanent-exclusion", "suspension"])
def test_an_exclusion_cannot_be_dated_in_the_future(kind):
    found = problems(kind=kind, start_date=TODAY + datetime.timedelta(days=1), suspension_last_day=D(2026, 11, 24))
    assert found == [("start_date", f"The first day of the {kind.replace('-', ' ')} must be today or in the past, "
                                    "not 11 November 2026")]  # fmt: skip


def test_other_needs_may_be_recorded_a_little_ahead():
    assert problems(kind="awaiting-school-place", start_date=TODAY + datetime.timedelta(days=30)) == []


@pytest.mark.parametrize(
    ("last_day", "days"),
    [(D(2026, 11, 3), 1), (D(2026, 11, 5), 3), (D(2026, 11, 9), 5), (D(2026, 11, 8), 4)],
)
def test_a_suspension_of_5_school_days_or_fewer_is_not_a_suspension_over_5_days(last_day, days):
    [(field, message)] = problems(kind="suspension", suspension_last_day=last_day)
    assert field == "suspension_last_day"
    assert f"From 3 November 2026 to {last_day.day} November 2026 is {days} school day" in message
    assert "not a suspension of more than 5 days" in message and "6th school day" in message


def test_the_weekend_half_term_and_inset_days_are_not_counted():
    # Thursday 22 October to Tuesday 3 November: 2 days before half-term, 2 after; 4 school days in 13.
    assert "is 4 school days" in problems(kind="suspension", start_date=D(2026, 10, 22),
                                          suspension_last_day=D(2026, 11, 3))[0][1]  # fmt: skip
    # Monday 12 to Monday 19 October: 6 weekdays, but Friday 16th is an INSET day.
    assert "is 5 school days" in problems(kind="suspension", start_date=D(2026, 10, 12),
                                          suspension_last_day=D(2026, 10, 19))[0][1]  # fmt: skip


def test_a_suspension_of_6_to_45_school_days_is_recorded():
    assert problems(kind="suspension", suspension_last_day=D(2026, 11, 10)) == []  # 6 school days
    assert rules.suspension_school_days(D(2026, 11, 3), D(2026, 11, 10), CALENDAR) == 6
    # From the first day of term: 36 school days to half-term (37 weekdays, one INSET day), then 9 more.
    assert rules.suspension_school_days(D(2026, 9, 3), D(2026, 11, 12), CALENDAR) == 45
    assert problems(kind="suspension", start_date=D(2026, 9, 3), suspension_last_day=D(2026, 11, 12)) == []


def test_a_suspension_of_more_than_45_school_days_is_refused():
    [(field, message)] = problems(kind="suspension", start_date=D(2026, 9, 3), suspension_last_day=D(2026, 11, 13))
    assert field == "suspension_last_day"
    assert "is 46 school days" in message and "more than 45 school days in a school year" in message


def test_a_last_day_before_the_first_or_a_range_with_no_school_day_is_refused():
    [(field, message)] = problems(kind="suspension", suspension_last_day=D(2026, 11, 2))
    assert field == "suspension_last_day"
    assert message == "The last day of the suspension must be the same as or after its first day, 3 November 2026"
    [(field, message)] = problems(kind="suspension", start_date=D(2026, 10, 24), suspension_last_day=D(2026, 11, 1))
    assert message.startswith("There is no school day from 24 October 2026 to 1 November 2026")
    [(field, message)] = problems(kind="suspension")
    assert (field, message) == ("suspension_last_day", "Enter the last day of the suspension")


def test_a_last_day_past_the_calendar_cannot_be_counted():
    [(field, message)] = problems(kind="suspension", suspension_last_day=D(2027, 1, 8))
    assert field == "suspension_last_day"
    assert "The school calendar does not cover 8 January 2027" in message


@pytest.mark.parametrize("days_missed", [None, 0, -2])
def test_a_health_episode_needs_days_missed(days_missed):
    [(field, message)] = problems(kind="health-needs", days_missed=days_missed)
    assert field == "days_missed"
    assert "15 or more school days" in message


def test_a_second_open_permanent_exclusion_is_refused():
    details = rules.EpisodeDetails(kind="permanent-exclusion", start_date=TODAY)
    [problem] = rules.episode_problems(
        details, date_of_birth=BORN, today=TODAY, open_permanent_exclusion_since=D(2026, 11, 3)
    )
    assert problem.field == "kind"
    assert "already has an open permanent exclusion, from 3 November 2026" in problem.message


def test_every_rule_broken_is_returned_at_once():
    found = problems(kind="suspension", start_date=D(2026, 12, 1), suspension_last_day=D(2026, 12, 3))
    assert [field for field, _ in found] == ["start_date", "suspension_last_day"]


# --- The service ----------------------------------------------------------------------------------------------


def record(town, pupil, **values):
    values = {"kind": "permanent-exclusion", "start_date": D(2026, 11, 3), **values}
    return services.record_episode(user=town.officer, pupil=pupil, **values)


def test_the_service_refuses_a_second_open_permanent_exclusion_for_the_same_child(town):
    pupil = town.pupil()
    record(town, pupil)
    with pytest.raises(DomainError, match="already has an open permanent exclusion"):
        record(town, pupil, start_date=D(2026, 11, 9))
    assert pupil.episodes.count() == 1
    # Another child, or the same child once the first is closed, may have one.
    record(town, town.pupil())
    services.close_episode(user=town.officer, episode=pupil.episodes.get(), on=D(2026, 11, 9))
    record(town, pupil, start_date=D(2026, 11, 9))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start_date": D(2026, 11, 11)}, "start_date"),
        ({"kind": "suspension", "start_date": D(2026, 11, 20), "suspension_last_day": D(2026, 12, 1)}, "start_date"),
        ({"kind": "suspension", "suspension_last_day": D(2026, 11, 5)}, "suspension_last_day"),
        ({"kind": "suspension", "suspension_last_day": D(2026, 11, 2)}, "suspension_last_day"),
        ({"kind": "health-needs"}, "days_missed"),
        ({"kind": "health-needs", "days_missed": 0}, "days_missed"),
    ],
)
def test_the_service_refuses_and_starts_no_clock(town, values, field):
    pupil = town.pupil()
    with pytest.raises(DomainError) as error:
        record(town, pupil, **values)
    assert field in [each.field for each in error.value.errors]
    assert not pupil.episodes.exists() and not pupil.clocks.exists()


def test_a_suspension_of_8_school_days_and_a_health_episode_with_days_missed_are_recorded(town):
    pupil = town.pupil()
    suspension = record(town, pupil, kind="suspension", suspension_last_day=D(2026, 11, 12))
    assert (suspension.suspension_last_day, suspension.suspension_school_days) == (D(2026, 11, 12), 8)
    assert suspension.clocks.get().rule == "suspension"
    health = record(town, town.pupil(), kind="health-needs", days_missed=12, start_date=D(2026, 11, 9))
    assert health.days_missed == 12 and health.clocks.get().rule == "health-needs"


# --- The page and the API -------------------------------------------------------------------------------------


def test_the_page_shows_every_broken_rule_at_once_in_the_error_summary(client, town):
    pupil = town.pupil()
    client.force_login(town.school_a_staff)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "suspension", "start_date_0": "20", "start_date_1": "11", "start_date_2": "2026",
         "suspension_last_day_0": "19", "suspension_last_day_1": "11", "suspension_last_day_2": "2026"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "The first day of the suspension must be today or in the past, not 20 November 2026" in page
    assert "The last day of the suspension must be the same as or after its first day, 20 November 2026" in page
    links = error_summary_links(page)
    assert len(links) == 2, links
    assert not pupil.episodes.exists()


def test_a_date_the_form_cannot_read_comes_with_the_rules_broken_by_the_rest(client, town):
    pupil = town.pupil()
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "suspension", "start_date_0": "31", "start_date_1": "2", "start_date_2": "2026",
         "suspension_last_day_0": "1", "suspension_last_day_1": "13", "suspension_last_day_2": "2026"},
    )  # fmt: skip
    assert response.status_code == 400
    messages = error_summary_links(response.content.decode())
    assert messages == ["The start date must be a real date", "The last day of the suspension must be a real date"]


def test_the_page_refuses_a_second_open_permanent_exclusion(client, town):
    pupil = town.pupil()
    record(town, pupil)
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "permanent-exclusion", "start_date_0": "9", "start_date_1": "11", "start_date_2": "2026"},
    )
    assert response.status_code == 400
    assert "already has an open permanent exclusion, from 3 November 2026" in response.content.decode()
    assert pupil.episodes.count() == 1


def test_the_api_answers_400_with_each_sentence(client, town):
    pupil = town.pupil()
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-05", "suspension_last_day": "2026-11-04"},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == [
        {
            "field": "suspension_last_day",
            "message": "The last day of the suspension must be the same as or after its first day, 5 November 2026",
        }
    ]
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-20", "suspension_last_day": "2026-11-24"},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert {error["field"] for error in body["errors"]} == {"start_date", "suspension_last_day"}
    assert "From 20 November 2026 to 24 November 2026 is 3 school days" in body["detail"]
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "health-needs", "start_date": "2026-11-09", "days_missed": 0},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "days_missed"
    assert not Episode.objects.filter(pupil=pupil).exists()
    assert EpisodeKind.SUSPENSION  # the kinds the API names are the model's
