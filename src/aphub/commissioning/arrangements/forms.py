"""Forms of the arrangement pages. They parse and give GOV.UK error messages; arrangements.py holds the rules."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from aphub.commissioning.arrangements.criteria import criteria_set
from aphub.commissioning.arrangements.services import (
    DESCRIPTION,
    LOT_TITLE,
    REFERENCE_LENGTH,
    TITLE,
    UNREGISTERED_ONLY,
    reference_limit,
)
from aphub.commissioning.models import ArrangementKind
from aphub.core.forms.fields import DateField, RecordsChoiceField, dates_in_order, form_helper
from aphub.core.forms.validators import LimitField

KIND_HINTS = {
    ArrangementKind.DYNAMIC_MARKET: "For procurements started since 24 February 2025 (Procurement Act 2023). "
    "It has parts.",
    ArrangementKind.DPS: "Set up before 24 February 2025 under the Public Contracts Regulations 2015. It has lots.",
    ArrangementKind.OPEN_FRAMEWORK: "A framework that reopens to new suppliers at set points. It has lots.",
    ArrangementKind.APPROVED_LIST: "The council's own list of approved providers. It has lots.",
}


class ArrangementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of arrangement",
        choices=ArrangementKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the type of arrangement",
            "invalid_choice": "Choose the type of arrangement",
        },
    )
    title = LimitField(
        limit=TITLE,
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the title"},
        help_text="For example, Alternative provision dynamic purchasing system",
    )
    reference = LimitField(
        limit=reference_limit,
        label="Reference",
        max_length=REFERENCE_LENGTH,
        error_messages={"required": "Enter a reference, like elmbridge-ap-dps-2025"},
        help_text="Lower case letters, numbers and hyphens, like elmbridge-ap-dps-2025. It is part of the public "
        "web address and the open contracting identifier, so it cannot change once published.",
    )
    description = LimitField(
        limit=DESCRIPTION,
        label="Description (optional)",
        required=False,
        max_length=5000,
        help_text="What the council buys through it and how placements are made. Providers read this.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    starts_on = DateField(what="start date", label="Start date", help_text="For example, 1 9 2025")
    ends_on = DateField(
        what="end date", label="End date (optional)", required=False, help_text="For example, 31 8 2029"
    )
    partners = RecordsChoiceField(
        label="Partner councils (optional)",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Councils that also buy through this arrangement. Their officers can see it but not change it.",
        error_messages={
            "invalid_choice": "Choose partner councils from the list",
            "invalid_pk_value": "Choose partner councils from the list",
        },
    )

    def __init__(self, *args, partner_choices, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices
        self.published = published
        fields = [
            Field.radios("kind", legend_size=Size.SMALL, small=True),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.text("reference", field_width=Fluid.TWO_THIRDS),
        ]
        if published:
            # Fixed once public: the word lot or part and the ocid follow them.
            del self.fields["kind"]
            del self.fields["reference"]
            fields = [Field.text("title", field_width=Fluid.TWO_THIRDS)]
        else:
            self.fields["kind"].choices = [
                Choice(value, label, hint=KIND_HINTS[ArrangementKind(value)])
                for value, label in ArrangementKind.choices
            ]
        self.helper = form_helper(
            *fields,
            Field.textarea("description", rows=5),
            Field("starts_on"),
            Field("ends_on"),
            Field.checkboxes("partners", legend_size=Size.SMALL, small=True),
        )

    def clean(self):
        cleaned = super().clean()
        dates_in_order(self, "starts_on", "ends_on", "The end date must be the same as or after the start date")
        return cleaned

    def values(self) -> dict:
        return dict(self.cleaned_data)


class LotForm(forms.Form):
    title = LimitField(limit=LOT_TITLE, label="Title", max_length=200)
    description = LimitField(
        limit=DESCRIPTION,
        label="Description (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    criteria = forms.MultipleChoiceField(label="Criteria", widget=forms.CheckboxSelectMultiple)
    for_unregistered = forms.BooleanField(label="Open to unregistered providers", required=False)

    def __init__(self, *args, criteria_version: str, word: str, **kwargs):
        super().__init__(*args, **kwargs)
        version = criteria_set(criteria_version)
        self.fields["criteria"].choices = [
            Choice(criterion.code, criterion.title, hint="Evidence: " + "; ".join(criterion.evidence))
            for criterion in version.criteria
            if criterion.applies_to != UNREGISTERED_ONLY
        ]
        national = [c.title for c in version.criteria if c.applies_to == UNREGISTERED_ONLY]
        self.fields["title"].help_text = (
            "For example, Face to face full time" if word == "lot" else "For example, Full-time alternative provision"
        )
        self.fields["title"].error_messages["required"] = f"Enter the title of the {word}"
        self.fields["criteria"].label = f"What the {word} asks providers for"
        self.fields[
            "criteria"
        ].help_text = "Select all that apply. Providers see each one's guidance before they apply."
        self.fields["criteria"].error_messages.update(
            {
                "required": f"Choose at least one criterion the {word} asks for",
                "invalid_choice": "Choose criteria from the list",
            }
        )
        self.fields["for_unregistered"].help_text = (
            f"Unregistered providers may apply to this {word}. It then also asks for "
            + (" and ".join(national) if national else "the national standards for unregistered AP")
            + "."
        )
        self.helper = form_helper(
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description", rows=4),
            Field.checkboxes("criteria", legend_size=Size.SMALL, small=True),
            Field.checkbox("for_unregistered", small=True),
        )
