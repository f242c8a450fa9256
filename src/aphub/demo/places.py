"""The demo LA's commissioned places, modelled on Solihull's (seed 004 section 11): an AP academy of 150 places (its
KS4, KS3, specialist and short-stay centres), a 35-place AP academy, both funded by the DfE directly, and a 32-place
medical PRU funded by the LA: 217 places at £10,000, for last academic year and this one. The demo's placements fill
few of them, so the place funding and occupancy page shows empty places and what they cost.

Idempotent: a provision's places for a year are found by provision and year, so running it again changes nothing.
"""

from decimal import Decimal

from aphub.commissioning.models import CommissionedPlaces, PlacePayer
from aphub.commissioning.places.queries import current_academic_year
from aphub.directory.models import Provision
from aphub.duties.models import LocalPolicy
from aphub.organisations.models import LocalAuthority

# Provision name -> (places, who pays the place funding). data/providers.toml names them.
PLACES = {
    "Elmbridge Vale Academy: KS4 destination places": (102, PlacePayer.DFE),
    "Elmbridge Vale Academy: KS3 zone": (16, PlacePayer.DFE),
    "Kestrel Centre": (12, PlacePayer.DFE),
    "Lantern Centre short-stay assessment": (20, PlacePayer.DFE),
    "Millbrook Academy": (35, PlacePayer.DFE),
    "Harbour Light Centre medical pathway": (32, PlacePayer.LA),
}


def build_demo_places(la: LocalAuthority) -> dict[str, int]:
    """Commissioned places at the demo LA's PRU and AP academies for last academic year and this one."""
    policy = LocalPolicy.objects.filter(local_authority=la).first()
    rate = policy.place_funding_annual if policy else Decimal("10000.00")
    provisions = {provision.name: provision for provision in Provision.objects.filter(local_authority=la)}
    current = current_academic_year()
    for name, (places, payer) in PLACES.items():
        provision = provisions.get(name)
        if provision is None:
            continue
        for year in (current - 1, current):
            CommissionedPlaces.objects.get_or_create(
                provision=provision,
                academic_year=year,
                defaults={"local_authority": la, "places": places, "rate_per_place": rate, "payer": payer},
            )
    return {
        "commissioned places": sum(
            CommissionedPlaces.objects.filter(local_authority=la, academic_year=current).values_list(
                "places", flat=True
            )
        )
    }
