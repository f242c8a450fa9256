"""Which kind of review a placement may have, and when: start once, reviews while active, exit once at the end."""

import datetime

import pytest

from aphub.core.errors import DomainError
from aphub.placements.models import Review
from aphub.placements.reviews.services import kinds_allowed, record_review

from .helpers import all_scores, end


def _record(user, placement, kind, held_on=datetime.date(2027, 1, 12)):
    return record_review(
        user=user, placement=placement, kind=kind, held_on=held_on, scores=all_scores(), pupil_voice="Fine."
    )


def test_an_exit_review_on_an_active_placement_is_refused(placement, provider_staff):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "exit")
    assert "ended" in refused.value.message
    assert not Review.objects.exists()


def test_an_exit_review_is_allowed_on_the_last_day_of_an_active_placement(placement, provider_staff):
    placement.planned_end_date = datetime.date(2027, 1, 15)  # today
    placement.save()
    review = _record(provider_staff, placement, "exit", held_on=datetime.date(2027, 1, 15))
    assert review.kind == "exit"
    assert review.next_review_due is None


def test_an_exit_review_is_recorded_once_for_an_ended_placement(placement, provider_staff):
    end(placement, on=datetime.date(2027, 1, 8))
    assert _record(provider_staff, placement, "exit").kind == "exit"
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "exit")
    assert "already has an exit review" in refused.value.message


def test_a_start_review_is_recorded_at_most_once(placement, provider_staff):
    _record(provider_staff, placement, "start", held_on=datetime.date(2026, 11, 10))
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "start")
    assert "already has a start review" in refused.value.message
    assert Review.objects.filter(kind="start").count() == 1


def test_a_review_needs_an_active_placement(placement, provider_staff):
    end(placement, on=datetime.date(2027, 1, 8))
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "review")
    assert "active" in refused.value.message


def test_a_review_cannot_be_held_in_the_future(placement, provider_staff):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "review", held_on=datetime.date(2027, 1, 16))
    assert refused.value.field == "held_on"


def test_a_review_cannot_be_held_before_the_placement_started(placement, provider_staff):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, "start", held_on=datetime.date(2026, 11, 9))
    assert "10 November 2026" in refused.value.message


def test_an_unknown_kind_is_refused(placement, provider_staff):
    with pytest.raises(DomainError):
        _record(provider_staff, placement, "interim")


def test_the_kinds_offered_follow_the_placement(placement, provider_staff, school_staff):
    assert kinds_allowed(provider_staff, placement) == ["start", "review"]
    _record(provider_staff, placement, "start")
    assert kinds_allowed(provider_staff, placement) == ["review"]
    end(placement, on=datetime.date(2027, 1, 14))
    assert kinds_allowed(provider_staff, placement) == ["exit"]
    assert kinds_allowed(school_staff, placement) == []  # the home school of an LA placement only reads


def test_the_exit_form_for_an_active_placement_sends_the_user_back_with_the_reason(client, placement, provider_staff):
    client.force_login(provider_staff)
    response = client.get(f"/placements/{placement.pk}/reviews/new/?kind=exit", follow=True)
    assert response.redirect_chain[-1][0] == f"/placements/{placement.pk}/reviews/"
    assert "An exit review can only be recorded once the placement has ended" in response.content.decode()
