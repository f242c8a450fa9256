"""Removing a child from a waiting list loses their place in it, so the officer is asked first (GOV.UK "are you
sure" pattern) and told what will change; only the POST from that page removes them."""

from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements import services
from aphub.placements.models import WaitingListEntry


def _waiting(town):
    provision = town.provision(places=1, name="Full House Centre")
    pupil = town.pupil(school=town.school_a)
    return services.add_to_waiting_list(user=town.officer, pupil=pupil, provision=provision)


def test_asking_to_remove_a_child_says_what_will_change_and_changes_nothing(client, town):
    entry = _waiting(town)
    url = reverse("placements:remove-from-waiting-list", kwargs={"pk": entry.pk})
    client.force_login(town.officer)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Are you sure you want to remove {entry.pupil.full_name} from the waiting list?" in body
    assert "comes off the waiting list for Full House Centre and loses their place in it" in body
    assert f'action="{url}"' in body
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.WAITING
    assert AccessLogEntry.objects.filter(path=url, verb="view").exists()


def test_the_post_from_the_confirmation_removes_the_child(client, town):
    entry = _waiting(town)
    client.force_login(town.officer)
    response = client.post(reverse("placements:remove-from-waiting-list", kwargs={"pk": entry.pk}))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.REMOVED
    assert "is no longer waiting for" in client.get(response["Location"]).content.decode()


def test_the_waiting_list_links_to_the_confirmation_instead_of_removing_at_once(client, town):
    entry = _waiting(town)
    url = reverse("placements:remove-from-waiting-list", kwargs={"pk": entry.pk})
    client.force_login(town.officer)
    body = client.get(reverse("placements:waiting-list")).content.decode()
    assert f'href="{url}"' in body
    assert f'action="{url}"' not in body
