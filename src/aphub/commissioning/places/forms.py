"""The forms of the commissioned places pages. They parse and name the problem; the limits (limits.py) and the
service hold the rules."""

from crispy_forms_gds.layout import Field, Fixed, Size
from django import forms

from aphub.commissioning.models import PlacePayer
from aphub.core.forms.fields import form_helper
from aphub.core.forms.validators import NumberLimitField
from aphub.funding.forms import FinancialYearForm

from . import limits
from .services import PAYER


def year_label(academic_year: int) -> str:
    return f"{academic_year} to {academic_year + 1}"


def _year_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Academic year",
        coerce=int,
        error_messages={"invalid_choice": limits.ACADEMIC_YEAR, "required": limits.ACADEMIC_YEAR},
    )


class AcademicYearForm(FinancialYearForm):
    """The year the place funding and occupancy page shows: the funding page's year filter, of academic years."""

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, years=years, **kwargs)
        self.fields["year"].label = "Academic year"
        self.fields["year"].error_messages.update(invalid_choice=limits.ACADEMIC_YEAR, required=limits.ACADEMIC_YEAR)


class ProvisionField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


PROVISION = "Choose a provision from the list"


class CommissionedPlacesForm(forms.Form):
    provision = ProvisionField(
        label="Provision",
        queryset=None,
        error_messages={"required": PROVISION, "invalid_choice": PROVISION},
    )
    academic_year = _year_field()
    places = NumberLimitField(
        limit=limits.places,
        width=4,
        label="Places commissioned, pre-16",
        help_text="Places for pupils of compulsory school age, funded whether a pupil fills them or not",
        error_messages={"required": limits.PLACES},
    )
    rate_per_place = NumberLimitField(
        limit=limits.rate_per_place,
        width=10,
        decimal=True,
        label="Place funding a place, in pounds",
        help_text="The local authority's rate unless this provision's differs",
        error_messages={"required": "Enter the place funding a place, like 10000.00"},
    )
    payer = forms.ChoiceField(
        label="Who pays the place funding?",
        choices=PlacePayer.choices,
        widget=forms.RadioSelect,
        help_text="The DfE pays AP academies and free schools directly; the local authority pays its pupil "
        "referral units",
        error_messages={"required": PAYER, "invalid_choice": PAYER},
    )

    def __init__(self, *args, years: list[int], provisions, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the provisions of the user's own LA's directory: another LA's is not on the list, so not a choice.
        self.fields["provision"].queryset = provisions
        self.fields["academic_year"].choices = [(year, year_label(year)) for year in years]
        self.helper = form_helper(
            Field.select("provision", label_size=Size.SMALL),
            Field.select("academic_year", label_size=Size.SMALL),
            Field.text("places", field_width=Fixed.FOUR, label_size=Size.SMALL),
            Field.text("rate_per_place", field_width=Fixed.TEN, label_size=Size.SMALL),
            Field.radios("payer", legend_size=Size.SMALL, small=True),
        )
