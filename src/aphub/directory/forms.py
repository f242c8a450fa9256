"""Forms of the directory pages. They parse and give GOV.UK error messages; the services hold the rules."""

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Size
from django import forms
from django.core.exceptions import ValidationError

from aphub.core.forms.fields import form_helper, number_input
from aphub.core.forms.formsets import RowsFormSet
from aphub.core.forms.validators import LimitField, NumberLimitField

from .geocoding import normalise_postcode
from .models import CostOption, Provision, Term, Vocabulary
from .queries import Sort
from .services import COST_LABEL, PROVISION_LIMITS, REJECT_REASON, REJECT_REASON_LENGTH, cost_amount

POSTCODE_ERROR = "Enter a real postcode, like B91 3QB"
DISTANCE_CHOICES = [(1, "1 mile"), (3, "3 miles"), (5, "5 miles"), (10, "10 miles"), (25, "25 miles")]
DEFAULT_DISTANCE = 10

# Form field name -> the vocabulary whose terms it offers.
TERM_FIELDS: dict[str, str] = {
    "tier": Vocabulary.TIER,
    "key_stage": Vocabulary.KEY_STAGE,
    "need": Vocabulary.NEED,
    "delivery_mode": Vocabulary.DELIVERY_MODE,
}


def _term_choices(terms: dict[str, list[Term]], vocabulary: str) -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in terms.get(vocabulary, [])]


class PostcodeMixin:
    """A form's optional `postcode`, kept in its normal form ("b913qb" is "B91 3QB")."""

    cleaned_data: dict

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(POSTCODE_ERROR)
        return normalised


class SearchForm(PostcodeMixin, forms.Form):
    """The public search's filters. The page draws them by hand (directory/_search_filters.html), in crispy-forms-gds's
    markup, as crispy drew them in a quarter of an uncached search's time; so it has no crispy helper."""

    words = forms.CharField(label="Search", required=False, max_length=200)
    local_authority = forms.TypedChoiceField(label="Local authority", coerce=int, required=False, empty_value=None)
    tier = forms.MultipleChoiceField(label="Tier", required=False, widget=forms.CheckboxSelectMultiple)
    key_stage = forms.MultipleChoiceField(label="Key stage", required=False, widget=forms.CheckboxSelectMultiple)
    need = forms.MultipleChoiceField(label="Needs supported", required=False, widget=forms.CheckboxSelectMultiple)
    delivery_mode = forms.MultipleChoiceField(
        label="How it is delivered", required=False, widget=forms.CheckboxSelectMultiple
    )
    with_vacancies = forms.BooleanField(label="Only show provisions with places available", required=False)
    postcode = forms.CharField(label="Postcode", required=False, max_length=20)
    within = forms.TypedChoiceField(
        label="Distance", choices=DISTANCE_CHOICES, coerce=int, required=False, empty_value=DEFAULT_DISTANCE
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[(Sort.RELEVANCE, "Best match"), (Sort.NAME, "Name"), (Sort.DISTANCE, "Distance")],
    )

    def __init__(
        self,
        *args,
        terms: dict[str, list[Term]],
        local_authorities: list[tuple[int, str]] = (),
        school_postcode: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["local_authority"].choices = [("", "All local authorities"), *local_authorities]
        self.fields["local_authority"].error_messages["invalid_choice"] = "Choose a local authority from the list"
        if school_postcode:
            # A signed-in school searches from its own postcode, filled in for it; clearing the box searches
            # without distances.
            self.fields["postcode"].label = f"From my school ({school_postcode})"
            self.fields["postcode"].help_text = "Your school's postcode. Change it to search from somewhere else."
        for name, vocabulary in TERM_FIELDS.items():
            self.fields[name].choices = _term_choices(terms, vocabulary)
        self.fields["postcode"].error_messages["max_length"] = POSTCODE_ERROR
        self.fields["within"].error_messages["invalid_choice"] = "Choose a distance from the list"
        self.fields["sort"].error_messages["invalid_choice"] = "Choose how to sort the results from the list"
        for name in TERM_FIELDS:
            self.fields[name].error_messages["invalid_choice"] = "Choose options from the list"

    def usable_filters(self) -> dict:
        """Every filter: the valid ones as entered, each one in error at its empty value (so it filters nothing)."""
        self.is_valid()
        filters = {name: self.cleaned_data.get(name, field.clean("")) for name, field in self.fields.items()}
        filters["sort"] = filters["sort"] or Sort.RELEVANCE
        return filters

    def clean_sort(self) -> str:
        return self.cleaned_data["sort"] or Sort.RELEVANCE

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sort") == Sort.DISTANCE and not cleaned.get("postcode") and "postcode" not in self.errors:
            self.add_error("postcode", "Enter a postcode to sort by distance")
        return cleaned


class ProvisionForm(PostcodeMixin, forms.Form):
    """Every editable value of a provision, with the terms as checkboxes."""

    name = LimitField(limit=PROVISION_LIMITS["name"], label="Name of the provision", max_length=200)
    summary = LimitField(
        limit=PROVISION_LIMITS["summary"],
        label="Summary",
        max_length=300,
        help_text="One sentence. It appears in the search results.",
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    tier = forms.MultipleChoiceField(label="Tiers", widget=forms.CheckboxSelectMultiple)
    key_stage = forms.MultipleChoiceField(label="Key stages", required=False, widget=forms.CheckboxSelectMultiple)
    need = forms.MultipleChoiceField(label="Needs supported", required=False, widget=forms.CheckboxSelectMultiple)
    delivery_mode = forms.MultipleChoiceField(
        label="How it is delivered", required=False, widget=forms.CheckboxSelectMultiple
    )
    age_min = NumberLimitField(limit=PROVISION_LIMITS["age_min"], label="Youngest age", width=2)
    age_max = NumberLimitField(limit=PROVISION_LIMITS["age_max"], label="Oldest age", width=2)
    attendance_pattern = forms.ChoiceField(
        label="Full or part time", choices=Provision.AttendancePattern.choices, widget=forms.RadioSelect
    )
    sessions_offered = LimitField(
        limit=PROVISION_LIMITS["sessions_offered"],
        label="Sessions offered",
        required=False,
        max_length=300,
        help_text="For example, Monday to Friday, 9am to 3pm",
    )
    typical_duration_weeks = NumberLimitField(
        limit=PROVISION_LIMITS["typical_duration_weeks"],
        label="Typical length of a placement, in weeks",
        required=False,
    )
    admissions_criteria = forms.CharField(
        label="Admissions criteria", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    exit_criteria = forms.CharField(label="Exit criteria", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    places = NumberLimitField(limit=PROVISION_LIMITS["places"], label="Number of places", width=5)
    address_line_1 = LimitField(
        limit=PROVISION_LIMITS["address_line_1"], label="Address line 1", required=False, max_length=200
    )
    address_line_2 = LimitField(
        limit=PROVISION_LIMITS["address_line_2"], label="Address line 2 (optional)", required=False, max_length=200
    )
    town = LimitField(limit=PROVISION_LIMITS["town"], label="Town or city", required=False, max_length=100)
    postcode = forms.CharField(label="Postcode", required=False, max_length=20)
    contact_name = LimitField(
        limit=PROVISION_LIMITS["contact_name"], label="Contact name", required=False, max_length=200
    )
    contact_email = forms.EmailField(label="Contact email address", required=False)
    contact_phone = LimitField(
        limit=PROVISION_LIMITS["contact_phone"], label="Contact phone number", required=False, max_length=30
    )
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    how_to_refer = forms.CharField(label="How to refer", required=False, widget=forms.Textarea(attrs={"rows": 4}))

    ERRORS = {
        "name": "Enter the name of the provision",
        "summary": "Enter a one-sentence summary of the provision",
        "tier": "Select at least one tier",
        "age_min": "Enter the youngest age the provision takes, from 4 to 25",
        "age_max": "Enter the oldest age the provision takes, from 4 to 25",
        "attendance_pattern": "Select whether the provision is full or part time",
        "places": "Enter the number of places, like 12",
        "typical_duration_weeks": "Enter the typical length in weeks, like 20",
        "contact_email": "Enter an email address in the correct format, like name@example.org",
        "website": "Enter a website address in the correct format, like https://www.example.org",
    }

    def __init__(self, *args, terms: dict[str, list[Term]], **kwargs):
        super().__init__(*args, **kwargs)
        for name, vocabulary in TERM_FIELDS.items():
            self.fields[name].choices = _term_choices(terms, vocabulary)
        for name, message in self.ERRORS.items():
            for code in ("required", "invalid", "min_value", "max_value", "invalid_choice"):
                self.fields[name].error_messages[code] = message
        self.fields["postcode"].error_messages["max_length"] = POSTCODE_ERROR
        self.helper = form_helper(
            Fieldset(
                Field.text("name", field_width=Fluid.TWO_THIRDS),
                Field.text("summary"),
                Field.textarea("description", rows=4),
                legend="About the provision",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("tier", legend_size=Size.SMALL, small=True),
                Field.checkboxes("key_stage", legend_size=Size.SMALL, small=True),
                Field.checkboxes("need", legend_size=Size.SMALL, small=True),
                Field.checkboxes("delivery_mode", legend_size=Size.SMALL, small=True),
                Field.text("age_min", field_width=Fixed.TWO),
                Field.text("age_max", field_width=Fixed.TWO),
                legend="Who it is for",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.radios("attendance_pattern", legend_size=Size.SMALL, small=True),
                Field.text("sessions_offered"),
                Field.text("typical_duration_weeks", field_width=Fixed.THREE),
                Field.textarea("admissions_criteria", rows=4),
                Field.textarea("exit_criteria", rows=4),
                Field.text("places", field_width=Fixed.FOUR),
                legend="How it works",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("address_line_1"),
                Field.text("address_line_2"),
                Field.text("town", field_width=Fluid.TWO_THIRDS),
                Field.text("postcode", field_width=Fixed.TEN),
                legend="Where it is",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("contact_name", field_width=Fluid.TWO_THIRDS),
                Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
                Field.text("contact_phone", field_width=Fixed.TWENTY),
                Field.text("website", field_width=Fluid.TWO_THIRDS),
                Field.textarea("how_to_refer", rows=4),
                legend="Contacts and referrals",
                legend_size=Size.MEDIUM,
            ),
        )
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", "The oldest age must be the same as or more than the youngest age")
        return cleaned

    def values(self) -> dict:
        """The cleaned values the services take (everything except the terms)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in TERM_FIELDS}

    def term_codes(self) -> list[str]:
        return [code for name in TERM_FIELDS for code in self.cleaned_data.get(name, [])]

    @staticmethod
    def initial_from(snapshot: dict, terms: dict[str, list[Term]]) -> dict:
        initial = dict(snapshot["fields"])
        codes = set(snapshot["term_codes"])
        for name, vocabulary in TERM_FIELDS.items():
            initial[name] = [term.code for term in terms.get(vocabulary, []) if term.code in codes]
        return initial


class CostOptionForm(forms.Form):
    label = LimitField(
        limit=COST_LABEL, label="Description", required=False, max_length=120, help_text="For example, Full day"
    )
    # Typed as text: the row's amount is asked of the service's limit in clean(), which names the row.
    amount = forms.CharField(label="Cost in pounds", required=False, widget=number_input(5, decimal=True))
    unit = forms.ChoiceField(label="For each", required=False, choices=[("", "Choose")] + CostOption.Unit.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].error_messages["invalid_choice"] = "Choose what the cost is for"
        self.helper = form_helper(
            Field.text("label", field_width=Fluid.TWO_THIRDS),
            Field.text("amount", field_width=Fixed.FIVE),
            Field.select("unit"),
        )

    def clean(self):
        cleaned = super().clean()
        label, typed, unit = cleaned.get("label"), cleaned.get("amount"), cleaned.get("unit")
        given = [bool(label) or "label" in self.errors, bool(typed), bool(unit) or "unit" in self.errors]
        cleaned["amount"] = None
        if any(given):
            # A row that was started needs all three; each missing one is named at once, beside any other error the
            # row already has. The amount, blank or not, is told in the service's words (directory.services).
            try:
                cleaned["amount"] = cost_amount(typed, label=label or "")
            except ValidationError as error:
                self.add_error("amount", error)
            if not given[0]:
                self.add_error("label", "Enter a description of the cost, like Full day")
            if not given[2]:
                self.add_error("unit", "Choose what the cost is for")
        return cleaned

    def option(self) -> dict | None:
        if not self.cleaned_data.get("label"):
            return None
        return {k: self.cleaned_data[k] for k in ("label", "amount", "unit")}


COST_ROWS = 3


def cost_option_formset(*, data=None, initial: list[dict] | None = None):
    """A fixed set of cost rows: three, or one more than the provision already has."""
    initial = initial or []
    formset_class = forms.formset_factory(
        CostOptionForm,
        formset=RowsFormSet,
        extra=max(COST_ROWS - len(initial), 1),
        max_num=10,
        absolute_max=10,  # a posted row count above it builds no more than 10 rows (Django's default is 1,010)
        validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="costs")


class RejectForm(forms.Form):
    reason = LimitField(
        limit=REJECT_REASON,
        label="Why are you returning it?",
        help_text="The provider will see this. Say what they need to change.",
        max_length=REJECT_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are returning this provision to the provider"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("reason", label_size=Size.SMALL, rows=4))
