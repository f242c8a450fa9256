"""A CSV file whose rows do not parse cleanly is refused whole, naming the line: no import loses a row silently."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from aphub.core.files.csv_files import CsvFileError, read_rows
from aphub.exchange.services import ImportRejected
from aphub.organisations.models import School
from aphub.placements.attendance.imports import import_attendance
from aphub.placements.models import AttendanceMark
from tests.exchange.test_import_gias import COLUMNS, establishment
from tests.factories import LocalAuthorityFactory

HEADER = "upn,date,session,code,note"


def swallowing_file(area) -> bytes:
    """Robin's Monday mark has a note with a stray opening quote; Sam's unauthorised absence today follows it."""
    robin, sam = area.robin.pupil.upn, area.sam.pupil.upn
    return (
        f"{HEADER}\n"
        f"{robin},2026-11-09,AM,/,\n"
        f'{robin},2026-11-09,PM,/,"Left early for dentist\n'
        f"{sam},2026-11-10,AM,N,\n"
        f"{robin},2026-11-10,AM,/,\n"
    ).encode()


def test_a_stray_quote_in_a_note_refuses_the_whole_file_naming_its_line(area):
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(user=area.p1_staff, provider=area.provider_p1, source=swallowing_file(area))

    assert [(problem.row, problem.message) for problem in rejected.value.problems] == [
        (
            3,
            "An unclosed quote in the note value swallows the lines after it. "
            'Remove the quote, or close it and write any quote inside the value twice ("")',
        )
    ]
    assert not AttendanceMark.objects.exists()
    assert mail.outbox == []


def test_a_quote_closed_on_a_later_line_still_swallows_rows_and_is_refused(area):
    robin, sam = area.robin.pupil.upn, area.sam.pupil.upn
    data = f'{HEADER}\n{robin},2026-11-09,PM,/,"Left early\n{sam},2026-11-10,AM,N,"\n'.encode()
    with pytest.raises(ImportRejected) as rejected:
        import_attendance(user=area.p1_staff, provider=area.provider_p1, source=data)
    assert rejected.value.problems[0].row == 2
    assert "swallows the lines after it" in rejected.value.problems[0].message
    assert not AttendanceMark.objects.exists()


def test_the_upload_page_refuses_a_swallowing_file_and_says_which_line(client, area):
    client.force_login(area.p1_staff)
    response = client.post(
        reverse("placements:attendance-upload"),
        {"file": SimpleUploadedFile("marks.csv", swallowing_file(area))},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "1 row of the file has problems, so nothing was imported" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert "An unclosed quote in the note value swallows the lines after it" in page
    assert "Attendance file imported" not in page
    assert not AttendanceMark.objects.exists()


def test_quotes_written_as_the_csv_rules_say_still_import(area):
    robin = area.robin.pupil.upn
    data = f'{HEADER}\n{robin},2026-11-09,AM,I,"Ill, said ""flu"""\n'.encode()
    import_attendance(user=area.p1_staff, provider=area.provider_p1, source=data)
    assert AttendanceMark.objects.get().note == 'Ill, said "flu"'


def test_a_nul_byte_in_an_attendance_file_is_a_clear_message_on_every_database(client, area):
    data = f"{HEADER}\n{area.robin.pupil.upn},2026-11-09,AM,I,Ill\x00\n".encode()
    client.force_login(area.p1_staff)
    response = client.post(reverse("placements:attendance-upload"), {"file": SimpleUploadedFile("marks.csv", data)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "NUL character" in page
    assert not AttendanceMark.objects.exists()


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('a,b\n1,"2\n3,4\n', 2, "an unclosed quote in the b value swallows the lines after it"),
        ('a,b\n1,2\n\n3,"4"x\n', 4, "a quote in the b value ends the value too early"),
        ("a,b\n1,2\n3,4\x00\n", 3, "NUL character"),
        ('"a,b\n1,2\n', 1, "an unclosed quote in value 1 swallows the lines after it"),
    ],
)
def test_the_shared_reader_names_the_line_where_the_trouble_starts(text, line, words):
    with pytest.raises(CsvFileError) as refused:
        list(read_rows(text))
    assert refused.value.line == line
    assert words in refused.value.message
    assert refused.value.message.startswith(f"Line {line}: ")


def test_the_shared_reader_gives_each_row_its_spreadsheet_line():
    assert list(read_rows('a,b\r\n1,"x ""y"""\r\n\r\n3,4\r\n')) == [
        (1, ["a", "b"]),
        (2, ["1", 'x "y"']),
        (3, []),
        (4, ["3", "4"]),
    ]


def test_a_gias_file_with_a_stray_quote_imports_nothing_and_names_the_line(tmp_path, db):
    LocalAuthorityFactory(name="Solihull", la_code="334", gss_code="E08000029")
    rows = [establishment(), establishment(URN="136009"), establishment(URN="136010")]
    lines = [",".join(COLUMNS)] + [",".join(str(row.get(column, "")) for column in COLUMNS) for row in rows]
    lines[2] = lines[2].replace("Oakfield", '"Oakfield', 1)
    path = tmp_path / "edubase.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp1252")

    with pytest.raises(CommandError) as refused:
        call_command("import-gias", str(path))

    assert "Line 3: an unclosed quote in the EstablishmentName value swallows the lines after it" in str(refused.value)
    assert not School.objects.exists()
