"""Limits of what people type on the duties pages, each written once with its message: the forms' fields run them
(core.forms.validators.LimitField) and the services ask them again of what they are given (`update_policy`, `add_term`
and `load_term_dates`, `add_closure`, `record_clock_met`), so a long answer is refused in the same words however it
arrives, and never cut short or left to the database."""

from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError

from aphub.core.forms.validators import Limit, at_most, pounds, whole_number
from aphub.core.model_fields import max_length

from .models import Clock, Closure, TermDates

FOLLOW_UP_WEEKS = "Enter the follow-up weeks as whole numbers from 1 to 104 separated by commas, like 6,12"
PLACE_FUNDING = "Enter the place funding in pounds, from 0 to 100000, like 10000.00"

# The policy's whole numbers: the lowest, the highest and the message for anything else (blank, "ten", "2.5", 99).
_POLICY_NUMBERS = {
    "due_soon_school_days": (
        0,
        20,
        "Enter how many school days before it is due a clock shows as due soon, from 0 to 20",
    ),
    "review_interval_weeks": (1, 26, "Enter the weeks between reviews, from 1 to 26"),
    "tier_2_planned_weeks": (1, 52, "Enter the planned length in weeks, from 1 to 52"),
    "consecutive_absence_alert": (1, 20, "Enter the number of sessions of absence in a row, from 1 to 20"),
    "unregistered_max_weeks": (1, 52, "Enter the longest placement in weeks, from 1 to 52"),
    "unregistered_max_sessions": (1, 10, "Enter the most sessions a week, from 1 to 10"),
    "publication_threshold": (1, 20, "Enter the smallest count published, from 1 to 20"),
}
POLICY_NUMBER_MESSAGES = {name: message for name, (_, _, message) in _POLICY_NUMBERS.items()}
POLICY_NUMBERS: dict[str, Limit[int]] = {
    name: partial(whole_number, low=low, high=high, message=message)
    for name, (low, high, message) in _POLICY_NUMBERS.items()
}

TERM_NAME_LENGTH = max_length(TermDates, "name")
TERM_NAME = at_most(TERM_NAME_LENGTH, "The name")
CLOSURE_REASON_LENGTH = max_length(Closure, "reason")
CLOSURE_REASON = at_most(CLOSURE_REASON_LENGTH, "The reason")
# What was decided when a duty met by a decision was recorded as met (the governing board upheld the exclusion).
DECISION_LENGTH = max_length(Clock, "met_note")
DECISION = at_most(DECISION_LENGTH, "What was decided")


def follow_up_weeks(value: str | None) -> str:
    """Weeks after a placement ends when the child is followed up, each 1 to 104 (two years): "12, 6, 6" is "6,12"."""
    weeks = [part.strip() for part in (value or "").split(",") if part.strip()]
    if not weeks or not all(part.isdigit() and 1 <= int(part) <= 104 for part in weeks):
        raise ValidationError(FOLLOW_UP_WEEKS)
    return ",".join(str(week) for week in sorted({int(part) for part in weeks}))


def place_funding_annual(value: Decimal | int | str | None) -> Decimal:
    """The LA's place funding a year (the £10,000 a place of the high-needs operational guide, or its own)."""
    return pounds(value, message=PLACE_FUNDING, below=Decimal("100000.01"))
