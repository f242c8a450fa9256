"""The calendar, the LA policy and a duty recorded as met each say every problem of a submission at once."""

import datetime as dt

import pytest
import time_machine

from aphub.core.errors import DomainErrors
from aphub.duties import services
from aphub.duties.models import Clock
from aphub.organisations.models import Role
from tests.factories import member

D = dt.date
pytestmark = pytest.mark.django_db


def fields_of(refused) -> set[str | None]:
    return {each.field for each in refused.value.errors}


def test_a_term_with_no_name_and_its_days_reversed_is_told_both(la):
    admin = member(Role.LA_ADMIN, la)
    with pytest.raises(DomainErrors) as refused:
        services.add_term(user=admin, local_authority=la, name=" ", first_day=D(2029, 1, 8), last_day=D(2029, 1, 1))
    assert fields_of(refused) == {"name", "last_day"}


def test_a_policy_with_bad_follow_up_weeks_and_negative_funding_is_told_both(la):
    admin = member(Role.LA_ADMIN, la)
    with pytest.raises(DomainErrors) as refused:
        services.update_policy(
            user=admin, local_authority=la, values={"follow_up_weeks": "6,x", "place_funding_annual": "-1"}
        )
    assert fields_of(refused) == {"follow_up_weeks", "place_funding_annual"}


def test_a_duty_met_with_no_note_and_a_future_date_is_told_both(la, governing_board_review):
    board = governing_board_review
    with time_machine.travel(D(2026, 11, 20)), pytest.raises(DomainErrors) as refused:
        services.record_clock_met(user=member(Role.LA_ADMIN, la), clock=board, on=D(2026, 12, 25), note=" ")
    assert fields_of(refused) == {"note", "met_on"}
    board.refresh_from_db()
    assert board.state != Clock.State.MET
