"""Forms of the evaluation and contract pages. They parse and give GOV.UK messages; commissioning.evaluation.services
holds the rules (a required reason, a question for each clarification, admission only when every criterion is met)."""

from crispy_forms_gds.layout import Field, Size
from django import forms

from aphub.commissioning.arrangements.criteria import Criterion
from aphub.commissioning.evaluation.services import (
    ADMIT,
    RECOMMENDATION_REASONS,
    REJECT,
    SCORE_TEXT,
    SEND_BACK_NOTE,
    TEXT_LENGTH,
    Score,
)
from aphub.commissioning.models import Evaluation
from aphub.core.errors import DomainError
from aphub.core.forms.fields import DateField, form_helper
from aphub.core.forms.validators import LimitField


class CriterionScoreForm(forms.Form):
    """One criterion's score on the application page; one form per criterion, prefixed with its code."""

    outcome = forms.ChoiceField(choices=Evaluation.Outcome.choices, widget=forms.RadioSelect, required=False)
    reason = LimitField(limit=SCORE_TEXT, widget=forms.Textarea, required=False, max_length=TEXT_LENGTH)
    question = LimitField(limit=SCORE_TEXT, widget=forms.Textarea, required=False, max_length=TEXT_LENGTH)

    def __init__(self, *args, criterion: Criterion, **kwargs):
        super().__init__(*args, prefix=criterion.code, **kwargs)
        self.criterion = criterion
        title = criterion.title
        self.fields["outcome"].label = f"Your score for {title}"
        self.fields["outcome"].error_messages["invalid_choice"] = (
            f"Choose met, not met or clarification needed for {title}"
        )
        self.fields["reason"].label = f"Reason for your score on {title}"
        self.fields["reason"].help_text = "Officers read this; the provider does not."
        self.fields["question"].label = f"Question for the provider on {title} (clarification needed only)"
        self.fields["question"].help_text = "The provider reads this and answers it on their application."
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.SMALL, small=True, inline=True),
            Field.textarea("reason", rows=3, label_size=Size.SMALL),
            Field.textarea("question", rows=2, label_size=Size.SMALL),
        )

    def clean(self):
        data = super().clean()
        outcome, reason, question = data.get("outcome"), data.get("reason", ""), data.get("question", "")
        title = self.criterion.title
        if outcome:
            # A reason or question refused already (too long) is not also missing.
            if not reason.strip() and "reason" not in self.errors:
                self.add_error("reason", f"Give the reason for your score on {title}")
            if outcome == Evaluation.Outcome.CLARIFICATION and not question.strip() and "question" not in self.errors:
                self.add_error("question", f"Write the question the provider should answer on {title}")
        elif (reason.strip() or question.strip()) and "outcome" not in self.errors:
            self.add_error("outcome", f"Choose met, not met or clarification needed for {title}")
        return data

    def score(self) -> Score | None:
        data = self.cleaned_data
        if not data.get("outcome"):
            return None
        question = data["question"] if data["outcome"] == Evaluation.Outcome.CLARIFICATION else ""
        return Score(criterion=self.criterion.code, outcome=data["outcome"], reason=data["reason"], question=question)


def score_forms(criteria: list[Criterion], data=None) -> list[CriterionScoreForm]:
    return [CriterionScoreForm(data, criterion=criterion) for criterion in criteria]


def add_score_error(forms_by_code: dict[str, CriterionScoreForm], first: CriterionScoreForm, error: DomainError):
    """Show each of a service's messages beside the criterion field it names ("code:field"), else on the first
    criterion."""
    for each in error.errors:
        code, _, name = (each.field or "").partition(":")
        form = forms_by_code.get(code)
        if form is not None and name in form.fields:
            form.add_error(name, each.message)
        else:
            first.add_error("outcome", each.message)


class RecommendForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your recommendation",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to recommend admission or rejection"},
    )
    reasons = LimitField(
        limit=RECOMMENDATION_REASONS,
        label="Reasons",
        help_text="The provider reads these once another officer signs the decision off. Required for a rejection.",
        widget=forms.Textarea,
        required=False,
        max_length=TEXT_LENGTH,
    )

    def __init__(self, *args, lot_word: str = "lot", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (ADMIT, f"Admit the provider to the {lot_word}s it applied for"),
            (REJECT, "Do not admit the provider"),
        ]
        self.helper = form_helper(
            Field.radios("outcome", legend_size=Size.MEDIUM, small=True),
            Field.textarea("reasons", rows=6, label_size=Size.SMALL),
        )


class SendBackForm(forms.Form):
    note = LimitField(
        limit=SEND_BACK_NOTE,
        label="What should be looked at again?",
        help_text="The officer who made the recommendation reads this. The provider does not.",
        widget=forms.Textarea,
        max_length=TEXT_LENGTH,
        error_messages={"required": "Say what should be looked at again"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.textarea("note", rows=5, label_size=Size.SMALL))


class ContractSignedForm(forms.Form):
    signed_on = DateField(
        label="Date the contract was signed", what="date the contract was signed", help_text="For example, 14 1 2026"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("signed_on", legend_size=Size.SMALL))
