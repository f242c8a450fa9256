"""Changes to the LA's strategy action plan: starting it from the strategy's ten actions, adding an action, and
keeping one up to date. Each checks everything it is given and says every problem at once, writes in one
transaction, and logs the change in the access log (audit), as every change to an LA's records is."""

import datetime

from django.db import transaction
from django.db.models import Max

from aphub.audit.services import log_access, log_access_many
from aphub.core.clock import now
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.model_fields import max_length
from aphub.core.permissions import require
from aphub.organisations.models import User
from aphub.organisations.queries import membership_of

from ..models import StrategyAction
from ..permissions import can_keep_action_plan
from .queries import strategy_actions

TITLE_LENGTH = 1000
EVIDENCE_LENGTH = 5000
TITLE = at_most(TITLE_LENGTH, "The action")
OWNER_LENGTH = max_length(StrategyAction, "owner")
OWNER = at_most(OWNER_LENGTH, "The owner")
EVIDENCE = at_most(EVIDENCE_LENGTH, "The evidence")
NOT_YOURS = "Only your LA's officers and admins keep its action plan"


def _local_authority_id(user: User) -> int:
    membership = membership_of(user)
    require(can_keep_action_plan(membership), NOT_YOURS)
    assert membership is not None and membership.local_authority_id is not None
    return membership.local_authority_id


@transaction.atomic
def start_from_strategy(*, user: User) -> list[StrategyAction]:
    """The LA's plan, empty until now, begins with the AP strategy's ten actions, in its words (seed 004 section 14):
    not started, not yet rated, due when the LA says (the strategy gives no dates)."""
    la_id = _local_authority_id(user)
    if StrategyAction.objects.select_for_update().filter(local_authority_id=la_id).exists():
        raise DomainError("Your action plan already has actions: add any others one at a time")
    made = StrategyAction.objects.bulk_create(
        StrategyAction(
            local_authority_id=la_id, number=text.number, title=text.title, due_on=text.due_on, updated_by=user
        )
        for text in strategy_actions()
    )
    log_access_many(user=user, objs=made, verb="create")
    return made


DONE_NEEDS_EVIDENCE = "Say what shows the action is done"


def done_without_evidence(status: str, evidence: str | None) -> bool:
    """A committee takes "done" on the evidence: an action is not closed without it (the form asks it too, so it is
    said with the form's other problems)."""
    return status == StrategyAction.Status.DONE and not (evidence or "").strip()


def _checked(
    problems: Problems, *, owner: str, due_on: datetime.date | None, status: str, rag: str, evidence: str
) -> dict:
    """What every action needs, whether new or changed; the problems added to `problems`."""
    checked = {"due_on": due_on, "status": status, "rag": rag}
    for field, limit, value in (("owner", OWNER, owner), ("evidence", EVIDENCE, evidence)):
        checked[field] = (value or "").strip()
        with problems.check():
            check_limit(limit, checked[field], field=field)
    if status not in StrategyAction.Status.values:
        problems.add("Choose where the action stands", field="status")
    if rag and rag not in StrategyAction.Rag.values:
        problems.add("Choose red, amber or green", field="rag")
    if done_without_evidence(status, evidence):
        problems.add(DONE_NEEDS_EVIDENCE, field="evidence")
    return checked


@transaction.atomic
def add_action(
    *,
    user: User,
    title: str,
    owner: str = "",
    due_on: datetime.date | None = None,
    status: str = StrategyAction.Status.NOT_STARTED,
    rag: str = "",
    evidence: str = "",
) -> StrategyAction:
    """An action of the LA's own, numbered after the last one."""
    la_id = _local_authority_id(user)
    problems = Problems()
    title = check_required(problems, TITLE, title, field="title", missing="Enter the action")
    checked = _checked(problems, owner=owner, due_on=due_on, status=status, rag=rag, evidence=evidence)
    problems.raise_any()
    # Locked, so two officers adding at once do not take the same number.
    last = (
        StrategyAction.objects.select_for_update()
        .filter(local_authority_id=la_id)
        .order_by()
        .aggregate(last=Max("number"))["last"]
    )
    action = StrategyAction.objects.create(
        local_authority_id=la_id, number=(last or 0) + 1, title=title, updated_by=user, **checked
    )
    log_access(user=user, obj=action, verb="create")
    return action


@transaction.atomic
def update_action(
    *,
    user: User,
    action: StrategyAction,
    owner: str,
    due_on: datetime.date | None,
    status: str,
    rag: str,
    evidence: str,
) -> StrategyAction:
    """Where an action stands now: its owner, due date, status, RAG rating and evidence, and who said so when."""
    la_id = _local_authority_id(user)
    require(action.local_authority_id == la_id, NOT_YOURS)
    problems = Problems()
    checked = _checked(problems, owner=owner, due_on=due_on, status=status, rag=rag, evidence=evidence)
    problems.raise_any()
    action = StrategyAction.objects.select_for_update().get(pk=action.pk)
    for field, value in checked.items():
        setattr(action, field, value)
    action.updated_by, action.updated_at = user, now()
    action.save()
    log_access(user=user, obj=action, verb="change")
    return action
