"""Arrangements, lots, admissions and contracts made straight in the database, for tests of what reads them.

Admissions and contracts come from the evaluation services; these tests only need the rows.
"""

import datetime
import itertools

from aphub.commissioning.models import Admission, Application, CommercialArrangement, Contract, Lot

_serial = itertools.count(1)
PUBLISHED_AT = datetime.datetime(2025, 7, 1, 9, 0, tzinfo=datetime.UTC)
CORE = ["registration", "safeguarding-lead", "dbs-checks", "insurance-public-liability"]


def make_arrangement(owner, *, status="open", kind="dps", lots=1, reference=None, partners=(), **fields):
    published = status != "draft"
    arrangement = CommercialArrangement.objects.create(
        owner=owner,
        kind=kind,
        reference=reference or f"test-ap-{next(_serial)}",
        title=fields.pop("title", "Alternative provision purchasing system"),
        starts_on=fields.pop("starts_on", datetime.date(2025, 9, 1)),
        ends_on=fields.pop("ends_on", datetime.date(2029, 8, 31)),
        status=status,
        published_at=fields.pop("published_at", PUBLISHED_AT if published else None),
        **fields,
    )
    arrangement.partners.set(partners)
    for number in range(1, lots + 1):
        Lot.objects.create(arrangement=arrangement, number=number, title=f"Provision {number}", criteria=CORE)
    return arrangement


def admit(provider, lot, *, on=datetime.date(2025, 10, 1), status="admitted", contract=True, signed_on=None):
    """A provider admitted to a lot (with its application), and its contract for the arrangement."""
    arrangement = lot.arrangement
    application = Application.objects.filter(provider=provider, arrangement=arrangement).first()
    if application is None:
        application = Application.objects.create(
            provider=provider, arrangement=arrangement, status=Application.Status.ADMITTED
        )
    application.lots.add(lot)
    made_contract = None
    if contract:
        made_contract, _ = Contract.objects.get_or_create(
            provider=provider,
            arrangement=arrangement,
            defaults={
                "reference": f"{arrangement.reference}-{provider.pk}",
                "starts_on": on,
                "ends_on": arrangement.ends_on,
                "signed_on": signed_on,
            },
        )
    return Admission.objects.create(
        provider=provider, lot=lot, application=application, contract=made_contract, admitted_on=on, status=status
    )
