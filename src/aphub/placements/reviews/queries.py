"""Reads of reviews, outcome progress and follow-ups, always scoped to the user (Model.objects.visible_to)."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from aphub.core.clock import today
from aphub.organisations.models import User
from aphub.placements.models import FollowUp, OutcomeArea, OutcomeScore, Placement, Review

Kind = Review.Kind


def placements_visible_to(user: User | None) -> QuerySet[Placement]:
    return Placement.objects.visible_to(user).select_related(
        "pupil__local_authority", "provision__provider", "commissioning_school", "destination_school"
    )


def reviews_of(user: User | None, placement: Placement) -> list[Review]:
    """The placement's reviews the user may read, oldest first, each with `area_scores` in the outcome areas' order."""
    reviews = list(
        Review.objects.visible_to(user)
        .filter(placement=placement)
        .select_related("written_by")
        .prefetch_related("scores")
        .order_by("held_on", "id")
    )
    order = {area: position for position, area in enumerate(OutcomeArea.values)}
    for review in reviews:
        review.area_scores = sorted(review.scores.all(), key=lambda score: order.get(score.area, len(order)))
    return reviews


@dataclass(frozen=True)
class OutcomeProgress:
    area: str
    label: str
    start: int | None
    latest_review: int | None
    exit: int | None
    # "up", "down" or "same": from the start score (else the first review's) to the exit score (else the latest
    # review's); None until there are two scores to compare.
    change: str | None


def outcome_progress(placement: Placement) -> list[OutcomeProgress]:
    """For each outcome area: the start score, the latest review's score, the exit score and which way it moved.

    `placement` must already have been read through `placements_visible_to(user)`: its scores are the placement's.
    """
    # area -> kind -> scores in the order the reviews were held
    by_area: dict[str, dict[str, list[int]]] = {area: {kind: [] for kind in Kind.values} for area in OutcomeArea}
    rows = (
        OutcomeScore.objects.filter(review__placement=placement)
        .order_by("review__held_on", "review_id")
        .values_list("area", "review__kind", "score")
    )
    for area, kind, score in rows:
        if area in by_area:
            by_area[area][kind].append(score)
    progress = []
    for area in OutcomeArea:
        scores = by_area[area.value]
        start = scores[Kind.START][0] if scores[Kind.START] else None
        latest_review = scores[Kind.REVIEW][-1] if scores[Kind.REVIEW] else None
        exit_score = scores[Kind.EXIT][-1] if scores[Kind.EXIT] else None
        in_order = scores[Kind.START][:1] + scores[Kind.REVIEW] + scores[Kind.EXIT][-1:]
        change = None
        if len(in_order) >= 2:
            first, last = in_order[0], in_order[-1]
            change = "up" if last > first else "down" if last < first else "same"
        progress.append(OutcomeProgress(area.value, area.label, start, latest_review, exit_score, change))
    return progress


def overdue_reviews_for(user: User | None) -> QuerySet[Placement]:
    """Active placements the user can see whose next review date has passed, most overdue first."""
    return (
        placements_visible_to(user)
        .filter(status=Placement.Status.ACTIVE, next_review_due__lt=today())
        .order_by("next_review_due", "id")
    )


def follow_ups_visible_to(user: User | None) -> QuerySet[FollowUp]:
    return FollowUp.objects.visible_to(user).select_related(
        "placement__pupil", "placement__destination_school", "checked_by"
    )


def follow_ups_due_for(user: User | None) -> QuerySet[FollowUp]:
    """Follow-ups not yet recorded, from the day their placement ended, earliest due first.

    Every one is listed from the end of the placement, not only near its due date: the school plans the 6- and
    12-week calls with the child's family weeks ahead, and the LA sees every return to school it must check on.
    """
    return (
        follow_ups_visible_to(user)
        .filter(checked_on__isnull=True, placement__end_date__lte=today())
        .order_by("due_date", "id")
    )


def follow_up_state(follow_up: FollowUp, on: datetime.date | None = None) -> str:
    """'recorded', 'overdue' (its due date has passed), 'due' (due today) or 'upcoming'."""
    on = on or today()
    if follow_up.checked_on is not None:
        return "recorded"
    if follow_up.due_date < on:
        return "overdue"
    return "due" if follow_up.due_date == on else "upcoming"
