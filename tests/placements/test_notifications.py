"""An offer tells the provider's staff, and its answer tells the commissioner: by e-mail once the change commits, and
on their home page; nobody else hears, and a change rolled back tells nobody."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from aphub.duties.models import Notification
from aphub.placements import services
from aphub.placements.models import Placement

D = datetime.date
HOME = reverse("organisations:home")


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.APHUB_BASE_URL = "https://aphub.example.gov.uk/"


def offer(town, *, by=None, kind="permanent-exclusion"):
    pupil = town.pupil(first_name="Jordan", last_name="Whitfield")
    episode = services.record_episode(user=by or town.officer, pupil=pupil, kind=kind, start_date=D(2026, 11, 3))
    return services.offer_placement(
        user=by or town.officer,
        episode=episode,
        provision=town.provision(name="Pathways Centre"),
        start_date=D(2026, 11, 10),
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000",
    )


def test_an_offer_e_mails_the_providers_staff_with_an_absolute_link(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        placement = offer(town)
    [message] = mail.outbox
    assert message.to == [town.p1_staff.email]
    assert message.subject == "Placement offered: Jordan W. at Pathways Centre"
    assert "Whitfield" not in message.body  # a first name and initial only: e-mail leaves the service
    link = "https://aphub.example.gov.uk" + reverse("placements:placement", kwargs={"pk": placement.pk})
    assert link in message.body


def test_the_offer_shows_on_the_providers_home_page_and_no_one_elses(client, town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        placement = offer(town)
    path = reverse("placements:placement", kwargs={"pk": placement.pk})
    client.force_login(town.p1_staff)
    page = client.get(HOME).content.decode()
    notification = Notification.objects.get()
    assert notification.pupil == placement.pupil  # so a list of notifications is logged as naming the child
    follow = reverse("duties:open-notification", kwargs={"pk": notification.pk})
    assert "Placement offered: Jordan W. at Pathways Centre" in page and f'href="{follow}"' in page
    assert client.get(follow)["Location"] == path  # following it opens the placement
    for other in (town.p2_staff, town.school_b_staff):
        client.force_login(other)
        assert "Placement offered" not in client.get(HOME).content.decode()


def test_nothing_is_sent_before_the_offer_commits(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer(town)
    assert mail.outbox == []  # queued for after the commit, not sent inside the transaction
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_an_offer_rolled_back_tells_nobody(town, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        offer(town)
        raise RuntimeError("the request failed after the offer")
    assert mail.outbox == [] and not Notification.objects.exists()
    assert not Placement.objects.exists()


@pytest.mark.parametrize(("answer", "word"), [("accept", "accepted"), ("decline", "declined")])
def test_the_answer_tells_the_la_officers_who_offered(town, answer, word, django_capture_on_commit_callbacks):
    placement = offer(town)
    with django_capture_on_commit_callbacks(execute=True):
        if answer == "accept":
            services.accept_placement(user=town.p1_staff, placement=placement)
        else:
            services.decline_placement(user=town.p1_staff, placement=placement, reason="No place for key stage 4")
    [message] = mail.outbox
    assert message.to == [town.officer.email]  # LA officers act on it; the admin and auditor are not asked to
    assert message.subject == f"Offer {word}: Jordan W. at Pathways Centre"
    notification = Notification.objects.get(kind=Notification.Kind.OFFER_ANSWERED)
    assert notification.local_authority == town.la and notification.pupil == placement.pupil


def test_a_schools_offer_is_answered_to_the_school(town, django_capture_on_commit_callbacks):
    placement = offer(town, by=town.school_a_staff, kind="off-site-direction")
    assert placement.commissioner == "school"
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_placement(user=town.p1_staff, placement=placement)
    [message] = mail.outbox
    assert message.to == [town.school_a_staff.email]
    answered = Notification.objects.get(kind=Notification.Kind.OFFER_ANSWERED)
    assert answered.school == town.school_a and answered.pupil == placement.pupil
