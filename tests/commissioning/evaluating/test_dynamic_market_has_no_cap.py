"""A dynamic market (Procurement Act 2023) admits every provider that meets the conditions: no cap per part."""

import pytest

from aphub.commissioning.models import Admission, ArrangementKind, Contract
from tests.factories import ProviderFactory

from . import builders
from .conftest import admit

pytestmark = pytest.mark.django_db


def test_thirty_providers_are_all_admitted_to_one_part(la, officer, second_officer):
    market = builders.arrangement(la, kind=ArrangementKind.DYNAMIC_MARKET, lots=1, criteria=["registration"])
    part = market.lots.get()
    assert str(part).startswith("Part 1:")
    providers = [ProviderFactory(local_authority=la) for _ in range(30)]

    for provider in providers:
        admit(builders.application(provider, market), officer, second_officer)

    admitted = Admission.objects.filter(lot=part, status=Admission.Status.ADMITTED)
    assert admitted.count() == 30
    assert set(admitted.values_list("provider_id", flat=True)) == {provider.pk for provider in providers}
    assert Contract.objects.filter(arrangement=market).count() == 30
