"""The school census AP module as a file: its columns, its codes, and one row read into typed values.

A school's MIS exports the AP placements it arranged for the census with these columns (the header row):

    upn,surname,forename,date_of_birth,urn,ukprn,setting_type,reason,entry_date,leaving_date,sessions_per_week,
    attendance_pattern,hours_per_week,weekly_cost

`hours_per_week` and `weekly_cost` are the LA's, not the census's: the LA needs them for the whole picture and its
costs. One optional column more, `provider_name`, names a provider that has no URN or UKPRN (the census asks only for
its type of setting). The census rules (DfE, school census guide, "AP placements arranged by schools"): give the
establishment's URN where it has one, else the provider's UKPRN, else the type of setting; never two of them.

Values are accepted as the census codes, as the DfE's labels (the words its statistics use) or as AP Hub's own
values, in any case. Dates are ISO (2026-11-10) or UK (10/11/2026). The same parsing serves the file, the page and
the API (services.record_school_arranged), so a value means the same whichever way it comes.

Codes: the type of setting codes are the census's (NFE, OOT, OTH, WBP). The reason and attendance pattern codes
below are AP Hub's short forms (BEH, MHN, PHN, SUS, PEX, OTH; FT, PT): the DfE's labels are always accepted too, and
the export (exports.py) writes these codes, so the export reads back unchanged.
"""

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from aphub.core.errors import DomainError
from aphub.core.forms.validators import at_most, pounds
from aphub.core.identifiers import validate_ukprn, validate_upn, validate_urn
from aphub.core.model_fields import max_length
from aphub.organisations.models import Provider
from aphub.placements import limits
from aphub.placements.models import EpisodeKind, Placement, PlacementReason, SettingType, Tier
from aphub.pupils.models import Pupil

COLUMNS = (
    "upn",
    "surname",
    "forename",
    "date_of_birth",
    "urn",
    "ukprn",
    "setting_type",
    "reason",
    "entry_date",
    "leaving_date",
    "sessions_per_week",
    "attendance_pattern",
    "hours_per_week",
    "weekly_cost",
)
OPTIONAL_COLUMNS = ("provider_name",)
REQUIRED_COLUMNS = tuple(name for name in COLUMNS if name not in ("urn", "ukprn", "setting_type", "leaving_date"))

# A school year is 190 days, 38 weeks (The Education (School Day and School Year) (England) Regulations 1999, reg.
# 3: 380 sessions): a weekly cost is a 38th of the annual cost of the place, which funding and the placement keep.
SCHOOL_WEEKS_A_YEAR = 38

PENNY = Decimal("0.01")


def weekly_cost_of(annual_cost: Decimal) -> Decimal:
    """The weekly cost a census file gives for a place of this annual cost, to the penny."""
    return (annual_cost / SCHOOL_WEEKS_A_YEAR).quantize(PENNY)


SETTING_CODES = {
    "OOT": SettingType.ONE_TO_ONE_TUITION,
    "WBP": SettingType.WORK_BASED,
    "NFE": SettingType.NON_MAINTAINED_FE,
    "OTH": SettingType.OTHER_UNREGISTERED,
}
REASON_CODES = {
    "BEH": PlacementReason.BEHAVIOUR,
    "MHN": PlacementReason.MENTAL_HEALTH,
    "PHN": PlacementReason.PHYSICAL_HEALTH,
    "SUS": PlacementReason.SUSPENSION,
    "PEX": PlacementReason.PERMANENT_EXCLUSION,
    "OTH": PlacementReason.OTHER,
}
FULL_TIME, PART_TIME = "FT", "PT"
PATTERN_WORDS = {
    "ft": True,
    "full-time": True,
    "full time": True,
    "fulltime": True,
    "pt": False,
    "part-time": False,
    "part time": False,
    "parttime": False,
}
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
# The limits of the records a row becomes (the pupil's names, the provider's legal name).
SURNAME = at_most(max_length(Pupil, "last_name"), "The surname")
FORENAME = at_most(max_length(Pupil, "first_name"), "The forename")
PROVIDER_NAME = at_most(max_length(Provider, "legal_name"), "The provider's name")


# An offer through AP Hub asks for no census reason: its episode's kind says why the placement was commissioned. An
# off-site direction is made "for the purpose of improving behaviour" (Education Act 2002, s.29A(1)); a kind the
# census has no reason for (health needs, awaiting a school place...) is "other".
REASON_OF_EPISODE: dict[str, str] = {
    EpisodeKind.PERMANENT_EXCLUSION: PlacementReason.PERMANENT_EXCLUSION,
    EpisodeKind.SUSPENSION: PlacementReason.SUSPENSION,
    EpisodeKind.OFF_SITE_DIRECTION: PlacementReason.BEHAVIOUR,
}


def census_reason(placement: Placement) -> str:
    """The census's reason for a placement: the one the school gave, else the one its episode stands for."""
    return placement.placement_reason or REASON_OF_EPISODE.get(placement.route.kind, PlacementReason.OTHER)


def census_setting(placement: Placement) -> str:
    """The census's type of setting of a placement whose provider has neither URN nor UKPRN: the one the school gave,
    else (a directory provider offered through AP Hub, which records none) "other unregistered provider"."""
    return placement.setting_type or SettingType.OTHER_UNREGISTERED


def setting_code(value: str) -> str:
    return next((code for code, setting in SETTING_CODES.items() if setting == value), "")


def reason_code(value: str) -> str:
    return next((code for code, reason in REASON_CODES.items() if reason == value), "")


@dataclass
class SchoolArrangedRow:
    """One placement a school arranged, as the census AP module has it, in typed values (None where not given)."""

    upn: str = ""
    surname: str = ""
    forename: str = ""
    date_of_birth: datetime.date | None = None
    urn: str = ""
    ukprn: str = ""
    setting_type: str = ""
    reason: str = ""
    entry_date: datetime.date | None = None
    leaving_date: datetime.date | None = None
    sessions_per_week: int | None = None
    is_full_time: bool | None = None
    hours_per_week: Decimal | None = None
    weekly_cost: Decimal | None = None
    provider_name: str = ""
    # From the page only: a provision in the LA's directory chosen instead of an identifier, and the tier (the census
    # has none: tier 2, a time-limited placement, unless the school says otherwise).
    provision_id: int | None = None
    tier: str = Tier.TIER_2
    line: int = 0  # the file's line (0 for the page and the API)
    problems: list[DomainError] = field(default_factory=list)

    def refuse(self, message: str, field: str) -> None:
        self.problems.append(DomainError(message, field=field))

    @property
    def annual_cost(self) -> Decimal | None:
        return None if self.weekly_cost is None else self.weekly_cost * SCHOOL_WEEKS_A_YEAR

    @property
    def provider_key(self) -> tuple[str, str]:
        """What names the provider: ("provision", id), ("urn", URN), ("ukprn", UKPRN) or ("setting", type/name)."""
        if self.provision_id is not None:
            return ("provision", str(self.provision_id))
        if self.urn:
            return ("urn", self.urn)
        if self.ukprn:
            return ("ukprn", self.ukprn)
        return ("setting", f"{self.setting_type}|{self.provider_name.casefold()}")


def parse_date(value: str) -> datetime.date:
    """An ISO date (2026-11-10) or a UK one (10/11/2026); ValueError otherwise."""
    text = value.strip()
    match = UK_DATE.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text)


def _choice(value: str, codes: Mapping[str, models.TextChoices]) -> str | None:
    """The stored value for a code, a label or a stored value, in any case; None if it is none of them."""
    text = " ".join(value.split())
    if text.upper() in codes:
        return codes[text.upper()]
    for member in codes.values():
        if text.casefold() in (member.value.casefold(), member.label.casefold()):
            return member.value
    return None


def _coded(row: "SchoolArrangedRow", value: str, name: str, what: str, codes: Mapping[str, models.TextChoices]) -> str:
    """The stored value of a coded column, or "" with a problem naming the codes and their meanings."""
    chosen = _choice(value, codes)
    if chosen is None:
        meanings = ", ".join(f"{code} ({member.label})" for code, member in codes.items())
        row.refuse(f"{what} must be one of {meanings}", name)
    return chosen or ""


def read_row(values: dict[str, str], *, line: int = 0) -> SchoolArrangedRow:
    """One row's typed values, with a problem for each value that cannot be read (`row.problems`, each naming its
    column). Nothing here looks at the database: services.check_rows does that, for the whole file at once."""
    row = SchoolArrangedRow(line=line)
    text = {name: (values.get(name) or "").strip() for name in (*COLUMNS, *OPTIONAL_COLUMNS)}

    try:
        row.upn = validate_upn(text["upn"])
    except ValidationError as error:
        row.refuse(error.messages[0], "upn")
    for name, limit in (("surname", SURNAME), ("forename", FORENAME)):
        if not text[name]:
            row.refuse(f"Enter the pupil's {name}", name)
            continue
        try:
            setattr(row, name, limit(text[name]))
        except ValidationError as error:
            row.refuse(error.messages[0], name)
    row.date_of_birth = _date(row, text["date_of_birth"], "date_of_birth", "date of birth", required=True)

    identifiers = [name for name in ("urn", "ukprn", "setting_type") if text[name]]
    if len(identifiers) > 1:
        row.refuse(
            "Give the provider's URN, or its UKPRN, or the type of setting: only one of them "
            f"(this row gives {' and '.join(name.replace('_', ' ') for name in identifiers)})",
            identifiers[1],
        )
    elif not identifiers and values.get("provision_id") is None:
        row.refuse("Give the provider's URN, its UKPRN, or the type of setting when it has neither", "urn")
    if text["urn"]:
        try:
            row.urn = validate_urn(text["urn"])
        except ValidationError as error:
            row.refuse(error.messages[0], "urn")
    if text["ukprn"]:
        try:
            row.ukprn = validate_ukprn(text["ukprn"])
        except ValidationError as error:
            row.refuse(error.messages[0], "ukprn")
    if text["setting_type"]:
        row.setting_type = _coded(row, text["setting_type"], "setting_type", "The type of setting", SETTING_CODES)
    try:
        row.provider_name = " ".join(PROVIDER_NAME(text["provider_name"]).split())
    except ValidationError as error:
        row.refuse(error.messages[0], "provider_name")

    if not text["reason"]:
        row.refuse("Enter the primary reason for the placement", "reason")
    else:
        row.reason = _coded(row, text["reason"], "reason", "The reason", REASON_CODES)

    row.entry_date = _date(row, text["entry_date"], "entry_date", "entry date", required=True)
    row.leaving_date = _date(row, text["leaving_date"], "leaving_date", "leaving date", required=False)
    if row.entry_date and row.leaving_date and row.leaving_date < row.entry_date:
        row.refuse("The leaving date must be on or after the entry date", "leaving_date")

    try:
        row.sessions_per_week = limits.sessions_per_week(text["sessions_per_week"])
    except ValidationError as error:
        row.refuse(error.messages[0], "sessions_per_week")
    pattern = PATTERN_WORDS.get(" ".join(text["attendance_pattern"].lower().split()))
    if pattern is None:
        row.refuse("The attendance pattern must be FT (full time) or PT (part time)", "attendance_pattern")
    else:
        row.is_full_time = pattern
    try:
        row.hours_per_week = limits.hours_per_week(text["hours_per_week"])
    except ValidationError as error:
        row.refuse(error.messages[0], "hours_per_week")
    try:
        row.weekly_cost = weekly_cost(text["weekly_cost"])
    except ValidationError as error:
        row.refuse(error.messages[0], "weekly_cost")
    return row


# A week of AP costs far less; the annual cost of a week under this (38 of them) fits the placement's column.
WEEKLY_COST_BELOW = Decimal(100_000)
WEEKLY_COST = "Enter the weekly cost in pounds and pence, from 0 to under 100,000, like 250 or 250.00"


def weekly_cost(value: Decimal | int | str | None) -> Decimal:
    """The weekly cost of the place in pounds and pence."""
    return pounds(value, message=WEEKLY_COST, below=WEEKLY_COST_BELOW)


def _date(row: SchoolArrangedRow, value: str, name: str, label: str, *, required: bool) -> datetime.date | None:
    if not value:
        if required:
            row.refuse(f"Enter the {label}", name)
        return None
    try:
        return parse_date(value)
    except ValueError:
        row.refuse(f"The {label} must be a real date, like 2026-09-07 or 07/09/2026", name)
        return None
