"""School staff on the register and upload pages (issue 12): school B (side Y) takes the registers of the AP it
recorded at providers with no users in AP Hub; school A (side X), which recorded none, sees a page that says so and
never reads or writes school B's marks, nor does another school of LA Y that recorded AP at the same provider.

The URL list's own walks cover these pages too (test_roles: every other role gets 403; test_empty_forms: as school
B, which has no registers in the shared world); here school B has registers, so their forms are walked empty too.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.placements.models import AttendanceMark, Placement
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file
from tests.factories import SchoolFactory, make_upn, member
from tests.fuzz.hostile import forms_of

from .test_empty_forms import empty_answer, summary_problems, walk_empty_forms
from .urls_under_test import all_urls

pytestmark = pytest.mark.django_db
WORLD_OBJECTS_PER_TEST = True

REGISTER = reverse("placements:attendance-register")
UPLOAD = reverse("placements:attendance-upload")
RECORD_API = reverse("api:record_attendance_register")
TUESDAY = datetime.date(2026, 11, 10)


def recorded_by(user, *rows: str) -> list[Placement]:
    import_file(user=user, content=("\n".join([",".join(COLUMNS), *rows]) + "\n").encode())
    return list(Placement.objects.filter(recorded_by_school=True, commissioning_school__memberships__user=user))


@pytest.fixture
def yara(world) -> Placement:
    """School B's pupil Yara at a PRU outside AP Hub (by URN), from last Monday, and a tutor it named no one for."""
    code = world.la_y.la_code
    monday = "2026-11-02"
    placements = recorded_by(
        world.school_b_staff,
        f"{make_upn(code, 801)},Yardley,Yara,2012-03-14,148888,,,BEH,{monday},,6,PT,15,300",
        f"{make_upn(code, 802)},Yates,Yves,2012-04-14,,,OOT,MHN,{monday},,2,PT,4,120",
    )
    return next(placement for placement in placements if placement.pupil.first_name == "Yara")


@pytest.fixture(autouse=True)
def a_school_day():
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_school_b_takes_its_register_and_school_a_sees_it_has_none(client, world, yara):
    client.force_login(world.school_b_staff)
    own = client.get(REGISTER + f"?provision={yara.provision_id}&date=2026-11-10&session=AM")
    assert own.status_code == 200 and "Yara Yardley" in own.content.decode()

    client.force_login(world.actors[Role.SCHOOL_STAFF])
    for path in (REGISTER, REGISTER + f"?provision={yara.provision_id}&date=2026-11-10&session=AM", UPLOAD):
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 200
        assert "Your school has no registers to take at the moment" in page
        assert "Yara" not in page and yara.provision.name not in page


def test_school_a_never_writes_school_bs_marks(client, world, yara):
    client.force_login(world.actors[Role.SCHOOL_STAFF])
    query = f"?provision={yara.provision_id}&date=2026-11-10&session=AM"
    client.post(REGISTER + query, {f"mark_{yara.pk}": "N"})
    client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("a.csv", f"upn,date,session,code\n{yara.pupil.upn},2026-11-10,AM,N\n".encode())},
    )
    api = client.post(
        RECORD_API,
        {
            "provision_id": yara.provision_id,
            "date": "2026-11-10",
            "session": "AM",
            "marks": [{"placement_id": yara.pk, "code": "N"}],
        },
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not AttendanceMark.objects.exists()


def test_another_school_at_the_same_provider_sees_and_writes_only_its_own_pupils(client, world, yara):
    school_c = SchoolFactory(name="Cedar Park School", local_authority=world.la_y)
    staff_c = member(Role.SCHOOL_STAFF, school_c)
    (zak,) = recorded_by(
        staff_c, f"{make_upn(world.la_y.la_code, 803)},Zeller,Zak,2012-05-14,148888,,,BEH,2026-11-02,,6,PT,15,300"
    )
    assert zak.provision == yara.provision
    client.force_login(world.school_b_staff)
    client.post(REGISTER + f"?provision={yara.provision_id}&date=2026-11-10&session=AM", {f"mark_{yara.pk}": "/"})

    client.force_login(staff_c)
    query = f"?provision={zak.provision_id}&date=2026-11-10&session=AM"
    page = client.get(REGISTER + query).content.decode()
    assert "Zak Zeller" in page and "Yara" not in page
    client.post(REGISTER + query, {f"mark_{zak.pk}": "/", f"mark_{yara.pk}": "N"})
    client.post(
        UPLOAD,
        {"file": SimpleUploadedFile("c.csv", f"upn,date,session,code\n{yara.pupil.upn},2026-11-09,AM,N\n".encode())},
    )
    marks = client.get(reverse("placements:attendance-placement", kwargs={"pk": yara.pk}))
    assert marks.status_code == 404

    assert sorted(AttendanceMark.objects.values_list("placement_id", "date", "code")) == sorted(
        [(yara.pk, TUESDAY, "/"), (zak.pk, TUESDAY, "/")]
    )


def test_school_bs_upload_form_sent_empty_shows_every_error_at_once(client, world, yara):
    url = next(url for url in all_urls() if url.name == "placements:attendance-upload")
    failures, posted = walk_empty_forms(client, world, url, (Role.SCHOOL_STAFF,))
    assert posted == 1
    assert failures == [], "\n".join(failures)


def test_school_bs_register_sent_empty_shows_its_error_in_the_summary(client, world, yara):
    """The register page's own form is reached with its query (the URL walk opens only the chooser)."""
    client.force_login(world.school_b_staff)
    path = REGISTER + f"?provision={yara.provision_id}&date=2026-11-10&session=AM"
    forms = forms_of(client.get(path).content.decode())
    (form,) = [form for form in forms if form.method == "post" and (form.action or "").startswith(REGISTER)]
    answer = client.post(form.action, empty_answer(form))
    assert answer.status_code == 400
    assert summary_problems(answer.content.decode()) == []
    assert "Choose a mark for at least one pupil" in answer.content.decode()
