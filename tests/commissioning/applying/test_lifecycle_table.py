"""The provider's moves of the application lifecycle: every allowed move and every forbidden one, in the table and
through the services (submit from a draft, withdraw a draft, submitted or questioned application, answer questions)."""

import datetime

import pytest

from aphub.commissioning.applications import services
from aphub.commissioning.applications.services import TRANSITIONS, Action, next_status
from aphub.commissioning.models import Application
from aphub.core.errors import InvalidTransition

from .makers import answer_everything, ask, make_application

Status = Application.Status

ALLOWED = {
    (Action.SUBMIT, Status.DRAFT): Status.SUBMITTED,
    (Action.WITHDRAW, Status.DRAFT): Status.WITHDRAWN,
    (Action.WITHDRAW, Status.SUBMITTED): Status.WITHDRAWN,
    (Action.WITHDRAW, Status.CLARIFICATION): Status.WITHDRAWN,
    (Action.ANSWER, Status.CLARIFICATION): Status.SUBMITTED,
}
EVERY_PAIR = [(action, status) for action in Action for status in Status]
FORBIDDEN = [pair for pair in EVERY_PAIR if pair not in ALLOWED]


def test_the_table_holds_exactly_the_provider_moves():
    assert TRANSITIONS == ALLOWED


@pytest.mark.parametrize(("action", "status"), list(ALLOWED), ids=lambda v: str(v))
def test_allowed_moves_lead_where_the_table_says(action, status):
    assert next_status(action, status) == ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN, ids=lambda v: str(v))
def test_every_other_move_is_an_invalid_transition_with_a_sentence(action, status):
    with pytest.raises(InvalidTransition) as caught:
        next_status(action, status)
    assert caught.value.message.startswith("You cannot ")
    assert caught.value.message.endswith(".")


def _in_status(provider, arrangement, officer, status):
    application = make_application(provider, arrangement, status=Status.DRAFT)
    answer_everything(application, expires_on=datetime.date(2027, 11, 1))
    if status == Status.CLARIFICATION:
        application.status = Status.SUBMITTED
        application.save()
        ask(application, officer, "registration")
    elif status != Status.DRAFT:
        application.status = status
        application.save()
    return application


def _do(action, staff, application):
    if action == Action.SUBMIT:
        return services.submit_application(user=staff, application=application)
    if action == Action.WITHDRAW:
        return services.withdraw_application(user=staff, application=application)
    application.clarifications.update(answer="Here it is.", answered_at=application.paused_since)
    return services.answer_clarifications(user=staff, application=application)


@pytest.mark.parametrize("status", list(Status), ids=str)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_services_make_each_move_only_from_its_status(staff, provider, arrangement, officer, action, status):
    application = _in_status(provider, arrangement, officer, status)
    if (action, status) in ALLOWED:
        moved = _do(action, staff, application)
        assert moved.status == ALLOWED[(action, status)]
        application.refresh_from_db()
        assert application.status == ALLOWED[(action, status)]
    else:
        with pytest.raises(InvalidTransition):
            _do(action, staff, application)
        application.refresh_from_db()
        assert application.status == status


def test_allowed_actions_offer_the_moves_of_the_status_to_own_staff_only(staff, other_staff, provider, arrangement):
    application = make_application(provider, arrangement, status=Status.SUBMITTED)
    assert services.allowed_actions(staff, application) == {Action.WITHDRAW}
    assert services.allowed_actions(other_staff, application) == set()
