"""Every operation of the JSON API, read from its OpenAPI document, given hostile parameters and bodies: a 4xx with a
reason, never a server error, and a refused write changes nothing."""

import json

import pytest

from aphub.api import api
from aphub.organisations.models import Role

from .hostile import HOSTILE_JSON, HOSTILE_VALUES, row_counts

pytestmark = [pytest.mark.django_db, pytest.mark.no_page_rules]

PREFIX = "/api"
SUCCESS = (200, 201, 204)


def _operations() -> list[tuple[str, str, dict]]:
    document = api.get_openapi_schema(path_prefix=PREFIX)
    return [
        (method, path, operation)
        for path, methods in sorted(document["paths"].items())
        for method, operation in sorted(methods.items())
        if method in ("get", "post", "put", "patch", "delete")
    ]


OPERATIONS = _operations()


def _fill(path: str, value: object) -> str:
    out, depth, name = "", 0, ""
    for char in path:
        if char == "{":
            depth, name = 1, ""
        elif char == "}":
            depth = 0
            out += str(value)
        elif depth:
            name += char
        else:
            out += char
    return out


def _body_fields(operation: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = api.get_openapi_schema(path_prefix=PREFIX)["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return list(schema.get("properties", {}))


def _failure(response, what: str) -> str | None:
    if response.status_code < 500:
        return None
    error = response.exc_info[1] if getattr(response, "exc_info", None) else None
    return f"{what}: {response.status_code} {error!r:.200}"


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m.upper()} {p}" for m, p, _ in OPERATIONS]
)
def test_hostile_parameters_and_bodies_give_no_server_error(client, world, method, path, operation):
    client.raise_request_exception = False
    # Signed in (public operations answer the same): LA officers read episodes and placements, provider staff send
    # registers.
    client.force_login(world.actors[Role.PROVIDER_STAFF if "attendance" in path else Role.LA_OFFICER])
    query_names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
    body_fields = _body_fields(operation)
    failures: list[str | None] = []
    for label, value in HOSTILE_VALUES.items():
        # The id in the address, then each query parameter alone (so one bad value is not hidden by another's 400).
        address = _fill(path, value if label != "long" else "x" * 300)
        if method == "get":
            failures.append(_failure(client.get(address), f"GET {address} ({label})"))
            for name in query_names:
                response = client.get(_fill(path, 1), {name: value})
                failures.append(_failure(response, f"GET {path}?{name}= {label}"))
            continue
        typed = HOSTILE_JSON.get(label, value)
        for name in [None, *body_fields]:
            body = dict.fromkeys(body_fields, typed) if name is None else {name: typed}
            before = row_counts()
            response = getattr(client, method)(
                address if name is None else _fill(path, 1), json.dumps(body), "application/json"
            )
            what = f"{method.upper()} {path} {name or 'every field'} {label}"
            failures.append(_failure(response, what))
            if response.status_code not in SUCCESS and response.status_code < 500 and row_counts() != before:
                failures.append(f"{what}: refused with {response.status_code} but wrote rows")
    if method != "get":
        for label, raw in (("not JSON", "{not json"), ("empty", ""), ("a list", "[1, 2]")):
            response = getattr(client, method)(_fill(path, 1), raw, "application/json")
            failures.append(_failure(response, f"{method.upper()} {path} {label}"))
    found = [failure for failure in failures if failure]
    assert found == [], "\n".join(found)
