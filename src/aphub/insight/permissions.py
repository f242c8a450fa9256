"""Who may change insight's own records (decision 0021): the LA's admins load its published figures, its officers and
admins keep its strategy action plan. Which figures, actions and placements a user reads is scoping's question
(`visible_to`), not these."""

from aphub.organisations.models import LA_ADMINS, LA_EDITORS, Membership
from aphub.organisations.permissions import acts_as


def can_load_published_figures(membership: Membership | None) -> bool:
    """An LA admin loads the DfE's published figures for the LA: they set the LA's picture beside the nation's, so
    the admin who keeps the LA's settings keeps them too; officers and the auditor read them."""
    return acts_as(membership, LA_ADMINS)


def can_keep_action_plan(membership: Membership | None) -> bool:
    """The LA's officers and admins keep its strategy action plan up to date (the officers do the work the actions
    name); the auditor reads it."""
    return acts_as(membership, LA_EDITORS)


def can_load_published_series(membership: Membership | None) -> bool:
    """The LA's officers and admins load its published DfE series for the forecast dashboard: a forecast is the
    officers' working tool (they prepare the committee's papers); the auditor reads it."""
    return acts_as(membership, LA_EDITORS)
