import datetime

import pytest

from aphub.core.errors import NotPermitted
from aphub.organisations.models import Role
from aphub.placements.models import Review
from aphub.placements.reviews.services import record_review
from tests.factories import LocalAuthorityFactory, PlacementFactory, ProviderFactory, SchoolFactory, member

from .helpers import all_scores

HELD_ON = datetime.date(2027, 1, 12)


def _record(user, placement):
    return record_review(
        user=user,
        placement=placement,
        kind="review",
        held_on=HELD_ON,
        scores=all_scores(),
        pupil_voice="It is going well.",
    )


def test_provider_p1_cannot_review_provider_p2s_placement(placement, la):
    p1_staff = member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la, legal_name="Pathways One Ltd"))
    with pytest.raises(NotPermitted):
        _record(p1_staff, placement)
    assert not Review.objects.exists()


def test_provider_p1_gets_a_404_for_provider_p2s_placement_pages(client, placement, la):
    p1_staff = member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la, legal_name="Pathways One Ltd"))
    client.force_login(p1_staff)
    for path in (f"/placements/{placement.pk}/reviews/", f"/placements/{placement.pk}/reviews/new/?kind=review"):
        assert client.get(path).status_code == 404
    assert client.post(f"/placements/{placement.pk}/reviews/new/?kind=review").status_code == 404


def test_the_placements_provider_may_review(placement, provider_staff):
    assert _record(provider_staff, placement).written_by == provider_staff


def test_the_la_commissioner_may_review(placement, officer):
    assert _record(officer, placement).placement == placement


def test_an_la_auditor_only_reads(placement, auditor):
    with pytest.raises(NotPermitted):
        _record(auditor, placement)


def test_another_las_officer_may_not_review(placement):
    stranger = member(Role.LA_OFFICER, LocalAuthorityFactory(name="Far Shire Council"))
    with pytest.raises(NotPermitted):
        _record(stranger, placement)


def test_the_commissioning_school_may_review_its_own_placement(school_placement, school_staff):
    assert _record(school_staff, school_placement).placement == school_placement


def test_the_la_is_not_the_commissioner_of_a_school_commissioned_placement(school_placement, officer):
    with pytest.raises(NotPermitted):
        _record(officer, school_placement)


def test_the_home_school_is_not_the_commissioner_of_an_la_placement(placement, school_staff):
    with pytest.raises(NotPermitted):
        _record(school_staff, placement)


def test_a_school_sees_but_cannot_record_reviews_of_an_la_placement(client, placement, school_staff):
    client.force_login(school_staff)
    page = client.get(f"/placements/{placement.pk}/reviews/")
    assert page.status_code == 200
    assert "Record a" not in page.content.decode()
    assert client.get(f"/placements/{placement.pk}/reviews/new/").status_code == 403


def test_another_schools_staff_cannot_review_a_placement_they_did_not_commission(school_placement, la):
    other = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la, name="Riverside School"))
    with pytest.raises(NotPermitted):
        _record(other, school_placement)


def test_a_provider_cannot_review_a_cancelled_placement_it_no_longer_sees(la, provider_staff, provision):
    cancelled = PlacementFactory(pupil__local_authority=la, provision=provision, status="cancelled")
    with pytest.raises(NotPermitted):
        _record(provider_staff, cancelled)
