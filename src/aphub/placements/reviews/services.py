"""Writes of reviews, outcome scores and follow-ups (issue 3 item 8; seed 003's outcomes with the pupil's voice).

Who writes a review: staff of the provider running the placement, and the commissioner (officers and admins of the
pupil's LA when the LA commissions; staff of the commissioning school when a school does). Auditors only read.

The rules of a placement's reviews:
- one START review, while the placement is active;
- REVIEWs while it is active, each setting the next review date (LA policy, default every 6 weeks);
- one EXIT review, once the placement has ended or on its last day (its end date, or its planned end date while it
  is still active), with no next review date;
- every review is held on a day between the placement's start and today, scores all six outcome areas from 1
  (serious concern) to 5 (thriving) and records the child's voice (seed 003: the pupil's voice is part of every
  review).

Follow-ups ask whether a return to school lasted, at the weeks after exit the LA sets (LocalPolicy.follow_up_weeks,
default 6 and 12). They can be recorded from their due date, not before: a return that "lasted" three days early
has not lasted six weeks. Recording again before anyone relies on it corrects the answer (logged as a change).
"""

import datetime
from collections.abc import Mapping

from django.db import transaction

from aphub.audit.services import log_access
from aphub.core.clock import today
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.permissions import require
from aphub.duties import services as duties
from aphub.organisations.models import LocalAuthority, User
from aphub.organisations.queries import membership_of
from aphub.placements.models import Destination, FollowUp, OutcomeArea, OutcomeScore, Placement, Review
from aphub.placements.permissions import can_record_follow_up, can_record_review

Kind = Review.Kind
REVIEW_CLOCK_RULE = "placement-review"

# What people write on a review and a follow-up, each limit written once (decision 0025): the forms' fields run them,
# and record_review and record_follow_up ask them again, so a long answer is refused in the same words however it
# arrives.
REVIEW_TEXT_LENGTH = 10000
PUPIL_VOICE = at_most(REVIEW_TEXT_LENGTH, "The child's voice")
PARENT_VIEW = at_most(REVIEW_TEXT_LENGTH, "The parents' or carers' view")
SUMMARY = at_most(REVIEW_TEXT_LENGTH, "Summary and actions")
FOLLOW_UP_NOTES_LENGTH = 5000
FOLLOW_UP_NOTES = at_most(FOLLOW_UP_NOTES_LENGTH, "Notes")


# --- LA policy and the review clock (duties app) ------------------------------------------------------------------


def policy_for(local_authority: LocalAuthority):
    return duties.policy_for(local_authority)


def _move_review_clock(*, placement: Placement, held_on: datetime.date, due_on: datetime.date) -> None:
    """The review held on `held_on` met the running review clock; the next one is due on `due_on`."""
    duties.reset_placement_clock(placement=placement, rule=REVIEW_CLOCK_RULE, due_on=due_on, on=held_on)


# --- Review rules -------------------------------------------------------------------------------------------------


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _last_day(placement: Placement) -> datetime.date | None:
    return placement.end_date or placement.planned_end_date


def kind_problem(placement: Placement, kind: str, held_on: datetime.date | None = None) -> str | None:
    """Why a review of this kind cannot be recorded for the placement now, as a sentence; None when it can.

    `held_on` matters only to an exit review held on the last day of a still-active placement.
    """
    if kind not in Kind.values:
        return "Choose whether this is a start review, a review or an exit review."
    kinds = set(placement.reviews.values_list("kind", flat=True))
    status = placement.status
    if kind == Kind.START:
        if Kind.START in kinds:
            return "This placement already has a start review. Record a review instead."
        if status != Placement.Status.ACTIVE:
            return "A start review can only be recorded while the placement is active."
    elif kind == Kind.REVIEW:
        if status != Placement.Status.ACTIVE:
            return "A review can only be recorded while the placement is active."
    else:
        if Kind.EXIT in kinds:
            return "This placement already has an exit review."
        last_day = _last_day(placement)
        on_last_day = status == Placement.Status.ACTIVE and last_day is not None and (held_on or today()) == last_day
        if status != Placement.Status.ENDED and not on_last_day:
            return (
                "An exit review can only be recorded once the placement has ended, or on its last day. "
                "This placement is still " + placement.get_status_display().lower() + "."
            )
    return None


def kinds_allowed(user: User | None, placement: Placement) -> list[str]:
    """The kinds of review the user may record for the placement today, in the order a placement meets them."""
    if not can_record_review(membership_of(user), placement):
        return []
    return [kind for kind in Kind.values if kind_problem(placement, kind) is None]


def _clean_scores(scores: Mapping) -> dict[str, int]:
    """Every outcome area scored 1-5; the error names each area that is missing or out of range."""
    given = {str(area): score for area, score in scores.items()}
    unknown = sorted(set(given) - set(OutcomeArea.values))
    if unknown:
        raise DomainError(f"These are not outcome areas: {', '.join(unknown)}.", field="scores")
    missing = [area for area in OutcomeArea if given.get(area.value) in (None, "")]
    if missing:
        names = "; ".join(area.label for area in missing)
        raise DomainError(f"Score every outcome area from 1 to 5. Missing: {names}.", field=missing[0].value)
    cleaned = {}
    for area in OutcomeArea:
        score = given[area.value]
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise DomainError(f"Score {area.label} from 1 (serious concern) to 5 (thriving).", field=area.value)
        cleaned[area.value] = score
    return cleaned


def check_review_dates(
    placement: Placement, kind: str, held_on: datetime.date, next_review_due: datetime.date | None
) -> None:
    """The review's dates against today and the placement, every problem at once (the review form asks it too)."""
    if not isinstance(held_on, datetime.date) or isinstance(held_on, datetime.datetime):
        raise DomainError("Enter the date the review was held.", field="held_on")
    problems = Problems()
    if held_on > today():
        problems.add("The date the review was held must be today or in the past.", field="held_on")
    if held_on < placement.start_date:
        problems.add(
            f"The date the review was held must be on or after the placement started, {_long(placement.start_date)}.",
            field="held_on",
        )
    if next_review_due is not None:
        if kind == Kind.EXIT:
            problems.add("An exit review does not set a next review date.", field="next_review_due")
        elif next_review_due <= held_on:
            problems.add("The next review must be due after the date this review was held.", field="next_review_due")
    problems.raise_any()


def record_review(
    *,
    user: User,
    placement: Placement,
    kind: str,
    held_on: datetime.date,
    scores: Mapping,
    pupil_voice: str,
    parent_view: str = "",
    summary: str = "",
    next_review_due: datetime.date | None = None,
) -> Review:
    """Record a start review, review or exit review with its six outcome scores and the child's voice.

    A start review or review sets the next review date (given, or LA policy weeks after it was held) on the review,
    on the placement and on the placement-review clock; a review recorded late, held before the latest one already
    recorded, keeps its own date but does not move the placement's.
    """
    with transaction.atomic():
        # The row lock makes 'one start review' and 'one exit review' hold under two people saving at once.
        placement = (
            Placement.objects.select_for_update(of=("self",))
            .select_related("pupil__local_authority", "provision")
            .get(pk=placement.pk)
        )
        require(
            can_record_review(membership_of(user), placement),
            "You do not have permission to record a review of this placement.",
        )
        # Every problem of the review at once (GOV.UK error summary), not the first one found.
        problems = Problems()
        problem = kind_problem(placement, kind, held_on if isinstance(held_on, datetime.date) else None)
        if problem:
            problems.add(problem, field="kind")
        with problems.check():
            check_review_dates(placement, kind, held_on, next_review_due)
        cleaned_scores: dict[str, int] = {}
        with problems.check():
            cleaned_scores = _clean_scores(scores)
        pupil_voice = check_required(
            problems,
            PUPIL_VOICE,
            pupil_voice,
            field="pupil_voice",
            missing="Record the child's voice: what they said about their placement and their progress.",
        )
        with problems.check():
            parent_view = check_limit(PARENT_VIEW, parent_view, field="parent_view")
        with problems.check():
            summary = check_limit(SUMMARY, summary, field="summary")
        problems.raise_any()

        if kind != Kind.EXIT and next_review_due is None:
            weeks = policy_for(placement.pupil.local_authority).review_interval_weeks
            next_review_due = held_on + datetime.timedelta(weeks=weeks)
        review = Review.objects.create(
            placement=placement,
            kind=kind,
            held_on=held_on,
            pupil_voice=pupil_voice,
            parent_view=parent_view,
            summary=summary,
            next_review_due=next_review_due,
            written_by=user,
        )
        OutcomeScore.objects.bulk_create(
            OutcomeScore(review=review, area=area, score=score) for area, score in cleaned_scores.items()
        )
        log_access(user=user, obj=review, verb="create")

        if next_review_due is not None and not _held_before_a_later_review(review):
            # Only this one field: the rest of the placement belongs to its lifecycle (placements.services).
            Placement.objects.filter(pk=placement.pk).update(next_review_due=next_review_due)
            placement.next_review_due = next_review_due
            _move_review_clock(placement=placement, held_on=held_on, due_on=next_review_due)
            log_access(user=user, obj=placement, verb="change")
        return review


def _held_before_a_later_review(review: Review) -> bool:
    return (
        Review.objects.filter(placement_id=review.placement_id, kind__in=[Kind.START, Kind.REVIEW])
        .exclude(pk=review.pk)
        .filter(held_on__gt=review.held_on)
        .exists()
    )


# --- Follow-ups ---------------------------------------------------------------------------------------------------


def schedule_follow_ups(*, placement: Placement) -> list[FollowUp]:
    """One follow-up per LA policy interval (weeks after the end date) when an ended placement returned to school.

    Idempotent: calling it again makes nothing new; an unrecorded follow-up's due date follows a corrected end date.
    Destinations that are not a return to school (post-16, NEET, moved away...) get none.
    """
    with transaction.atomic():
        placement = Placement.objects.select_related("pupil__local_authority").get(pk=placement.pk)
        if placement.status != Placement.Status.ENDED or placement.end_date is None:
            raise DomainError("Follow-ups are scheduled when a placement has ended, with its end date.")
        if placement.destination not in Destination.returns_to_school():
            return []
        intervals = policy_for(placement.pupil.local_authority).follow_up_intervals
        follow_ups = []
        for weeks in intervals:
            due_date = placement.end_date + datetime.timedelta(weeks=weeks)
            follow_up, created = FollowUp.objects.get_or_create(
                placement=placement, weeks_after_exit=weeks, defaults={"due_date": due_date}
            )
            if not created and follow_up.checked_on is None and follow_up.due_date != due_date:
                follow_up.due_date = due_date
                follow_up.save(update_fields=["due_date"])
            follow_ups.append(follow_up)
        return follow_ups


def record_follow_up(*, user: User, follow_up: FollowUp, lasted: bool, notes: str = "") -> FollowUp:
    """Record whether the return to school lasted, from the follow-up's due date on."""
    with transaction.atomic():
        follow_up = (
            FollowUp.objects.select_for_update(of=("self",))
            .select_related("placement__pupil", "placement__episode")
            .get(pk=follow_up.pk)
        )
        require(
            can_record_follow_up(membership_of(user), follow_up), "You do not have permission to record this follow-up."
        )
        if not isinstance(lasted, bool):
            raise DomainError("Select yes if the return to school has lasted, or no if it has not.", field="lasted")
        if today() < follow_up.due_date:
            raise DomainError(
                f"You can record this follow-up from {_long(follow_up.due_date)}, "
                f"{follow_up.weeks_after_exit} weeks after the placement ended.",
                field="lasted",
            )
        notes = check_limit(FOLLOW_UP_NOTES, notes, field="notes")
        verb = "create" if follow_up.checked_on is None else "change"
        follow_up.lasted = lasted
        follow_up.notes = notes
        follow_up.checked_on = today()
        follow_up.checked_by = user
        follow_up.save(update_fields=["lasted", "notes", "checked_on", "checked_by"])
        log_access(user=user, obj=follow_up, verb=verb)
        return follow_up
