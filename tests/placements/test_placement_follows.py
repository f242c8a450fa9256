"""A placement offered for a child is linked to the one it follows (Placement.follows), so insight counts steps up
and down between tiers: the child's earlier placement in the same episode, else one in another episode that ended
within 20 school days; never a cancelled one."""

import datetime
from decimal import Decimal

from django.urls import reverse

from aphub.placements import services
from tests.factories import EpisodeFactory, PlacementFactory, route_for

D = datetime.date
TODAY = D(2026, 11, 10)
SEPTEMBER = D(2026, 9, 1)


def offer(town, episode, *, tier: str, start: datetime.date = TODAY):
    return services.offer_placement(
        user=town.officer,
        episode=episode,
        provision=town.provision(provider=town.provider_p2),
        start_date=start,
        tier=tier,
        sessions_per_week=10,
        hours_per_week=Decimal("25"),
        annual_cost=Decimal("18000.00"),
    )


def earlier(town, pupil, episode, **fields):
    values = {"status": "ended", "start_date": D(2026, 9, 7), "end_date": D(2026, 11, 6), "tier": "2"}
    values.update(fields)
    return PlacementFactory(pupil=pupil, episode=episode, provision=town.provision(), **values)


def episode_of(town, pupil, kind="permanent-exclusion", start=SEPTEMBER):
    return EpisodeFactory(pupil=pupil, route=route_for(town.la, kind), start_date=start)


def test_a_placement_follows_the_childs_last_one_in_the_same_episode(town):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    earlier(town, pupil, episode, start_date=D(2026, 4, 20), end_date=D(2026, 7, 10), tier="1")
    last = earlier(town, pupil, episode, tier="2")
    placement = offer(town, episode, tier="3")
    assert placement.follows == last
    assert list(last.followed_by.all()) == [placement]


def test_a_placement_follows_one_still_running_in_the_same_episode(town):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    support = earlier(
        town, pupil, episode, status="active", end_date=None, tier="1", is_full_time=False,
        sessions_per_week=2, hours_per_week="5.0", part_time_reason="Mentoring in school",
        part_time_review_date=D(2026, 12, 4),
    )  # fmt: skip
    assert offer(town, episode, tier="2").follows == support


def test_a_placement_in_another_episode_is_followed_only_within_20_school_days(town):
    pupil, later_pupil = town.pupil(), town.pupil()
    # 20 school days before Tuesday 10 November 2026, half term (26 to 30 October) not counted, is 6 October.
    recent = earlier(town, pupil, episode_of(town, pupil, "health-needs"), end_date=D(2026, 10, 6))
    assert offer(town, episode_of(town, pupil, start=D(2026, 11, 3)), tier="3").follows == recent
    earlier(town, later_pupil, episode_of(town, later_pupil, "health-needs"), end_date=D(2026, 10, 5))
    assert offer(town, episode_of(town, later_pupil, start=D(2026, 11, 3)), tier="3").follows is None


def test_a_first_placement_and_one_after_a_cancelled_offer_follow_nothing(town):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    assert offer(town, episode, tier="2", start=D(2026, 11, 2)).follows is None
    other = town.pupil()
    other_episode = episode_of(town, other)
    earlier(town, other, other_episode, status="cancelled", end_date=None)
    assert offer(town, other_episode, tier="2").follows is None


def test_the_placement_page_shows_the_step_to_la_staff_and_not_another_providers_placement_to_the_provider(
    client, town
):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    earlier(town, pupil, episode, tier="1")
    placement = offer(town, episode, tier="2")
    client.force_login(town.officer)
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Follows" in page and "Tier 1 at" in page and "a step up" in page
    client.force_login(town.p2_staff)  # the provider offered the new placement; the earlier one was elsewhere
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Follows" not in page
