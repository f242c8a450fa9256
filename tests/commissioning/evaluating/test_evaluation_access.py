"""Who sees evaluations: officers, admins and auditors of the owner and partner LAs. Providers and schools never do;
another LA's applications and providers' drafts are a 404."""

import pytest
from django.urls import reverse

from aphub.commissioning.evaluation import services as evaluation
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


def test_the_provider_reads_the_decision_and_reasons_only_once_signed_off_and_never_the_scores(
    client, submitted, provider, officer, second_officer
):
    """The provider's own application page (commissioning.applications.views) against what evaluation writes."""
    score_all(officer, submitted, registration="not-met")
    evaluation.recommend(user=officer, application=submitted, outcome="reject", reasons="Your registration lapsed")
    client.force_login(member(Role.PROVIDER_STAFF, provider))
    own = reverse("commissioning:application", kwargs={"pk": submitted.pk})

    before = client.get(own).content.decode()
    assert "Your registration lapsed" not in before
    assert "Checked Registration" not in before

    evaluation.sign_off(user=second_officer, application=submitted)
    after = client.get(own).content.decode()
    assert "Not admitted" in after and "Your registration lapsed" in after
    assert "Checked Registration" not in after


def test_another_provider_cannot_open_the_application_on_the_providers_pages(client, submitted, la):
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la)))
    response = client.get(reverse("commissioning:application", kwargs={"pk": submitted.pk}))
    assert response.status_code == 404


def test_the_queue_and_contracts_pages_cost_the_same_queries_however_many_applications(
    client, dps, officer, second_officer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import admit

    def cost(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.force_login(officer)
    builders.application(ProviderFactory(), dps)
    admit(builders.application(ProviderFactory(), dps), officer, second_officer)
    few = cost(reverse("commissioning:evaluations")), cost(reverse("commissioning:contracts"))
    for _ in range(4):
        builders.application(ProviderFactory(), dps)
        admit(builders.application(ProviderFactory(), dps), officer, second_officer)
    many = cost(reverse("commissioning:evaluations")), cost(reverse("commissioning:contracts"))
    assert few == many


def test_placements_filtered_by_another_las_lot_show_nothing(client, la, officer):
    from tests.factories import PlacementFactory, PupilFactory

    PlacementFactory(pupil=PupilFactory(local_authority=la))
    client.force_login(officer)
    assert "1 placement" in client.get(reverse("placements:placements")).content.decode()
    assert "No placements" in client.get(reverse("placements:placements"), {"lot": "999999"}).content.decode()
    assert client.get(reverse("placements:placements"), {"lot": "9" * 30}).status_code == 200
