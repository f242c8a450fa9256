"""Writing the logs. Every read or change of a child's record calls `log_access`; sign-ins call `log_security_event`."""

from django.db import models
from django.http import HttpRequest

from .middleware import current_request_id
from .models import AccessLogEntry, SecurityEvent


def log_access(*, user, obj: models.Model, verb: str, path: str = "") -> AccessLogEntry:
    """Record that `user` did `verb` to `obj`. Only the record's type and id are kept, never its values."""
    from aphub.organisations.queries import membership_of

    if verb not in AccessLogEntry.Verb.values:
        raise ValueError(f"Unknown access log verb {verb!r}")
    membership = membership_of(user)
    la = membership.home_local_authority if membership else None
    # The path may carry a query string with search words (a child's name): keep the path only.
    clean_path = path.split("?", 1)[0][:500]
    return AccessLogEntry.objects.create(
        user_id=getattr(user, "pk", None),
        user_email=getattr(user, "email", "") or "",
        role=membership.role if membership else "",
        organisation=str(membership.organisation)[:250] if membership else "",
        local_authority_id=la.pk if la else None,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        verb=verb,
        request_id=current_request_id(),
        path=clean_path,
    )


def log_security_event(*, kind: str, request: HttpRequest | None, user=None) -> SecurityEvent:
    """Record a sign-in, failed sign-in or sign-out. `user` is the account, when there is one; never what was typed."""
    from axes.helpers import get_client_ip_address

    ip_address = get_client_ip_address(request) if request is not None else None
    return SecurityEvent.objects.create(
        kind=kind,
        user_id=getattr(user, "pk", None),
        user_email=getattr(user, "email", "") or "",
        ip_address=ip_address or None,
        request_id=current_request_id(),
    )


def log_access_many(*, user, objs, verb: str, path: str = "") -> int:
    """`log_access` for a page of records at once (an API list): one row per record, one INSERT."""
    from aphub.organisations.queries import membership_of

    if verb not in AccessLogEntry.Verb.values:
        raise ValueError(f"Unknown access log verb {verb!r}")
    membership = membership_of(user)
    la = membership.home_local_authority if membership else None
    common = {
        "user_id": getattr(user, "pk", None),
        "user_email": getattr(user, "email", "") or "",
        "role": membership.role if membership else "",
        "organisation": str(membership.organisation)[:250] if membership else "",
        "local_authority_id": la.pk if la else None,
        "verb": verb,
        "request_id": current_request_id(),
        "path": path.split("?", 1)[0][:500],
    }
    rows = [AccessLogEntry(object_type=obj._meta.label, object_id=str(obj.pk), **common) for obj in objs]
    AccessLogEntry.objects.bulk_create(rows)
    return len(rows)
