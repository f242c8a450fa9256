"""Within one LA: school A never sees school B's pupils, provider P1 never P2's; auditors see the LA's children
but not their sensitive facts. (Across LAs, tests/access proves it for every URL.)"""

import datetime

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements import services
from aphub.placements.models import AttendanceMark, Episode, Placement
from aphub.pupils.models import Pupil

D = datetime.date


@pytest.fixture
def two_children(town):
    """Ada at school A placed with P1; Ben at school B placed with P2."""
    ada = town.pupil(school=town.school_a, first_name="Ada", last_name="Ashby", medical_needs="Epilepsy")
    ben = town.pupil(school=town.school_b, first_name="Ben", last_name="Birch", looked_after=True)
    for child, provider in ((ada, town.provider_p1), (ben, town.provider_p2)):
        episode = services.record_episode(
            user=town.officer, pupil=child, kind="permanent-exclusion", start_date=D(2026, 11, 3)
        )
        services.offer_placement(
            user=town.officer,
            episode=episode,
            provision=town.provision(provider=provider),
            start_date=D(2026, 11, 10),
            tier="2",
            sessions_per_week=10,
            hours_per_week="25",
            annual_cost="18000",
        )
    return ada, ben


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("officer", {"Ada", "Ben"}),
        ("auditor", {"Ada", "Ben"}),
        ("school_a_staff", {"Ada"}),
        ("school_b_staff", {"Ben"}),
        ("p1_staff", {"Ada"}),
        ("p2_staff", {"Ben"}),
    ],
)
def test_each_role_sees_only_its_own_children_everywhere(town, two_children, who, sees):
    user = getattr(town, who)
    assert {p.first_name for p in Pupil.objects.visible_to(user)} == sees
    assert {p.pupil.first_name for p in Placement.objects.visible_to(user)} == sees
    assert {m.placement.pupil.first_name for m in AttendanceMark.objects.visible_to(user)} <= sees
    episodes = {e.pupil.first_name for e in Episode.objects.visible_to(user)}
    assert episodes == (set() if who.startswith("p") else sees)


def test_pages_of_another_schools_child_are_404(client, town, two_children):
    ada, ben = two_children
    client.force_login(town.school_a_staff)
    assert client.get(reverse("placements:pupil", kwargs={"pk": ada.pk})).status_code == 200
    response = client.get(reverse("placements:pupil", kwargs={"pk": ben.pk}))
    assert response.status_code == 404 and "Birch" not in response.content.decode()
    listing = client.get(reverse("placements:pupils")).content.decode()
    assert "Ashby" in listing and "Birch" not in listing
    client.force_login(town.p1_staff)
    placements = client.get(reverse("placements:placements")).content.decode()
    assert "Ashby" in placements and "Birch" not in placements


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("officer", ["Epilepsy", "Looked after"], []),
        ("p1_staff", ["Epilepsy"], ["Looked after", "Child in need or protection"]),
        ("auditor", [], ["Epilepsy", "Medical needs", "Looked after", "Special educational needs"]),
    ],
)
def test_sensitive_facts_only_for_roles_that_need_them(client, town, two_children, who, shown, hidden):
    ada, _ = two_children
    client.force_login(getattr(town, who))
    page = client.get(reverse("placements:pupil", kwargs={"pk": ada.pk})).content.decode()
    for text in shown:
        assert text in page
    for text in hidden:
        assert text not in page


def test_viewing_a_childs_timeline_is_logged_without_its_values(client, town, two_children):
    ada, _ = two_children
    client.force_login(town.school_a_staff)
    client.get(reverse("placements:pupil", kwargs={"pk": ada.pk}))
    entry = AccessLogEntry.objects.filter(object_type="pupils.Pupil", object_id=str(ada.pk), verb="view").get()
    assert entry.user_email == town.school_a_staff.email and entry.role == "school-staff"
    assert "Epilepsy" not in str(entry.__dict__)


def test_form_pages_that_name_a_child_log_a_view(client, town, two_children):
    ada, _ = two_children
    placement = ada.placements.get()
    client.force_login(town.officer)
    for url in (
        reverse("placements:new-episode", kwargs={"pk": ada.pk}),
        reverse("placements:offer", kwargs={"pk": ada.pk}),
        reverse("placements:cancel", kwargs={"pk": placement.pk}),
    ):
        before = AccessLogEntry.objects.filter(object_type="pupils.Pupil", object_id=str(ada.pk), verb="view").count()
        assert client.get(url).status_code == 200
        after = AccessLogEntry.objects.filter(object_type="pupils.Pupil", object_id=str(ada.pk), verb="view").count()
        assert after == before + 1, url
