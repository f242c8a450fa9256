"""Flows: children coming into AP and leaving it, moving between tiers, and the exclusions and suspensions that
bring most of them (issue 14; seed 004 section 11 on a 166% rise in secondary permanent exclusions).

- Starts and ends by month: placements that started (active or ended) by their start date, placements that ended by
  their end date. Offers not yet started and cancelled placements never ran, so neither counts.
- Step up and step down: a started placement that follows one in another tier (Placement.follows, set when it is
  offered: placements.services.placement_followed), counted in the month it started. Tier 3 is the most intensive
  (DfE SEND and AP improvement plan, 2023): a move to a higher tier is a step up.
- Exclusions and suspensions: episodes of those kinds recorded (withdrawn ones were recorded in error), by their
  first day, beside the same period a year before. Only suspensions of more than 5 school days are recorded: the
  school must arrange education from the sixth day (Education (Provision of Full-Time Education for Excluded Pupils)
  (England) Regulations 2007), so these are the ones that need AP.

Every count is made in the database, in three queries whatever the LA's size: placements started and ended (one
pass, conditional counts by month), the moves between tiers (GROUP BY the two tiers), and the exclusions and
suspensions of the period and the year before (one pass, conditional counts).
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet

from aphub.core.figures import Figure, bar_figure
from aphub.duties.models import EpisodeKind
from aphub.organisations.models import User
from aphub.placements.models import Episode, Placement, Tier

from . import Dashboard
from .filters import DashboardFilters, academic_year_label

STARTED = (Placement.Status.ACTIVE, Placement.Status.ENDED)
EXCLUSION_KINDS = {
    EpisodeKind.PERMANENT_EXCLUSION: "Permanent exclusions",
    EpisodeKind.SUSPENSION: "Suspensions of more than 5 days",
}
# Every move between two tiers, steps up first, in the table's order.
STEPS_UP = [(low, high) for low in Tier.values for high in Tier.values if low < high]
STEPS_DOWN = [(high, low) for low, high in STEPS_UP]


def months_of(filters: DashboardFilters) -> list[datetime.date]:
    """The first day of each month of the period, in order."""
    months, month = [], filters.start.replace(day=1)
    while month <= filters.end:
        months.append(month)
        month = _next_month(month)
    return months


def month_label(month: datetime.date) -> str:
    return f"{month:%B %Y}"


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def counts_by_month(
    queryset: QuerySet, months: list[datetime.date], series: dict[str, tuple[str, Q]], **totals: Q
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """In one query, one pass over `queryset`: for each series (its name -> the date field that places a row in a
    month, and the condition a row meets to count), the rows in each month, a month with none 0; and a total for each
    of `totals`. Conditional counts rather than GROUP BY month: the starts and the ends of placements are counted
    in the same scan, so the large LA's 60,000 placements are read once (`make bench`)."""
    aggregates = {
        f"s{index}m{position}": Count(
            "pk", filter=condition & Q(**{f"{field}__gte": month, f"{field}__lt": _next_month(month)})
        )
        for index, (field, condition) in enumerate(series.values())
        for position, month in enumerate(months)
    }
    aggregates.update({f"t{index}": Count("pk", filter=condition) for index, condition in enumerate(totals.values())})
    row = queryset.aggregate(**aggregates)
    by_month = {
        name: [row[f"s{index}m{position}"] for position in range(len(months))] for index, name in enumerate(series)
    }
    return by_month, {name: row[f"t{index}"] for index, name in enumerate(totals)}


def _busiest(months: list[datetime.date], counts: list[int]) -> str:
    return month_label(months[counts.index(max(counts))]) if any(counts) else ""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def starts_and_ends(user: User, filters: DashboardFilters) -> Figure:
    months = months_of(filters)
    period = (filters.start, filters.end)
    started = (
        filters.placements(user)
        .filter(status__in=STARTED)
        .filter(Q(start_date__range=period) | Q(end_date__range=period))
    )
    counts, _ = counts_by_month(
        started, months, {"Starts": ("start_date", Q()), "Ends": ("end_date", Q(status=Placement.Status.ENDED))}
    )
    total_starts, total_ends = sum(counts["Starts"]), sum(counts["Ends"])
    summary = (
        f"{_plural(total_starts, 'placement', 'placements')} started and {total_ends:,} ended in {filters.label}"
        + (f"; most starts in {_busiest(months, counts['Starts'])}." if total_starts else ".")
    )
    return bar_figure(
        "starts-ends",
        f"Placements started and ended by month, {filters.label}",
        summary,
        [month_label(month) for month in months],
        counts,
        category_heading="Month",
        horizontal=False,
    )


def steps(user: User, filters: DashboardFilters) -> Figure:
    # A tier chosen in the filters narrows to moves into or out of it, so both directions of that tier show.
    moves = (
        dataclasses.replace(filters, tier="")
        .placements(user)
        .filter(status__in=STARTED, start_date__range=(filters.start, filters.end), follows__isnull=False)
        .exclude(follows__tier=F("tier"))
    )
    if filters.tier:
        moves = moves.filter(Q(tier=filters.tier) | Q(follows__tier=filters.tier))
    counted = {
        (row["follows__tier"], row["tier"]): row["n"]
        for row in moves.values("follows__tier", "tier").annotate(n=Count("pk")).order_by()
    }
    pairs = STEPS_UP + STEPS_DOWN
    up = [counted.get(pair, 0) if pair in STEPS_UP else None for pair in pairs]
    down = [counted.get(pair, 0) if pair in STEPS_DOWN else None for pair in pairs]
    stepped_up, stepped_down = sum(value or 0 for value in up), sum(value or 0 for value in down)
    if stepped_up or stepped_down:
        summary = (
            f"{_plural(stepped_up + stepped_down, 'move', 'moves')} between tiers started in {filters.label}: "
            f"{stepped_up:,} stepping up to a more intensive tier and {stepped_down:,} stepping down."
        )
    else:
        summary = f"No child moved between tiers in {filters.label}."
    return bar_figure(
        "steps",
        f"Step up and step down between tiers, {filters.label}",
        summary,
        [f"Tier {before} to tier {after}" for before, after in pairs],
        {"Step up": up, "Step down": down},
        category_heading="Move",
        stacked=True,
    )


def _episodes(user: User, filters: DashboardFilters) -> QuerySet[Episode]:
    """Exclusions and suspensions recorded for the children the filters choose. An episode comes before any
    placement, so the tier and provider filters do not apply; the school is the one that excluded."""
    episodes = (
        Episode.objects.visible_to(user)
        .filter(route__kind__in=list(EXCLUSION_KINDS))
        .exclude(status=Episode.Status.WITHDRAWN)
        .order_by()
    )
    if filters.route_id is not None:
        episodes = episodes.filter(route_id=filters.route_id)
    if filters.school_id is not None:
        episodes = episodes.filter(school_id=filters.school_id)
    return episodes


def a_year_before(filters: DashboardFilters) -> DashboardFilters:
    """The same period a year earlier, its children's phase and key stage worked out for that year."""

    def back(day: datetime.date) -> datetime.date:
        return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)

    year = filters.academic_year
    return dataclasses.replace(
        filters,
        start=back(filters.start),
        end=back(filters.end),
        academic_year=year - 1,
        label=filters.label.replace(academic_year_label(year), academic_year_label(year - 1)),
    )


def exclusions_by_month(filters: DashboardFilters, counts: dict[str, list[int]]) -> Figure:
    months = months_of(filters)
    permanent, suspensions = (sum(values) for values in counts.values())
    summary = (
        f"{_plural(permanent, 'permanent exclusion', 'permanent exclusions')} and "
        f"{_plural(suspensions, 'suspension', 'suspensions')} of more than 5 days recorded in {filters.label}"
        + (
            f"; most in {_busiest(months, [a + b for a, b in zip(*counts.values(), strict=True)])}."
            if permanent + suspensions
            else "."
        )
    )
    return bar_figure(
        "exclusions",
        f"Permanent exclusions and suspensions recorded by month, {filters.label}",
        summary,
        [month_label(month) for month in months],
        counts,
        category_heading="Month",
        horizontal=False,
    )


def change(now: int, before: int) -> str:
    """The change from `before` to `now` in words, as a whole percentage ("up 167%")."""
    if before == 0:
        return "none the year before" if now else "none the year before either"
    percent = (Decimal(abs(now - before)) * 100 / before).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if now == before:
        return f"the same as the {before:,} the year before"
    return f"{'up' if now > before else 'down'} {percent}% on {before:,} the year before"


def exclusions_against_last_year(
    filters: DashboardFilters, counts: dict[str, list[int]], last_year: dict[str, int]
) -> Figure:
    earlier = a_year_before(filters)
    before = [last_year[kind] for kind in EXCLUSION_KINDS]
    now = [sum(values) for values in counts.values()]
    permanent, suspensions = (
        f"{_plural(count, what, what + 's')} ({change(count, was)})"
        for count, was, what in zip(now, before, ("permanent exclusion", "suspension"), strict=True)
    )
    return bar_figure(
        "exclusions-trend",
        f"Permanent exclusions and suspensions, {filters.label} against {earlier.label}",
        f"In {filters.label}, {permanent} and {suspensions} of more than 5 days.",
        list(EXCLUSION_KINDS.values()),
        {earlier.label: before, filters.label: now},
        category_heading="Recorded",
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    earlier = a_year_before(filters)
    this_year = Q(start_date__range=(filters.start, filters.end)) & filters.pupil_q()
    last_year = Q(start_date__range=(earlier.start, earlier.end)) & earlier.pupil_q()
    exclusions, before = counts_by_month(
        _episodes(user, filters).filter(this_year | last_year),
        months_of(filters),
        {label: ("start_date", this_year & Q(route__kind=kind)) for kind, label in EXCLUSION_KINDS.items()},
        **{kind: last_year & Q(route__kind=kind) for kind in EXCLUSION_KINDS},
    )
    return [
        starts_and_ends(user, filters),
        steps(user, filters),
        exclusions_by_month(filters, exclusions),
        exclusions_against_last_year(filters, exclusions, before),
    ]


DASHBOARD = Dashboard(
    slug="flows",
    title="Flows into and out of AP",
    description=(
        "Placements started and ended by month, steps up and down between tiers, and the permanent exclusions and "
        "suspensions recorded, against the same period last year."
    ),
    build=build,
)
