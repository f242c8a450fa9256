"""The application lifecycle is one table: the provider's and the LA's services each make their own moves, no more."""

from aphub.commissioning.applications import services as applications
from aphub.commissioning.applications.lifecycle import APPLICATION, LA_SIDE, PROVIDER_SIDE
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Application


def test_every_move_is_made_by_one_side_and_the_sides_share_no_action():
    provider = {action for (_, action), move in APPLICATION.moves.items() if move.actors == PROVIDER_SIDE}
    la = {action for (_, action), move in APPLICATION.moves.items() if move.actors == LA_SIDE}
    assert not provider & la
    assert provider | la == set(APPLICATION.actions)
    assert provider == set(applications.Action)


def test_each_sides_services_offer_only_that_sides_moves():
    for status in Application.Status:
        application = Application(status=status)
        assert evaluation.allowed_actions(application) == APPLICATION.allowed(status, LA_SIDE)
        assert APPLICATION.allowed(status, PROVIDER_SIDE) <= set(applications.Action)


def test_decided_and_withdrawn_applications_never_move_again():
    finished = {Application.Status.ADMITTED, Application.Status.REJECTED, Application.Status.WITHDRAWN}
    assert not [key for key in APPLICATION.moves if key[0] in finished]
