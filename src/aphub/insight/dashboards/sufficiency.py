"""Sufficiency: whether the LA has the AP places its children need (issue 14). Commissioned places against the pupils
on roll at the census days and day by day, the waiting lists and how long children wait, the referrals the panel
declined for want of a suitable place (unmet need), and how many places would start children within the sixth-day
duty, from a simulation of many school years (insight.capacity): of the coming year's arrivals as the forecast
dashboard forecasts them, where there is history enough to forecast, else of those observed in the past year (the
page says which), and of the lengths of stay observed.

Seed 004 (Solihull) section 11 is the picture this page must show: 217 places with 146 and 177 pupils on roll at the
January and May censuses (71, then 40, empty) while one centre was full with a waiting list. Empty places overall
and a full provision are both on the first figure, its waiting list on the next.

Places and their census counts come from commissioning.places (decision 29), as the Schools Forum report has them.
Places are bought for every child, so of the filters only the period and the provider narrow them; the waiting list,
the panel's declines and the simulation follow every filter on the child.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Case, Count, DateField, DurationField, ExpressionWrapper, F, Min, Q, Value, When
from django.db.models.functions import Coalesce, Greatest

from aphub.commissioning.places.occupancy import academic_year_bounds
from aphub.commissioning.places.queries import PlacesInYear, PlacesReport, PlacesTotals, places_and_occupancy_for
from aphub.core.clock import now, today
from aphub.core.days.school_years import academic_year_label
from aphub.core.figures import Figure, bar_figure, line_figure
from aphub.insight.forecasting import NAMES
from aphub.organisations.models import User
from aphub.placements.models import PanelDecision, Placement, WaitingListEntry

from .. import capacity
from . import Dashboard
from .filters import DashboardFilters
from .forecast import MIN_TERMS, forecast_arrivals

ONE_DAY = datetime.timedelta(days=1)
BUSIEST = 2  # provisions drawn day by day beside the totals
# Calendar days to school days: a year's 190 school days over its 365 days (the Education (School Day and School Year)
# (England) Regulations 1999: 380 sessions).
SCHOOL_DAYS_A_DAY = capacity.SCHOOL_DAYS / 365
STAYS_OVER_YEARS = 3  # lengths of stay are read from the placements ended in the three years to the period's end
# The capacity curve on the page: fewer simulated years than the benchmark's 10,000, so the page stays fast, and
# fewer still for a large LA, whose years hold more children each: the work is about children x numbers of places.
YEARS_ON_PAGE = 1_000
POINTS_ON_PAGE = 13
CHILDREN_SIMULATED_ON_PAGE = 2_500_000
FEWEST_YEARS_ON_PAGE = 5
# Days waited, in calendar days: up to a week (the sixth-day duty is five school days), to four, to eight, beyond.
WAIT_BANDS = (
    ("Up to 7 days", 0, 7),
    ("8 to 28 days", 8, 28),
    ("29 to 56 days", 29, 56),
    ("More than 56 days", 57, None),
)
PRIMARY_UP_TO = 11  # a provision for children up to 11 is primary, from 11 secondary (the age at the end of year 6)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _children(count: int) -> str:
    return _plural(count, "child", "children")


# --- Places at the census days ------------------------------------------------------------------------------------


def _places(user: User, filters: DashboardFilters) -> PlacesReport:
    report = places_and_occupancy_for(user, academic_year=filters.academic_year)
    if filters.provider_id is None:
        return report
    rows = [row for row in report.rows if row.provision.provider_id == filters.provider_id]
    totals = PlacesTotals()
    for row in rows:
        totals.add(row)
    return PlacesReport(academic_year=report.academic_year, rows=rows, totals=totals)


def phase_of(row: PlacesInYear) -> str:
    provision = row.provision
    if provision.age_max <= PRIMARY_UP_TO:
        return "Primary"
    if provision.age_min >= PRIMARY_UP_TO:
        return "Secondary"
    return "Primary and secondary"


def _census_series(rows: Sequence[PlacesInYear]) -> tuple[list[str], dict[str, list[int]]]:
    """Places and the pupils on roll at each census day for each row, as the figures' series."""
    names = [count.census.name for count in rows[0].occupancy.at_census] if rows else []
    series: dict[str, list[int]] = {"Places commissioned": [row.occupancy.places for row in rows]}
    for index, name in enumerate(names):
        series[f"On roll, {name}"] = [row.occupancy.at_census[index].on_roll for row in rows]
    return names, series


def places_at_census(user: User, filters: DashboardFilters, report: PlacesReport, waiting: dict[int, int]) -> Figure:
    rows = sorted(report.rows, key=lambda row: (phase_of(row), row.provision.name))
    names, series = _census_series(rows)
    year = filters.academic_year
    title = f"Commissioned places and pupils on roll at the census days, {academic_year_label(year)}"
    if not rows:
        summary = "No places are commissioned for this academic year."
    else:
        places = sum(series["Places commissioned"])
        counts = [sum(series[f"On roll, {name}"]) for name in names]
        empties = [sum(row.occupancy.at_census[i].empty for row in rows) for i in range(len(names))]
        parts = [
            f"{on_roll:,} on roll at the {name} ({_plural(empty, 'place')} empty)"
            for name, on_roll, empty in zip(names, counts, empties, strict=True)
        ]
        summary = (
            f"{_plural(places, 'place')} commissioned at {_plural(len(rows), 'provision')}: "
            + " and ".join(parts)
            + "."
        )
        full = [row for row in rows if row.occupancy.places and row.occupancy.at_census[-1].empty == 0]
        if full:
            summary += (
                " Full at the last census: "
                + "; ".join(
                    f"{row.provision.name}, {_children(waiting.get(row.provision.pk, 0))} waiting now" for row in full
                )
                + "."
            )
    return bar_figure(
        "places-at-census",
        title,
        summary,
        [f"{row.provision.name} ({phase_of(row).lower()})" for row in rows],
        series,
        category_heading="Provision (phase)",
    )


def places_by_phase(filters: DashboardFilters, report: PlacesReport) -> Figure:
    """The same places and counts, added up by the provision's phase."""
    rows = report.rows
    names, by_row = _census_series(rows)
    phases = sorted({phase_of(row) for row in rows})
    series: dict[str, list[int]] = {}
    for heading, values in by_row.items():
        series[heading] = [sum(v for row, v in zip(rows, values, strict=True) if phase_of(row) == p) for p in phases]
    for index, name in enumerate(names):
        series[f"Empty, {name}"] = [
            sum(row.occupancy.at_census[index].empty for row in rows if phase_of(row) == phase) for phase in phases
        ]
    year = filters.academic_year
    if phases and names:
        most = max(phases, key=lambda phase: series[f"Empty, {names[-1]}"][phases.index(phase)])
        summary = (
            f"{most} provisions had the most empty places at the {names[-1]}: "
            f"{series[f'Empty, {names[-1]}'][phases.index(most)]:,}."
        )
    else:
        summary = "No places are commissioned for this academic year."
    return bar_figure(
        "places-by-phase",
        f"Commissioned places and pupils on roll by phase, {academic_year_label(year)}",
        summary,
        phases,
        series,
        category_heading="Phase",
    )


# --- Day by day ---------------------------------------------------------------------------------------------------


def on_roll_by_day(
    user: User, provision_ids: list[int], first: datetime.date, last: datetime.date, academic_year: int
) -> dict[int, list[int]]:
    """Pupils on roll at each provision on each day from `first` to `last` (within `academic_year`), from two
    aggregate queries: the placements coming on roll each day and those going off it, by provision and day.

    On roll as commissioning.places.occupancy counts it (decision 29): from the start to the end, else the planned
    end, else the end of the academic year the placement started in (funding.periods.funding_period); accepted,
    active and ended placements. Within one academic year, a placement with neither end that started before it has
    left the roll before it starts (the day before the year's first stands for that)."""
    year_first, year_last = academic_year_bounds(academic_year)
    length = (last - first).days + 1
    changes: dict[int, list[int]] = {pk: [0] * (length + 1) for pk in provision_ids}
    if not provision_ids:
        return {}
    last_day = Coalesce(
        "end_date",
        "planned_end_date",
        Case(
            When(start_date__gte=year_first, then=Value(year_last)),
            default=Value(year_first - ONE_DAY),
            output_field=DateField(),
        ),
        output_field=DateField(),
    )
    placements = (
        Placement.objects.visible_to(user)
        .filter(provision_id__in=provision_ids, status__in=Placement.ON_ROLL_STATES, start_date__lte=last)
        .annotate(last_day=last_day)
        .filter(last_day__gte=first)
        .order_by()
    )
    coming = placements.annotate(day=Greatest("start_date", Value(first, output_field=DateField())))
    for row in coming.values("provision_id", "day").annotate(pupils=Count("pk")):
        changes[row["provision_id"]][(row["day"] - first).days] += row["pupils"]
    going = placements.filter(last_day__lt=last).values("provision_id", "last_day").annotate(pupils=Count("pk"))
    for row in going:
        changes[row["provision_id"]][(row["last_day"] - first).days + 1] -= row["pupils"]
    counts = {}
    for pk, steps in changes.items():
        running, days = 0, []
        for step in steps[:length]:
            running += step
            days.append(running)
        counts[pk] = days
    return counts


def day_by_day(user: User, filters: DashboardFilters, report: PlacesReport) -> Figure:
    rows = report.rows
    first, last = filters.start, filters.end
    counts = on_roll_by_day(user, [row.provision.pk for row in rows], first, last, filters.academic_year)
    days = [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
    weekdays = [index for index, day in enumerate(days) if day.weekday() < 5]
    # The busiest: the provisions whose pupils on roll came nearest their places, or went furthest beyond them.
    busiest = sorted(
        (row for row in rows if row.occupancy.places),
        key=lambda row: (-max(counts[row.provision.pk]) / row.occupancy.places, row.provision.name),
    )[:BUSIEST]
    places = sum(row.occupancy.places for row in rows)
    series: dict[str, list[int | None]] = {
        "All commissioned places": [places] * len(weekdays),
        "All pupils on roll": [sum(counts[row.provision.pk][i] for row in rows) for i in weekdays],
    }
    for row in busiest:
        series[f"{row.provision.name}: places"] = [row.occupancy.places] * len(weekdays)
        series[f"{row.provision.name}: on roll"] = [counts[row.provision.pk][i] for i in weekdays]
    if rows and weekdays:
        on_roll = series["All pupils on roll"]
        summary = (
            f"Pupils on roll in the {_plural(places, 'commissioned place')} ranged from {min(on_roll):,} to "
            f"{max(on_roll):,} on school weekdays."
        )
        if busiest:
            top = busiest[0]
            summary += (
                f" The busiest, {top.provision.name}, reached {max(counts[top.provision.pk]):,} on roll in "
                f"{_plural(top.occupancy.places, 'place')}."
            )
    else:
        summary = "No places are commissioned for this period."
    return line_figure(
        "places-day-by-day",
        f"Places and pupils on roll day by day, {filters.label}",
        summary,
        [days[i].strftime("%a %-d %b %Y") for i in weekdays] if rows else [],
        series if rows else {},
        period_heading="Day (Monday to Friday)",
    )


# --- Waiting lists ----------------------------------------------------------------------------------------------


def _waiting_list(user: User, filters: DashboardFilters):
    entries = WaitingListEntry.objects.visible_to(user).filter(filters.pupil_q("pupil__")).order_by()
    if filters.provider_id is not None:
        entries = entries.filter(provision__provider_id=filters.provider_id)
    return entries


def waiting_now(user: User, filters: DashboardFilters) -> tuple[Figure, dict[int, int]]:
    """Children on each provision's waiting list now, and the longest of their waits so far."""
    moment = now()
    rows = list(
        _waiting_list(user, filters)
        .filter(status=WaitingListEntry.Status.WAITING)
        .values("provision_id", "provision__name")
        .annotate(children=Count("pk"), since=Min("added_at"))
        .order_by("-children", "provision__name")
    )
    longest = [(moment - row["since"]).days for row in rows]
    total = sum(row["children"] for row in rows)
    summary = f"{_children(total)} waiting for a place at {_plural(len(rows), 'provision')} today" + (
        f"; the longest wait so far is {_plural(max(longest), 'day')}." if rows else "."
    )
    figure = bar_figure(
        "waiting-now",
        f"Children on waiting lists on {today():%-d %B %Y}",
        summary,
        [row["provision__name"] for row in rows],
        {"Children waiting": [row["children"] for row in rows], "Longest wait so far (days)": longest},
        category_heading="Provision",
    )
    return figure, {row["provision_id"]: row["children"] for row in rows}


def _band(field: str, low: int, high: int | None, moment: datetime.datetime | None = None) -> Q:
    """Waits of `low` to `high` days: from added_at to `field`, or to `moment` when given."""
    if moment is not None:
        q = Q(added_at__lte=moment - datetime.timedelta(days=low))
        return q & Q(added_at__gt=moment - datetime.timedelta(days=high + 1)) if high is not None else q
    q = Q(**{f"{field}__gte": F("added_at") + datetime.timedelta(days=low)})
    return q & Q(**{f"{field}__lt": F("added_at") + datetime.timedelta(days=high + 1)}) if high is not None else q


def days_waited(user: User, filters: DashboardFilters) -> Figure:
    """How long children have waited: those waiting now (so far), and those who came off a list in the period
    (offered a place or removed), each in one aggregate query."""
    moment = now()
    entries = _waiting_list(user, filters)
    bands = list(enumerate(WAIT_BANDS))
    waiting = entries.filter(status=WaitingListEntry.Status.WAITING).aggregate(
        **{f"band_{i}": Count("pk", filter=_band("", low, high, moment)) for i, (_, low, high) in bands}
    )
    ended = entries.filter(ended_at__date__gte=filters.start, ended_at__date__lte=filters.end).aggregate(
        **{f"band_{i}": Count("pk", filter=_band("ended_at", low, high)) for i, (_, low, high) in bands}
    )
    labels = [label for label, _, _ in WAIT_BANDS]
    still = [waiting[f"band_{i}"] for i, _ in bands]
    came_off = [ended[f"band_{i}"] for i, _ in bands]
    finished = sum(came_off)
    within_week = came_off[0]
    summary = (
        f"{_children(finished)} came off a waiting list in the period"
        + (f", {within_week:,} of them within 7 days" if finished else "")
        + f"; {_children(sum(still))} still waiting."
    )
    return bar_figure(
        "days-waited",
        f"Days waited on waiting lists, {filters.label}",
        summary,
        labels,
        {
            "Still waiting (days so far)": still,
            "Came off the list in the period": came_off,
        },
        category_heading="Days waited (calendar days)",
        horizontal=False,
    )


# --- Unmet need -------------------------------------------------------------------------------------------------


def unmet_need(user: User, filters: DashboardFilters) -> Figure:
    """Referrals the panel declined in the period, by the reason it gave: no suitable place is unmet need."""
    declined = PanelDecision.objects.visible_to(user).filter(
        filters.pupil_q("referral__pupil__"),
        outcome=PanelDecision.Outcome.DECLINE,
        decided_at__date__gte=filters.start,
        decided_at__date__lte=filters.end,
    )
    reasons = [*PanelDecision.DeclineReason.choices, ("", "Reason not recorded")]
    counted = declined.aggregate(
        **{f"reason_{index}": Count("pk", filter=Q(decline_reason=value)) for index, (value, _) in enumerate(reasons)}
    )
    counts = [counted[f"reason_{index}"] for index in range(len(reasons))]
    no_place = counts[0]
    return bar_figure(
        "unmet-need",
        f"Referrals the panel declined, by reason, {filters.label}",
        f"{_plural(no_place, 'referral')} declined because no suitable place was available, of "
        f"{_plural(sum(counts), 'referral')} declined.",
        [label for _, label in reasons],
        {"Referrals declined": counts},
        category_heading="Reason",
    )


# --- The places the sixth-day duty needs --------------------------------------------------------------------------


def simulation_inputs(user: User, filters: DashboardFilters) -> tuple[float, list[int], list[int]]:
    """The observed arrivals per school day (placements started in the year to the period's end, or to today, over
    a year's school days) and the lengths of stay in school days of the placements ended in the three years to then,
    with how many had each: two aggregate queries."""
    until = min(filters.end, today())
    placements = filters.placements(user).exclude(status=Placement.Status.CANCELLED)
    started = placements.filter(start_date__gt=until - datetime.timedelta(days=365), start_date__lte=until).count()
    stay = ExpressionWrapper(F("end_date") - F("start_date") + datetime.timedelta(days=1), output_field=DurationField())
    ended = (
        placements.filter(
            status=Placement.Status.ENDED,
            end_date__gt=until - datetime.timedelta(days=365 * STAYS_OVER_YEARS),
            end_date__lte=until,
        )
        .annotate(stay=stay)
        .values("stay")
        .annotate(placements=Count("pk"))
    )
    by_school_days: dict[int, int] = defaultdict(int)
    for row in ended:
        by_school_days[max(1, round(row["stay"].days * SCHOOL_DAYS_A_DAY))] += row["placements"]
    stays = sorted(by_school_days)
    return started / capacity.SCHOOL_DAYS, stays, [by_school_days[days] for days in stays]


def years_on_page(arrivals_per_day: float) -> int:
    """As many simulated years as keep the children simulated for the curve within the page's budget."""
    children_a_year = arrivals_per_day * capacity.SCHOOL_DAYS * POINTS_ON_PAGE
    return max(FEWEST_YEARS_ON_PAGE, min(YEARS_ON_PAGE, int(CHILDREN_SIMULATED_ON_PAGE / max(children_a_year, 1))))


def interpolated_places(curve: capacity.CapacityCurve, share: float) -> int | None:
    """The places at which the curve reaches `share`, read between the simulated numbers and rounded up."""
    points = list(zip(curve.places, curve.share_in_time, strict=True))
    for (low, low_share), (high, high_share) in zip(points, points[1:], strict=False):
        if low_share >= share:
            return low
        if high_share >= share:
            return math.ceil(low + (high - low) * (share - low_share) / (high_share - low_share))
    return points[-1][0] if points and points[-1][1] >= share else None


def arrivals_for(user: User, filters: DashboardFilters, observed: float) -> tuple[float | list[float], str]:
    """The arrivals the simulation takes, and a sentence saying which: for a period running to today or beyond, the
    coming year's forecast (the forecast dashboard's, forecast.forecast_arrivals) where there is history enough;
    otherwise the `observed` rate a school day in the year to the period's end."""
    day = today()
    until = min(filters.end, day)
    observed_basis = f"{observed:.2f} children starting a day (observed in the year to {until:%-d %B %Y})"
    if filters.end < day:
        return observed, f"From {observed_basis}, the chosen period being past."
    made = forecast_arrivals(user, filters, day)
    if made is None:
        why = (
            "no forecast is made for a key stage"
            if filters.key_stage
            else f"fewer than {MIN_TERMS} complete terms of starts to forecast from"
        )
        return observed, f"From {observed_basis}: {why}."
    return made.rates, (
        f"From the forecast arrivals for {made.terms[0]} to {made.terms[-1]}: {made.total:.0f} children starting "
        f"({made.total / capacity.SCHOOL_DAYS:.2f} a day; by {NAMES[made.method]}, as the forecast dashboard shows; "
        f"{observed:.2f} a day were observed in the year to {until:%-d %B %Y})."
    )


def places_needed(user: User, filters: DashboardFilters, report: PlacesReport) -> list[Figure]:
    observed, stays, counts = simulation_inputs(user, filters)
    arrivals, arrivals_basis = arrivals_for(user, filters, observed) if stays else (observed, "")
    rate = float(sum(arrivals) / capacity.SCHOOL_DAYS if isinstance(arrivals, list) else arrivals)
    title = f"Children starting within the sixth school day, by places, {filters.label}"
    needed_title = f"Places needed to start children within the sixth school day, {filters.label}"
    shares = [f"{round(target * 100)}% of children" for target in capacity.TARGETS]
    if not rate or not stays:
        summary = "Not enough history to simulate: no placements started in the year, or none ended in three years."
        return [
            line_figure("capacity-curve", title, summary, [], {}, period_heading="Places"),
            bar_figure("places-needed", needed_title, summary, [], {}, category_heading="Share started in time"),
        ]
    mean_stay = sum(s * n for s, n in zip(stays, counts, strict=True)) / sum(counts)
    curve = capacity.simulate(
        arrivals_per_day=arrivals,
        stays=stays,
        stay_counts=counts,
        places=capacity.places_to_try(rate, mean_stay, points=POINTS_ON_PAGE),
        years=years_on_page(rate),
    )
    percent = [round(share * 100, 1) for share in curve.share_in_time]
    needed = [interpolated_places(curve, target) for target in capacity.TARGETS]
    commissioned = sum(row.occupancy.places for row in report.rows)
    basis = (
        f"{arrivals_basis} Stays of {mean_stay:.0f} school days on average "
        f"({_plural(sum(counts), 'ended placement')}), over {curve.years:,} simulated school years."
    )
    curve_figure = line_figure(
        "capacity-curve",
        title,
        f"With {curve.places[0]:,} places {percent[0]}% of children would start in time; with {curve.places[-1]:,}, "
        f"{percent[-1]}%. {basis}",
        [str(places) for places in curve.places],
        {"Children started within the sixth school day (%)": percent},
        period_heading="Places",
    )
    ninety_five = needed[capacity.TARGETS.index(0.95)]
    needed_figure = bar_figure(
        "places-needed",
        needed_title,
        (
            f"About {ninety_five:,} places would start 95% of children within the sixth school day; "
            f"{_plural(commissioned, 'place is', 'places are')} commissioned this year. {basis}"
            if ninety_five is not None
            else f"More places than simulated would be needed for 95% to start in time. {basis}"
        ),
        shares,
        {"Places needed (simulated)": needed, "Places commissioned": [commissioned] * len(shares)},
        category_heading="Share started in time",
    )
    return [curve_figure, needed_figure]


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    report = _places(user, filters)
    waiting_figure, waiting = waiting_now(user, filters)
    return [
        places_at_census(user, filters, report, waiting),
        places_by_phase(filters, report),
        day_by_day(user, filters, report),
        waiting_figure,
        days_waited(user, filters),
        unmet_need(user, filters),
        *places_needed(user, filters, report),
    ]


DASHBOARD = Dashboard(
    slug="sufficiency",
    title="Sufficiency of places",
    description=(
        "Commissioned places against pupils on roll, waiting lists, referrals declined for want of a place, and the "
        "places needed to start children within the sixth school day."
    ),
    build=build,
)
