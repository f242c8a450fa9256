"""GET /api/oruk/service_at_locations and /api/oruk/service_at_locations/{id}."""

import pytest

from aphub.directory import oruk
from aphub.directory.models import PostcodePoint, Provision
from tests.factories import CostOptionFactory, ProvisionFactory

from .test_oruk_schemas import assert_valid, assert_valid_page, schema

pytestmark = pytest.mark.django_db

# Solihull town centre and points roughly 1 km and 15 km away.
B91 = {"postcode": "B91 3QB", "latitude": 52.4130, "longitude": -1.7780}


@pytest.fixture
def postcode_points():
    PostcodePoint.objects.create(**B91)


def test_the_list_validates_and_leaves_out_provisions_without_a_location(client):
    ProvisionFactory(name="Centre", address_line_1="1 Station Road", town="Solihull", term_codes=["tier-2"])
    ProvisionFactory(name="Online only", postcode="", latitude=None, longitude=None)
    body = client.get("/api/oruk/service_at_locations").json()
    assert_valid_page(body, schema("service_at_location_list.json"), openapi_path="/service_at_locations")
    assert [item["service"]["name"] for item in body["contents"]] == ["Centre"]


def test_a_full_service_at_location_validates(client):
    provision = ProvisionFactory(address_line_1="1 Station Road", term_codes=["tier-3", "ks4", "autism"])
    CostOptionFactory(provision=provision)
    response = client.get(f"/api/oruk/service_at_locations/{oruk.service_at_location_id(provision)}")
    assert response.status_code == 200
    body = response.json()
    # The profile's openapi.json names compiled/service.json for this answer, but its example and its
    # service_at_location.json describe a service_at_location; we follow the schema written for it.
    assert_valid(body, schema("service_at_location.json"))
    assert body["service"]["id"] == oruk.service_id(provision)
    assert body["location"]["addresses"][0]["postal_code"] == "B91 3QB"


def test_the_ids_link_up_between_list_and_detail(client):
    provision = ProvisionFactory()
    listed = client.get("/api/oruk/service_at_locations").json()["contents"][0]
    detail = client.get(f"/api/oruk/service_at_locations/{listed['id']}").json()
    assert detail["id"] == listed["id"]
    assert detail["location_id"] == listed["location"]["id"] == detail["location"]["id"]
    assert listed["service_id"] == oruk.service_id(provision)


def test_postcode_and_proximity_keep_only_nearby_services_nearest_first(client, postcode_points):
    ProvisionFactory(name="Far", latitude=52.55, longitude=-1.78)  # about 15 km north
    ProvisionFactory(name="Near", latitude=52.4220, longitude=-1.7780)  # about 1 km north
    ProvisionFactory(name="Here", latitude=52.4130, longitude=-1.7780)

    def names(query: str) -> list[str]:
        body = client.get(f"/api/oruk/service_at_locations?{query}").json()
        return [item["service"]["name"] for item in body["contents"]]

    assert names("postcode=b913qb&proximity=5000") == ["Here", "Near"]
    assert names("postcode=B91%203QB") == ["Here", "Near", "Far"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("postcode=ZZ99 9ZZ", "postcode"),
        ("postcode=not-a-postcode", "postcode"),
        ("proximity=1000", "postcode"),
        ("postcode=B91 3QB&proximity=far", "proximity"),
        ("postcode=B91 3QB&proximity=-5", "proximity"),
        ("page=0", "page"),
    ],
)
def test_bad_location_parameters_give_400_naming_them(client, postcode_points, query, field):
    response = client.get(f"/api/oruk/service_at_locations?{query}")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


@pytest.mark.parametrize("status", [Provision.Status.DRAFT, Provision.Status.SUBMITTED, Provision.Status.ARCHIVED])
def test_unpublished_provisions_have_no_service_at_location(client, status):
    hidden = ProvisionFactory(status=status)
    assert client.get("/api/oruk/service_at_locations").json()["total_items"] == 0
    assert client.get(f"/api/oruk/service_at_locations/{oruk.service_at_location_id(hidden)}").status_code == 404


def test_a_service_id_is_not_a_service_at_location_id(client):
    provision = ProvisionFactory()
    assert client.get(f"/api/oruk/service_at_locations/{oruk.service_id(provision)}").status_code == 404
    assert client.get("/api/oruk/service_at_locations/nope").status_code == 404
