"""The demo LA's commercial arrangements, modelled on Oxfordshire's (seed 003).

Seed 003: the council buys AP through a dynamic purchasing system with five lots built around what children and
parents need; new or existing providers join it to be bought from under a standard contract and a standard
individual placement agreement. The therapeutic and virtual lots were the most popular; face to face the least,
for want of buildings. Beside it sits a newer dynamic market with parts (Procurement Act 2023), shared with the
neighbouring demo LA and still a draft.

Idempotent: arrangements are found by reference and lots by number, so running it again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from aphub.commissioning.arrangements.services import lot_criteria
from aphub.commissioning.models import ArrangementKind, CommercialArrangement, Lot
from aphub.organisations.models import LocalAuthority

DPS_REFERENCE = "elmbridge-ap-dps-2023"
MARKET_REFERENCE = "elmbridge-ashcombe-ap-dm-2026"
SECOND_LA_CODE = "991"

SAFEGUARDING = ["safeguarding-lead", "dbs-checks", "safeguarding-policy"]
# What every lot asks for: who the provider is, how it keeps children safe, insurance and data.
CORE = ["registration", *SAFEGUARDING, "insurance-public-liability", "data-protection"]


@dataclass(frozen=True)
class DemoLot:
    title: str
    description: str
    criteria: list[str]
    for_unregistered: bool = False


DPS_LOTS = [
    DemoLot(
        "Face to face full time",
        "Full-time education on the provider's own premises, 25 hours a week, for pupils who cannot attend school, "
        "for example from the sixth day of a permanent exclusion. Registered schools and colleges.",
        [*CORE, "insurance-employers-liability", "health-and-safety", "financial-standing", "ofsted-outcome"],
    ),
    DemoLot(
        "Part time and vocational",
        "Part-time courses alongside school or another placement: construction, motor vehicle, hair and beauty, "
        "land-based and catering, usually one to three days a week.",
        [*CORE, "insurance-employers-liability", "health-and-safety", "financial-standing"],
        for_unregistered=True,
    ),
    DemoLot(
        "Therapeutic",
        "Small-group and one-to-one provision for pupils with social, emotional and mental health needs or "
        "emotionally based school avoidance: outdoor, animal-assisted, creative and counselling-led.",
        [*CORE, "insurance-employers-liability", "health-and-safety", "financial-standing", "ofsted-outcome"],
        for_unregistered=True,
    ),
    DemoLot(
        "Online",
        "Live online teaching in small virtual classes, with a named tutor who checks attendance every session and "
        "raises safeguarding concerns the same day.",
        [*CORE, "financial-standing", "ofsted-outcome"],
    ),
    DemoLot(
        "One-to-one tuition",
        "Tuition at home, in a library or in a community venue, for pupils too anxious or unwell to learn in a "
        "group. Sole traders may apply.",
        CORE,
        for_unregistered=True,
    ),
]

MARKET_PARTS = [
    DemoLot(
        "Full-time alternative provision",
        "Full-time places for pupils excluded or unable to attend school, in registered settings.",
        [*CORE, "insurance-employers-liability", "health-and-safety", "financial-standing", "ofsted-outcome"],
    ),
    DemoLot(
        "Part-time, vocational and therapeutic",
        "Part-time provision alongside school, including vocational and therapeutic programmes.",
        [*CORE, "insurance-employers-liability", "health-and-safety", "financial-standing"],
        for_unregistered=True,
    ),
    DemoLot(
        "Tuition and online learning",
        "One-to-one and small-group tuition, in person or online.",
        CORE,
        for_unregistered=True,
    ),
]


def _arrangement(la: LocalAuthority, reference: str, defaults: dict, lots: list[DemoLot]) -> CommercialArrangement:
    arrangement, _created = CommercialArrangement.objects.update_or_create(
        reference=reference, defaults={"owner": la, **defaults}
    )
    for number, lot in enumerate(lots, start=1):
        Lot.objects.update_or_create(
            arrangement=arrangement,
            number=number,
            defaults={
                "title": lot.title,
                "description": lot.description,
                # The services' own rule, so the demo's unregistered lots carry the national standards too.
                "criteria": lot_criteria(
                    criteria_version=arrangement.criteria_version,
                    chosen=lot.criteria,
                    for_unregistered=lot.for_unregistered,
                ),
                "for_unregistered": lot.for_unregistered,
            },
        )
    return arrangement


def build_demo_arrangement(la: LocalAuthority) -> dict[str, int]:
    """The demo LA's open, published DPS with five lots, and a draft dynamic market shared with the second LA.

    Returns what exists, for the demo command's summary.
    """
    dps = _arrangement(
        la,
        DPS_REFERENCE,
        {
            "kind": ArrangementKind.DPS,
            "title": "Alternative provision dynamic purchasing system",
            "description": (
                f"{la.name} buys alternative provision for every key stage from quality-assured providers admitted "
                "to this dynamic purchasing system. Each placement is bought under the standard contract and a "
                "standard individual placement agreement. Providers may apply to one or more lots at any time while "
                "it is open; every provider that meets the criteria of a lot is admitted to it."
            ),
            "starts_on": datetime.date(2023, 9, 1),
            "ends_on": datetime.date(2027, 8, 31),
            "status": CommercialArrangement.Status.OPEN,
            "published_at": datetime.datetime(2023, 7, 3, 9, 0, tzinfo=datetime.UTC),
        },
        DPS_LOTS,
    )
    market = _arrangement(
        la,
        MARKET_REFERENCE,
        {
            "kind": ArrangementKind.DYNAMIC_MARKET,
            "title": "Alternative provision dynamic market",
            "description": (
                "The dynamic market that will follow the dynamic purchasing system, set up under the Procurement "
                "Act 2023 with the neighbouring council so that providers join once for both."
            ),
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2030, 8, 31),
            "status": CommercialArrangement.Status.DRAFT,
            "published_at": None,
        },
        MARKET_PARTS,
    )
    partner = LocalAuthority.objects.filter(la_code=SECOND_LA_CODE).first()
    if partner is not None:
        market.partners.set([partner])
    return {
        "arrangements": CommercialArrangement.objects.filter(pk__in=[dps.pk, market.pk]).count(),
        "lots and parts": Lot.objects.filter(arrangement__in=[dps, market]).count(),
    }
