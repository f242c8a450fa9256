"""The public search: words, facets, vacancies, distance, sorting and pagination over published provisions."""

import pytest

from aphub.core.errors import DomainError
from aphub.directory.geocoding import haversine_miles
from aphub.directory.models import Provision
from aphub.directory.queries import UnknownPostcode, search_provisions, vacancies_for
from tests.factories import ProviderFactory, ProvisionFactory

pytestmark = pytest.mark.django_db

# Fictional demo centroids (src/aphub/directory/data/demo_postcodes.csv), in miles from B91 3SX:
# B91 8YT 0.6, B93 6DE 2.2, CV7 9GL 4.5, CV7 5BA 5.1, B36 2WT 6.5.
ORIGIN = "B91 3SX"


def at(postcode: str, **kwargs) -> Provision:
    from aphub.directory.geocoding import geocode

    lat, lon = geocode(postcode)
    return ProvisionFactory(postcode=postcode, latitude=lat, longitude=lon, **kwargs)


def names(results) -> list[str]:
    return [p.name for p in results.page.object_list]


def test_only_published_provisions_are_found():
    ProvisionFactory(name="Published one")
    for status in (Provision.Status.DRAFT, Provision.Status.SUBMITTED, Provision.Status.ARCHIVED):
        ProvisionFactory(name=f"Hidden {status}", status=status)
    assert names(search_provisions()) == ["Published one"]


def test_words_match_name_summary_description_and_provider_every_word_needed():
    ProvisionFactory(name="Horizons", summary="Outdoor learning")
    ProvisionFactory(name="Oakwood", summary="Teaching", description="Forest school and horticulture")
    ProvisionFactory(name="Bridge", provider=ProviderFactory(legal_name="Riverside Education Trust"))
    assert names(search_provisions(words="outdoor")) == ["Horizons"]
    assert names(search_provisions(words="HORTICULTURE")) == ["Oakwood"]
    assert names(search_provisions(words="riverside")) == ["Bridge"]
    assert names(search_provisions(words="forest horticulture")) == ["Oakwood"]
    assert names(search_provisions(words="forest outdoor")) == []


def test_relevance_puts_a_match_in_the_name_first():
    ProvisionFactory(name="Alpha", summary="Support with anxiety")
    ProvisionFactory(name="Anxiety Outreach", summary="Support")
    assert names(search_provisions(words="anxiety", sort="relevance")) == ["Anxiety Outreach", "Alpha"]
    assert names(search_provisions(words="anxiety", sort="name")) == ["Alpha", "Anxiety Outreach"]


def test_facets_and_across_or_within():
    ProvisionFactory(name="A", term_codes=["tier-2", "ks3", "semh"])
    ProvisionFactory(name="B", term_codes=["tier-2", "ks4", "semh"])
    ProvisionFactory(name="C", term_codes=["tier-3", "ks3", "autism"])
    ProvisionFactory(name="D", term_codes=["tier-1", "ks3", "semh", "autism", "outreach"])
    assert names(search_provisions(key_stages=["ks3"], needs=["semh"])) == ["A", "D"]
    assert names(search_provisions(key_stages=["ks3", "ks4"], needs=["semh"])) == ["A", "B", "D"]
    assert names(search_provisions(tiers=["tier-3"], needs=["semh", "autism"])) == ["C"]
    assert names(search_provisions(delivery_modes=["outreach"])) == ["D"]
    assert names(search_provisions(needs=["autism"], key_stages=["ks4"])) == []


def test_with_vacancies_leaves_out_provisions_without_places():
    ProvisionFactory(name="Full", places=0)
    ProvisionFactory(name="Open", places=4)
    assert names(search_provisions(with_vacancies=True)) == ["Open"]
    assert names(search_provisions()) == ["Full", "Open"]


def test_vacancies_are_the_places_until_placements_exist():
    provisions = [ProvisionFactory(places=7), ProvisionFactory(places=0)]
    assert vacancies_for(provisions) == {provisions[0].pk: 7, provisions[1].pk: 0}
    assert vacancies_for(Provision.objects.all()) == {provisions[0].pk: 7, provisions[1].pk: 0}


def test_ks3_and_semh_within_5_miles_of_a_postcode_returns_exactly_the_expected_provisions():
    near = at("B91 8YT", name="Near KS3 SEMH", term_codes=["tier-2", "ks3", "semh"])
    middle = at("CV7 9GL", name="Four and a half miles", term_codes=["tier-2", "ks3", "semh"])
    at("CV7 5BA", name="Just too far", term_codes=["tier-2", "ks3", "semh"])
    at("B36 2WT", name="Far away", term_codes=["ks3", "semh"])
    at("B93 6DE", name="Near but KS4", term_codes=["ks4", "semh"])
    at("B93 6DE", name="Near but autism", term_codes=["ks3", "autism"])
    ProvisionFactory(name="No location", postcode="", latitude=None, longitude=None, term_codes=["ks3", "semh"])
    ProvisionFactory(name="Near but draft", status="draft", term_codes=["ks3", "semh"])

    results = search_provisions(key_stages=["ks3"], needs=["semh"], postcode="b913sx", within_miles=5, sort="distance")
    assert names(results) == ["Near KS3 SEMH", "Four and a half miles"]
    assert results.count == 2
    assert results.postcode == ORIGIN
    distances = [p.distance for p in results.page.object_list]
    assert distances[0] == pytest.approx(0.6, abs=0.05) and distances[1] == pytest.approx(4.5, abs=0.05)
    assert distances[1] == pytest.approx(haversine_miles(results.origin, (middle.latitude, middle.longitude)))
    assert near.pk in results.distances


def test_sort_by_distance_and_by_name_with_a_postcode():
    at("CV7 9GL", name="Alpha far")
    at("B91 8YT", name="Zulu near")
    at("B93 6DE", name="Mike middle")
    assert names(search_provisions(postcode=ORIGIN, within_miles=25, sort="distance")) == [
        "Zulu near",
        "Mike middle",
        "Alpha far",
    ]
    assert names(search_provisions(postcode=ORIGIN, within_miles=25, sort="name")) == [
        "Alpha far",
        "Mike middle",
        "Zulu near",
    ]


def test_distance_sort_without_a_postcode_falls_back_to_names():
    ProvisionFactory(name="Beta")
    ProvisionFactory(name="alpha")
    assert names(search_provisions(sort="distance")) == ["alpha", "Beta"]


def test_a_malformed_postcode_is_a_domain_error_and_an_unknown_one_says_so():
    with pytest.raises(DomainError) as raised:
        search_provisions(postcode="not a postcode", within_miles=5)
    assert raised.value.message == "Enter a real postcode, like B91 3QB"
    with pytest.raises(UnknownPostcode) as unknown:
        search_provisions(postcode="ZE3 9JZ", within_miles=5)
    assert "ZE3 9JZ" in unknown.value.message


def test_twenty_a_page_and_an_out_of_range_page_shows_the_last():
    for n in range(45):
        ProvisionFactory(name=f"Provision {n:02d}")
    first = search_provisions(sort="name")
    assert first.count == 45 and len(first.page.object_list) == 20
    assert first.page.paginator.num_pages == 3
    third = search_provisions(sort="name", page=3)
    assert names(third) == [f"Provision {n:02d}" for n in range(40, 45)]
    assert names(search_provisions(sort="name", page=99)) == names(third)
    assert names(search_provisions(sort="name", page="rubbish")) == names(first)


def test_pagination_with_a_postcode_keeps_the_distance_order():
    for n in range(25):
        at("B91 8YT" if n % 2 else "CV7 9GL", name=f"P{n:02d}")
    page_one = search_provisions(postcode=ORIGIN, within_miles=10, sort="distance")
    page_two = search_provisions(postcode=ORIGIN, within_miles=10, sort="distance", page=2)
    assert page_one.count == 25
    distances = [p.distance for p in page_one.page.object_list] + [p.distance for p in page_two.page.object_list]
    assert distances == sorted(distances) and len(distances) == 25
