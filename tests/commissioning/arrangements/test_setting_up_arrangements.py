"""LA officers set up an arrangement: its type, reference, dates and partner councils, with clear messages."""

import datetime

import pytest

from aphub.commissioning.arrangements import services
from aphub.commissioning.models import CommercialArrangement
from aphub.core.errors import DomainError, NotPermitted
from tests.factories import LocalAuthorityFactory

from .makers import make_arrangement

pytestmark = pytest.mark.django_db

SEPT = datetime.date(2025, 9, 1)


def create(user, **overrides):
    values = {
        "kind": "dynamic-market",
        "title": "Alternative provision dynamic market",
        "reference": "elmbridge-ap-dm-2025",
        "starts_on": SEPT,
        "ends_on": datetime.date(2029, 8, 31),
        "description": "Full-time and part-time AP",
    }
    values.update(overrides)
    return services.create_arrangement(user=user, **values)


def test_an_officer_sets_up_a_draft_owned_by_their_council_with_partners_of_their_choosing(la, officer, other_la):
    third = LocalAuthorityFactory(name="Third Vale Council")
    made = create(officer, partners=[other_la, third.pk])
    assert made.owner == la
    assert made.status == CommercialArrangement.Status.DRAFT and made.published_at is None
    assert set(made.partners.all()) == {other_la, third}
    assert made.lot_word == "part"
    assert made.criteria_version == "2025-1"


def test_the_owner_is_never_its_own_partner(la, officer, other_la):
    made = create(officer, partners=[la, other_la])
    assert list(made.partners.all()) == [other_la]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the title."),
        ({"title": "x" * 201}, "title", "The title must be 200 characters or fewer"),
        ({"kind": "auction"}, "kind", "Choose the type of arrangement."),
        ({"reference": ""}, "reference", "Enter a reference"),
        ({"reference": "Elmbridge AP 2025!"}, "reference", "only lower case letters, numbers and hyphens"),
        ({"reference": "manage"}, "reference", "cannot be 'manage'"),
        ({"reference": "x" * 61}, "reference", "60 characters or fewer"),
        ({"starts_on": None}, "starts_on", "Enter the date the arrangement starts."),
        ({"ends_on": datetime.date(2025, 8, 31)}, "ends_on", "same as or after the start date"),
        ({"partners": [999_999]}, "partners", "Choose partner councils from the list."),
        ({"criteria_version": "1999-9"}, "criteria_version", "There is no criteria version 1999-9."),
    ],
)
def test_bad_details_get_a_sentence_naming_the_field_and_nothing_is_saved(officer, overrides, field, message):
    with pytest.raises(DomainError) as raised:
        create(officer, **overrides)
    assert raised.value.field == field
    assert message in raised.value.message
    assert not CommercialArrangement.objects.exists()


def test_a_reference_is_used_once_across_every_council(officer, other_la):
    make_arrangement(other_la, reference="shared-name")
    with pytest.raises(DomainError, match="Another arrangement already uses this reference"):
        create(officer, reference="shared-name")


def test_a_reference_is_stored_in_lower_case(officer):
    assert create(officer, reference="  Elmbridge-AP-2025 ").reference == "elmbridge-ap-2025"


@pytest.mark.parametrize("who", ["auditor", "provider_staff", "school_staff"])
def test_only_la_officers_and_admins_set_up_arrangements(request, who):
    with pytest.raises(NotPermitted):
        create(request.getfixturevalue(who))


def test_a_draft_can_change_its_type_and_reference(la, officer):
    draft = make_arrangement(la, status="draft", kind="dps")
    services.update_arrangement(
        user=officer,
        arrangement=draft,
        kind="dynamic-market",
        reference="new-reference",
        title="Renamed",
        starts_on=SEPT,
    )
    draft.refresh_from_db()
    assert (draft.kind, draft.reference, draft.title, draft.lot_word) == (
        "dynamic-market",
        "new-reference",
        "Renamed",
        "part",
    )


@pytest.mark.parametrize(
    ("change", "message"), [({"kind": "dynamic-market"}, "type"), ({"reference": "new"}, "reference")]
)
def test_a_published_arrangement_keeps_its_type_and_reference(la, officer, change, message):
    published = make_arrangement(la, status="open", kind="dps", reference="kept")
    with pytest.raises(DomainError, match=f"The {message} cannot change once the arrangement is published"):
        services.update_arrangement(user=officer, arrangement=published, title="Renamed", starts_on=SEPT, **change)
    published.refresh_from_db()
    assert (published.kind, published.reference, published.title) == (
        "dps",
        "kept",
        "Alternative provision purchasing system",
    )


def test_a_published_arrangement_can_change_its_title_dates_and_partners(la, officer, other_la):
    published = make_arrangement(la, status="open")
    services.update_arrangement(
        user=officer,
        arrangement=published,
        title="Renamed",
        starts_on=SEPT,
        ends_on=datetime.date(2030, 8, 31),
        partners=[other_la],
        kind=published.kind,
        reference=published.reference,
    )
    published.refresh_from_db()
    assert published.title == "Renamed" and published.ends_on == datetime.date(2030, 8, 31)
    assert list(published.partners.all()) == [other_la]


def test_a_partner_council_cannot_change_the_arrangement(la, other_la, other_officer):
    shared = make_arrangement(la, status="open", partners=[other_la])
    with pytest.raises(NotPermitted):
        services.update_arrangement(user=other_officer, arrangement=shared, title="Taken over", starts_on=SEPT)
    shared.refresh_from_db()
    assert shared.title != "Taken over"
