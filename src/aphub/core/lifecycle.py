"""One shape for every lifecycle of the domain: a table of moves, who makes each, and the two ways a move is refused.

A lifecycle is a table `{(state, action): Move(to, actors)}`. A pair that is not in the table is an
`InvalidTransition` for everyone (the sentence says why, from the state the object is in); a pair that is in it but
that none of the user's parties may make is `NotPermitted` (a 403). The app that owns the object keeps only its
domain part: who the user is for that object (`parties_of(user, placement)`: "provider", "commissioner", "la"...),
its words for the two refusals, and any rule that looks at more than the state (a pending change to approve).

Every lifecycle registers itself in `REGISTRY` under its name, so one generated test (tests/core/test_lifecycles.py)
walks every (state, action, party) of every table, and checks each state against the model's `TextChoices`.
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db.models import TextChoices

from .errors import InvalidTransition, NotPermitted

S = TypeVar("S", bound=str)  # a state: a value of the model's TextChoices
A = TypeVar("A", bound=str)  # an action, as the pages and services name it


@dataclass(frozen=True)
class Move(Generic[S]):
    """Where a move leads, and the parties any one of whom may make it."""

    to: S
    actors: frozenset[str]


@dataclass(frozen=True)
class Words:
    """The two refusals in the words most lifecycles use:
    "You cannot {action} this {noun} because it is {state}." and "You do not have permission to {action} this {noun}."

    `actions` says an action after "You cannot" where the action's own name does not read well ("add documents to");
    `states` says a state after "because it is" ("waiting for the panel").
    """

    noun: str
    states: Mapping[str, str]
    actions: Mapping[str, str] = field(default_factory=dict)

    def invalid(self, state: str, action: str) -> str:
        return f"You cannot {self._action(action)} this {self.noun} because it is {self.states.get(state, state)}."

    def refused(self, state: str, action: str) -> str:
        return f"You do not have permission to {self._action(action)} this {self.noun}."

    def _action(self, action: str) -> str:
        return self.actions.get(action, action)


def from_each(states: Iterable[S], action: A, to: S | None, actors: frozenset[str]) -> dict[tuple[S, A], Move[S]]:
    """The same move from each of `states`, as rows of a table; `to=None` leaves the state as it was."""
    return {(state, action): Move(state if to is None else to, actors) for state in states}


REGISTRY: dict[str, "Lifecycle"] = {}


class Lifecycle(Generic[S, A]):
    """The moves of one kind of object between the states of its `choices` (the model's status TextChoices).

    `invalid(state, action)` and `refused(state, action)` give the sentences of the two refusals. With
    `refuse_before_state`, a user none of whose parties ever makes the action (in any state) is refused before the
    state is looked at, so the refusal tells an outsider nothing about where the object is. `field` names the form
    field an InvalidTransition is shown against, where a page wants it there.
    """

    def __init__(
        self,
        name: str,
        moves: Mapping[tuple[S, A], Move[S]],
        *,
        choices: type[TextChoices],
        invalid: Callable[[S, A], str],
        refused: Callable[[S, A], str],
        refuse_before_state: bool = False,
        field: str | None = None,
    ) -> None:
        if name in REGISTRY:
            raise ValueError(f"A lifecycle named {name!r} is already registered")
        self.name = name
        self.moves: dict[tuple[S, A], Move[S]] = dict(moves)
        self.choices = choices
        self.invalid = invalid
        self.refused = refused
        self.refuse_before_state = refuse_before_state
        self.field = field
        # In the table's order, so pages that list moves list them as the table does.
        self.actions: tuple[A, ...] = tuple(dict.fromkeys(action for _, action in self.moves))
        self.states: frozenset[S] = frozenset(
            {state for state, _ in self.moves} | {move.to for move in self.moves.values()}
        )
        self.parties: frozenset[str] = frozenset().union(*(move.actors for move in self.moves.values()))
        REGISTRY[name] = self

    def __repr__(self) -> str:
        return f"<Lifecycle {self.name}>"

    def allowed(self, state: str, parties: Collection[str]) -> set[A]:
        """The actions any of `parties` may take from `state` (what the pages offer as buttons)."""
        return {
            action
            for (from_state, action), move in self.moves.items()
            if from_state == state and not move.actors.isdisjoint(parties)
        }

    def makes(self, action: str, parties: Collection[str]) -> bool:
        """Whether any of `parties` makes `action` from some state."""
        return any(a == action and not move.actors.isdisjoint(parties) for (_, a), move in self.moves.items())

    def check(self, state: S, action: A, parties: Collection[str]) -> Move[S]:
        """The move `action` makes from `state`, or InvalidTransition (no such move) or NotPermitted (not theirs)."""
        if self.refuse_before_state and action in self.actions and not self.makes(action, parties):
            raise NotPermitted(self.refused(state, action))
        move = self.moves.get((state, action))
        if move is None:
            raise InvalidTransition(self.invalid(state, action), field=self.field)
        if move.actors.isdisjoint(parties):
            raise NotPermitted(self.refused(state, action))
        return move
