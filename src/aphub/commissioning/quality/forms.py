"""Forms of the quality pages. They parse and give GOV.UK error messages; commissioning.quality.services holds the
rules."""

from crispy_forms.layout import HTML
from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from aphub.commissioning.models import MonitoringVisit, QAArea, Rating
from aphub.commissioning.quality.services import (
    ACTION,
    ACTION_OWNER,
    NOTE,
    REASON,
    SUMMARY,
    TEXT_LIMIT,
    VISIT_BECAUSE,
    area_note,
)
from aphub.core.forms.fields import DateField, WholeNumberField, form_helper, yes_no_field
from aphub.core.forms.validators import Limit, LimitField

RATING_CHOICES = [(rating.value, rating.label) for rating in Rating]


def _date(name: str, size: str = Size.SMALL) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(size)})


def _text_area(
    *, label: str, what: str, limit: Limit[str], max_length: int = TEXT_LIMIT, help_text: str = "", rows: int = 4
) -> LimitField:
    return LimitField(
        limit=limit,
        label=label,
        help_text=help_text,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {what}"},
    )


class QualityPolicyForm(forms.Form):
    routine_visits_per_year = WholeNumberField(
        width=2,
        label="Routine visits a year for each admitted provider",
        min_value=0,
        max_value=12,
        error_messages={
            "required": "Enter how many routine visits a year each provider gets",
            "invalid": "Enter the number of routine visits as a whole number, like 2",
            "min_value": "Enter from 0 to 12 routine visits a year",
            "max_value": "Enter from 0 to 12 routine visits a year",
        },
    )
    concern_visit_working_days = WholeNumberField(
        label="Working days within which a concern visit happens",
        help_text="After a red rating or an upheld complaint",
        min_value=1,
        max_value=120,
        error_messages={
            "required": "Enter the number of working days",
            "invalid": "Enter the number of working days as a whole number, like 20",
            "min_value": "Enter from 1 to 120 working days",
            "max_value": "Enter from 1 to 120 working days",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("routine_visits_per_year", field_width=Fluid.ONE_QUARTER),
            Field.text("concern_visit_working_days", field_width=Fluid.ONE_QUARTER),
        )


class ScheduleVisitForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the visit needed?",
        choices=MonitoringVisit.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the visit is needed",
            "invalid_choice": "Choose why the visit is needed",
        },
    )
    scheduled_for = DateField(
        label="When will the visit be?", what="date of the visit", help_text="For example, 27 3 2027"
    )
    because = LimitField(
        limit=VISIT_BECAUSE,
        label="What prompted it (optional)",
        help_text="For example, a school raised a safeguarding concern. No child's name.",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("reason", legend_size=Size.SMALL),
            _date("scheduled_for"),
            Field.text("because"),
        )


class RescheduleVisitForm(forms.Form):
    scheduled_for = DateField(
        label="New date of the visit", what="new date of the visit", help_text="For example, 27 3 2027"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_date("scheduled_for"))


def note_field(area: str) -> str:
    return f"{area}_note"


class RecordVisitForm(forms.Form):
    held_on = DateField(
        label="When was the visit held?", what="date the visit was held", help_text="For example, 27 3 2027"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [_date("held_on", Size.MEDIUM), HTML('<h2 class="govuk-heading-m">Ratings</h2>')]
        order = ["held_on"]
        for area in QAArea:
            self.fields[area.value] = forms.ChoiceField(
                label=area.label,
                choices=RATING_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose a rating for {area.label.lower()}",
                    "invalid_choice": f"Choose a rating for {area.label.lower()}",
                },
            )
            self.fields[note_field(area.value)] = LimitField(
                limit=area_note(area.label),
                label=f"Notes on {area.label.lower()}",
                help_text="Say why, if the rating is amber or red.",
                required=False,
                max_length=TEXT_LIMIT,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            layout += [
                Field.radios(area.value, legend_size=Size.SMALL, inline=True),
                Field.textarea(note_field(area.value), rows=3),
            ]
            order += [area.value, note_field(area.value)]
        self.fields["overall"] = forms.ChoiceField(
            label="Overall rating",
            choices=RATING_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose an overall rating", "invalid_choice": "Choose an overall rating"},
        )
        self.fields["summary"] = _text_area(label="Summary", what="a summary of the visit", limit=SUMMARY, rows=5)
        layout += [
            Field.radios("overall", legend_size=Size.MEDIUM),
            Field.textarea("summary", label_size=Size.MEDIUM, rows=5),
        ]
        self.order_fields([*order, "overall", "summary"])
        self.helper = form_helper(*layout)

    def ratings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {area.value: (data[area.value], data[note_field(area.value)]) for area in QAArea}


class ActionForm(forms.Form):
    description = _text_area(
        label="What needs to be done?", what="what needs to be done", limit=ACTION, max_length=2000
    )
    owner = LimitField(
        limit=ACTION_OWNER,
        label="Who will do it?",
        help_text="For example, the provider's head of centre",
        max_length=200,
        error_messages={"required": "Enter who will do it"},
    )
    due_on = DateField(label="When is it due?", what="date the action is due", help_text="For example, 27 3 2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("description", rows=4), Field.text("owner"), _date("due_on"))


class ProviderNoteForm(forms.Form):
    note = _text_area(
        label="What have you done?",
        what="what you have done",
        limit=NOTE,
        help_text="The local authority reads your note and marks the action done.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("note", label_size=Size.MEDIUM, rows=4))


class CloseActionForm(forms.Form):
    done_on = DateField(label="When was it done?", what="date the action was done", help_text="For example, 27 3 2027")
    note = _text_area(label="How was it done?", what="how the action was done", limit=NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_date("done_on"), Field.textarea("note", rows=4))


class ComplaintForm(forms.Form):
    received_on = DateField(
        label="When was it received?", what="date the complaint was received", help_text="For example, 27 3 2027"
    )
    summary = _text_area(
        label="What is the complaint about?",
        what="what the complaint is about",
        limit=SUMMARY,
        help_text="Do not name the child: the complaint is about the provider.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(_date("received_on"), Field.textarea("summary", rows=5))


class DecideComplaintForm(forms.Form):
    upheld = yes_no_field(
        "Is the complaint upheld?",
        select="Select yes if the complaint is upheld, or no if it is not",
        help_text="An upheld complaint plans a concern visit.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.radios("upheld", legend_size=Size.MEDIUM, inline=True))


class AdmissionReasonForm(forms.Form):
    reason = _text_area(label="Reason", what="the reason", limit=REASON, help_text="The provider reads this.")

    def __init__(self, *args, label: str = "Reason", missing: str = "Enter the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = missing
        self.helper = form_helper(Field.textarea("reason", label_size=Size.MEDIUM, rows=4))
