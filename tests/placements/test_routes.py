import datetime

import pytest
from django.urls import reverse

from aphub.funding.models import FundingLine
from aphub.placements import services
from aphub.placements.models import Route

D = datetime.date


def test_an_la_admin_changes_who_pays_and_new_placements_follow(client, town):
    route = Route.objects.get(local_authority=town.la, kind="health-needs")
    client.force_login(town.admin)
    assert "Health reasons" in client.get(reverse("placements:routes")).content.decode()
    response = client.post(
        reverse("placements:edit-route", kwargs={"pk": route.pk}),
        {"name": "Health needs (LA-funded)", "commissioner": "la", "place_funding_payer": "la", "top_up_payer": "la",
         "registration": "dual"},
    )  # fmt: skip
    assert response.status_code == 302
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="health-needs", start_date=D(2026, 11, 9), days_missed=20
    )
    placement = services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week="25", annual_cost="20000",
    )  # fmt: skip
    assert set(FundingLine.objects.filter(placement=placement).values_list("kind", "payer")) == {
        ("place-funding", "la"),
        ("top-up", "la"),
    }


@pytest.mark.parametrize("who", ["officer", "auditor"])
def test_only_la_admins_change_routes(client, town, who):
    route = Route.objects.get(local_authority=town.la, kind="health-needs")
    client.force_login(getattr(town, who))
    assert client.get(reverse("placements:routes")).status_code == 200
    assert client.get(reverse("placements:edit-route", kwargs={"pk": route.pk})).status_code == 403


def test_a_bad_choice_is_named_and_changes_nothing(client, town):
    route = Route.objects.get(local_authority=town.la, kind="health-needs")
    client.force_login(town.admin)
    response = client.post(
        reverse("placements:edit-route", kwargs={"pk": route.pk}),
        {"name": "", "commissioner": "parents", "top_up_payer": "la", "registration": "dual"},
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    route.refresh_from_db()
    assert route.commissioner == "la-or-school"
