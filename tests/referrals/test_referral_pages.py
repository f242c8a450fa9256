"""The referral pages: start a referral for a pupil, save a draft, change it, submit it, withdraw it."""

import datetime

import pytest
from django.urls import reverse

from aphub.placements.models import Episode, Referral
from tests.factories import EnrolmentFactory, EpisodeFactory, PupilFactory

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _form(episode, **overrides):
    data = {
        "episode": str(episode.pk),
        "requested_tier": "2",
        "full_time_requested": "yes",
        "needs": ["semh"],
        "preferred_delivery_modes": ["on-site"],
        **{k: v for k, v in COMPLETE.items() if k != "consent_given"},
        "consent_given": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_without_a_pupil_the_page_lists_pupils_to_refer(client, school_staff, pupil):
    client.force_login(school_staff)
    page = client.get(reverse("placements:referral-new")).content.decode()
    assert "Start a referral" in page
    assert f"?pupil={pupil.pk}" in page


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_an_unknown_pupil_is_a_404(client, school_staff, value):
    client.force_login(school_staff)
    assert client.get(reverse("placements:referral-new") + f"?pupil={value}").status_code == 404


def test_another_schools_pupil_is_a_404(client, other_school_staff, pupil, episode):
    client.force_login(other_school_staff)
    url = reverse("placements:referral-new") + f"?pupil={pupil.pk}"
    assert client.get(url).status_code == 404
    assert client.post(url, _form(episode)).status_code == 404
    assert not Referral.objects.exists()


def test_a_school_refused_a_referral_for_a_pupil_who_left_its_roll_gets_a_403_not_a_form_error(
    client, school_staff, school, la
):
    # The school still sees a former pupil, but the service refuses the referral: that is a refusal (403), which
    # the page used to show as an error on the form, as if a field were wrong.
    pupil = PupilFactory(local_authority=la)
    EnrolmentFactory(pupil=pupil, school=school, end_date=datetime.date(2025, 7, 22))
    episode = EpisodeFactory(pupil=pupil)
    client.force_login(school_staff)
    response = client.post(reverse("placements:referral-new") + f"?pupil={pupil.pk}", _form(episode))
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_a_pupil_with_no_open_episode_is_told_what_to_do_first(client, school_staff, pupil):
    client.force_login(school_staff)
    page = client.get(reverse("placements:referral-new") + f"?pupil={pupil.pk}").content.decode()
    assert "has no open record of why they need it" in page


def test_a_school_saves_a_draft_and_submits_it(client, school_staff, pupil, episode):
    client.force_login(school_staff)
    new = reverse("placements:referral-new") + f"?pupil={pupil.pk}"
    form_page = client.get(new).content.decode()
    assert 'type="radio"' in form_page and 'type="checkbox"' in form_page
    response = client.post(new, _form(episode))
    referral = Referral.objects.get()
    assert response["Location"] == reverse("placements:referral", kwargs={"pk": referral.pk})
    assert referral.status == Referral.Status.DRAFT and referral.consent_given
    assert [t.code for t in referral.needs.all()] == ["semh"]

    response = client.post(reverse("placements:referral-submit", kwargs={"pk": referral.pk}))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.SUBMITTED


def test_a_form_without_a_tier_shows_an_error_summary(client, school_staff, pupil, episode):
    client.force_login(school_staff)
    response = client.post(
        reverse("placements:referral-new") + f"?pupil={pupil.pk}", _form(episode, requested_tier=None)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_requested_tier_1">Select the tier of provision the child needs</a>' in page
    assert not Referral.objects.exists()


def test_submitting_without_consent_shows_what_is_missing_on_the_referral_page(client, school_staff, pupil, episode):
    client.force_login(school_staff)
    client.post(reverse("placements:referral-new") + f"?pupil={pupil.pk}", _form(episode, consent_given=None))
    referral = Referral.objects.get()
    response = client.post(reverse("placements:referral-submit", kwargs={"pk": referral.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    edit = reverse("placements:referral-edit", kwargs={"pk": referral.pk})
    assert f'<a href="{edit}#id_consent_given">Confirm that a parent or carer consents' in page
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT


def test_a_draft_is_changed_through_the_edit_page(client, school_staff, draft, episode):
    client.force_login(school_staff)
    url = reverse("placements:referral-edit", kwargs={"pk": draft.pk})
    assert "Robin" in client.get(url).content.decode()
    response = client.post(url, _form(episode, risks="Leaves the classroom when anxious", requested_tier="3"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.risks == "Leaves the classroom when anxious" and draft.requested_tier == "3"


def test_a_submitted_referral_cannot_be_edited_through_the_page(client, school_staff, submitted, episode):
    client.force_login(school_staff)
    url = reverse("placements:referral-edit", kwargs={"pk": submitted.pk})
    response = client.post(url, _form(episode, risks="Too late"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.risks == ""
    page = client.get(response["Location"]).content.decode()
    assert "You can only change a draft referral that you made." in page


def test_an_officer_refers_a_child_and_withdraws_the_referral(client, officer, la):
    pupil = PupilFactory(local_authority=la, first_name="Kit")
    episode = Episode.objects.create(pupil=pupil, route=_route(la), start_date=pupil.date_of_birth.replace(year=2026))
    client.force_login(officer)
    client.post(reverse("placements:referral-new") + f"?pupil={pupil.pk}", _form(episode))
    referral = Referral.objects.get()
    assert referral.referring_school is None
    client.post(reverse("placements:referral-withdraw", kwargs={"pk": referral.pk}))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WITHDRAWN


def _route(la):
    from tests.factories import route_for

    return route_for(la, "health-needs")


def test_the_list_filters_by_status(client, school_staff, submitted):
    client.force_login(school_staff)
    assert "Robin Hartley" in client.get(reverse("placements:referrals") + "?status=submitted").content.decode()
    assert "Robin Hartley" not in client.get(reverse("placements:referrals") + "?status=approved").content.decode()
    assert client.get(reverse("placements:referrals") + "?status=nonsense").status_code == 200


def test_the_la_sees_suggestions_on_a_submitted_referral(client, officer, submitted, la, provider):
    from tests.factories import ProvisionFactory

    ProvisionFactory(provider=provider, local_authority=la, name="Horizons Centre", term_codes=["tier-2", "ks3"])
    client.force_login(officer)
    page = client.get(reverse("placements:referral", kwargs={"pk": submitted.pk})).content.decode()
    assert "Suggested provisions" in page
    assert "It offers the tier requested (Tier 2: time-limited placement)." in page


def test_the_pupil_list_is_searched_by_name_or_upn(client, officer, la, pupil):
    other = PupilFactory(local_authority=la, first_name="Quinn", last_name="Ashby")
    client.force_login(officer)
    url = reverse("placements:referral-new")
    by_name = client.get(url + "?q=quinn").content.decode()
    assert f"?pupil={other.pk}" in by_name and f"?pupil={pupil.pk}" not in by_name
    by_upn = client.get(url + f"?q={pupil.upn.lower()}").content.decode()
    assert f"?pupil={pupil.pk}" in by_upn and f"?pupil={other.pk}" not in by_upn
    assert "No pupils match" in client.get(url + "?q=nobody").content.decode()
