"""Who may change a recharge statement or resolve double funding (decision 0021). Services insist with
`core.permissions.require`; pages ask the same functions for their buttons. Which statements a user sees is
scoping's question (RechargeStatement.objects.visible_to)."""

from aphub.organisations.models import FINANCE_EDITORS, Membership
from aphub.organisations.permissions import acts_as, is_school_staff_of

from ..models import RechargeStatement


def is_finance_editor_of(membership: Membership | None, local_authority_id: int | None) -> bool:
    """A finance officer or admin of this LA: who bills schools (FINANCE_EDITORS)."""
    return acts_as(membership, FINANCE_EDITORS) and membership.local_authority_id == local_authority_id


def can_draft_statements(membership: Membership | None) -> bool:
    """The LA's finance officers and admins draft a term's statements for their LA's schools."""
    return acts_as(membership, FINANCE_EDITORS)


def can_bill(membership: Membership | None, statement: RechargeStatement) -> bool:
    """The statement's LA's finance officers and admins issue it, re-issue it after a dispute and mark it paid."""
    return is_finance_editor_of(membership, statement.local_authority_id)


def can_dispute(membership: Membership | None, statement: RechargeStatement) -> bool:
    """The staff of the school billed dispute its statement."""
    return is_school_staff_of(membership, statement.school_id)


def can_resolve_double_funding(membership: Membership | None, local_authority_id: int) -> bool:
    """The LA's finance officers and admins decide that a school pays a top-up its LA was paying twice."""
    return is_finance_editor_of(membership, local_authority_id)
