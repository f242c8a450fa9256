"""The columns of each list of this app as a spreadsheet (aphub.core.files.exports): declared once, written as CSV
or XLSX.

A list's export holds the same rows as the page, with its filters, on every page; the view logs it as an export.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from aphub.audit.services import log_access_many
from aphub.core.files.exports import Column, Export
from aphub.pupils.models import Pupil

from .models import Placement, Tier


def download(
    request: HttpRequest, export: Export, rows: list, fmt: str, *, records: list | None = None
) -> HttpResponse:
    """The list as a file, logged as an export of each record in it (`records`, else the rows), in one INSERT."""
    logged = rows if records is None else records
    log_access_many(user=request.user, objs=logged, verb="export", path=request.path)
    return export.response(rows, fmt)


def _status_label(value: str | None) -> str:
    return Placement.Status(value).label if value in Placement.Status.values else ""


def _tier_label(value: str | None) -> str:
    return f"Tier {value}" if value in Tier.values else ""


def _child_columns(pupil_of: Callable[[Any], Pupil]) -> list[Column]:
    """The child as every list of children names them: the name, and the UPN that tells two of a name apart."""
    return [Column("Pupil", lambda row: pupil_of(row).full_name), Column("UPN", lambda row: pupil_of(row).upn)]


def _school_name(school) -> str:
    return school.name if school is not None else ""


PUPILS = Export(
    "pupils",
    [
        Column("Name", lambda pupil: pupil.full_name),
        Column("UPN", lambda pupil: pupil.upn),
        Column("Temporary UPN", lambda pupil: pupil.upn_is_temporary),
        Column("Date of birth", lambda pupil: pupil.date_of_birth),
        Column("School", lambda pupil: pupil.current_school_name or ""),
        Column("Current placement", lambda pupil: pupil.current_provision_name or ""),
        Column("Tier", lambda pupil: _tier_label(pupil.current_placement_tier)),
        Column("Placement status", lambda pupil: _status_label(pupil.current_placement_status)),
    ],
)

PLACEMENTS = Export(
    "placements",
    [
        Column("Placement id", lambda placement: placement.pk),
        *_child_columns(lambda placement: placement.pupil),
        Column("Provision", lambda placement: placement.provision.name),
        Column("Provider", lambda placement: placement.provision.provider.display_name),
        Column("Tier", lambda placement: _tier_label(placement.tier)),
        Column("Commissioned by", lambda placement: _school_name(placement.commissioning_school) or "Local authority"),
        Column("Start", lambda placement: placement.start_date),
        Column("Planned end", lambda placement: placement.planned_end_date),
        Column("End", lambda placement: placement.end_date),
        Column("Full time", lambda placement: placement.is_full_time),
        Column("Sessions a week", lambda placement: placement.sessions_per_week),
        Column("Hours a week", lambda placement: placement.hours_per_week),
        Column("Annual cost", lambda placement: placement.annual_cost, money=True),
        Column("Next review due", lambda placement: placement.next_review_due),
        Column("Status", lambda placement: placement.get_status_display()),
    ],
)

REFERRALS = Export(
    "referrals",
    [
        Column("Referral id", lambda referral: referral.pk),
        *_child_columns(lambda referral: referral.pupil),
        Column("Referred by", lambda referral: _school_name(referral.referring_school) or "Local authority"),
        Column("Tier requested", lambda referral: _tier_label(referral.requested_tier)),
        Column("Started", lambda referral: referral.created_at),
        Column("Sent to the panel", lambda referral: referral.submitted_at),
        Column("Status", lambda referral: referral.get_status_display()),
    ],
)

WAITING_LIST = Export(
    "waiting-list",
    [
        Column("Provision", lambda entry: entry.provision.name),
        *_child_columns(lambda entry: entry.pupil),
        Column("Statutory due date", lambda entry: entry.due_date),
        Column("Waiting since", lambda entry: entry.added_at),
    ],
)

OVERDUE_REVIEWS = Export(
    "overdue-reviews",
    [
        *_child_columns(lambda placement: placement.pupil),
        Column("Provision", lambda placement: placement.provision.name),
        Column("Placement id", lambda placement: placement.pk),
        Column("Review was due", lambda placement: placement.next_review_due),
    ],
)

# As the follow-ups page's tags say them (reviews/_follow_up_tag.html).
FOLLOW_UP_STATES = {"overdue": "Overdue", "due": "Due today", "recorded": "Recorded", "upcoming": "Not due yet"}

FOLLOW_UPS = Export(
    "follow-ups",
    [
        *_child_columns(lambda row: row["follow_up"].placement.pupil),
        Column("School they returned to", lambda row: _school_name(row["follow_up"].placement.destination_school)),
        Column("Weeks after the placement ended", lambda row: row["follow_up"].weeks_after_exit),
        Column("Due", lambda row: row["follow_up"].due_date),
        Column("State", lambda row: FOLLOW_UP_STATES.get(row["state"], row["state"])),
    ],
)

ATTENDANCE_RATES = Export(
    "attendance-rates",
    [
        *_child_columns(lambda row: row.placement.pupil),
        Column("Placement id", lambda row: row.placement.pk),
        Column("Placement status", lambda row: row.placement.get_status_display()),
        Column("Start", lambda row: row.placement.start_date),
        Column("Possible sessions", lambda row: row.rates.possible),
        Column("Attendance (%)", lambda row: row.rates.rate),
        Column("Authorised absence (%)", lambda row: row.rates.authorised_rate),
        Column("Unauthorised absence (%)", lambda row: row.rates.unauthorised_rate),
    ],
)
