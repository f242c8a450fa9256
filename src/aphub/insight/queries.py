"""The LA's city-wide view of AP, read live: every child in AP in its area on a day, whoever arranged it, counted and
grouped in the database; and the LA's own school-arranged figures for an academic year beside the DfE's.

Every read starts from `Placement.objects.visible_to(user)`: an LA sees its own children only (the pupil's LA),
schools and providers are never given these pages (views.py). A school's record of AP it arranged itself
(placements.school_arranged) is a placement like any other, so it is counted the moment it is saved.

Speed: each table is one GROUP BY query (a page of groups), the totals one aggregate, the list of children one page
of rows with its provider and school joined: a bounded number of queries, whatever the LA's size.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, F, Max, Q, QuerySet, Sum, Value, When

from aphub.core.days.school_years import academic_year_label, school_year_start
from aphub.organisations.models import Payer, Provider, School, User
from aphub.placements.models import Placement, PlacementReason
from aphub.placements.school_arranged.census import weekly_cost_of
from aphub.placements.school_arranged.queries import IN_AP_STATES, SETTING

from .models import TOTAL, Measure, PublishedFigure, SettingCategory

NOT_RECORDED = "not-recorded"  # an LA placement carries no census reason
REGISTERED, UNREGISTERED = "registered", "unregistered"
REGISTRATION_LABELS = {REGISTERED: "Registered", UNREGISTERED: "Not registered"}
LOCAL_AUTHORITY = "Local authority"
TENTH = Decimal("0.1")

# Registered: a school (a PRU, an AP academy, an independent school) or a further education provider; else not.
IS_REGISTERED = Case(
    When(provision__provider__registration_status=Provider.RegistrationStatus.UNREGISTERED, then=Value(False)),
    default=Value(True),
    output_field=BooleanField(),
)


@dataclass(frozen=True)
class Filters:
    """What the city-wide view shows: who was in AP on `on`, narrowed by the rest (each "" or None for all)."""

    on: datetime.date
    arranged_by: str = ""  # Payer.LA or Payer.SCHOOL
    reason: str = ""  # a PlacementReason, or NOT_RECORDED
    setting: str = ""  # a SettingCategory
    registration: str = ""  # REGISTERED or UNREGISTERED
    school_id: int | None = None  # the commissioning school
    tier: str = ""
    provider_id: int | None = None  # from a row of the table grouped by provider


def in_ap(user: User, filters: Filters) -> QuerySet[Placement]:
    """The placements of the children in AP on the day, scoped to the user and filtered, with each one's setting
    category (`setting_category`) and registration (`registered`) annotated. No ordering: callers choose."""
    day = filters.on
    placements = (
        Placement.objects.visible_to(user)
        .filter(status__in=IN_AP_STATES, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .annotate(setting_category=SETTING, registered=IS_REGISTERED)
        .order_by()
    )
    if filters.arranged_by:
        placements = placements.filter(commissioner=filters.arranged_by)
    if filters.reason:
        placements = placements.filter(placement_reason="" if filters.reason == NOT_RECORDED else filters.reason)
    if filters.setting:
        placements = placements.filter(setting_category=filters.setting)
    if filters.registration:
        placements = placements.filter(registered=filters.registration == REGISTERED)
    if filters.school_id is not None:
        placements = placements.filter(commissioning_school_id=filters.school_id)
    if filters.tier:
        placements = placements.filter(tier=filters.tier)
    if filters.provider_id is not None:
        placements = placements.filter(provision__provider_id=filters.provider_id)
    return placements


# --- Totals and groups ------------------------------------------------------------------------------------------


def _sums() -> dict[str, Any]:
    return {
        "children": Count("pupil_id", distinct=True),
        "placements": Count("id"),
        "by_la": Count("id", filter=Q(commissioner=Payer.LA)),
        "by_schools": Count("id", filter=Q(commissioner=Payer.SCHOOL)),
        "hours": Sum("hours_per_week"),
        "annual_cost": Sum("annual_cost"),
    }


@dataclass
class Counts:
    """Children (each once), placements (by who arranged them), hours a week and the weekly cost of a set of
    placements. A child in two placements counts once among children but twice among placements."""

    label: str = ""
    children: int = 0
    placements: int = 0
    by_la: int = 0
    by_schools: int = 0
    hours: Decimal = Decimal(0)
    annual_cost: Decimal = Decimal(0)
    unregistered: int = 0
    unnamed: int = 0
    key: object = None

    @property
    def weekly_cost(self) -> Decimal:
        """The weekly cost of the places: their annual cost over the 38 weeks of a school year (census.py)."""
        return weekly_cost_of(self.annual_cost)

    @classmethod
    def of(cls, row: dict[str, Any], label: str = "", key: object = None) -> "Counts":
        return cls(
            label=label,
            key=key,
            children=row["children"] or 0,
            placements=row["placements"] or 0,
            by_la=row["by_la"] or 0,
            by_schools=row["by_schools"] or 0,
            # Hours are kept to the half hour (Placement.hours_per_week): one decimal, whichever database summed them.
            hours=Decimal(row["hours"] or 0).quantize(TENTH),
            annual_cost=row["annual_cost"] or Decimal(0),
            unregistered=row.get("unregistered") or 0,
            unnamed=row.get("unnamed") or 0,
        )


def totals(placements: QuerySet[Placement]) -> Counts:
    """The whole view's counts in one query, with the children at unregistered settings and the placements at
    providers a school did not name (an unnamed provider: the LA's to chase)."""
    row = placements.aggregate(
        **_sums(),
        unregistered=Count("pupil_id", distinct=True, filter=Q(registered=False)),
        unnamed=Count("id", filter=Q(provision__provider__unnamed=True)),
    )
    return Counts.of(row, label="All")


@dataclass(frozen=True)
class Grouping:
    """One way to group the view: the columns grouped by, their order, and the row's heading from them."""

    label: str
    fields: tuple[str, ...]
    order: tuple[Any, ...]
    heading: Callable[[dict[str, Any]], str]
    key: Callable[[dict[str, Any]], object]

    def narrowing(self, name: str, key: object) -> dict[str, str]:
        """The filter (query parameters) that narrows the view to one group: its row's link to its children."""
        if name == "school":
            return {"arranged_by": Payer.LA} if key is None else {"arranged_by": Payer.SCHOOL, "school": str(key)}
        return {name: str(key)}


def _provider_heading(row: dict[str, Any]) -> str:
    return row["provision__provider__trading_name"] or row["provision__provider__legal_name"]


GROUPINGS: dict[str, Grouping] = {
    "school": Grouping(
        "School",
        ("commissioning_school_id", "commissioning_school__name"),
        (F("commissioning_school__name").asc(nulls_first=True), "commissioning_school_id"),
        lambda row: row["commissioning_school__name"] or LOCAL_AUTHORITY,
        lambda row: row["commissioning_school_id"],
    ),
    "provider": Grouping(
        "Provider",
        (
            "provision__provider_id",
            "provision__provider__legal_name",
            "provision__provider__trading_name",
            "provision__provider__unnamed",
        ),
        ("provision__provider__legal_name", "provision__provider_id"),
        _provider_heading,
        lambda row: row["provision__provider_id"],
    ),
    "setting": Grouping(
        "Type of setting",
        ("setting_category",),
        (Case(*(When(setting_category=value, then=Value(i)) for i, value in enumerate(SettingCategory.values))),),
        lambda row: SettingCategory(row["setting_category"]).label,
        lambda row: row["setting_category"],
    ),
    "reason": Grouping(
        "Reason",
        ("placement_reason",),
        (
            Case(
                *(When(placement_reason=value, then=Value(i)) for i, value in enumerate(PlacementReason.values)),
                default=Value(len(PlacementReason.values)),
            ),
        ),
        lambda row: PlacementReason(row["placement_reason"]).label if row["placement_reason"] else "Not recorded",
        lambda row: row["placement_reason"] or NOT_RECORDED,
    ),
    "tier": Grouping(
        "Tier",
        ("tier",),
        ("tier",),
        lambda row: f"Tier {row['tier']}",
        lambda row: row["tier"],
    ),
    "registration": Grouping(
        "Registration",
        ("registered",),
        ("-registered",),
        lambda row: REGISTRATION_LABELS[REGISTERED if row["registered"] else UNREGISTERED],
        lambda row: REGISTERED if row["registered"] else UNREGISTERED,
    ),
}
DEFAULT_GROUPING = "school"


class GroupRows:
    """The groups of a view as a sequence a Paginator slices: each slice is one GROUP BY query (with LIMIT), its rows
    turned into Counts, so only the page's groups are read."""

    def __init__(self, placements: QuerySet[Placement], grouping: Grouping) -> None:
        self.grouping = grouping
        self.query = placements.values(*grouping.fields).annotate(**_sums()).order_by(*grouping.order)

    def count(self) -> int:
        return self.query.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Counts]:
        heading, key = self.grouping.heading, self.grouping.key
        return [Counts.of(row, label=heading(row), key=key(row)) for row in self.query[index]]

    def all(self) -> list[Counts]:
        return self[:]


def groups(placements: QuerySet[Placement], by: str) -> GroupRows:
    return GroupRows(placements, GROUPINGS[by])


def children(placements: QuerySet[Placement]) -> QuerySet[Placement]:
    """The placements as the list of children: each with its child, provider and commissioning school, by name."""
    return placements.select_related("pupil", "provision__provider", "commissioning_school").order_by(
        "pupil__last_name", "pupil__first_name", "pupil_id", "start_date", "pk"
    )


def commissioning_schools(user: User) -> QuerySet[School]:
    """The schools that arranged AP for the user's children (any time), to filter by, by name: their ids (one
    DISTINCT over the LA's school placements, 60 ms on the large LA's 60,000 placements), then the schools."""
    placements = Placement.objects.visible_to(user).filter(commissioner=Payer.SCHOOL).order_by()
    ids = set(placements.values_list("commissioning_school_id", flat=True).distinct())
    return School.objects.filter(pk__in=ids).order_by("name")


# --- The LA's own figures beside the DfE's ----------------------------------------------------------------------


def academic_year_of(day: datetime.date) -> int:
    """The year an academic year starts in (2026 for 2026/27), for the day."""
    return school_year_start(day).year


def published_years(user: User) -> list[int]:
    """The academic years the user's LA has published figures for, latest first."""
    years = PublishedFigure.objects.visible_to(user).order_by().values_list("year_starting", flat=True).distinct()
    return sorted(set(years), reverse=True)


@dataclass
class ComparisonRow:
    label: str
    own: int
    published: PublishedFigure | None = None
    is_total: bool = False


@dataclass
class Comparison:
    """The LA's school-arranged placements (by type of setting) and pupils (by reason) in an academic year, beside
    the DfE's figures for that year, or, when none are loaded for it, for the latest year loaded (`published_year`)."""

    year: int
    published_year: int | None
    by_setting: list[ComparisonRow] = field(default_factory=list)
    by_reason: list[ComparisonRow] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)

    @property
    def year_label(self) -> str:
        return academic_year_label(self.year)

    @property
    def published_year_label(self) -> str:
        return academic_year_label(self.published_year) if self.published_year is not None else ""

    @property
    def years(self) -> str:
        """The years compared, for a table's caption: ": yours in 2026/27, the DfE's for 2022/23"."""
        published = f", the DfE's for {self.published_year_label}" if self.published_year is not None else ""
        return f": yours in {self.year_label}{published}"


def school_arranged_in_year(user: User, year: int) -> QuerySet[Placement]:
    """The placements schools arranged for the user's children that ran at any time in the academic year (1
    September to 31 August), with their setting category annotated."""
    first, last = datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)
    return (
        Placement.objects.visible_to(user)
        .filter(commissioner=Payer.SCHOOL, status__in=IN_AP_STATES, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .annotate(setting_category=SETTING)
        .order_by()
    )


def comparison(user: User, year: int) -> Comparison:
    """Four queries: placements by setting, pupils by reason, pupils in all, and the published figures."""
    placements = school_arranged_in_year(user, year)
    # django-stubs cannot see an annotation through values(): the names are checked by the tests instead.
    by_setting = dict(
        placements.values_list("setting_category").annotate(n=Count("id")).values_list("setting_category", "n")  # type: ignore[misc]
    )
    by_reason = dict(
        placements.values_list("placement_reason")
        .annotate(n=Count("pupil_id", distinct=True))
        .values_list("placement_reason", "n")
    )
    pupils = placements.aggregate(n=Count("pupil_id", distinct=True))["n"] or 0

    years = published_years(user)
    published_year = year if year in years else (years[0] if years else None)
    figures: dict[tuple[str, str, str], PublishedFigure] = {}
    if published_year is not None:
        for figure in PublishedFigure.objects.visible_to(user).filter(year_starting=published_year):
            figures[(figure.measure, figure.setting, figure.reason)] = figure
    result = Comparison(
        year=year,
        published_year=published_year,
        source_files=sorted({figure.source_file for figure in figures.values()}),
    )
    setting_measure, reason_measure = Measure.PLACEMENTS_BY_SETTING, Measure.PUPILS_BY_REASON
    for value, label in SettingCategory.choices:
        result.by_setting.append(
            ComparisonRow(label, by_setting.get(value, 0), figures.get((setting_measure, value, "")))
        )
    result.by_setting.append(
        ComparisonRow("Total", sum(by_setting.values()), figures.get((setting_measure, TOTAL, "")), is_total=True)
    )
    for value, label in PlacementReason.choices:
        result.by_reason.append(
            ComparisonRow(label, by_reason.get(value, 0), figures.get((reason_measure, TOTAL, value)))
        )
    if by_reason.get(""):
        # AP Hub's own offers by a school carry no census reason: shown, so the total adds up.
        result.by_reason.append(ComparisonRow("Not recorded", by_reason[""]))
    result.by_reason.append(ComparisonRow("Total", pupils, figures.get((reason_measure, TOTAL, TOTAL)), is_total=True))
    return result


@dataclass
class LoadedFile:
    source_file: str
    measure: str
    time_period: str
    figures: int
    suppressed_count: int
    last_loaded: datetime.datetime

    @property
    def measure_label(self) -> str:
        return Measure(self.measure).label


def loaded_files(user: User) -> list[LoadedFile]:
    """The published figures the user's LA holds, by the file they last came from: one query."""
    rows = (
        PublishedFigure.objects.visible_to(user)
        .order_by()
        .values("source_file", "measure", "time_period")
        .annotate(
            figures=Count("id"),
            suppressed_count=Count("id", filter=Q(value__isnull=True)),
            last_loaded=Max("loaded_at"),
        )
        .order_by("-time_period", "measure", "source_file")
    )
    return [LoadedFile(**row) for row in rows]
