"""Forms of the duties pages. They parse and give GOV.UK error messages; the services hold the rules."""

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms

from aphub.core.forms.fields import DateField, ListChoiceForm, dates_in_order, form_helper, list_choice
from aphub.core.forms.validators import LimitField, NumberLimitField, text_answer

from . import limits, rules
from .models import Clock, LocalPolicy, Owner


class WorklistFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "Any state")]
        + [(value, label) for value, label in Clock.State.choices if value in Clock.RUNNING_STATES],
    )
    rule = forms.ChoiceField(
        label="Duty", required=False, choices=[("", "Any duty")] + [(slug, r.title) for slug, r in rules.RULES.items()]
    )
    owner = forms.ChoiceField(label="Who must act", required=False, choices=[("", "Anyone")] + Owner.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, what in (("state", "a state"), ("rule", "a duty"), ("owner", "who must act")):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list"
        self.helper = form_helper(Field.select("state"), Field.select("rule"), Field.select("owner"))


class TermForm(forms.Form):
    name = text_answer(
        "Name of the term",
        limit=limits.TERM_NAME,
        max_length=limits.TERM_NAME_LENGTH,
        required="Enter the name of the term, like Autumn 1 2026",
        help_text="For example, Autumn 1 2026. Enter each half-term as its own term: the gaps are the holidays.",
    )
    first_day = DateField(what="first day", label="First day of term", help_text="For example, 1 9 2026")
    last_day = DateField(what="last day", label="Last day of term", help_text="For example, 23 10 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS), Field("first_day"), Field("last_day")
        )

    def clean(self):
        cleaned = super().clean()
        dates_in_order(self, "first_day", "last_day", "The last day must be the same as or after the first day")
        return cleaned


class ClosureForm(forms.Form):
    date = DateField(what="date", label="Date of the closure", help_text="For example, 6 11 2026")
    reason = text_answer(
        "Reason",
        limit=limits.CLOSURE_REASON,
        max_length=limits.CLOSURE_REASON_LENGTH,
        required="Enter the reason for the closure, like INSET day",
        initial="INSET day",
        help_text="For example, INSET day",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("date"), Field.text("reason", field_width=Fluid.TWO_THIRDS))


class ChooseSchoolForm(ListChoiceForm):
    school = list_choice("a school", label="School", required="Choose a school")
    choice, among = "school", "schools"


class RecordMetForm(forms.Form):
    met_on = DateField(what="date it was met", label="When was it met?", help_text="For example, 24 11 2026")
    note = text_answer(
        "What was decided?",
        limit=limits.DECISION,
        max_length=limits.DECISION_LENGTH,
        required="Enter what was decided, like 'The governing board upheld the exclusion'",
        rows=3,
        help_text="For example, the governing board upheld the exclusion. Do not enter health or safeguarding details.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("met_on"), Field.textarea("note", rows=3))


def _number(name: str, label: str, help_text: str = "") -> NumberLimitField:
    return NumberLimitField(
        limit=limits.POLICY_NUMBERS[name],
        label=label,
        help_text=help_text,
        error_messages={"required": limits.POLICY_NUMBER_MESSAGES[name]},
    )


class PolicyForm(forms.Form):
    due_soon_school_days = _number(
        "due_soon_school_days",
        "Due soon window, in school days",
        "Clocks show as 'due soon', and officers get a reminder, this many school days before they are due",
    )
    review_interval_weeks = _number("review_interval_weeks", "Weeks between placement reviews")
    tier_2_planned_weeks = _number("tier_2_planned_weeks", "Planned length of a tier 2 placement, in weeks")
    consecutive_absence_alert = _number(
        "consecutive_absence_alert", "Alert after this many sessions of absence in a row"
    )
    follow_up_weeks = LimitField(
        limit=limits.follow_up_weeks,
        label="Follow-up after exit, in weeks",
        max_length=20,
        help_text="Whole numbers separated by commas, like 6,12",
        error_messages={
            "required": "Enter the follow-up weeks, like 6,12",
        },
    )
    place_funding_annual = NumberLimitField(
        limit=limits.place_funding_annual,
        width=10,
        decimal=True,
        label="Place funding a year, in pounds",
        error_messages={"required": limits.PLACE_FUNDING},
    )
    unregistered_max_weeks = _number("unregistered_max_weeks", "Longest placement at unregistered AP, in weeks")
    unregistered_max_sessions = _number("unregistered_max_sessions", "Most sessions a week at unregistered AP")
    publication_threshold = _number(
        "publication_threshold",
        "Smallest count published",
        "The committee pack and other published figures show smaller counts as c, so that no child can be picked out",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = [name for name in self.fields if name not in ("follow_up_weeks", "place_funding_annual")]
        self.helper = form_helper(
            *[Field.text(name, field_width=Fixed.THREE, label_size=Size.SMALL) for name in numbers],
            Field.text("follow_up_weeks", field_width=Fixed.TEN, label_size=Size.SMALL),
            Field.text("place_funding_annual", field_width=Fixed.TEN, label_size=Size.SMALL),
        )

    @staticmethod
    def initial_from(policy: LocalPolicy) -> dict:
        return {name: getattr(policy, name) for name in PolicyForm.base_fields}
