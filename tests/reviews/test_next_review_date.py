"""A start review or review sets the next review date: on the review, the placement and the review clock."""

import datetime
import types

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError
from aphub.duties.models import LocalPolicy
from aphub.placements.models import Placement
from aphub.placements.reviews import services as reviews
from aphub.placements.reviews.services import record_review

from .helpers import all_scores, end


@pytest.fixture
def clock_moves(monkeypatch):
    """Stands in for aphub.duties.services: records each reset of the review clock (duties tests cover the clock)."""
    moves = []

    def reset_placement_clock(*, placement, rule, due_on, on=None):
        moves.append((placement.pk, rule, due_on))

    def policy_for(local_authority):
        return LocalPolicy.objects.get_or_create(local_authority=local_authority)[0]

    fake = types.SimpleNamespace(reset_placement_clock=reset_placement_clock, policy_for=policy_for)
    monkeypatch.setattr(reviews, "duties", fake)
    return moves


def _record(user, placement, held_on, kind="review", **extra):
    return record_review(
        user=user, placement=placement, kind=kind, held_on=held_on, scores=all_scores(), pupil_voice="Good.", **extra
    )


def test_the_next_review_date_moves_to_six_weeks_after_the_review(placement, provider_staff, clock_moves):
    placement.next_review_due = datetime.date(2026, 12, 22)
    placement.save()
    review = _record(provider_staff, placement, datetime.date(2027, 1, 12))
    assert review.next_review_due == datetime.date(2027, 2, 23)
    placement.refresh_from_db()
    assert placement.next_review_due == datetime.date(2027, 2, 23)
    assert clock_moves == [(placement.pk, "placement-review", datetime.date(2027, 2, 23))]
    assert AccessLogEntry.objects.filter(
        object_type="placements.Placement", object_id=str(placement.pk), verb="change"
    ).exists()


def test_the_las_review_interval_sets_the_date(placement, provider_staff, clock_moves):
    LocalPolicy.objects.create(local_authority=placement.pupil.local_authority, review_interval_weeks=4)
    review = _record(provider_staff, placement, datetime.date(2027, 1, 12), kind="start")
    assert review.next_review_due == datetime.date(2027, 2, 9)


def test_a_date_chosen_at_the_review_is_kept(placement, provider_staff, clock_moves):
    _record(provider_staff, placement, datetime.date(2027, 1, 12), next_review_due=datetime.date(2027, 2, 1))
    assert Placement.objects.get(pk=placement.pk).next_review_due == datetime.date(2027, 2, 1)
    assert clock_moves[-1][2] == datetime.date(2027, 2, 1)


def test_the_next_review_must_come_after_the_review(placement, provider_staff, clock_moves):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, datetime.date(2027, 1, 12), next_review_due=datetime.date(2027, 1, 12))
    assert refused.value.field == "next_review_due"
    assert clock_moves == []


def test_a_review_recorded_late_does_not_move_the_date_back(placement, provider_staff, clock_moves):
    _record(provider_staff, placement, datetime.date(2027, 1, 12))
    late = _record(provider_staff, placement, datetime.date(2026, 12, 1))
    assert late.next_review_due == datetime.date(2027, 1, 12)
    assert Placement.objects.get(pk=placement.pk).next_review_due == datetime.date(2027, 2, 23)
    assert len(clock_moves) == 1


def test_an_exit_review_sets_no_next_review(placement, provider_staff, clock_moves):
    placement.next_review_due = datetime.date(2027, 1, 20)
    placement.save()
    end(placement, on=datetime.date(2027, 1, 14))
    review = _record(provider_staff, placement, datetime.date(2027, 1, 14), kind="exit")
    assert review.next_review_due is None
    assert Placement.objects.get(pk=placement.pk).next_review_due == datetime.date(2027, 1, 20)
    assert clock_moves == []


def test_only_the_review_date_of_the_placement_is_written(placement, provider_staff, clock_moves):
    stale = Placement.objects.get(pk=placement.pk)
    Placement.objects.filter(pk=placement.pk).update(exit_notes="Written by the lifecycle meanwhile")
    _record(provider_staff, stale, datetime.date(2027, 1, 12))
    assert Placement.objects.get(pk=placement.pk).exit_notes == "Written by the lifecycle meanwhile"
