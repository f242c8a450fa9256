"""Offering a place at an unregistered provider warns on the placement page: the LA's limits to its commissioners,
and how near the provider is to having to register, as counts, to everyone who sees the placement."""

import datetime

from django.urls import reverse

from aphub.organisations.models import Provider
from aphub.placements import services

D = datetime.date


def offer(town, provision, *, sessions=10, **extra):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    return services.offer_placement(
        user=town.officer, episode=episode, provision=provision, start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=sessions, hours_per_week="25" if sessions == 10 else "10", annual_cost="18000", **extra,
    )  # fmt: skip


def page(client, user, placement) -> str:
    client.force_login(user)
    return client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()


def test_a_placement_over_the_las_limits_at_an_unregistered_provider_warns_its_commissioner(client, town):
    Provider.objects.filter(pk=town.provider_p1.pk).update(registration_status="unregistered")
    placement = offer(town, town.provision())
    officer = page(client, town.officer, placement)
    assert (
        "is unregistered and this placement is over the LA&#x27;s limit: 10 sessions a week: the limit is 6" in officer
    )
    assert "20.1 weeks from start to end: the limit is 12" in officer
    assert "over the LA&#x27;s limit" not in page(client, town.p1_staff, placement)


def test_the_provider_nearing_the_registration_threshold_is_told_in_counts(client, town):
    Provider.objects.filter(pk=town.provider_p1.pk).update(registration_status="unregistered")
    provision = town.provision()
    placements = [offer(town, provision) for _ in range(5)]
    text = page(client, town.p1_staff, placements[0])
    assert "may have to register as a school" in text
    assert "would bring it to 5 full-time pupils" in text


def test_a_registered_provider_or_a_placement_within_the_limits_gives_no_warning(client, town):
    Provider.objects.filter(pk=town.provider_p1.pk).update(registration_status="registered-school")
    registered = offer(town, town.provision())
    assert "unregistered" not in page(client, town.officer, registered)
    Provider.objects.filter(pk=town.provider_p2.pk).update(registration_status="unregistered")
    within = offer(town, town.provision(provider=town.provider_p2), sessions=4, planned_end_date=D(2026, 12, 18))
    assert "over the LA&#x27;s limit" not in page(client, town.officer, within)
