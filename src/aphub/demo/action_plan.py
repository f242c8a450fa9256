"""Elmbridge's strategy action plan (issue 14): the AP strategy's ten actions (seed 004 section 14), started by its
officer as an LA would from the action plan page, two of them already under way, so the plan and the committee pack
have something to show."""

import datetime

from aphub.core.clock import today
from aphub.insight.actions.services import start_from_strategy, update_action
from aphub.organisations.models import LocalAuthority, User

# (number, owner, months from today it is due, status, RAG, evidence)
PROGRESS = (
    (
        2,
        "Head of Finance (Schools)",
        4,
        "in-progress",
        "amber",
        "Paper to Schools Forum on who pays top-ups for dual-"
        "registered pupils; double funding now flagged on the funding page.",
    ),
    (5, "AP and Inclusion Manager", 7, "in-progress", "green", "Dashboards and demand forecasts in AP Hub."),
)


def build_action_plan(*, la: LocalAuthority) -> dict[str, int]:
    officer = User.objects.get(email="elmbridge.officer@example.org")
    actions = {action.number: action for action in start_from_strategy(user=officer)}
    for number, owner, months, status, rag, evidence in PROGRESS:
        due = today() + datetime.timedelta(days=30 * months)
        update_action(
            user=officer, action=actions[number], owner=owner, due_on=due, status=status, rag=rag, evidence=evidence
        )
    return {"strategy actions": len(actions)}
