"""The arrangement's status moves: every allowed move, every forbidden one, and who may make them."""

import datetime
from itertools import product

import pytest
import time_machine

from aphub.commissioning.arrangements import services
from aphub.commissioning.arrangements.services import TRANSITIONS, Action
from aphub.commissioning.models import CommercialArrangement
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted

from .makers import make_arrangement

pytestmark = pytest.mark.django_db

Status = CommercialArrangement.Status
OPERATION = {
    Action.PUBLISH: services.publish_arrangement,
    Action.CLOSE: services.close_arrangement,
    Action.OPEN: services.open_arrangement,
}
ALLOWED = [
    (Action.PUBLISH, Status.DRAFT, Status.OPEN),
    (Action.CLOSE, Status.OPEN, Status.CLOSED),
    (Action.OPEN, Status.CLOSED, Status.OPEN),
]
FORBIDDEN = [(a, s) for a, s in product(Action, Status) if (a, s) not in TRANSITIONS]


def test_the_table_holds_exactly_the_three_moves():
    assert {(a, s): to for a, s, to in ALLOWED} == TRANSITIONS
    assert len(FORBIDDEN) == 6


@pytest.mark.parametrize(("action", "start", "end"), ALLOWED, ids=[f"{a}-from-{s}" for a, s, _ in ALLOWED])
def test_every_allowed_move(la, officer, action, start, end):
    arrangement = make_arrangement(la, status=start)
    moved = OPERATION[action](user=officer, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert moved.status == arrangement.status == end
    assert arrangement.published_at is not None


@pytest.mark.parametrize(("action", "start"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_every_forbidden_move_is_an_invalid_transition_and_changes_nothing(la, officer, action, start):
    arrangement = make_arrangement(la, status=start)
    before = (arrangement.status, arrangement.published_at)
    with pytest.raises(InvalidTransition) as raised:
        OPERATION[action](user=officer, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert (arrangement.status, arrangement.published_at) == before
    assert "You cannot" in raised.value.message


def test_opening_a_draft_says_to_publish_it_first(la, officer):
    arrangement = make_arrangement(la, status="draft")
    with pytest.raises(InvalidTransition, match="Publish it first"):
        services.open_arrangement(user=officer, arrangement=arrangement)


def test_publishing_records_when_and_opens_it(la, officer):
    arrangement = make_arrangement(la, status="draft")
    moment = datetime.datetime(2026, 3, 2, 10, 15, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        services.publish_arrangement(user=officer, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.published_at == moment
    assert arrangement.status == Status.OPEN


def test_closing_and_opening_again_keep_the_first_publication_date(la, officer):
    arrangement = make_arrangement(la, status="open")
    first = arrangement.published_at
    services.close_arrangement(user=officer, arrangement=arrangement)
    services.open_arrangement(user=officer, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.published_at == first


@pytest.mark.parametrize(("kind", "word"), [("dps", "lot"), ("dynamic-market", "part")])
def test_a_draft_without_lots_cannot_be_published_and_the_message_uses_the_arrangements_word(la, officer, kind, word):
    arrangement = make_arrangement(la, status="draft", kind=kind, lots=0)
    with pytest.raises(DomainError, match=f"Add at least one {word} before you publish"):
        services.publish_arrangement(user=officer, arrangement=arrangement)
    arrangement.refresh_from_db()
    assert arrangement.status == Status.DRAFT and arrangement.published_at is None


def test_an_la_admin_of_the_owner_may_move_it(la, la_admin):
    arrangement = make_arrangement(la, status="draft")
    services.publish_arrangement(user=la_admin, arrangement=arrangement)
    assert CommercialArrangement.objects.get(pk=arrangement.pk).status == Status.OPEN


@pytest.mark.parametrize("who", ["auditor", "other_officer", "partner_officer", "provider_staff", "school_staff"])
def test_only_officers_and_admins_of_the_owner_may_move_it(request, la, other_la, who):
    # A partner LA buys through the arrangement but does not run it.
    arrangement = make_arrangement(la, status="open", partners=[other_la] if who == "partner_officer" else [])
    user = request.getfixturevalue("other_officer" if who == "partner_officer" else who)
    assert services.allowed_actions(user, arrangement) == set()
    with pytest.raises(NotPermitted):
        services.close_arrangement(user=user, arrangement=arrangement)
    assert CommercialArrangement.objects.get(pk=arrangement.pk).status == Status.OPEN


@pytest.mark.parametrize(("start", "offered"), [("draft", {"publish"}), ("open", {"close"}), ("closed", {"open"})])
def test_allowed_actions_are_the_moves_from_the_current_status(la, officer, start, offered):
    arrangement = make_arrangement(la, status=start)
    assert {action.value for action in services.allowed_actions(officer, arrangement)} == offered
