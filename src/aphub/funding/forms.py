"""The funding page's filter. It parses and names the problem; the queries hold the rules."""

from typing import Self

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.http import QueryDict

from aphub.core.forms.fields import form_helper


class FinancialYearForm(forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, f"{year} to {year + 1}") for year in years]
        self.fields["year"].error_messages["invalid_choice"] = "Choose a financial year from the list"
        self.fields["year"].error_messages["required"] = "Choose a financial year"
        self.helper = form_helper(Field.select("year", label_size=Size.SMALL))

    @classmethod
    def from_query(cls, query: QueryDict, *, years: list[int], current: int) -> tuple[Self, int]:
        """The filter of a page that shows one year, and the year it shows: the year the query string asks for when it
        is one of the choices, else `current`. A page with no ?year= shows `current` without an error."""
        form = cls(query if "year" in query else None, years=years, initial={"year": current})
        if form.is_bound and form.is_valid():
            return form, form.cleaned_data["year"]
        return form, current
