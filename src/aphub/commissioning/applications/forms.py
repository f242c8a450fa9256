"""Forms of the providers' application and evidence pages. They parse and give GOV.UK messages; the services in
applications.py hold the rules (lots of the arrangement, cover amounts, expiry dates, the file checks)."""

from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Fixed, Size
from django import forms

from aphub.commissioning.applications.services import (
    ANSWER,
    MAX_ANSWER,
    MAX_STATEMENT,
    STATEMENT,
    TITLE,
    NewEvidence,
    amount_of_cover,
)
from aphub.commissioning.arrangements.criteria import Criterion, Declaration
from aphub.commissioning.models import Evidence, Lot
from aphub.core.forms.fields import DateField, document_file_field, form_helper
from aphub.core.forms.validators import LimitField

FILE_HINT = "A PDF, a Word document (.docx), a JPEG or a PNG, smaller than 10 MB. We check it for viruses."


def _lot_label(lot: Lot, word: str) -> str:
    return f"{word.capitalize()} {lot.number}: {lot.title}"


def _evidence_label(item: Evidence) -> str:
    parts = [item.title]
    if item.expires_on:
        parts.append(f"expires {item.expires_on.day} {item.expires_on:%B %Y}")
    if item.cover_amount is not None:
        parts.append(f"cover £{item.cover_amount:,.2f}")
    return " – ".join(parts)


class LotsForm(forms.Form):
    """Which lots (or parts) the provider applies for."""

    lots = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, lots: list[Lot], word: str, legend: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot_objects = {str(lot.pk): lot for lot in lots}
        field = self.fields["lots"]
        field.label = legend or f"Which {word}s are you applying for?"
        field.help_text = "Select all that apply. You can change this until you submit."
        field.choices = [(str(lot.pk), _lot_label(lot, word)) for lot in lots]
        field.error_messages["required"] = f"Choose at least one {word} to apply for"
        field.error_messages["invalid_choice"] = f"Choose {word}s from the list"
        self.helper = form_helper(Field.checkboxes("lots", legend_size=Size.MEDIUM))

    def chosen(self) -> list[Lot]:
        return [self.lot_objects[pk] for pk in self.cleaned_data["lots"]]


class ReadinessForm(LotsForm):
    """Narrow the readiness checklist to some lots; none chosen means every lot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, legend="Show what these need", **kwargs)
        self.fields["lots"].required = False
        self.fields["lots"].help_text = "Leave all unticked to see what every one of them needs."
        self.helper = form_helper(Field.checkboxes("lots", legend_size=Size.SMALL, small=True))


class UploadFields(forms.Form):
    """A new document: title, file, and for insurance its cover, for expiring evidence its expiry date."""

    title = LimitField(
        limit=TITLE,
        label="Title of the document",
        help_text="For example, Public liability insurance schedule 2026",
        max_length=200,
    )
    file = document_file_field(help_text=FILE_HINT)
    cover_amount = LimitField(
        limit=amount_of_cover,
        label="Amount of cover, in pounds",
        help_text="As the schedule shows it, for example 5,000,000",
        required=False,
        empty_value=None,
        max_length=20,
    )
    expires_on = DateField(
        label="When does it expire?", what="expiry date", required=False, help_text="For example, 31 3 2027"
    )

    upload_required = True

    def upload_layout(self, criterion: Criterion | None) -> list:
        fields = [Field.text("title"), Field("file")]
        if criterion is None or criterion.minimum_cover is not None:
            fields.append(Field.text("cover_amount", field_width=Fixed.TEN))
        if criterion is None or criterion.expires:
            fields.append(Field("expires_on"))
        return fields

    def trim_upload_fields(self, criterion: Criterion | None) -> None:
        """Ask only what the criterion needs: no cover for a policy, no expiry for accounts."""
        if criterion is None:
            return
        if criterion.minimum_cover is None:
            del self.fields["cover_amount"]
        if not criterion.expires:
            del self.fields["expires_on"]

    def upload_given(self) -> bool:
        return bool(self.cleaned_data.get("file"))

    def new_evidence(self) -> NewEvidence | None:
        if not self.upload_given():
            return None
        return NewEvidence(
            title=self.cleaned_data.get("title", ""),
            file=self.cleaned_data["file"],
            cover_amount=self.cleaned_data.get("cover_amount"),
            expires_on=self.cleaned_data.get("expires_on"),
        )


class EvidenceUploadForm(UploadFields):
    """The evidence library's upload page: which criterion the document is for, then the document."""

    criterion = forms.ChoiceField(label="Which criterion is this evidence for?")

    field_order = ["criterion", "title", "file", "cover_amount", "expires_on"]

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", "Choose a criterion")] + [(c.code, c.title) for c in criteria]
        self.fields["criterion"].error_messages["required"] = "Choose which criterion this evidence is for"
        self.fields["criterion"].error_messages["invalid_choice"] = "Choose which criterion this evidence is for"
        self.fields["title"].error_messages["required"] = "Enter a title for the document"
        self.fields[
            "cover_amount"
        ].help_text = "Insurance only: the amount of cover the schedule shows, for example 5,000,000"
        self.fields["expires_on"].label = "When does it expire? (if it does)"
        self.fields[
            "expires_on"
        ].help_text = (
            "Insurance, DBS records, training certificates and reviewed policies expire. For example, 31 3 2027"
        )
        self.helper = form_helper(Field.select("criterion"), *self.upload_layout(None))


class OptionalUploadMixin(forms.Form):
    """An upload that may be left empty; when a file is chosen its title is required."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and not (cleaned.get("title") or "").strip() and "title" not in self.errors:
            self.add_error("title", "Enter a title for the document you are uploading")
        return cleaned


class LibraryOrUploadForm(OptionalUploadMixin, UploadFields):
    """Evidence for one criterion: documents chosen from the provider's library (the `evidence` field), and
    optionally a new document. A provider with an empty library is not offered the choice."""

    def __init__(self, *args, criterion: Criterion, library: list[Evidence], answer: Field, **kwargs):
        super().__init__(*args, **kwargs)
        self.library = {str(item.pk): item for item in library}
        self.fields["evidence"].choices = [(str(item.pk), _evidence_label(item)) for item in library]
        self.fields["evidence"].error_messages["invalid_choice"] = "Choose evidence from the list"
        self.fields["title"].required = False
        self.fields["title"].label = "Title of the new document"
        self.fields["file"].required = False
        self.fields["file"].label = "Upload a new document (optional)"
        self.trim_upload_fields(criterion)
        self.helper = form_helper(
            answer,
            *([Field.checkboxes("evidence", legend_size=Size.SMALL, small=True)] if library else []),
            Fieldset(*self.upload_layout(criterion), legend="Add a new document", legend_size=Size.SMALL),
        )
        if not library:
            del self.fields["evidence"]

    text_field: str  # the name of the answer's own text field

    def chosen_evidence(self) -> list[Evidence]:
        return [self.library[pk] for pk in self.cleaned_data.get("evidence", [])]

    def given(self) -> dict[str, Any]:
        """The arguments of the service that saves the answer: its text, the evidence chosen and the upload."""
        text = self.cleaned_data[self.text_field]
        return {self.text_field: text, "evidence": self.chosen_evidence(), "upload": self.new_evidence()}


class ResponseForm(LibraryOrUploadForm):
    """One criterion: the statement, evidence chosen from the library, and optionally a new document."""

    statement = LimitField(
        limit=STATEMENT,
        label="Your statement",
        widget=forms.Textarea,
        required=False,
        max_length=MAX_STATEMENT,
    )
    evidence = forms.MultipleChoiceField(
        label="Evidence from your library",
        help_text="Select the documents that show you meet it.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    text_field = "statement"
    field_order = ["statement", "evidence", "title", "file", "cover_amount", "expires_on"]

    def __init__(self, *args, criterion: Criterion, library: list[Evidence], **kwargs):
        answer = Field.textarea("statement", rows=8, label_size=Size.MEDIUM)
        super().__init__(*args, criterion=criterion, library=library, answer=answer, **kwargs)
        self.fields["statement"].help_text = "Say how you meet this criterion. " + criterion.guidance


class ClarificationForm(LibraryOrUploadForm):
    """The provider's answer to one of the council's questions, with evidence for that criterion if it helps."""

    answer = LimitField(
        limit=ANSWER,
        label="Your answer",
        widget=forms.Textarea,
        max_length=MAX_ANSWER,
        error_messages={"required": "Enter your answer to the council's question"},
    )
    evidence = forms.MultipleChoiceField(
        label="Add evidence from your library (optional)", required=False, widget=forms.CheckboxSelectMultiple
    )

    text_field = "answer"
    field_order = ["answer", "evidence", "title", "file", "cover_amount", "expires_on"]

    def __init__(self, *args, criterion: Criterion, library: list[Evidence], **kwargs):
        answer = Field.textarea("answer", rows=6, label_size=Size.MEDIUM)
        super().__init__(*args, criterion=criterion, library=library, answer=answer, **kwargs)


class DeclarationsForm(forms.Form):
    declarations = forms.MultipleChoiceField(
        label="Declarations",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick each one you can make. You must make all of them before you submit.",
    )

    def __init__(self, *args, declarations: tuple[Declaration, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declarations"].choices = [(d.code, d.text) for d in declarations]
        self.fields["declarations"].error_messages["invalid_choice"] = "Choose declarations from the list"
        self.helper = form_helper(Field.checkboxes("declarations", legend_size=Size.MEDIUM))
