"""Who may change the budget (decision 0021): the LA's admins and its finance officers (FINANCE_EDITORS) set the
budget lines, their amounts and the year's High Needs Block allocation. Who reads them is scoping's question."""

from aphub.organisations.models import FINANCE_EDITORS, Membership
from aphub.organisations.permissions import acts_as


def can_set_budget(membership: Membership | None) -> bool:
    """The LA's admins and finance officers set its budget: officers and the auditor read it."""
    return acts_as(membership, FINANCE_EDITORS)
