"""Who sees and acts on a referral: the referring school, the LA; another school never; a provider only once a
placement is offered to it, and then read only."""

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements.models import Referral
from aphub.placements.referrals import queries, services
from tests.factories import PlacementFactory, ProvisionFactory

pytestmark = pytest.mark.django_db

ACTIONS = ["placements:referral-submit", "placements:referral-withdraw", "placements:referral-document-upload"]


def test_school_a_cannot_see_school_bs_referrals(client, other_school_staff, draft, submitted):
    client.force_login(other_school_staff)
    assert list(queries.referral_list(other_school_staff)) == []
    listing = client.get(reverse("placements:referrals")).content.decode()
    assert "Robin Hartley" not in listing
    for name in ("placements:referral", "placements:referral-edit"):
        assert client.get(reverse(name, kwargs={"pk": submitted.pk})).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_school_a_cannot_act_on_school_bs_referrals(client, other_school_staff, school_staff, pupil, episode, name):
    referral = services.create_referral(
        user=school_staff, pupil=pupil, episode=episode, requested_tier="2", consent_given=True
    )
    client.force_login(other_school_staff)
    response = client.post(reverse(name, kwargs={"pk": referral.pk}), {"title": "x"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT
    assert not referral.documents.exists()


def test_school_a_cannot_edit_school_bs_referral(client, other_school_staff, draft):
    client.force_login(other_school_staff)
    response = client.post(reverse("placements:referral-edit", kwargs={"pk": draft.pk}), {"risks": "changed"})
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.risks == ""


def test_a_schools_draft_is_its_own_until_submitted(officer, school_staff, draft):
    assert list(queries.referral_list(school_staff)) == [draft]
    assert list(queries.referral_list(officer)) == []
    services.submit_referral(user=school_staff, referral=draft)
    assert list(queries.referral_list(officer)) == [draft]


def test_an_la_draft_is_not_shown_to_the_school(officer, school_staff, pupil, episode):
    referral = services.create_referral(user=officer, pupil=pupil, episode=episode, requested_tier="2")
    assert list(queries.referral_list(officer)) == [referral]
    assert queries.referral_for_page(school_staff, referral.pk) is None


def test_a_provider_sees_a_referral_only_once_a_placement_is_offered_to_it(
    client, provider, provider_staff, la, submitted
):
    client.force_login(provider_staff)
    url = reverse("placements:referral", kwargs={"pk": submitted.pk})
    assert client.get(url).status_code == 404
    assert "Robin Hartley" not in client.get(reverse("placements:referrals")).content.decode()

    provision = ProvisionFactory(provider=provider, local_authority=la)
    PlacementFactory(
        pupil=submitted.pupil, episode=submitted.episode, referral=submitted, provision=provision, status="offered"
    )
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Referral for Robin Hartley" in page
    assert "Robin Hartley" in client.get(reverse("placements:referrals")).content.decode()
    # Read only: no buttons, and the lifecycle refuses a provider.
    assert "Withdraw the referral" not in page and "Upload the document" not in page
    assert client.post(reverse("placements:referral-withdraw", kwargs={"pk": submitted.pk})).status_code == 403


def test_a_provider_does_not_see_the_episode_or_panel_papers(client, provider, provider_staff, la, submitted):
    provision = ProvisionFactory(provider=provider, local_authority=la)
    PlacementFactory(
        pupil=submitted.pupil, episode=submitted.episode, referral=submitted, provision=provision, status="offered"
    )
    client.force_login(provider_staff)
    page = client.get(reverse("placements:referral", kwargs={"pk": submitted.pk})).content.decode()
    assert "Why alternative provision is needed" not in page


def test_reading_a_referral_page_logs_a_view_of_the_pupil_and_the_referral(client, school_staff, draft):
    client.force_login(school_staff)
    client.get(reverse("placements:referral", kwargs={"pk": draft.pk}))
    views = AccessLogEntry.objects.filter(verb="view", user_id=school_staff.pk)
    assert {(e.object_type, e.object_id) for e in views} == {
        ("pupils.Pupil", str(draft.pupil_id)),
        ("placements.Referral", str(draft.pk)),
    }


def test_a_404_logs_nothing(client, other_school_staff, draft):
    client.force_login(other_school_staff)
    client.get(reverse("placements:referral", kwargs={"pk": draft.pk}))
    assert not AccessLogEntry.objects.filter(verb="view").exists()
