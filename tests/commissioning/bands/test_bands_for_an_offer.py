"""Which bands an offer at a provision may choose: the provision's own, then those of the lots its provider is
admitted to, then the LA-wide ones; a code names the most specific of them."""

from decimal import Decimal

import pytest

from aphub.commissioning.bands.queries import band_by_code, bands_for_offer
from tests.commissioning.arrangements.makers import admit, make_arrangement
from tests.factories import LocalAuthorityFactory, ProviderFactory, ProvisionFactory, TopUpBandFactory

pytestmark = pytest.mark.django_db


def test_the_provisions_own_bands_then_its_lots_then_the_las_and_a_code_names_the_most_specific():
    la = LocalAuthorityFactory()
    admitted, other = ProviderFactory(local_authority=la), ProviderFactory(local_authority=la)
    provision = ProvisionFactory(provider=admitted, local_authority=la, name="Brook House")
    elsewhere = ProvisionFactory(provider=other, local_authority=la, name="Meadow Centre")
    arrangement = make_arrangement(la, lots=2)
    lot_1, lot_2 = arrangement.lots.order_by("number")
    admit(admitted, lot_1)
    admit(admitted, lot_2, status="suspended")

    la_wide = TopUpBandFactory(local_authority=la, code="A", annual_amount=Decimal("4000"))
    for_lot = TopUpBandFactory(local_authority=la, code="A", lot=lot_1, annual_amount=Decimal("4200"))
    own = TopUpBandFactory(local_authority=la, code="B", provision=provision, annual_amount=Decimal("9000"))
    TopUpBandFactory(local_authority=la, code="C", lot=lot_2)  # suspended from lot 2: not offered
    TopUpBandFactory(local_authority=la, code="D", provision=elsewhere)
    TopUpBandFactory(local_authority=la, code="E", active=False)
    TopUpBandFactory(local_authority=LocalAuthorityFactory(), code="A")

    assert bands_for_offer(local_authority_id=la.pk, provision=provision) == [own, for_lot, la_wide]
    assert band_by_code(local_authority_id=la.pk, provision=provision, code=" a ") == for_lot
    assert band_by_code(local_authority_id=la.pk, provision=elsewhere, code="A") == la_wide
    assert band_by_code(local_authority_id=la.pk, provision=elsewhere, code="B") is None
