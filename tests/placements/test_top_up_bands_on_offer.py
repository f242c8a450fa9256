"""Top-up bands on the offer (issue 13, decision 0030): where the LA has a band table, the officer chooses a band
for the provision, or an exception with its amount and reason, and the annual cost follows; the placement keeps the
top-up it was offered at."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from aphub.commissioning.bands import services as bands
from aphub.funding.models import FundingLine
from aphub.placements import services
from aphub.placements.models import Placement
from aphub.placements.top_ups import CHOOSE_BAND, NOT_A_BAND_IN_USE, REASON_MISSING
from tests.factories import LocalAuthorityFactory, TopUpBandFactory
from tests.placements.test_offer_page import offer_form

D = datetime.date


def episode_of(town, pupil):
    return services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )


def offer(town, pupil, provision, **top_up):
    return services.offer_placement(
        user=town.officer, episode=episode_of(town, pupil), provision=provision, start_date=D(2026, 11, 10),
        tier="2", sessions_per_week=10, hours_per_week=Decimal("25"), **top_up,
    )  # fmt: skip


def problems_of(error) -> dict[str, str]:
    return {problem.field: problem.message for problem in error.value.problems}


@pytest.fixture
def table(town):
    """The LA's bands: A and B for every provision, C for one provision only."""
    return {
        "A": TopUpBandFactory(local_authority=town.la, code="A", label="Standard", annual_amount=Decimal("4000.00")),
        "B": TopUpBandFactory(local_authority=town.la, code="B", label="Enhanced", annual_amount=Decimal("8000.00")),
    }


def test_a_band_chosen_through_the_service_sets_the_top_up_and_the_cost_is_place_funding_plus_it(town, table):
    placement = offer(town, town.pupil(), town.provision(), top_up_band=table["B"])
    assert placement.top_up_band == table["B"] and placement.annual_top_up == Decimal("8000.00")
    # The permanent exclusion route pays place funding (£10,000 a year unless the LA sets another rate).
    assert placement.annual_cost == Decimal("18000.00")
    top_up_rates = {line.annual_rate for line in placement.funding_lines.filter(kind=FundingLine.Kind.TOP_UP)}
    assert top_up_rates == {Decimal("8000.00")}
    assert "at top-up band B (£8,000.00 a year)" in placement.changes.first().summary


def test_on_a_route_without_place_funding_the_cost_is_the_top_up_alone(town, table):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    episode.route.place_funding_payer = ""
    episode.route.save()
    placement = services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week=Decimal("25"), top_up_band=table["A"],
    )  # fmt: skip
    assert placement.annual_cost == Decimal("4000.00")


def test_changing_a_bands_amount_does_not_change_the_placements_already_offered_at_it(town, table):
    placement = offer(town, town.pupil(), town.provision(), top_up_band=table["A"])
    lines_before = list(placement.funding_lines.values_list("kind", "annual_rate", "amount"))
    bands.update_band(user=town.admin, band=table["A"], code="A", label="Standard", annual_amount=Decimal("4500.00"))
    placement.refresh_from_db()
    assert placement.annual_top_up == Decimal("4000.00") and placement.annual_cost == Decimal("14000.00")
    from aphub.funding.services import plan_funding

    plan_funding(placement=placement)  # planned again (a date moved): the top-up is still the one offered
    assert list(placement.funding_lines.values_list("kind", "annual_rate", "amount")) == lines_before
    later = offer(town, town.pupil(), town.provision(), top_up_band=table["A"])
    assert later.annual_top_up == Decimal("4500.00")


def test_an_exception_keeps_its_amount_and_reason(town, table):
    placement = offer(
        town, town.pupil(), town.provision(), top_up_exception=True, top_up_amount=Decimal("12500.00"),
        top_up_exception_reason="1:1 support agreed at panel for the first term",
    )  # fmt: skip
    assert placement.top_up_band is None and placement.annual_top_up == Decimal("12500.00")
    assert placement.annual_cost == Decimal("22500.00")
    assert placement.top_up_exception_reason == "1:1 support agreed at panel for the first term"


def test_an_exception_without_a_reason_or_amount_is_refused_with_both_problems(town, table):
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), town.provision(), top_up_exception=True)
    problems = problems_of(error)
    assert problems["top_up_exception_reason"] == REASON_MISSING
    assert problems["top_up_amount"].startswith("Enter the exception's annual top-up in pounds")
    assert not Placement.objects.exists()


def test_an_offer_with_neither_band_nor_exception_is_refused(town, table):
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), town.provision())
    assert problems_of(error) == {"top_up_band": CHOOSE_BAND}


def test_a_free_annual_cost_is_refused_where_the_la_has_bands(town, table):
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), town.provision(), annual_cost=Decimal("18000.00"), top_up_band=table["A"])
    assert set(problems_of(error)) == {"annual_cost"}


def test_a_band_of_another_la_is_refused(town, table):
    theirs = TopUpBandFactory(local_authority=LocalAuthorityFactory(), code="A", annual_amount=Decimal("1.00"))
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), town.provision(), top_up_band=theirs)
    assert problems_of(error) == {"top_up_band": NOT_A_BAND_IN_USE}


def test_a_retired_band_is_refused(town, table):
    bands.retire_band(user=town.officer, band=table["A"])
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), town.provision(), top_up_band=table["A"])
    assert problems_of(error) == {"top_up_band": NOT_A_BAND_IN_USE}


def test_a_band_for_another_provision_is_refused_and_its_own_provision_may_use_it(town, table):
    chosen, other = town.provision(name="Brook House"), town.provision(name="Meadow Centre")
    meadow_only = TopUpBandFactory(local_authority=town.la, code="C", provision=other, label="Meadow residential")
    with pytest.raises(services.OfferRefused) as error:
        offer(town, town.pupil(), chosen, top_up_band=meadow_only)
    assert problems_of(error) == {"top_up_band": "Band C is for Meadow Centre: choose a band for Brook House"}
    assert offer(town, town.pupil(), other, top_up_band=meadow_only).top_up_band == meadow_only


def test_a_school_commissioning_gives_the_annual_cost_as_before(town, table):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.school_a_staff, pupil=pupil, kind="off-site-direction", start_date=D(2026, 11, 3)
    )
    placement = services.offer_placement(
        user=town.school_a_staff, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week=Decimal("25"), annual_cost=Decimal("15000.00"),
    )  # fmt: skip
    assert placement.top_up_agreed == "amount" and placement.annual_top_up is None


def test_an_la_without_bands_offers_with_the_annual_cost_and_the_page_says_it_was_agreed(client, town):
    pupil = town.pupil()
    episode = episode_of(town, pupil)
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    assert "Top-up band" not in client.get(url).content.decode()
    client.post(url, offer_form(episode, town.provision()))
    placement = Placement.objects.get()
    assert placement.annual_cost == Decimal("15000.00") and placement.top_up_agreed == "amount"
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Annual cost of the place, as agreed on the offer: £15,000.00" in page


def band_form(episode, provision, **top_up) -> dict:
    data = offer_form(episode, provision, **top_up)
    del data["annual_cost"]
    return data


def test_the_officer_chooses_a_band_on_the_offer_page_and_the_placement_page_shows_it(client, town, table):
    pupil, provision = town.pupil(), town.provision()
    episode = episode_of(town, pupil)
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    assert "Band A: Standard, £4,000.00 a year (Every provision)" in page and "Exception: another amount" in page
    assert 'name="annual_cost"' not in page
    response = client.post(url, band_form(episode, provision, top_up_band=str(table["B"].pk)))
    placement = Placement.objects.get()
    assert response.status_code == 302 and placement.top_up_band == table["B"]
    shown = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "with a top-up at band B (Enhanced) of £8,000.00 a year, as offered" in shown


def test_the_page_offers_only_the_bands_of_the_provision_chosen_before_the_form(client, town, table):
    chosen, other = town.provision(name="Brook House"), town.provision(name="Meadow Centre")
    TopUpBandFactory(local_authority=town.la, code="C", provision=other, label="Meadow residential")
    TopUpBandFactory(local_authority=town.la, code="D", provision=chosen, label="Brook outreach")
    pupil = town.pupil()
    episode_of(town, pupil)
    client.force_login(town.officer)
    page = client.get(reverse("placements:offer", kwargs={"pk": pupil.pk}) + f"?provision={chosen.pk}")
    text = page.content.decode()
    assert "Band D: Brook outreach" in text and "Meadow residential" not in text
    assert text.index("Band D: Brook outreach") < text.index("Band A: Standard")  # the provision's own come first


def test_an_exception_without_a_reason_is_refused_on_the_page_with_the_message_linked_to_its_input(client, town, table):
    pupil, provision = town.pupil(), town.provision()
    episode = episode_of(town, pupil)
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    response = client.post(url, band_form(episode, provision, top_up_band="exception", top_up_amount="9000"))
    body = response.content.decode()
    assert response.status_code == 400 and not Placement.objects.exists()
    link = re.search(r'<a href="#([^"]+)">\s*' + re.escape(REASON_MISSING), body)
    assert link is not None, body
    assert f'id="{link.group(1)}"' in body and link.group(1) == "id_top_up_exception_reason"

    sent = client.post(
        url,
        band_form(
            episode, provision, top_up_band="exception", top_up_amount="9000",
            top_up_exception_reason="Specialist transport agreed by panel",
        ),
    )  # fmt: skip
    placement = Placement.objects.get()
    assert sent.status_code == 302 and placement.annual_top_up == Decimal("9000.00")
    shown = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "outside the council's bands" in shown and "Specialist transport agreed by panel" in shown
