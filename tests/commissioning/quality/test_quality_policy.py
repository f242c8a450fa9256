"""LA admins set how often providers are visited and how soon a concern visit follows."""

from django.urls import reverse

from aphub.commissioning.models import QualityPolicy


def test_an_la_admin_changes_the_quality_policy(client, qa):
    client.force_login(qa.admin)
    url = reverse("commissioning:quality-policy")
    assert 'value="2"' in client.get(url).content.decode()  # the default before the LA sets its own
    response = client.post(url, {"routine_visits_per_year": "3", "concern_visit_working_days": "10"})
    assert response.status_code == 302
    policy = QualityPolicy.objects.get(local_authority=qa.la)
    assert (policy.routine_visits_per_year, policy.concern_visit_working_days) == (3, 10)


def test_numbers_out_of_range_are_refused_with_a_message(client, qa):
    client.force_login(qa.admin)
    response = client.post(
        reverse("commissioning:quality-policy"), {"routine_visits_per_year": "13", "concern_visit_working_days": "x"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter from 0 to 12 routine visits a year" in body
    assert "Enter the number of working days as a whole number, like 20" in body
    assert not QualityPolicy.objects.exists()


def test_officers_cannot_change_it(client, qa):
    client.force_login(qa.officer)
    assert client.get(reverse("commissioning:quality-policy")).status_code == 403
