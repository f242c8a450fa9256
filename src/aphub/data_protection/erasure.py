"""Erasing a child's record at the end of its retention period, keeping the anonymous counts made from it.

Every field of every table that holds a child's data (subject_access.tables_holding_pupil_data finds them) is
classified here, once: KEPT (structure and the facts the statistics count: dates, tiers, codes, money, scores) or
CLEARED (names, identifiers, free text and anything a person wrote about the child). A table whose rows say nothing
but personal data (documents, in-app notifications naming the child) is DELETED. A field added next year fails
tests/data_protection/test_erasure.py until someone decides which it is: deny by default.

The child's row itself stays, marked `erased_at`, with three fields coarsened rather than kept (UK GDPR Recital 26:
data that can no longer identify a person is not personal data):
- the UPN becomes `erased-<number>` (still unique in the LA, as the census key must be);
- the date of birth becomes 1 September of the child's academic year of birth, so the year group and key stage
  the dashboards count do not change (Education Act 1996 s.3: the school year runs from 1 September);
- the postcode becomes its district (the outward code), which the dashboards' locality filter reads.
Sex, SEN status, primary need, ethnicity, free school meals and looked-after status stay: without a name, UPN, date
of birth or full postcode they identify no one, and every published table withholds small counts
(insight.publication).

What is never kept anywhere: the values. The access log records that each record was erased, by whom and when
(verb "erase"), never what it held; its other rows name the child only through the record, which now reads
"Erased record".
"""

import datetime
from dataclasses import dataclass

from django.db import models, transaction

from aphub.core.days.school_years import school_year_start
from aphub.duties.models import Notification
from aphub.placements.models import ReferralDocument
from aphub.pupils.models import Pupil

from .subject_access import Table, tables_holding_pupil_data


@dataclass(frozen=True)
class Fields:
    kept: tuple[str, ...]
    cleared: tuple[str, ...] = ()


# Rows deleted whole: they hold nothing the statistics count. ReferralDocument's files go with them.
DELETED = frozenset({ReferralDocument._meta.label, Notification._meta.label, "duties.NotificationRead"})

# The child's own row: what is coarsened (above), kept, and cleared.
PUPIL_COARSENED = ("upn", "date_of_birth", "postcode")

ERASURE: dict[str, Fields] = {
    "pupils.Pupil": Fields(
        kept=(
            "id", "local_authority", "sex", "free_school_meals", "sen_status", "primary_need", "ethnicity",
            "looked_after", "created_at", "created_by", "erased_at", *PUPIL_COARSENED,
        ),
        cleared=(
            "upn_is_temporary", "uln", "first_name", "last_name", "preferred_name", "medical_needs", "safeguarding",
        ),
    ),
    "pupils.Enrolment": Fields(kept=("id", "pupil", "school", "start_date", "end_date", "registration")),
    "placements.Episode": Fields(
        kept=(
            "id", "pupil", "route", "school", "start_date", "suspension_last_day", "suspension_school_days",
            "days_missed", "status", "closed_on", "recorded_by", "recorded_at",
        ),
        cleared=("summary",),
    ),
    "placements.EpisodeChange": Fields(
        kept=("id", "episode", "action", "changed_by", "changed_at"), cleared=("changes", "reason")
    ),
    "placements.Referral": Fields(
        kept=(
            "id", "pupil", "episode", "referring_school", "referred_by", "status", "requested_tier", "consent_given",
            "full_time_requested", "created_at", "submitted_at",
        ),
        cleared=("needs_summary", "risks", "tried_so_far", "child_views", "parent_views", "consent_by"),
    ),
    "placements.PanelDecision": Fields(
        kept=(
            "id", "meeting", "referral", "outcome", "tier", "provision", "weeks", "decline_reason", "decided_by",
            "decided_at",
        ),
        cleared=("reasons",),
    ),
    "placements.Placement": Fields(
        kept=(
            "id", "pupil", "episode", "referral", "provision", "route", "lot", "commissioner", "commissioning_school",
            "tier", "status", "start_date", "planned_end_date", "end_date", "sessions_per_week", "hours_per_week",
            "is_full_time", "part_time_review_date", "registration", "expected_attendance_code", "annual_cost",
            "annual_top_up", "top_up_band", "next_review_due", "recorded_by_school", "placement_reason",
            "setting_type", "follows", "offered_by", "offered_at", "responded_at", "destination", "destination_school",
        ),
        cleared=(
            "part_time_reason", "top_up_exception_reason", "expected_outcomes", "over_limit_reason", "decline_reason",
            "exit_notes",
        ),
    ),
    "placements.PlacementChange": Fields(kept=("id", "placement", "at", "by"), cleared=("summary",)),
    "placements.WaitingListEntry": Fields(
        kept=("id", "provision", "pupil", "referral", "due_date", "status", "added_by", "added_at", "ended_at")
    ),
    "placements.AttendanceMark": Fields(
        kept=("id", "placement", "date", "session", "code", "minutes_late", "recorded_by", "recorded_at"),
        cleared=("note",),
    ),
    # The registers counted by month (decision 0037): counts only, what the dashboards read.
    "placements.AttendanceMonth": Fields(
        kept=("id", "placement", "month", "marks", "attended", "authorised", "unauthorised")
    ),
    "placements.AbsenceAlert": Fields(kept=("id", "placement", "kind", "date", "session", "sent_at")),
    "placements.Review": Fields(
        kept=("id", "placement", "kind", "held_on", "next_review_due", "written_by", "written_at"),
        cleared=("pupil_voice", "parent_view", "summary"),
    ),
    "placements.OutcomeScore": Fields(kept=("id", "review", "area", "score")),
    "placements.FollowUp": Fields(
        kept=("id", "placement", "weeks_after_exit", "due_date", "checked_on", "lasted", "checked_by"),
        cleared=("notes",),
    ),
    "duties.Clock": Fields(
        kept=(
            "id", "local_authority", "pupil", "episode", "placement", "rule", "owner", "owner_school", "started_on",
            "due_on", "state", "met_on", "met_by", "stopped_on", "created_at", "updated_at",
        ),
        cleared=("met_note",),
    ),
    "duties.Reminder": Fields(kept=("id", "clock", "kind", "sent_at"), cleared=("recipients",)),
    "funding.FundingLine": Fields(
        kept=(
            "id", "placement", "local_authority", "kind", "payer", "payer_school", "financial_year", "period_start",
            "period_end", "days", "annual_rate", "amount", "created_at",
        )
    ),
    "funding.SchoolPaysDecision": Fields(
        kept=("id", "placement", "local_authority", "school", "decided_by", "decided_at"), cleared=("reason",)
    ),
    # A recharge statement's line copies the child's name and UPN as they were billed; the money stays.
    "funding.RechargeLine": Fields(
        kept=(
            "id", "statement", "kind", "funding_kind", "placement_number", "pupil", "provision_name", "term_name",
            "term_start", "days", "amount",
        ),
        cleared=("child_name", "upn"),
    ),
}  # fmt: skip


def tables() -> list[Table]:
    return tables_holding_pupil_data()


def _emptied(field: models.Field) -> object:
    """The value a cleared field is left with: nothing, in the form the column allows."""
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BooleanField):
        return False
    if field.has_default():
        return field.get_default()
    return ""


def erased_upn(pk: int) -> str:
    """`erased-` and the record's number in base 36: unique in the LA, 13 characters at most, never a real UPN
    (a UPN is a letter and 12 digits)."""
    digits, number = "", pk
    while True:
        number, rest = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
        if not number:
            return f"erased-{digits}"


def postcode_district(postcode: str) -> str:
    return postcode.strip().upper().split(" ")[0] if postcode.strip() else ""


def erase_pupils(pupil_ids: list[int], *, at: datetime.datetime) -> list[str]:
    """Erase the personal data of these children's records (called inside the approving service's transaction).
    Returns the names of the stored files to delete once the transaction commits."""
    if not pupil_ids:
        return []
    for table in tables():
        label = table.label
        if label in DELETED or label == "pupils.Pupil":
            continue
        cleared = ERASURE[label].cleared
        if cleared:
            rows = table.model._default_manager.filter(**{f"{table.lookup}__in": pupil_ids})
            rows.update(**{name: _emptied(table.model._meta.get_field(name)) for name in cleared})
    documents = ReferralDocument.objects.filter(referral__pupil_id__in=pupil_ids)
    files = [name for name in documents.values_list("file", flat=True) if name]
    documents.delete()
    Notification.objects.filter(pupil_id__in=pupil_ids).delete()  # their reads go with them (CASCADE)
    _erase_pupil_rows(pupil_ids, at=at)
    return files


def _erase_pupil_rows(pupil_ids: list[int], *, at: datetime.datetime) -> None:
    cleared = {name: _emptied(Pupil._meta.get_field(name)) for name in ERASURE["pupils.Pupil"].cleared}
    pupils = list(Pupil.objects.filter(pk__in=pupil_ids).only("pk", "date_of_birth", "postcode"))
    for pupil in pupils:
        pupil.upn = erased_upn(pupil.pk)
        pupil.date_of_birth = school_year_start(pupil.date_of_birth)
        pupil.postcode = postcode_district(pupil.postcode)
        pupil.erased_at = at
        for name, value in cleared.items():
            setattr(pupil, name, value)
    Pupil.objects.bulk_update(pupils, [*PUPIL_COARSENED, "erased_at", *cleared], batch_size=500)


def delete_files_after_commit(storage_names: list[str]) -> None:
    """Uploaded files are deleted only once the erasure has committed: a rolled-back erasure keeps them."""
    if not storage_names:
        return
    storage = ReferralDocument._meta.get_field("file").storage

    def delete() -> None:
        for name in storage_names:
            storage.delete(name)

    transaction.on_commit(delete)
