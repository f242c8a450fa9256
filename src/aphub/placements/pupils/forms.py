"""Forms for recording a pupil. They parse; pupils.services holds the rules and gives the messages."""

from crispy_forms_gds.layout import Field, Fixed, Size
from django import forms

from aphub.core.forms.fields import DateField, form_helper, list_choice
from aphub.core.forms.validators import LimitField
from aphub.pupils.models import Enrolment, Pupil
from aphub.pupils.services import NAME_LIMITS


class PupilForm(forms.Form):
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        help_text="13 characters, like A801200012345. A temporary UPN ends in a letter.",
        max_length=20,
        error_messages={"required": "Enter the pupil's UPN"},
    )
    first_name = LimitField(
        limit=NAME_LIMITS["first_name"], max_length=100, error_messages={"required": "Enter the pupil's first name"}
    )
    last_name = LimitField(
        limit=NAME_LIMITS["last_name"], max_length=100, error_messages={"required": "Enter the pupil's last name"}
    )
    preferred_name = LimitField(
        limit=NAME_LIMITS["preferred_name"], label="Preferred name (optional)", max_length=100, required=False
    )
    date_of_birth = DateField(label="Date of birth", what="date of birth", help_text="For example, 27 3 2012")
    sex = forms.ChoiceField(
        choices=Pupil.Sex.choices, widget=forms.RadioSelect, error_messages={"required": "Select the pupil's sex"}
    )
    postcode = forms.CharField(label="Home postcode (optional)", max_length=10, required=False)
    uln = forms.CharField(label="Unique learner number (ULN, optional)", max_length=10, required=False)
    free_school_meals = forms.BooleanField(label="Eligible for free school meals", required=False)
    sen_status = forms.ChoiceField(
        label="Special educational needs", choices=Pupil.SenStatus.choices, widget=forms.RadioSelect, initial="N"
    )
    primary_need = forms.ChoiceField(
        label="Primary need (optional)",
        help_text="The type of need the school census records for a pupil with SEN support or an EHC plan",
        choices=[("", "Not recorded"), *Pupil.PrimaryNeed.choices],
        required=False,
        error_messages={"invalid_choice": "Select the pupil's primary need from the list"},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity (optional)",
        help_text="As the pupil or their parent gave it to the school (school census codes)",
        choices=[("", "Not recorded"), *Pupil.Ethnicity.choices],
        required=False,
        error_messages={"invalid_choice": "Select the pupil's ethnicity from the list"},
    )
    medical_needs = forms.CharField(label="Medical needs (optional)", widget=forms.Textarea, required=False)
    looked_after = forms.BooleanField(label="Looked after by a local authority", required=False)
    safeguarding = forms.ChoiceField(
        label="Child in need or child protection",
        choices=Pupil.Safeguarding.choices,
        widget=forms.RadioSelect,
        initial="none",
    )

    def __init__(self, *args, without=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in without:  # sensitive fields this role may neither see nor change
            del self.fields[name]
        layout = [
            Field.text("upn", field_width=Fixed.TWENTY),
            Field.text("first_name"),
            Field.text("last_name"),
            Field.text("preferred_name"),
            Field("date_of_birth"),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field.text("postcode", field_width=Fixed.TEN),
            Field.text("uln", field_width=Fixed.TEN),
            Field.checkbox("free_school_meals", small=True),
            Field.radios("sen_status", legend_size=Size.SMALL, small=True),
            Field.select("primary_need"),
            Field.select("ethnicity"),
            Field.textarea("medical_needs", rows=3),
            Field.checkbox("looked_after", small=True),
            Field.radios("safeguarding", legend_size=Size.SMALL, small=True),
        ]
        self.helper = form_helper(*(item for item in layout if item.fields[0] in self.fields))

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        return data


class EnrolmentForm(forms.Form):
    school = list_choice("a school", label="School", required="Choose the school")
    start_date = DateField(label="First day on the school's roll", what="first day on the school's roll")
    registration = forms.ChoiceField(
        label="How is the pupil registered there?",
        choices=Enrolment.Registration.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the pupil is registered"},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.helper = form_helper(
            Field.select("school"), Field("start_date"), Field.radios("registration", legend_size=Size.SMALL)
        )
