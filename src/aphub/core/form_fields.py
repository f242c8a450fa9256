"""Form fields that validate an identifier and keep its normalised value ("b91 3qb" is stored as "B91 3QB").

The validators in `aphub.core.identifiers` can be used directly as model field validators; these fields also
replace the cleaned value with the normalised one, which a validator alone cannot do.
"""

import datetime
from collections.abc import Callable
from typing import Any

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models

from aphub.core.identifiers import validate_postcode, validate_ukprn, validate_upn, validate_urn


class NormalisedIdentifierField(forms.CharField):
    normalise: Callable[[str], str]

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        return self.normalise(text)


class UPNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_upn)


class URNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_urn)


class UKPRNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_ukprn)


class PostcodeField(NormalisedIdentifierField):
    normalise = staticmethod(validate_postcode)


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages a person can act on, named after what the date is.

    DateField(label="Date of birth", what="date of birth") says "Enter the date of birth" and "The date of birth must
    be a real date", as the GOV.UK Design System's date input guidance asks.
    """

    def __init__(self, *, what: str = "date", **kwargs):
        # Each empty part of the date gets its own message, tied to its input (GOV.UK date input pattern).
        super().__init__(require_all_fields=False, **kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"The {what} must include a day, month and year"
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.error_messages["incomplete"] = f"The {what} must include a {part}"
            field.validators = [RegexValidator(r"^\s*[0-9]{1,4}\s*$", f"The {what} must be a real date")]

    def compress(self, data_list):
        day, month, year = (str(part).strip() if part else "" for part in data_list)
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(f"The year of the {self.what} must have 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"The {self.what} must be a real date") from None


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Choose several records (checkboxes of partner councils, for example) by id, with ids checked before any query.

    Django's own field looks the chosen ids up with `pk__in`, which, unlike `pk=`, sends an id larger than the
    database's integers straight to it: OverflowError on SQLite, "bigint out of range" on PostgreSQL, a server error
    either way. An id that is not a whole number in the database's range is refused here as "not one of the choices".
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(model_field, models.IntegerField) and isinstance(value, list | tuple | set | frozenset):
            low, high = connection.ops.integer_field_range(model_field.get_internal_type())
            for chosen in value:
                try:
                    number = int(str(chosen).strip())
                except ValueError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": chosen}
                    ) from None
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": chosen}
                    )
        return super()._check_values(value)
