"""Forms of the register, upload and rates pages. They parse; placements.attendance.services holds the rules and
messages."""

import datetime
from functools import partial

from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.core.forms.fields import DateField, form_helper
from aphub.core.forms.validators import LimitField
from aphub.exchange.services import ImportRejected
from aphub.placements.attendance.codes import AM, PM, choices
from aphub.placements.attendance.imports import MAX_FILE_BYTES
from aphub.placements.attendance.services import NOTE_MAX_LENGTH, mark_note
from aphub.placements.models import Placement

SESSION_CHOICES = [(AM, "Morning (AM)"), (PM, "Afternoon (PM)")]
NOT_MARKED = ""


class RegisterChoiceForm(forms.Form):
    """Which register: the provision (when the provider has several), the date and the session. Sent by GET."""

    provision = forms.TypedChoiceField(
        label="Provision",
        coerce=int,
        error_messages={"required": "Choose a provision", "invalid_choice": "Choose a provision from the list"},
    )
    date = DateField(label="Date", what="date of the register", help_text="For example, 10 11 2026")
    session = forms.ChoiceField(
        label="Session",
        choices=SESSION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the session", "invalid_choice": "Choose the morning or afternoon"},
    )

    def __init__(self, *args, provisions: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provision"].choices = [(provision.pk, provision.name) for provision in provisions]
        shown = [Field("date"), Field.radios("session", legend_size=Size.SMALL, inline=True)]
        if len(provisions) > 1:
            shown.insert(0, Field.select("provision"))
        else:
            self.fields["provision"].required = False
        self.helper = form_helper(*shown)


def register_query(data) -> dict:
    """The chooser's GET data, also accepting `date=YYYY-MM-DD` (the links to catch up a past register use it)."""
    query = data.copy()
    iso = query.pop("date", [""])[-1]
    if iso:
        try:
            day = datetime.date.fromisoformat(iso)
        except ValueError:
            query["date_0"], query["date_1"], query["date_2"] = "", "", iso[:4]  # shown as "must be a real date"
        else:
            query["date_0"], query["date_1"], query["date_2"] = str(day.day), str(day.month), str(day.year)
    return query


class RegisterForm(forms.Form):
    """One row per placement: a mark (a DfE code) and an optional note, named mark_<placement id>, note_<...>."""

    def __init__(self, *args, placements: list[Placement], session: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.placements = placements
        options = [(NOT_MARKED, "Not marked"), *choices(session)]
        for placement in placements:
            name = placement.pupil.full_name
            self.fields[f"mark_{placement.pk}"] = forms.ChoiceField(
                label=f"Mark for {name}",
                choices=options,
                required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": f"Choose a mark for {name} from the list"},
            )
            self.fields[f"note_{placement.pk}"] = LimitField(
                limit=partial(mark_note, whose=f"The note for {name}"),
                label=f"Note for {name}",
                required=False,
                max_length=NOTE_MAX_LENGTH,
                widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-full", "autocomplete": "off"}),
            )

    def rows(self) -> list[dict]:
        rows = []
        for placement in self.placements:
            mark, note = self[f"mark_{placement.pk}"], self[f"note_{placement.pk}"]
            for bound, error_class in ((mark, "govuk-select--error"), (note, "govuk-input--error")):
                if bound.errors:
                    # GOV.UK error style, and the message read out with the field.
                    attrs = bound.field.widget.attrs
                    attrs["class"] = f"{attrs['class']} {error_class}"
                    attrs["aria-describedby"] = f"{bound.id_for_label}-error"
            rows.append({"placement": placement, "mark": mark, "note": note})
        return rows

    def clean(self):
        cleaned = super().clean()
        for placement in self.placements:
            if cleaned.get(f"note_{placement.pk}") and not cleaned.get(f"mark_{placement.pk}"):
                self.add_error(
                    f"mark_{placement.pk}", f"Choose a mark for {placement.pupil.full_name} to go with the note"
                )
        return cleaned

    def marks(self, *, present_for_unmarked: str | None = None) -> dict[int, tuple[str, str]]:
        """{placement id: (code, note)} for the rows with a mark; `present_for_unmarked` fills the empty ones."""
        marks = {}
        for placement in self.placements:
            code = self.cleaned_data.get(f"mark_{placement.pk}") or present_for_unmarked
            if code:
                marks[placement.pk] = (code, self.cleaned_data.get(f"note_{placement.pk}", ""))
        return marks


# A wrong file can have a problem on every row; the first thousand say what is wrong.
PROBLEMS_SHOWN = 1000


class UploadForm(forms.Form):
    """A file to import. Another import's form (the census AP file) gives its own label, kinds of file and words."""

    EXTENSIONS: tuple[str, ...] = (".csv", ".txt")
    KIND = "a CSV file"

    file = forms.FileField(
        label="Upload an attendance file",
        help_text="A CSV file with the columns upn, date, session, code and note.",
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file you chose is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.EXTENSIONS):
            raise forms.ValidationError(f"The file must be {self.KIND}")
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return upload

    def refused(self, rejected: ImportRejected) -> dict:
        """A refused file (nothing was imported): its message at the file input, and the rows' problems for the page's
        table (placements/_import_problems.html), the first PROBLEMS_SHOWN of them."""
        self.add_error("file", rejected.message)
        shown = rejected.problems[:PROBLEMS_SHOWN]
        return {"problems": shown, "problems_hidden": len(rejected.problems) - len(shown)}


PERIODS = {
    "4-weeks": ("The last 4 weeks", 28),
    "12-weeks": ("The last 12 weeks", 84),
    "school-year": ("This school year", None),
    "all": ("All time", None),
}


class RatesForm(forms.Form):
    period = forms.ChoiceField(
        label="Period",
        choices=[(key, label) for key, (label, _days) in PERIODS.items()],
        required=False,
        error_messages={"invalid_choice": "Choose a period from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.select("period"))

    def dates(self, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        period = (self.cleaned_data.get("period") if self.is_valid() else "") or "school-year"
        if period == "all":
            return None, None
        if period == "school-year":
            # Education Act 1996 s.579: the school year begins with the first term to begin after July.
            start_year = today.year if today.month >= 8 else today.year - 1
            return datetime.date(start_year, 8, 1), today
        return today - datetime.timedelta(days=PERIODS[period][1]), today
