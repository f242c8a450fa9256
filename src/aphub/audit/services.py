"""Writing the access log. Every read or change of a child's record calls `log_access`."""

from django.db import models

from .middleware import current_request_id
from .models import AccessLogEntry


def log_access(*, user, obj: models.Model, verb: str, path: str = "") -> AccessLogEntry:
    from aphub.organisations.queries import membership_of

    membership = membership_of(user)
    return AccessLogEntry.objects.create(
        user_id=getattr(user, "pk", None),
        user_email=getattr(user, "email", "") or "",
        role=membership.role if membership else "",
        organisation=str(membership.organisation) if membership else "",
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        verb=verb,
        request_id=current_request_id(),
        path=path[:500],
    )
