"""How dates are written for people, once: the GOV.UK style guide's "3 November 2026" (no leading zero, no comma),
and with the day of the week where a person must act on that day (a register, a placement's first day)."""

import datetime


def long_date(day: datetime.date | None) -> str:
    """3 November 2026; nothing for no date."""
    return f"{day.day} {day:%B %Y}" if day else ""


def weekday_date(day: datetime.date | None) -> str:
    """Tuesday 3 November 2026; nothing for no date."""
    return f"{day:%A} {long_date(day)}" if day else ""
