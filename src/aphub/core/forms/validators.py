"""Limits on what people type, each written once with its message, asked by the form of a page and by the API.

A limit is a function that takes what was typed (or the typed value a service already holds) and returns the typed
value, or raises Django's ValidationError with the sentence a user reads. A form runs it through `LimitField`; the
API and a service run it through `check_limit`, which turns the ValidationError into a DomainError on the field, so
the API answers 400 with the same sentence as the page. The building blocks here (`whole_number`, `decimal_number`,
`pounds`, `text_at_most`) are what the limits of each app are made of; the limits themselves live beside the
service that owns them (placements.limits, for example).
"""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from aphub.core.errors import DomainError, Problems
from aphub.core.forms.fields import number_input

T = TypeVar("T")
Limit = Callable[[Any], T]

PENNY = Decimal("0.01")
# Amounts of a hundred million pounds or more are typing errors in AP: the database's money columns hold less.
POUNDS_BELOW = Decimal("100000000")


def whole_number(value: int | str | None, *, low: int, high: int, message: str) -> int:
    """`value` as a whole number from `low` to `high`; `message` for anything else (blank, "ten", "2.5", 11)."""
    if value is None or isinstance(value, bool):
        raise ValidationError(message)
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except ValueError:
        raise ValidationError(message) from None
    if not low <= number <= high:
        raise ValidationError(message)
    return number


def decimal_number(value: Decimal | int | str | None, *, message: str) -> Decimal:
    """`value` as a finite Decimal; "£1,250.00" reads as 1250.00. Floats are refused (they are not exact)."""
    if isinstance(value, bool | float) or value is None:
        raise ValidationError(message)
    try:
        number = Decimal(value.strip().replace(",", "").removeprefix("£") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(message) from None
    if not number.is_finite():
        raise ValidationError(message)
    return number


def pounds(value: Decimal | int | str | None, *, message: str, below: Decimal = POUNDS_BELOW) -> Decimal:
    """An amount of pounds and whole pence from £0 to under `below`; `message` for anything else."""
    amount = decimal_number(value, message=message)
    if amount < 0 or amount >= below or amount != amount.quantize(PENNY):
        raise ValidationError(message)
    return amount


def text_at_most(value: str | None, *, limit: int, message: str) -> str:
    """`value` without the spaces around it, when it has at most `limit` characters."""
    text = (value or "").strip()
    if len(text) > limit:
        raise ValidationError(message)
    return text


def at_most(limit: int, what: str) -> Limit[str]:
    """The limit on a text of at most `limit` characters; `what` starts its message ("The title" must be ...)."""
    return partial(text_at_most, limit=limit, message=f"{what} must be {limit:,} characters or fewer")


def check_limit(limit: Limit[T], value: Any, *, field: str) -> T:
    """`limit(value)`, with its message as a DomainError on `field`: for a service or the API."""
    try:
        return limit(value)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None


def check_required(problems: Problems, limit: Limit[str], value: str | None, *, field: str, missing: str) -> str:
    """A required text answer, stripped. A blank one adds `missing` to `problems` against `field`, a long one the
    limit's message, so a service tells them with its other problems."""
    text = (value or "").strip()
    if not text:
        problems.add(missing, field=field)
    else:
        with problems.check():
            check_limit(limit, text, field=field)
    return text


def check_limits(limits: dict[str, tuple[Limit[Any], Any]]) -> dict[str, Any]:
    """Each field's value through its limit; every broken one raised at once (the API lists them all in its 400)."""
    problems = Problems()
    checked: dict[str, Any] = {}
    for field, (limit, value) in limits.items():
        with problems.check():
            checked[field] = check_limit(limit, value, field=field)
    problems.raise_any()
    return checked


class LimitField(forms.CharField):
    """A text input whose cleaned value is what `limit` returns (an int, a Decimal...), with the limit's message.

    `required` keeps the form's own "Enter the ..." message for a blank answer, and a blank optional answer is the
    field's `empty_value` ("" unless given; None for a number). `max_length` only sizes the input (its maxlength
    attribute): the limit says what is too long, in its own words.
    """

    def __init__(self, *, limit: Limit[Any], **kwargs: Any) -> None:
        self.limit = limit
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return self.empty_value
        return self.limit(text)


class NumberLimitField(LimitField):
    """A LimitField for a number: the GOV.UK number input (core.forms.fields.number_input), `width` characters wide."""

    def __init__(self, *, limit: Limit[Any], width: int = 3, decimal: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("widget", number_input(width, decimal=decimal))
        kwargs.setdefault("empty_value", None)
        super().__init__(limit=limit, **kwargs)


def text_answer(
    label: str, *, limit: Limit[str], max_length: int, required: str = "", rows: int | None = None, **kwargs: Any
) -> LimitField:
    """A text answer whose `limit` (from `at_most`, asked by the service too) says what is too long; `max_length`
    sizes the input. With `required` (the message for an empty answer) it must be given, else it may be left empty.
    `rows` makes it a textarea of that height; the rest (help_text, initial) goes to the field."""
    if required:
        kwargs["error_messages"] = {"required": required, **kwargs.get("error_messages", {})}
    if rows is not None:
        kwargs["widget"] = forms.Textarea(attrs={"rows": rows})
    return LimitField(limit=limit, label=label, max_length=max_length, required=bool(required), **kwargs)
