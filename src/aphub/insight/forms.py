"""The city-wide view's filters (GET), the published figures' upload and the committee pack's request. They parse
and name the problem; the queries, the loader and the pack's services hold the rules."""

import datetime

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.http import QueryDict

from aphub.core.files.tables import MAX_TABLE_BYTES
from aphub.core.forms.fields import DataFileForm, DateField, data_file_field, form_helper
from aphub.core.forms.validators import text_answer
from aphub.core.web.bounds import MAX_ID
from aphub.organisations.models import Payer
from aphub.placements.models import PlacementReason, Tier

from .dashboards.filters import PeriodForm
from .models import PackRequest, SettingCategory
from .queries import (
    DEFAULT_GROUPING,
    GROUPINGS,
    NOT_RECORDED,
    REGISTRATION_LABELS,
    Filters,
    academic_year_label,
    academic_year_of,
)
from .services import SERIES_NAME, SERIES_NAME_LENGTH, SERIES_NAME_MISSING

DATE_PARTS = ("on_0", "on_1", "on_2")
# The filters that narrow the view (the day, the grouping and the comparison's year are not "filters" to clear).
NARROWING = ("arranged_by", "reason", "setting", "registration", "school", "tier", "provider")


def with_defaults(query: QueryDict, *, day: datetime.date) -> QueryDict:
    """The query with the day (today), the grouping and the year to compare (today's) filled in where it names none,
    so the form shows what the page shows."""
    data = query.copy()
    if not any(data.get(name, "").strip() for name in DATE_PARTS):
        data["on_0"], data["on_1"], data["on_2"] = str(day.day), str(day.month), str(day.year)
    if not data.get("by"):
        data["by"] = DEFAULT_GROUPING
    if not data.get("year"):
        data["year"] = str(academic_year_of(day))
    return data


class CityWideForm(forms.Form):
    on = DateField(what="date", label="In AP on", help_text="For example, 10 11 2026")
    by = forms.ChoiceField(label="Group by", choices=[(name, grouping.label) for name, grouping in GROUPINGS.items()])
    arranged_by = forms.ChoiceField(
        label="Arranged by",
        required=False,
        choices=[("", "The LA or a school"), (Payer.LA, "The local authority"), (Payer.SCHOOL, "Schools")],
    )
    reason = forms.ChoiceField(
        label="Reason",
        required=False,
        choices=[("", "Any reason"), *PlacementReason.choices, (NOT_RECORDED, "Not recorded")],
    )
    setting = forms.ChoiceField(
        label="Type of setting", required=False, choices=[("", "Any setting"), *SettingCategory.choices]
    )
    registration = forms.ChoiceField(
        label="Registration", required=False, choices=[("", "Registered or not"), *REGISTRATION_LABELS.items()]
    )
    school = forms.ChoiceField(label="School that arranged it", required=False)
    tier = forms.ChoiceField(
        label="Tier", required=False, choices=[("", "Any tier"), *((value, f"Tier {value}") for value in Tier.values)]
    )
    year = forms.TypedChoiceField(label="Academic year to compare", coerce=int, required=False)
    # A row of the table grouped by provider leads to its children: no list to choose from, so a hidden field.
    provider = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args, schools, years: list[int], today: datetime.date, for_children: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["school"].choices = [("", "Any school"), *((str(school.pk), school.name) for school in schools)]
        self.fields["year"].choices = [(year, academic_year_label(year)) for year in years]
        for name, what in (
            ("by", "how to group the children"),
            ("arranged_by", "who arranged it"),
            ("reason", "a reason"),
            ("setting", "a type of setting"),
            ("registration", "registered or not"),
            ("school", "a school"),
            ("tier", "a tier"),
            ("year", "an academic year"),
        ):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list"
        self.fields["by"].error_messages["required"] = "Choose how to group the children"
        shown = ("by", *NARROWING[:-1], "year")
        if for_children:
            # The list of children is not grouped nor compared: it keeps them only to lead back to the same view.
            self.fields["by"].widget = self.fields["year"].widget = forms.HiddenInput()
            shown = NARROWING[:-1]
        self.helper = form_helper(
            Field("on"),
            *(Field.select(name, label_size=Size.SMALL) for name in shown),
            *(name for name in ("by", "year", "provider") if name not in shown),
        )

    def filters(self) -> Filters:
        """The chosen filters; today's whole picture when the form has errors (the page shows them)."""
        if not self.is_valid():
            return Filters(on=self.today)
        data = self.cleaned_data
        return Filters(
            on=data["on"] or self.today,
            arranged_by=data["arranged_by"],
            reason=data["reason"],
            setting=data["setting"],
            registration=data["registration"],
            school_id=int(data["school"]) if data["school"] else None,
            tier=data["tier"],
            provider_id=data["provider"],
        )

    def grouping(self) -> str:
        return self.cleaned_data["by"] if self.is_valid() else DEFAULT_GROUPING

    def comparison_year(self) -> int:
        """The academic year to compare: the one chosen, else this one."""
        chosen = self.cleaned_data.get("year") if self.is_valid() else None
        return chosen if chosen else academic_year_of(self.today)

    def narrowed(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in NARROWING)


class PublishedFiguresForm(DataFileForm):
    file = data_file_field(
        label="Upload a DfE file",
        help_text="A CSV file of school-arranged AP from explore education statistics: by setting type, or by reason.",
    )
    extensions = (".csv", ".xlsx")
    wrong_kind = "The file must be a CSV file (or an Excel .xlsx file)"
    max_bytes = MAX_TABLE_BYTES


# The DfE's permanent exclusions by LA (2006/07 to 2016/17): the series the form offers first. Its columns are year,
# level, la_name, school_type and the counts; school_type Total, so that primary, secondary and special schools are
# not added to their own total.
DEFAULT_SERIES = {"measure": "Permanent exclusions", "value": "perm_excl", "period": "", "where": "school_type=Total"}


def _column_field(label: str, help_text: str) -> forms.CharField:
    """A column of the file, named: required unless its label says it is optional."""
    required = not label.endswith("(optional)")
    return forms.CharField(
        label=label,
        max_length=100,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "max_length": "The column's name must be 100 characters or fewer",
        },
    )


class PublishedSeriesForm(DataFileForm):
    file = data_file_field(
        label="Upload a DfE file",
        help_text="A CSV file of figures by local authority from explore education statistics, one row or more a year.",
    )
    measure = text_answer(
        "Name of the series",
        limit=SERIES_NAME,
        max_length=SERIES_NAME_LENGTH,
        required=SERIES_NAME_MISSING,
        help_text="Loading a series of the same name again replaces it. For example, Permanent exclusions",
    )
    value = _column_field("Column of values", "The column holding the numbers to forecast. For example, perm_excl")
    period = _column_field(
        "Column of years (optional)", "Leave blank for time_period, or year where the file has no time_period"
    )
    where = forms.CharField(
        label="Rows to use (optional)",
        max_length=500,
        required=False,
        help_text=(
            "One filter a line, written column=value, for example school_type=Total. Only your local authority's "
            "rows are read whatever you write here."
        ),
        widget=forms.Textarea,
        error_messages={"max_length": "The filters must be 500 characters or fewer"},
    )
    extensions = (".csv", ".xlsx")
    wrong_kind = "The file must be a CSV file (or an Excel .xlsx file)"
    max_bytes = MAX_TABLE_BYTES

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("file"),
            Field.text("measure", field_width=Fluid.TWO_THIRDS),
            Field.text("value", field_width=Fluid.ONE_THIRD),
            Field.text("period", field_width=Fluid.ONE_THIRD),
            Field.textarea("where", rows=3),
        )

    def clean_where(self) -> dict[str, str]:
        """The filters as column: value; every line without a column and an = is named."""
        chosen: dict[str, str] = {}
        wrong = []
        for number, line in enumerate((self.cleaned_data.get("where") or "").splitlines(), start=1):
            if not line.strip():
                continue
            column, equals, value = line.partition("=")
            if not equals or not column.strip():
                wrong.append(str(number))
                continue
            chosen[column.strip()] = value.strip()
        if wrong:
            raise forms.ValidationError(
                f"Write each filter as column=value, for example school_type=Total (line {', '.join(wrong)})"
            )
        return chosen


class PackForm(PeriodForm):
    """The committee pack's question (a period) and the button pressed: "Make the pack (PDF)" or "(XLSX)", whose
    value is the format."""

    format = forms.ChoiceField(
        choices=PackRequest.Format.choices,
        required=False,
        error_messages={"invalid_choice": "Choose to make the pack as a PDF or as a spreadsheet (XLSX)"},
    )

    def clean_format(self) -> str:
        # Enter in the period's list sends the form with its first button's value; without any button, a PDF.
        return self.cleaned_data.get("format") or PackRequest.Format.PDF
