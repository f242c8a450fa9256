"""What a person types about a top-up band, each limit written once with its message (decision 0025): the band
form's fields run them and `services` asks them again, so the page and every other caller say the same sentence."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError

from aphub.core.forms.validators import decimal_number, pounds, text_at_most

CODE_LENGTH = 10
CODE = f"Enter the band's code in letters or numbers, up to {CODE_LENGTH}, like A"
LABEL_LENGTH = 200
LABEL_TOO_LONG = f"The band's name must be {LABEL_LENGTH} characters or fewer"
ANNUAL_AMOUNT = "Enter the band's annual top-up in pounds, like 4500 or 4500.00"
ANNUAL_AMOUNT_PENCE = "Enter the band's annual top-up in pounds and pence, like 4500.00"

_CODE = re.compile(rf"[A-Z0-9]{{1,{CODE_LENGTH}}}")


def code(value: str | None) -> str:
    """A band's code in capitals (a, A and " A " are band A), letters and numbers only."""
    text = (value or "").strip().upper()
    if not _CODE.fullmatch(text):
        raise ValidationError(CODE)
    return text


def label(value: str | None) -> str:
    """What the band is for, in the LA's words (e.g. "Higher needs: 1:1 support")."""
    return text_at_most(value, limit=LABEL_LENGTH, message=LABEL_TOO_LONG)


def annual_amount(value: Decimal | int | str | None) -> Decimal:
    """The band's annual top-up in pounds and pence, from £0."""
    return pounds(decimal_number(value, message=ANNUAL_AMOUNT), message=ANNUAL_AMOUNT_PENCE)
