import pytest
from django.urls import reverse

from aphub.audit.services import log_access
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

URL = reverse("audit:access-log")


@pytest.fixture
def two_las():
    la_x = LocalAuthorityFactory(name="Xenbury Borough Council")
    la_y = LocalAuthorityFactory(name="Yarrowdale City Council")
    school_x = SchoolFactory(local_authority=la_x)
    school_y = SchoolFactory(local_authority=la_y)
    x_reader = member(Role.SCHOOL_STAFF, school_x)
    y_reader = member(Role.LA_OFFICER, la_y)
    log_access(user=x_reader, obj=school_x, verb="view")
    log_access(user=y_reader, obj=school_y, verb="change")
    return la_x, la_y, school_x, school_y, x_reader, y_reader


@pytest.mark.parametrize("role", [Role.LA_ADMIN, Role.AUDITOR])
def test_la_admins_and_auditors_see_their_las_entries_only(client, two_las, role):
    la_x, _, _, _, x_reader, y_reader = two_las
    client.force_login(member(role, la_x))
    body = client.get(URL).content.decode()
    assert x_reader.email in body
    assert y_reader.email not in body


@pytest.mark.parametrize("role", [Role.LA_OFFICER])
def test_other_la_roles_cannot_open_the_log(client, two_las, role):
    client.force_login(member(role, two_las[0]))
    assert client.get(URL).status_code == 403


def test_filter_by_record(client, two_las):
    la_x, _, school_x, _, x_reader, _ = two_las
    other_school = SchoolFactory(local_authority=la_x)
    log_access(user=x_reader, obj=other_school, verb="export")
    client.force_login(member(Role.LA_ADMIN, la_x))
    body = client.get(URL, {"object_type": "organisations.School", "object_id": str(other_school.pk)}).content.decode()
    assert "Export" in body
    assert ">View<" not in body


def test_the_log_is_paginated(client, two_las):
    la_x, _, school_x, _, x_reader, _ = two_las
    for _ in range(55):
        log_access(user=x_reader, obj=school_x, verb="view")
    client.force_login(member(Role.LA_ADMIN, la_x))
    first = client.get(URL).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(URL, {"page": 2}).content.decode()
    assert "Page 2 of 2" in second
    assert client.get(URL, {"page": "not-a-number"}).status_code == 200
