"""Forms of the episode and placement pages. They parse; placements.services holds the rules and the messages."""

from crispy_forms_gds.layout import Field, Fixed, Size
from django import forms

from aphub.commissioning.models import Admission
from aphub.core.days.school_years import KEY_STAGE_LABELS, KS1, KS2, KS3, KS4, POST_16
from aphub.core.forms import fields
from aphub.core.forms.fields import (
    ConditionalRadios,
    DateField,
    ListChoiceForm,
    WholeNumberField,
    form_helper,
    list_choice,
)
from aphub.core.forms.validators import LimitField, NumberLimitField, text_answer
from aphub.core.money import format_money

from . import limits
from .models import Commissioner, Destination, EpisodeKind, Payer, Registration, Tier


def _reason_the_service_asks(label: str, help_text: str) -> LimitField:
    """A reason kept with the record (a correction's, a top-up exception's) that the service asks for when it applies,
    with every other problem at once: so it may be left empty here."""
    return text_answer(
        label, limit=limits.reason, max_length=limits.REASON_LENGTH, help_text=help_text, widget=forms.Textarea
    )


class EpisodeForm(forms.Form):
    kind = forms.ChoiceField(
        label="Why does the child need alternative provision?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the child needs alternative provision"},
    )
    start_date = DateField(
        label="When did it start?",
        what="start date",
        help_text="The first day of the exclusion or suspension, or the day the need arose. For example, 3 11 2026",
    )
    # The rules of these are placements.rules' (written once, with their law); the form only parses. A suspension's
    # school days are counted from the school calendar between its first day (start_date) and this one.
    suspension_last_day = DateField(
        label="Suspensions only: what is the last day of the suspension?",
        what="last day of the suspension",
        help_text="More than 5 school days from the first day: the school arranges full-time education from the 6th "
        "school day. Weekends, holidays and INSET days are not counted. For example, 20 11 2026",
        required=False,
    )
    days_missed = WholeNumberField(
        label="Health needs only: school days missed so far",
        help_text="The LA arranges education once a child will miss 15 or more school days",
        required=False,
        error_messages={"invalid": "Enter the number of school days missed as a whole number"},
    )
    summary = LimitField(
        limit=limits.summary,
        label="Summary (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=limits.SUMMARY_LENGTH,
    )

    def __init__(self, *args, kinds=EpisodeKind.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.helper = form_helper(
            # The day counts matter for one kind each: revealed under it (GOV.UK conditional reveal).
            ConditionalRadios(
                "kind",
                {EpisodeKind.SUSPENSION: ["suspension_last_day"], EpisodeKind.HEALTH_NEEDS: ["days_missed"]},
                legend_size=Size.for_legend(Size.MEDIUM),
                small=True,
            ),
            Field("start_date"),
            Field.textarea("summary", rows=4),
        )


class EpisodeCorrectionForm(forms.Form):
    """Correct the dates or details of an episode recorded in error; its kind is fixed (withdraw it instead)."""

    start_date = DateField(label="When did it start?", what="start date", help_text="For example, 3 11 2026")
    suspension_last_day = EpisodeForm.base_fields["suspension_last_day"]
    days_missed = EpisodeForm.base_fields["days_missed"]
    summary = EpisodeForm.base_fields["summary"]
    reason = _reason_the_service_asks(
        "Why are you correcting it?", "Kept in the child's history with your name and the date"
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if kind != EpisodeKind.SUSPENSION:
            del self.fields["suspension_last_day"]
        else:
            self.fields["start_date"].label = "What was the first day of the suspension?"
            self.fields["suspension_last_day"].label = "What is the last day of the suspension?"
        if kind != EpisodeKind.HEALTH_NEEDS:
            del self.fields["days_missed"]
        else:
            self.fields["days_missed"].label = "School days missed so far"
        self.helper = form_helper(
            Field("start_date"),
            *[Field(name) for name in ("suspension_last_day",) if name in self.fields],
            *[Field.text(name, field_width=Fixed.FIVE) for name in ("days_missed",) if name in self.fields],
            Field.textarea("summary", rows=4),
            Field.textarea("reason", rows=3, label_size=Size.SMALL),
        )


class OfferForm(forms.Form):
    episode = forms.TypedChoiceField(
        label="Which episode does this placement serve?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the episode", "invalid_choice": "Choose the episode"},
    )
    provision = list_choice("a provision", label="Provision", required="Choose a provision")
    tier = forms.ChoiceField(
        choices=Tier.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the tier"}
    )
    start_date = DateField(label="Start date", what="start date")
    planned_end_date = DateField(
        label="Planned end date (optional)",
        what="planned end date",
        required=False,
        help_text="Tier 2 placements end after the weeks the LA sets unless you set another date.",
    )
    is_full_time = forms.TypedChoiceField(
        label="Full or part time?",
        choices=[("yes", "Full time"), ("no", "Part time")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose full or part time"},
    )
    sessions_per_week = NumberLimitField(
        limit=limits.sessions_per_week,
        width=2,
        label="Sessions a week",
        help_text="A morning or an afternoon is one session; full time is 10.",
        error_messages={"required": "Enter the sessions a week"},
    )
    hours_per_week = LimitField(
        limit=limits.hours_per_week,
        label="Hours a week",
        max_length=6,
        error_messages={"required": "Enter the hours a week"},
    )
    part_time_reason = text_answer(
        "Why part time?", limit=limits.PART_TIME_REASON, max_length=limits.PART_TIME_REASON_LENGTH, rows=10
    )
    part_time_review_date = DateField(
        label="When will the part-time place be reviewed?", what="part-time review date", required=False
    )
    registration = forms.ChoiceField(
        choices=Registration.choices, widget=forms.RadioSelect, error_messages={"required": "Choose the registration"}
    )
    annual_cost = LimitField(
        limit=limits.annual_cost,
        label="Annual cost of the place, in pounds",
        help_text="Place funding and top-up are worked out from this, pro rata to the placement's dates.",
        max_length=14,
        error_messages={"required": "Enter the annual cost"},
    )
    # Shown instead of the annual cost where the LA prices top-ups by band (placements.top_ups): each band's id, or
    # EXCEPTION. Cleaned, `top_up_band` is the band (or None) and `top_up_exception` says whether it is an exception.
    top_up_band = forms.ChoiceField(
        label="Top-up band",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose a top-up band from the list"},
    )
    top_up_amount = LimitField(
        limit=limits.top_up_amount, label="Annual top-up, in pounds", max_length=14, required=False, empty_value=None
    )
    top_up_exception_reason = _reason_the_service_asks(
        "Why is the top-up outside the bands?", "It is kept on the placement and in its change log."
    )
    expected_outcomes = text_answer(
        "Expected outcomes (optional)",
        limit=limits.EXPECTED_OUTCOMES,
        max_length=limits.EXPECTED_OUTCOMES_LENGTH,
        rows=4,
    )
    over_limit_reason = text_answer(
        "Unregistered provision only: why go past the LA's limits?",
        limit=limits.OVER_LIMIT_REASON,
        max_length=limits.OVER_LIMIT_REASON_LENGTH,
        rows=3,
        help_text="Needed when a placement at an unregistered provider is longer, or has more sessions a week, than "
        "the LA allows. It is kept on the placement and in its change log.",
    )
    # The value is an admission's id; cleaned, it is that admission's lot (offer_placement checks it is eligible).
    lot = forms.CharField(
        label="Lot or part of the commercial arrangement (optional)",
        help_text="Choose the provision's provider and the lot or part the place is bought under.",
        required=False,
        widget=forms.Select,
    )

    EXCEPTION = "exception"

    def __init__(self, *args, episodes, provisions, admissions=(), bands=(), **kwargs):
        super().__init__(*args, **kwargs)
        # With bands, the officer chooses one (or an exception) and the annual cost follows; without, as before.
        self._bands = {str(band.pk): band for band in bands}
        if self._bands:
            del self.fields["annual_cost"]
            self.fields["top_up_band"].choices = [
                (key, f"Band {band.code}: {band.label}, {format_money(band.annual_amount)} a year ({band.scope})")
                for key, band in self._bands.items()
            ] + [(self.EXCEPTION, "Exception: another amount")]
            top_up = ConditionalRadios(
                "top_up_band",
                {self.EXCEPTION: ["top_up_amount", "top_up_exception_reason"]},
                legend_size=Size.for_legend(Size.SMALL),
                small=True,
            )
        else:
            for name in ("top_up_band", "top_up_amount", "top_up_exception_reason"):
                del self.fields[name]
        self.fields["episode"].choices = [(episode.pk, str(episode)) for episode in episodes]
        self.fields["provision"].queryset = provisions
        self.fields["provision"].label_from_instance = lambda p: f"{p.name} ({p.provider.display_name})"
        # Every admission of the LA's lots is accepted, so one suspended since the page was drawn gets the service's
        # message; only the admitted ones are offered.
        self._admissions = {str(admission.pk): admission for admission in admissions}
        self.fields["lot"].widget.choices = [("", "None: not bought under an arrangement")] + [
            (key, f"{admission.provider.display_name} – {admission.lot}")
            for key, admission in self._admissions.items()
            if admission.status == Admission.Status.ADMITTED
        ]
        self.helper = form_helper(
            Field.radios("episode", legend_size=Size.SMALL, small=True),
            Field.select("provision"),
            *([Field.select("lot")] if len(self.fields["lot"].widget.choices) > 1 else []),
            Field.radios("tier", legend_size=Size.SMALL, small=True),
            Field("start_date"),
            Field("planned_end_date"),
            # Why part time, and when it is reviewed, matter only for a part-time place: revealed under it.
            ConditionalRadios(
                "is_full_time",
                {"no": ["part_time_reason", "part_time_review_date"]},
                legend_size=Size.for_legend(Size.SMALL),
                small=True,
            ),
            Field.text("sessions_per_week", field_width=Fixed.TWO),
            Field.text("hours_per_week", field_width=Fixed.FIVE),
            Field.radios("registration", legend_size=Size.SMALL, small=True),
            top_up if self._bands else Field.text("annual_cost", field_width=Fixed.TEN),
            Field.textarea("expected_outcomes", rows=4),
            Field.textarea("over_limit_reason", rows=3),
        )

    def clean(self):
        cleaned = super().clean()
        if self._bands:
            key = cleaned.pop("top_up_band", "") or ""
            cleaned["top_up_band"] = self._bands.get(key)
            cleaned["top_up_exception"] = key == self.EXCEPTION
        return cleaned

    def clean_lot(self):
        key = self.cleaned_data.get("lot", "")
        if not key:
            return None
        admission = self._admissions.get(key)
        if admission is None:
            raise forms.ValidationError("Choose a lot or part from the list")
        return admission.lot


class ReasonForm(fields.ReasonForm):
    reason = fields.reason_field(limit=limits.reason, max_length=limits.REASON_LENGTH)


class StartForm(forms.Form):
    on = DateField(label="The child's first day", what="first day")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field("on"))


class EndForm(forms.Form):
    end_date = DateField(label="The child's last day", what="last day")
    destination = forms.ChoiceField(
        label="Where did the child go next?",
        choices=Destination.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the child went next"},
    )
    destination_school = list_choice("a school", label="School the child moves to (for a new or special school)")
    notes = text_answer("Notes (optional)", limit=limits.EXIT_NOTES, max_length=limits.EXIT_NOTES_LENGTH, rows=3)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination_school"].queryset = schools
        self.helper = form_helper(
            Field("end_date"),
            Field.radios("destination", legend_size=Size.SMALL, small=True),
            Field.select("destination_school"),
            Field.textarea("notes", rows=3),
        )


class CommissioningSchoolForm(ListChoiceForm):
    school = list_choice(
        "a school",
        label="Which school commissions this placement?",
        help_text="The school pays the top-up and acts as the placement's commissioner.",
        required="Choose the school",
    )
    choice, among = "school", "schools"


class WaitingListForm(ListChoiceForm):
    provision = list_choice("a provision", required="Choose a provision")
    choice, among = "provision", "provisions"


class RouteForm(forms.Form):
    name = LimitField(
        limit=limits.ROUTE_NAME,
        label="Name",
        max_length=limits.ROUTE_NAME_LENGTH,
        error_messages={"required": "Enter a name for the route"},
    )
    commissioner = forms.ChoiceField(label="Who commissions", choices=Commissioner.choices, widget=forms.RadioSelect)
    place_funding_payer = forms.ChoiceField(
        label="Who pays place funding",
        choices=[("la", "Local authority (High Needs Block)"), ("school", "School"), ("", "No place funding")],
        widget=forms.RadioSelect,
        required=False,
    )
    top_up_payer = forms.ChoiceField(label="Who pays the top-up", choices=Payer.choices, widget=forms.RadioSelect)
    registration = forms.ChoiceField(label="Registration", choices=Registration.choices, widget=forms.RadioSelect)
    registration_note = LimitField(
        limit=limits.REGISTRATION_NOTE,
        label="Registration note (optional)",
        max_length=limits.REGISTRATION_NOTE_LENGTH,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field.text("name"),
            Field.radios("commissioner", legend_size=Size.SMALL, small=True),
            Field.radios("place_funding_payer", legend_size=Size.SMALL, small=True),
            Field.radios("top_up_payer", legend_size=Size.SMALL, small=True),
            Field.radios("registration", legend_size=Size.SMALL, small=True),
            Field.text("registration_note"),
        )


# The key stages of children in alternative provision: from Year 1 (AP providers do not take children younger, see
# core.days.school_years) to post-16 (beyond compulsory school age, still on a roll or placed).
PUPIL_KEY_STAGES = (KS1, KS2, KS3, KS4, POST_16)


class PupilFilterForm(forms.Form):
    """The pupils list's filters (GET). Every field is optional; a value not in a list is an error, not a 500."""

    q = forms.CharField(label="Name or UPN", max_length=100, required=False)
    school = forms.ChoiceField(label="School", required=False)
    placement = forms.ChoiceField(label="Placement", required=False)
    tier = forms.ChoiceField(
        label="Tier of the current placement",
        required=False,
        choices=[("", "Any tier"), *((value, f"Tier {value}") for value in Tier.values)],
    )
    key_stage = forms.ChoiceField(
        label="Key stage this school year",
        required=False,
        choices=[("", "Any key stage"), *((code, KEY_STAGE_LABELS[code]) for code in PUPIL_KEY_STAGES)],
    )

    def __init__(self, *args, schools, placement_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [("", "Any school"), *((str(school.pk), school.name) for school in schools)]
        self.fields["placement"].choices = [("", "Any"), *placement_choices.items()]
        self.fields["q"].error_messages["max_length"] = "Enter a name or UPN of 100 characters or fewer"
        for name, what in (
            ("school", "a school"),
            ("placement", "a placement"),
            ("tier", "a tier"),
            ("key_stage", "a key stage"),
        ):
            self.fields[name].error_messages["invalid_choice"] = f"Choose {what} from the list"
        if len(schools) < 2:  # one school to choose from (school staff see their own) is no filter
            del self.fields["school"]
        self.helper = form_helper(*(Field.select(name) if name != "q" else Field.text(name) for name in self.fields))
        self.helper.disable_csrf = True  # a GET form

    def filters(self) -> dict:
        """The chosen filters for queries.pupils_for; none when the form is invalid (the page shows its errors)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "words": data["q"],
            "school_id": int(data["school"]) if data.get("school") else None,
            "placement": data["placement"],
            "tier": data["tier"],
            "key_stage": data["key_stage"],
        }
