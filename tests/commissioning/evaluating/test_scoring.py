"""Officers score each criterion met, not met or clarification needed with a reason; the latest score counts and the
history stays on the page beside the provider's statement and evidence."""

import pytest
from django.urls import reverse

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.evaluation.queries import criteria_not_met, evaluation_sheet
from aphub.commissioning.models import Application, Clarification, Evaluation, Evidence
from aphub.core.errors import DomainError

from .conftest import score_all

pytestmark = pytest.mark.django_db


def page(client, application):
    return client.get(reverse("commissioning:evaluation", kwargs={"pk": application.pk})).content.decode()


def test_the_page_shows_each_criterion_with_the_statement_and_evidence_links(client, submitted, officer):
    client.force_login(officer)
    body = page(client, submitted)
    for code in ("registration", "safeguarding-policy", "insurance-public-liability"):
        assert f"Greenway Learning Ltd statement on {code}" in body
        evidence = Evidence.objects.get(responses__application=submitted, criterion=code)
        assert reverse("commissioning:evidence-download", kwargs={"pk": evidence.pk}) in body
    assert "Public liability insurance" in body and "Not scored yet" in body


def test_evidence_not_yet_checked_is_named_without_a_link(client, submitted, officer):
    evidence = Evidence.objects.filter(responses__application=submitted).first()
    Evidence.objects.filter(pk=evidence.pk).update(scan_status=Evidence.Scan.PENDING)
    client.force_login(officer)
    body = page(client, submitted)
    assert evidence.title in body
    assert reverse("commissioning:evidence-download", kwargs={"pk": evidence.pk}) not in body


def test_scoring_through_the_page_saves_a_reason_per_criterion(client, submitted, officer):
    client.force_login(officer)
    url = reverse("commissioning:evaluation-score", kwargs={"pk": submitted.pk})
    response = client.post(
        url,
        {
            "registration-outcome": "met",
            "registration-reason": "Companies House 01234567 checked",
            "insurance-public-liability-outcome": "clarification",
            "insurance-public-liability-reason": "No amount shown",
            "insurance-public-liability-question": "Send the page showing the amount of cover",
        },
        follow=True,
    )
    assert "1 question sent to Greenway Learning Ltd" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.CLARIFICATION
    assert {(e.criterion, e.outcome) for e in Evaluation.objects.filter(application=submitted)} == {
        ("registration", "met"),
        ("insurance-public-liability", "clarification"),
    }
    assert Clarification.objects.get(application=submitted).question == "Send the page showing the amount of cover"


def test_a_score_without_a_reason_is_refused_and_nothing_is_saved(client, submitted, officer):
    client.force_login(officer)
    response = client.post(
        reverse("commissioning:evaluation-score", kwargs={"pk": submitted.pk}),
        {"registration-outcome": "met", "safeguarding-policy-outcome": "not-met", "safeguarding-policy-reason": "Old"},
    )
    assert response.status_code == 400
    assert "Give the reason for your score on Registration and legal status" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_clarification_needs_a_question_for_the_provider(client, submitted, officer):
    client.force_login(officer)
    response = client.post(
        reverse("commissioning:evaluation-score", kwargs={"pk": submitted.pk}),
        {"registration-outcome": "clarification", "registration-reason": "Unclear"},
    )
    assert response.status_code == 400
    assert "Write the question the provider should answer on Registration and legal status" in (
        response.content.decode()
    )
    with pytest.raises(DomainError, match="Write the question"):
        evaluation.score_application(
            user=officer,
            application=submitted,
            scores=[evaluation.Score(criterion="registration", outcome="clarification", reason="Unclear")],
        )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED and not Clarification.objects.exists()


def test_an_empty_form_asks_for_at_least_one_score(client, submitted, officer):
    client.force_login(officer)
    response = client.post(reverse("commissioning:evaluation-score", kwargs={"pk": submitted.pk}), {})
    assert response.status_code == 400
    assert "Score at least one criterion" in response.content.decode()


def test_a_criterion_the_application_does_not_have_is_refused(submitted, officer):
    with pytest.raises(DomainError, match="not a criterion of this application"):
        evaluation.score_application(
            user=officer,
            application=submitted,
            scores=[evaluation.Score(criterion="ofsted-outcome", outcome="met", reason="Good")],
        )


def test_the_latest_score_counts_and_the_history_is_kept(client, submitted, officer, second_officer):
    score_all(officer, submitted, insurance_public_liability="not-met")
    assert [criterion.code for criterion, _ in criteria_not_met(submitted)] == ["insurance-public-liability"]
    evaluation.score_application(
        user=second_officer,
        application=submitted,
        scores=[
            evaluation.Score(criterion="insurance-public-liability", outcome="met", reason="New schedule: £5m cover")
        ],
    )
    assert criteria_not_met(submitted) == []
    sheet = evaluation_sheet(submitted)
    row = next(row for row in sheet.criteria if row.code == "insurance-public-liability")
    assert [e.outcome for e in row.history] == ["met", "not-met"]
    assert row.latest.officer == second_officer and sheet.all_met

    client.force_login(officer)
    body = page(client, submitted)
    assert "Score history (2)" in body and "New schedule: £5m cover" in body


def test_a_decided_application_cannot_be_scored(client, submitted, officer):
    Application.objects.filter(pk=submitted.pk).update(status=Application.Status.REJECTED)
    client.force_login(officer)
    assert "Save scores" not in page(client, submitted)
    response = client.post(
        reverse("commissioning:evaluation-score", kwargs={"pk": submitted.pk}),
        {"registration-outcome": "met", "registration-reason": "Fine"},
        follow=True,
    )
    assert "cannot be scored" in response.content.decode()
    assert not Evaluation.objects.exists()


def test_every_problem_of_every_score_is_told_at_once(submitted, officer):
    from aphub.commissioning.evaluation.queries import application_criteria
    from aphub.core.errors import DomainErrors

    first, second = application_criteria(submitted)[:2]
    with pytest.raises(DomainErrors) as refused:
        evaluation.score_application(
            user=officer,
            application=submitted,
            scores=[
                evaluation.Score(criterion=first.code, outcome="met", reason=" "),
                evaluation.Score(criterion=second.code, outcome="clarification", reason="Unclear"),
            ],
        )
    assert [each.field for each in refused.value.errors] == [f"{first.code}:reason", f"{second.code}:question"]
    assert not Evaluation.objects.exists()
