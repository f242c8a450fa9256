"""Elmbridge's table of top-up bands (issue 13) and a few placements offered at them, so the band table, the offer
page and the placement page show bands in `make run`.

Bands A to E for every provision, from £3,000 (a place in a group of 8 to 10) to £18,000 (1:1 with specialist
support), plus one band for Greenway Farm's residential week; built after the other journeys, whose offers agreed an
annual cost before the LA had bands (decision 0030). Four children are then placed at bands, one with an exception
to the table and its reason. Fictional children only; dates are relative to today.
"""

import random
from decimal import Decimal

from aphub.commissioning.bands import services as bands
from aphub.core.clock import today
from aphub.duties.calendars import calendar_for
from aphub.organisations.models import LocalAuthority, User
from aphub.placements import services

from .journeys import _episode, _offer, _pupil, _school_day, cast_of, provider_staff

ADMIN = "elmbridge.admin@example.org"
OFFICER = "elmbridge.officer@example.org"
TABLE = [
    ("A", "Standard: a place in a group of 8 to 10", Decimal("3000.00")),
    ("B", "Supported: a group of 5 to 7", Decimal("6000.00")),
    ("C", "Enhanced: a group of up to 4", Decimal("9500.00")),
    ("D", "Intensive: 1:2 with a mentor", Decimal("13500.00")),
    ("E", "Specialist: 1:1 with therapeutic support", Decimal("18000.00")),
]
# Pupils' serial numbers (their UPNs) from here on, past those of the other journeys.
FIRST_SERIAL = 700


def build_top_up_bands(*, la: LocalAuthority, seed: int = 2025) -> dict[str, int]:
    """The demo LA's band table and the placements offered at it. Returns what was made, for the summary."""
    admin = User.objects.get(email=ADMIN)
    made = {"top-up bands": 0, "placements at a band": 0}
    table = {}
    for code, label, amount in TABLE:
        table[code] = bands.add_band(user=admin, code=code, label=label, annual_amount=amount)
        made["top-up bands"] += 1
    cast = cast_of(la, random.Random(seed + 13))
    cast.serial = FIRST_SERIAL
    greenway, academy = cast.greenway, cast.academy
    if not (greenway and academy):
        return made
    residential = bands.add_band(
        user=admin, code="R", label="Residential week each half term", annual_amount=Decimal("11250.00"),
        provision=greenway[0],
    )  # fmt: skip
    made["top-up bands"] += 1
    offers = [
        (academy[0], {"top_up_band": table["B"]}, 6),
        (academy[-1], {"top_up_band": table["C"]}, 3),
        (greenway[0], {"top_up_band": residential}, 0),
        (
            academy[0],
            {
                "top_up_exception": True,
                "top_up_amount": Decimal("21400.00"),
                "top_up_exception_reason": "Band E and a signing interpreter three days a week, agreed at panel "
                "until the EHC plan is amended",
            },
            0,
        ),
    ]
    calendar = calendar_for(local_authority=la)
    for provision, top_up, school_days_ago in offers:
        pupil = _pupil(cast)
        episode = _episode(cast, pupil, "permanent-exclusion", school_days_ago + 6)
        # Those placed a few school days ago have started; the others wait for the provider's answer.
        start = _school_day(la, today(), school_days_ago) if school_days_ago else calendar.next_school_day(today())
        placement = _offer(cast, episode, provision, start, annual_cost=None, **top_up)
        if school_days_ago:
            placement = services.accept_placement(user=provider_staff(provision), placement=placement)
            services.start_placement(user=cast.officer, placement=placement, on=start)
        made["placements at a band"] += 1
    return made
