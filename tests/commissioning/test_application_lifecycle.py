"""The application lifecycle is one table: the provider's and the LA's services each use their side of it, no more."""

from aphub.commissioning.applications import services as applications
from aphub.commissioning.applications.lifecycle import MOVES
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Application


def test_both_sides_together_are_exactly_the_one_table():
    provider = {(str(status), str(action)): str(to) for (action, status), to in applications.TRANSITIONS.items()}
    la = {(str(status), str(action)): str(to) for (status, action), to in evaluation.TRANSITIONS.items()}
    assert not set(provider) & set(la)
    assert {**provider, **la} == {key: to for key, (to, _who) in MOVES.items()}


def test_decided_and_withdrawn_applications_never_move_again():
    finished = {Application.Status.ADMITTED, Application.Status.REJECTED, Application.Status.WITHDRAWN}
    assert not [key for key in MOVES if key[0] in finished]
