import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aphub.placements import services
from aphub.placements.models import Destination

D = datetime.date


def journey(town, pupil):
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3), summary="Assault"
    )
    placement = services.offer_placement(
        user=town.officer,
        episode=episode,
        provision=town.provision(name="Riverside Learning Centre"),
        start_date=D(2026, 11, 10),
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000",
    )
    services.accept_placement(user=town.p1_staff, placement=placement)
    services.start_placement(user=town.p1_staff, placement=placement)
    return placement


def test_the_timeline_shows_the_whole_journey(client, town):
    pupil = town.pupil(first_name="Cara", last_name="Collins")
    placement = journey(town, pupil)
    services.end_placement(
        user=town.officer, placement=placement, end_date=D(2026, 11, 10), destination=Destination.SAME_SCHOOL
    )
    client.force_login(town.officer)
    page = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    for text in (
        "Cara Collins",
        "Permanent exclusion began",
        "Full-time education from the 6th school day of the exclusion",
        "Met",
        "Riverside Learning Centre",
        "Back to the same mainstream school",
        "Left Riverside Learning Centre",
    ):
        assert text in page, text


def test_the_timeline_needs_the_same_number_of_queries_however_long_the_journey(client, town):
    def queries_for(placements: int) -> int:
        pupil = town.pupil()
        for _ in range(placements):
            placement = journey(town, pupil)
            services.end_placement(
                user=town.officer, placement=placement, end_date=D(2026, 11, 10), destination=Destination.OTHER_AP
            )
            # One open permanent exclusion at a time: the next journey's is a new one.
            services.close_episode(user=town.officer, episode=placement.episode, on=D(2026, 11, 10))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).status_code == 200
        return len(captured)

    client.force_login(town.officer)
    one, four = queries_for(1), queries_for(4)
    assert one == four, f"{one} queries for one placement, {four} for four"
