"""The access log's filters: by person, by child and by date range, with GOV.UK messages for each mistake."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Div, Field, Fixed, Fluid, Layout
from django import forms

from aphub.core.forms.fields import DateField, form_helper
from aphub.core.forms.validators import NumberLimitField, at_most, text_answer

from .queries import child_for, children_matching
from .retention import years_limit


class AccessLogFilterForm(forms.Form):
    # Filters of a read, asked of no service: the limits keep a search to what an email address or a name can be.
    person = text_answer(
        "Person",
        limit=at_most(254, "The email address"),
        max_length=254,
        help_text="All or part of their email address",
    )
    child = text_answer(
        "Child", limit=at_most(100, "The child's name or UPN"), max_length=100, help_text="Their name or UPN"
    )
    date_from = DateField(what="first date", label="From", required=False, help_text="For example, 1 9 2026")
    date_to = DateField(what="last date", label="To", required=False, help_text="For example, 30 9 2026")
    # Links from a child's page and from the log's own rows name the child by number (not by UPN: a web address is
    # kept in server logs); links from the old record filter name one record.
    pupil = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    object_type = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.children: list = []
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        half = "govuk-grid-column-one-half"
        self.helper.layout = Layout(
            Div(
                Div(Field.text("person", field_width=Fluid.FULL), css_class=half),
                Div(Field.text("child", field_width=Fluid.FULL), css_class=half),
                css_class="govuk-grid-row",
            ),
            Div(
                Div(Field("date_from"), css_class=half),
                Div(Field("date_to"), css_class=half),
                css_class="govuk-grid-row",
            ),
            "pupil",
            "object_type",
            "object_id",
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and last < first:
            self.add_error("date_to", "The last date must be the same as or after the first date")
        words = (cleaned.get("child") or "").strip()
        if words:
            self.children = children_matching(self.user, words)
            if not self.children:
                self.add_error("child", "No child you can see has that name or UPN")
        elif cleaned.get("pupil"):
            child = child_for(self.user, cleaned["pupil"])
            self.children = [child] if child else []
        return cleaned

    @property
    def pupil_ids(self) -> list[int] | None:
        """None when no child was asked for; the matching children's ids otherwise (empty: no one matched)."""
        cleaned = self.cleaned_data
        if not ((cleaned.get("child") or "").strip() or cleaned.get("pupil")):
            return None
        return [child.pk for child in self.children]

    def filters(self) -> dict:
        cleaned = self.cleaned_data
        return {
            "object_type": cleaned.get("object_type") or "",
            "object_id": cleaned.get("object_id") or "",
            "person": (cleaned.get("person") or "").strip(),
            "pupil_ids": self.pupil_ids,
            "date_from": cleaned.get("date_from"),
            "date_to": cleaned.get("date_to"),
        }


class RetentionScheduleForm(forms.Form):
    """Years to keep each kind of record: one number per line of the schedule."""

    def __init__(self, *args, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        for line in schedule:
            record = line.record
            self.fields[record.key] = NumberLimitField(
                limit=years_limit(record),
                label=f"{record.name}: years after {record.basis}",
                help_text=f"Default {record.default_years}. {record.source}.",
                initial=line.years,
                error_messages={"required": f"Enter the years to keep {record.in_words}"},
            )
        self.helper = form_helper(*(Field.text(line.record.key, field_width=Fixed.THREE) for line in schedule))


class ApprovalForm(forms.Form):
    """What the admin was shown on the confirmation page: the day the list was made and how many it held."""

    as_of = forms.DateField(widget=forms.HiddenInput)
    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
