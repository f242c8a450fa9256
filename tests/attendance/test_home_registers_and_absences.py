"""A provider's home page lists today's registers not yet taken; the Absences page shows today's absences and last
week's alerts to the LA and the child's school, and logs the read."""

import datetime

from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements.attendance.services import record_register
from tests.organisations.home_lists import LIST_COUNTERS, home_counts

from .conftest import TODAY

HOME = reverse("organisations:home")
ABSENCES = reverse("placements:absences")


def take(area, session, marks, day=TODAY):
    record_register(user=area.p1_staff, provision=area.horizons, date=day, session=session, marks=marks)


def registers_on_home(client, user) -> tuple[str, list[str]]:
    client.force_login(user)
    page = client.get(HOME).content.decode()
    marker = 'data-count="registers-not-taken">'
    count = page.split(marker)[1].split("<")[0] if marker in page else "0"
    centres = ("Horizons Centre, ", "Yarrow Bridge Centre, ")
    return count, [line for line in page.splitlines() if any(centre in line for centre in centres)]


def test_a_register_leaves_the_home_page_once_every_pupil_on_it_is_marked(client, area):
    count, links = registers_on_home(client, area.p1_staff)
    assert count == "2" and len(links) == 2  # Horizons Centre, morning and afternoon
    assert "session=AM" in links[0] and f"date={TODAY.isoformat()}" in links[0]
    take(area, "AM", {area.robin.pk: ("/", "")})
    count, links = registers_on_home(client, area.p1_staff)
    assert count == "2"  # Sam is not marked yet this morning
    take(area, "AM", {area.sam.pk: ("/", "")})
    count, links = registers_on_home(client, area.p1_staff)
    assert count == "1" and "afternoon" in links[0]


def test_another_providers_registers_are_not_listed(client, area):
    count, links = registers_on_home(client, area.p2_staff)
    assert count == "2" and all("Yarrow Bridge Centre" in link for link in links)


def test_no_register_is_due_at_the_weekend(client, area, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 14, 10, 0, tzinfo=datetime.UTC), tick=False)
    count, links = registers_on_home(client, area.p1_staff)
    assert count == "0" and links == [] and "Every register of today is taken." in client.get(HOME).content.decode()


def test_absences_today_are_counted_on_the_schools_home_page_and_listed(client, area):
    take(area, "AM", {area.robin.pk: ("O", ""), area.sam.pk: ("/", "")})
    client.force_login(area.home_school_staff)
    count, url = home_counts(client.get(HOME).content.decode())["absent-today"]
    assert count == 1 and url == ABSENCES + "#today"
    page = client.get(ABSENCES).content.decode()
    assert LIST_COUNTERS["absent-today"](page) == 1 and "Robin Hartley" in page and "Sam Okafor" not in page
    logged = AccessLogEntry.objects.filter(user_id=area.home_school_staff.pk, path=ABSENCES)
    assert [entry.listed_pupil_ids for entry in logged] == [[area.robin.pupil_id]]  # area.robin is his placement


def test_the_las_home_page_counts_last_weeks_absence_alerts(client, area):
    take(area, "AM", {area.robin.pk: ("N", "")}, day=TODAY - datetime.timedelta(days=1))  # an N mark alerts
    client.force_login(area.officer)
    count, url = home_counts(client.get(HOME).content.decode())["absence-alerts"]
    assert count == 1 and url == ABSENCES + "#alerts"
    assert LIST_COUNTERS["absence-alerts"](client.get(ABSENCES).content.decode()) == 1


def test_providers_do_not_open_the_absences_page(client, area):
    client.force_login(area.p1_staff)
    assert client.get(ABSENCES).status_code == 403


def test_recent_alerts_are_today_and_the_six_days_before(client, area):
    from aphub.placements.models import AbsenceAlert

    for days_ago in (6, 7):
        AbsenceAlert.objects.create(
            placement=area.robin, kind="run", date=TODAY - datetime.timedelta(days=days_ago), session="AM"
        )
    client.force_login(area.officer)
    assert home_counts(client.get(HOME).content.decode())["absence-alerts"][0] == 1
