"""The subject access export as a document an LA can send to a parent (HTML and PDF), in plain words, with the JSON
beside it; list reads appear in its history without naming any other child."""

import datetime
import json

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import log_access, log_list_read
from aphub.organisations.models import Role
from aphub.placements.models import AttendanceMark
from tests.factories import LocalAuthorityFactory, PlacementFactory, PupilFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, user, path):
        self.user, self.path = user, path


@pytest.fixture
def sam():
    la = LocalAuthorityFactory(name="Xenbury Borough Council")
    sam = PupilFactory(local_authority=la, first_name="Sam", last_name="Jones", date_of_birth=datetime.date(2012, 5, 1))
    ali = PupilFactory(local_authority=la, first_name="Ali", last_name="Khan")
    placement = PlacementFactory(pupil=sam, provision__name="Greenway Farm", start_date=datetime.date(2026, 3, 3))
    AttendanceMark.objects.create(placement=placement, date=datetime.date(2026, 3, 3), session="AM", code="/")
    officer = member(Role.LA_OFFICER, la)
    log_access(user=officer, obj=placement, verb="view")
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la, name="Kingsmead School"))
    log_list_read(_Request(school_staff, "/pupils/"), [ali, sam], list_name="Pupils list", page_number=1)
    return sam, ali, placement, member(Role.LA_ADMIN, la)


def test_the_document_is_in_plain_words(client, sam):
    child, ali, placement, admin = sam
    client.force_login(admin)
    body = client.get(reverse("audit:subject-access", kwargs={"pk": child.pk})).content.decode()
    assert "This is the information Xenbury Borough Council holds about Sam Jones (born 1 May 2012" in body
    assert "Article 15 of the UK General Data Protection Regulation" in body
    for words in (
        "Placements: 1 record",
        "Attendance: 1 record",
        "Greenway Farm",
        "3 March 2026",
        "Start date",
        "/ – Present",
    ):
        assert words in body, words
    # Not the database's names: no table labels, no field names, no raw codes.
    for raw in ("placements.Placement", "start_date", "pupils.Pupil", "la-officer"):
        assert raw not in body, raw
    assert "Viewed: Placement at Greenway Farm, started 3 March 2026" in body
    assert "LA officer" in body
    # The list that showed Sam is in the history; the other child on it is not named anywhere.
    assert "Viewed: Pupils list, page 1: 2 children" in body and "Kingsmead School" in body
    assert "Ali" not in body and ali.upn not in body


def test_the_pdf_is_the_same_document_and_its_download_is_logged(client, sam):
    child, _, _, admin = sam
    client.force_login(admin)
    response = client.get(reverse("audit:subject-access-pdf", kwargs={"pk": child.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and b"%%EOF" in response.content[-1024:]
    assert f"subject-access-{child.upn}.pdf" in response["Content-Disposition"]
    logged = AccessLogEntry.objects.filter(verb="export", object_type="pupils.Pupil", object_id=str(child.pk))
    assert logged.filter(path=f"/audit/subject-access/{child.pk}.pdf").count() == 1


def test_the_json_beside_it_carries_list_reads_without_other_children(client, sam):
    child, ali, _, admin = sam
    client.force_login(admin)
    export = json.loads(client.get(reverse("audit:subject-access-json", kwargs={"pk": child.pk})).content)
    listed = [row for row in export["access_log"] if row["record"] == "Pupils list"]
    assert len(listed) == 1 and listed[0]["what"] == "Pupils list, page 1: 2 children"
    assert set(listed[0]) == {"at", "who", "role", "organisation", "record", "what", "verb"}  # no other child's id
    assert "Ali" not in json.dumps(export) and ali.upn not in json.dumps(export)


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF])
def test_only_an_la_admin_downloads_the_pdf(client, sam, role):
    child = sam[0]
    organisation = (
        child.local_authority if role != Role.SCHOOL_STAFF else SchoolFactory(local_authority=child.local_authority)
    )
    client.force_login(member(role, organisation))
    assert client.get(reverse("audit:subject-access-pdf", kwargs={"pk": child.pk})).status_code == 403
