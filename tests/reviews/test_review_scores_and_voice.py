import datetime

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError
from aphub.placements.models import OutcomeScore, Review
from aphub.placements.reviews.services import record_review

from .helpers import all_scores, review_post

HELD_ON = datetime.date(2027, 1, 12)


def _record(user, placement, scores, pupil_voice="I feel safe here."):
    return record_review(
        user=user, placement=placement, kind="review", held_on=HELD_ON, scores=scores, pupil_voice=pupil_voice
    )


def test_a_review_missing_a_score_names_the_area(placement, provider_staff):
    scores = all_scores()
    del scores["progress"]
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, scores)
    assert "Progress in learning" in refused.value.message
    assert "Safe and feels safe" not in refused.value.message
    assert not Review.objects.exists()


def test_every_missing_area_is_named(placement, provider_staff):
    scores = all_scores()
    del scores["safe"], scores["social"]
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, scores)
    assert "Safe and feels safe" in refused.value.message
    assert "Social skills, friendships, relationships and community" in refused.value.message


@pytest.mark.parametrize("score", [0, 6, -1, True, "3"])
def test_a_score_outside_1_to_5_is_refused_naming_the_area(placement, provider_staff, score):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, all_scores(wellbeing=score))
    assert "Emotional health and wellbeing" in refused.value.message
    assert not OutcomeScore.objects.exists()


def test_an_unknown_area_is_refused(placement, provider_staff):
    with pytest.raises(DomainError):
        _record(provider_staff, placement, {**all_scores(), "attendance": 3})


def test_the_childs_voice_is_required(placement, provider_staff):
    with pytest.raises(DomainError) as refused:
        _record(provider_staff, placement, all_scores(), pupil_voice="   ")
    assert "child's voice" in refused.value.message
    assert not Review.objects.exists()


def test_a_full_review_stores_six_scores_and_logs_its_creation(placement, provider_staff):
    review = _record(provider_staff, placement, all_scores(4, safe=5))
    assert dict(review.scores.values_list("area", "score")) == all_scores(4, safe=5)
    assert AccessLogEntry.objects.filter(
        object_type="placements.Review", object_id=str(review.pk), verb="create", user_id=provider_staff.pk
    ).exists()


def test_the_form_names_the_area_left_unscored(client, placement, provider_staff):
    client.force_login(provider_staff)
    data = review_post(held_on=HELD_ON)
    del data["score_pathway"]
    page = client.post(f"/placements/{placement.pk}/reviews/new/?kind=review", data)
    body = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in body
    assert 'href="#id_score_pathway_1"' in body
    assert "Choose a score for Pathway back to mainstream school or on to post-16" in body
    assert not Review.objects.exists()


def test_the_form_without_the_childs_voice_shows_an_error(client, placement, provider_staff):
    client.force_login(provider_staff)
    page = client.post(
        f"/placements/{placement.pk}/reviews/new/?kind=review", review_post(held_on=HELD_ON, pupil_voice="")
    )
    assert "Record the child&#x27;s voice" in page.content.decode()
    assert not Review.objects.exists()
