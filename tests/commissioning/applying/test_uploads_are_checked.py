"""Every uploaded document is checked before it is stored: its real type by content, its size, and the virus-scan
hook (core.files.uploads). The default scanner refuses the EICAR test file; a scanner that cannot answer refuses too."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aphub.core.errors import DomainError
from aphub.core.files import uploads

from .makers import DOCX_BYTES, EICAR, JPEG_BYTES, PDF_BYTES, PNG_BYTES, XLSX_BYTES


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, uploads.PDF),
        (DOCX_BYTES, uploads.DOCX),
        (JPEG_BYTES, uploads.JPEG),
        (PNG_BYTES, uploads.PNG),
        (XLSX_BYTES, None),
        (b"MZ\x90\x00 an executable", None),
        (b"<html><script>alert(1)</script></html>", None),
        (b"PK\x03\x04 not really a zip", None),
    ],
)
def test_the_type_comes_from_the_bytes_not_the_name(content, expected):
    assert uploads.sniff_content_type(SimpleUploadedFile("anything.pdf", content)) == expected


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DomainError, match="smaller than 10 MB") as caught:
        uploads.check_upload(big)
    assert caught.value.field == "file"


def test_an_empty_file_is_refused():
    with pytest.raises(DomainError, match="empty"):
        uploads.check_upload(SimpleUploadedFile("empty.pdf", b""))


def test_the_default_scanner_refuses_the_eicar_test_file_inside_a_pdf():
    infected = SimpleUploadedFile("policy.pdf", PDF_BYTES + EICAR)
    assert uploads.scan_for_viruses(infected) == uploads.INFECTED
    with pytest.raises(DomainError, match="virus check found a problem"):
        uploads.check_upload(infected)


def test_the_default_scanner_finds_the_signature_split_across_two_reads():
    padding = b"x" * (64 * 1024 - 10)
    assert uploads.eicar_scanner(io.BytesIO(PDF_BYTES + padding + EICAR)) == uploads.INFECTED


def test_a_clean_file_passes_and_is_rewound_for_saving():
    clean = SimpleUploadedFile("policy.pdf", PDF_BYTES)
    assert uploads.check_upload(clean) == uploads.PDF
    assert clean.read(5) == b"%PDF-"


def fake_scanner_infected(upload) -> str:
    return "infected"


def fake_scanner_broken(upload) -> str:
    raise ConnectionError("clamd is not answering")


def fake_scanner_unsure(upload) -> str:
    return "maybe"


def test_the_scanner_is_the_one_settings_name(settings):
    settings.APHUB_VIRUS_SCANNER = f"{__name__}.fake_scanner_infected"
    with pytest.raises(DomainError, match="virus check found a problem"):
        uploads.check_upload(SimpleUploadedFile("policy.pdf", PDF_BYTES))


@pytest.mark.parametrize("scanner", ["fake_scanner_broken", "fake_scanner_unsure"])
def test_a_scanner_that_cannot_answer_refuses_the_file(settings, scanner):
    settings.APHUB_VIRUS_SCANNER = f"{__name__}.{scanner}"
    with pytest.raises(DomainError, match="could not be checked for viruses"):
        uploads.check_upload(SimpleUploadedFile("policy.pdf", PDF_BYTES))
