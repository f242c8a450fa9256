"""Reads of the action plan, from the user's own LA's actions (`visible_to`), and of the strategy's ten actions an
LA may start from."""

import datetime
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import QuerySet

from aphub.organisations.models import User

from ..models import StrategyAction

STRATEGY_ACTIONS = Path(__file__).resolve().parent.parent / "data" / "strategy_actions.toml"


def actions_for(user: User) -> QuerySet[StrategyAction]:
    return StrategyAction.objects.visible_to(user).select_related("updated_by").order_by("number", "pk")


def action_for(user: User, pk: int) -> StrategyAction | None:
    """One of the user's LA's actions; None for another LA's or a missing one (a 404 either way)."""
    return actions_for(user).filter(pk=pk).first()


@dataclass(frozen=True)
class StrategyActionText:
    """One action of the strategy as data/strategy_actions.toml gives it."""

    number: int
    title: str
    section: str
    due_on: datetime.date | None = None


@cache
def strategy_actions() -> tuple[StrategyActionText, ...]:
    """Seed 004's ten actions, in the strategy's words and order."""
    with STRATEGY_ACTIONS.open("rb") as file:
        found = tomllib.load(file)["action"]
    return tuple(
        StrategyActionText(
            number=item["number"], title=item["title"], section=item["section"], due_on=item.get("due_on")
        )
        for item in found
    )
