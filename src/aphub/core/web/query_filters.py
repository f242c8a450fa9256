"""The filters of a list page, applied to a queryset."""

from typing import Any, TypeVar

from django.db.models import QuerySet

Rows = TypeVar("Rows", bound=QuerySet[Any])


def filter_given(queryset: Rows, **lookups: Any) -> Rows:
    """The queryset narrowed by each lookup whose value was given: a filter left empty ("" or None) keeps every row."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset
