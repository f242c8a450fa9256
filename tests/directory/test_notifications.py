"""Approving or returning a provision (or its changes) tells the provider's staff, by e-mail and on their home page."""

import pytest
from django.core import mail
from django.urls import reverse

from aphub.core.errors import InvalidTransition
from aphub.directory import services
from aphub.directory.models import Provision
from aphub.organisations.models import Role
from tests.factories import ProviderFactory, ProvisionFactory, member

pytestmark = pytest.mark.django_db

HOME = reverse("organisations:home")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.APHUB_BASE_URL = "https://aphub.example.gov.uk"


@pytest.fixture
def submitted(provider):
    return ProvisionFactory(provider=provider, status=Provision.Status.SUBMITTED, name="Horizons Centre")


def test_approval_e_mails_the_provider_with_a_link(
    provider_staff, officer, submitted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_provision(user=officer, provision=submitted)
    [message] = mail.outbox
    assert message.to == [provider_staff.email]
    assert message.subject == "Horizons Centre: approved"
    path = reverse("directory:review", kwargs={"pk": submitted.pk})
    assert f"https://aphub.example.gov.uk{path}" in message.body


def test_returning_it_shows_on_the_providers_home_page_only(
    client, la, provider_staff, officer, submitted, django_capture_on_commit_callbacks
):
    other_staff = member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la))
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_provision(user=officer, provision=submitted, reason="Add your admissions criteria")
    [message] = mail.outbox
    assert message.subject == "Horizons Centre: returned to you with a reason"
    client.force_login(provider_staff)
    assert message.subject in client.get(HOME).content.decode()
    client.force_login(other_staff)
    assert "Horizons Centre" not in client.get(HOME).content.decode()


def test_a_refused_approval_tells_nobody(provider_staff, officer, provider, django_capture_on_commit_callbacks):
    draft = ProvisionFactory(provider=provider, status=Provision.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidTransition):
        services.approve_provision(user=officer, provision=draft)
    assert mail.outbox == []
