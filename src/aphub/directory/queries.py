"""Reads of the directory. Public readers see published provisions only; staff see what is theirs."""

from django.db.models import QuerySet

from .models import Provision


def published_provisions() -> QuerySet[Provision]:
    """What the public pages and the Open Referral UK API may show: approved, not archived."""
    return Provision.objects.filter(status=Provision.Status.PUBLISHED)
