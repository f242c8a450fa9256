"""Validation of API answers against the Open Referral UK profile's own schemas, read from the standards folder
(tests/standards.py: APHUB_STANDARDS_DIR, by default ../shared/standards, skipped without it except under CI).

The other ORUK tests import `assert_valid_*` from here. The tests in this file prove the rig itself: the profile's
examples pass and a broken payload fails, so a green API test means something.
"""

import datetime
import json
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.standards import standard

PROFILE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
COMPILED = PROFILE + "compiled/"
OPENAPI = PROFILE + "openapi.json"


def oruk_dir() -> Path:
    return standard("oruk")


@cache
def schema(name: str) -> dict:
    return json.loads((oruk_dir() / "schema" / name).read_text())


@cache
def example(name: str) -> Any:
    return json.loads((oruk_dir() / "examples" / name).read_text())


def taxonomy_term_schema() -> dict:
    # The profile folder has no taxonomy_term.json; its compiled service.json carries the same object inline.
    return schema("service.json")["properties"]["attributes"]["items"]["properties"]["taxonomy_term"]


def taxonomy_schema() -> dict:
    # Nor a taxonomy.json: this is HSDS 3.0's taxonomy object (required id, name, description), the fields of the
    # profile's examples/taxonomy.json, with the terms as the compiled taxonomy_term above.
    return {
        "type": "object",
        "required": ["id", "name", "description"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "uri": {"type": "string", "format": "uri"},
            "version": {"type": "string"},
            "taxonomy_terms": {"type": "array", "items": taxonomy_term_schema()},
        },
    }


def _retrieve(uri: str) -> Resource:
    """The openapi.json of the profile points at GitHub; answer those references from the local copy."""
    if uri == OPENAPI:
        contents = schema("openapi.json")
    elif uri.startswith(COMPILED):
        contents = schema(uri.removeprefix(COMPILED))
    elif uri == PROFILE + "taxonomy_term.json":
        contents = taxonomy_term_schema()
    elif uri == PROFILE + "taxonomy.json":
        contents = taxonomy_schema()
    else:
        raise LookupError(f"No local copy of {uri}")
    return Resource.from_contents(contents, default_specification=DRAFT202012)


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


def _validate(instance: Any, schema_ref: str) -> None:
    Draft202012Validator({"$ref": schema_ref}, registry=REGISTRY, format_checker=FORMATS).validate(instance)


def undeclared(instance: Any, subschema: dict, path: str = "$") -> list[str]:
    """Keys the schema does not declare. The profile sets no additionalProperties, so jsonschema alone would let
    a misspelt or invented field through; ORUK consumers would silently ignore it."""
    found = []
    if isinstance(instance, dict) and "properties" in subschema:
        for key, value in instance.items():
            if key not in subschema["properties"]:
                found.append(f"{path}.{key}")
            else:
                found += undeclared(value, subschema["properties"][key], f"{path}.{key}")
    elif isinstance(instance, list) and isinstance(subschema.get("items"), dict):
        for index, item in enumerate(instance):
            found += undeclared(item, subschema["items"], f"{path}[{index}]")
    return found


def _openapi_response(path: str) -> str:
    pointer = path.replace("~", "~0").replace("/", "~1")
    return f"{OPENAPI}#/paths/{pointer}/get/responses/200/content/application~1json/schema"


ENVELOPE = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]


def assert_valid_page(body: dict, item_schema: dict, *, openapi_path: str | None = None) -> None:
    """A paged answer: every envelope field of the profile's Page, and each item valid and exact."""
    assert sorted(body) == sorted(ENVELOPE)
    if openapi_path:
        _validate(body, _openapi_response(openapi_path))
    _validate(body, f"{OPENAPI}#/components/schemas/Page")
    for item in body["contents"]:
        Draft202012Validator(item_schema, format_checker=FORMATS).validate(item)
        assert undeclared(item, item_schema) == []


def assert_valid(body: dict, item_schema: dict) -> None:
    Draft202012Validator(item_schema, format_checker=FORMATS).validate(body)
    assert undeclared(body, item_schema) == []


# --- The rig itself ------------------------------------------------------------------------------------------------


def test_the_profile_schemas_are_found_beside_the_repository():
    assert (oruk_dir() / "schema" / "openapi.json").is_file()


@pytest.mark.parametrize(
    ("example_name", "schema_name"),
    [
        ("service_full.json", "service.json"),
        ("organization_full.json", "organization.json"),
        ("service_at_location_full.json", "service_at_location.json"),
    ],
)
def test_the_profiles_own_examples_pass_the_rig(example_name, schema_name):
    assert_valid(example(example_name), schema(schema_name))


def test_the_profiles_list_examples_pass_the_openapi_response_schemas():
    assert_valid_page(example("service_list.json"), schema("service_list.json"), openapi_path="/services")
    assert_valid_page(
        example("service_at_location_list.json"),
        schema("service_at_location_list.json"),
        openapi_path="/service_at_locations",
    )
    assert_valid_page(example("taxonomy_list.json"), taxonomy_schema(), openapi_path="/taxonomies")
    assert_valid_page(example("taxonomy_term_list.json"), taxonomy_term_schema(), openapi_path="/taxonomy_terms")


def test_the_rig_rejects_a_service_without_a_name_or_with_a_bad_id():
    service = dict(example("service_full.json"))
    del service["name"]
    with pytest.raises(ValidationError):
        assert_valid(service, schema("service.json"))
    with pytest.raises(ValidationError):
        assert_valid({**example("service_full.json"), "id": "42"}, schema("service.json"))


def test_the_rig_rejects_a_cost_given_as_a_string_and_an_invented_field():
    service = json.loads(json.dumps(example("service_full.json")))
    service["cost_options"][0]["amount"] = "35.00"
    with pytest.raises(ValidationError):
        assert_valid(service, schema("service.json"))
    service = {**example("service_full.json"), "eligibility_description": "Key stage 3"}
    with pytest.raises(AssertionError):
        assert_valid(service, schema("service.json"))


def test_the_rig_rejects_a_page_missing_an_envelope_field():
    page = dict(example("service_list.json"))
    del page["total_pages"]
    with pytest.raises(AssertionError):
        assert_valid_page(page, schema("service_list.json"), openapi_path="/services")
