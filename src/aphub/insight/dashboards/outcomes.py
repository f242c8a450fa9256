"""Outcomes: what AP did for the children in it (issue 14). Seed 003 (Oxfordshire) names the outcomes AP should
deliver and asks that they be measured; Leicester's scrutiny asks about outcomes; York and Solihull ask whether
children go back to school and stay there. So this page answers four questions for the period:

- how the six outcome scores changed, from each placement's start review to its latest review (or exit review) held
  in the period, by outcome area and by provider;
- where children went when their placements ended in the period;
- whether the returns to school among them lasted, at the 6- and 12-week follow-ups (LA policy sets the weeks);
- how well children attended, by provider, counted as the registers' pages count it (placements.attendance).

Every figure is a few GROUP BY queries, however large the LA: scores are compared in SQL (a subquery finds the start
score beside each later score), never by reading placements one by one.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from aphub.core.figures import Figure, Value, bar_figure
from aphub.organisations.models import User
from aphub.placements.attendance.queries import Rates, percentage, sessions_counted_by
from aphub.placements.models import Destination, FollowUp, OutcomeArea, OutcomeScore, Placement, Review

from . import Dashboard
from .filters import DashboardFilters, provider_names

Kind = Review.Kind
LATER_KINDS = (Kind.REVIEW, Kind.EXIT)
HUNDREDTH = Decimal("0.01")
# Providers shown by name: the charts stay readable for an LA with a hundred providers, and the filter's provider
# choice shows any other one alone.
TOP_PROVIDERS_BY_OUTCOMES = 6
TOP_PROVIDERS_BY_ATTENDANCE = 20
PROVIDER = "placement__provision__provider_id"
NOT_RECORDED = "Not recorded"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def _only_some_shown(found: int, shown: int, most: str) -> str:
    """The words a summary adds when a chart shows only the first `shown` providers of those `found`."""
    return f"; the chart shows the {shown} with the most {most}" if found > shown else ""


# --- Outcome scores -----------------------------------------------------------------------------------------------


def compared_scores(user: User, filters: DashboardFilters) -> QuerySet[OutcomeScore]:
    """Each outcome score of a placement's start review, joined to the same area's score at the placement's latest
    review held in the period and annotated with `change`: that later score less the start score. A placement with
    no start review, or whose latest review up to the period's end was held before the period, is left out; so is an
    area one of the two reviews did not score.

    The later score is reached by a join, not a subquery per score: the aggregates below use `change` three times,
    and a subquery in it would be run three times a row."""
    latest = (
        Review.objects.filter(placement=OuterRef("review__placement"), kind__in=LATER_KINDS, held_on__lte=filters.end)
        .order_by("-held_on", "-pk")
        .values("pk")[:1]
    )
    later = "review__placement__reviews__"
    # One filter() call: its conditions on the placement's reviews and their scores all apply to the same later review
    # and score, which `change` then reads (Django reuses a multi-valued join filtered before the annotation).
    return (
        OutcomeScore.objects.filter(
            Q(**{f"{later}pk": Subquery(latest)}),
            review__placement__in=filters.placements(user),
            review__kind=Kind.START,
            **{
                f"{later}held_on__range": (filters.start, filters.end),
                f"{later}held_on__gte": F("review__held_on"),
                f"{later}scores__area": F("area"),
            },
        )
        .annotate(change=F(f"{later}scores__score") - F("score"))
        .order_by()
    )


COMPARED = ("placements", "total_change", "improved", "declined")
SCORE_PROVIDER = f"review__{PROVIDER}"


def _compared(scores: QuerySet[OutcomeScore], *by: str) -> QuerySet:
    """Per group of `by`: placements compared, the sum of their changes, and how many rose and fell."""
    return scores.values(*by).annotate(
        placements=Count("pk"),
        total_change=Sum("change"),
        improved=Count("pk", filter=Q(change__gt=0)),
        declined=Count("pk", filter=Q(change__lt=0)),
    )


def _summed_by_area(grouped: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """The rows per provider and area added up per area: every figure of `_compared` is a count or a sum, so this is
    what grouping by area alone gives, without running the comparison of scores a second time."""
    by_area: dict[str, dict[str, int]] = {}
    for row in grouped:
        area = by_area.setdefault(row["area"], dict.fromkeys(COMPARED, 0))
        for name in COMPARED:
            area[name] += row[name] or 0
    return by_area


def _average(row: Mapping[str, Any] | None) -> Decimal | None:
    """The average change to two decimal places (half up), from the exact sum: the same on every database."""
    if not row or not row["placements"]:
        return None
    return (Decimal(row["total_change"]) / row["placements"]).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _signed(change: Decimal) -> str:
    return f"+{change}" if change > 0 else str(change)


def outcome_change(user: User, filters: DashboardFilters) -> list[Figure]:
    """The change in each outcome area, on average and in how many placements it rose, stayed or fell, then the
    average change per area at the providers with the most placements compared."""
    # One comparison of the scores, by provider and area; the areas' figures are its sums.
    grouped = list(_compared(compared_scores(user, filters), SCORE_PROVIDER, "area"))
    names = provider_names(user, (row[SCORE_PROVIDER] for row in grouped))
    for row in grouped:
        row["provider"] = names[row[SCORE_PROVIDER]]
    by_area = _summed_by_area(grouped)
    areas = list(OutcomeArea)
    labels = [area.label for area in areas]
    averages = [_average(by_area.get(area.value)) for area in areas]
    rows = [by_area.get(area.value) or {"placements": 0, "improved": 0, "declined": 0} for area in areas]
    scored = sum(row["placements"] for row in rows)
    # A review scores all six areas (reviews.services), so the placements compared are those of the area most scored.
    compared = max(row["placements"] for row in rows)
    improved = sum(row["improved"] for row in rows)
    what = f"{_plural(compared, 'placement')} with a start review and a later review in the period"
    if compared:
        known = [(average, area) for average, area in zip(averages, areas, strict=True) if average is not None]
        best, worst = max(known, key=lambda pair: pair[0]), min(known, key=lambda pair: pair[0])
        overall = (Decimal(sum(row["total_change"] for row in by_area.values())) / scored).quantize(
            HUNDREDTH, rounding=ROUND_HALF_UP
        )
        summary = (
            f"{what}: scores changed by {_signed(overall)} points on average (on a scale of 1 to 5), most in "
            f"{best[1].label.lower()} ({_signed(best[0])}) and least in {worst[1].label.lower()} ({_signed(worst[0])})."
        )
        share = percentage(improved, scored)
        direction_summary = (
            f"Of the {scored:,} outcome scores compared, {improved:,} ({share}%) rose from the start review, "
            f"{sum(row['declined'] for row in rows):,} fell and the rest stayed the same."
        )
    else:
        summary = "No placement had a start review and a later review in the period: there are no scores to compare."
        direction_summary = summary
    figures = [
        bar_figure(
            "outcome-change",
            f"Average change in outcome scores from the start review, {filters.label}",
            summary,
            labels,
            {"Average change (points)": averages},
            category_heading="Outcome area",
            counts=False,  # averages of scores, not counts: publication withholds none
        ),
        bar_figure(
            "outcome-direction",
            f"Placements whose outcome scores rose, stayed the same or fell, {filters.label}",
            direction_summary,
            labels,
            {
                "Rose": [row["improved"] for row in rows],
                "Stayed the same": [row["placements"] - row["improved"] - row["declined"] for row in rows],
                "Fell": [row["declined"] for row in rows],
            },
            category_heading="Outcome area",
            stacked=True,
        ),
    ]
    figures.append(_change_by_provider(grouped, filters, areas))
    return figures


def _change_by_provider(grouped: list[dict[str, Any]], filters: DashboardFilters, areas: list[OutcomeArea]) -> Figure:
    providers: dict[int, dict[str, Any]] = {}
    for row in grouped:
        provider = providers.setdefault(row[SCORE_PROVIDER], {"name": row["provider"], "areas": {}})
        provider["areas"][row["area"]] = row
    # The providers with most placements compared (a placement's scores share one review, so its largest area count).
    ranked = sorted(
        providers.values(),
        key=lambda provider: (-max(row["placements"] for row in provider["areas"].values()), provider["name"]),
    )
    shown = ranked[:TOP_PROVIDERS_BY_OUTCOMES]
    series: dict[str, list[Value]] = {
        area.label: [_average(provider["areas"].get(area.value)) for provider in shown] for area in areas
    }
    if shown:
        overall = [
            Decimal(sum(row["total_change"] for row in provider["areas"].values()))
            / sum(row["placements"] for row in provider["areas"].values())
            for provider in shown
        ]
        best = shown[overall.index(max(overall))]["name"]
        summary = (
            f"{_plural(len(providers), 'provider')} had placements with scores to compare"
            + _only_some_shown(len(providers), len(shown), "placements compared")
            + f". Across the six areas, scores rose most at {best}."
        )
    else:
        summary = "No provider had placements with a start review and a later review in the period."
    return bar_figure(
        "outcome-change-by-provider",
        f"Average change in outcome scores by provider, {filters.label}",
        summary,
        [provider["name"] for provider in shown],
        series,
        category_heading="Provider",
        counts=False,  # averages of scores, not counts
    )


# --- Destinations and follow-ups ----------------------------------------------------------------------------------


def ended_in_period(user: User, filters: DashboardFilters) -> QuerySet[Placement]:
    """The user's placements (as filtered) that ended in the period."""
    return filters.placements(user).filter(status=Placement.Status.ENDED, end_date__range=(filters.start, filters.end))


def destinations(user: User, filters: DashboardFilters) -> Figure:
    counted = {
        row["destination"]: row["placements"]
        for row in ended_in_period(user, filters).values("destination").annotate(placements=Count("pk"))
    }
    categories = [(choice.value, choice.label) for choice in Destination]
    # A destination not (or no longer) one of the choices is shown as not recorded rather than lost from the total.
    unknown = sum(count for destination, count in counted.items() if destination not in Destination.values)
    counts: list[Value] = [counted.get(value, 0) for value, _ in categories]
    labels = [label for _, label in categories]
    if unknown:
        labels.append(NOT_RECORDED)
        counts.append(unknown)
    ended = sum(counted.values())
    returned = sum(counted.get(value, 0) for value in Destination.returns_to_school())
    if ended:
        summary = (
            f"{_plural(ended, 'placement')} ended in the period; {returned:,} ({percentage(returned, ended)}%) "
            "went back to school (mainstream or special)."
        )
    else:
        summary = "No placement ended in the period."
    return bar_figure(
        "destinations",
        f"Destinations of placements that ended, {filters.label}",
        summary,
        labels,
        {"Placements": counts},
        category_heading="Destination",
    )


def reintegration(user: User, filters: DashboardFilters) -> Figure:
    """The follow-ups of the returns to school among the placements that ended in the period: lasted, did not, or
    not yet known (not due yet, or due and not recorded)."""
    rows = list(
        FollowUp.objects.visible_to(user)
        .filter(placement__in=ended_in_period(user, filters))
        .values("weeks_after_exit")
        .annotate(
            lasted_count=Count("pk", filter=Q(lasted=True)),
            not_lasted=Count("pk", filter=Q(lasted=False)),
            unknown=Count("pk", filter=Q(lasted__isnull=True)),
        )
        .order_by("weeks_after_exit")
    )
    labels = [f"{row['weeks_after_exit']} weeks after the placement ended" for row in rows]
    sentences = []
    for row in rows:
        known = row["lasted_count"] + row["not_lasted"]
        if known:
            sentences.append(
                f"at {row['weeks_after_exit']} weeks, {row['lasted_count']:,} of {_plural(known, 'return')} "
                f"followed up had lasted ({percentage(row['lasted_count'], known)}%)"
            )
        else:
            sentences.append(f"at {row['weeks_after_exit']} weeks, none has been followed up yet")
    if rows:
        summary = "Of the returns to school from placements that ended in the period: " + "; ".join(sentences) + "."
    else:
        summary = "No return to school from a placement that ended in the period has a follow-up."
    return bar_figure(
        "reintegration",
        f"Returns to school that lasted, at each follow-up, {filters.label}",
        summary,
        labels,
        {
            "Lasted": [row["lasted_count"] for row in rows],
            "Did not last": [row["not_lasted"] for row in rows],
            "Not yet known": [row["unknown"] for row in rows],
        },
        category_heading="Follow-up",
        stacked=True,
    )


# --- Attendance ---------------------------------------------------------------------------------------------------


def attendance_by_provider(user: User, filters: DashboardFilters) -> Figure:
    """Sessions attended as a share of possible sessions, per provider, from the period's register marks as the DfE
    counts them (codes that are not possible sessions count in neither): read from the marks' monthly counts, as the
    registers' pages would count the marks themselves (placements.attendance.queries.sessions_counted_by)."""
    rows = sessions_counted_by(
        user, filters.start, filters.end, PROVIDER, placement_q=filters.placement_q("placement__")
    )
    names = provider_names(user, (row[PROVIDER] for row in rows))
    found = [(names[row[PROVIDER]], Rates.of(row)) for row in rows]
    found = [(name, rates) for name, rates in found if rates.possible]
    total = Rates(
        *(sum(getattr(rates, part) for _, rates in found) for part in ("attended", "authorised", "unauthorised"))
    )
    shown = sorted(found, key=lambda pair: (-pair[1].possible, pair[0]))[:TOP_PROVIDERS_BY_ATTENDANCE]
    if found:
        lowest = min(shown, key=lambda pair: (pair[1].rate, pair[0]))
        summary = (
            f"Children attended {total.attended:,} of {total.possible:,} possible sessions ({total.rate}%) at "
            f"{_plural(len(found), 'provider')}"
            + _only_some_shown(len(found), len(shown), "sessions")
            + f". Lowest: {lowest[0]} ({lowest[1].rate}%)."
        )
    else:
        summary = "No register marks recorded for possible sessions in the period."
    return bar_figure(
        "attendance-by-provider",
        f"Attendance by provider, {filters.label}",
        summary,
        [name for name, _ in shown],
        {"Attendance (%)": [rates.rate for _, rates in shown]},
        category_heading="Provider",
        counts=False,  # a share of sessions, not a count
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    return [
        *outcome_change(user, filters),
        destinations(user, filters),
        reintegration(user, filters),
        attendance_by_provider(user, filters),
    ]


DASHBOARD = Dashboard(
    slug="outcomes",
    title="Outcomes",
    description=(
        "What AP did for the children in it: the change in their six outcome scores, where they went when their "
        "placements ended, whether returns to school lasted, and attendance by provider."
    ),
    build=build,
)
