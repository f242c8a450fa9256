"""GET /api/ocds/releases: an OCDS 1.1.5 release package of the published arrangements, validated against the
standard's own schemas read from the standards folder (tests/standards.py; nothing is fetched), and never any pupil
data."""

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import time_machine
from jsonschema import Draft4Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from aphub.commissioning.models import Admission, Lot
from tests.commissioning.arrangements.makers import admit, make_arrangement
from tests.factories import LocalAuthorityFactory, PlacementFactory, ProviderFactory
from tests.standards import standard

pytestmark = pytest.mark.django_db

SCHEMA_BASE = "https://standard.open-contracting.org/schema/1__1__5/"
URL = "/api/ocds/releases"
NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def ocds_dir() -> Path:
    return standard("ocds-1.1.5")


@cache
def schema(name: str) -> dict:
    return json.loads((ocds_dir() / name).read_text())


def _retrieve(uri: str) -> Resource:
    """The package schema refers to the release schema by its URL: answer from the local copy, fetch nothing."""
    if not uri.startswith(SCHEMA_BASE):
        raise LookupError(f"No local copy of {uri}")
    return Resource.from_contents(schema(uri.removeprefix(SCHEMA_BASE)), default_specification=DRAFT4)


REGISTRY = Registry(retrieve=_retrieve)

# The stdlib cannot check "uri" and "date-time" without extra packages, so check them plainly here.
FORMATS = FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return datetime.datetime.fromisoformat(value).tzinfo is not None


# Fields from the extensions the package declares (lots, techniques, pagination): everything else must be core.
EXTENSION_FIELDS = {
    "$.links",
    "$.releases[].tender.lots",
    "$.releases[].tender.techniques",
    "$.releases[].awards[].relatedLots",
}


def _resolve(subschema: dict, root: dict) -> dict:
    while "$ref" in subschema and subschema["$ref"].startswith("#/definitions/"):
        subschema = root["definitions"][subschema["$ref"].removeprefix("#/definitions/")]
    return subschema


def undeclared(instance: Any, subschema: dict, root: dict, path: str = "$") -> list[str]:
    """Keys neither the schema nor a declared extension knows: OCDS sets no additionalProperties, so jsonschema
    alone would let a misspelt field through and consumers would silently drop it."""
    subschema = _resolve(subschema, root)
    found = []
    if isinstance(instance, dict) and "properties" in subschema:
        for key, value in instance.items():
            where = f"{path}.{key}"
            if where in EXTENSION_FIELDS:
                continue
            if key not in subschema["properties"]:
                found.append(where)
            else:
                found += undeclared(value, subschema["properties"][key], root, where)
    elif isinstance(instance, list) and isinstance(subschema.get("items"), dict):
        for item in instance:
            found += undeclared(item, subschema["items"], root, f"{path}[]")
    return found


def assert_valid_package(package: dict) -> None:
    validator = Draft4Validator(schema("release-package-schema.json"), registry=REGISTRY, format_checker=FORMATS)
    validator.validate(package)
    release_schema = schema("release-schema.json")
    assert (
        undeclared({k: v for k, v in package.items() if k != "releases"}, schema("release-package-schema.json"), {})
        == []
    )
    for release in package["releases"]:
        assert undeclared(release, release_schema, release_schema, "$.releases[]") == []


def feed(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.fixture
def la(db):
    return LocalAuthorityFactory(name="Elmbridge Vale Council", la_code="990")


@pytest.fixture
def partner(db):
    return LocalAuthorityFactory(name="Ashcombe Moor Council", la_code="991")


@pytest.fixture
def dps(la, partner):
    """A published DPS with two lots, a registered provider on both and a charity on one."""
    arrangement = make_arrangement(la, kind="dps", lots=2, reference="elmbridge-ap-dps-2023", partners=[partner])
    lot_1, lot_2 = arrangement.lots.order_by("number")
    college = ProviderFactory(
        legal_name="Vale Skills College Ltd", ukprn="10012345", companies_house_number="09900001", local_authority=la
    )
    charity = ProviderFactory(legal_name="Riverside Youth Trust", charity_number="1190001", local_authority=la)
    admit(college, lot_1, on=datetime.date(2025, 10, 1), signed_on=datetime.date(2025, 10, 8))
    admit(college, lot_2, on=datetime.date(2025, 11, 3))
    admit(charity, lot_2, on=datetime.date(2025, 11, 10), status=Admission.Status.SUSPENDED)
    return arrangement


# -- The rig ----------------------------------------------------------------------------------------------------


def test_the_rig_rejects_a_broken_package(client, dps):
    package = feed(client)
    assert_valid_package(package)
    broken = json.loads(json.dumps(package))
    del broken["releases"][0]["ocid"]
    with pytest.raises(ValidationError):
        assert_valid_package(broken)
    broken = json.loads(json.dumps(package))
    broken["releases"][0]["tender"]["status"] = "open"  # not in the closed tenderStatus codelist
    with pytest.raises(ValidationError):
        assert_valid_package(broken)
    broken = json.loads(json.dumps(package))
    broken["releases"][0]["tender"]["lotz"] = []
    assert undeclared(broken["releases"][0], schema("release-schema.json"), schema("release-schema.json")) != []


# -- What the feed says -----------------------------------------------------------------------------------------


def test_one_valid_release_per_published_arrangement_without_sign_in(client, la, dps):
    make_arrangement(la, status="draft", reference="draft-market")
    make_arrangement(la, status="closed", kind="open-framework", reference="old-framework")
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    package = response.json()
    assert_valid_package(package)
    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": "AP Hub"}
    assert package["uri"] == "http://testserver/api/ocds/releases"
    assert [r["ocid"] for r in package["releases"]] == [
        "ocds-aphub00-elmbridge-ap-dps-2023",
        "ocds-aphub00-old-framework",
    ]
    assert "draft-market" not in response.content.decode()


def test_the_tender_describes_a_dps_and_its_lots(client, dps):
    release = feed(client)["releases"][0]
    tender = release["tender"]
    assert tender["id"] == "elmbridge-ap-dps-2023"
    assert tender["status"] == "active"
    assert tender["techniques"] == {"hasFrameworkAgreement": False, "hasDynamicPurchasingSystem": True}
    assert tender["procurementMethod"] == "selective"
    assert tender["procurementMethodDetails"].startswith("Dynamic purchasing system")
    assert tender["mainProcurementCategory"] == "services"
    assert tender["tenderPeriod"] == {"startDate": "2025-09-01T00:00:00Z", "endDate": "2029-08-31T23:59:59Z"}
    assert [(lot["id"], lot["title"], lot["status"]) for lot in tender["lots"]] == [
        ("1", "Lot 1: Provision 1", "active"),
        ("2", "Lot 2: Provision 2", "active"),
    ]
    assert (
        "Conditions of participation: Registration and legal status; Designated safeguarding lead"
        in (tender["lots"][0]["description"])
    )
    assert release["buyer"] == {"id": "la-990", "name": "Elmbridge Vale Council"}
    assert release["tag"] == ["tender", "award", "contract"]
    assert release["initiationType"] == "tender"


def test_a_framework_flags_its_framework_agreement_and_a_closed_one_is_complete(client, la):
    make_arrangement(la, kind="open-framework", status="closed", reference="framework")
    release = feed(client)["releases"][0]
    assert release["tender"]["techniques"] == {"hasFrameworkAgreement": True, "hasDynamicPurchasingSystem": False}
    assert release["tender"]["status"] == "complete"
    assert release["tender"]["lots"][0]["status"] == "complete"
    assert release["tag"] == ["tender"]
    assert release["awards"] == [] and release["contracts"] == []


def test_a_dynamic_market_is_described_honestly_with_parts(client, la):
    make_arrangement(la, kind="dynamic-market", reference="market", lots=2)
    package = feed(client)
    assert_valid_package(package)
    tender = package["releases"][0]["tender"]
    assert tender["techniques"] == {"hasFrameworkAgreement": False, "hasDynamicPurchasingSystem": False}
    assert "Dynamic market under the Procurement Act 2023" in tender["procurementMethodDetails"]
    assert "OCDS 1.1 has no technique for a dynamic market" in tender["procurementMethodDetails"]
    assert tender["lots"][1]["title"] == "Part 2: Provision 2"


def test_one_award_per_admitted_provider_per_lot_with_related_lots_and_suppliers(client, dps):
    release = feed(client)["releases"][0]
    awards = {(a["suppliers"][0]["name"], a["relatedLots"][0]): a for a in release["awards"]}
    assert sorted(awards) == [
        ("Riverside Youth Trust", "2"),
        ("Vale Skills College Ltd", "1"),
        ("Vale Skills College Ltd", "2"),
    ]
    first = awards[("Vale Skills College Ltd", "1")]
    assert first["status"] == "active" and first["date"] == "2025-10-01T00:00:00Z"
    suspended = awards[("Riverside Youth Trust", "2")]
    assert suspended["status"] == "active" and suspended["description"].startswith("Suspended")
    party_ids = {party["id"] for party in release["parties"]}
    assert all(a["suppliers"][0]["id"] in party_ids for a in release["awards"])


def test_a_removed_provider_s_award_is_cancelled(client, dps):
    Admission.objects.filter(provider__legal_name="Riverside Youth Trust").update(status=Admission.Status.REMOVED)
    package = feed(client)
    assert_valid_package(package)
    cancelled = [a for a in package["releases"][0]["awards"] if a["suppliers"][0]["name"] == "Riverside Youth Trust"]
    assert [a["status"] for a in cancelled] == ["cancelled"]
    contracts = {c["title"]: c for c in package["releases"][0]["contracts"]}
    assert contracts["Standard contract with Riverside Youth Trust"]["status"] == "terminated"


def test_contracts_point_at_an_award_of_the_same_provider(client, dps):
    release = feed(client)["releases"][0]
    awards = {a["id"]: a for a in release["awards"]}
    contracts = {c["title"]: c for c in release["contracts"]}
    college = contracts["Standard contract with Vale Skills College Ltd"]
    assert college["id"] == f"elmbridge-ap-dps-2023-{ProviderFactory._meta.model.objects.get(ukprn='10012345').pk}"
    assert awards[college["awardID"]]["suppliers"][0]["name"] == "Vale Skills College Ltd"
    assert awards[college["awardID"]]["relatedLots"] == ["1"]  # its first lot
    assert college["status"] == "active" and college["dateSigned"] == "2025-10-08T00:00:00Z"
    charity = contracts["Standard contract with Riverside Youth Trust"]
    assert charity["status"] == "pending" and "dateSigned" not in charity


def test_parties_name_the_buyers_and_identify_suppliers_by_ukprn_then_companies_house_then_charity(client, la, dps):
    sole_trader = ProviderFactory(legal_name="Jo Tutor", local_authority=la)
    company = ProviderFactory(legal_name="Tuition Co Ltd", companies_house_number="09900002", local_authority=la)
    admit(sole_trader, dps.lots.get(number=1))
    admit(company, dps.lots.get(number=1))
    package = feed(client)
    assert_valid_package(package)
    parties = {party["name"]: party for party in package["releases"][0]["parties"]}
    assert parties["Elmbridge Vale Council"]["roles"] == ["buyer", "procuringEntity"]
    assert parties["Ashcombe Moor Council"]["roles"] == ["buyer"]
    college = parties["Vale Skills College Ltd"]
    assert college["roles"] == ["supplier"]
    assert college["identifier"] == {"scheme": "GB-UKPRN", "id": "10012345", "legalName": "Vale Skills College Ltd"}
    assert college["additionalIdentifiers"] == [
        {"scheme": "GB-COH", "id": "09900001", "legalName": "Vale Skills College Ltd"}
    ]
    assert parties["Tuition Co Ltd"]["identifier"]["scheme"] == "GB-COH"
    assert parties["Riverside Youth Trust"]["identifier"] == {
        "scheme": "GB-CHC",
        "id": "1190001",
        "legalName": "Riverside Youth Trust",
    }
    assert "identifier" not in parties["Jo Tutor"]
    assert len(package["releases"][0]["parties"]) == 6  # each provider once, however many lots


def test_the_ocid_prefix_comes_from_settings(client, settings, dps):
    settings.APHUB_OCDS_PREFIX = "ocds-elmb01"
    release = feed(client)["releases"][0]
    assert release["ocid"] == "ocds-elmb01-elmbridge-ap-dps-2023"
    assert release["id"].startswith("ocds-elmb01-elmbridge-ap-dps-2023-")


def test_the_release_id_changes_when_the_release_changes_and_not_otherwise(client, dps):
    first = feed(client)["releases"][0]
    assert feed(client)["releases"][0]["id"] == first["id"]
    Lot.objects.filter(arrangement=dps, number=1).update(title="Face to face full time")
    assert feed(client)["releases"][0]["id"] != first["id"]


def test_the_release_is_dated_by_its_last_change(client, dps):
    release = feed(client)["releases"][0]
    # Published 1 July 2025; the last admission 10 November, the last contract signed 8 October.
    assert release["date"] == "2025-11-10T00:00:00Z"
    assert feed(client)["publishedDate"] == release["date"]


# -- Parameters -------------------------------------------------------------------------------------------------


def test_one_arrangement_by_its_reference(client, la, dps):
    make_arrangement(la, reference="another")
    package = feed(client, arrangement="elmbridge-ap-dps-2023")
    assert_valid_package(package)
    assert [r["tender"]["id"] for r in package["releases"]] == ["elmbridge-ap-dps-2023"]


@pytest.mark.parametrize("reference", ["no-such-arrangement", "draft-one", "x" * 60])
def test_an_unknown_or_draft_reference_is_a_json_404(client, la, reference):
    make_arrangement(la, status="draft", reference="draft-one")
    response = client.get(URL, {"arrangement": reference})
    assert response.status_code == 404
    assert response.json()["detail"] == f"No published arrangement has the reference {reference}"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "1000"}, "per_page"),
        ({"arrangement": "x" * 61}, "arrangement"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, db, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_pages_link_to_each_other_and_each_page_validates(client, la):
    for index in range(5):
        make_arrangement(la, reference=f"dps-{index}")
    first = feed(client, per_page=2)
    assert_valid_package(first)
    assert [r["tender"]["id"] for r in first["releases"]] == ["dps-0", "dps-1"]
    assert first["links"] == {"next": "http://testserver/api/ocds/releases?per_page=2&page=2"}
    assert first["extensions"][-1].endswith("ocds_pagination_extension/master/extension.json")
    last = feed(client, per_page=2, page=3)
    assert_valid_package(last)
    assert [r["tender"]["id"] for r in last["releases"]] == ["dps-4"]
    assert last["links"] == {"prev": "http://testserver/api/ocds/releases?per_page=2&page=2"}
    assert client.get(URL, {"per_page": 2, "page": 4}).status_code == 404


def test_with_nothing_published_the_package_is_empty(client, la):
    """The one answer the schema calls incomplete (it wants at least one release); a 404 would say the feed is
    missing, which it is not."""
    make_arrangement(la, status="draft")
    with time_machine.travel(NOW, tick=False):
        package = feed(client)
    assert package["releases"] == []
    assert package["publishedDate"] == "2026-03-02T10:00:00Z"
    with pytest.raises(ValidationError, match="should be non-empty|is too short"):
        assert_valid_package(package)


def test_a_handful_of_queries_however_many_admissions(client, la, dps, django_assert_max_num_queries):
    for index in range(10):
        admit(ProviderFactory(legal_name=f"Provider {index}", local_authority=la), dps.lots.get(number=1))
    with django_assert_max_num_queries(8):
        feed(client)


# -- Never pupil data ---------------------------------------------------------------------------------------------


def test_never_any_pupil_data_even_with_placements_under_the_lots(client, la, dps):
    lot = dps.lots.get(number=1)
    college = lot.admissions.get().provider
    before = client.get(URL).content
    placement = PlacementFactory(
        pupil__local_authority=la,
        pupil__first_name="Zebedee",
        pupil__last_name="Quarrington",
        provision__provider=college,
        lot=lot,
    )
    after = client.get(URL).content
    # A placement under the lot changes nothing in the feed: not a name, not a count.
    assert after == before
    body = after.decode()
    for secret in ("Zebedee", "Quarrington", placement.pupil.upn, placement.provision.name):
        assert secret not in body, secret
