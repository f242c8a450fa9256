"""What a person types about an episode or a placement offer, each limit written once with its message: the forms'
fields run them (core.forms.validators.LimitField), and the services ask them again of the typed values they are given
(core.forms.validators.check_limit), so a page, the JSON API and a service say the same sentence.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from aphub.core.forms.validators import at_most, decimal_number, pounds, text_at_most, whole_number
from aphub.core.model_fields import max_length
from aphub.directory.models import Provision
from aphub.organisations.models import Provider

from .models import Route

SUMMARY_LENGTH = 4000
SUMMARY_TOO_LONG = f"The summary must be {SUMMARY_LENGTH} characters or fewer"
REASON_LENGTH = 2000
REASON_TOO_LONG = f"The reason must be {REASON_LENGTH} characters or fewer"
PART_TIME_REASON_LENGTH = 2000
PART_TIME_REASON = at_most(PART_TIME_REASON_LENGTH, "Why part time")
EXPECTED_OUTCOMES_LENGTH = 4000
EXPECTED_OUTCOMES = at_most(EXPECTED_OUTCOMES_LENGTH, "The expected outcomes")
OVER_LIMIT_REASON_LENGTH = 2000
OVER_LIMIT_REASON = at_most(OVER_LIMIT_REASON_LENGTH, "Why go past the LA's limits")
EXIT_NOTES_LENGTH = 4000
EXIT_NOTES = at_most(EXIT_NOTES_LENGTH, "The notes")
ROUTE_NAME_LENGTH = max_length(Route, "name")
ROUTE_NAME = at_most(ROUTE_NAME_LENGTH, "The route's name")
REGISTRATION_NOTE_LENGTH = max_length(Route, "registration_note")
REGISTRATION_NOTE = at_most(REGISTRATION_NOTE_LENGTH, "The registration note")
# The names an LA gives a provider a school recorded and its provision (school_arranged.rename_recorded_provider).
PROVIDER_NAME_LENGTH = max_length(Provider, "legal_name")
PROVIDER_NAME = at_most(PROVIDER_NAME_LENGTH, "The provider's name")
PROVISION_NAME_LENGTH = max_length(Provision, "name")
PROVISION_NAME = at_most(PROVISION_NAME_LENGTH, "The provision's name")
SESSIONS_A_WEEK = "Enter the sessions a week as a whole number from 1 to 10"  # a morning or an afternoon each
HOURS_A_WEEK = "Enter the hours a week, like 25 or 12.5"
HOURS_A_WEEK_RANGE = "Enter the hours a week between 0.5 and 40, to one decimal place"
ANNUAL_COST = "Enter the annual cost in pounds, like 18000 or 18000.00"
ANNUAL_COST_PENCE = "Enter the annual cost in pounds and pence, like 18000.00"
TOP_UP_AMOUNT = "Enter the exception's annual top-up in pounds, like 7200 or 7200.00"
TOP_UP_AMOUNT_PENCE = "Enter the exception's annual top-up in pounds and pence, like 7200.00"


def sessions_per_week(value: int | str | None) -> int:
    """A morning or an afternoon is one session: full time is 10."""
    return whole_number(value, low=1, high=10, message=SESSIONS_A_WEEK)


def hours_per_week(value: Decimal | int | str | None) -> Decimal:
    """Half an hour to 40 hours, to a tenth of an hour (the placement's column keeps one decimal place)."""
    hours = decimal_number(value, message=HOURS_A_WEEK)
    if not Decimal("0.5") <= hours <= 40 or hours != hours.quantize(Decimal("0.1")):
        raise ValidationError(HOURS_A_WEEK_RANGE)
    return hours


def annual_cost(value: Decimal | int | str | None) -> Decimal:
    """The annual cost of the place in pounds and pence, from £0."""
    return pounds(decimal_number(value, message=ANNUAL_COST), message=ANNUAL_COST_PENCE)


def top_up_amount(value: Decimal | int | str | None) -> Decimal:
    """An exception to the LA's top-up bands: the annual top-up agreed instead, in pounds and pence, from £0."""
    return pounds(decimal_number(value, message=TOP_UP_AMOUNT), message=TOP_UP_AMOUNT_PENCE)


def summary(value: str | None) -> str:
    """An episode's summary, without the spaces around it."""
    return text_at_most(value, limit=SUMMARY_LENGTH, message=SUMMARY_TOO_LONG)


def reason(value: str | None) -> str:
    """Why an episode or a placement is changed, kept in the child's history."""
    return text_at_most(value, limit=REASON_LENGTH, message=REASON_TOO_LONG)
