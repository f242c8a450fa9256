"""Decision 0025: an arrangement's and a lot's title, reference and description have one limit each
(commissioning.arrangements.services), so the page and the service refuse a long one in the same words."""

import pytest

from aphub.commissioning.arrangements import services
from aphub.commissioning.arrangements.forms import ArrangementForm, LotForm
from aphub.commissioning.models import CommercialArrangement, Lot
from aphub.core.errors import DomainError
from aphub.organisations.models import LocalAuthority

from .makers import make_arrangement
from .test_setting_up_arrangements import create

pytestmark = pytest.mark.django_db

# What the page posts for a good arrangement; the service is asked through the tests' own `create`.
PAGE = {"kind": "dps", "title": "Alternative provision purchasing system", "reference": "elmbridge-ap-dps-2025"}
STARTS_ON = {"starts_on_0": "1", "starts_on_1": "9", "starts_on_2": "2025"}


def page_says(field: str, value: str) -> list[str]:
    form = ArrangementForm(data={**PAGE, **STARTS_ON, field: value}, partner_choices=LocalAuthority.objects.none())
    return form.errors[field]


def service_says(officer, field: str, value: str) -> str:
    with pytest.raises(DomainError) as refused:
        create(officer, **{field: value})
    assert refused.value.field == field
    return refused.value.message


@pytest.mark.parametrize(
    ("field", "too_long", "message"),
    [
        ("title", "x" * 201, "The title must be 200 characters or fewer"),
        ("reference", "x" * 61, "The reference must be 60 characters or fewer"),
        ("description", "x" * 5001, "The description must be 5,000 characters or fewer"),
        ("reference", "Elmbridge AP 2025!", "The reference must use only lower case letters, numbers and hyphens"),
        ("reference", "Manage", "The reference cannot be 'manage'. Choose another."),
    ],
)
def test_the_page_and_the_service_refuse_an_arrangements_text_in_the_same_words(officer, field, too_long, message):
    said_by_page = page_says(field, too_long)
    assert said_by_page == [service_says(officer, field, too_long)]
    assert said_by_page[0].startswith(message)
    assert not CommercialArrangement.objects.exists()


def test_the_longest_text_the_limits_allow_is_kept_and_the_reference_in_lower_case(officer):
    form = ArrangementForm(
        data={**PAGE, **STARTS_ON, "title": "x" * 200, "reference": " Elmbridge-" + "a" * 50}
        | {"description": "d" * 5000},
        partner_choices=LocalAuthority.objects.none(),
    )
    assert form.is_valid(), form.errors
    made = services.create_arrangement(user=officer, **form.values())
    assert (len(made.title), made.reference, len(made.description)) == (200, "elmbridge-" + "a" * 50, 5000)


@pytest.mark.parametrize(
    ("field", "too_long", "message"),
    [
        ("title", "x" * 201, "The title must be 200 characters or fewer"),
        ("description", "x" * 5001, "The description must be 5,000 characters or fewer"),
    ],
)
def test_the_page_and_the_service_refuse_a_lots_text_in_the_same_words(la, officer, field, too_long, message):
    arrangement = make_arrangement(la, status="draft", lots=0)
    values = {"title": "Face to face full time", "criteria": ["registration"], field: too_long}
    form = LotForm(data=values, criteria_version=arrangement.criteria_version, word=arrangement.lot_word)
    with pytest.raises(DomainError) as refused:
        services.add_lot(user=officer, arrangement=arrangement, **values)
    assert form.errors[field] == [refused.value.message] == [message]
    assert not Lot.objects.exists()


def test_the_forms_ask_the_services_limits():
    fields = ArrangementForm.base_fields
    assert (fields["title"].limit, fields["reference"].limit, fields["description"].limit) == (
        services.TITLE,
        services.reference_limit,
        services.DESCRIPTION,
    )
    assert (LotForm.base_fields["title"].limit, LotForm.base_fields["description"].limit) == (
        services.LOT_TITLE,
        services.DESCRIPTION,
    )
