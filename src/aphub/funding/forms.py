"""The funding page's filter. It parses and names the problem; the queries hold the rules."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.core.forms.fields import form_helper


class FinancialYearForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year} to {year + 1}") for year in years]
        self.fields["year"].error_messages["invalid_choice"] = "Choose a financial year from the list"
        self.fields["year"].error_messages["required"] = "Choose a financial year"
        self.helper = form_helper(Field.select("year", label_size=Size.SMALL))

    def chosen_year(self, default: int) -> int:
        """The year asked for when it is one of the choices, else `default` (the current financial year)."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["year"]
        return default
