"""Numbers of the LA's policy that are not single whole numbers, each limit written once with its message: the policy
form's fields run them (core.forms.validators.LimitField) and `update_policy` asks them again of what it is given."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from aphub.core.forms.validators import pounds

FOLLOW_UP_WEEKS = "Enter the follow-up weeks as whole numbers from 1 to 104 separated by commas, like 6,12"
PLACE_FUNDING = "Enter the place funding in pounds, from 0 to 100000, like 10000.00"


def follow_up_weeks(value: str | None) -> str:
    """Weeks after a placement ends when the child is followed up, each 1 to 104 (two years): "12, 6, 6" is "6,12"."""
    weeks = [part.strip() for part in (value or "").split(",") if part.strip()]
    if not weeks or not all(part.isdigit() and 1 <= int(part) <= 104 for part in weeks):
        raise ValidationError(FOLLOW_UP_WEEKS)
    return ",".join(str(week) for week in sorted({int(part) for part in weeks}))


def place_funding_annual(value: Decimal | int | str | None) -> Decimal:
    """The LA's place funding a year (the £10,000 a place of the high-needs operational guide, or its own)."""
    return pounds(value, message=PLACE_FUNDING, below=Decimal("100000.01"))
