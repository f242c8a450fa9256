"""Deny-by-default scoping: the one pattern every model of organisation-owned data follows.

How to scope a model
--------------------
Give the model a QuerySet that subclasses `ScopedQuerySet` and write one method per role that may see any of
its rows. Each method takes the user's current membership and returns the rows that role may see::

    class PupilQuerySet(ScopedQuerySet):
        def for_la_officer(self, membership):
            return self.filter(local_authority_id=membership.local_authority_id)

        for_la_admin = for_auditor = for_la_officer

        def for_school_staff(self, membership):
            return self.filter(enrolments__school_id=membership.school_id).distinct()

        # no for_provider_staff: provider staff see no pupils through this queryset

    class Pupil(models.Model):
        objects = PupilQuerySet.as_manager()

Every read then starts from `Pupil.objects.visible_to(request.user)` (queries.py, views, the API and exports).

Most records are one local authority's, and the LA's three roles read the same rows of them: such a queryset
subclasses `aphub.organisations.scoping.LocalAuthorityScopedQuerySet` and names the lookup to its LA once
(`local_authority_path = "local_authority_id"`, or `"pupil__local_authority_id"` for a pupil's records) in place of
the first three role lines above. (That class lives with the roles, in organisations, since core knows none of ours.)

What the base class guarantees
------------------------------
- The public (anonymous or None) gets `.none()`.
- A signed-in user without a membership gets `.none()`.
- A role with no `for_<role>` method gets `.none()`: a new role sees nothing until someone decides what it sees.

The role methods are named after the role's value with dashes as underscores (`la-officer` -> `for_la_officer`).

Where the membership comes from
-------------------------------
`core` imports nothing of ours (an import-linter contract), so it does not know how to find a user's membership.
The organisations app registers that function at start-up with `register_membership_resolver`; it returns the
membership chosen for the session (set by its middleware or by the API token) or None.
"""

from collections.abc import Callable
from typing import Any, Self, TypeVar

from django.db import models

_membership_resolver: Callable[[Any], Any] | None = None


def register_membership_resolver(resolver: Callable[[Any], Any]) -> None:
    """Called once by the organisations app: `resolver(user)` returns the user's current membership or None."""
    global _membership_resolver
    _membership_resolver = resolver


def membership_for(user: Any) -> Any:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if _membership_resolver is None:
        # Deny rather than guess: without the resolver nobody's role is known.
        return None
    return _membership_resolver(user)


def role_method_name(role: str) -> str:
    return "for_" + str(role).replace("-", "_")


_M = TypeVar("_M", bound=models.Model)


# Generic in its model, so a subclass written `ScopedQuerySet["Clock"]` gives Clock rows to the type checker; a bare
# `ScopedQuerySet` subclass is a queryset of Any. (QuerySet[...] is plain QuerySet at run time.)
class ScopedQuerySet(models.QuerySet[_M]):
    """A QuerySet whose `visible_to(user)` returns only the rows the user's role and organisation may see."""

    def visible_to(self, user: Any) -> Self:
        membership = membership_for(user)
        if membership is None:
            return self.none()
        method = getattr(self, role_method_name(membership.role), None)
        if method is None:
            return self.none()
        return method(membership)

    def role_sees_any(self, user: Any) -> bool:
        """Whether the user's role may see rows of this model at all. When it may not, an empty `visible_to`
        says nothing about what exists, so a page must say the records are withheld, never that there are none."""
        membership = membership_for(user)
        return membership is not None and hasattr(self, role_method_name(membership.role))
