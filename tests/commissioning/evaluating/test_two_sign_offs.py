"""A decision needs two officers: one recommends, a different one signs off or sends it back."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.models import Application, SignOffReturn
from aphub.core.errors import DomainError, NotPermitted

from .conftest import score_all

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_sign_off_their_own_recommendation(submitted, officer):
    score_all(officer, submitted)
    evaluation.recommend(user=officer, application=submitted, outcome="admit")

    with pytest.raises(evaluation.SameOfficer, match="another officer must sign it off"):
        evaluation.sign_off(user=officer, application=submitted)

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECOMMENDED
    assert submitted.signed_off_by is None
    assert not submitted.admissions.exists()


def test_the_page_tells_the_officer_who_recommended_to_ask_a_colleague(client, submitted, officer):
    score_all(officer, submitted)
    evaluation.recommend(user=officer, application=submitted, outcome="reject", reasons="No insurance schedule")
    client.force_login(officer)

    page = client.get(reverse("commissioning:evaluation", kwargs={"pk": submitted.pk})).content.decode()
    assert "You made this recommendation, so another officer must sign it off" in page
    assert "Sign off: do not admit" not in page

    response = client.post(reverse("commissioning:evaluation-sign-off", kwargs={"pk": submitted.pk}), follow=True)
    assert "You recommended this decision, so another officer must sign it off" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.RECOMMENDED


def test_the_database_refuses_the_same_officer_in_both_places(submitted, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=submitted.pk).update(
            status=Application.Status.ADMITTED, recommended_by=officer, signed_off_by=officer
        )


def test_a_second_officer_signs_off_a_rejection_with_the_reasons_the_provider_reads(
    client, submitted, officer, second_officer
):
    score_all(officer, submitted, insurance_public_liability="not-met")
    evaluation.recommend(
        user=officer, application=submitted, outcome="reject", reasons="Public liability cover is £1m; £5m needed"
    )
    client.force_login(second_officer)
    response = client.post(reverse("commissioning:evaluation-sign-off", kwargs={"pk": submitted.pk}), follow=True)

    assert "is told it is not admitted" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REJECTED
    assert submitted.signed_off_by == second_officer
    assert submitted.decided_at is not None
    assert submitted.decision_reasons == "Public liability cover is £1m; £5m needed"
    assert not submitted.admissions.exists()


def test_a_rejection_needs_reasons(submitted, officer):
    with pytest.raises(DomainError, match="Give the reasons") as refused:
        evaluation.recommend(user=officer, application=submitted, outcome="reject", reasons="  ")
    assert refused.value.field == "reasons"


def test_admission_is_recommended_only_when_every_criterion_is_met(client, submitted, officer):
    score_all(officer, submitted, safeguarding_policy="not-met")
    with pytest.raises(DomainError, match=r"Safeguarding and child protection policy \(not met\)"):
        evaluation.recommend(user=officer, application=submitted, outcome="admit")

    client.force_login(officer)
    response = client.post(
        reverse("commissioning:evaluation-recommend", kwargs={"pk": submitted.pk}), {"outcome": "admit"}
    )
    assert response.status_code == 400
    assert "Recommend admission only when every criterion is met" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_an_unscored_criterion_blocks_admission(submitted, officer):
    evaluation.score_application(
        user=officer,
        application=submitted,
        scores=[evaluation.Score(criterion="registration", outcome="met", reason="Companies House checked")],
    )
    with pytest.raises(DomainError, match=r"Public liability insurance \(not scored yet\)"):
        evaluation.recommend(user=officer, application=submitted, outcome="admit")


def test_sending_back_returns_the_application_to_the_queue_with_the_note(client, submitted, officer, second_officer):
    score_all(officer, submitted)
    evaluation.recommend(user=officer, application=submitted, outcome="admit", reasons="All met")
    client.force_login(second_officer)

    empty = client.post(reverse("commissioning:evaluation-send-back", kwargs={"pk": submitted.pk}), {"note": ""})
    assert empty.status_code == 400
    assert "Say what should be looked at again" in empty.content.decode()

    client.post(
        reverse("commissioning:evaluation-send-back", kwargs={"pk": submitted.pk}),
        {"note": "The insurance schedule expires next month"},
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.recommended_by is None and submitted.recommended_outcome == ""
    returned = SignOffReturn.objects.get(application=submitted)
    assert (returned.recommended_by, returned.returned_by, returned.recommended_outcome) == (
        officer,
        second_officer,
        "admit",
    )
    page = client.get(reverse("commissioning:evaluation", kwargs={"pk": submitted.pk})).content.decode()
    assert "The insurance schedule expires next month" in page


def test_auditors_read_but_cannot_sign_off(client, la, submitted, officer):
    from aphub.organisations.models import Role
    from tests.factories import member

    score_all(officer, submitted)
    evaluation.recommend(user=officer, application=submitted, outcome="admit")
    auditor = member(Role.AUDITOR, la)
    client.force_login(auditor)

    page = client.get(reverse("commissioning:evaluation", kwargs={"pk": submitted.pk}))
    assert page.status_code == 200
    assert "Sign off" not in page.content.decode()
    assert client.post(reverse("commissioning:evaluation-sign-off", kwargs={"pk": submitted.pk})).status_code == 403
    with pytest.raises(NotPermitted):
        evaluation.sign_off(user=auditor, application=submitted)
