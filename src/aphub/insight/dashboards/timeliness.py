"""Timeliness: how long children stay in AP, how long they wait from a referral to a start, and whether they were in
full-time education from the sixth school day of an exclusion (issue 14).

Every figure counts in the database: the placements (or clocks) are grouped by their length in days, a frequency
table bounded by the number of distinct lengths, not of placements (about 12,000 rows of tier, provider and length for
the large LA's 49,000 placements in a year), and the bands and medians are read off that table (`Lengths`), never off
a list of placements. A length is one date minus another (`days_between`), which Django turns
into each database's date arithmetic: `interval '1 day' * (a - b)` on PostgreSQL, microseconds on SQLite.

"Today" bounds the period: a placement still open is measured to the period's end, or to today while the period
runs, and a duty is overdue once today is past its due date.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from django.db.models import BooleanField, Case, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Least, TruncDate

from aphub.core.clock import today
from aphub.core.days.dates import long_date
from aphub.core.figures import Figure, bar_figure
from aphub.core.figures import Value as FigureValue
from aphub.duties import rules
from aphub.duties.models import Clock
from aphub.organisations.models import User
from aphub.placements.models import Placement, Tier

from . import Dashboard
from .filters import DashboardFilters, provider_names

# Placements that put a child on a provider's roll (as placements.models.periods_on_roll counts them): a cancelled
# placement never started, and an offer not yet accepted holds a place but starts nobody.
STARTED = (Placement.Status.ACCEPTED, Placement.Status.ACTIVE, Placement.Status.ENDED)
TOP_PROVIDERS = 10

# The sixth-day duty: full-time education from the sixth school day of an exclusion. For a permanent exclusion the
# LA's, Education Act 1996 s.19(3A) and (3AA); for a suspension of more than five days the school's governing board's,
# Education and Inspections Act 2006 s.100; both with The Education (Provision of Full-Time Education for Excluded
# Pupils) (England) Regulations 2007. duties.rules holds the rules and duties.services the clocks they start.
SIXTH_DAY_RULES = {
    rules.PERMANENT_EXCLUSION.slug: "Permanent exclusion (the LA's duty)",
    rules.SUSPENSION.slug: "Suspension (the school's duty)",
}


@dataclass(frozen=True)
class Bands:
    """Bands of days: `labels[i]` holds lengths below `upper[i]` days (and at least the band before's), the last
    label everything longer."""

    labels: tuple[str, ...]
    upper: tuple[int, ...]

    def counts(self, lengths: "Lengths") -> list[int]:
        counted = [0] * len(self.labels)
        for days, number in lengths.items():
            counted[next((i for i, bound in enumerate(self.upper) if days < bound), len(self.upper))] += number
        return counted


STAY_BANDS = Bands(
    ("Under 2 weeks", "2 to 6 weeks", "6 to 12 weeks", "12 to 26 weeks", "26 to 52 weeks", "52 weeks or more"),
    (14, 42, 84, 182, 364),
)
# A placement that started before its referral was submitted (a referral recorded afterwards) is under 1 week.
WAIT_BANDS = Bands(
    ("Under 1 week", "1 to 2 weeks", "2 to 4 weeks", "4 to 8 weeks", "8 to 12 weeks", "12 weeks or more"),
    (7, 14, 28, 56, 84),
)
# Lateness starts on the day after the due date: a clock met on its due date is on time.
LATE_BANDS = Bands(
    ("1 to 7 days", "8 to 14 days", "15 to 28 days", "29 to 56 days", "Over 56 days"),
    (8, 15, 29, 57),
)


class Lengths(Counter[int]):
    """How many placements (or clocks) took each number of days: a frequency table read from a GROUP BY."""

    def median(self) -> float | None:
        """The middle length, the mean of the two middle ones for an even count; None when there are none."""
        total = self.total()
        if not total:
            return None
        below, middle = (total - 1) // 2, total // 2  # the positions, from 0, of the one or two middle lengths
        seen, found = 0, list[int]()
        for days in sorted(self):
            seen += self[days]
            while len(found) < 2 and seen > (below, middle)[len(found)]:
                found.append(days)
        return (found[0] + found[1]) / 2


def days_between(later: Combinable | str, earlier: Combinable | str) -> ExpressionWrapper:
    """`later` minus `earlier` (dates), as a duration the database works out; `.days` of each row's value."""
    later = F(later) if isinstance(later, str) else later
    earlier = F(earlier) if isinstance(earlier, str) else earlier
    return ExpressionWrapper(later - earlier, output_field=DurationField())


def lengths_by(rows: Iterable[Mapping], *keys: str) -> dict[tuple, Lengths]:
    """Rows of `values(*keys, "days").annotate(number=...)` as a frequency table for each combination of keys."""
    found: dict[tuple, Lengths] = defaultdict(Lengths)
    for row in rows:
        found[tuple(row[key] for key in keys)][row["days"].days] += row["number"]
    return dict(found)


def merged(tables: Iterable[Lengths]) -> Lengths:
    total = Lengths()
    for table in tables:
        total.update(table)
    return total


def in_weeks(days: float | None) -> float | None:
    return None if days is None else round(days / 7, 1)


def shown(number: float | None, unit: str) -> str:
    """A median in words: "12 days", "12.5 days", "1 week"."""
    if number is None:
        return f"no {unit}s"
    text = f"{number:,.0f}" if float(number).is_integer() else f"{number:,.1f}"
    return f"{text} {unit}{'' if number == 1 else 's'}"


def share(part: int, whole: int) -> str:
    return f"{int(100 * part / whole + 0.5)}%" if whole else "0%"


def plural(number: int, word: str, words: str = "") -> str:
    return f"{number:,} {word if number == 1 else words or word + 's'}"


def measured_to(filters: DashboardFilters) -> datetime.date:
    """The last day counted: the period's end, or today while the period runs."""
    return min(filters.end, today())


# --- Length of stay -----------------------------------------------------------------------------------------------


def ended_or_open() -> dict[bool, Lengths]:
    """Lengths of the placements that ended (True) and of those still open (False)."""
    return {True: Lengths(), False: Lengths()}


@dataclass
class Stays:
    """The lengths of the placements that ended in the period and of those still open at its end (or today)."""

    to: datetime.date
    by_tier: dict[str, dict[bool, Lengths]] = field(default_factory=lambda: defaultdict(ended_or_open))
    providers: list[tuple[str, dict[bool, Lengths]]] = field(default_factory=list)

    def all(self, ended: bool) -> Lengths:
        return merged(tables[ended] for tables in self.by_tier.values())


def stays(user: User, filters: DashboardFilters) -> Stays:
    """One query: the placements' lengths grouped by tier, provider and whether they ended (a frequency table of a
    few thousand rows for the large LA, one scan of its placements); the providers named as the filter names them."""
    to = measured_to(filters)
    found = Stays(to=to)
    if to < filters.start:
        return found
    # A placement ended by `to` is measured to its end; one still open then is measured to `to`.
    rows = (
        replace(filters, end=to)
        .overlapping(filters.placements(user))
        .filter(status__in=STARTED)
        .annotate(
            ended=Case(When(end_date__lte=to, then=Value(True)), default=Value(False), output_field=BooleanField()),
            days=days_between(Least(Coalesce("end_date", Value(to)), Value(to)), "start_date"),
        )
        .values("tier", "provision__provider_id", "ended", "days")
        .annotate(number=Count("pk"))
        .order_by()
    )
    by_provider: dict[int, dict[bool, Lengths]] = defaultdict(ended_or_open)
    for row in rows:
        days, number = row["days"].days, row["number"]
        found.by_tier[row["tier"]][row["ended"]][days] += number
        by_provider[row["provision__provider_id"]][row["ended"]][days] += number
    names = provider_names(user, by_provider)
    # The providers with most placements in the period, ties in the order of their names.
    top = sorted(by_provider, key=lambda pk: (-sum(t.total() for t in by_provider[pk].values()), names[pk], pk))
    found.providers = [(names[pk], by_provider[pk]) for pk in top[:TOP_PROVIDERS]]
    return found


def _open_heading(found: Stays, filters: DashboardFilters) -> str:
    return f"Still open on {long_date(found.to)}" if found.to < filters.end else "Still open at the end of the period"


def stay_bands(found: Stays, filters: DashboardFilters) -> Figure:
    ended, still_open = found.all(True), found.all(False)
    if ended.total() or still_open.total():
        summary = (
            f"{plural(ended.total(), 'placement')} ended in the period, after a median of "
            f"{shown(in_weeks(ended.median()), 'week')}; "
            f"{plural(still_open.total(), 'placement was', 'placements were')} still open on {long_date(found.to)}, "
            f"after a median of {shown(in_weeks(still_open.median()), 'week')} so far."
        )
    else:
        summary = "No placement ended in the period or was open in it."
    return bar_figure(
        "length-of-stay",
        f"Length of placements ended in or still open at the end of {filters.label}",
        summary,
        STAY_BANDS.labels,
        {"Ended in the period": STAY_BANDS.counts(ended), _open_heading(found, filters): STAY_BANDS.counts(still_open)},
        category_heading="Length of the placement",
        stacked=True,
    )


def _medians_summary(named: Sequence[tuple[str, Lengths]], of: str, none: str, unit: str, scale=None) -> str:
    """The longest and shortest median among `named` (tiers, providers) in a sentence beginning `of`; `none` when
    none has any."""
    medians = [(name, (scale or (lambda days: days))(lengths.median())) for name, lengths in named if lengths.total()]
    if not medians:
        return none
    longest = max(medians, key=lambda pair: pair[1])
    shortest = min(medians, key=lambda pair: pair[1])
    if len(medians) == 1:
        return f"{of}, the median is {shown(longest[1], unit)} for {longest[0]}."
    if longest[1] == shortest[1]:
        return f"{of}, the median is {shown(longest[1], unit)} for each."
    return (
        f"{of}, the median is longest for {longest[0]} ({shown(longest[1], unit)}) "
        f"and shortest for {shortest[0]} ({shown(shortest[1], unit)})."
    )


def _median_weeks(
    named: Sequence[tuple[str, dict[bool, Lengths]]], found: Stays, filters: DashboardFilters
) -> dict[str, Sequence[FigureValue]]:
    """The series of the medians figures: the median weeks of those ended, and of those still open, for each of
    `named` (a tier, a provider)."""
    return {
        "Ended in the period (weeks)": [in_weeks(tables[True].median()) for _, tables in named],
        f"{_open_heading(found, filters)}, so far (weeks)": [in_weeks(tables[False].median()) for _, tables in named],
    }


def stay_by_tier(found: Stays, filters: DashboardFilters) -> Figure:
    tiers = [(f"tier {tier.value}", found.by_tier.get(tier.value, ended_or_open())) for tier in Tier]
    return bar_figure(
        "length-of-stay-by-tier",
        f"Median length of placements in weeks by tier, {filters.label}",
        _medians_summary(
            [(name, tables[True]) for name, tables in tiers],
            "Of placements that ended in the period",
            "No placement ended in the period.",
            "week",
            in_weeks,
        ),
        [tier.label for tier in Tier],
        _median_weeks(tiers, found, filters),
        category_heading="Tier",
        counts=False,  # medians, not counts: publication withholds none of them
    )


def stay_by_provider(found: Stays, filters: DashboardFilters) -> Figure:
    summary = (
        f"The {plural(len(found.providers), 'provider')} with the most placements in the period. "
        + _medians_summary(
            [(name, tables[True]) for name, tables in found.providers],
            "Of their placements that ended in the period",
            "None of their placements ended in the period.",
            "week",
            in_weeks,
        )
        if found.providers
        else "No placement ended in the period or was open in it."
    )
    return bar_figure(
        "length-of-stay-by-provider",
        f"Median length of placements in weeks by provider, {filters.label}",
        summary,
        [name for name, _ in found.providers],
        _median_weeks(found.providers, found, filters),
        category_heading="Provider",
        counts=False,  # medians, not counts: publication withholds none of them
    )


# --- Referral to start ------------------------------------------------------------------------------------------


def waits(user: User, filters: DashboardFilters) -> dict[str, Lengths]:
    """Days from each referral's submission to its placement's start, for placements started in the period, by tier.
    The submission is a moment; the day it fell on is taken in the LA's time zone (TruncDate)."""
    started = filters.placements(user).filter(
        status__in=STARTED,
        start_date__range=(filters.start, measured_to(filters)),
        referral__submitted_at__isnull=False,
    )
    rows = (
        started.annotate(days=days_between("start_date", TruncDate("referral__submitted_at")))
        .values("tier", "days")
        .annotate(number=Count("pk"))
        .order_by()
    )
    return {tier: lengths for (tier,), lengths in lengths_by(rows, "tier").items()}


def wait_bands(found: dict[str, Lengths], filters: DashboardFilters) -> Figure:
    every = merged(found.values())
    summary = (
        f"{plural(every.total(), 'placement')} started in the period from a referral, a median of "
        f"{shown(every.median(), 'day')} after the referral was submitted; "
        f"{share(sum(every[days] for days in every if days < 28), every.total())} started within 4 weeks."
        if every.total()
        else "No placement started in the period from a submitted referral."
    )
    return bar_figure(
        "referral-to-start",
        f"Time from referral to the placement's start, placements started in {filters.label}",
        summary,
        WAIT_BANDS.labels,
        {"Placements": WAIT_BANDS.counts(every)},
        category_heading="Time from the referral's submission to the start",
    )


def wait_by_tier(found: dict[str, Lengths], filters: DashboardFilters) -> Figure:
    tiers = list(Tier)
    lengths = [found.get(tier.value, Lengths()) for tier in tiers]
    return bar_figure(
        "referral-to-start-by-tier",
        f"Median days from referral to start by tier, placements started in {filters.label}",
        _medians_summary(
            [(f"tier {t.value}", each) for t, each in zip(tiers, lengths, strict=True)],
            "Of placements started in the period from a referral",
            "No placement started in the period from a submitted referral.",
            "day",
        ),
        [tier.label for tier in tiers],
        {"Median days": [each.median() for each in lengths]},
        category_heading="Tier",
        counts=False,  # medians, not counts: publication withholds none of them
    )


# --- The sixth-day duty ------------------------------------------------------------------------------------------


def clock_q(filters: DashboardFilters) -> Q:
    """The filters that apply to a clock: the child's, and the route and school of the episode that started it. Tier
    and provider do not: a duty not met has no placement to have them."""
    q = filters.pupil_q("pupil__")
    if filters.route_id is not None:
        q &= Q(episode__route_id=filters.route_id)
    if filters.school_id is not None:
        q &= Q(episode__school_id=filters.school_id)
    return q


def sixth_day_clocks(user: User, filters: DashboardFilters) -> QuerySet[Clock]:
    """The sixth-day clocks due in the period. A withdrawn clock never applied (its episode was recorded in error)."""
    return (
        Clock.objects.visible_to(user)
        .filter(rule__in=SIXTH_DAY_RULES, due_on__range=(filters.start, filters.end))
        .exclude(state=Clock.State.WITHDRAWN)
        .filter(clock_q(filters))
        .order_by()
    )


def _outcomes(day: datetime.date) -> dict[str, Q]:
    """Each outcome of a clock as a condition, in the figure's order. A clock met after its due date keeps both
    dates (duties.services.meet_episode_clocks), so met_on > due_on is a duty met late; a running clock past its due
    date is breached (duties.services.state_on) whether or not the nightly sweep has marked it yet."""
    met_late = Q(state=Clock.State.MET, met_on__gt=F("due_on"))
    running = Q(state__in=Clock.RUNNING_STATES)
    return {
        "Met on time": Q(state=Clock.State.MET) & ~met_late,
        "Met late": met_late,
        "Still open and overdue": running & Q(due_on__lt=day),
        "Not yet due": running & Q(due_on__gte=day),
        "Stopped before it was met": Q(state=Clock.State.STOPPED),
    }


def sixth_day_duty(user: User, filters: DashboardFilters) -> Figure:
    outcomes = _outcomes(today())
    counted: dict[str, list[int]] = {slug: [0] * len(outcomes) for slug in SIXTH_DAY_RULES}
    for row in (
        sixth_day_clocks(user, filters)
        .values("rule")
        .annotate(**{f"n{i}": Count("pk", filter=q) for i, q in enumerate(outcomes.values())})
    ):
        counted[row["rule"]] = [row[f"n{i}"] for i in range(len(outcomes))]
    on_time, late, overdue, not_due, stopped = (sum(values) for values in zip(*counted.values(), strict=True))
    series: dict[str, Sequence[FigureValue]] = {title: counted[slug] for slug, title in SIXTH_DAY_RULES.items()}
    due = on_time + late + overdue + stopped
    if due:
        summary = (
            f"Of {plural(due, 'sixth-day duty', 'sixth-day duties')} that fell due in the period, "
            f"{share(on_time, due)} were met on time, {share(late, due)} were met late and {share(overdue, due)} "
            f"are still open and overdue"
            + (f"; {plural(stopped, 'duty', 'duties')} stopped applying before being met" if stopped else "")
            + (f". {plural(not_due, 'more falls', 'more fall')} due later in the period." if not_due else ".")
        )
    else:
        summary = "No sixth-day duty fell due in the period" + (
            f"; {plural(not_due, 'falls', 'fall')} due later in it." if not_due else "."
        )
    if filters.tier or filters.provider_id is not None:
        summary += " The tier and provider filters do not apply here: a duty not yet met has no placement."
    return bar_figure(
        "sixth-day-duty",
        f"Full-time education from the sixth school day of an exclusion, duties due in {filters.label}",
        summary,
        list(outcomes),
        series,
        category_heading="Outcome",
    )


def sixth_day_lateness(user: User, filters: DashboardFilters) -> Figure:
    """How late, for the duties met late and those still overdue (so far). In calendar days: clocks record dates,
    not school days, and counting school days means each clock's school calendar (as the worklist does for a page
    of clocks, duties.services.school_days_overdue), a loop over every clock rather than a GROUP BY."""
    day = today()
    outcomes = _outcomes(day)
    rows = (
        sixth_day_clocks(user, filters)
        .filter(outcomes["Met late"] | outcomes["Still open and overdue"])
        .annotate(
            met=Case(When(state=Clock.State.MET, then=Value(True)), default=Value(False), output_field=BooleanField()),
            days=days_between(Coalesce("met_on", Value(day)), "due_on"),
        )
        .values("met", "days")
        .annotate(number=Count("pk"))
        .order_by()
    )
    found = lengths_by(rows, "met")
    late, overdue = found.get((True,), Lengths()), found.get((False,), Lengths())
    if late.total() or overdue.total():
        summary = (
            (
                f"{plural(late.total(), 'duty was', 'duties were')} met late, a median of "
                f"{shown(late.median(), 'day')} after the due date"
                if late.total()
                else "No duty was met late"
            )
            + (
                f"; {plural(overdue.total(), 'duty is', 'duties are')} still open, a median of "
                f"{shown(overdue.median(), 'day')} overdue so far."
                if overdue.total()
                else "; none is still open and overdue."
            )
            + " In calendar days, not school days."
        )
    else:
        summary = "No sixth-day duty due in the period was met late or is overdue."
    return bar_figure(
        "sixth-day-duty-lateness",
        f"Days late: sixth-day duties due in {filters.label} met late or still overdue",
        summary,
        LATE_BANDS.labels,
        {"Met late": LATE_BANDS.counts(late), "Still open and overdue (so far)": LATE_BANDS.counts(overdue)},
        category_heading="Calendar days after the due date",
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    found = stays(user, filters)
    waited = waits(user, filters)
    return [
        stay_bands(found, filters),
        stay_by_tier(found, filters),
        stay_by_provider(found, filters),
        wait_bands(waited, filters),
        wait_by_tier(waited, filters),
        sixth_day_duty(user, filters),
        sixth_day_lateness(user, filters),
    ]


DASHBOARD = Dashboard(
    slug="timeliness",
    title="Timeliness",
    description=(
        "How long placements last, how long children wait from a referral to a start, and whether excluded children "
        "were in full-time education from the sixth school day."
    ),
    build=build,
)
