"""Archiving a provision takes it out of the public directory, so the editor is asked first (GOV.UK "are you sure"
pattern) and told what will change; only the POST from that page archives it."""

import pytest
from django.urls import reverse

from aphub.directory.models import Provision
from tests.factories import PlacementFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(provider, la):
    return ProvisionFactory(provider=provider, local_authority=la, name="Horizons Centre", status="published")


def test_asking_to_archive_says_what_will_change_and_changes_nothing(client, published, officer):
    PlacementFactory(provision=published, pupil__local_authority=published.local_authority)
    url = reverse("directory:archive", kwargs={"pk": published.pk})
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Are you sure you want to archive Horizons Centre?" in body
    assert "no longer appears in the public directory" in body
    assert "1 child holds a place there" in body
    assert f'action="{url}"' in body
    published.refresh_from_db()
    assert published.status == Provision.Status.PUBLISHED


def test_the_post_from_the_confirmation_archives(client, published, provider_staff):
    client.force_login(provider_staff)
    response = client.post(reverse("directory:archive", kwargs={"pk": published.pk}), follow=True)
    assert "is archived" in response.content.decode()
    published.refresh_from_db()
    assert published.status == Provision.Status.ARCHIVED


def test_the_review_page_links_to_the_confirmation_instead_of_archiving_at_once(client, published, officer):
    url = reverse("directory:archive", kwargs={"pk": published.pk})
    client.force_login(officer)
    body = client.get(reverse("directory:review", kwargs={"pk": published.pk})).content.decode()
    assert f'href="{url}"' in body
    assert f'action="{url}"' not in body


def test_an_archived_provision_is_not_asked_about_again(client, provider, la, officer):
    archived = ProvisionFactory(provider=provider, local_authority=la, status="archived")
    client.force_login(officer)
    response = client.get(reverse("directory:archive", kwargs={"pk": archived.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:review", kwargs={"pk": archived.pk})
