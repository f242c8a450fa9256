"""The one place 'now' and 'today' come from, so tests can move time (time-machine)."""

import datetime

from django.utils import timezone


def now() -> datetime.datetime:
    return timezone.now()


def today() -> datetime.date:
    return timezone.localdate()
