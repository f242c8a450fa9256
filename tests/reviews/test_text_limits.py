"""Decision 0025: what people write on a review (the child's voice, the parents' view, the summary: 10,000 characters
each) and on a follow-up (notes: 5,000) has one limit each, asked by the page and by the service in the same words, so
a long answer is refused however it arrives and never left to the database."""

import datetime

import pytest
import time_machine

from aphub.core.errors import DomainError
from aphub.placements.models import FollowUp, Review
from aphub.placements.reviews.forms import FollowUpForm, ReviewForm
from aphub.placements.reviews.services import record_follow_up, record_review, schedule_follow_ups

from .helpers import all_scores, end, review_post

HELD_ON = datetime.date(2027, 1, 11)
TOO_LONG = "x" * 10001


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("pupil_voice", "The child's voice must be 10,000 characters or fewer"),
        ("parent_view", "The parents' or carers' view must be 10,000 characters or fewer"),
        ("summary", "Summary and actions must be 10,000 characters or fewer"),
    ],
)
def test_a_review_answer_too_long_is_refused_in_the_same_words_by_the_page_and_the_service(
    placement, provider_staff, field, message
):
    page = ReviewForm(data=review_post(held_on=HELD_ON, **{field: TOO_LONG}), kind="start", placement=placement)
    answers = {"pupil_voice": "I like the small groups.", field: TOO_LONG}
    with pytest.raises(DomainError) as refused:
        record_review(
            user=provider_staff, placement=placement, kind="start", held_on=HELD_ON, scores=all_scores(), **answers
        )
    assert page.errors[field] == [refused.value.message] == [message]
    assert refused.value.field == field
    assert not Review.objects.exists()

    fits = {"pupil_voice": "I like the small groups.", field: "x" * 10000}
    review = record_review(
        user=provider_staff, placement=placement, kind="start", held_on=HELD_ON, scores=all_scores(), **fits
    )
    assert getattr(review, field) == "x" * 10000


def test_follow_up_notes_too_long_are_refused_in_the_same_words_by_the_page_and_the_service(placement, school, officer):
    end(placement, on=datetime.date(2027, 1, 8), destination="same-school", school=school)
    six_weeks = schedule_follow_ups(placement=placement)[0]
    too_long = "Attending every day. " + "x" * 4980  # 5,001 characters

    page = FollowUpForm(data={"lasted": "yes", "notes": too_long}).errors["notes"]
    with time_machine.travel(datetime.date(2027, 2, 19), tick=False):
        with pytest.raises(DomainError) as refused:
            record_follow_up(user=officer, follow_up=six_weeks, lasted=True, notes=too_long)
        assert page == [refused.value.message] == ["Notes must be 5,000 characters or fewer"]
        assert FollowUp.objects.get(pk=six_weeks.pk).checked_on is None

        recorded = record_follow_up(user=officer, follow_up=six_weeks, lasted=True, notes="x" * 5000)
    assert recorded.notes == "x" * 5000
