import csv
import io

import pytest
from django.core.management import CommandError, call_command

from aphub.organisations.models import LocalAuthority, Provider, School
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory

COLUMNS = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",  # one of the many columns the import ignores
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "Postcode",
    "UKPRN",
]


def establishment(**overrides):
    row = {
        "URN": "136001",
        "LA (code)": "334",
        "LA (name)": "Solihull",
        "EstablishmentNumber": "4001",
        "EstablishmentName": "Oakfield Academy",
        "TypeOfEstablishment (name)": "Academy converter",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (name)": "Secondary",
        "Postcode": "B91 3QB",
        "UKPRN": "10012345",
    }
    row.update(overrides)
    return row


PRU = {
    "URN": "136002",
    "EstablishmentName": "Brook Lane Pupil Referral Unit",
    "TypeOfEstablishment (name)": "Pupil referral unit",
    "PhaseOfEducation (name)": "Not applicable",
    "Postcode": "b92 7hx",
    "UKPRN": "10054321",
}


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, *, columns=COLUMNS, encoding="cp1252", name="edubasealldata.csv"):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return write


@pytest.fixture
def solihull(db):
    return LocalAuthorityFactory(la_code="334", name="Solihull", gss_code="E08000029")


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_gias", str(path), *args, stdout=out, stderr=err)
    return out.getvalue()


def run_failing(path, *args):
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_gias", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def test_creates_schools_from_a_windows_1252_file(write_csv, solihull):
    path = write_csv(
        [establishment(**{"EstablishmentName": "St Thérèse's Catholic Primary"}), establishment(URN="136003")]
    )

    output = run(path)

    assert "Schools: 2 created, 0 updated, 0 unchanged" in output
    school = School.objects.get(urn="136001")
    assert school.name == "St Thérèse's Catholic Primary"
    assert school.phase == School.Phase.SECONDARY
    assert school.establishment_type == "Academy converter"
    assert school.is_open
    assert school.local_authority == solihull
    assert school.postcode == "B91 3QB"
    assert school.ukprn == "10012345"


def test_reads_a_utf8_file_with_a_byte_order_mark(write_csv, solihull):
    path = write_csv([establishment(EstablishmentName="Ysgol Gymraeg Llanelli – Hŷn")], encoding="utf-8-sig")

    run(path)

    assert School.objects.get(urn="136001").name == "Ysgol Gymraeg Llanelli – Hŷn"


def test_the_hyphenated_command_name_works_too(write_csv, solihull):
    call_command("import-gias", str(write_csv([establishment()])), stdout=io.StringIO())
    assert School.objects.filter(urn="136001").exists()


def test_a_second_run_of_the_same_file_changes_nothing(write_csv, solihull):
    path = write_csv([establishment(), establishment(**PRU)])
    run(path)
    before = list(School.objects.values().order_by("urn")) + list(Provider.objects.values().order_by("urn"))

    output = run(path)

    assert "Schools: 0 created, 0 updated, 2 unchanged" in output
    assert "Providers (registered AP): 0 created, 0 updated, 1 unchanged" in output
    assert list(School.objects.values().order_by("urn")) + list(Provider.objects.values().order_by("urn")) == before


def test_a_renamed_or_closed_school_is_updated(write_csv, solihull):
    SchoolFactory(urn="136001", name="Oakfield School", local_authority=solihull, postcode="B91 3QB", ukprn="10012345")
    path = write_csv([establishment(EstablishmentName="Oakfield Academy", **{"EstablishmentStatus (name)": "Closed"})])

    output = run(path)

    assert "Schools: 0 created, 1 updated, 0 unchanged" in output
    school = School.objects.get(urn="136001")
    assert school.name == "Oakfield Academy"
    assert not school.is_open


def test_open_but_proposed_to_close_is_open(write_csv, solihull):
    run(write_csv([establishment(**{"EstablishmentStatus (name)": "Open, but proposed to close"})]))
    assert School.objects.get(urn="136001").is_open


def test_registered_ap_also_becomes_a_registered_school_provider(write_csv, solihull):
    run(
        write_csv(
            [
                establishment(**PRU),
                establishment(
                    URN="136004",
                    **{
                        "TypeOfEstablishment (name)": "Free schools alternative provision",
                        "EstablishmentName": "Horizon AP Free School",
                        "UKPRN": "",
                    },
                ),
            ]
        )
    )

    pru = Provider.objects.get(urn="136002")
    assert pru.legal_name == "Brook Lane Pupil Referral Unit"
    assert pru.registration_status == Provider.RegistrationStatus.REGISTERED_SCHOOL
    assert pru.ukprn == "10054321"
    assert pru.local_authority == solihull
    assert School.objects.get(urn="136002").postcode == "B92 7HX"
    assert Provider.objects.get(urn="136004").ukprn == ""
    assert not Provider.objects.filter(urn="136001").exists()  # a mainstream academy is not a provider


def test_an_existing_provider_for_the_urn_is_updated_not_duplicated(write_csv, solihull):
    ProviderFactory(urn="136002", legal_name="Brook Lane PRU", ukprn="10054321", local_authority=solihull)

    output = run(write_csv([establishment(**PRU)]))

    assert "Providers (registered AP): 0 created, 1 updated, 0 unchanged" in output
    provider = Provider.objects.get(urn="136002")
    assert provider.legal_name == "Brook Lane Pupil Referral Unit"
    assert provider.registration_status == Provider.RegistrationStatus.REGISTERED_SCHOOL


def test_a_closed_pru_unknown_to_ap_hub_does_not_become_a_provider(write_csv, solihull):
    run(write_csv([establishment(**{**PRU, "EstablishmentStatus (name)": "Closed"})]))
    assert School.objects.filter(urn="136002", is_open=False).exists()
    assert not Provider.objects.exists()


def test_a_file_with_bad_rows_imports_nothing_and_names_each_bad_row(write_csv, solihull):
    path = write_csv(
        [
            establishment(),  # row 2 is good
            establishment(URN="13600", EstablishmentName="Short URN School"),  # row 3
            establishment(URN="136005", Postcode="B91 3Q"),  # row 4
            establishment(URN="136006", UKPRN="2001234"),  # row 5
            establishment(URN="136007", **{"PhaseOfEducation (name)": "Tertiary"}),  # row 6
            establishment(URN="136008", **{"LA (code)": "999", "LA (name)": "Nowhere"}),  # row 7
            establishment(URN="136001"),  # row 8 repeats row 2
        ]
    )

    message, errors = run_failing(path)

    assert message == "6 rows of the file have problems, so nothing was imported"
    assert errors.splitlines() == [
        "Row 3: URN: A URN must be 6 digits, like 103456; '13600' is not",
        "Row 4: Postcode: Enter a real postcode, like B91 3QB",
        "Row 5: UKPRN: A UKPRN must be 8 digits starting with 1, like 10012345; '2001234' is not",
        "Row 6: the phase of education 'Tertiary' is not one GIAS uses",
        "Row 7: LA 999 is not set up in AP Hub",
        "Row 8: URN 136001 is also on row 2",
    ]
    assert not School.objects.exists()
    assert not Provider.objects.exists()


def test_a_bad_row_leaves_existing_records_untouched(write_csv, solihull):
    SchoolFactory(urn="136001", name="Oakfield School", local_authority=solihull)
    path = write_csv([establishment(EstablishmentName="Renamed"), establishment(URN="136009", Postcode="nowhere")])

    run_failing(path)

    assert School.objects.get(urn="136001").name == "Oakfield School"
    assert School.objects.count() == 1


def test_an_unknown_la_is_created_when_the_file_gives_its_gss_code(write_csv, db):
    columns = [*COLUMNS, "GSSLACode (name)"]
    path = write_csv([establishment(**{"GSSLACode (name)": "E08000029"})], columns=columns)

    output = run(path)

    assert "Local authorities created: 1" in output
    la = LocalAuthority.objects.get(la_code="334")
    assert (la.name, la.gss_code) == ("Solihull", "E08000029")
    assert School.objects.get(urn="136001").local_authority == la


def test_an_existing_la_is_left_as_it_is(write_csv, db):
    la = LocalAuthorityFactory(la_code="334", name="Solihull Metropolitan Borough Council", gss_code="E08000029")
    run(write_csv([establishment(**{"LA (name)": "Solihull"})]))
    la.refresh_from_db()
    assert la.name == "Solihull Metropolitan Borough Council"


def test_a_gss_code_already_used_by_another_la_is_reported(write_csv, db):
    LocalAuthorityFactory(la_code="335", name="Elsewhere", gss_code="E08000029")
    columns = [*COLUMNS, "GSSLACode (name)"]
    message, errors = run_failing(write_csv([establishment(**{"GSSLACode (name)": "E08000029"})], columns=columns))
    assert errors.strip() == "Row 2: GSS code E08000029 already belongs to LA 335"


def test_a_ukprn_held_by_another_provider_is_reported(write_csv, solihull):
    ProviderFactory(legal_name="Bright Futures Learning Ltd", ukprn="10054321")
    message, errors = run_failing(write_csv([establishment(**PRU)]))
    assert errors.strip() == "Row 2: UKPRN 10054321 already belongs to the provider Bright Futures Learning Ltd"


def test_only_the_chosen_las_rows_are_imported(write_csv, solihull):
    path = write_csv([establishment(), establishment(URN="140001", **{"LA (code)": "330", "LA (name)": "Birmingham"})])

    output = run(path, "--la", "334")

    assert "Rows of other LAs skipped: 1" in output
    assert list(School.objects.values_list("urn", flat=True)) == ["136001"]


def test_a_dry_run_reports_but_saves_nothing(write_csv, solihull):
    output = run(write_csv([establishment(), establishment(**PRU)]), "--dry-run")
    assert "Schools: 2 created" in output
    assert "Dry run: nothing was saved" in output
    assert not School.objects.exists()
    assert not Provider.objects.exists()


def test_a_missing_file_gets_a_clear_message(tmp_path, db):
    message, _ = run_failing(tmp_path / "missing.csv")
    assert message == f"There is no file at {tmp_path / 'missing.csv'}"


def test_a_file_without_the_gias_columns_gets_a_clear_message(write_csv, db):
    path = write_csv([{"URN": "136001", "Name": "Oakfield"}], columns=["URN", "Name"])
    message, _ = run_failing(path)
    assert message.startswith(f'{path} is not a GIAS establishments file: it has no "LA (code)", "LA (name)"')


def test_an_empty_file_gets_a_clear_message(tmp_path, db):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    message, _ = run_failing(path)
    assert message == f"{path} is empty; expected a GIAS establishments CSV file"


def test_a_bad_file_exits_non_zero_from_the_console(write_csv, solihull, monkeypatch, capsys):
    from aphub.manage import main

    path = write_csv([establishment(Postcode="nowhere")])
    monkeypatch.setattr("sys.argv", ["aphub", "import-gias", str(path)])
    with pytest.raises(SystemExit) as excinfo:
        main()
    assert excinfo.value.code == 1
    captured = capsys.readouterr()
    assert "Row 2: Postcode: Enter a real postcode, like B91 3QB" in captured.err
    assert "Traceback" not in captured.err


def test_a_byte_that_windows_1252_leaves_undefined_does_not_stop_the_import(tmp_path, solihull):
    header = ",".join(f'"{column}"' for column in COLUMNS)
    row = '136001,334,Solihull,4001,"Caf\xe9 \x81 School",Academy converter,Open,Primary,B91 3QB,10012345'
    path = tmp_path / "edubase.csv"
    path.write_bytes((header + "\r\n" + row + "\r\n").encode("latin-1"))

    run(path)

    assert School.objects.get(urn="136001").name == "Caf\xe9 \x81 School"
