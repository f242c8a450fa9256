"""Once the council has decided, the provider sees the decision and its reasons; never the officers' scores."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import Application, Evaluation
from aphub.core.clock import now

from .makers import make_application

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (Application.Status.ADMITTED, "Admitted to the lots you applied for"),
        (Application.Status.REJECTED, "Not admitted"),
    ],
)
def test_the_decision_and_its_reasons_are_shown(staff_client, provider, arrangement, officer, status, words):
    application = make_application(provider, arrangement, status=status)
    application.decision_reasons = "Safeguarding evidence was strong; insurance in date."
    application.decided_at = now()
    application.save()
    Evaluation.objects.create(
        application=application,
        criterion="registration",
        outcome=Evaluation.Outcome.MET,
        reason="Private scoring note for officers",
        officer=officer,
    )
    body = staff_client.get(reverse("commissioning:application", kwargs={"pk": application.pk})).content.decode()
    assert "The council's decision" in body
    assert words in body
    assert "Safeguarding evidence was strong; insurance in date." in body
    assert "16 November 2026" in body
    assert "Private scoring note for officers" not in body


@pytest.mark.parametrize("status", [Application.Status.SUBMITTED, Application.Status.RECOMMENDED])
def test_no_decision_is_shown_before_it_is_made(staff_client, provider, arrangement, status):
    application = make_application(provider, arrangement, status=status)
    application.decision_reasons = "Draft reasons the officer is still writing"
    application.save()
    body = staff_client.get(reverse("commissioning:application", kwargs={"pk": application.pk})).content.decode()
    assert "Draft reasons the officer is still writing" not in body
    assert "The council's decision" not in body
