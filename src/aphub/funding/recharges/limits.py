"""What a person types on a recharge statement, each limit written once (decision 0025): the forms' fields run them,
and the services ask them again of what they are given."""

from aphub.core.forms.validators import text_at_most

REASON_LENGTH = 2000
REASON_TOO_LONG = f"The reason must be {REASON_LENGTH:,} characters or fewer"


def reason(value: str | None) -> str:
    """Why a school disputes a statement, how the LA resolved it, or why a school pays a top-up: kept with it."""
    return text_at_most(value, limit=REASON_LENGTH, message=REASON_TOO_LONG)
