"""Documents on a referral: only PDF, DOCX, JPEG and PNG by their content, at most 10 MB, downloaded through a
view that checks who may see the referral and logs the export."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements.models import ReferralDocument
from aphub.placements.referrals import services

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX_BYTES = _zip("[Content_Types].xml", "word/document.xml", "_rels/.rels")
XLSX_BYTES = _zip("[Content_Types].xml", "xl/workbook.xml")


def _upload(client, referral, name: str, content: bytes, title="Support plan"):
    return client.post(
        reverse("placements:referral-document-upload", kwargs={"pk": referral.pk}),
        {"title": title, "file": SimpleUploadedFile(name, content)},
    )


def _stored_files() -> set[str]:
    """Every stored referral file (the test storage lives as long as the test process, so compare before/after)."""
    found: set[str] = set()
    pending = ["referrals"]
    while pending:
        folder = pending.pop()
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending += [f"{folder}/{name}" for name in folders]
        found |= {f"{folder}/{name}" for name in files}
    return found


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("plan.pdf", PDF_BYTES, "application/pdf"),
        ("plan.docx", DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("photo.jpeg", JPEG_BYTES, "image/jpeg"),
        ("scan.png", PNG_BYTES, "image/png"),
    ],
)
def test_an_allowed_file_is_stored_with_its_sniffed_type(client, school_staff, draft, name, content, content_type):
    client.force_login(school_staff)
    response = _upload(client, draft, name, content)
    assert response.status_code == 302
    document = ReferralDocument.objects.get()
    assert document.content_type == content_type
    assert document.size == len(content)
    assert document.uploaded_by == school_staff
    assert document.file.name.startswith("referrals/2026/11/")
    assert document.file.read() == content
    assert document.file.name in _stored_files()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.pdf", b"just some text pretending to be a PDF"),
        ("macro.docx", XLSX_BYTES),
        ("archive.docx", b"PK\x03\x04not really a zip"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_wrong_file_type_gets_a_clear_message_and_stores_nothing(client, school_staff, draft, name, content):
    client.force_login(school_staff)
    before = _stored_files()
    response = _upload(client, draft, name, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file must be a PDF, a Word document (.docx), a JPEG or a PNG" in page
    assert "govuk-error-summary" in page
    assert not ReferralDocument.objects.exists()
    assert _stored_files() == before


def test_a_12_mb_file_gets_a_clear_message_and_stores_nothing(client, school_staff, draft):
    client.force_login(school_staff)
    before = _stored_files()
    response = _upload(client, draft, "big.pdf", PDF_BYTES + b"0" * (12 * 1024 * 1024))
    assert response.status_code == 200
    assert "The file must be smaller than 10 MB" in response.content.decode()
    assert not ReferralDocument.objects.exists()
    assert _stored_files() == before


def test_a_file_of_exactly_10_mb_is_accepted(school_staff, draft):
    content = PDF_BYTES + b"0" * (10 * 1024 * 1024 - len(PDF_BYTES))
    document = services.upload_document(
        user=school_staff, referral=draft, title="Report", file=SimpleUploadedFile("r.pdf", content)
    )
    assert document.size == 10 * 1024 * 1024


def test_a_missing_title_or_file_is_named(client, school_staff, draft):
    client.force_login(school_staff)
    response = client.post(reverse("placements:referral-document-upload", kwargs={"pk": draft.pk}), {"title": ""})
    page = response.content.decode()
    assert "Enter a title for the document, like Support plan" in page
    assert "Choose a file to upload" in page
    assert not ReferralDocument.objects.exists()


def test_the_stored_name_is_ours_not_the_senders(school_staff, draft):
    document = services.upload_document(
        user=school_staff, referral=draft, title="Plan", file=SimpleUploadedFile("../../etc/passwd.pdf", PDF_BYTES)
    )
    assert "passwd" not in document.file.name
    assert document.file.name.endswith(".pdf")


def test_a_download_checks_who_may_see_and_logs_an_export(client, school_staff, other_school_staff, draft):
    document = services.upload_document(
        user=school_staff, referral=draft, title="Support plan", file=SimpleUploadedFile("p.pdf", PDF_BYTES)
    )
    url = reverse("placements:referral-document", kwargs={"pk": document.pk})

    client.force_login(other_school_staff)
    assert client.get(url).status_code == 404
    assert not AccessLogEntry.objects.filter(verb="export").exists()

    client.force_login(school_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Support-plan.pdf"'
    assert b"".join(response.streaming_content) == PDF_BYTES
    export = AccessLogEntry.objects.get(verb="export")
    assert (export.object_type, export.object_id) == ("placements.ReferralDocument", str(document.pk))
    assert AccessLogEntry.objects.filter(object_type="pupils.Pupil", object_id=str(draft.pupil_id), verb="view")


def test_nobody_adds_documents_to_a_withdrawn_referral(school_staff, draft):
    from aphub.core.errors import InvalidTransition

    services.withdraw_referral(user=school_staff, referral=draft)
    with pytest.raises(InvalidTransition):
        services.upload_document(
            user=school_staff, referral=draft, title="Late", file=SimpleUploadedFile("p.pdf", PDF_BYTES)
        )
    assert not ReferralDocument.objects.exists()
