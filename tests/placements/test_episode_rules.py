"""Episodes refuse what the law and common sense refuse (placements.rules), all at once, on the page and in the API."""

import datetime
import re

import pytest
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.placements import rules, services
from aphub.placements.models import Episode, EpisodeKind
from tests.placements.test_api import bearer

D = datetime.date
TODAY = D(2026, 11, 10)
BORN = D(2012, 3, 14)


def error_summary_links(page: str) -> list[str]:
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", summary)


def problems(**given):
    details = rules.EpisodeDetails(**{"kind": "permanent-exclusion", "start_date": D(2026, 11, 3), **given})
    return [(p.field, p.message) for p in rules.episode_problems(details, date_of_birth=BORN, today=TODAY)]


def test_a_permanent_exclusion_today_or_before_breaks_no_rule():
    assert problems() == []
    assert problems(start_date=TODAY) == []


@pytest.mark.parametrize("kind", ["permanent-exclusion", "suspension"])
def test_an_exclusion_cannot_be_dated_in_the_future(kind):
    found = problems(kind=kind, start_date=TODAY + datetime.timedelta(days=1), suspension_school_days=10)
    assert found == [("start_date", f"The first day of the {kind.replace('-', ' ')} must be today or in the past, "
                                    "not 11 November 2026")]  # fmt: skip


def test_other_needs_may_be_recorded_a_little_ahead():
    assert problems(kind="awaiting-school-place", start_date=TODAY + datetime.timedelta(days=30)) == []


@pytest.mark.parametrize("days", [1, 3, 5])
def test_a_suspension_of_5_school_days_or_fewer_is_not_a_suspension_over_5_days(days):
    [(field, message)] = problems(kind="suspension", suspension_school_days=days)
    assert field == "suspension_school_days"
    assert f"A suspension of {days} school day" in message and "6th school day" in message


def test_a_suspension_of_6_to_45_school_days_is_recorded():
    assert problems(kind="suspension", suspension_school_days=6) == []
    assert problems(kind="suspension", suspension_school_days=45) == []
    assert problems(kind="suspension", suspension_school_days=46)[0][0] == "suspension_school_days"


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
    found = problems(kind="suspension", start_date=D(2026, 12, 1), suspension_school_days=3)
    assert [field for field, _ in found] == ["start_date", "suspension_school_days"]


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
        ({"kind": "suspension", "start_date": D(2026, 11, 20), "suspension_school_days": 8}, "start_date"),
        ({"kind": "suspension", "suspension_school_days": 3}, "suspension_school_days"),
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
    suspension = record(town, pupil, kind="suspension", suspension_school_days=8)
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
         "suspension_school_days": "3"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "The first day of the suspension must be today or in the past, not 20 November 2026" in page
    assert "A suspension of 3 school days is not a suspension of more than 5 days" in page
    links = error_summary_links(page)
    assert len(links) == 2, links
    assert not pupil.episodes.exists()


def test_a_date_the_form_cannot_read_comes_with_the_rules_broken_by_the_rest(client, town):
    pupil = town.pupil()
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "suspension", "start_date_0": "31", "start_date_1": "2", "start_date_2": "2026",
         "suspension_school_days": "2"},
    )  # fmt: skip
    assert response.status_code == 400
    messages = error_summary_links(response.content.decode())
    assert len(messages) == 2, messages
    assert "A suspension of 2 school days is not a suspension of more than 5 days" in " ".join(messages)


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
        {"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-20", "suspension_school_days": 3},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 400, response.content
    body = response.json()
    assert {error["field"] for error in body["errors"]} == {"start_date", "suspension_school_days"}
    assert "A suspension of 3 school days is not a suspension of more than 5 days" in body["detail"]
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
