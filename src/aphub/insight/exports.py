"""The city-wide view as spreadsheets (aphub.core.files.exports): the grouped table, with its total, and the list of
children. Declared once; the view filters, scopes and logs."""

from aphub.core.files.exports import Column, Export
from aphub.placements.models import Placement, PlacementReason
from aphub.placements.school_arranged.census import weekly_cost_of

from .models import SettingCategory
from .queries import GROUPINGS, LOCAL_AUTHORITY, REGISTERED, REGISTRATION_LABELS, UNREGISTERED, Counts


def groups(by: str) -> Export:
    """The table grouped `by` one of queries.GROUPINGS, a row per group and the total last."""
    return Export(
        f"city-wide-ap-by-{by}",
        [
            Column(GROUPINGS[by].label, lambda row: row.label),
            Column("Children", lambda row: row.children),
            Column("Placements", lambda row: row.placements),
            Column("Arranged by the local authority", lambda row: row.by_la),
            Column("Arranged by schools", lambda row: row.by_schools),
            Column("Hours a week", lambda row: row.hours),
            Column("Weekly cost", lambda row: row.weekly_cost, money=True),
        ],
    )


def arranged_by(placement: Placement) -> str:
    school = placement.commissioning_school
    return school.name if school is not None else LOCAL_AUTHORITY


def provider_name(placement: Placement) -> str:
    return placement.provision.provider.display_name


def setting_label(placement: Placement) -> str:
    value = getattr(placement, "setting_category", "")
    return SettingCategory(value).label if value in SettingCategory.values else ""


def reason_label(placement: Placement) -> str:
    reason = placement.placement_reason
    return PlacementReason(reason).label if reason else "Not recorded"


def registration_label(placement: Placement) -> str:
    return REGISTRATION_LABELS[REGISTERED if getattr(placement, "registered", True) else UNREGISTERED]


CHILDREN = Export(
    "city-wide-ap-children",
    [
        Column("Placement id", lambda p: p.pk),
        Column("Pupil", lambda p: p.pupil.full_name),
        Column("UPN", lambda p: p.pupil.upn),
        Column("Arranged by", arranged_by),
        Column("Provider", provider_name),
        Column("Provider's URN", lambda p: p.provision.provider.urn),
        Column("Provider's UKPRN", lambda p: p.provision.provider.ukprn),
        Column("Type of setting", setting_label),
        Column("Registration", registration_label),
        Column("Reason", reason_label),
        Column("Tier", lambda p: f"Tier {p.tier}"),
        Column("Start", lambda p: p.start_date),
        Column("Leaving date", lambda p: p.end_date or p.planned_end_date),
        Column("Full time", lambda p: p.is_full_time),
        Column("Sessions a week", lambda p: p.sessions_per_week),
        Column("Hours a week", lambda p: p.hours_per_week),
        Column("Weekly cost", lambda p: weekly_cost_of(p.annual_cost), money=True),
    ],
)


def with_total(rows: list[Counts], total: Counts) -> list[Counts]:
    total.label = "Total"
    return [*rows, total]
