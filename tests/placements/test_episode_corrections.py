"""The LA corrects or withdraws an episode recorded in error: the clocks it started are counted again or withdrawn
(kept, off the worklist), and the child's history keeps who, when and why."""

import datetime

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError, NotPermitted
from aphub.duties.models import Clock
from aphub.duties.queries import worklist_clocks
from aphub.organisations.models import Role
from aphub.placements import services
from aphub.placements.models import Episode, EpisodeChange
from tests.factories import LocalAuthorityFactory, member
from tests.placements.test_episode_rules import error_summary_links

D = datetime.date


def exclusion(town, pupil=None, **values):
    values = {"kind": "permanent-exclusion", "start_date": D(2026, 11, 3), **values}
    return services.record_episode(user=town.officer, pupil=pupil or town.pupil(), **values)


def date_fields(name: str, day: datetime.date) -> dict[str, str]:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


# --- Correcting -----------------------------------------------------------------------------------------------


def test_correcting_the_start_date_counts_the_clocks_again_and_keeps_the_history(town):
    episode = exclusion(town)
    assert episode.clocks.get(rule="permanent-exclusion").due_on == D(2026, 11, 10)

    services.correct_episode(
        user=town.officer, episode=episode, start_date=D(2026, 11, 4), reason="The letter was dated the 4th"
    )

    clock = episode.clocks.get(rule="permanent-exclusion")
    assert (clock.started_on, clock.due_on) == (D(2026, 11, 4), D(2026, 11, 11))
    assert episode.clocks.get(rule="governing-board-review").started_on == D(2026, 11, 4)
    change = EpisodeChange.objects.get(episode=episode)
    assert change.action == "corrected" and change.changed_by == town.officer
    assert change.changes == {"Start date": ["3 November 2026", "4 November 2026"]}
    assert change.reason == "The letter was dated the 4th"
    assert AccessLogEntry.objects.filter(
        user_id=town.officer.pk, object_type="placements.Episode", object_id=str(episode.pk), verb="change"
    ).exists()


def test_correcting_a_suspension_to_fewer_days_withdraws_the_board_review_it_no_longer_starts(town):
    episode = exclusion(town, kind="suspension", suspension_last_day=D(2026, 11, 30))
    assert episode.suspension_school_days == 20
    assert set(episode.clocks.values_list("rule", flat=True)) == {"suspension", "governing-board-review"}

    services.correct_episode(
        user=town.officer,
        episode=episode,
        start_date=episode.start_date,
        suspension_last_day=D(2026, 11, 12),
        reason="Suspended for 8 days, not 20",
    )
    episode.refresh_from_db()
    assert episode.suspension_school_days == 8
    assert EpisodeChange.objects.get(episode=episode).changes == {
        "Last day of suspension": ["30 November 2026", "12 November 2026"],
        "School days of suspension": ["20", "8"],
    }

    states = dict(episode.clocks.values_list("rule", "state"))
    assert states["governing-board-review"] == Clock.State.WITHDRAWN
    assert states["suspension"] in Clock.RUNNING_STATES
    # And back: the duty follows again, as a new running clock beside the withdrawn one.
    services.correct_episode(
        user=town.officer,
        episode=episode,
        start_date=episode.start_date,
        suspension_last_day=D(2026, 11, 24),
        reason="Typo",
    )
    assert episode.clocks.filter(rule="governing-board-review").running().count() == 1


def test_a_correction_obeys_the_same_rules_and_needs_a_reason(town):
    episode = exclusion(town, kind="suspension", suspension_last_day=D(2026, 11, 12))
    with pytest.raises(DomainError) as error:
        services.correct_episode(
            user=town.officer, episode=episode, start_date=D(2026, 11, 30), suspension_last_day=D(2026, 12, 2),
            reason="",
        )  # fmt: skip
    assert {each.field for each in error.value.errors} == {"reason", "start_date", "suspension_last_day"}
    episode.refresh_from_db()
    assert (episode.start_date, episode.suspension_last_day, episode.suspension_school_days) == (
        D(2026, 11, 3), D(2026, 11, 12), 8
    )  # fmt: skip
    assert not EpisodeChange.objects.exists()


def test_a_closed_exclusion_is_corrected_beside_a_newer_open_one(town):
    pupil = town.pupil()
    old = exclusion(town, pupil)
    services.close_episode(user=town.officer, episode=old, on=D(2026, 11, 4))
    exclusion(town, pupil, start_date=D(2026, 11, 9))
    services.correct_episode(user=town.officer, episode=old, start_date=D(2026, 11, 2), reason="Wrong day")
    old.refresh_from_db()
    assert old.start_date == D(2026, 11, 2)
    assert not old.clocks.running().exists()


def test_the_correction_page_shows_every_problem_and_then_corrects(client, town):
    episode = exclusion(town, kind="health-needs", days_missed=16)
    url = reverse("placements:correct-episode", kwargs={"pk": episode.pk})
    client.force_login(town.officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {**date_fields("start_date", D(2026, 11, 3)), "days_missed": "0", "reason": ""})
    assert response.status_code == 400
    assert len(error_summary_links(response.content.decode())) == 2
    response = client.post(
        url, {**date_fields("start_date", D(2026, 11, 3)), "days_missed": "18", "reason": "Two more days off sick"}
    )
    assert response.status_code == 302
    episode.refresh_from_db()
    assert episode.days_missed == 18
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": episode.pupil_id})).content.decode()
    assert "Corrected on 10 November 2026" in timeline
    assert "school days missed was 16, now 18" in timeline
    assert "Two more days off sick" in timeline


# --- Withdrawing ----------------------------------------------------------------------------------------------


def test_the_confirmation_page_names_the_clocks_that_stop_before_anything_changes(client, town):
    episode = exclusion(town)
    url = reverse("placements:withdraw-episode", kwargs={"pk": episode.pk})
    client.force_login(town.officer)
    page = client.get(url).content.decode()
    assert "What will change" in page
    assert "Full-time education from the 6th school day of the exclusion" in page
    assert "Governing board considers reinstatement within 15 school days" in page
    episode.refresh_from_db()
    assert episode.status == Episode.Status.OPEN
    assert episode.clocks.running().count() == 2


def test_withdrawing_keeps_the_episode_and_its_clocks_but_takes_them_off_the_worklist(client, town):
    episode = exclusion(town)
    pupil = episode.pupil
    assert worklist_clocks(town.officer).filter(episode=episode).exists()
    client.force_login(town.officer)

    response = client.post(reverse("placements:withdraw-episode", kwargs={"pk": episode.pk}), {"reason": ""})
    assert response.status_code == 400
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN

    response = client.post(
        reverse("placements:withdraw-episode", kwargs={"pk": episode.pk}), {"reason": "Recorded for the wrong child"}
    )
    assert response.status_code == 302

    episode.refresh_from_db()
    assert episode.status == Episode.Status.WITHDRAWN
    assert set(episode.clocks.values_list("state", flat=True)) == {Clock.State.WITHDRAWN}
    assert episode.clocks.count() == 2  # kept, not deleted
    assert not worklist_clocks(town.officer).filter(episode=episode).exists()
    change = EpisodeChange.objects.get(episode=episode)
    assert (change.action, change.changed_by) == ("withdrawn", town.officer)
    assert change.reason == "Recorded for the wrong child"
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    assert "Withdrawn" in timeline and "recorded in error" in timeline
    assert "Recorded for the wrong child" in timeline
    assert AccessLogEntry.objects.filter(
        object_type="placements.Episode", object_id=str(episode.pk), verb="change"
    ).exists()
    # A withdrawn exclusion is not open: the right one can be recorded.
    exclusion(town, pupil, start_date=D(2026, 11, 5))
    # And the withdrawn one can be neither corrected nor withdrawn again.
    assert client.get(reverse("placements:correct-episode", kwargs={"pk": episode.pk})).status_code == 404
    with pytest.raises(DomainError, match="already withdrawn"):
        services.withdraw_episode(user=town.officer, episode=episode, reason="Again")


def test_an_episode_with_a_placement_holding_a_place_is_not_withdrawn(town):
    episode = exclusion(town)
    services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week="25", annual_cost="18000",
    )  # fmt: skip
    with pytest.raises(DomainError, match="cancel the placement"):
        services.withdraw_episode(user=town.officer, episode=episode, reason="Wrong child")
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN


# --- Who may ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["school_a_staff", "p1_staff", "auditor"])
def test_only_la_officers_correct_or_withdraw(client, town, who):
    episode = exclusion(town)
    user = getattr(town, who)
    client.force_login(user)
    for name in ("placements:correct-episode", "placements:withdraw-episode"):
        url = reverse(name, kwargs={"pk": episode.pk})
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x"}).status_code == 403
    with pytest.raises(NotPermitted):
        services.withdraw_episode(user=user, episode=episode, reason="Wrong child")
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN


def test_another_las_child_is_a_404(client, town):
    episode = exclusion(town)
    stranger = member(Role.LA_OFFICER, LocalAuthorityFactory())
    client.force_login(stranger)
    for name in ("placements:correct-episode", "placements:withdraw-episode"):
        assert client.get(reverse(name, kwargs={"pk": episode.pk})).status_code == 404
    assert Episode.objects.get(pk=episode.pk).status == Episode.Status.OPEN
