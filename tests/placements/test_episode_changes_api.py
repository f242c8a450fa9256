"""An LA system corrects or withdraws an episode recorded in error through the API, with the same services, rules and
permissions as the pages (docs/decisions/0016): every change is kept in the child's history and logged."""

import datetime

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.duties.models import Clock
from aphub.organisations.models import Role
from aphub.placements import services
from aphub.placements.models import Episode, EpisodeChange
from tests.factories import LocalAuthorityFactory, member
from tests.placements.test_api import bearer

D = datetime.date


def suspension(town, **values):
    values = {"start_date": D(2026, 11, 3), "suspension_last_day": D(2026, 11, 30), "summary": "Assault on staff"}
    return services.record_episode(user=town.officer, pupil=town.pupil(), kind="suspension", **values)


def as_(client, user) -> dict:
    """A bearer token for those who may hold one (LA admins, provider staff); the others' systems sign in."""
    if user.memberships.get().role in (Role.LA_ADMIN, Role.PROVIDER_STAFF):
        client.logout()
        return bearer(user)
    client.force_login(user)
    return {}


def patch(client, episode, body, user):
    return client.patch(f"/api/episodes/{episode.pk}", body, content_type="application/json", **as_(client, user))


def withdraw(client, episode, body, user):
    url = f"/api/episodes/{episode.pk}/withdraw"
    return client.post(url, body, content_type="application/json", **as_(client, user))


def test_an_la_token_corrects_the_last_day_and_the_clocks_follow_the_new_count(client, town):
    episode = suspension(town)  # 20 school days: the sixth-day clock and the board's review
    assert set(episode.clocks.running().values_list("rule", flat=True)) == {"suspension", "governing-board-review"}

    response = patch(client, episode, {"suspension_last_day": "2026-11-12", "reason": "8 days, not 20"}, town.admin)

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start_date"], body["suspension_last_day"], body["suspension_school_days"]) == (
        "2026-11-03", "2026-11-12", 8
    )  # fmt: skip
    episode.refresh_from_db()
    assert episode.summary == "Assault on staff"  # not sent, so kept
    assert set(episode.clocks.running().values_list("rule", flat=True)) == {"suspension"}
    change = EpisodeChange.objects.get(episode=episode)
    assert (change.action, change.reason, change.changed_by) == ("corrected", "8 days, not 20", town.admin)
    assert change.changes["Last day of suspension"] == ["30 November 2026", "12 November 2026"]
    assert AccessLogEntry.objects.filter(
        user_id=town.admin.pk, object_type="placements.Episode", object_id=str(episode.pk), verb="change"
    ).exists()


def test_a_refused_correction_is_a_400_naming_every_problem_and_changes_nothing(client, town):
    episode = suspension(town)
    response = patch(client, episode, {"start_date": "2026-11-30", "suspension_last_day": "2026-11-27"}, town.officer)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["reason", "start_date", "suspension_last_day"]
    assert errors[2]["message"] == (
        "The last day of the suspension must be the same as or after its first day, 30 November 2026"
    )
    response = patch(client, episode, {"suspension_last_day": "2026-11-09", "reason": "Shorter"}, town.officer)
    assert response.status_code == 400
    assert "From 3 November 2026 to 9 November 2026 is 5 school days" in response.json()["detail"]
    episode.refresh_from_db()
    assert (episode.start_date, episode.suspension_last_day, episode.suspension_school_days) == (
        D(2026, 11, 3), D(2026, 11, 30), 20
    )  # fmt: skip
    assert not EpisodeChange.objects.exists()


def test_an_la_token_withdraws_an_episode_and_the_clocks_it_started_are_withdrawn(client, town):
    episode = suspension(town)
    response = withdraw(client, episode, {}, town.admin)
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "reason", "message": "Enter why the episode is withdrawn: it is kept in the child's history"}
    ]

    response = withdraw(client, episode, {"reason": "Recorded for the wrong child"}, town.admin)

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    episode.refresh_from_db()
    assert episode.status == Episode.Status.WITHDRAWN
    assert set(episode.clocks.values_list("state", flat=True)) == {Clock.State.WITHDRAWN}
    assert episode.clocks.count() == 2  # kept, not deleted, as on the page
    change = EpisodeChange.objects.get(episode=episode)
    assert (change.action, change.reason, change.changed_by) == (
        "withdrawn",
        "Recorded for the wrong child",
        town.admin,
    )
    assert AccessLogEntry.objects.filter(
        user_id=town.admin.pk, object_type="placements.Episode", object_id=str(episode.pk), verb="change"
    ).exists()
    # Neither withdrawn again nor corrected once withdrawn.
    assert "already withdrawn" in withdraw(client, episode, {"reason": "Again"}, town.admin).json()["detail"]
    response = patch(client, episode, {"summary": "x", "reason": "Typo"}, town.admin)
    assert response.status_code == 400 and "was withdrawn" in response.json()["detail"]


def test_a_withdrawal_names_the_missing_reason_and_the_placement_holding_a_place_at_once(client, town):
    episode = suspension(town)
    services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week="25", annual_cost="18000",
    )  # fmt: skip
    response = withdraw(client, episode, {"reason": " "}, town.officer)
    assert response.status_code == 400
    messages = [error["message"] for error in response.json()["errors"]]
    assert len(messages) == 2 and "Enter why the episode is withdrawn" in messages[0]
    assert messages[1].startswith("End or cancel the placement at")
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN


@pytest.mark.parametrize("who", ["school_a_staff", "p1_staff", "auditor"])
def test_school_provider_and_auditor_systems_are_refused_with_a_403(client, town, who):
    episode = suspension(town)
    user = getattr(town, who)
    response = patch(client, episode, {"summary": "Changed", "reason": "Typo"}, user)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only LA officers can correct an episode"
    response = withdraw(client, episode, {"reason": "Wrong child"}, user)
    assert response.status_code == 403
    episode.refresh_from_db()
    assert (episode.status, episode.summary) == (Episode.Status.OPEN, "Assault on staff")
    assert not EpisodeChange.objects.exists()


def test_another_las_episode_is_a_404_and_no_token_is_a_401(client, town):
    episode = suspension(town)
    stranger = member(Role.LA_ADMIN, LocalAuthorityFactory())
    assert patch(client, episode, {"summary": "Changed", "reason": "Typo"}, stranger).status_code == 404
    assert withdraw(client, episode, {"reason": "Wrong child"}, stranger).status_code == 404
    client.logout()
    assert client.post(f"/api/episodes/{episode.pk}/withdraw", {"reason": "x"}, "application/json").status_code == 401
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN
