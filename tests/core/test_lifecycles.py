"""Every lifecycle of the app, walked move by move: generated from the registry in aphub.core.lifecycle, so a new
lifecycle is tested by being defined.

For each registered lifecycle, every state of its model's TextChoices, every action and every set of parties:
an allowed move is allowed by `check` and listed by `allowed`; a pair that is not in the table is an
InvalidTransition; a party that is not among a move's actors is NotPermitted.
"""

import importlib
import itertools
from pathlib import Path

import pytest

import aphub
from aphub.core.errors import InvalidTransition, NotPermitted
from aphub.core.lifecycle import REGISTRY, Lifecycle

SOURCE = Path(aphub.__file__).resolve().parent
# The lifecycles the app has today: a module that stops registering one fails here rather than going untested.
KNOWN = {"admission", "application", "arrangement", "placement", "provision", "referral"}


def _import_every_module_defining_a_lifecycle() -> dict[str, Lifecycle]:
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts or (path.name == "lifecycle.py" and path.parent.name == "core"):
            continue
        if "Lifecycle(" in path.read_text(encoding="utf-8"):
            module = ".".join(("aphub", *path.relative_to(SOURCE).with_suffix("").parts)).removesuffix(".__init__")
            importlib.import_module(module)
    return dict(REGISTRY)


LIFECYCLES = _import_every_module_defining_a_lifecycle()


def _party_sets(lifecycle: Lifecycle) -> list[frozenset[str]]:
    """Every set of the lifecycle's parties, from nobody (an outsider) to all of them together."""
    parties = sorted(lifecycle.parties)
    return [frozenset(chosen) for size in range(len(parties) + 1) for chosen in itertools.combinations(parties, size)]


def _cases():
    for lifecycle in LIFECYCLES.values():
        for state, action, parties in itertools.product(
            lifecycle.choices.values, lifecycle.actions, _party_sets(lifecycle)
        ):
            yield pytest.param(
                lifecycle,
                state,
                action,
                parties,
                id=f"{lifecycle.name}:{state}:{action}:{'+'.join(sorted(parties)) or 'nobody'}",
            )


def test_every_known_lifecycle_is_registered():
    assert set(LIFECYCLES) >= KNOWN


@pytest.mark.parametrize("lifecycle", LIFECYCLES.values(), ids=lambda lifecycle: lifecycle.name)
def test_every_state_and_every_destination_is_one_of_the_models_choices(lifecycle):
    values = set(lifecycle.choices.values)
    assert {state for state, _ in lifecycle.moves} <= values
    assert {move.to for move in lifecycle.moves.values()} <= values
    assert lifecycle.states <= values
    assert all(move.actors for move in lifecycle.moves.values()), "every move is made by somebody"


@pytest.mark.parametrize(("lifecycle", "state", "action", "parties"), list(_cases()))
def test_every_move_is_allowed_to_its_actors_and_refused_to_everyone_else(lifecycle, state, action, parties):
    move = lifecycle.moves.get((state, action))
    if move is not None and move.actors & parties:
        assert lifecycle.check(state, action, parties) == move
        assert action in lifecycle.allowed(state, parties)
        return
    assert action not in lifecycle.allowed(state, parties)
    refused_outright = lifecycle.refuse_before_state and not lifecycle.makes(action, parties)
    expected = InvalidTransition if move is None and not refused_outright else NotPermitted
    with pytest.raises(expected) as raised:
        lifecycle.check(state, action, parties)
    assert type(raised.value) is expected
    assert raised.value.message.strip(), "a sentence the user reads"


@pytest.mark.parametrize("lifecycle", LIFECYCLES.values(), ids=lambda lifecycle: lifecycle.name)
def test_a_party_not_among_a_moves_actors_is_not_permitted_to_make_it(lifecycle):
    for (state, action), move in lifecycle.moves.items():
        for party in lifecycle.parties - move.actors:
            with pytest.raises(NotPermitted):
                lifecycle.check(state, action, {party})
        with pytest.raises(NotPermitted):
            lifecycle.check(state, action, set())


def test_a_lifecycle_name_is_registered_once():
    existing = next(iter(LIFECYCLES.values()))
    with pytest.raises(ValueError, match="already registered"):
        Lifecycle(existing.name, {}, choices=existing.choices, invalid=existing.invalid, refused=existing.refused)
