"""Writing the logs. Every read or change of a child's record calls `log_access`; a list page of children calls
`log_list_read`; sign-ins call `log_security_event`."""

from collections.abc import Iterable

from django.db import connection, models
from django.http import HttpRequest

from aphub.core.bulk import copy_rows
from aphub.core.clock import now

from .middleware import current_request_id
from .models import AccessLogEntry, SecurityEvent

PUPIL_LABEL = "pupils.Pupil"


def _actor(*, user, verb: str, path: str) -> dict:
    """The columns every row shares: who, in which role and organisation, under which LA, on which request."""
    from aphub.organisations.queries import membership_of

    if verb not in AccessLogEntry.Verb.values:
        raise ValueError(f"Unknown access log verb {verb!r}")
    membership = membership_of(user)
    la = membership.home_local_authority if membership else None
    return {
        "user_id": getattr(user, "pk", None),
        "user_email": getattr(user, "email", "") or "",
        "role": membership.role if membership else "",
        "organisation": str(membership.organisation)[:250] if membership else "",
        "local_authority_id": la.pk if la else None,
        "verb": verb,
        "request_id": current_request_id(),
        # The path may carry a query string with search words (a child's name): keep the path only.
        "path": path.split("?", 1)[0][:500],
    }


def log_access(*, user, obj: models.Model, verb: str, path: str = "") -> AccessLogEntry:
    """Record that `user` did `verb` to `obj`. Only the record's type and id are kept, never its values."""
    return AccessLogEntry.objects.create(
        object_type=obj._meta.label, object_id=str(obj.pk), **_actor(user=user, verb=verb, path=path)
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
    """`log_access` for a page of records at once (an API list, an import): one row per record, one INSERT (one COPY
    on PostgreSQL, where an import of 10,000 placements logs tens of thousands of rows)."""
    common = _actor(user=user, verb=verb, path=path)
    if connection.vendor != "postgresql":
        rows = [AccessLogEntry(object_type=obj._meta.label, object_id=str(obj.pk), **common) for obj in objs]
        AccessLogEntry.objects.bulk_create(rows)
        return len(rows)
    columns = {"at": now(), **common}  # each field's column is named as the field (AccessLogEntry)
    shared = list(columns.values())
    return copy_rows(
        AccessLogEntry,
        [*columns, "object_type", "object_id"],
        ([*shared, obj._meta.label, str(obj.pk)] for obj in objs),
    )


def pupil_id_of(record) -> int:
    """The child a row of a list is about: a pupil itself, a record with a `pupil` (placement, referral, clock,
    waiting-list entry), one under a placement (follow-up), or a child's id. Reads ids already loaded; never queries."""
    if isinstance(record, int):  # a child's id, already known (the access log's own export)
        return record
    if record._meta.label == PUPIL_LABEL:
        return record.pk
    if hasattr(record, "pupil_id"):
        return record.pupil_id
    return record.placement.pupil_id


def log_list_read(
    request: HttpRequest,
    records: Iterable[models.Model | int],
    *,
    list_name: str,
    page_number: int | None = None,
    verb: str = "view",
) -> AccessLogEntry | None:
    """Record that a list page (or an export of a list) showed these children: ONE row naming them all, one INSERT.

    `records` are the rows shown (pupils, placements, referrals, clocks...); the row keeps the ids of their children,
    once each, in the order shown. A page that shows no child names no one and writes nothing. `list_name` says which
    list in words ("Pupils list"); never put what was searched for in it (a search may be a child's name).
    """
    pupil_ids = list(dict.fromkeys(pupil_id_of(record) for record in records))
    if not pupil_ids:
        return None
    return AccessLogEntry.objects.create(
        object_type=PUPIL_LABEL,
        object_id="",
        list_name=list_name[:100],
        page_number=page_number,
        pupil_ids=f",{','.join(str(pk) for pk in pupil_ids)},",
        **_actor(user=request.user, verb=verb, path=request.path),
    )
