"""Arrangements, lots and submitted applications for the evaluation tests and the access tests' side Y.

Made with the ORM, as the arrangements and applying services would leave them, so these tests do not depend on how
those pages are built.
"""

import datetime
import itertools

from aphub.commissioning.models import (
    Application,
    ArrangementKind,
    CommercialArrangement,
    CriterionResponse,
    Evidence,
    Lot,
)
from aphub.core.clock import now

CRITERIA = ["registration", "safeguarding-policy", "insurance-public-liability"]
_serial = itertools.count(1)


def arrangement(
    owner,
    *,
    kind: str = ArrangementKind.DPS,
    lots: int = 2,
    criteria: list[str] = CRITERIA,
    partners=(),
    ends_on: datetime.date | None = datetime.date(2029, 3, 31),
    title: str | None = None,
) -> CommercialArrangement:
    serial = next(_serial)
    made = CommercialArrangement.objects.create(
        owner=owner,
        kind=kind,
        reference=f"{owner.la_code}-ap-{kind}-{serial}",
        title=title or f"{owner.name} AP {ArrangementKind(kind).label} {serial}",
        status=CommercialArrangement.Status.OPEN,
        starts_on=datetime.date(2025, 4, 1),
        ends_on=ends_on,
        published_at=now(),
    )
    made.partners.set(partners)
    for number in range(1, lots + 1):
        Lot.objects.create(arrangement=made, number=number, title=f"Face to face {number}", criteria=list(criteria))
    return made


def application(
    provider,
    arrangement: CommercialArrangement,
    *,
    lots=None,
    status: str = Application.Status.SUBMITTED,
    submitted_at: datetime.datetime | None = None,
    created_by=None,
) -> Application:
    """A provider's application with a statement and one checked evidence file for every criterion of its lots."""
    made = Application.objects.create(
        provider=provider,
        arrangement=arrangement,
        status=status,
        created_by=created_by,
        submitted_at=None if status == Application.Status.DRAFT else (submitted_at or now()),
    )
    chosen = list(lots) if lots is not None else list(arrangement.lots.all())
    made.lots.set(chosen)
    codes = sorted({code for lot in chosen for code in lot.criteria})
    for code in codes:
        response = CriterionResponse.objects.create(
            application=made, criterion=code, statement=f"{provider.display_name} statement on {code}"
        )
        evidence = Evidence.objects.create(
            provider=provider,
            criterion=code,
            title=f"{code} evidence {made.pk}",
            file=f"evidence/2026/01/{code}.pdf",
            content_type="application/pdf",
            size=1024,
            scan_status=Evidence.Scan.CLEAN,
        )
        response.evidence.add(evidence)
    return made
