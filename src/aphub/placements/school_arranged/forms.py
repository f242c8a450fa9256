"""Forms of the pages where a school records the AP it arranged: one placement, or a census AP file.

They parse only what a person's inputs need (which pupil, which kind of provider, a GOV.UK date input's three boxes)
and give the census values as text, as a file row gives them: census.read_row reads them and the one importer
(services.record_school_arranged) checks them, so a value means the same on the page as in a file. The form's own
problems are added to the row's, so one submission shows every problem at once, the importer's checks included.
"""

from crispy_forms_gds.layout import Field, Fixed, Size
from django import forms

from aphub.core.forms.fields import (
    ConditionalRadios,
    DateField,
    TableFileForm,
    form_helper,
    list_choice,
    number_input,
    table_file_field,
)
from aphub.core.forms.validators import LimitField
from aphub.placements import limits
from aphub.placements.models import PlacementReason, SettingType, Tier
from aphub.pupils.models import Pupil

from .census import FULL_TIME, PART_TIME, SchoolArrangedRow, read_row

KNOWN, NEW = "known", "new"
DIRECTORY, URN, UKPRN, SETTING = "directory", "urn", "ukprn", "setting"
PUPIL_FIELDS = ("upn", "surname", "forename", "date_of_birth")
PROVIDER_FIELDS = ("provision", "urn", "ukprn", "setting_type", "provider_name")


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Pupil) -> str:
        return f"{obj.last_name}, {obj.first_name} ({obj.upn})"


def _text(label: str, **kwargs) -> forms.CharField:
    """A census value as text, read and checked by census.read_row (its messages), so never required here."""
    return forms.CharField(label=label, required=False, strip=True, **kwargs)


def _width(characters: int) -> forms.TextInput:
    """A text input as wide as its answer (GOV.UK fixed-width inputs): fields revealed under a radio are drawn
    without a layout of their own, so the width is the widget's."""
    return forms.TextInput(attrs={"class": f"govuk-input--width-{characters}", "spellcheck": "false"})


class RecordForm(forms.Form):
    who = forms.ChoiceField(
        label="Who is the placement for?",
        choices=[(KNOWN, "A pupil on your school's roll in AP Hub"), (NEW, "Another pupil: enter their details")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the pupil, or enter their details"},
    )
    pupil = PupilChoiceField(
        queryset=Pupil.objects.none(),
        label="Pupil",
        empty_label="Choose a pupil",
        required=False,
        error_messages={"invalid_choice": "Choose a pupil from the list"},
    )
    upn = _text("Unique pupil number (UPN)", help_text="13 characters, like A801200012345", widget=_width(20))
    surname = _text("Surname")
    forename = _text("Forename")
    date_of_birth = DateField(
        label="Date of birth", what="date of birth", required=False, help_text="For example, 27 3 2012"
    )
    provider_kind = forms.ChoiceField(
        label="Who provides the placement?",
        choices=[
            (DIRECTORY, "A provision in the LA's directory"),
            (URN, "A registered school or college with a URN"),
            (UKPRN, "A provider registered with a UKPRN"),
            (SETTING, "A provider with neither a URN nor a UKPRN"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who provides the placement"},
    )
    provision = list_choice("a provision", label="Provision")
    provision_setting_type = forms.ChoiceField(
        label="Type of setting (only if its provider has no URN or UKPRN)",
        choices=[("", "Not needed"), *SettingType.choices],
        required=False,
    )
    urn = _text("URN", help_text="The unique reference number of the school or college: 6 digits", widget=_width(10))
    ukprn = _text("UKPRN", help_text="The UK provider reference number: 8 digits, starting with 1", widget=_width(10))
    setting_type = forms.ChoiceField(
        label="Type of setting", choices=SettingType.choices, widget=forms.RadioSelect, required=False
    )
    provider_name = _text("Provider's name (optional)")
    reason = forms.ChoiceField(
        label="What is the main reason for the placement?",
        choices=PlacementReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the main reason for the placement"},
    )
    entry_date = DateField(label="Entry date", what="entry date", required=False, help_text="For example, 7 9 2026")
    leaving_date = DateField(
        label="Leaving date (optional)",
        what="leaving date",
        required=False,
        help_text="The last day of the placement, if you know it. For example, 18 12 2026",
    )
    sessions_per_week = _text(
        "Sessions a week", help_text="A morning or an afternoon is one session: 10 is full time", widget=number_input(2)
    )
    attendance_pattern = forms.ChoiceField(
        label="Full or part time?",
        choices=[(FULL_TIME, "Full time"), (PART_TIME, "Part time")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose full time or part time"},
    )
    hours_per_week = _text("Hours a week", help_text="For example, 12.5", widget=number_input(4, decimal=True))
    weekly_cost = _text(
        "Weekly cost in pounds",
        help_text="What a week of the place costs, like 250.00",
        widget=number_input(10, decimal=True),
    )
    tier = forms.ChoiceField(
        choices=Tier.choices,
        widget=forms.RadioSelect,
        initial=Tier.TIER_2,
        error_messages={"required": "Choose the tier"},
    )

    def __init__(self, *args, pupils, provisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["provision"].queryset = provisions
        self.helper = form_helper(
            # GOV.UK conditional reveals: each answer's own questions sit under it (shown under it without JavaScript).
            ConditionalRadios(
                "who",
                {KNOWN: ["pupil"], NEW: ["upn", "surname", "forename", "date_of_birth"]},
                legend_size=Size.for_legend(Size.MEDIUM),
            ),
            ConditionalRadios(
                "provider_kind",
                {
                    DIRECTORY: ["provision", "provision_setting_type"],
                    URN: ["urn"],
                    UKPRN: ["ukprn"],
                    SETTING: ["setting_type", "provider_name"],
                },
                legend_size=Size.for_legend(Size.MEDIUM),
            ),
            Field.radios("reason", legend_size=Size.MEDIUM),
            Field("entry_date"),
            Field("leaving_date"),
            Field.text("sessions_per_week", field_width=Fixed.TWO),
            Field.radios("attendance_pattern", legend_size=Size.SMALL, inline=True),
            Field.text("hours_per_week", field_width=Fixed.FOUR),
            Field.text("weekly_cost", field_width=Fixed.TEN),
            Field.radios("tier", legend_size=Size.SMALL),
        )

    def clean(self):
        data = super().clean()
        # An answer that reveals a question needs its answer (GOV.UK conditional reveal); read_row checks the rest.
        if data.get("who") == KNOWN and not data.get("pupil") and "pupil" not in self.errors:
            self.add_error("pupil", "Choose the pupil")
        kind = data.get("provider_kind")
        required = {
            DIRECTORY: ("provision", "Choose the provision"),
            URN: ("urn", "Enter the school or college's URN"),
            UKPRN: ("ukprn", "Enter the provider's UKPRN"),
            SETTING: ("setting_type", "Choose the type of setting"),
        }
        if kind in required:
            name, message = required[kind]
            if not data.get(name) and name not in self.errors:
                self.add_error(name, message)
        return data

    def row(self) -> SchoolArrangedRow:
        """The census row of what was entered (census.read_row), carrying every problem the form found too."""
        self.is_valid()
        data = self.cleaned_data
        kind = data.get("provider_kind")
        values: dict = {}
        pupil = data.get("pupil")
        if data.get("who") == KNOWN and pupil is not None:
            values |= {
                "upn": pupil.upn,
                "surname": pupil.last_name,
                "forename": pupil.first_name,
                "date_of_birth": pupil.date_of_birth.isoformat(),
            }
        else:
            values |= {name: data.get(name) or "" for name in ("upn", "surname", "forename")}
            values["date_of_birth"] = _iso(data.get("date_of_birth"))
        provision = data.get("provision") if kind == DIRECTORY else None
        if provision is not None:
            values["provision_id"] = provision.pk
            values["setting_type"] = data.get("provision_setting_type") or ""
        elif kind == URN:
            values["urn"] = data.get("urn") or ""
        elif kind == UKPRN:
            values["ukprn"] = data.get("ukprn") or ""
        elif kind == SETTING:
            values["setting_type"] = data.get("setting_type") or ""
            values["provider_name"] = data.get("provider_name") or ""
        values |= {
            "reason": data.get("reason") or "",
            "entry_date": _iso(data.get("entry_date")),
            "leaving_date": _iso(data.get("leaving_date")),
            "sessions_per_week": data.get("sessions_per_week") or "",
            "attendance_pattern": data.get("attendance_pattern") or "",
            "hours_per_week": data.get("hours_per_week") or "",
            "weekly_cost": data.get("weekly_cost") or "",
        }
        row = read_row(values)
        row.provision_id = provision.pk if provision is not None else None
        row.tier = data.get("tier") or ""
        # The form's own problems are the row's too: the importer refuses the row (writes nothing) and adds its own.
        for name, messages in self.errors.items():
            for message in messages:
                row.refuse(message, name)
        return row

    def field_for(self, name: str | None) -> str | None:
        """The input a problem of the row's field belongs to on this page (add_domain_error's field_for)."""
        who = self.data.get("who")
        kind = self.data.get("provider_kind")
        if name in PUPIL_FIELDS:
            return name if who == NEW else "pupil" if who == KNOWN else "who"
        if name in PROVIDER_FIELDS:
            # A problem with how the provider is named belongs to the question revealed for the answer chosen.
            if kind not in (DIRECTORY, URN, UKPRN, SETTING):
                return "provider_kind"
            if kind == DIRECTORY:
                return "provision_setting_type" if name == "setting_type" else "provision"
            if kind == SETTING and name == "provider_name":
                return name
            return {URN: "urn", UKPRN: "ukprn", SETTING: "setting_type"}[kind]
        return name


def _iso(value) -> str:
    return value.isoformat() if value else ""


class CensusUploadForm(TableFileForm):
    file = table_file_field(
        label="Upload a census AP file",
        help_text="A CSV file or an Excel (.xlsx) spreadsheet with the census AP columns in its first row.",
    )


class RenameRecordedProviderForm(forms.Form):
    """The LA's name for a provider its schools recorded, and its provision's (services.rename_recorded_provider)."""

    name = LimitField(
        limit=limits.PROVIDER_NAME,
        label="Provider's name",
        max_length=limits.PROVIDER_NAME_LENGTH,
        error_messages={"required": "Enter the provider's name"},
        help_text="Its legal name, as GIAS or the UK Register of Learning Providers gives it",
    )
    provision_name = LimitField(
        limit=limits.PROVISION_NAME,
        label="Provision's name (optional)",
        max_length=limits.PROVISION_NAME_LENGTH,
        required=False,
        help_text="What the placements call it, such as the centre's name. Leave it empty to use the provider's name.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Field.text("name"), Field.text("provision_name"))
