"""Issue 12: a school records the AP it arranged itself, at any provider, through the one importer (a census AP file
here; the page, the API and the command call the same service). Time is frozen on Tuesday 10 November 2026."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from aphub.directory.models import Provision
from aphub.duties.models import Clock
from aphub.exchange.services import ImportRejected
from aphub.funding.models import FundingLine
from aphub.organisations.models import Membership, Provider
from aphub.placements.models import Episode, Placement, PlacementChange, PlacementReason, SettingType
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.exports import CENSUS_COLUMNS, recorded_placements
from aphub.placements.school_arranged.imports import import_file
from aphub.pupils.models import Pupil
from tests.factories import EpisodeFactory, make_upn, route_for

HEADER = ",".join(COLUMNS)


def upn(town, serial: int) -> str:
    return make_upn(town.la.la_code, 500 + serial)


def census_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def first_refusal(town, row: str) -> str:
    """The first problem the school's import of a one-row file is refused with (nothing written)."""
    with pytest.raises(ImportRejected) as refused:
        import_file(user=town.school_a_staff, content=census_file(row))
    return str(refused.value.problems[0])


def good_rows(town) -> list[str]:
    return [
        # A registered PRU in another LA, by URN; part time, three sessions a week, still running.
        f"{upn(town, 1)},Hartley,Robin,14/03/2012,141234,,,BEH,2026-09-07,,3,PT,7.5,350.00",
        # A registered provider by UKPRN, full time, ended in October.
        f"{upn(town, 2)},Okafor,Sam,2011-06-02,,10012345,,Off-site placement for behavioural support,"
        "2026-09-14,2026-10-16,10,FT,25,600",
        # A tutor with neither: the census type of setting only.
        f"{upn(town, 3)},Price,Jo,2013-01-20,,,OOT,MHN,02/11/2026,,2,part time,4,120.50",
    ]


def table_state() -> dict:
    """Everything an import writes, as comparable values."""
    return {
        "pupils": sorted(Pupil.objects.values_list("upn", "first_name", "last_name", "date_of_birth", "sex")),
        "providers": sorted(
            Provider.objects.values_list("legal_name", "urn", "ukprn", "registration_status", "unnamed")
        ),
        "provisions": sorted(Provision.objects.values_list("name", "status", "local_authority_id")),
        "episodes": sorted(
            Episode.objects.values_list("pupil__upn", "route__kind", "start_date", "status", "closed_on")
        ),
        "placements": sorted(
            Placement.objects.values_list(
                "pupil__upn",
                "provision__name",
                "status",
                "start_date",
                "end_date",
                "planned_end_date",
                "placement_reason",
                "setting_type",
                "sessions_per_week",
                "is_full_time",
                "hours_per_week",
                "annual_cost",
                "commissioner",
                "commissioning_school_id",
                "recorded_by_school",
            )
        ),  # fmt: skip
        "funding_lines": FundingLine.objects.count(),
        "clocks": sorted(Clock.objects.values_list("placement__pupil__upn", "rule", "due_on", "state")),
        "changes": PlacementChange.objects.count(),
    }


@pytest.mark.django_db
def test_a_school_records_ap_at_providers_outside_the_directory(town):
    outcome = import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))

    assert (len(outcome.created), len(outcome.updated), len(outcome.unchanged), outcome.pupils_created) == (3, 0, 0, 3)
    by_upn = {p.pupil.upn: p for p in Placement.objects.select_related("pupil", "provision__provider")}
    pru, college, tutor = by_upn[upn(town, 1)], by_upn[upn(town, 2)], by_upn[upn(town, 3)]

    assert pru.provision.provider.urn == "141234"
    assert pru.provision.status == Provision.Status.RECORDED
    assert pru.provision.provider.registration_status == Provider.RegistrationStatus.REGISTERED_SCHOOL
    assert (pru.status, pru.is_full_time, pru.sessions_per_week) == (Placement.Status.ACTIVE, False, 3)
    assert pru.annual_cost == Decimal("13300.00")  # 38 school weeks of £350
    assert pru.placement_reason == PlacementReason.BEHAVIOUR and pru.setting_type == ""

    assert college.provision.provider.ukprn == "10012345"
    assert (college.status, college.end_date) == (Placement.Status.ENDED, datetime.date(2026, 10, 16))

    assert tutor.setting_type == SettingType.ONE_TO_ONE_TUITION
    assert tutor.provision.provider.unnamed and tutor.placement_reason == PlacementReason.MENTAL_HEALTH
    assert tutor.annual_cost == Decimal("4579.00")

    for placement in (pru, college, tutor):
        assert (placement.commissioner, placement.commissioning_school) == ("school", town.school_a)
        assert placement.recorded_by_school
        assert placement.episode.route.kind == "off-site-direction" and placement.episode.school == town.school_a
        assert placement.pupil.enrolments.get().school == town.school_a
    # A provider outside AP Hub has no user.
    assert not Membership.objects.filter(provider__in=[pru.provider, college.provider, tutor.provider]).exists()
    # The ended placement's episode is closed on its last day; the running ones keep theirs open.
    assert (college.episode.status, college.episode.closed_on) == ("closed", datetime.date(2026, 10, 16))
    assert pru.episode.status == "open"
    # Like any placement: funding lines, a review clock for the running ones, a change log.
    assert FundingLine.objects.filter(placement=pru).exists()
    assert Clock.objects.filter(placement=pru, rule="placement-review").exists()
    assert not Clock.objects.filter(placement=college).exists()
    assert pru.changes.get().summary == f"Recorded by {town.school_a.name} as AP it arranged"


@pytest.mark.django_db
def test_the_la_sees_it_and_other_schools_and_las_do_not(town):
    import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))

    assert Placement.objects.visible_to(town.officer).count() == 3
    assert Placement.objects.visible_to(town.school_a_staff).count() == 3
    assert Placement.objects.visible_to(town.school_b_staff).count() == 0
    assert Placement.objects.visible_to(town.p1_staff).count() == 0
    from aphub.organisations.models import Role
    from tests.factories import LocalAuthorityFactory, member

    other_la_officer = member(Role.LA_OFFICER, LocalAuthorityFactory(name="Another Borough"))
    assert Placement.objects.visible_to(other_la_officer).count() == 0


@pytest.mark.django_db
def test_the_same_file_twice_gives_the_same_database(town):
    content = census_file(*good_rows(town))
    import_file(user=town.school_a_staff, content=content)
    once = table_state()

    outcome = import_file(user=town.school_a_staff, content=content)

    assert (len(outcome.created), len(outcome.updated), len(outcome.unchanged)) == (0, 0, 3)
    assert table_state() == once


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing_and_names_the_row(town):
    before = table_state()
    rows = good_rows(town)
    rows.insert(1, f"{upn(town, 4)},Ng,Ali,2012-05-05,141234,10012345,,Holiday,2026-13-01,,11,FT,25,600")

    with pytest.raises(ImportRejected) as refused:
        import_file(user=town.school_a_staff, content=census_file(*rows))

    messages = [str(problem) for problem in refused.value.problems]
    assert all(message.startswith("Row 3: ") for message in messages), messages
    said = " ".join(messages)
    for column in ("ukprn:", "reason:", "entry date:", "sessions per week:"):
        assert column in said
    assert table_state() == before


@pytest.mark.django_db
def test_a_header_without_the_census_columns_is_refused(town):
    with pytest.raises(ImportRejected) as refused:
        import_file(user=town.school_a_staff, content=census_file(good_rows(town)[0], header="upn,name,urn"))
    assert "missing the columns surname" in str(refused.value.problems[0])


@pytest.mark.django_db
def test_a_leaving_date_sent_later_ends_the_placement_and_says_so(town):
    rows = good_rows(town)
    import_file(user=town.school_a_staff, content=census_file(*rows))
    rows[0] = rows[0].replace("2026-09-07,,3", "2026-09-07,2026-11-06,3")

    outcome = import_file(user=town.school_a_staff, content=census_file(*rows))

    placement = Placement.objects.get(pupil__upn=upn(town, 1))
    assert outcome.updated == [placement]
    assert (placement.status, placement.end_date) == (Placement.Status.ENDED, datetime.date(2026, 11, 6))
    assert "leaving date" in placement.changes.order_by("pk").last().summary
    assert not Clock.objects.filter(placement=placement).running().exists()


@pytest.mark.django_db
def test_a_pupil_on_another_schools_roll_is_refused_as_the_pupil_page_refuses_it(town):
    child = town.pupil(school=town.school_b, last_name="Hartley", first_name="Robin")
    row = f"{child.upn},Hartley,Robin,2012-03-14,141234,,,BEH,2026-09-07,,3,PT,7.5,350.00"

    assert "not on your school's roll" in first_refusal(town, row)


@pytest.mark.django_db
def test_a_known_pupils_name_must_agree(town):
    child = town.pupil(last_name="Hartley", first_name="Robin", date_of_birth=datetime.date(2012, 3, 14))
    row = f"{child.upn},Harley,Robin,2012-03-14,141234,,,BEH,2026-09-07,,3,PT,7.5,350.00"

    assert "surname Hartley" in first_refusal(town, row)


@pytest.mark.django_db
def test_a_permanent_exclusion_needs_the_las_record_of_it(town):
    child = town.pupil(last_name="Hartley", first_name="Robin", date_of_birth=datetime.date(2012, 3, 14))
    row = f"{child.upn},Hartley,Robin,2012-03-14,141234,,,PEX,2026-11-09,,10,FT,25,600"

    assert "no open permanent exclusion" in first_refusal(town, row)

    exclusion = EpisodeFactory(pupil=child, route=route_for(town.la), start_date=datetime.date(2026, 11, 2))
    import_file(user=town.school_a_staff, content=census_file(row))
    assert Placement.objects.get(pupil=child).episode == exclusion


@pytest.mark.django_db
def test_two_full_time_placements_at_once_are_refused(town):
    rows = [
        f"{upn(town, 1)},Hartley,Robin,2012-03-14,141234,,,BEH,2026-09-07,,10,FT,25,350",
        f"{upn(town, 1)},Hartley,Robin,2012-03-14,,10012345,,BEH,2026-10-05,,10,FT,25,350",
    ]
    with pytest.raises(ImportRejected) as refused:
        import_file(user=town.school_a_staff, content=census_file(*rows))
    assert "Row 3: attendance pattern: Overlaps the full-time placement on line 2" in str(refused.value.problems[0])


@pytest.mark.django_db
def test_an_xlsx_file_reads_as_the_csv_does(town):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    # As a spreadsheet stores them: a URN as a number, dates as dates, money as numbers.
    sheet.append(
        [upn(town, 1), "Hartley", "Robin", datetime.date(2012, 3, 14), 141234, None, None, "BEH",
         datetime.date(2026, 9, 7), None, 3, "PT", 7.5, 350]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)

    import_file(user=town.school_a_staff, content=buffer.getvalue())

    placement = Placement.objects.get()
    assert (placement.provision.provider.urn, placement.start_date) == ("141234", datetime.date(2026, 9, 7))
    assert (placement.hours_per_week, placement.annual_cost) == (Decimal("7.5"), Decimal("13300.00"))


@pytest.mark.django_db
def test_the_census_export_reads_back_unchanged(town):
    import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))
    before = table_state()
    placements = list(recorded_placements(town.school_a_staff))
    headings = [column.heading for column in CENSUS_COLUMNS]
    lines = [",".join(str(column.value(p)) for column in CENSUS_COLUMNS) for p in placements]

    outcome = import_file(user=town.school_a_staff, content=census_file(*lines, header=",".join(headings)))

    assert len(outcome.unchanged) == 3 and not outcome.created and not outcome.updated
    assert table_state() == before


@pytest.mark.django_db
def test_only_school_staff_record_school_arranged_ap(town):
    from aphub.core.errors import NotPermitted

    for user in (town.officer, town.auditor, town.p1_staff):
        with pytest.raises(NotPermitted):
            import_file(user=user, content=census_file(*good_rows(town)))


@pytest.mark.django_db
def test_a_recorded_placement_follows_its_dates_each_morning(town):
    import time_machine
    from django.core.management import call_command

    rows = [
        # Starts next Monday; leaves on Friday 20 November.
        f"{upn(town, 1)},Hartley,Robin,2012-03-14,141234,,,BEH,2026-11-16,2026-11-20,3,PT,7.5,350.00",
    ]
    import_file(user=town.school_a_staff, content=census_file(*rows))
    placement = Placement.objects.get()
    assert placement.status == Placement.Status.ACCEPTED

    with time_machine.travel(datetime.datetime(2026, 11, 16, 6, 0, tzinfo=datetime.UTC), tick=False):
        call_command("sweep-placements", stdout=io.StringIO())
        call_command("sweep-placements", stdout=io.StringIO())  # twice changes nothing more
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE
    assert placement.changes.filter(summary="Started on its entry date").count() == 1

    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC), tick=False):
        call_command("sweep-placements", stdout=out)
        # The same row sent again that day finds the placement as the sweep left it.
        assert import_file(user=town.school_a_staff, content=census_file(*rows)).unchanged == [placement]
    placement.refresh_from_db()
    assert "1 ended" in out.getvalue()
    assert (placement.status, placement.end_date) == (Placement.Status.ENDED, datetime.date(2026, 11, 20))
    assert not Clock.objects.filter(placement=placement).running().exists()
    assert (placement.episode.status, placement.episode.closed_on) == ("closed", datetime.date(2026, 11, 20))


def census_export(user) -> bytes:
    """The school's census file as the list page writes it (CSV, through core.files.exports)."""
    from aphub.core.files.exports import Export

    return Export("census", CENSUS_COLUMNS).response(recorded_placements(user), "csv").content


@pytest.mark.django_db
def test_the_census_export_reads_back_unchanged_with_a_placement_offered_through_ap_hub(town):
    """The census file lists the placements the school commissioned through AP Hub too. Their record has no census
    reason (an offer asks for none) and a directory provider may have neither URN nor UKPRN: the export gives the
    reason its episode stands for and the type of setting, so the census row is complete and reads back unchanged."""
    from tests.factories import PlacementFactory

    child = town.pupil(last_name="Hartley", first_name="Robin", date_of_birth=datetime.date(2012, 3, 14))
    direction = EpisodeFactory(
        pupil=child, route=route_for(town.la, "off-site-direction"), school=town.school_a,
        start_date=datetime.date(2026, 11, 2),
    )  # fmt: skip
    offered = PlacementFactory(
        pupil=child, episode=direction, route=direction.route, provision=town.provision(),
        commissioner="school", commissioning_school=town.school_a, start_date=datetime.date(2026, 11, 2),
        annual_cost="19000.00",
    )  # fmt: skip
    import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))
    before = table_state()

    outcome = import_file(user=town.school_a_staff, content=census_export(town.school_a_staff))

    assert len(outcome.unchanged) == 4 and not outcome.created and not outcome.updated
    assert offered in outcome.unchanged
    assert table_state() == before


@pytest.mark.django_db
def test_a_permanent_exclusions_placement_reads_back_after_the_exclusion_is_closed(town):
    """A row that finds its placement again needs no open exclusion: the LA's record of it was checked when the
    placement was first recorded, and next term's census still lists the placement."""
    child = town.pupil(last_name="Hartley", first_name="Robin", date_of_birth=datetime.date(2012, 3, 14))
    exclusion = EpisodeFactory(pupil=child, route=route_for(town.la), start_date=datetime.date(2026, 9, 7))
    row = f"{child.upn},Hartley,Robin,2012-03-14,141234,,,PEX,2026-09-14,2026-10-16,10,FT,25,600"
    import_file(user=town.school_a_staff, content=census_file(row))
    exclusion.status = Episode.Status.CLOSED
    exclusion.closed_on = datetime.date(2026, 10, 16)
    exclusion.save()

    outcome = import_file(user=town.school_a_staff, content=census_export(town.school_a_staff))

    assert len(outcome.unchanged) == 1


@pytest.mark.django_db
def test_the_imports_funding_lines_and_clocks_are_those_of_the_one_placement_path(town):
    """A census return writes its funding lines and clocks thousands at once (as plain rows, not objects); each
    placement's are exactly those the one-placement path gives it (funding.services.plan_funding and
    duties.services.start_placement_clocks, as when a placement is offered)."""
    from aphub.duties.services import start_placement_clocks
    from aphub.funding.services import plan_funding

    rows = [
        *good_rows(town),
        # Full time with a planned leaving date after the spring: a planned-end clock, lines in two financial years.
        f"{upn(town, 4)},Ng,Ali,2012-05-05,141234,,,SUS,2026-10-05,2027-05-14,10,FT,25,600",
        # Starts in a fortnight: accepted, its review clock not yet due.
        f"{upn(town, 5)},Shah,Mo,2013-07-09,,10012345,,PHN,2026-11-23,,4,PT,10,200",
        # Across the financial year's end, and costing less than nothing of note.
        f"{upn(town, 6)},Reid,Kim,2011-12-01,,,WBP,OTH,2027-03-01,2027-04-30,1,PT,2.5,0",
    ]
    import_file(user=town.school_a_staff, content=census_file(*rows))
    placements = list(Placement.objects.select_related("pupil__local_authority", "route", "episode__school"))
    assert len(placements) == 6

    def lines_of(placement):
        return sorted(
            FundingLine.objects.filter(placement=placement).values_list(
                "local_authority_id", "kind", "payer", "payer_school_id", "financial_year", "period_start",
                "period_end", "days", "annual_rate", "amount",
            )
        )  # fmt: skip

    def clocks_of(placement):
        return sorted(
            Clock.objects.filter(placement=placement).values_list(
                "local_authority_id", "pupil_id", "episode_id", "rule", "owner", "owner_school_id", "started_on",
                "due_on", "state", "met_on", "met_by_id", "stopped_on",
            )
        )  # fmt: skip

    imported = {placement.pk: (lines_of(placement), clocks_of(placement)) for placement in placements}
    assert sum(len(lines) for lines, _ in imported.values()) > len(placements)  # some placements span two years
    assert {clock[3] for _, clocks in imported.values() for clock in clocks} == {"placement-review", "planned-end"}

    for placement in placements:
        Clock.objects.filter(placement=placement).delete()
        plan_funding(placement=placement)
        if placement.status != Placement.Status.ENDED:
            start_placement_clocks(placement=placement)

    assert {placement.pk: (lines_of(placement), clocks_of(placement)) for placement in placements} == imported
