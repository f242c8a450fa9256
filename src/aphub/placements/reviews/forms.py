"""Forms of the review and follow-up pages. They parse and give GOV.UK error messages; aphub.placements.reviews.services
holds the rules (dates against the placement, which kinds are allowed, who may write)."""

from crispy_forms.layout import HTML
from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.core.errors import DomainError
from aphub.core.forms.fields import DateField, add_domain_error, form_helper, yes_no_field
from aphub.core.forms.validators import LimitField, text_answer
from aphub.placements.models import OutcomeArea, Review
from aphub.placements.reviews.services import (
    FOLLOW_UP_NOTES,
    FOLLOW_UP_NOTES_LENGTH,
    PARENT_VIEW,
    PUPIL_VOICE,
    REVIEW_TEXT_LENGTH,
    SUMMARY,
    check_review_dates,
)

SCORE_CHOICES = [
    (1, "1: serious concern"),
    (2, "2: some concern"),
    (3, "3: steady"),
    (4, "4: doing well"),
    (5, "5: thriving"),
]
SCORE_HINT = "1 means serious concern, 3 steady, 5 thriving."


def score_field_name(area: str) -> str:
    return f"score_{area}"


class ReviewForm(forms.Form):
    held_on = DateField(
        what="date the review was held", label="When was the review held?", help_text="For example, 27 3 2027"
    )
    pupil_voice = LimitField(
        limit=PUPIL_VOICE,
        label="The child's voice",
        help_text="What the child said about their placement, how they feel and what they want next, in their words.",
        max_length=REVIEW_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Record the child's voice: what they said about their placement"},
    )
    parent_view = LimitField(
        limit=PARENT_VIEW,
        label="The parents' or carers' view (optional)",
        required=False,
        max_length=REVIEW_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary = LimitField(
        limit=SUMMARY,
        label="Summary and actions (optional)",
        help_text="What was agreed, who will do what and by when.",
        required=False,
        max_length=REVIEW_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_review_due = DateField(
        what="date the next review is due",
        label="When is the next review due? (optional)",
        help_text="Leave it empty to use the local authority's review interval. For example, 27 3 2027",
        required=False,
    )

    def __init__(self, *args, kind: str, interval_weeks: int | None = None, placement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.placement = placement
        for area in OutcomeArea:
            self.fields[score_field_name(area.value)] = forms.TypedChoiceField(
                label=area.label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=SCORE_HINT,
                error_messages={
                    "required": f"Choose a score for {area.label}",
                    "invalid_choice": f"Choose a score for {area.label}, from 1 to 5",
                },
            )
        if kind == Review.Kind.EXIT:
            del self.fields["next_review_due"]
        elif interval_weeks:
            self.fields["next_review_due"].help_text = (
                f"Leave it empty and it will be {interval_weeks} weeks after the review, the local authority's "
                "review interval. For example, 27 3 2027"
            )
        score_fields = [
            Field.radios(score_field_name(area.value), legend_size=Size.SMALL, small=True) for area in OutcomeArea
        ]
        later = (
            []
            if kind == Review.Kind.EXIT
            else [Field("next_review_due", context={"legend_size": Size.for_legend(Size.MEDIUM)})]
        )
        self.helper = form_helper(
            Field("held_on", context={"legend_size": Size.for_legend(Size.MEDIUM)}),
            HTML(
                '<h2 class="govuk-heading-m">Outcome scores</h2>'
                '<p class="govuk-body">Score each outcome from 1 (serious concern) to 5 (thriving).</p>'
            ),
            *score_fields,
            Field.textarea("pupil_voice", label_size=Size.MEDIUM, rows=5),
            Field.textarea("parent_view", label_size=Size.MEDIUM, rows=4),
            Field.textarea("summary", label_size=Size.MEDIUM, rows=4),
            *later,
        )
        # The error summary lists problems in the order of the page.
        self.order_fields(
            ["held_on", *(score_field_name(area.value) for area in OutcomeArea), "pupil_voice", "parent_view"]
        )

    def clean(self):
        cleaned = super().clean()
        # The service's date rules, asked as soon as the date is readable: a review held in the future and with
        # no child's voice is told both on the first try.
        if self.placement is not None and cleaned.get("held_on"):
            try:
                check_review_dates(self.placement, self.kind, cleaned["held_on"], cleaned.get("next_review_due"))
            except DomainError as error:
                add_domain_error(self, error, field_for=self.field_for)
        return cleaned

    def scores(self) -> dict[str, int]:
        return {area.value: self.cleaned_data[score_field_name(area.value)] for area in OutcomeArea}

    def field_for(self, service_field: str | None) -> str | None:
        """The form field a service error is about (its field names the outcome area for a score)."""
        if service_field in OutcomeArea.values:
            return score_field_name(service_field)
        if service_field in self.fields:
            return service_field
        return None


class FollowUpForm(forms.Form):
    lasted = yes_no_field(
        "Has the return to school lasted?",
        select="Select yes if the return to school has lasted, or no if it has not",
        coerce=lambda value: value == "yes",
    )
    notes = text_answer(
        "Notes (optional)",
        limit=FOLLOW_UP_NOTES,
        max_length=FOLLOW_UP_NOTES_LENGTH,
        rows=4,
        help_text="For example, how often the child attends, or what happened if the return did not last.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.radios("lasted", legend_size=Size.MEDIUM, inline=False),
            Field.textarea("notes", rows=4),
        )
