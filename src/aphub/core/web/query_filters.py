"""The filters of a list page, applied to a queryset."""

import operator
from collections.abc import Sequence
from functools import reduce
from typing import Any, TypeVar

from django.db.models import Q, QuerySet

Rows = TypeVar("Rows", bound=QuerySet[Any])


def filter_given(queryset: Rows, **lookups: Any) -> Rows:
    """The queryset narrowed by each lookup whose value was given: a filter left empty ("" or None) keeps every row."""
    given = {lookup: value for lookup, value in lookups.items() if value}
    return queryset.filter(**given) if given else queryset


def each_word_matches(words: str, lookups: Sequence[str], *, most: int) -> Q:
    """The condition of a search box: every word matches at least one of `lookups` (`"name__icontains"`,
    `"upn__iexact"`). Only the first `most` words count, so a long search stays one bounded query; no words is `Q()`,
    which every row meets."""
    condition = Q()
    for word in words.split()[:most]:
        condition &= reduce(operator.or_, (Q(**{lookup: word}) for lookup in lookups))
    return condition
