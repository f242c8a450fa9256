"""The recharge pages' forms: choosing a billing term, and the reasons a dispute, its resolution and a decision that
a school pays are given with. They parse and name the problem; the services hold the rules and ask the same limits."""

import datetime

from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.core.forms import fields
from aphub.core.forms.fields import form_helper

from ..periods import Period
from . import limits


class TermForm(forms.Form):
    term = forms.TypedChoiceField(label="Billing term", coerce=datetime.date.fromisoformat)

    def __init__(self, *args, terms: list[Period], **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = {term.start: term for term in terms}
        self.fields["term"].choices = [(term.start.isoformat(), term.name) for term in terms]
        self.fields["term"].error_messages["invalid_choice"] = "Choose a billing term from the list"
        self.fields["term"].error_messages["required"] = "Choose a billing term"
        self.helper = form_helper(Field.select("term", label_size=Size.SMALL))

    def chosen_term(self, default: Period) -> Period:
        """The term asked for when it is one of the choices, else `default` (the current term)."""
        if self.is_bound and self.is_valid():
            return self.terms[self.cleaned_data["term"]]
        return default


class ReasonForm(fields.ReasonForm):
    reason = fields.reason_field(limit=limits.reason, max_length=limits.REASON_LENGTH)
