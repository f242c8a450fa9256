"""An LA officer puts a child on a school's roll from the child's page; the school then sees the child."""

import datetime

from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.pupils.models import Enrolment, Pupil
from aphub.pupils.services import record_pupil
from tests.factories import LocalAuthorityFactory, SchoolFactory, make_upn

D = datetime.date
BASICS = {"first_name": "Fern", "last_name": "Fairley", "date_of_birth": D(2012, 5, 1), "sex": "F"}


def form(school, *, day="9", month="11", year="2026", registration="C"):
    return {"school": school.pk if school else "", "start_date_0": day, "start_date_1": month, "start_date_2": year,
            "registration": registration}  # fmt: skip


def test_an_officer_enrols_a_child_and_the_school_then_sees_them(client, town):
    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 501), **BASICS)
    assert not Pupil.objects.visible_to(town.school_a_staff).filter(pk=pupil.pk).exists()
    client.force_login(town.officer)
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    assert reverse("pupils:enrol", kwargs={"pk": pupil.pk}) in timeline
    response = client.post(reverse("pupils:enrol", kwargs={"pk": pupil.pk}), form(town.school_a))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(pupil=pupil)
    assert (enrolment.school, enrolment.start_date, enrolment.registration) == (town.school_a, D(2026, 11, 9), "C")
    assert Pupil.objects.visible_to(town.school_a_staff).filter(pk=pupil.pk).exists()
    assert AccessLogEntry.objects.filter(object_id=str(pupil.pk), verb="change", user_id=town.officer.pk).exists()


def test_bad_input_is_named_and_enrols_nobody(client, town):
    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 502), **BASICS)
    client.force_login(town.officer)
    url = reverse("pupils:enrol", kwargs={"pk": pupil.pk})
    page = client.post(url, form(None, day="31", month="2"))
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text and "Choose the school" in text and "must be a real date" in text
    too_early = client.post(url, form(town.school_a, year="2010")).content.decode()
    assert "cannot start before the pupil was born" in too_early
    client.post(url, form(town.school_a))
    again = client.post(url, form(town.school_a)).content.decode()
    assert "Fern Fairley is already on the roll of" in again
    assert Enrolment.objects.filter(pupil=pupil).count() == 1


def test_only_la_officers_enrol_and_only_at_their_own_las_schools(client, town):
    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 503), **BASICS)
    url = reverse("pupils:enrol", kwargs={"pk": pupil.pk})
    for outsider in (town.school_a_staff, town.p1_staff, town.auditor):
        client.force_login(outsider)
        assert client.get(url).status_code == 403
    client.force_login(town.officer)
    other_la_school = SchoolFactory(local_authority=LocalAuthorityFactory())
    response = client.post(url, form(other_la_school))
    assert "Choose a school from the list" in response.content.decode()
    assert not Enrolment.objects.filter(pupil=pupil).exists()
