"""Issue 12: a school takes the register of the AP it recorded itself at a provider with no users in AP Hub, and only
of that: a provider that uses AP Hub takes its own, and another school's pupils at the same provider are not the
school's to mark. Time is frozen on Tuesday 10 November 2026 (conftest.py).

Birchwood High School (the area's commissioning school) records, by census file:
- Kit at the Riverside Pupil Referral Unit (URN 141234), a provider AP Hub does not hold: no users;
- Lee at provider P2 (by its UKPRN), whose staff use AP Hub.
Ashgrove Academy (the home school) records Mo at the same Riverside PRU.
"""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import NotPermitted
from aphub.exchange.services import ImportRejected
from aphub.organisations.models import Membership, Role, User
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.attendance.services import RegisterRejected, record_register
from aphub.placements.models import AttendanceMark, Placement
from aphub.placements.permissions import can_take_register_of, can_take_registers, registers_taken_by
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file
from tests.factories import make_upn, member

from .conftest import MONDAY, START, TODAY

REGISTER = reverse("placements:attendance-register")
UPLOAD = reverse("placements:attendance-upload")


def census(*rows: str) -> bytes:
    return ("\n".join([",".join(COLUMNS), *rows]) + "\n").encode()


@pytest.fixture
def recorded(area):
    """Kit and Lee recorded by Birchwood, Mo by Ashgrove; returns the three placements by first name."""
    area.provider_p2.ukprn = "10012345"
    area.provider_p2.save(update_fields=["ukprn"])
    code = area.la.la_code
    kit, lee, mo = make_upn(code, 701), make_upn(code, 702), make_upn(code, 703)
    import_file(
        user=area.commissioning_school_staff,
        content=census(
            f"{kit},Kerr,Kit,2012-03-14,141234,,,BEH,{START},,6,PT,15,300",
            f"{lee},Lamb,Lee,2012-04-01,,10012345,,MHN,{START},,4,PT,10,200",
        ),
    )
    import_file(
        user=area.home_school_staff, content=census(f"{mo},Moss,Mo,2012-05-05,141234,,,BEH,{START},,6,PT,15,300")
    )
    by_name = {p.pupil.first_name: p for p in Placement.objects.filter(recorded_by_school=True).select_related("pupil")}
    assert by_name["Kit"].provision == by_name["Mo"].provision  # one record of the PRU, shared by both schools
    return by_name


def test_the_school_takes_the_register_of_its_recorded_placement_at_a_provider_without_users(client, area, recorded):
    kit = recorded["Kit"]
    client.force_login(area.commissioning_school_staff)

    page = client.get(REGISTER).content.decode()

    # Its only register is chosen for it: today's, at the PRU, with Kit alone on it (not Lee: P2 takes that one).
    assert "Kit Kerr" in page and "Lee" not in page and "Mo Moss" not in page
    assert kit.provision.name in page
    assert "These are the registers of alternative provision your school recorded" in page

    query = f"?provision={kit.provision_id}&date={TODAY}&session=AM"
    saved = client.post(REGISTER + query, {f"mark_{kit.pk}": "/"}, follow=True)

    assert "Register saved for the morning of Tuesday 10 November 2026: 1 new mark, 0 changed." in (
        saved.content.decode()
    )
    mark = AttendanceMark.objects.get()
    assert (mark.placement, mark.code, mark.recorded_by) == (kit, "/", area.commissioning_school_staff)
    assert AccessLogEntry.objects.filter(verb="create", object_type="placements.AttendanceMark").count() == 1


def test_the_school_cannot_take_a_register_at_a_provider_with_users(client, area, recorded):
    lee = recorded["Lee"]
    membership = area.commissioning_school_staff.memberships.get()
    assert not can_take_registers(membership, lee.provision.provider_id)
    assert not can_take_register_of(membership, lee)

    with pytest.raises(NotPermitted, match="Only the provider's staff can take this provision's register"):
        record_register(
            user=area.commissioning_school_staff,
            provision=lee.provision,
            date=TODAY,
            session="AM",
            marks={lee.pk: ("/", "")},
        )
    client.force_login(area.commissioning_school_staff)
    assert client.get(REGISTER + f"?provision={lee.provision_id}").status_code == 404
    # P2's staff take it, as any register of theirs.
    saved = record_register(
        user=area.p2_staff, provision=lee.provision, date=TODAY, session="AM", marks={lee.pk: ("/", "")}
    )
    assert saved.created == 1


def test_once_the_provider_uses_ap_hub_its_staff_take_the_register_and_the_school_no_longer_does(area, recorded):
    kit = recorded["Kit"]
    school = area.commissioning_school_staff.memberships.get()
    assert can_take_register_of(school, kit)

    prus_staff = member(Role.PROVIDER_STAFF, kit.provision.provider)

    assert not can_take_register_of(school, kit)
    assert can_take_register_of(prus_staff.memberships.get(), kit)
    # A provider whose only user has left (deactivated) has nobody to take it: the school does again.
    User.objects.filter(pk=prus_staff.pk).update(is_active=False)
    assert can_take_register_of(school, kit)


def test_the_school_cannot_mark_another_schools_recorded_placement_at_the_same_provider(client, area, recorded):
    kit, mo = recorded["Kit"], recorded["Mo"]
    birchwood = area.commissioning_school_staff

    assert not can_take_register_of(birchwood.memberships.get(), mo)
    with pytest.raises(RegisterRejected) as refused:
        record_register(user=birchwood, provision=kit.provision, date=TODAY, session="AM", marks={mo.pk: ("N", "")})
    assert refused.value.problems == {mo.pk: "This pupil has no active placement at this provision"}

    # Smuggled into the page's form, Mo's mark is not a field of Birchwood's register and is never saved.
    client.force_login(birchwood)
    query = f"?provision={kit.provision_id}&date={TODAY}&session=AM"
    client.post(REGISTER + query, {f"mark_{kit.pk}": "/", f"mark_{mo.pk}": "N"})
    assert list(AttendanceMark.objects.values_list("placement_id", flat=True)) == [kit.pk]
    # Ashgrove's register of the same PRU lists Mo alone, and never shows Birchwood's mark of Kit.
    client.force_login(area.home_school_staff)
    page = client.get(REGISTER + query).content.decode()
    assert "Mo Moss" in page and "Kit" not in page


def test_the_permission_and_the_list_it_filters_agree(area, recorded):
    """`registers_taken_by` is `can_take_register_of` for many placements at once: the same answer, every member."""
    everyone = [area.officer, area.home_school_staff, area.commissioning_school_staff, area.p1_staff, area.p2_staff]
    for user in everyone:
        membership = user.memberships.get()
        listed = set(registers_taken_by(membership, Placement.objects.all()))
        asked = {placement for placement in Placement.objects.all() if can_take_register_of(membership, placement)}
        assert listed == asked, user


def test_the_school_uploads_the_return_its_provider_sent(client, area, recorded):
    kit, mo = recorded["Kit"], recorded["Mo"]
    client.force_login(area.commissioning_school_staff)
    page = client.get(UPLOAD).content.decode()
    assert f"Send the marks a provider gave you for the pupils your school placed at {kit.provision.name}." in page

    content = f"upn,date,session,code\n{kit.pupil.upn},{MONDAY},AM,/\n{kit.pupil.upn},{MONDAY},PM,N\n".encode()
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("riverside.csv", content)}, follow=True)

    assert "Attendance file imported: 2 marks for 1 pupil (2 new, 0 changed, 0 unchanged)." in (
        response.content.decode()
    )
    assert sorted(AttendanceMark.objects.filter(placement=kit).values_list("session", "code")) == [
        ("AM", "/"),
        ("PM", "N"),
    ]

    # Another school's pupil in the file: refused, naming the line, and nothing written.
    with pytest.raises(ImportRejected) as refused:
        import_attendance(
            user=area.commissioning_school_staff,
            provider=kit.provision.provider,
            provision=kit.provision,
            source=f"upn,date,session,code\n{mo.pupil.upn},{TODAY},AM,/\n",
        )
    assert str(refused.value.problems[0]) == (
        f"Row 2: The pupil with UPN {mo.pupil.upn} has no placement your school recorded at {kit.provision.name}"
    )
    assert not AttendanceMark.objects.filter(placement=mo).exists()
    # A return for a provider with users is its own staff's to send.
    with pytest.raises(NotPermitted):
        import_attendance(
            user=area.commissioning_school_staff,
            provider=area.provider_p2,
            source=f"upn,date,session,code\n{recorded['Lee'].pupil.upn},{TODAY},AM,/\n",
        )


def test_a_school_with_several_providers_chooses_whose_return_it_uploads(client, area, recorded):
    code = area.la.la_code
    import_file(
        user=area.commissioning_school_staff,
        content=census(f"{make_upn(code, 704)},Nash,Ned,2012-06-06,,,OOT,MHN,{START},,2,PT,4,120"),
    )
    client.force_login(area.commissioning_school_staff)
    assert "Which provision is the file from?" in client.get(UPLOAD).content.decode()

    content = f"upn,date,session,code\n{recorded['Kit'].pupil.upn},{TODAY},AM,/\n".encode()
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("return.csv", content)})
    assert response.status_code == 400
    assert "Choose the provision" in response.content.decode()


def test_an_absence_at_a_provider_without_users_alerts_the_school(area, recorded):
    kit = recorded["Kit"]
    other_staff = member(Role.SCHOOL_STAFF, area.commissioning_school)

    saved = record_register(
        user=area.commissioning_school_staff,
        provision=kit.provision,
        date=TODAY,
        session="AM",
        marks={kit.pk: ("N", "")},
    )

    # The school is the one told (its staff: the commissioner, and Kit's school): not the LA, and no provider user.
    told = sorted(address for message in mail.outbox for address in message.to)
    assert saved.alerts == 2
    assert told == sorted([area.commissioning_school_staff.email, other_staff.email])
    assert {message.subject for message in mail.outbox} == {f"Absent, no reason yet: Kit K. at {kit.provision.name}"}
    assert not Membership.objects.filter(provider=kit.provision.provider).exists()
    assert kit.absence_alerts.get().kind == "no-reason"


def test_the_marks_count_in_the_rates_and_on_the_placement_page_as_any_others(client, area, recorded):
    kit = recorded["Kit"]
    school = area.commissioning_school_staff
    record_register(user=school, provision=kit.provision, date=MONDAY, session="AM", marks={kit.pk: ("/", "")})
    record_register(user=school, provision=kit.provision, date=MONDAY, session="PM", marks={kit.pk: ("O", "")})

    client.force_login(school)
    page = client.get(reverse("placements:attendance-placement", kwargs={"pk": kit.pk})).content.decode()
    assert "50.0%" in page
    assert "Take or change a register" in page
    # The LA reads them on its rates page as any provider's.
    client.force_login(area.officer)
    rates = client.get(reverse("placements:attendance-rates") + f"?provision={kit.provision_id}").content.decode()
    assert "Kit Kerr" in rates and "50.0%" in rates
    page = client.get(reverse("placements:attendance-placement", kwargs={"pk": kit.pk})).content.decode()
    assert "Take or change a register" not in page


def test_the_school_enters_the_last_weeks_of_a_placement_that_has_ended(area, recorded):
    """The provider's attendance reaches the school after the fact: a placement whose leaving date has passed is
    still on the register of the days it ran, and not of the days after."""
    kit = recorded["Kit"]
    Placement.objects.filter(pk=kit.pk).update(status=Placement.Status.ENDED, end_date=MONDAY)
    school = area.commissioning_school_staff

    saved = record_register(user=school, provision=kit.provision, date=MONDAY, session="PM", marks={kit.pk: ("/", "")})
    assert saved.created == 1
    with pytest.raises(RegisterRejected, match="The placement ended on Monday 9 November 2026"):
        record_register(user=school, provision=kit.provision, date=TODAY, session="AM", marks={kit.pk: ("/", "")})
    # A provider's own ended placement stays closed to its register, as before.
    Placement.objects.filter(pk=recorded["Lee"].pk).update(status=Placement.Status.ENDED, end_date=MONDAY)
    with pytest.raises(RegisterRejected, match="no active placement"):
        record_register(
            user=area.p2_staff,
            provision=recorded["Lee"].provision,
            date=MONDAY,
            session="AM",
            marks={recorded["Lee"].pk: ("/", "")},
        )


def test_the_school_register_leaves_out_a_placement_that_ended_over_a_month_ago(client, area, recorded):
    kit = recorded["Kit"]
    Placement.objects.filter(pk=kit.pk).update(
        status=Placement.Status.ENDED,
        start_date=datetime.date(2026, 9, 7),
        end_date=TODAY - datetime.timedelta(days=29),
    )
    client.force_login(area.commissioning_school_staff)
    assert "Your school has no registers to take at the moment." in client.get(REGISTER).content.decode()


def test_signed_in_the_school_records_the_register_through_the_api_too(client, area, recorded):
    kit, mo = recorded["Kit"], recorded["Mo"]
    client.force_login(area.commissioning_school_staff)
    url = reverse("api:record_attendance_register")
    body = {"provision_id": kit.provision_id, "date": str(TODAY), "session": "PM", "marks": []}

    saved = client.post(
        url, {**body, "marks": [{"placement_id": kit.pk, "code": "\\"}]}, content_type="application/json"
    )
    smuggled = client.post(
        url, {**body, "marks": [{"placement_id": mo.pk, "code": "N"}]}, content_type="application/json"
    )
    elsewhere = client.post(
        url,
        {
            **body,
            "provision_id": recorded["Lee"].provision_id,
            "marks": [{"placement_id": recorded["Lee"].pk, "code": "N"}],
        },
        content_type="application/json",
    )

    assert saved.status_code == 200 and saved.json()["created"] == 1
    assert smuggled.status_code == 400
    assert elsewhere.status_code == 404
    assert list(AttendanceMark.objects.values_list("placement_id", "code")) == [(kit.pk, "\\")]


def test_the_schools_home_page_counts_the_registers_it_has_not_taken_today(client, area, recorded):
    client.force_login(area.commissioning_school_staff)
    home = reverse("organisations:home")

    page = client.get(home).content.decode()
    assert 'data-count="registers-not-taken">2<' in page  # the PRU's morning and afternoon, for Kit
    assert f"provision={recorded['Kit'].provision_id}" in page

    for session in ("AM", "PM"):
        record_register(
            user=area.commissioning_school_staff, provision=recorded["Kit"].provision, date=TODAY, session=session,
            marks={recorded["Kit"].pk: ("/" if session == "AM" else "\\", "")},
        )  # fmt: skip
    assert "registers-not-taken" not in client.get(home).content.decode()
