"""A draft the provider withdrew without ever sending it was never the LA's to read: neither it nor its evidence."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import Application, Evidence

from .builders import application, arrangement

pytestmark = pytest.mark.django_db


def test_a_withdrawn_unsent_draft_and_its_evidence_are_not_the_las(client, la, officer, provider):
    draft = application(provider, arrangement(la), status=Application.Status.DRAFT)
    Application.objects.filter(pk=draft.pk).update(status=Application.Status.WITHDRAWN)
    client.force_login(officer)
    assert client.get(reverse("commissioning:evaluation", kwargs={"pk": draft.pk})).status_code == 404
    assert not Evidence.objects.visible_to(officer).filter(responses__application=draft).exists()


def test_a_sent_application_and_its_evidence_are(client, la, officer, provider):
    sent = application(provider, arrangement(la))
    client.force_login(officer)
    assert client.get(reverse("commissioning:evaluation", kwargs={"pk": sent.pk})).status_code == 200
    assert Evidence.objects.visible_to(officer).filter(responses__application=sent).exists()
