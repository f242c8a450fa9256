"""Form fields that validate an identifier and keep its normalised value ("b91 3qb" is stored as "B91 3QB").

The validators in `aphub.core.identifiers` can be used directly as model field validators; these fields also
replace the cleaned value with the normalised one, which a validator alone cannot do.
"""

from collections.abc import Callable
from typing import Any

from django import forms

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
