"""List pages read in a fixed number of queries however many providers they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aphub.commissioning.models import MonitoringVisit, VisitAction
from tests.factories import ProviderFactory, ProvisionFactory

from .conftest import TODAY, add_evidence, admit


def add_providers(qa, n: int) -> None:
    for _ in range(n):
        provider = ProviderFactory(local_authority=qa.la)
        ProvisionFactory(provider=provider, local_authority=qa.la)
        admit(provider, qa.lot)
        add_evidence(provider, "insurance-public-liability", TODAY)
        visit = MonitoringVisit.objects.create(
            provider=provider, local_authority=qa.la, scheduled_for=TODAY, held_on=TODAY, overall="green"
        )
        VisitAction.objects.create(visit=visit, description="Do it", owner="Them", due_on=TODAY)
        MonitoringVisit.objects.create(provider=provider, local_authority=qa.la, scheduled_for=TODAY)
        qa.place(provision=provider.provisions.get())


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_la_pages_and_the_schools_checks_do_not_grow_with_providers(client, qa):
    pages = [
        (qa.officer, reverse("commissioning:quality")),
        (qa.officer, reverse("commissioning:quality-visits")),
        (qa.officer, reverse("commissioning:quality-oversight")),
        (qa.officer, reverse("commissioning:quality-actions-overdue")),
        (qa.school_staff, reverse("commissioning:quality-checks")),
    ]
    add_providers(qa, 2)
    before = {}
    for user, url in pages:
        client.force_login(user)
        before[url] = queries_for(client, url)
    add_providers(qa, 6)
    for user, url in pages:
        client.force_login(user)
        assert queries_for(client, url) == before[url], url
        assert before[url] <= 20, url
