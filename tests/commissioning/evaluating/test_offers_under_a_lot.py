"""Offers under a lot: only a provider admitted to it (not suspended or removed) may take a placement under it; the
placement page, the agreement, the placements list and the API name the lot and the contract."""

import pytest
from django.urls import reverse

from aphub.commissioning.arrangements.eligibility import eligible_lots
from aphub.commissioning.models import Admission, Contract
from aphub.core.errors import DomainError
from aphub.placements import services
from aphub.placements.agreement import agreement_context
from aphub.placements.models import Placement
from tests.factories import EnrolmentFactory, EpisodeFactory, ProviderFactory, ProvisionFactory, PupilFactory

from . import builders
from .conftest import admit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admitted(provider, dps, officer, second_officer):
    """Provider admitted to lots 1 and 2 of the DPS."""
    admit(builders.application(provider, dps), officer, second_officer)
    return provider


@pytest.fixture
def provision(admitted, la):
    return ProvisionFactory(provider=admitted, local_authority=la, name="Greenway Centre")


@pytest.fixture
def episode(la):
    pupil = PupilFactory(local_authority=la, first_name="Casey", last_name="Marlow")
    EnrolmentFactory(pupil=pupil)
    return EpisodeFactory(pupil=pupil)


def offer(officer, episode, provision, lot):
    return services.offer_placement(
        user=officer,
        episode=episode,
        provision=provision,
        start_date=episode.start_date,
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000.00",
        lot=lot,
        # The factory's provider is unregistered: a full-time tier 2 place goes past the LA's limits.
        over_limit_reason="Admitted to the lot; registration is in hand",
    )


def test_an_offer_under_an_admitted_lot_stores_the_lot(officer, episode, provision, dps):
    lot = dps.lots.get(number=1)
    placement = offer(officer, episode, provision, lot)
    assert Placement.objects.get(pk=placement.pk).lot == lot


def test_a_suspended_admission_refuses_offers_under_its_lot(officer, episode, provision, dps, admitted):
    lot = dps.lots.get(number=1)
    Admission.objects.filter(provider=admitted, lot=lot).update(
        status=Admission.Status.SUSPENDED, status_reason="Safeguarding concern"
    )

    with pytest.raises(DomainError, match="Greenway Learning Ltd is suspended on Lot 1") as refused:
        offer(officer, episode, provision, lot)
    assert refused.value.field == "lot"
    assert not Placement.objects.exists()
    assert list(eligible_lots(provision)) == [dps.lots.get(number=2)]


def test_a_removed_admission_refuses_offers_under_its_lot(officer, episode, provision, dps, admitted):
    lot = dps.lots.get(number=2)
    Admission.objects.filter(provider=admitted, lot=lot).update(status=Admission.Status.REMOVED)
    with pytest.raises(DomainError, match="has been removed from Lot 2"):
        offer(officer, episode, provision, lot)


def test_another_providers_lot_is_refused(la, officer, episode, dps):
    stranger = ProvisionFactory(provider=ProviderFactory(legal_name="Elsewhere Tuition Ltd"), local_authority=la)
    with pytest.raises(DomainError, match="Elsewhere Tuition Ltd is not admitted to Lot 1"):
        offer(officer, episode, stranger, dps.lots.get(number=1))


def test_another_las_arrangement_is_refused(officer, episode, provision, admitted, second_officer):
    from aphub.organisations.models import Role
    from tests.factories import LocalAuthorityFactory, member

    other_la = LocalAuthorityFactory(name="Farshire Council")
    theirs = builders.arrangement(other_la, lots=1)
    their_officer, their_second = member(Role.LA_OFFICER, other_la), member(Role.LA_OFFICER, other_la)
    admit(builders.application(admitted, theirs), their_officer, their_second)
    with pytest.raises(DomainError, match="is not one of your local authority's arrangements"):
        offer(officer, episode, provision, theirs.lots.get())


def test_the_offer_page_lists_admitted_lots_and_shows_the_suspension_message(
    client, officer, episode, provision, dps, admitted
):
    lot = dps.lots.get(number=1)
    admission = Admission.objects.get(provider=admitted, lot=lot)
    client.force_login(officer)
    url = reverse("placements:offer", kwargs={"pk": episode.pupil_id})
    page = client.get(url).content.decode()
    assert "Greenway Learning Ltd – Lot 1: Face to face 1" in page

    Admission.objects.filter(pk=admission.pk).update(status=Admission.Status.SUSPENDED)
    response = client.post(
        url,
        {
            "episode": episode.pk,
            "provision": provision.pk,
            "lot": admission.pk,
            "tier": "2",
            "start_date_0": episode.start_date.day,
            "start_date_1": episode.start_date.month,
            "start_date_2": episode.start_date.year,
            "is_full_time": "yes",
            "sessions_per_week": 10,
            "hours_per_week": "25",
            "registration": "dual",
            "annual_cost": "18000",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "is suspended on Lot 1" in body
    # Suspended, so no longer offered; lot 2 still is.
    assert "Greenway Learning Ltd – Lot 1" not in body and "Greenway Learning Ltd – Lot 2" in body
    assert not Placement.objects.exists()


def test_the_placement_page_agreement_list_and_api_name_the_lot_and_contract(
    client, officer, episode, provision, dps, admitted
):
    lot = dps.lots.get(number=2)
    placement = offer(officer, episode, provision, lot)
    other = offer(
        officer, EpisodeFactory(pupil=PupilFactory(local_authority=episode.pupil.local_authority)), provision, None
    )
    contract = Contract.objects.get(provider=admitted, arrangement=dps)
    client.force_login(officer)

    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert contract.reference in page and "Lot 2: Face to face 2" in page

    context = agreement_context(placement)
    assert (context["lot"], context["contract"]) == (lot, contract)
    from aphub.placements.agreement import agreement_html

    assert contract.reference in agreement_html(placement)

    listed = client.get(reverse("placements:placements"), {"lot": lot.pk}).content.decode()
    assert reverse("placements:placement", kwargs={"pk": placement.pk}) in listed
    assert reverse("placements:placement", kwargs={"pk": other.pk}) not in listed

    api = client.get(f"/api/placements/{placement.pk}").json()
    assert api["lot_id"] == lot.pk
    assert client.get(f"/api/placements/{other.pk}").json()["lot_id"] is None
