"""Setting up an arrangement or a lot tells the officer every mistake of the submission at once."""

import datetime

import pytest

from aphub.commissioning.arrangements import services
from aphub.commissioning.models import CommercialArrangement, Lot
from aphub.core.errors import DomainErrors

from .makers import make_arrangement

pytestmark = pytest.mark.django_db


def fields_of(refused) -> list[str | None]:
    return [each.field for each in refused.value.errors]


def test_an_arrangement_with_no_type_no_title_its_dates_reversed_and_a_taken_reference_is_told_all(la, officer):
    make_arrangement(la, reference="taken-ref")
    with pytest.raises(DomainErrors) as refused:
        services.create_arrangement(
            user=officer,
            kind="",
            title=" ",
            reference="taken-ref",
            starts_on=datetime.date(2027, 9, 1),
            ends_on=datetime.date(2027, 8, 31),
        )
    assert fields_of(refused) == ["kind", "title", "ends_on", "reference"]
    assert CommercialArrangement.objects.count() == 1


def test_changing_a_published_arrangements_type_and_emptying_its_title_is_told_both(la, officer):
    arrangement = make_arrangement(la, status="open", kind="dps")
    with pytest.raises(DomainErrors) as refused:
        services.update_arrangement(
            user=officer, arrangement=arrangement, title="", starts_on=arrangement.starts_on, kind="dynamic-market"
        )
    assert fields_of(refused) == ["title", "kind"]


def test_a_lot_with_no_title_and_no_criteria_is_told_both(la, officer):
    arrangement = make_arrangement(la, status="draft", lots=0)
    with pytest.raises(DomainErrors) as refused:
        services.add_lot(user=officer, arrangement=arrangement, title="", criteria=[])
    assert fields_of(refused) == ["title", "criteria"]
    assert not Lot.objects.exists()
