import datetime

import pytest
from django.urls import reverse

from aphub.core.errors import DomainError, NotPermitted
from aphub.pupils.models import Pupil
from aphub.pupils.services import record_pupil
from tests.factories import make_upn

D = datetime.date
BASICS = {"first_name": "Fern", "last_name": "Fairley", "date_of_birth": D(2012, 5, 1), "sex": "F"}


def test_a_school_records_its_own_pupil_enrolled_there(town):
    pupil = record_pupil(user=town.school_a_staff, upn=make_upn(town.la.la_code, 77), **BASICS)
    assert pupil.local_authority == town.la
    assert pupil.enrolments.get().school == town.school_a
    assert not pupil.upn_is_temporary


def test_a_temporary_upn_is_accepted_and_flagged(town):
    from aphub.core.identifiers import upn_check_letter

    body = f"{town.la.la_code}12345678A"
    pupil = record_pupil(user=town.officer, upn=upn_check_letter(body) + body, **BASICS)
    assert pupil.upn_is_temporary


@pytest.mark.parametrize(
    ("upn", "message"),
    [
        ("A80120001234", "must be 13 characters; this one has 12"),
        ("A000120001234", "3-digit LA number"),
        ("Z801200012345", "check letter should be"),
    ],
)
def test_an_invalid_upn_names_the_problem(town, upn, message):
    with pytest.raises(DomainError, match=message) as error:
        record_pupil(user=town.officer, upn=upn, **BASICS)
    assert error.value.field == "upn"
    assert not Pupil.objects.exists()


def test_the_same_upn_twice_in_one_la_is_refused(town):
    upn = make_upn(town.la.la_code, 5)
    record_pupil(user=town.officer, upn=upn, **BASICS)
    with pytest.raises(DomainError, match="already recorded"):
        record_pupil(user=town.officer, upn=upn, **BASICS)


def test_providers_and_auditors_cannot_record_pupils(town):
    for user in (town.p1_staff, town.auditor):
        with pytest.raises(NotPermitted):
            record_pupil(user=user, upn=make_upn(town.la.la_code, 6), **BASICS)


def test_the_form_shows_each_problem_in_an_error_summary(client, town):
    client.force_login(town.officer)
    response = client.post(
        reverse("pupils:new"),
        {
            "upn": "A80120001234",
            "first_name": "",
            "last_name": "Fairley",
            "date_of_birth_0": "31",
            "date_of_birth_1": "2",
            "date_of_birth_2": "2012",
            "sex": "F",
            "sen_status": "N",
            "safeguarding": "none",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "Enter the pupil&#x27;s first name" in page
    assert "The date of birth must be a real date" in page
    assert not Pupil.objects.exists()


def test_the_form_records_a_pupil_and_shows_their_timeline(client, town):
    client.force_login(town.officer)
    response = client.post(
        reverse("pupils:new"),
        {
            "upn": make_upn(town.la.la_code, 8),
            "first_name": "Fern",
            "last_name": "Fairley",
            "date_of_birth_0": "1",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2012",
            "sex": "F",
            "sen_status": "K",
            "safeguarding": "none",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Fern Fairley is recorded" in response.content.decode()
    assert Pupil.objects.get().sen_status == "K"


def test_a_temporary_upn_is_replaced_by_the_permanent_one(client, town):
    from aphub.core.identifiers import upn_check_letter

    body = f"{town.la.la_code}12345678A"
    pupil = record_pupil(user=town.officer, upn=upn_check_letter(body) + body, **BASICS)
    client.force_login(town.officer)
    page = client.get(reverse("pupils:edit", kwargs={"pk": pupil.pk})).content.decode()
    assert "Replace the temporary UPN" in page
    permanent = make_upn(town.la.la_code, 4321)
    response = client.post(
        reverse("pupils:edit", kwargs={"pk": pupil.pk}),
        {"upn": permanent, "first_name": "Fern", "last_name": "Fairley", "date_of_birth_0": "1",
         "date_of_birth_1": "5", "date_of_birth_2": "2012", "sex": "F", "sen_status": "E", "safeguarding": "cp"},
    )  # fmt: skip
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.upn == permanent and not pupil.upn_is_temporary and pupil.sen_status == "E"


def test_providers_cannot_change_a_pupils_details(client, town):
    pupil = record_pupil(user=town.officer, upn=make_upn(town.la.la_code, 9), **BASICS)
    client.force_login(town.p1_staff)
    assert client.get(reverse("pupils:edit", kwargs={"pk": pupil.pk})).status_code == 403


def test_a_school_cannot_enrol_another_schools_pupil_to_see_them(town):
    from aphub.pupils.services import enrol

    theirs = record_pupil(user=town.school_b_staff, upn=make_upn(town.la.la_code, 31), **BASICS)
    with pytest.raises(NotPermitted):
        enrol(user=town.school_a_staff, pupil=theirs, school=town.school_a, start_date=D(2026, 11, 2))
    assert not theirs.enrolments.filter(school=town.school_a).exists()
