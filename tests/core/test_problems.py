"""Problems collects what is wrong with a submission, but a refusal is not one of those problems."""

import pytest

from aphub.core.errors import DomainError, DomainErrors, InvalidTransition, NotPermitted, Problems


def test_problems_raised_inside_check_are_collected_and_raised_together():
    problems = Problems()
    problems.add("Enter the reasons", field="reasons")
    with problems.check():
        raise DomainError("The end date must be after the start date", field="end_date")
    with problems.check():
        raise InvalidTransition("This episode is already closed")
    with pytest.raises(DomainErrors) as raised:
        problems.raise_any()
    assert [(error.field, error.message) for error in raised.value.errors] == [
        ("reasons", "Enter the reasons"),
        ("end_date", "The end date must be after the start date"),
        (None, "This episode is already closed"),
    ]


def test_a_refusal_inside_check_is_raised_at_once_not_collected_as_a_form_problem():
    problems = Problems()
    problems.add("Enter the reasons", field="reasons")
    with pytest.raises(NotPermitted, match="You cannot change this arrangement"), problems.check():
        raise NotPermitted("You cannot change this arrangement")
    assert [error.message for error in problems.errors] == ["Enter the reasons"]
