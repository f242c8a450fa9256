"""Decision 0025: what officers write on an application (a score's reason and question, a recommendation's reasons,
a sign-off's note: 4,000 characters each) has one limit each, asked by the page and by the service in the same words,
so a long answer is refused however it arrives and never left to the database."""

import pytest

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.evaluation.forms import CriterionScoreForm, RecommendForm, SendBackForm
from aphub.commissioning.evaluation.queries import application_criteria
from aphub.commissioning.models import Application, Clarification, Evaluation, SignOffReturn
from aphub.core.errors import DomainError

from .conftest import score_all

pytestmark = pytest.mark.django_db

TOO_LONG = "x" * 4001


@pytest.mark.parametrize("field", ["reason", "question"])
def test_a_scores_reason_or_question_too_long_is_refused_in_the_same_words(submitted, officer, field):
    criterion = application_criteria(submitted)[0]
    answers = {"reason": "Checked the policy", "question": "Please send the policy", field: TOO_LONG}
    prefix = criterion.code
    page = CriterionScoreForm(
        {f"{prefix}-outcome": "clarification", **{f"{prefix}-{name}": text for name, text in answers.items()}},
        criterion=criterion,
    )
    with pytest.raises(DomainError) as refused:
        evaluation.score_application(
            user=officer,
            application=submitted,
            scores=[evaluation.Score(criterion=criterion.code, outcome="clarification", **answers)],
        )
    assert page.errors[field] == [refused.value.message] == ["Keep it under 4,000 characters"]
    assert refused.value.field == f"{criterion.code}:{field}"
    assert not Evaluation.objects.exists()
    assert not Clarification.objects.exists()


def test_a_question_too_long_is_refused_even_with_a_score_that_asks_none(submitted, officer):
    criterion = application_criteria(submitted)[0]
    with pytest.raises(DomainError) as refused:
        evaluation.score_application(
            user=officer,
            application=submitted,
            scores=[evaluation.Score(criterion=criterion.code, outcome="met", reason="Checked", question=TOO_LONG)],
        )
    assert refused.value.message == "Keep it under 4,000 characters"


def test_a_recommendations_reasons_too_long_are_refused_in_the_same_words(submitted, officer):
    score_all(officer, submitted)
    page = RecommendForm({"outcome": evaluation.REJECT, "reasons": TOO_LONG})
    page.fields["outcome"].choices = [(evaluation.REJECT, "Reject")]
    with pytest.raises(DomainError) as refused:
        evaluation.recommend(user=officer, application=submitted, outcome=evaluation.REJECT, reasons=TOO_LONG)
    assert page.errors["reasons"] == [refused.value.message] == ["Keep the reasons under 4,000 characters"]
    submitted.refresh_from_db()
    assert submitted.status != Application.Status.RECOMMENDED

    evaluation.recommend(user=officer, application=submitted, outcome=evaluation.REJECT, reasons="x" * 4000)
    submitted.refresh_from_db()
    assert submitted.decision_reasons == "x" * 4000


def test_a_send_back_note_too_long_is_refused_in_the_same_words(submitted, officer, second_officer):
    score_all(officer, submitted)
    evaluation.recommend(user=officer, application=submitted, outcome=evaluation.ADMIT)
    page = SendBackForm({"note": TOO_LONG})
    with pytest.raises(DomainError) as refused:
        evaluation.send_back(user=second_officer, application=submitted, note=TOO_LONG)
    assert page.errors["note"] == [refused.value.message] == ["Keep the note under 4,000 characters"]
    assert not SignOffReturn.objects.exists()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECOMMENDED
