"""Arrangements, lots, evidence and complete applications for the applying tests (and the access tests' side Y)."""

import datetime
import io
import itertools
import zipfile
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from aphub.commissioning.models import (
    Application,
    ArrangementKind,
    Clarification,
    CommercialArrangement,
    CriterionResponse,
    Evidence,
    Lot,
)
from aphub.core.clock import now

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

# Lot 1 asks the common criteria and insurance; lot 2 (unregistered) adds the national standards and Ofsted (which
# an unregistered provider is never asked).
LOT_1_CRITERIA = ["registration", "safeguarding-lead", "insurance-public-liability"]
LOT_2_CRITERIA = ["safeguarding-policy", "ofsted-outcome", "national-standards-unregistered-ap"]

_references = itertools.count(1)


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


DOCX_BYTES = zipped("[Content_Types].xml", "word/document.xml", "_rels/.rels")
XLSX_BYTES = zipped("[Content_Types].xml", "xl/workbook.xml")


def pdf(name: str = "document.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_arrangement(
    la,
    *,
    title: str = "Elmbridge AP dynamic purchasing system",
    status: str = CommercialArrangement.Status.OPEN,
    published: bool = True,
    kind: str = ArrangementKind.DPS,
    lots: list[tuple[str, list[str], bool]] | None = None,
) -> CommercialArrangement:
    arrangement = CommercialArrangement.objects.create(
        owner=la,
        kind=kind,
        reference=f"test-arrangement-{next(_references)}",
        title=title,
        status=status,
        starts_on=datetime.date(2026, 4, 1),
        published_at=now() if published else None,
    )
    for number, (lot_title, criteria, for_unregistered) in enumerate(
        lots
        or [
            ("Face to face, full time", LOT_1_CRITERIA, False),
            ("Part time and vocational", LOT_2_CRITERIA, True),
        ],
        start=1,
    ):
        Lot.objects.create(
            arrangement=arrangement,
            number=number,
            title=lot_title,
            criteria=criteria,
            for_unregistered=for_unregistered,
        )
    return arrangement


def make_evidence(
    provider,
    criterion: str,
    *,
    title: str | None = None,
    expires_on: datetime.date | None = None,
    cover_amount: str | Decimal | None = None,
    scan_status: str = Evidence.Scan.CLEAN,
) -> Evidence:
    item = Evidence(
        provider=provider,
        criterion=criterion,
        title=title or f"{criterion} document",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        expires_on=expires_on,
        cover_amount=Decimal(cover_amount) if cover_amount is not None else None,
        scan_status=scan_status,
    )
    item.file.save(f"provider-{provider.pk}-{criterion}.pdf", ContentFile(PDF_BYTES), save=True)
    return item


def make_application(provider, arrangement, *, status: str = Application.Status.DRAFT, lots=None) -> Application:
    application = Application.objects.create(provider=provider, arrangement=arrangement, status=status)
    application.lots.set(lots if lots is not None else arrangement.lots.all())
    if status != Application.Status.DRAFT:
        application.submitted_at = now()
        application.save(update_fields=["submitted_at"])
    return application


def answer_everything(application: Application, *, expires_on: datetime.date, statement: str = "We meet it.") -> None:
    """Every criterion the lots ask answered with in-date evidence, and every declaration made."""
    from aphub.commissioning.applications.queries import criteria_needed
    from aphub.commissioning.arrangements.criteria import criteria_set

    for criterion in criteria_needed(application.provider, application.lots.all()):
        response, _ = CriterionResponse.objects.get_or_create(application=application, criterion=criterion.code)
        response.statement = statement
        response.save()
        item = make_evidence(
            application.provider,
            criterion.code,
            expires_on=expires_on if criterion.expires else None,
            cover_amount=criterion.minimum_cover,
        )
        response.evidence.add(item)
    application.declarations = {
        d.code: now().isoformat() for d in criteria_set(application.arrangement.criteria_version).declarations
    }
    application.save(update_fields=["declarations"])


def ask(application: Application, officer, criterion: str, question: str = "Please send the current certificate."):
    """What the evaluation service does when an officer asks a question: the clock pauses."""
    at = now()
    clarification = Clarification.objects.create(
        application=application, criterion=criterion, question=question, asked_by=officer, asked_at=at
    )
    application.status = Application.Status.CLARIFICATION
    application.paused_since = at
    application.save(update_fields=["status", "paused_since"])
    return clarification
