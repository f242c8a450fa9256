"""Recording or changing a pupil reports every problem of the details at once (GOV.UK: all errors together)."""

import datetime

import pytest

from aphub.core.errors import DomainError
from aphub.pupils.models import Pupil
from aphub.pupils.services import record_pupil, update_pupil
from tests.factories import make_upn


def messages_of(error: DomainError) -> dict[str | None, str]:
    return {each.field: each.message for each in error.errors}


def test_a_missing_name_sex_and_a_bad_upn_are_all_reported_together(town):
    with pytest.raises(DomainError) as refused:
        record_pupil(
            user=town.officer, upn="A80120001234", first_name="", last_name="Fairley", date_of_birth=None, sex="Q"
        )
    said = messages_of(refused.value)
    assert said["first_name"] == "Enter the pupil's first name"
    assert said["date_of_birth"] == "Enter the pupil's date of birth"
    assert said["sex"] == "Select the pupil's sex"
    assert "13 characters" in said["upn"]
    assert not Pupil.objects.exists()


def test_a_change_with_two_mistakes_names_both(town):
    details = {"first_name": "Fern", "last_name": "Fairley", "date_of_birth": datetime.date(2012, 5, 1), "sex": "F"}
    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 41), **details)
    with pytest.raises(DomainError) as refused:
        update_pupil(user=town.officer, pupil=pupil, upn="A80120001234", last_name="", uln="123")
    assert set(messages_of(refused.value)) == {"last_name", "uln", "upn"}
    pupil.refresh_from_db()
    assert pupil.last_name == "Fairley"
