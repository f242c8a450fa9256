"""Checks every uploaded document passes before anything is stored: its real type, its size, and a virus scan.

The type comes from the file's bytes, never from the name or the Content-Type the sender gave it. Only PDF, Word
(.docx), JPEG and PNG are taken: what councils and providers exchange, and what a browser can show safely.

The virus scan is pluggable. settings.APHUB_VIRUS_SCANNER names a function (dotted path) `scan(file) -> "clean" |
"infected"`. The default, `eicar_scanner`, only recognises the EICAR test string, so the refusal path can be
demonstrated and tested anywhere; it is NOT a virus scanner. A council plugs ClamAV in here, for example a function
that streams the file to clamd with `clamd.ClamdNetworkSocket().instream(file)` and answers "infected" when the
result says FOUND. A scanner that cannot answer should raise: the upload is then refused, never let through.
"""

import zipfile
from collections.abc import Callable
from functools import cache
from typing import IO, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from aphub.core.errors import DomainError

PDF, DOCX, JPEG, PNG = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "image/jpeg",
    "image/png",
)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", JPEG: ".jpg", PNG: ".png"}
WRONG_TYPE = "The file must be a PDF, a Word document (.docx), a JPEG or a PNG"
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

CLEAN, INFECTED = "clean", "infected"
DEFAULT_SCANNER = "aphub.core.files.uploads.eicar_scanner"

# The anti-malware industry's harmless test file (eicar.org): every scanner reports it as a virus.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
_CHUNK = 64 * 1024


class Upload(Protocol):
    # Read-only, as on Django's UploadedFile.
    @property
    def size(self) -> int | None: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def read(self, size: int = ..., /) -> bytes: ...


def sniff_content_type(upload: IO[bytes] | Upload) -> str | None:
    """The file's real type from its first bytes (and, for a .docx, its zip contents); None when not allowed."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        # A Word document is a zip with these parts; any other zip (xlsx, a plain archive) is refused.
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def eicar_scanner(upload: IO[bytes] | Upload) -> str:
    """The default scanner: "infected" when the file holds the EICAR test string, otherwise "clean".

    It finds nothing real. Replace it with ClamAV (or the council's scanner) through settings.APHUB_VIRUS_SCANNER.
    """
    upload.seek(0)
    tail = b""
    try:
        while chunk := upload.read(_CHUNK):
            # Keep the end of the last chunk so a signature split across two reads is still seen.
            if EICAR in tail + chunk:
                return INFECTED
            tail = chunk[-len(EICAR) :]
    finally:
        upload.seek(0)
    return CLEAN


@cache
def _scanner(dotted_path: str) -> Callable[..., str]:
    return import_string(dotted_path)


def scan_for_viruses(upload: IO[bytes] | Upload) -> str:
    """Run the configured scanner: "clean" or "infected". Raises DomainError when the scanner cannot answer."""
    scanner = _scanner(getattr(settings, "APHUB_VIRUS_SCANNER", DEFAULT_SCANNER) or DEFAULT_SCANNER)
    try:
        verdict = scanner(upload)
    except Exception as error:
        # Fail closed: a file nobody could check is not stored.
        raise DomainError(
            "The file could not be checked for viruses. Try again later, or contact the council.", field="file"
        ) from error
    finally:
        upload.seek(0)
    if verdict not in (CLEAN, INFECTED):
        raise DomainError(
            "The file could not be checked for viruses. Try again later, or contact the council.", field="file"
        )
    return verdict


def check_upload(upload: Upload | None, *, max_bytes: int = MAX_DOCUMENT_BYTES, scan: bool = True) -> str:
    """The content type of an acceptable upload; DomainError (field "file") for an empty, large, wrong or infected one.

    Nothing is stored here: callers save the file only after this returns.
    """
    if upload is None or not upload.size:
        raise DomainError("Choose a file to upload: the file you chose is empty", field="file")
    if upload.size > max_bytes:
        raise DomainError(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB", field="file")
    content_type = sniff_content_type(upload)
    if content_type is None:
        raise DomainError(WRONG_TYPE, field="file")
    if scan and scan_for_viruses(upload) == INFECTED:
        raise DomainError(
            "The virus check found a problem with this file, so it has not been saved. "
            "Check the file on your computer and upload a clean copy.",
            field="file",
        )
    return content_type
