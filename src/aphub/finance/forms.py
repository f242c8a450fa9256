"""The budget's pages' forms. They parse and name the problem; the limits (limits.py) and the services hold the
rules, so a form and the import say the same thing."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.core.forms.fields import TableFileForm, WholeNumberField, form_helper, table_file_field
from aphub.core.forms.validators import LimitField, NumberLimitField
from aphub.duties.models import EpisodeKind

from . import limits
from .limits import NAME_LENGTH
from .models import MoneyKind
from .services import COMMISSIONED_PLACES, cover_label

SEPARATOR = "|"


def cover_choices() -> list[tuple[str, str]]:
    """Every (kind of money, route kind) pair, as 'top-up|permanent-exclusion' with its words, and commissioned
    place funding once, on every route."""
    pairs = [
        (kind, route_kind)
        for kind in MoneyKind.values
        if kind != MoneyKind.COMMISSIONED_PLACE_FUNDING
        for route_kind in EpisodeKind.values
    ]
    return [(f"{kind}{SEPARATOR}{route_kind}", cover_label((kind, route_kind))) for kind, route_kind in pairs] + [
        (f"{COMMISSIONED_PLACES[0]}{SEPARATOR}{COMMISSIONED_PLACES[1]}", cover_label(COMMISSIONED_PLACES))
    ]


class BudgetLineForm(forms.Form):
    name = LimitField(
        label="Name of the budget line",
        limit=limits.budget_line_name,
        max_length=NAME_LENGTH,
        error_messages={"required": "Enter the budget line's name"},
    )
    order = WholeNumberField(
        label="Order on the outturn",
        help_text="Lines are shown from the lowest number.",
        min_value=0,
        max_value=999,
        initial=10,
        error_messages={
            "required": "Enter the line's order, a whole number from 0 to 999",
            "invalid": "Enter the line's order, a whole number from 0 to 999",
            "min_value": "Enter the line's order, a whole number from 0 to 999",
            "max_value": "Enter the line's order, a whole number from 0 to 999",
        },
    )
    covers = forms.MultipleChoiceField(
        label="What it covers",
        help_text="The money the local authority pays on each route. Each can be in one budget line only.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one kind of money and route the budget line covers",
            "invalid_choice": "Choose what the budget line covers from the list",
        },
    )
    amount = NumberLimitField(
        label="Budget for the year, in pounds",
        help_text="Leave empty if the line has no budget this year.",
        limit=limits.budget_amount,
        width=10,
        decimal=True,
        required=False,
    )

    def __init__(self, *args, year_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covers"].choices = cover_choices()
        self.fields["amount"].label = f"Budget for {year_label}, in pounds"
        self.helper = form_helper(
            Field.text("name", label_size=Size.SMALL),
            Field.text("order", label_size=Size.SMALL),
            Field.checkboxes("covers", legend_size=Size.SMALL, small=True),
            Field.text("amount", label_size=Size.SMALL),
        )

    def chosen_covers(self) -> list[tuple[str, str]]:
        return [tuple(value.split(SEPARATOR, 1)) for value in self.cleaned_data["covers"]]  # type: ignore[misc]


class AllocationForm(forms.Form):
    amount = NumberLimitField(
        label="High Needs Block allocation, in pounds",
        help_text="The Dedicated Schools Grant's High Needs Block for the year, after recoupment.",
        limit=limits.allocation_amount,
        width=10,
        decimal=True,
        error_messages={"required": "Enter the High Needs Block allocation"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("amount", label_size=Size.SMALL))


class BudgetUploadForm(TableFileForm):
    file = table_file_field(
        label="Upload a budget",
        help_text="A CSV file or an Excel (.xlsx) spreadsheet with the columns in its first row.",
    )
