"""Attendance files: every row checked first, every bad row reported with its line, a bad file imports nothing."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.exchange.services import ImportRejected
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.models import AttendanceMark


def csv_file(*rows: str, header: str = "upn,date,session,code,note") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def run(area, data: bytes, user="p1"):
    return import_attendance(user=area.p1_staff if user == "p1" else user, provider=area.provider_p1, source=data)


def test_a_good_file_imports_every_mark(area):
    robin, sam = area.robin.pupil.upn, area.sam.pupil.upn
    result = run(
        area,
        csv_file(
            f"{robin},2026-11-09,AM,/,",
            f"{robin},2026-11-09,PM,\\,",
            f"{sam},2026-11-09,AM,I,Ill",
            f"{sam.lower()},2026-11-10,am,n,",
        ),
    )
    assert (result.rows, result.created, result.changed, result.placements) == (4, 4, 0, 2)
    stored = set(AttendanceMark.objects.values_list("placement_id", "date", "session", "code", "note"))
    assert (area.sam.pk, area.sam.start_date.replace(day=9), "AM", "I", "Ill") in stored
    assert (area.sam.pk, area.sam.start_date.replace(day=10), "AM", "N", "") in stored
    assert AttendanceMark.objects.filter(recorded_by=area.p1_staff).count() == 4
    logged = AccessLogEntry.objects.filter(object_type="placements.Placement", verb="create")
    assert set(logged.values_list("object_id", flat=True)) == {str(area.robin.pk), str(area.sam.pk)}


def test_a_file_replaces_marks_and_the_same_file_again_changes_nothing(area):
    robin = area.robin.pupil.upn
    AttendanceMark.objects.create(placement=area.robin, date="2026-11-09", session="AM", code="N")
    data = csv_file(f"{robin},2026-11-09,AM,I,Flu", f"{robin},2026-11-09,PM,I,Flu")
    first = run(area, data)
    assert (first.created, first.changed, first.unchanged) == (1, 1, 0)
    again = run(area, data)
    assert (again.created, again.changed, again.unchanged) == (0, 0, 2)
    assert set(AttendanceMark.objects.values_list("code", flat=True)) == {"I"}


def test_a_bad_file_imports_nothing_and_lists_every_bad_row_with_its_line(area):
    robin, sam, yusuf = area.robin.pupil.upn, area.sam.pupil.upn, area.yusuf.pupil.upn
    data = csv_file(
        f"{robin},2026-11-09,AM,/,",  # line 2: good
        f"{robin},2026-11-09,PM,Q9,",  # 3: unknown code
        "A12345678901,2026-11-09,AM,/,",  # 4: not a valid UPN
        f"{yusuf},2026-11-09,AM,/,",  # 5: provider P2's pupil
        f"{sam},2026-10-30,AM,/,",  # 6: before the placement started
        f"{robin},2026-11-09,AM,L,",  # 7: repeats line 2
        f"{sam},09/11/2026,AM,/,",  # 8: not YYYY-MM-DD
        f"{sam},2026-02-30,AM,/,",  # 9: not a real date
        f"{sam},2026-11-07,AM,/,",  # 10: a Saturday
        f"{sam},2026-11-11,AM,/,",  # 11: tomorrow
        f"{sam},2026-11-10,EVE,/,",  # 12: not a session
        f"{sam},2026-11-10,AM,/",  # 13: a value missing
    )
    with pytest.raises(ImportRejected) as rejected:
        run(area, data)
    problems = [(problem.row, problem.message) for problem in rejected.value.problems]
    assert [row for row, _message in problems] == list(range(3, 14))
    messages = dict(problems)
    assert messages[3] == "'Q9' is not a DfE attendance code"
    assert messages[4] == "Unknown UPN 'A12345678901': A UPN must be 13 characters; this one has 12"
    assert messages[5] == f"The pupil with UPN {yusuf} has no active placement with you"
    assert messages[6] == f"Friday 30 October 2026 is outside the placement of the pupil with UPN {sam}"
    assert messages[7] == "This row repeats line 2: the same pupil, date and session"
    assert messages[8] == "The date '09/11/2026' must be written YYYY-MM-DD, like 2026-11-10"
    assert messages[9] == "The date '2026-02-30' is not a real date"
    assert messages[10] == "Saturday 7 November 2026 is a weekend day; registers are taken on school days"
    assert messages[11] == "Wednesday 11 November 2026 is in the future; registers are taken on days that have happened"
    assert messages[12] == "The session must be AM or PM, not 'EVE'"
    assert messages[13] == "This row has 4 values; the header row has 5"
    assert rejected.value.message == "11 rows of the file have problems, so nothing was imported"
    assert not AttendanceMark.objects.exists()
    assert mail.outbox == []


def test_a_row_with_several_problems_lists_each(area):
    with pytest.raises(ImportRejected) as rejected:
        run(area, csv_file("B999,2026-13-01,AM,XX,"))
    assert len(rejected.value.problems) == 3
    assert {problem.row for problem in rejected.value.problems} == {2}


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("upn,date,code,note", "The header row is missing the column session"),
        ("upn,date,session,code,notes", "The header row has the unknown column 'notes'"),
        ("upn,date,session,code,code", "The header row repeats the column code"),
    ],
)
def test_a_wrong_header_is_named(area, header, message):
    with pytest.raises(ImportRejected) as rejected:
        run(area, csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,/", header=header))
    assert rejected.value.problems[0].row == 1
    assert rejected.value.problems[0].message.startswith(message)


def test_an_empty_file_or_a_header_alone_is_refused(area):
    with pytest.raises(ImportRejected, match="1 row"):
        run(area, b"")
    with pytest.raises(ImportRejected) as rejected:
        run(area, csv_file())
    assert rejected.value.problems[0].message == "The file has a header row but no marks"


def test_excel_files_with_a_byte_order_mark_blank_rows_and_columns_in_another_order_import(area):
    robin = area.robin.pupil.upn
    data = f"\ufeffCode,UPN,Session,Date\r\n/,{robin},AM,2026-11-09\r\n,,,\r\n".encode()
    assert run(area, data).rows == 1


def test_the_note_column_may_be_left_out_and_windows_1252_is_read(area):
    robin = area.robin.pupil.upn
    data = f"upn,date,session,code,note\n{robin},2026-11-09,AM,I,Caf\xe9 trip cancelled\n".encode("cp1252")
    run(area, data)
    assert AttendanceMark.objects.get().note == "Café trip cancelled"


def test_an_imported_n_for_today_alerts_like_the_register(area):
    result = run(area, csv_file(f"{area.robin.pupil.upn},2026-11-10,AM,N,"))
    assert result.alerts == 2
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [area.officer.email, area.home_school_staff.email]
    )
    run(area, csv_file(f"{area.robin.pupil.upn},2026-11-10,AM,N,"))
    assert len(mail.outbox) == 2


def test_only_the_providers_staff_may_import(area):
    from aphub.core.errors import NotPermitted

    with pytest.raises(NotPermitted):
        run(area, csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,/,"), user=area.p2_staff)


# --- The upload page ------------------------------------------------------------------------------------------


def upload(client, data: bytes, name="marks.csv"):
    return client.post(reverse("placements:attendance-upload"), {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_the_upload_page_imports_a_good_file_and_says_so(client, area):
    client.force_login(area.p1_staff)
    response = upload(client, csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,/,"))
    assert "Attendance file imported: 1 mark for 1 pupil (1 new, 0 changed, 0 unchanged)." in response.content.decode()
    assert AttendanceMark.objects.count() == 1


def test_the_upload_page_lists_each_bad_row_and_imports_nothing(client, area):
    client.force_login(area.p1_staff)
    response = upload(
        client,
        csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,/,", f"{area.yusuf.pupil.upn},2026-11-09,AM,/,"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "1 row of the file has problems, so nothing was imported" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert f"The pupil with UPN {area.yusuf.pupil.upn} has no active placement with you" in page
    assert "Yewdale" not in page
    assert not AttendanceMark.objects.exists()


def test_the_upload_page_refuses_a_file_that_is_not_csv(client, area):
    client.force_login(area.p1_staff)
    response = upload(client, b"%PDF-1.4", name="marks.pdf")
    assert response.status_code == 400 and "The file must be a CSV file" in response.content.decode()


# --- The command ----------------------------------------------------------------------------------------------


def test_the_command_imports_a_providers_file(area, tmp_path):
    area.provider_p1.ukprn = "10012345"
    area.provider_p1.save()
    path = tmp_path / "marks.csv"
    path.write_bytes(csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,/,"))
    out = io.StringIO()
    call_command("import-attendance", str(path), "--provider", "10012345", stdout=out)
    assert "1 marks for 1 placements: 1 new, 0 changed, 0 unchanged" in out.getvalue()
    assert AttendanceMark.objects.get().recorded_by is None


def test_the_command_lists_bad_rows_and_imports_nothing(area, tmp_path):
    area.provider_p1.ukprn = "10012345"
    area.provider_p1.save()
    path = tmp_path / "marks.csv"
    path.write_bytes(csv_file(f"{area.robin.pupil.upn},2026-11-09,AM,Q9,"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-attendance", str(path), "--provider", "10012345", stderr=err)
    assert "Line 2: 'Q9' is not a DfE attendance code" in err.getvalue()
    assert not AttendanceMark.objects.exists()


def test_the_command_needs_a_known_provider(area, tmp_path):
    path = tmp_path / "marks.csv"
    path.write_bytes(csv_file())
    with pytest.raises(CommandError, match="No provider has the UKPRN 10099999"):
        call_command("import-attendance", str(path), "--provider", "10099999")
    with pytest.raises(CommandError, match="8 digits"):
        call_command("import-attendance", str(path), "--provider", "123")


def test_a_row_on_a_holiday_of_the_las_term_dates_is_refused(area):
    from aphub.duties.services import default_term_dates, load_term_dates
    from aphub.placements.models import Placement

    load_term_dates(local_authority=area.la, **default_term_dates())
    Placement.objects.filter(pk=area.robin.pk).update(start_date="2026-10-19")
    robin = area.robin.pupil.upn
    with pytest.raises(ImportRejected) as rejected:
        run(area, csv_file(f"{robin},2026-10-23,AM,/,", f"{robin},2026-10-27,PM,\\,"))
    assert [(problem.row, problem.message) for problem in rejected.value.problems] == [
        (3, "Tuesday 27 October 2026 is not a school day in the term dates (a holiday, bank holiday or INSET day); "
            "registers are taken on school days")
    ]  # fmt: skip
    assert not AttendanceMark.objects.exists()
