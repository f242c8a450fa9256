"""The attendance API: scoped exactly as the pages, a 400 naming the field on bad input, documented in OpenAPI."""

import datetime

import pytest
from django.core import mail

from aphub.audit.models import AccessLogEntry
from aphub.organisations.models import Role
from aphub.organisations.services import issue_api_token
from aphub.placements.models import AttendanceMark
from tests.factories import member

REGISTERS = "/api/attendance/registers"


def marks_url(placement) -> str:
    return f"/api/attendance/placements/{placement.pk}/marks"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(membership=user.memberships.get(), name='Feed').plaintext}"}


def post_register(client, auth, **body):
    payload = {"provision_id": None, "date": "2026-11-10", "session": "AM", "marks": [], **body}
    return client.post(REGISTERS, payload, content_type="application/json", **auth)


@pytest.fixture
def p1(area):
    return bearer(area.p1_staff)


def test_without_a_token_the_api_answers_401(client, area):
    assert client.get(marks_url(area.robin)).status_code == 401
    assert post_register(client, {}, provision_id=area.horizons.pk).status_code == 401
    assert client.get(REGISTERS + f"?provision_id={area.horizons.pk}&date=2026-11-10&session=AM").status_code == 401


def test_a_provider_records_a_register_with_its_token(client, area, p1):
    response = post_register(
        client,
        p1,
        provision_id=area.horizons.pk,
        marks=[{"placement_id": area.robin.pk, "code": "/"}, {"placement_id": area.sam.pk, "code": "N", "note": ""}],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "provision_id": area.horizons.pk,
        "date": "2026-11-10",
        "session": "AM",
        "created": 2,
        "changed": 0,
        "unchanged": 0,
        "alerts": 1,
    }
    assert AttendanceMark.objects.count() == 2
    assert len(mail.outbox) == 1  # Sam's commissioning school is also his home school: one message


def test_a_bad_mark_is_a_400_naming_it_and_nothing_is_saved(client, area, p1):
    response = post_register(
        client,
        p1,
        provision_id=area.horizons.pk,
        marks=[{"placement_id": area.robin.pk, "code": "/"}, {"placement_id": area.sam.pk, "code": "Q9"}],
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "marks.1", "message": "'Q9' is not a DfE attendance code"}]
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2026-11-07"}, "date"),
        ({"date": "2026-11-11"}, "date"),
        ({"date": "10/11/2026"}, "date"),
        ({"session": "EVE"}, "session"),
        ({"marks": []}, "marks"),
    ],
)
def test_bad_dates_sessions_and_empty_registers_are_400s_naming_the_field(client, area, p1, change, field):
    body = {"provision_id": area.horizons.pk, "marks": [{"placement_id": area.robin.pk, "code": "/"}], **change}
    response = post_register(client, p1, **body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not AttendanceMark.objects.exists()


def test_the_same_placement_twice_is_a_400(client, area, p1):
    marks = [{"placement_id": area.robin.pk, "code": "/"}, {"placement_id": area.robin.pk, "code": "N"}]
    response = post_register(client, p1, provision_id=area.horizons.pk, marks=marks)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "marks.1.placement_id", "message": "repeats marks.0"}]


def test_provider_p1_cannot_mark_or_read_provider_p2s_pupils(client, area, p1):
    AttendanceMark.objects.create(placement=area.yusuf, date=datetime.date(2026, 11, 9), session="AM", code="/")
    response = post_register(
        client, p1, provision_id=area.yarrow.pk, marks=[{"placement_id": area.yusuf.pk, "code": "N"}]
    )
    assert response.status_code == 404
    smuggled = post_register(
        client, p1, provision_id=area.horizons.pk, marks=[{"placement_id": area.yusuf.pk, "code": "N"}]
    )
    assert smuggled.status_code == 400
    assert client.get(marks_url(area.yusuf), **p1).status_code == 404
    read = client.get(REGISTERS + f"?provision_id={area.yarrow.pk}&date=2026-11-09&session=AM", **p1)
    assert read.status_code == 404 and "Yewdale" not in read.content.decode()
    assert AttendanceMark.objects.get().code == "/"


def la_admin(area):
    return member(Role.LA_ADMIN, area.la)


def test_only_provider_staff_record_registers(client, area):
    response = post_register(
        client,
        bearer(la_admin(area)),
        provision_id=area.horizons.pk,
        marks=[{"placement_id": area.robin.pk, "code": "/"}],
    )
    assert response.status_code == 403


def test_the_marks_of_a_placement_are_read_by_whoever_may_see_it(client, area, p1):
    AttendanceMark.objects.create(placement=area.robin, date=datetime.date(2026, 11, 9), session="AM", code="/")
    AttendanceMark.objects.create(placement=area.robin, date=datetime.date(2026, 11, 9), session="PM", code="N")
    for auth in (p1, bearer(la_admin(area))):
        body = client.get(marks_url(area.robin), **auth).json()
        assert body["summary"] == {"possible": 2, "present": 1, "authorised": 0, "unauthorised": 1, "rate": "50.0"}
        assert [(mark["session"], mark["code"], mark["category"]) for mark in body["marks"]] == [
            ("PM", "N", "unauthorised"),
            ("AM", "/", "present"),
        ]
    logged = AccessLogEntry.objects.filter(verb="view", object_type="placements.Placement")
    assert set(logged.values_list("object_id", flat=True)) == {str(area.robin.pk)}
    client.force_login(area.home_school_staff)  # a signed-in session works too
    assert client.get(marks_url(area.robin)).status_code == 200
    assert client.get(marks_url(area.robin), **bearer(area.p2_staff)).status_code == 404


def test_a_register_is_read_back(client, area, p1):
    AttendanceMark.objects.create(placement=area.robin, date=datetime.date(2026, 11, 10), session="AM", code="L")
    body = client.get(REGISTERS + f"?provision_id={area.horizons.pk}&date=2026-11-10&session=AM", **p1).json()
    assert [(mark["placement_id"], mark["code"]) for mark in body["marks"]] == [(area.robin.pk, "L")]


def test_the_attendance_api_is_in_the_openapi_document(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get"} <= set(paths["/api/attendance/placements/{placement_id}/marks"])
    assert {"get", "post"} <= set(paths["/api/attendance/registers"])
    post = paths["/api/attendance/registers"]["post"]
    assert {"200", "400", "403", "404"} <= set(post["responses"])


def test_a_wrong_method_is_a_json_405(client, area, p1):
    response = client.post(marks_url(area.robin), **p1)
    assert response.status_code == 405 and response.json() == {"detail": "Use GET here"}
