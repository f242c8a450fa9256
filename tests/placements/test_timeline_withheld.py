"""A child's page never says "none" of what exists but is hidden from the reader's role: it says what that role
may not see."""

from django.urls import reverse

from aphub.duties.models import Clock
from aphub.placements.models import Episode
from tests.placements.test_timeline import journey

WITHHELD = "Episodes and statutory clocks are shown to the local authority and the child's school."


def test_a_provider_is_told_episodes_and_clocks_are_withheld_not_that_there_are_none(client, town):
    pupil = town.pupil(first_name="Cara", last_name="Collins")
    journey(town, pupil)
    assert Episode.objects.filter(pupil=pupil).exists() and Clock.objects.filter(pupil=pupil).exists()
    client.force_login(town.p1_staff)
    page = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    assert "Riverside Learning Centre" in page  # the provider does see its own placement
    assert "No episodes recorded" not in page
    assert "No clocks" not in page
    assert WITHHELD in page
    assert "No referrals" not in page
    assert "Referrals and panel decisions are shown to the local authority and the child's school" in page


def test_the_la_and_the_school_see_episodes_and_clocks_or_are_told_there_are_none(client, town):
    with_journey = town.pupil()
    journey(town, with_journey)
    without = town.pupil()
    for user in (town.officer, town.school_a_staff):
        client.force_login(user)
        page = client.get(reverse("placements:pupil", kwargs={"pk": with_journey.pk})).content.decode()
        assert "Permanent exclusion" in page and WITHHELD not in page
        page = client.get(reverse("placements:pupil", kwargs={"pk": without.pk})).content.decode()
        assert "No episodes recorded" in page and "No clocks" in page and "No referrals" in page
        assert WITHHELD not in page and "are shown to the local authority" not in page
