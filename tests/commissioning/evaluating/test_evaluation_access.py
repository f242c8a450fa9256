"""Who sees evaluations: officers, admins and auditors of the owner and partner LAs. Providers and schools never do;
another LA's applications and providers' drafts are a 404."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import Application
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member

from . import builders
from .conftest import score_all

pytestmark = pytest.mark.django_db


def urls(application):
    return [
        reverse(name, kwargs={"pk": application.pk})
        for name in (
            "commissioning:evaluation",
            "commissioning:evaluation-recommend",
            "commissioning:evaluation-send-back",
        )
    ]


def test_providers_never_see_evaluations_or_scores_not_even_their_own(client, submitted, provider, officer):
    score_all(officer, submitted, registration="not-met")
    client.force_login(member(Role.PROVIDER_STAFF, provider))
    assert client.get(reverse("commissioning:evaluations")).status_code == 403
    for url in urls(submitted):
        response = client.get(url)
        assert response.status_code == 403
        assert "Checked Registration" not in response.content.decode()


def test_another_provider_gets_nothing(client, submitted, la):
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la)))
    for url in urls(submitted):
        assert client.get(url).status_code == 403


def test_schools_see_nothing_of_evaluations(client, submitted, la):
    client.force_login(member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la)))
    assert client.get(reverse("commissioning:evaluations")).status_code == 403
    assert client.get(reverse("commissioning:contracts")).status_code == 403
    for url in urls(submitted):
        assert client.get(url).status_code == 403


def test_another_las_officers_get_a_404(client, submitted):
    other = member(Role.LA_OFFICER, LocalAuthorityFactory(name="Farshire Council"))
    client.force_login(other)
    for url in urls(submitted):
        assert client.get(url).status_code == 404
    assert "Greenway" not in client.get(reverse("commissioning:evaluations")).content.decode()


def test_partner_las_officers_evaluate_a_shared_arrangement(client, la, provider):
    partner = LocalAuthorityFactory(name="Nearby Borough Council")
    shared = builders.arrangement(la, partners=[partner])
    application = builders.application(provider, shared)
    client.force_login(member(Role.LA_OFFICER, partner))
    assert client.get(reverse("commissioning:evaluation", kwargs={"pk": application.pk})).status_code == 200
    assert "Greenway Learning Ltd" in client.get(reverse("commissioning:evaluations")).content.decode()


def test_a_providers_draft_is_not_the_las_to_see(client, provider, dps, officer):
    draft = builders.application(provider, dps, status=Application.Status.DRAFT)
    client.force_login(officer)
    assert client.get(reverse("commissioning:evaluation", kwargs={"pk": draft.pk})).status_code == 404
    assert "Greenway" not in client.get(reverse("commissioning:evaluations")).content.decode()


def test_the_queue_is_oldest_first_and_shows_the_median(client, la, dps, officer, second_officer):
    import datetime

    import time_machine

    from .conftest import admit

    early, late = ProviderFactory(legal_name="Aardvark AP Ltd"), ProviderFactory(legal_name="Zebra AP Ltd")
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC), tick=False):
        builders.application(late, dps)
    with time_machine.travel(datetime.datetime(2026, 1, 9, 9, tzinfo=datetime.UTC), tick=False):
        decided = builders.application(early, dps)
    with time_machine.travel(datetime.datetime(2026, 1, 12, 9, tzinfo=datetime.UTC), tick=False):
        builders.application(ProviderFactory(legal_name="Middle AP Ltd"), dps)
    with time_machine.travel(datetime.datetime(2026, 1, 19, 9, tzinfo=datetime.UTC), tick=False):
        admit(decided, officer, second_officer)
        client.force_login(officer)
        body = client.get(reverse("commissioning:evaluations")).content.decode()

    waiting = body.split("Waiting for a decision")[1].split("Recent decisions")[0]
    assert waiting.index("Zebra AP Ltd") < waiting.index("Middle AP Ltd")
    assert "Aardvark AP Ltd" in body.split("Recent decisions")[1]
    assert "Median time to decision: <strong>10 days</strong>" in body
