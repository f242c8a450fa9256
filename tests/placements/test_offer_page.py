"""The offer page: a child with several open episodes, and what the officer learns before the offer is sent."""

import datetime

from django.urls import reverse

from aphub.placements import services
from aphub.placements.models import Placement

D = datetime.date


def offer_form(episode, provision, **overrides) -> dict:
    data = {
        "episode": episode.pk, "provision": provision.pk, "tier": "2", "start_date_0": "10", "start_date_1": "11",
        "start_date_2": "2026", "is_full_time": "yes", "sessions_per_week": "10", "hours_per_week": "25",
        "registration": "dual", "annual_cost": "15000",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_placement_can_be_offered_from_any_open_episode_not_only_the_first_listed(client, town):
    pupil = town.pupil()
    older = services.record_episode(user=town.officer, pupil=pupil, kind="health-needs", start_date=D(2026, 10, 5))
    services.record_episode(user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 2))
    provision = town.provision()
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    assert page.index("Permanent exclusion from") < page.index("Health needs from")  # the newest is listed first
    response = client.post(url, offer_form(older, provision))
    placement = Placement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/placements/{placement.pk}/")
    assert placement.episode == older and placement.route == older.route
