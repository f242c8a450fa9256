"""Forms of the referral and panel pages. They parse and give GOV.UK error messages; aphub.placements.referrals.services
holds the rules (who may refer, what a submission needs, what a decision needs, which files are allowed)."""

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms

from aphub.core.errors import DomainError
from aphub.core.forms.fields import (
    ConditionalRadios,
    DateField,
    WholeNumberField,
    add_domain_error,
    document_file_field,
    form_helper,
    yes_no_field,
)
from aphub.core.forms.validators import LimitField, text_answer
from aphub.directory.models import Term
from aphub.placements.models import Episode, PanelDecision, Tier
from aphub.placements.referrals.services import (
    ANSWERS,
    CONSENT_BY,
    DECISION_REASONS,
    DOCUMENT_TITLE,
    MAX_WEEKS,
    PANEL_MEMBERS,
    PANEL_MEMBERS_LENGTH,
    TEXT_LENGTH,
    check_decision,
)


def _text(name: str, label: str, help_text: str = "", rows: int = 4) -> LimitField:
    # Optional: a draft may be incomplete; submitting checks what the panel needs.
    return text_answer(label, limit=ANSWERS[name], max_length=TEXT_LENGTH, rows=rows, help_text=help_text)


class ReferralForm(forms.Form):
    """The standard referral form. Saving keeps a draft; the referral page submits it to the panel."""

    episode = forms.ChoiceField(label="Why does the child need alternative provision?", widget=forms.RadioSelect)
    requested_tier = forms.ChoiceField(
        label="Which tier of provision does the child need?", choices=Tier.choices, widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(label="The child's needs", required=False, widget=forms.CheckboxSelectMultiple)
    needs_summary = _text(
        "needs_summary", "Summary of the child's needs", "Strengths, difficulties, any diagnosis or EHC plan.", 5
    )
    risks = _text("risks", "Risks", "Risks to the child or others, and how they are managed. Leave blank if none.")
    tried_so_far = _text(
        "tried_so_far", "What has been tried", "Support, interventions and adjustments so far, and what happened."
    )
    child_views = _text("child_views", "The child's views", "What the child wants and how they feel, in their words.")
    parent_views = _text("parent_views", "The parents' or carers' views")
    preferred_delivery_modes = forms.MultipleChoiceField(
        label="Preferred ways of delivering the provision", required=False, widget=forms.CheckboxSelectMultiple
    )
    full_time_requested = yes_no_field(
        "Is a full-time place requested?", select="Select whether a full-time place is requested"
    )
    consent_given = forms.BooleanField(
        label="A parent or carer consents to sharing this referral with the panel and providers", required=False
    )
    consent_by = LimitField(
        limit=CONSENT_BY,
        label="Who gave consent (optional)",
        help_text="Their name and relationship to the child",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, episodes: list[Episode], terms: dict[str, list[Term]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].choices = [(str(e.pk), str(e)) for e in episodes]
        self.fields["needs"].choices = [(t.code, t.label) for t in terms.get("need", [])]
        self.fields["preferred_delivery_modes"].choices = [(t.code, t.label) for t in terms.get("delivery-mode", [])]
        self.fields["episode"].error_messages.update(
            required="Select why the child needs alternative provision",
            invalid_choice="Select one of the child's open episodes",
        )
        self.fields["requested_tier"].error_messages.update(
            required="Select the tier of provision the child needs",
            invalid_choice="Select the tier of provision the child needs",
        )
        for name in ("needs", "preferred_delivery_modes"):
            self.fields[name].error_messages["invalid_choice"] = "Choose options from the list"
        self.helper = form_helper(
            Fieldset(
                Field.radios("episode", legend_size=Size.SMALL, small=True),
                Field.radios("requested_tier", legend_size=Size.SMALL, small=True),
                Field.radios("full_time_requested", legend_size=Size.SMALL, small=True, inline=True),
                legend="What is asked for",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.checkboxes("needs", legend_size=Size.SMALL, small=True),
                Field.textarea("needs_summary", label_size=Size.SMALL, rows=5),
                Field.textarea("risks", label_size=Size.SMALL, rows=4),
                Field.textarea("tried_so_far", label_size=Size.SMALL, rows=4),
                Field.checkboxes("preferred_delivery_modes", legend_size=Size.SMALL, small=True),
                legend="The child's needs",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("child_views", label_size=Size.SMALL, rows=4),
                Field.textarea("parent_views", label_size=Size.SMALL, rows=4),
                Field.checkbox("consent_given", small=True),
                Field.text("consent_by"),
                legend="Views and consent",
                legend_size=Size.MEDIUM,
            ),
        )

    @staticmethod
    def initial_from(referral) -> dict:
        return {
            "episode": str(referral.episode_id),
            "requested_tier": referral.requested_tier,
            "needs": [t.code for t in referral.needs.all()],
            "needs_summary": referral.needs_summary,
            "risks": referral.risks,
            "tried_so_far": referral.tried_so_far,
            "child_views": referral.child_views,
            "parent_views": referral.parent_views,
            "preferred_delivery_modes": [t.code for t in referral.preferred_delivery_modes.all()],
            "full_time_requested": "yes" if referral.full_time_requested else "no",
            "consent_given": referral.consent_given,
            "consent_by": referral.consent_by,
        }

    def values(self) -> dict:
        """What the services take, apart from the episode (a model the view looks up among the choices)."""
        data = dict(self.cleaned_data)
        data.pop("episode", None)
        data["full_time_requested"] = data.get("full_time_requested") == "yes"
        return data


class DocumentForm(forms.Form):
    title = LimitField(
        limit=DOCUMENT_TITLE,
        label="Document title",
        help_text="For example, Support plan or Educational psychologist's report",
        max_length=200,
        error_messages={"required": "Enter a title for the document, like Support plan"},
    )
    file = document_file_field(help_text="A PDF, a Word document (.docx), a JPEG or a PNG, smaller than 10 MB")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("title"), Field("file"))


class PanelMeetingForm(forms.Form):
    date = DateField(label="Date of the panel meeting", help_text="For example, 27 3 2027", what="date of the meeting")
    members = LimitField(
        limit=PANEL_MEMBERS,
        label="Panel members",
        help_text="One person per line, with their role, for example, Sam Patel, head teacher, Kingsmead Academy",
        max_length=PANEL_MEMBERS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter who sits on the panel, one person per line"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("date", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.textarea("members", label_size=Size.SMALL, rows=5),
        )


class DecisionForm(forms.Form):
    """One referral's decision on the agenda. Each agenda item has its own prefix, so ids never repeat."""

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[
            (PanelDecision.Outcome.APPROVE, "Approve"),
            (PanelDecision.Outcome.DECLINE, "Decline"),
            (PanelDecision.Outcome.DEFER, "Defer to a later panel"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the panel's decision", "invalid_choice": "Select the panel's decision"},
    )
    tier = forms.ChoiceField(
        label="Tier approved",
        help_text="Only when approving",
        choices=Tier.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select the tier the panel approved"},
    )
    provision = forms.ChoiceField(
        label="Provision approved",
        help_text="Only when approving. The suggested provisions come first.",
        required=False,
        error_messages={"invalid_choice": "Choose a published provision in your local authority's directory"},
    )
    weeks = WholeNumberField(
        label="How many weeks",
        help_text="Only when approving",
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
    )
    decline_reason = forms.ChoiceField(
        label="Why the panel declined",
        help_text="Only when declining. No suitable place counts as unmet need in the LA's sufficiency planning.",
        choices=PanelDecision.DeclineReason.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select why the panel declined the referral"},
    )
    reasons = LimitField(
        limit=DECISION_REASONS,
        label="Reasons for the decision",
        help_text="The school sees these reasons.",
        max_length=TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reasons for the panel's decision"},
    )

    def __init__(self, *args, provisions, suggested_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        by_pk = {p.pk: p for p in provisions}
        self._provisions = {str(p.pk): p for p in provisions}
        suggested = [(str(pk), by_pk[pk].name) for pk in suggested_ids if pk in by_pk]
        others = [(str(p.pk), p.name) for p in provisions if p.pk not in set(suggested_ids)]
        choices: list = [("", "Choose a provision")]
        if suggested:
            choices.append(("Suggested", suggested))
        if others:
            choices.append(("Other published provisions", others))
        self.fields["provision"].choices = choices
        message = f"Enter how many weeks the panel approved, from 1 to {MAX_WEEKS}"
        for code in ("invalid", "min_value", "max_value"):
            self.fields["weeks"].error_messages[code] = message
        self.helper = form_helper(
            # What the panel approved matters only for an approval: revealed under it (GOV.UK conditional reveal).
            ConditionalRadios(
                "outcome",
                {
                    PanelDecision.Outcome.APPROVE: ["tier", "provision", "weeks"],
                    PanelDecision.Outcome.DECLINE: ["decline_reason"],
                },
                legend_size=Size.for_legend(Size.SMALL),
                small=True,
            ),
            Field.textarea("reasons", label_size=Size.SMALL, rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        # The service's own rule, asked with what the form could read: every problem shows on the first try.
        provision = self._provisions.get(cleaned.get("provision") or "")
        try:
            check_decision(
                outcome=cleaned.get("outcome", ""),
                tier=cleaned.get("tier") or "",
                provision=provision,
                weeks=cleaned.get("weeks"),
                local_authority_id=provision.local_authority_id if provision else 0,
                decline_reason=cleaned.get("decline_reason") or "",
            )
        except DomainError as error:
            add_domain_error(self, error)
        return cleaned
