"""A review with several problems is told all of them on the first submission (GOV.UK error summary): a date in the
future (the service's rule) with no child's voice and a missing score (the form's own)."""

import datetime

import pytest

from aphub.core.errors import DomainErrors
from aphub.placements.models import Review
from aphub.placements.reviews.services import record_review
from tests.error_summary import assert_all_at_once

from .helpers import all_scores, review_post


def test_a_review_with_several_problems_is_told_them_all_at_once(client, placement, provider_staff):
    client.force_login(provider_staff)
    data = review_post(held_on=datetime.date(2027, 2, 1), pupil_voice="", score_safe="")
    data.update({"next_review_due_0": "1", "next_review_due_1": "1", "next_review_due_2": "2027"})
    response = client.post(f"/placements/{placement.pk}/reviews/new/?kind=review", data)
    assert response.status_code == 200
    assert_all_at_once(
        response.content.decode(),
        [
            "The date the review was held must be today or in the past.",
            "The next review must be due after the date this review was held.",
            "Record the child's voice",
            "Choose a score for",
        ],
    )
    assert not Review.objects.exists()


def test_the_service_reports_every_problem_of_a_review_together(placement, provider_staff):
    with pytest.raises(DomainErrors) as refused:
        record_review(
            user=provider_staff,
            placement=placement,
            kind="start",
            held_on=datetime.date(2027, 2, 1),
            scores=all_scores(score=9),
            pupil_voice=" ",
        )
    fields = [error.field for error in refused.value.errors]
    assert fields[0] == "held_on" and fields[-1] == "pupil_voice" and len(fields) == 3
    assert not Review.objects.exists()
