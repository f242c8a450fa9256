"""A register's date has one rule for weekends and days to come (placements.attendance.services.not_a_register_day):
the register page, the API and the attendance file say the same sentence, naming the day."""

import html

import pytest
from django.urls import reverse

from aphub.exchange.services import ImportRejected
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.models import AttendanceMark

from .test_api import bearer, post_register

SAID = {
    "2026-11-07": "Saturday 7 November 2026 is a weekend day; registers are taken on school days",
    "2026-11-11": "Wednesday 11 November 2026 is in the future; registers are taken on days that have happened",
}


@pytest.mark.parametrize("day", sorted(SAID))
def test_the_register_page_the_api_and_the_file_refuse_the_day_in_the_same_words(client, area, day):
    client.force_login(area.p1_staff)
    page = client.get(
        reverse("placements:attendance-register") + f"?provision={area.horizons.pk}&date={day}&session=AM"
    )
    assert page.status_code == 400
    assert page.context["chooser"].errors["date"] == [SAID[day]]
    assert SAID[day] in html.unescape(page.content.decode())

    client.logout()
    api = post_register(
        client,
        bearer(area.p1_staff),
        provision_id=area.horizons.pk,
        date=day,
        marks=[{"placement_id": area.robin.pk, "code": "/"}],
    )
    assert api.status_code == 400, api.content
    assert {"field": "date", "message": SAID[day]} in [
        {"field": error["field"], "message": error["message"]} for error in api.json()["errors"]
    ]

    upload = f"upn,date,session,code,note\n{area.robin.pupil.upn},{day},AM,/,\n".encode()
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(user=area.p1_staff, provider=area.provider_p1, source=upload)
    assert [problem.message for problem in rejected.value.problems] == [SAID[day]]
    assert not AttendanceMark.objects.exists()
