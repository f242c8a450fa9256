"""The referral lifecycle: every allowed move gives its status; every other pair is an InvalidTransition."""

import pytest

from aphub.core.errors import InvalidTransition
from aphub.placements.models import Referral
from aphub.placements.referrals.services import TRANSITIONS, Action, next_status

S = Referral.Status

ALLOWED = {
    (Action.EDIT, S.DRAFT): S.DRAFT,
    (Action.SUBMIT, S.DRAFT): S.SUBMITTED,
    (Action.WITHDRAW, S.DRAFT): S.WITHDRAWN,
    (Action.WITHDRAW, S.SUBMITTED): S.WITHDRAWN,
    (Action.WITHDRAW, S.DEFERRED): S.WITHDRAWN,
    (Action.ATTACH, S.DRAFT): S.DRAFT,
    (Action.ATTACH, S.SUBMITTED): S.SUBMITTED,
    (Action.ATTACH, S.DEFERRED): S.DEFERRED,
    (Action.ATTACH, S.APPROVED): S.APPROVED,
    (Action.APPROVE, S.SUBMITTED): S.APPROVED,
    (Action.APPROVE, S.DEFERRED): S.APPROVED,
    (Action.DECLINE, S.SUBMITTED): S.DECLINED,
    (Action.DECLINE, S.DEFERRED): S.DECLINED,
    (Action.DEFER, S.SUBMITTED): S.DEFERRED,
    (Action.DEFER, S.DEFERRED): S.DEFERRED,
}
FORBIDDEN = [(action, status) for action in Action for status in S.values if (action, status) not in ALLOWED]


def test_the_table_is_exactly_the_documented_moves():
    assert {key: move.to for key, move in TRANSITIONS.items()} == ALLOWED


@pytest.mark.parametrize(("action", "status"), list(ALLOWED), ids=[f"{a}-{s}" for a, s in ALLOWED])
def test_an_allowed_move_gives_its_status(action, status):
    assert next_status(action, status) == ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN, ids=[f"{a}-{s}" for a, s in FORBIDDEN])
def test_a_forbidden_move_is_an_invalid_transition_with_a_sentence(action, status):
    with pytest.raises(InvalidTransition) as raised:
        next_status(action, status)
    assert raised.value.message.startswith("You cannot ")
    assert "this referral because it is" in raised.value.message


def test_nothing_leaves_a_final_state_but_documents_on_an_approved_referral():
    for final in (S.DECLINED, S.WITHDRAWN):
        assert not [action for action in Action if (action, final) in TRANSITIONS]
    assert [action for action in Action if (action, S.APPROVED) in TRANSITIONS] == [Action.ATTACH]
