"""Issue 12: the ways a school records the AP it arranged (the page, the file upload, the JSON API, the command) all
reach the one importer; the school's list downloads its census AP module, which reads back through the upload page.
Time is frozen on Tuesday 10 November 2026."""

import datetime
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.organisations.services import issue_api_token
from aphub.placements.models import Placement, PlacementReason, SettingType
from aphub.placements.school_arranged.census import COLUMNS
from aphub.pupils.models import Pupil
from tests.placements.test_school_arranged_import import census_file, good_rows, table_state, upn

pytestmark = pytest.mark.django_db


def summary_links(body: str) -> list[tuple[str, str]]:
    """(href, text) of each link of the page's GOV.UK error summary."""
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    found = re.findall(r'<a href="([^"]*)">(.*?)</a>', summary.group(0), re.S) if summary else []
    return [(href, html.unescape(text).strip()) for href, text in found]


NEW, UPLOAD, LIST = "placements:school-arranged-new", "placements:school-arranged-upload", "placements:school-arranged"


def date_input(name: str, day: datetime.date | None) -> dict:
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def answers(town, **changes) -> dict:
    """A good answer to the record page: a new pupil at a registered school named by its URN."""
    data = {
        "who": "new",
        "upn": upn(town, 7),
        "surname": "Hartley",
        "forename": "Robin",
        **date_input("date_of_birth", datetime.date(2012, 3, 14)),
        "provider_kind": "urn",
        "urn": "141234",
        "reason": PlacementReason.BEHAVIOUR,
        **date_input("entry_date", datetime.date(2026, 11, 2)),
        **date_input("leaving_date", None),
        "sessions_per_week": "3",
        "attendance_pattern": "PT",
        "hours_per_week": "7.5",
        "weekly_cost": "350.00",
        "tier": "2",
    }
    data.update(changes)
    return data


def test_the_record_page_records_one_placement_and_goes_to_the_childs_page(client, town):
    client.force_login(town.school_a_staff)
    assert client.get(reverse(NEW)).status_code == 200

    response = client.post(reverse(NEW), answers(town), follow=True)

    placement = Placement.objects.get()
    assert response.redirect_chain[-1][0] == reverse("placements:pupil", kwargs={"pk": placement.pupil_id})
    assert "is recorded" in response.content.decode()
    assert placement.recorded_by_school and placement.commissioning_school == town.school_a
    assert (placement.provision.provider.urn, placement.start_date) == ("141234", datetime.date(2026, 11, 2))
    assert placement.pupil.enrolments.get().school == town.school_a


def test_the_record_page_takes_a_known_pupil_and_a_directory_provision(client, town):
    child = town.pupil(last_name="Okafor", first_name="Sam", date_of_birth=datetime.date(2011, 6, 2))
    provision = town.provision(name="Horizons Centre")
    client.force_login(town.school_a_staff)
    assert 'value="known" checked' in client.get(reverse(NEW), {"pupil": child.pk}).content.decode()

    data = answers(town, who="known", pupil=str(child.pk), provider_kind="directory", provision=str(provision.pk))
    data["provision_setting_type"] = SettingType.ONE_TO_ONE_TUITION  # its provider has no URN or UKPRN
    response = client.post(reverse(NEW), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    placement = Placement.objects.get()
    assert (placement.pupil, placement.provision, placement.tier) == (child, provision, "2")


def test_the_record_page_shows_every_problem_at_once_and_writes_nothing(client, town):
    client.force_login(town.school_a_staff)
    before = table_state()
    data = answers(
        town,
        upn="A12",  # too short
        provider_kind="setting",
        setting_type="",  # revealed, not answered
        sessions_per_week="11",
        weekly_cost="lots",
        **date_input("entry_date", datetime.date(2026, 11, 7)),  # a Saturday: found by the importer's own checks
        **date_input("leaving_date", datetime.date(2026, 11, 1)),
    )
    data.pop("attendance_pattern")

    response = client.post(reverse(NEW), data)

    assert response.status_code == 400
    links = dict((text, href) for href, text in summary_links(response.content.decode()))
    said = " | ".join(links)
    for expected, anchor in [
        ("UPN must be 13 characters", "#id_upn"),
        ("Choose the type of setting", "#id_setting_type_1"),
        ("is a weekend day", "#id_entry_date_0"),
        ("leaving date must be on or after the entry date", "#id_leaving_date_0"),
        ("sessions", "#id_sessions_per_week"),
        ("Choose full time or part time", "#id_attendance_pattern_1"),
        ("weekly cost", "#id_weekly_cost"),
    ]:
        assert any(expected in text and href == anchor for text, href in links.items()), (expected, said)
    # Each problem is at the question that is shown: the URN's, under another answer, is not asked for.
    assert "#id_urn" not in links.values() and len(links) == 7, said
    assert table_state() == before


def test_the_record_page_sent_empty_asks_for_each_answer_once(client, town):
    client.force_login(town.school_a_staff)

    response = client.post(reverse(NEW), {})

    assert response.status_code == 400
    texts = [text for _href, text in summary_links(response.content.decode())]
    assert "Choose the pupil, or enter their details" in texts
    assert "Choose who provides the placement" in texts
    assert "Enter the entry date" in texts
    assert len(texts) == len(set(texts))
    assert not Placement.objects.exists()


def test_another_schools_pupil_is_not_offered_on_the_record_page(client, town):
    theirs = town.pupil(school=town.school_b, last_name="Zebedee")
    client.force_login(town.school_a_staff)

    page = client.get(reverse(NEW), {"pupil": theirs.pk}).content.decode()

    assert "Zebedee" not in page and 'value="known" checked' not in page


def upload(client, content: bytes, name: str = "census.csv"):
    return client.post(reverse(UPLOAD), {"file": SimpleUploadedFile(name, content)}, follow=True)


def test_a_good_file_uploads_and_says_what_it_recorded(client, town):
    client.force_login(town.school_a_staff)
    page = client.get(reverse(UPLOAD)).content.decode()
    assert ",<wbr>".join(COLUMNS) in page

    response = upload(client, census_file(*good_rows(town)))

    assert response.redirect_chain[-1][0] == reverse(LIST)
    assert "3 placements recorded, 0 updated, 0 unchanged; 3 pupils new to AP Hub" in response.content.decode()
    assert Placement.objects.count() == 3


def test_a_file_with_one_bad_row_names_it_and_records_nothing(client, town):
    client.force_login(town.school_a_staff)
    rows = good_rows(town)
    rows.insert(1, f"{upn(town, 4)},Ng,Ali,2012-05-05,141234,,,BEH,2026-09-07,,3,PT,7.5,a lot")
    before = table_state()

    response = upload(client, census_file(*rows))

    assert response.status_code == 400
    page = response.content.decode()
    assert "1 row of the file has problems, so nothing was imported" in page
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert cells[:2] == ["3", "weekly cost"] and "weekly cost in pounds and pence" in cells[2]
    assert table_state() == before


def test_the_template_is_the_census_header(client, town):
    client.force_login(town.school_a_staff)
    response = client.get(reverse("placements:school-arranged-template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines() == [",".join(COLUMNS) + ",provider_name"]


def test_the_list_shows_the_schools_ap_and_logs_the_read(client, town):
    client.force_login(town.school_a_staff)
    upload(client, census_file(*good_rows(town)))
    client.force_login(town.school_b_staff)
    assert "Hartley" not in client.get(reverse(LIST)).content.decode()

    client.force_login(town.school_a_staff)
    response = client.get(reverse(LIST))

    page = response.content.decode()
    assert all(name in page for name in ("Robin Hartley", "Sam Okafor", "Jo Price"))
    entry = AccessLogEntry.objects.filter(list_name="AP the school arranged").latest("pk")
    assert entry.user_id == town.school_a_staff.pk and entry.pupil_ids.count(",") == 4


def test_the_census_export_for_a_period_downloads_its_rows_and_reads_back_through_the_upload_page(client, town):
    client.force_login(town.school_a_staff)
    upload(client, census_file(*good_rows(town)))
    before = table_state()
    # The autumn collection period to the census day: the college placement ended on 16 October, before it.
    period = {**date_input("first", datetime.date(2026, 10, 19)), **date_input("last", datetime.date(2026, 11, 5))}

    response = client.get(reverse(LIST), {**period, "format": "csv"})

    assert response["Content-Disposition"] == f'attachment; filename="census-ap-{town.school_a.urn}-2026-11-05.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == ",".join(COLUMNS) + ",provider_name"
    assert sorted(line.split(",")[1] for line in lines[1:]) == ["Hartley", "Price"]
    assert AccessLogEntry.objects.filter(verb="export", user_id=town.school_a_staff.pk).count() == 2

    again = upload(client, response.content)
    assert "0 placements recorded, 0 updated, 2 unchanged; 0 pupils new to AP Hub" in again.content.decode()

    xlsx = client.get(reverse(LIST), {**period, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == [*COLUMNS, "provider_name"]
    assert sheet.max_row == 3
    again = upload(client, xlsx.content, name="census.xlsx")
    assert "2 unchanged" in again.content.decode()
    assert table_state() == before


def test_a_census_day_before_the_first_day_is_an_error(client, town):
    client.force_login(town.school_a_staff)
    period = {**date_input("first", datetime.date(2026, 11, 5)), **date_input("last", datetime.date(2026, 10, 1))}
    response = client.get(reverse(LIST), period)
    assert response.status_code == 400
    assert ("#id_last_0", "The census day must be on or after the first day of the collection period") in (
        summary_links(response.content.decode())
    )


API = "/api/school-arranged-placements"


def bearer(user) -> dict:
    token = issue_api_token(membership=user.memberships.get(), name="MIS census").plaintext
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_rows(town) -> list[dict]:
    return [
        {"upn": upn(town, 1), "surname": "Hartley", "forename": "Robin", "date_of_birth": "2012-03-14",
         "urn": 141234, "reason": "BEH", "entry_date": "2026-09-07", "sessions_per_week": 3,
         "attendance_pattern": "PT", "hours_per_week": 7.5, "weekly_cost": "350.00"},
        {"upn": upn(town, 3), "surname": "Price", "forename": "Jo", "date_of_birth": "20/01/2013",
         "setting_type": "OOT", "reason": "Medical condition (mental health need)", "entry_date": "2026-11-02",
         "sessions_per_week": "2", "attendance_pattern": "part time", "hours_per_week": "4", "weekly_cost": 120.5},
    ]  # fmt: skip


def test_the_api_records_a_schools_rows_through_the_one_importer(client, town):
    response = client.post(
        API, {"rows": api_rows(town)}, content_type="application/json", **bearer(town.school_a_staff)
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["recorded"], body["updated"], body["unchanged"], body["pupils_created"]) == (2, 0, 0, 2)
    assert sorted(p["id"] for p in body["placements"]) == sorted(Placement.objects.values_list("pk", flat=True))
    tutor = Placement.objects.get(pupil__upn=upn(town, 3))
    assert tutor.setting_type == SettingType.ONE_TO_ONE_TUITION and str(tutor.annual_cost) == "4579.00"

    again = client.post(API, {"rows": api_rows(town)}, content_type="application/json", **bearer(town.school_a_staff))
    assert again.json()["unchanged"] == 2


def test_the_api_names_every_bad_row_and_field_and_writes_nothing(client, town):
    rows = api_rows(town)
    rows[1]["weekly_cost"] = "free"
    rows[1]["entry_date"] = "2026-11-31"
    before = table_state()

    response = client.post(API, {"rows": rows}, content_type="application/json", **bearer(town.school_a_staff))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["row"], e["index"], e["field"]) for e in errors} == {(2, 1, "weekly_cost"), (2, 1, "entry_date")}
    assert table_state() == before


@pytest.mark.parametrize("who", ["admin", "p1_staff"])
def test_the_api_refuses_anyone_but_a_school(client, town, who):
    response = client.post(API, {"rows": api_rows(town)}, content_type="application/json", **bearer(getattr(town, who)))
    assert response.status_code == 403
    assert not Placement.objects.exists()


def test_the_api_refuses_an_la_officer_signed_in(client, town):
    client.force_login(town.officer)
    response = client.post(API, {"rows": api_rows(town)}, content_type="application/json")
    assert response.status_code == 403


def test_the_command_records_a_file_as_a_member_of_the_schools_staff(tmp_path, capsys, town):
    path = tmp_path / "census.csv"
    path.write_bytes(census_file(*good_rows(town)))

    call_command("import-school-ap", str(path), school=town.school_a.urn, user=town.school_a_staff.email)

    assert "3 placements recorded, 0 updated, 0 unchanged; 3 pupils new to AP Hub" in capsys.readouterr().out
    assert Placement.objects.filter(commissioning_school=town.school_a).count() == 3
    assert Pupil.objects.count() == 3


def test_the_command_lists_every_bad_row_and_records_nothing(tmp_path, capsys, town):
    rows = good_rows(town)
    rows[2] = rows[2].replace("OOT", "XYZ")
    path = tmp_path / "census.csv"
    path.write_bytes(census_file(*rows))

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-school-ap", str(path), school=town.school_a.urn, user=town.school_a_staff.email)

    assert "Line 4: setting type: The type of setting must be one of" in capsys.readouterr().err
    assert not Placement.objects.exists()


def test_the_command_needs_a_member_of_that_schools_staff(tmp_path, town):
    path = tmp_path / "census.csv"
    path.write_bytes(census_file(*good_rows(town)))
    with pytest.raises(CommandError, match="is not a member of"):
        call_command("import-school-ap", str(path), school=town.school_a.urn, user=town.school_b_staff.email)
