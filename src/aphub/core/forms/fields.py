"""Form fields and layout pieces every app shares, in the GOV.UK Design System's patterns.

Identifier fields validate and keep the normalised value ("b91 3qb" is stored as "B91 3QB"): the validators in
`aphub.core.identifiers` can be used directly as model field validators; these fields also replace the cleaned
value with the normalised one, which a validator alone cannot do. Number fields are GOV.UK number inputs;
ConditionalRadios reveals the fields that depend on one answer of a radio question.
"""

import datetime
from collections.abc import Callable
from typing import Any

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from aphub.core.errors import DomainError
from aphub.core.files.tables import MAX_TABLE_BYTES
from aphub.core.identifiers import validate_postcode, validate_ukprn, validate_upn, validate_urn


def form_helper(*fields: Any) -> FormHelper:
    """The crispy helper of a form drawn inside the page's own <form>, which carries the CSRF token (or is a GET
    filter, which needs none): the fields in this layout, with no form tag and no token of their own."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


YES_NO = [("yes", "Yes"), ("no", "No")]


def yes_no_field(
    label: str, *, select: str, help_text: str = "", coerce: Callable[[str], Any] = str
) -> forms.TypedChoiceField:
    """A yes or no question as radios. `select` is the one message for no answer and for any other, worded as the
    GOV.UK Design System asks ("Select yes if the complaint is upheld, or no if it is not"). Cleaned, it is "yes" or
    "no", or what `coerce` makes of that."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=coerce,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": select, "invalid_choice": select},
    )


def list_choice(
    one: str, *, label: str | None = None, required: str = "", help_text: str = ""
) -> forms.ModelChoiceField:
    """A select of the records a page may offer (a school, a provision): its form sets the queryset, scoped to the
    user, so a posted id of another is not a valid choice. `one` names one of them ("a school"), which words the first
    option and the message for such an id; with `required` (the message when none is chosen) one must be chosen."""
    error_messages = {"invalid_choice": f"Choose {one} from the list"}
    if required:
        error_messages["required"] = required
    return forms.ModelChoiceField(
        queryset=None,
        label=label,
        help_text=help_text,
        empty_label=f"Choose {one}",
        required=bool(required),
        error_messages=error_messages,
    )


class ListChoiceForm(forms.Form):
    """A page whose one question is a `list_choice` (the school whose calendar to show): a subclass declares the field,
    names it in `choice`, and names in `among` the keyword its view passes the records by."""

    choice: str
    among: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        records = kwargs.pop(self.among)
        super().__init__(*args, **kwargs)
        field = self.fields[self.choice]
        assert isinstance(field, forms.ModelChoiceField), f"{self.choice} is not a list_choice"
        field.queryset = records
        self.helper = form_helper(Field.select(self.choice))


def reason_field(*, limit: Callable[[Any], Any], max_length: int) -> forms.Field:
    """The text of a ReasonForm, asking the limit its service asks (decision 0025)."""
    from aphub.core.forms.validators import LimitField

    return LimitField(
        limit=limit,
        label="Reason",
        widget=forms.Textarea,
        max_length=max_length,
        error_messages={"required": "Give the reason"},
    )


class ReasonForm(forms.Form):
    """One reason for an action (declining, withdrawing, disputing), asked with the page's own label and message.

    A subclass declares `reason = reason_field(limit=..., max_length=...)` with the limit its service asks, so the page
    and the service give the same message.
    """

    def __init__(self, *args: Any, label: str = "Reason", required: str = "Give the reason", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required
        self.helper = form_helper(Field.textarea("reason", rows=4, label_size=Size.SMALL))


def document_title_field(*, label: str, help_text: str, required_message: str = "") -> forms.CharField:
    """The title of an uploaded document (a piece of evidence, a referral's document), which is kept in 200
    characters."""
    error_messages = {"max_length": "The title must be 200 characters or fewer"}
    if required_message:
        error_messages["required"] = required_message
    return forms.CharField(label=label, help_text=help_text, max_length=200, error_messages=error_messages)


def document_file_field(*, help_text: str) -> forms.FileField:
    """An uploaded document; its name is kept in a FileField's 255 characters."""
    return forms.FileField(
        label="Upload a file",
        help_text=help_text,
        max_length=255,
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file you chose is empty",
            "invalid": "Choose a file to upload",
            "max_length": "The file name must be 255 characters or fewer",
        },
    )


# A wrong file can have a problem on every row; the first thousand say what is wrong.
PROBLEMS_SHOWN = 1000


class DataFileForm(forms.Form):
    """A page's upload of one file of rows for an import (attendance marks, the DfE's figures...): one `file` field,
    taken when its name ends in one of `extensions` and it is under `max_bytes`. The import reads the bytes themselves
    (core.files.tables, csv_files); this only turns away what is plainly not such a file before it is read. A subclass
    declares `file = data_file_field(...)` and these three."""

    extensions: tuple[str, ...] = (".csv", ".txt")
    wrong_kind = "The file must be a CSV file"
    max_bytes = 20 * 1024 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.extensions):
            raise forms.ValidationError(self.wrong_kind)
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"The file must be smaller than {self.max_bytes // (1024 * 1024)} MB")
        return upload

    def refused(self, rejected: Any) -> dict:
        """A refused file (an import's ImportRejected: nothing was imported): its message at the file input, and the
        rows' problems for the page's table (components/file_problems.html), the first PROBLEMS_SHOWN of them."""
        self.add_error("file", rejected.message)
        shown = rejected.problems[:PROBLEMS_SHOWN]
        return {"problems": shown, "problems_hidden": len(rejected.problems) - len(shown)}


class TableFileForm(DataFileForm):
    """A DataFileForm for a table read by core.files.tables: a CSV file or an Excel (.xlsx) spreadsheet (a school's
    census AP return, an LA's budget)."""

    extensions = (".csv", ".txt", ".xlsx")
    wrong_kind = "The file must be a CSV file or an Excel (.xlsx) spreadsheet"
    max_bytes = MAX_TABLE_BYTES


def table_file_field(*, label: str, help_text: str) -> forms.FileField:
    """The file of a TableFileForm, with the messages every upload of a table gives."""
    return forms.FileField(
        label=label,
        help_text=help_text,
        error_messages={"required": "Choose a CSV or XLSX file to upload", "empty": "The file you chose is empty"},
    )


def data_file_field(*, label: str, help_text: str) -> forms.FileField:
    """The file of a DataFileForm, with the messages every upload of rows gives."""
    return forms.FileField(
        label=label,
        help_text=help_text,
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file you chose is empty"},
    )


def add_domain_error(
    form: forms.Form, error: DomainError, *, field_for: Callable[[str | None], str | None] | None = None
) -> None:
    """Show a service's messages (every one of a DomainErrors) against their fields, or at the top when a message
    names no field the form has. A field the form already found wrong keeps its own message, so nothing is said
    twice. `field_for` maps a service's field name to the form's, where they differ."""
    for each in error.errors:
        field = field_for(each.field) if field_for else each.field
        field = field if field in form.fields else None
        if field is not None and field in form.errors:
            continue
        form.add_error(field, each.message)


def dates_in_order(form: forms.Form, first: str, last: str, message: str) -> None:
    """A period's last day may not come before its first: the message goes at the last day, the answer to change.
    For a form's clean(), once each date has been read (a date that could not be read has its own message)."""
    first_day, last_day = form.cleaned_data.get(first), form.cleaned_data.get(last)
    if first_day and last_day and last_day < first_day:
        form.add_error(last, message)


class NormalisedIdentifierField(forms.CharField):
    normalise: Callable[[str], str]

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return text
        return self.normalise(text)


class UPNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_upn)


class URNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_urn)


class UKPRNField(NormalisedIdentifierField):
    normalise = staticmethod(validate_ukprn)


class PostcodeField(NormalisedIdentifierField):
    normalise = staticmethod(validate_postcode)


class DateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages a person can act on, named after what the date is.

    DateField(label="Date of birth", what="date of birth") says "Enter the date of birth" and "The date of birth must
    be a real date", as the GOV.UK Design System's date input guidance asks.
    """

    def __init__(self, *, what: str = "date", **kwargs):
        # Each empty part of the date gets its own message, tied to its input (GOV.UK date input pattern).
        super().__init__(require_all_fields=False, **kwargs)
        self.what = what
        self.error_messages["required"] = f"Enter the {what}"
        self.error_messages["incomplete"] = f"The {what} must include a day, month and year"
        for field, part in zip(self.fields, ("day", "month", "year"), strict=True):
            field.error_messages["incomplete"] = f"The {what} must include a {part}"
            field.validators = [RegexValidator(r"^\s*[0-9]{1,4}\s*$", f"The {what} must be a real date")]

    def compress(self, data_list):
        day, month, year = (str(part).strip() if part else "" for part in data_list)
        if not (day and month and year):
            return None
        if len(year) != 4:
            raise ValidationError(f"The year of the {self.what} must have 4 numbers")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"The {self.what} must be a real date") from None


# GOV.UK asks for whole numbers in a text input with inputmode="numeric" rather than <input type="number">: the
# number type's spinners change a value when the page is scrolled over it, it accepts "1e3", and some screen readers
# announce it badly (GOV.UK Design System, Text input: "Numbers"). The width class sizes the box to the answer.
NUMBER_WIDTHS = (2, 3, 4, 5, 10, 20, 30)


def number_input(width: int = 3, *, decimal: bool = False) -> forms.TextInput:
    """A GOV.UK text input for a number: no spinners, the numeric keypad on phones, a box as wide as the answer.

    It stays a TextInput so that crispy-forms-gds gives it the govuk-input class and the error style.
    """
    if width not in NUMBER_WIDTHS:
        raise ValueError(f"GOV.UK input widths are {NUMBER_WIDTHS}, not {width}")
    return forms.TextInput(
        attrs={
            "inputmode": "decimal" if decimal else "numeric",
            "spellcheck": "false",
            "class": f"govuk-input--width-{width}",
        }
    )


class WholeNumberField(forms.IntegerField):
    """A whole number in the GOV.UK number input; `width` is the box's width in characters (2, 3, 4, 5, 10...)."""

    def __init__(self, *, width: int = 3, **kwargs):
        kwargs.setdefault("widget", number_input(width))
        super().__init__(**kwargs)


class PoundsField(forms.DecimalField):
    """An amount in pounds and pence in the GOV.UK number input (decimal keypad); kept as a Decimal, pence-exact."""

    def __init__(self, *, width: int = 10, **kwargs):
        kwargs.setdefault("widget", number_input(width, decimal=True))
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class ConditionalRadios(LayoutObject):
    """GOV.UK radios with conditional reveals: the fields that only matter for one answer sit under that answer.

    ConditionalRadios("outcome", {"approve": ["tier", "weeks"]}) shows tier and weeks under "Approve". Keyed by the
    choice's value (not its label, as crispy-forms-gds's own ConditionalRadios is), so choices made at run time work;
    radios are numbered from 1 as Field.radios numbers them, so error summary links land on the first option.
    Without JavaScript every revealed field is simply shown under its answer (GOV.UK Frontend hides them only when
    it runs), so the form still works.
    """

    template = "components/conditional_radios.html"

    def __init__(
        self, field: str, reveals: dict[str, list[str]], *, legend_size: str | None = None, small: bool = False
    ) -> None:
        self.field = field
        self.reveals = {str(value): list(names) for value, names in reveals.items()}
        self.legend_size = legend_size
        self.small = small

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        bound = form[self.field]
        chosen = "" if bound.value() is None else str(bound.value())
        items = []
        for position, (value, label) in enumerate(bound.field.choices, start=1):
            revealed = "".join(
                render_field(name, form, context, template_pack=template_pack, **kwargs)
                for name in self.reveals.get(str(value), [])
            )
            items.append(
                {
                    "value": value,
                    "label": label,
                    "id": f"id_{bound.html_name}_{position}",
                    "checked": str(value) == chosen,
                    "revealed": mark_safe(revealed),  # noqa: S308 (crispy's own rendering of the form's fields)
                }
            )
        return render_to_string(
            self.template,
            {
                "field": bound,
                "items": items,
                "legend_size": self.legend_size,
                "small": self.small,
                "form_show_errors": True,
            },
        )


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    """Choose several records (checkboxes of partner councils, for example) by id, with ids checked before any query.

    Django's own field looks the chosen ids up with `pk__in`, which, unlike `pk=`, sends an id larger than the
    database's integers straight to it: OverflowError on SQLite, "bigint out of range" on PostgreSQL, a server error
    either way. An id that is not a whole number in the database's range is refused here as "not one of the choices".
    """

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        assert self.queryset is not None  # a ModelMultipleChoiceField is always given one
        model_field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(model_field, models.IntegerField) and isinstance(value, list | tuple | set | frozenset):
            low, high = connection.ops.integer_field_range(model_field.get_internal_type())
            for chosen in value:
                try:
                    number = int(str(chosen).strip())
                except ValueError:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": chosen}
                    ) from None
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": chosen}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # Django's own; django-stubs omits it
