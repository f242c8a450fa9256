"""Database checks that several apps' models ask in the same words."""

from django.db import models
from django.db.models import F, Q


def dates_in_order(start: str, end: str, name: str) -> models.CheckConstraint:
    """The check that an open-ended span (an arrangement, an enrolment, a placement) ends no earlier than it starts:
    the `end` date field may be empty (not ended yet, or not known), and when given is on or after `start`."""
    return models.CheckConstraint(condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(start)}), name=name)
