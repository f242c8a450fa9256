"""Lots or parts: numbered in turn, criteria from the arrangement's version, the national standards for unregistered
lots, criteria fixed once providers apply, and removal only from a draft."""

import pytest

from aphub.commissioning.arrangements import services
from aphub.commissioning.arrangements.criteria import criteria_for_lot
from aphub.commissioning.models import Lot
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from tests.factories import ProviderFactory

from .makers import admit, make_arrangement

pytestmark = pytest.mark.django_db

NATIONAL = "national-standards-unregistered-ap"


def add(user, arrangement, **overrides):
    values = {"title": "Therapeutic", "criteria": ["safeguarding-lead", "registration"], "description": "Outdoor"}
    values.update(overrides)
    return services.add_lot(user=user, arrangement=arrangement, **values)


def test_lots_are_numbered_in_turn_with_criteria_in_the_data_files_order(la, officer):
    arrangement = make_arrangement(la, status="draft", lots=0)
    first = add(officer, arrangement, title="Face to face full time")
    second = add(officer, arrangement, title="Online")
    assert (first.number, second.number) == (1, 2)
    assert first.criteria == ["registration", "safeguarding-lead"]
    assert str(second) == "Lot 2: Online"


def test_a_dynamic_market_has_parts(la, officer):
    market = make_arrangement(la, status="draft", kind="dynamic-market", lots=0)
    assert str(add(officer, market, title="Tuition")) == "Part 1: Tuition"


def test_an_unregistered_lot_asks_for_the_national_standards_without_being_told(la, officer):
    lot = add(officer, make_arrangement(la, status="draft", lots=0), for_unregistered=True)
    assert lot.criteria == ["registration", "safeguarding-lead", NATIONAL]
    assert [c.code for c in criteria_for_lot(lot)][-1] == NATIONAL


def test_a_registered_lot_never_asks_for_the_national_standards_even_if_picked(la, officer):
    lot = add(officer, make_arrangement(la, status="draft", lots=0), criteria=["registration", NATIONAL])
    assert lot.criteria == ["registration"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter the title of the lot."),
        ({"criteria": []}, "criteria", "Choose at least one criterion the lot asks for."),
        ({"criteria": [NATIONAL], "for_unregistered": True}, "criteria", "Choose at least one criterion"),
        ({"criteria": ["registration", "juggling"]}, "criteria", "Choose criteria from the list."),
    ],
)
def test_bad_lots_get_a_clear_message_and_nothing_is_saved(la, officer, overrides, field, message):
    arrangement = make_arrangement(la, status="draft", lots=0)
    with pytest.raises(DomainError) as raised:
        add(officer, arrangement, **overrides)
    assert (raised.value.field, message in raised.value.message) == (field, True)
    assert not Lot.objects.exists()


def test_the_part_word_is_in_the_messages_of_a_dynamic_market(la, officer):
    market = make_arrangement(la, status="draft", kind="dynamic-market", lots=0)
    with pytest.raises(DomainError, match="Enter the title of the part."):
        add(officer, market, title="")


def test_a_lot_can_be_added_to_a_published_arrangement(la, officer):
    arrangement = make_arrangement(la, status="open", lots=2)
    assert add(officer, arrangement).number == 3


def test_criteria_can_change_until_a_provider_applies(la, officer):
    arrangement = make_arrangement(la, status="open", lots=1)
    lot = arrangement.lots.get()
    services.update_lot(user=officer, lot=lot, title="Renamed", criteria=["dbs-checks"], for_unregistered=True)
    lot.refresh_from_db()
    assert (lot.title, lot.criteria, lot.for_unregistered) == ("Renamed", ["dbs-checks", NATIONAL], True)

    admit(ProviderFactory(local_authority=la), lot)
    with pytest.raises(DomainError, match="Providers have already applied to this lot, so its criteria cannot change"):
        services.update_lot(user=officer, lot=lot, title="Renamed", criteria=["registration"], for_unregistered=True)
    services.update_lot(
        user=officer,
        lot=lot,
        title="Renamed again",
        description="Clearer",
        criteria=["dbs-checks"],
        for_unregistered=True,
    )
    lot.refresh_from_db()
    assert (lot.title, lot.description, lot.criteria) == ("Renamed again", "Clearer", ["dbs-checks", NATIONAL])


def test_removing_a_lot_from_a_draft_closes_the_gap_in_the_numbers(la, officer):
    arrangement = make_arrangement(la, status="draft", lots=3)
    services.remove_lot(user=officer, lot=arrangement.lots.get(number=2))
    assert list(arrangement.lots.values_list("number", "title")) == [(1, "Provision 1"), (2, "Provision 3")]


def test_a_published_lot_cannot_be_removed(la, officer):
    arrangement = make_arrangement(la, status="open", lots=2)
    with pytest.raises(InvalidTransition, match="You cannot remove a lot once the arrangement is published"):
        services.remove_lot(user=officer, lot=arrangement.lots.get(number=1))
    assert arrangement.lots.count() == 2


@pytest.mark.parametrize("who", ["auditor", "other_officer", "provider_staff"])
def test_only_the_owner_changes_lots(request, la, officer, who):
    arrangement = make_arrangement(la, status="draft", lots=1)
    user = request.getfixturevalue(who)
    lot = arrangement.lots.get()
    with pytest.raises(NotPermitted):
        add(user, arrangement)
    with pytest.raises(NotPermitted):
        services.update_lot(user=user, lot=lot, title="Mine", criteria=["registration"])
    with pytest.raises(NotPermitted):
        services.remove_lot(user=user, lot=lot)
    assert list(arrangement.lots.values_list("title", flat=True)) == ["Provision 1"]
