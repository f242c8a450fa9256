"""Staff pages of the directory: providers edit and submit, LA officers review and decide; deny by default."""

import pytest
from django.urls import reverse

from aphub.directory.models import Provision
from aphub.directory.snapshots import snapshot_of
from aphub.organisations.models import Role
from tests.factories import ProvisionFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

PK_URLS = ["edit", "review", "submit", "approve", "reject", "archive", "restore"]
POST_ONLY = {"submit", "approve", "reject", "archive", "restore"}


def form_data(**overrides):
    data = {
        "name": "Horizons Centre",
        "summary": "Small-group teaching for pupils at risk of exclusion",
        "description": "",
        "tier": ["tier-2"],
        "key_stage": ["ks3"],
        "need": ["semh"],
        "delivery_mode": ["on-site"],
        "age_min": "11",
        "age_max": "16",
        "attendance_pattern": "full-time",
        "sessions_offered": "",
        "typical_duration_weeks": "20",
        "admissions_criteria": "",
        "exit_criteria": "",
        "places": "12",
        "address_line_1": "",
        "address_line_2": "",
        "town": "",
        "postcode": "B91 3SX",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "how_to_refer": "",
        "costs-TOTAL_FORMS": "3",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "10",
        "costs-0-label": "Full day",
        "costs-0-amount": "95.00",
        "costs-0-unit": "day",
    }
    data.update(overrides)
    return data


def test_provider_edits_la_approves_and_the_public_sees_it(client, provider, provider_staff, officer):
    client.force_login(provider_staff)
    response = client.post(reverse("directory:create"), form_data())
    provision = Provision.objects.get()
    assert response.status_code == 302 and response.url == reverse("directory:review", kwargs={"pk": provision.pk})
    assert "saved as a draft" in client.get(response.url).content.decode()
    public_url = reverse("directory:provision", kwargs={"pk": provision.pk})
    assert client.get(public_url).status_code == 404

    client.post(reverse("directory:submit", kwargs={"pk": provision.pk}))
    provision.refresh_from_db()
    assert provision.status == Provision.Status.SUBMITTED

    client.force_login(officer)
    manage = client.get(reverse("directory:manage")).content.decode()
    assert "Waiting for approval" in manage and "Horizons Centre" in manage and "New provision" in manage
    review = client.get(reverse("directory:review", kwargs={"pk": provision.pk})).content.decode()
    assert "Approve and publish" in review
    response = client.post(reverse("directory:approve", kwargs={"pk": provision.pk}), follow=True)
    assert "is approved and published" in response.content.decode()

    client.logout()
    public = client.get(public_url)
    assert public.status_code == 200 and "Horizons Centre" in public.content.decode()
    assert "Horizons Centre" in client.get(reverse("directory:search")).content.decode()

    # A later edit waits for approval; the public still sees the approved name.
    client.force_login(provider_staff)
    response = client.post(reverse("directory:edit", kwargs={"pk": provision.pk}), form_data(name="Horizons Plus"))
    assert response.status_code == 302
    client.logout()
    assert "Horizons Plus" not in client.get(public_url).content.decode()
    assert "Horizons Plus" not in client.get(reverse("directory:search"), {"words": "Horizons"}).content.decode()

    client.force_login(officer)
    review = client.get(reverse("directory:review", kwargs={"pk": provision.pk})).content.decode()
    assert "Proposed changes" in review and "Horizons Plus" in review and "Approve the changes" in review
    client.post(reverse("directory:approve", kwargs={"pk": provision.pk}))
    client.logout()
    assert "Horizons Plus" in client.get(public_url).content.decode()


def test_edit_form_errors_show_an_error_summary(client, provider_staff):
    client.force_login(provider_staff)
    response = client.post(
        reverse("directory:create"),
        form_data(name="", age_min="16", age_max="11", postcode="nonsense", tier=[], **{"costs-1-label": "Half day"}),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "<title>Error: Add a provision" in html
    for message in [
        "Enter the name of the provision",
        "The oldest age must be the same as or more than the youngest age",
        "Enter a real postcode, like B91 3QB",
        "Select at least one tier",
        "Enter the cost of &#x27;Half day&#x27; in pounds, like 95.00",
    ]:
        assert message in html, message
    assert 'href="#id_tier_1"' in html and 'href="#id_name"' in html
    assert not Provision.objects.exists()


def test_edit_form_starts_from_the_pending_changes(client, provider, provider_staff):
    provision = ProvisionFactory(provider=provider, name="Approved name")
    proposal = snapshot_of(provision)
    proposal["fields"]["name"] = "Proposed name"
    provision.pending_changes = proposal
    provision.save()
    client.force_login(provider_staff)
    html = client.get(reverse("directory:edit", kwargs={"pk": provision.pk})).content.decode()
    assert 'value="Proposed name"' in html


def test_reject_needs_a_reason_and_the_provider_sees_it(client, provider, provider_staff, officer):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED)
    client.force_login(officer)
    response = client.post(reverse("directory:reject", kwargs={"pk": provision.pk}), {"reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Enter why you are returning this provision to the provider" in html
    provision.refresh_from_db()
    assert provision.status == Provision.Status.SUBMITTED

    client.post(reverse("directory:reject", kwargs={"pk": provision.pk}), {"reason": "Add your exit criteria"})
    provision.refresh_from_db()
    assert provision.status == Provision.Status.DRAFT
    client.force_login(provider_staff)
    assert (
        "Add your exit criteria"
        in client.get(reverse("directory:review", kwargs={"pk": provision.pk})).content.decode()
    )


def test_archive_removes_it_from_search(client, provider, provider_staff):
    provision = ProvisionFactory(provider=provider, name="Going away")
    client.force_login(provider_staff)
    response = client.post(reverse("directory:archive", kwargs={"pk": provision.pk}))
    assert response.status_code == 302
    client.logout()
    assert "Going away" not in client.get(reverse("directory:search")).content.decode()


def test_an_impossible_move_is_a_message_not_an_error_page(client, provider, officer):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.DRAFT)
    client.force_login(officer)
    response = client.post(reverse("directory:approve", kwargs={"pk": provision.pk}), follow=True)
    assert response.status_code == 200
    assert "You cannot approve this provision because it is a draft." in response.content.decode()


def test_manage_lists_the_providers_own_provisions_only(client, provider, provider_staff, other_provider_staff):
    ProvisionFactory(provider=provider, name="Ours", status=Provision.Status.DRAFT)
    ProvisionFactory(provider=other_provider_staff.memberships.get().provider, name="Theirs")
    client.force_login(provider_staff)
    html = client.get(reverse("directory:manage")).content.decode()
    assert "Ours" in html and "Theirs" not in html and "Add a provision" in html


def test_manage_for_la_staff_lists_their_la_only(client, provider, officer, other_la):
    from tests.factories import ProviderFactory

    ProvisionFactory(provider=provider, name="In our LA")
    ProvisionFactory(provider=ProviderFactory(local_authority=other_la), name="In another LA")
    client.force_login(officer)
    html = client.get(reverse("directory:manage")).content.decode()
    assert "In our LA" in html and "In another LA" not in html


# -- Access ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PK_URLS)
def test_anonymous_is_sent_to_sign_in(client, provider, name):
    provision = ProvisionFactory(provider=provider)
    response = client.post(reverse(f"directory:{name}", kwargs={"pk": provision.pk}))
    assert response.status_code == 302 and reverse("organisations:sign-in") in response.url
    for url in (reverse("directory:manage"), reverse("directory:create")):
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("fixture", "name"),
    [
        ("auditor", "approve"),
        ("auditor", "reject"),
        ("auditor", "archive"),
        ("auditor", "edit"),
        ("provider_staff", "approve"),  # a provider cannot approve its own provision
        ("provider_staff", "reject"),
        ("officer", "edit"),
        ("officer", "submit"),
        ("school_staff", "review"),
        ("school_staff", "archive"),
    ],
)
def test_wrong_role_gets_403(client, request, provider, la, fixture, name):
    if fixture == "school_staff":
        user = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    else:
        user = request.getfixturevalue(fixture)
    provision = ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED)
    client.force_login(user)
    response = client.post(reverse(f"directory:{name}", kwargs={"pk": provision.pk}), {"reason": "No"})
    assert response.status_code == 403
    provision.refresh_from_db()
    assert provision.status == Provision.Status.SUBMITTED


def test_wrong_role_gets_403_on_the_list_and_create_pages(client, la, officer):
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    client.force_login(school_staff)
    assert client.get(reverse("directory:manage")).status_code == 403
    client.force_login(officer)
    assert client.get(reverse("directory:create")).status_code == 403


def test_auditor_reads_but_sees_no_decision_buttons(client, provider, auditor):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED)
    client.force_login(auditor)
    assert client.get(reverse("directory:manage")).status_code == 200
    html = client.get(reverse("directory:review", kwargs={"pk": provision.pk})).content.decode()
    assert "Approve" not in html and "Archive" not in html


@pytest.mark.parametrize("name", ["review", "approve", "reject", "archive", "restore"])
def test_another_las_provision_is_404(client, provider, other_officer, name):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED)
    client.force_login(other_officer)
    method = client.post if name in POST_ONLY else client.get
    assert method(reverse(f"directory:{name}", kwargs={"pk": provision.pk}), {"reason": "x"}).status_code == 404
    provision.refresh_from_db()
    assert provision.status == Provision.Status.SUBMITTED


@pytest.mark.parametrize("name", ["edit", "review", "submit", "archive", "restore"])
def test_another_providers_provision_is_404(client, provider, other_provider_staff, name):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.DRAFT)
    client.force_login(other_provider_staff)
    method = client.post if name in POST_ONLY else client.get
    assert method(reverse(f"directory:{name}", kwargs={"pk": provision.pk})).status_code == 404


def test_state_changes_are_post_only(client, provider, provider_staff):
    provision = ProvisionFactory(provider=provider, status=Provision.Status.DRAFT)
    client.force_login(provider_staff)
    assert client.get(reverse("directory:submit", kwargs={"pk": provision.pk})).status_code == 405
    provision.refresh_from_db()
    assert provision.status == Provision.Status.DRAFT
