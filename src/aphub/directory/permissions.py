"""Who may add to the directory (decision 0021). Who acts on an existing provision, the provider or the LA, is the
provision lifecycle's question (services.actor_for); which provisions a user sees is scoping's."""

from aphub.organisations.models import PROVIDER_ROLES, Membership
from aphub.organisations.permissions import acts_as


def can_add_provision(membership: Membership | None) -> bool:
    """Provider staff add provisions for their own organisation; the LA approves them before the public sees them."""
    return acts_as(membership, PROVIDER_ROLES)
