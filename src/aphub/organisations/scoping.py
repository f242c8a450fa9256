"""The LA's side of deny-by-default scoping (aphub.core.scoping), declared once.

Most records belong to one local authority, reached by a path from the row: the row's own `local_authority_id`, or
its pupil's (`pupil__local_authority_id`), or its placement's pupil's. The LA's officers, admins and auditors all
read their own LA's rows of such a record, so a queryset names the path and the three role methods follow::

    class EnrolmentQuerySet(LocalAuthorityScopedQuerySet["Enrolment"]):
        local_authority_path = "pupil__local_authority_id"

        def for_school_staff(self, membership): ...

Deny by default still holds: a queryset that does not subclass this gives the LA's roles nothing, the roles of
schools and providers get nothing unless the queryset writes their methods, and a new role sees nothing. A queryset
whose LA roles see different rows (notifications, which auditors do not get; memberships, which admins see across
their LA's schools and providers) writes its own methods on ScopedQuerySet instead.
"""

from typing import Any, ClassVar, Self, TypeVar

from django.db import models

from aphub.core.scoping import ScopedQuerySet

_M = TypeVar("_M", bound=models.Model)


class LocalAuthorityScopedQuerySet(ScopedQuerySet[_M]):
    """Rows the LA's officers, admins and auditors see: those whose `local_authority_path` is their LA."""

    # The lookup from a row to its local authority's id, e.g. "pupil__local_authority_id". Every subclass names one.
    local_authority_path: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Fail at import rather than at the first LA user's request: a missing path must not read as "every row".
        if not getattr(cls, "local_authority_path", ""):
            raise TypeError(f"{cls.__name__} must name its local_authority_path")

    def for_la_officer(self, membership: Any) -> Self:
        return self.filter(**{self.local_authority_path: membership.local_authority_id})

    for_la_admin = for_auditor = for_la_officer
