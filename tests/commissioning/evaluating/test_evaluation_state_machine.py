"""Every move of the LA's side of the application lifecycle, allowed and forbidden (evaluation.TRANSITIONS)."""

import pytest

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Application
from aphub.core.errors import InvalidTransition

from .conftest import score_all

pytestmark = pytest.mark.django_db

Status = Application.Status
ACTIONS = ["score", "ask", "recommend-admit", "recommend-reject", "sign-off-admit", "sign-off-reject", "send-back"]
ALLOWED = {
    (Status.SUBMITTED, "score"),
    (Status.CLARIFICATION, "score"),
    (Status.SUBMITTED, "ask"),
    (Status.CLARIFICATION, "ask"),
    (Status.SUBMITTED, "recommend-admit"),
    (Status.SUBMITTED, "recommend-reject"),
    (Status.CLARIFICATION, "recommend-reject"),
    (Status.RECOMMENDED, "sign-off-admit"),
    (Status.RECOMMENDED, "sign-off-reject"),
    (Status.RECOMMENDED, "send-back"),
}
CASES = [(state, action) for state in Status.values for action in ACTIONS]


def test_the_table_is_exactly_the_allowed_moves():
    assert set(evaluation.TRANSITIONS) == ALLOWED


def _put_in(application, state, officer):
    """Put the application in `state` through the services where the state has a recommendation behind it."""
    if state == Status.RECOMMENDED:
        score_all(officer, application)
        evaluation.recommend(user=officer, application=application, outcome="admit")
    else:
        Application.objects.filter(pk=application.pk).update(status=state)
    application.refresh_from_db()


def _do(action, application, officer, second_officer):
    if action == "score":
        return score_all(officer, application)
    if action == "ask":
        return score_all(officer, application, outcome="clarification")
    if action == "recommend-admit":
        score_all(officer, application) if application.status in (Status.SUBMITTED, Status.CLARIFICATION) else None
        return evaluation.recommend(user=officer, application=application, outcome="admit")
    if action == "recommend-reject":
        return evaluation.recommend(user=officer, application=application, outcome="reject", reasons="Cover too low")
    if action in ("sign-off-admit", "sign-off-reject"):
        if application.status == Status.RECOMMENDED and action == "sign-off-reject":
            Application.objects.filter(pk=application.pk).update(recommended_outcome="reject")
            application.refresh_from_db()
        return evaluation.sign_off(user=second_officer, application=application)
    return evaluation.send_back(user=second_officer, application=application, note="Look again at insurance")


@pytest.mark.parametrize(("state", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_each_move_is_allowed_or_refused_as_the_table_says(submitted, officer, second_officer, state, action):
    _put_in(submitted, state, officer)
    if (state, action) in ALLOWED:
        _do(action, submitted, officer, second_officer)
        submitted.refresh_from_db()
        assert submitted.status == evaluation.TRANSITIONS[(state, action)]
    else:
        with pytest.raises(InvalidTransition):
            _do(action, submitted, officer, second_officer)
        submitted.refresh_from_db()
        assert submitted.status == state
