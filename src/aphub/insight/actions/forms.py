"""The action plan's forms: an action's progress (owner, due date, status, RAG, evidence), and a new action with its
words too. They parse and name the problem; services.py holds the rules and asks the same limits."""

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms

from aphub.core.forms.fields import DateField, form_helper
from aphub.core.forms.validators import text_answer

from ..models import StrategyAction
from . import services


class ActionForm(forms.Form):
    owner = text_answer(
        "Owner",
        limit=services.OWNER,
        max_length=services.OWNER_LENGTH,
        help_text="The officer or team who leads the action, for example Head of Inclusion",
    )
    due_on = DateField(what="due date", label="Due date", required=False, help_text="For example, 31 7 2027")
    status = forms.ChoiceField(
        label="Status",
        choices=StrategyAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the action stands", "invalid_choice": "Choose where it stands"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        choices=[*StrategyAction.Rag.choices, ("", "Not rated yet")],
        widget=forms.RadioSelect,
        help_text="Red: off track. Amber: at risk. Green: on track or done.",
        error_messages={"invalid_choice": "Choose red, amber or green"},
    )
    evidence = text_answer(
        "Evidence",
        limit=services.EVIDENCE,
        max_length=services.EVIDENCE_LENGTH,
        rows=5,
        help_text="What has been done and what shows it: a paper to Schools Forum, a new service, the figures",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.layout())

    def clean(self):
        cleaned = super().clean()
        if services.done_without_evidence(cleaned.get("status", ""), cleaned.get("evidence")):
            self.add_error("evidence", services.DONE_NEEDS_EVIDENCE)
        return cleaned

    def layout(self) -> list:
        return [
            Field.text("owner", field_width=Fluid.TWO_THIRDS),
            Field("due_on"),
            Field.radios("status", legend_size=Size.SMALL, inline=True),
            Field.radios("rag", legend_size=Size.SMALL, inline=True),
            Field.textarea("evidence", rows=5),
        ]


class NewActionForm(ActionForm):
    title = text_answer(
        "Action",
        limit=services.TITLE,
        max_length=services.TITLE_LENGTH,
        rows=3,
        required="Enter the action",
        help_text="What the LA will do, as the strategy or the committee words it",
    )

    field_order = ["title", "owner", "due_on", "status", "rag", "evidence"]

    def layout(self) -> list:
        return [Field.textarea("title", rows=3), *super().layout()]
