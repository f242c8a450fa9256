"""A mark's note has one limit (placements.attendance.services.mark_note): the register page, the API and the
attendance file say the same sentence, naming the pupil, the mark or the row it is about."""

from django.urls import reverse

from aphub.placements.attendance.services import NOTE_MAX_LENGTH
from aphub.placements.models import AttendanceMark

from .test_api import bearer, post_register

TOO_LONG = "x" * (NOTE_MAX_LENGTH + 1)
SAID = f"must be {NOTE_MAX_LENGTH} characters or fewer"


def test_a_note_too_long_gets_the_same_sentence_from_the_register_page_and_the_api(client, area):
    client.force_login(area.p1_staff)
    page = client.post(
        reverse("placements:attendance-register") + f"?provision={area.horizons.pk}&date=2026-11-10&session=AM",
        {f"mark_{area.robin.pk}": "I", f"note_{area.robin.pk}": TOO_LONG, f"mark_{area.sam.pk}": "/"},
    )
    assert page.status_code == 400
    assert f"The note for {area.robin.pupil.full_name} {SAID}" in page.content.decode()

    client.logout()
    api = post_register(
        client,
        bearer(area.p1_staff),
        provision_id=area.horizons.pk,
        marks=[
            {"placement_id": area.sam.pk, "code": "ZZ"},
            {"placement_id": area.robin.pk, "code": "I", "note": TOO_LONG},
        ],
    )
    assert api.status_code == 400, api.content
    errors = {error["field"]: error["message"] for error in api.json()["errors"]}
    assert errors["marks.1"] == f"A note {SAID}"
    assert "marks.0" in errors  # the other mark's problem, in the same answer
    assert not AttendanceMark.objects.exists()
