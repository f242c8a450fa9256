"""Reads of the logs, scoped to the reader: an LA's admins and auditors see the entries of their LA's people."""

from django.db.models import QuerySet

from .models import AccessLogEntry


def access_log_for(user, *, object_type: str = "", object_id: str = "") -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.visible_to(user)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    return entries
