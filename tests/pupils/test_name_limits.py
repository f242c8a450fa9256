"""Decision 0025: a pupil's names have one limit each, asked by the pupil form and by the service in the same words,
so a long name is refused however it arrives instead of failing at the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from aphub.core.errors import DomainError
from aphub.placements.pupils.forms import PupilForm
from aphub.pupils.models import Pupil
from aphub.pupils.services import record_pupil
from tests.factories import make_upn

DETAILS = {"first_name": "Fern", "last_name": "Fairley", "date_of_birth": datetime.date(2012, 5, 1), "sex": "F"}


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("first_name", "The first name must be 100 characters or fewer"),
        ("last_name", "The last name must be 100 characters or fewer"),
        ("preferred_name", "The preferred name must be 100 characters or fewer"),
    ],
)
def test_a_name_too_long_is_refused_in_the_same_words_by_the_form_and_the_service(town, field, message):
    too_long = "x" * 101
    with pytest.raises(ValidationError) as by_form:
        PupilForm.base_fields[field].clean(too_long)
    with pytest.raises(DomainError) as refused:
        record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 41), **{**DETAILS, field: too_long})
    assert by_form.value.messages == [refused.value.message] == [message]
    assert refused.value.field == field
    assert not Pupil.objects.exists()

    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 41), **{**DETAILS, field: "x" * 100})
    assert getattr(pupil, field) == "x" * 100
