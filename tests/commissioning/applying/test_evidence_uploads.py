"""Evidence uploads: PDF, DOCX, JPEG or PNG by content, at most 10 MB, virus-checked before saving (an infected file
is refused and nothing is stored); insurance records its cover and expiry; the stored name is ours."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.applications.forms import EvidenceUploadForm
from aphub.commissioning.models import Evidence
from aphub.core.errors import DomainError

from .conftest import NEXT_YEAR
from .makers import DOCX_BYTES, EICAR, JPEG_BYTES, PDF_BYTES, PNG_BYTES, XLSX_BYTES, make_application

pytestmark = pytest.mark.django_db


def _stored_files() -> set[str]:
    found: set[str] = set()
    pending = ["evidence"]
    while pending:
        folder = pending.pop()
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        pending += [f"{folder}/{name}" for name in folders]
        found |= {f"{folder}/{name}" for name in files}
    return found


def _add(staff, content=PDF_BYTES, name="policy.pdf", criterion="safeguarding-policy", **values):
    return services.add_evidence(
        user=staff,
        criterion=criterion,
        title=values.pop("title", "Safeguarding policy 2026"),
        file=SimpleUploadedFile(name, content),
        expires_on=values.pop("expires_on", NEXT_YEAR),
        **values,
    )


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PDF_BYTES, "application/pdf", ".pdf"),
        (DOCX_BYTES, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        (JPEG_BYTES, "image/jpeg", ".jpg"),
        (PNG_BYTES, "image/png", ".png"),
    ],
)
def test_allowed_types_are_stored_clean_under_our_own_name(staff, provider, content, content_type, extension):
    item = _add(staff, content=content, name="../../etc/passwd.exe")
    assert item.provider == provider
    assert item.content_type == content_type
    assert item.scan_status == Evidence.Scan.CLEAN
    assert item.uploaded_by == staff
    assert item.file.name.startswith("evidence/2026/11/provider-")
    assert item.file.name.endswith(extension)
    assert "passwd" not in item.file.name


@pytest.mark.parametrize("content", [XLSX_BYTES, b"MZ\x90\x00", b"just text"])
def test_other_types_are_refused_whatever_their_name(staff, content):
    before = _stored_files()
    with pytest.raises(DomainError, match="must be a PDF, a Word document"):
        _add(staff, content=content, name="policy.pdf")
    assert not Evidence.objects.exists()
    assert _stored_files() == before


def test_a_file_over_10_mb_is_refused(staff):
    with pytest.raises(DomainError, match="smaller than 10 MB"):
        _add(staff, content=PDF_BYTES + b"0" * (10 * 1024 * 1024))
    assert not Evidence.objects.exists()


def test_an_infected_file_is_refused_and_nothing_is_stored(staff):
    before = _stored_files()
    with pytest.raises(DomainError, match="virus check found a problem"):
        _add(staff, content=PDF_BYTES + EICAR)
    assert not Evidence.objects.exists()
    assert _stored_files() == before


def test_insurance_records_cover_and_expiry(staff):
    item = _add(
        staff,
        criterion="insurance-public-liability",
        title="Public liability schedule",
        cover_amount=Decimal("5000000.00"),
        expires_on=datetime.date(2027, 3, 31),
    )
    assert item.cover_amount == Decimal("5000000.00")
    assert item.expires_on == datetime.date(2027, 3, 31)


def test_insurance_without_its_cover_amount_is_refused(staff):
    with pytest.raises(DomainError, match="Enter the amount of cover") as caught:
        _add(staff, criterion="insurance-public-liability", cover_amount=None)
    assert caught.value.field == "cover_amount"


def test_expiring_evidence_needs_its_expiry_date_and_a_current_one(staff):
    with pytest.raises(DomainError, match="Enter the date this document expires") as caught:
        _add(staff, criterion="dbs-checks", expires_on=None)
    assert caught.value.field == "expires_on"
    with pytest.raises(DomainError, match="today or in the future"):
        _add(staff, criterion="dbs-checks", expires_on=datetime.date(2026, 11, 15))


def test_cover_is_not_kept_for_a_criterion_without_a_minimum(staff):
    item = _add(staff, criterion="financial-standing", cover_amount=Decimal("10"), expires_on=None)
    assert item.cover_amount is None


def test_an_unknown_criterion_is_refused(staff):
    with pytest.raises(DomainError, match="Choose which criterion"):
        _add(staff, criterion="not-a-criterion")


def test_a_failed_upload_with_an_answer_saves_neither(staff, provider, arrangement):
    application = make_application(provider, arrangement)
    response = application.responses.create(criterion="safeguarding-lead", statement="Old words")
    before = _stored_files()
    with pytest.raises(DomainError):
        services.save_response(
            user=staff,
            response=response,
            statement="New words",
            upload=services.NewEvidence(title="DSL certificate", file=SimpleUploadedFile("c.pdf", PDF_BYTES + EICAR)),
        )
    response.refresh_from_db()
    assert response.statement == "Old words"
    assert not Evidence.objects.exists()
    assert _stored_files() == before


def test_a_stored_file_is_removed_when_the_change_rolls_back_afterwards(staff, provider, arrangement, monkeypatch):
    application = make_application(provider, arrangement)
    response = application.responses.create(criterion="safeguarding-lead")
    before = _stored_files()

    def broken_set(self, objs, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(type(response.evidence), "set", broken_set)
    with pytest.raises(RuntimeError):
        services.save_response(
            user=staff,
            response=response,
            statement="Words",
            upload=services.NewEvidence(
                title="DSL certificate", file=SimpleUploadedFile("c.pdf", PDF_BYTES), expires_on=NEXT_YEAR
            ),
        )
    assert not Evidence.objects.exists()
    assert _stored_files() == before


# -- The library's upload page -----------------------------------------------------------------------------------


def test_the_upload_page_adds_evidence_to_the_library(staff_client, provider):
    response = staff_client.post(
        reverse("commissioning:evidence-upload"),
        {
            "criterion": "insurance-public-liability",
            "title": "Public liability schedule",
            "file": SimpleUploadedFile("schedule.pdf", PDF_BYTES),
            "cover_amount": "£5,000,000",
            "expires_on_0": "31",
            "expires_on_1": "3",
            "expires_on_2": "2027",
        },
    )
    assert response.status_code == 302
    item = Evidence.objects.get()
    assert item.cover_amount == Decimal("5000000.00")
    assert item.expires_on == datetime.date(2027, 3, 31)


def test_an_infected_upload_on_the_page_shows_the_error_and_stores_nothing(staff_client):
    response = staff_client.post(
        reverse("commissioning:evidence-upload"),
        {
            "criterion": "financial-standing",
            "title": "Accounts 2025",
            "file": SimpleUploadedFile("accounts.pdf", PDF_BYTES + EICAR),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "virus check found a problem" in body
    assert not Evidence.objects.exists()


def test_a_wrong_type_on_the_page_is_named(staff_client):
    response = staff_client.post(
        reverse("commissioning:evidence-upload"),
        {"criterion": "financial-standing", "title": "Accounts", "file": SimpleUploadedFile("a.pdf", XLSX_BYTES)},
    )
    assert "The file must be a PDF, a Word document (.docx), a JPEG or a PNG" in response.content.decode()


def test_the_upload_page_without_anything_names_each_field(staff_client):
    body = staff_client.post(reverse("commissioning:evidence-upload"), {}).content.decode()
    assert "Choose which criterion this evidence is for" in body
    assert "Enter a title for the document" in body
    assert "Choose a file to upload" in body


def test_a_cover_that_is_not_an_amount_is_named(staff_client):
    body = staff_client.post(
        reverse("commissioning:evidence-upload"),
        {
            "criterion": "insurance-public-liability",
            "title": "Schedule",
            "file": SimpleUploadedFile("s.pdf", PDF_BYTES),
            "cover_amount": "five million",
        },
    ).content.decode()
    assert "Enter the amount of cover in pounds, like 5,000,000" in body


def test_evidence_with_no_title_an_expired_date_and_an_empty_file_is_told_all_three(staff):
    from aphub.core.errors import DomainErrors

    with pytest.raises(DomainErrors) as refused:
        _add(staff, content=b"", title=" ", expires_on=datetime.date(2020, 1, 1))
    assert [each.field for each in refused.value.errors] == ["title", "expires_on", "file"]
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    ("typed", "value", "message"),
    [
        ("10,000,000,000", Decimal("10000000000"), "The amount of cover must be less than £10,000,000,000"),
        ("0", Decimal("0"), "The amount of cover must be more than £0"),
    ],
)
def test_a_cover_out_of_range_is_refused_in_the_same_words_by_the_page_and_the_service(staff, typed, value, message):
    """Decision 0025: the amount of cover has one limit, so the service refuses what the column cannot hold too."""
    with pytest.raises(DomainError) as refused:
        _add(staff, criterion="insurance-public-liability", title="Schedule", cover_amount=value)
    with pytest.raises(ValidationError) as by_form:
        EvidenceUploadForm.base_fields["cover_amount"].clean(typed)
    assert by_form.value.messages == [refused.value.message] == [message]
    assert refused.value.field == "cover_amount"
    assert not Evidence.objects.exists()
