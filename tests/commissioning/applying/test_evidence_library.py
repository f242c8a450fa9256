"""The evidence library: provider staff list their evidence with expiry dates and scan status, download it, and
delete what no submitted application relies on. LA staff download only evidence submitted to their LA's
arrangements; nobody downloads another provider's."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Application, Evidence
from aphub.core.errors import DomainError
from aphub.organisations.models import Role
from tests.factories import member

from .makers import PDF_BYTES, make_application, make_arrangement, make_evidence

pytestmark = pytest.mark.django_db


def test_the_list_shows_expiry_and_scan_status(staff_client, provider, other_provider):
    make_evidence(provider, "dbs-checks", title="Single central record", expires_on=datetime.date(2026, 12, 1))
    make_evidence(provider, "safeguarding-policy", title="Old policy", expires_on=datetime.date(2026, 1, 1))
    make_evidence(provider, "registration", title="Pending certificate", scan_status=Evidence.Scan.PENDING)
    make_evidence(other_provider, "registration", title="Their certificate")
    body = staff_client.get(reverse("commissioning:evidence")).content.decode()
    assert "Single central record" in body and "1 December 2026" in body and "Expiring soon" in body
    assert "Old policy" in body and "Expired" in body
    assert "Pending certificate" in body and "Waiting" in body
    assert "DBS checks and single central record" in body
    assert "Their certificate" not in body


def test_staff_download_their_own_evidence(staff_client, provider):
    item = make_evidence(provider, "registration", title="Certificate of incorporation")
    response = staff_client.get(reverse("commissioning:evidence-download", kwargs={"pk": item.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Certificate-of-incorporation.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_another_providers_evidence_is_not_found(staff_client, other_provider):
    theirs = make_evidence(other_provider, "registration")
    assert staff_client.get(reverse("commissioning:evidence-download", kwargs={"pk": theirs.pk})).status_code == 404
    assert staff_client.get(reverse("commissioning:evidence-delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert staff_client.post(reverse("commissioning:evidence-delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert Evidence.objects.filter(pk=theirs.pk).exists()


def test_a_refused_file_cannot_be_downloaded(staff_client, provider):
    item = make_evidence(provider, "registration", scan_status=Evidence.Scan.INFECTED)
    assert staff_client.get(reverse("commissioning:evidence-download", kwargs={"pk": item.pk})).status_code == 404


def _submitted_with(provider, arrangement, item) -> Application:
    application = make_application(provider, arrangement, status=Application.Status.SUBMITTED)
    application.responses.create(criterion=item.criterion, statement="x").evidence.add(item)
    return application


def test_la_officers_download_evidence_submitted_to_their_arrangement_only(client, provider, la, other_la, arrangement):
    submitted_here = make_evidence(provider, "registration", title="Sent to us")
    _submitted_with(provider, arrangement, submitted_here)
    in_a_draft = make_evidence(provider, "dbs-checks", title="Only in a draft")
    draft_to = make_arrangement(la, title="Second arrangement")
    make_application(provider, draft_to).responses.create(criterion="dbs-checks").evidence.add(in_a_draft)
    elsewhere = make_evidence(provider, "safeguarding-policy", title="Sent elsewhere")
    _submitted_with(provider, make_arrangement(other_la, title="Ashcombe arrangement"), elsewhere)
    never_used = make_evidence(provider, "financial-standing")

    client.force_login(member(Role.LA_OFFICER, la))
    url = lambda item: reverse("commissioning:evidence-download", kwargs={"pk": item.pk})  # noqa: E731
    assert client.get(url(submitted_here)).status_code == 200
    for item in (in_a_draft, elsewhere, never_used):
        assert client.get(url(item)).status_code == 404, item.title


def test_a_partner_la_downloads_evidence_submitted_to_a_shared_arrangement(client, provider, la, other_la):
    shared = make_arrangement(la, title="Shared arrangement")
    shared.partners.add(other_la)
    item = make_evidence(provider, "registration")
    _submitted_with(provider, shared, item)
    client.force_login(member(Role.AUDITOR, other_la))
    assert client.get(reverse("commissioning:evidence-download", kwargs={"pk": item.pk})).status_code == 200


def test_school_staff_cannot_download_evidence(client, provider, la, arrangement):
    from tests.factories import SchoolFactory

    item = make_evidence(provider, "registration")
    _submitted_with(provider, arrangement, item)
    client.force_login(member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la)))
    assert client.get(reverse("commissioning:evidence-download", kwargs={"pk": item.pk})).status_code == 403


def test_unused_evidence_is_deleted_with_its_file_and_leaves_draft_answers(
    staff_client, provider, arrangement, django_capture_on_commit_callbacks
):
    item = make_evidence(provider, "registration", title="Spare copy")
    draft = make_application(provider, arrangement)
    response = draft.responses.create(criterion="registration")
    response.evidence.add(item)
    storage, name = item.file.storage, item.file.name
    page = staff_client.get(reverse("commissioning:evidence-delete", kwargs={"pk": item.pk}))
    assert "Delete Spare copy" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("commissioning:evidence-delete", kwargs={"pk": item.pk}))
    assert not Evidence.objects.filter(pk=item.pk).exists()
    # The file goes once the deletion is committed, so a rolled-back delete never loses it.
    assert not storage.exists(name)
    assert not response.evidence.exists()


@pytest.mark.parametrize(
    "status", [Application.Status.SUBMITTED, Application.Status.ADMITTED, Application.Status.WITHDRAWN]
)
def test_evidence_a_submitted_application_relies_on_is_kept(staff, staff_client, provider, arrangement, status):
    item = make_evidence(provider, "registration", title="Certificate")
    application = _submitted_with(provider, arrangement, item)
    application.status = status
    application.save()
    with pytest.raises(DomainError, match="an application you submitted relies on it"):
        services.delete_evidence(user=staff, evidence=item)
    assert "In a submitted application" in staff_client.get(reverse("commissioning:evidence")).content.decode()
    staff_client.post(reverse("commissioning:evidence-delete", kwargs={"pk": item.pk}))
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_la_staff_cannot_delete_evidence(client, provider, la):
    item = make_evidence(provider, "registration")
    client.force_login(member(Role.LA_OFFICER, la))
    assert client.post(reverse("commissioning:evidence-delete", kwargs={"pk": item.pk})).status_code == 403
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_the_library_page_reads_in_a_fixed_number_of_queries(staff_client, provider, django_assert_max_num_queries):
    for index in range(12):
        make_evidence(provider, "dbs-checks", title=f"Record {index}", expires_on=datetime.date(2027, 1, index + 1))
    # Session, user and membership, then one query for the whole library, whatever its size.
    with django_assert_max_num_queries(8):
        assert staff_client.get(reverse("commissioning:evidence")).status_code == 200
