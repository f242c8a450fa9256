"""The place funding and occupancy page, setting commissioned places, and the place funding of a financial year that
the outturn and the Schools Forum pack read."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.commissioning.models import CommissionedPlaces
from aphub.commissioning.places.queries import place_funding_for, places_and_occupancy_for
from aphub.directory.models import Provision
from aphub.organisations.models import Role
from tests.factories import (
    CommissionedPlacesFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

pytestmark = pytest.mark.django_db
REPORT, SET = reverse("places:report"), reverse("places:set")
D = datetime.date


@pytest.fixture(autouse=True)
def _in_december_2026():
    with time_machine.travel(datetime.date(2026, 12, 1), tick=False):
        yield


@pytest.fixture
def borough():
    la = LocalAuthorityFactory(name="Elmbridge Borough Council")
    pru = ProvisionFactory(provider=ProviderFactory(local_authority=la), name="Harbour Light Centre")
    academy = ProvisionFactory(provider=ProviderFactory(local_authority=la), name="Millbrook Academy")
    CommissionedPlacesFactory(provision=pru, places=4, payer="la")
    CommissionedPlacesFactory(provision=academy, places=2, payer="dfe")

    def placed(provision, **fields):
        return PlacementFactory(pupil=PupilFactory(local_authority=la), provision=provision, **fields)

    # At the PRU on 21 January 2027 (the census day): one all year, one the school recorded, one that ended in
    # December; a cancelled placement and an offer not yet accepted put nobody on roll.
    placed(pru, start_date=D(2026, 9, 7), planned_end_date=D(2027, 7, 16))
    school = SchoolFactory(local_authority=la)
    placed(
        pru,
        start_date=D(2026, 11, 2),
        planned_end_date=D(2027, 7, 16),
        recorded_by_school=True,
        commissioner="school",
        commissioning_school=school,
    )
    placed(pru, status="ended", start_date=D(2026, 9, 7), end_date=D(2026, 12, 18))
    placed(pru, status="cancelled", start_date=D(2026, 9, 7), planned_end_date=D(2027, 7, 16))
    placed(pru, status="offered", start_date=D(2027, 1, 4), planned_end_date=D(2027, 7, 16))
    # At the academy: three pupils in two places on the census days.
    for _ in range(3):
        placed(academy, start_date=D(2027, 1, 4), planned_end_date=D(2027, 7, 16))
    return la, pru, academy


def test_pupils_on_roll_at_the_census_days_count_placements_that_ran_that_day(borough):
    la, pru, academy = borough
    report = places_and_occupancy_for(member(Role.FINANCE_OFFICER, la), academic_year=2026)
    by_name = {row.provision.name: row.occupancy for row in report.rows}
    harbour, millbrook = by_name["Harbour Light Centre"], by_name["Millbrook Academy"]
    assert [count.census.day for count in harbour.at_census] == [D(2027, 1, 21), D(2027, 5, 20)]
    assert [(count.on_roll, count.empty, count.over) for count in harbour.at_census] == [(2, 2, 0), (2, 2, 0)]
    assert [(count.on_roll, count.empty, count.over) for count in millbrook.at_census] == [(3, 0, 1), (3, 0, 1)]
    totals = report.totals
    assert (totals.places, totals.funding) == (6, Decimal("60000.00"))
    assert (totals.paid_by_la, totals.paid_by_dfe) == (Decimal("40000.00"), Decimal("20000.00"))
    assert totals.shares == [Decimal("35000.00"), Decimal("25000.00")]
    assert totals.value_of_occupied + totals.cost_of_empty == totals.funding
    # The PRU's four places were never full: their empty days cost money; the academy's over-occupancy offsets none.
    assert harbour.cost_of_empty > Decimal("20000.00")
    assert totals.cost_of_empty == harbour.cost_of_empty + millbrook.cost_of_empty


def test_the_page_shows_places_funding_occupancy_and_its_chart_to_the_las_finance_readers(client, borough):
    la, pru, academy = borough
    for role in (Role.FINANCE_OFFICER, Role.LA_OFFICER, Role.AUDITOR):
        client.force_login(member(role, la))
        page = client.get(REPORT, {"year": 2026}).content.decode()
        assert "Harbour Light Centre" in page and "Millbrook Academy" in page
        assert "£60,000.00" in page and "£35,000.00" in page and "£25,000.00" in page
        assert "January 2027 census on roll" in page
        assert "<svg" in page and "The chart's figures" in page
        assert ("Set commissioned places" in page) is (role != Role.AUDITOR)


def test_another_las_places_are_not_shown_or_counted(client, borough):
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    client.force_login(member(Role.FINANCE_OFFICER, other))
    page = client.get(REPORT, {"year": 2026}).content.decode()
    assert "Harbour Light Centre" not in page
    assert "No places are commissioned in 2026 to 2027" in page
    assert place_funding_for(member(Role.LA_ADMIN, other), 2026) == []


def test_the_xlsx_holds_each_provisions_figures(client, borough):
    la, *_ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.get(REPORT, {"year": 2026, "format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="place-funding-and-occupancy-2026-27.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headings = rows[0]
    harbour = dict(zip(headings, next(row for row in rows if row[0] == "Harbour Light Centre"), strict=True))
    assert harbour["Places"] == 4 and harbour["Place funding"] == 40000
    assert harbour["On roll in January"] == 2 and harbour["Empty in January"] == 2
    assert harbour["Payer"] == "The local authority"


def test_place_funding_of_a_financial_year_takes_five_twelfths_of_one_academic_year_and_seven_of_the_next(borough):
    la, pru, academy = borough
    CommissionedPlacesFactory(provision=pru, academic_year=2025, places=6, payer="la")
    CommissionedPlacesFactory(provision=academy, academic_year=2027, places=50, payer="dfe")  # from April 2028
    found = {row.provision.name: row for row in place_funding_for(member(Role.FINANCE_OFFICER, la), 2026)}
    # 2026-27: 5/12 of 2025-26's 6 places and 7/12 of 2026-27's 4 places at the PRU; 7/12 of the academy's 2.
    assert found["Harbour Light Centre"].paid_by_la == Decimal("25000.00") + Decimal("23333.33")
    assert found["Harbour Light Centre"].paid_by_dfe == 0
    assert found["Millbrook Academy"].paid_by_dfe == Decimal("11666.67")
    # Every academic year's funding is found whole across the financial years around it: £60,000 in 2025-26,
    # £60,000 in 2026-27 and £500,000 in 2027-28.
    every_year = [place_funding_for(member(Role.LA_ADMIN, la), year) for year in range(2024, 2030)]
    assert sum(row.total for rows in every_year for row in rows) == Decimal("620000.00")


def test_an_officer_sets_a_provisions_places_at_the_las_rate_and_changes_them(client, borough):
    la, pru, _ = borough
    officer = member(Role.LA_OFFICER, la)
    client.force_login(officer)
    form = client.get(SET, {"provision": pru.pk, "year": 2026}).context["form"]
    assert form.initial["places"] == 4 and form.initial["rate_per_place"] == Decimal("10000.00")
    answer = {"provision": pru.pk, "academic_year": 2027, "places": "5", "rate_per_place": "10000.00", "payer": "la"}
    response = client.post(SET, answer)
    assert response.status_code == 302 and response["Location"] == f"{REPORT}?year=2027"
    response = client.post(SET, {**answer, "places": "7"})
    made = CommissionedPlaces.objects.get(provision=pru, academic_year=2027)
    assert (made.places, made.payer, made.updated_by) == (7, "la", officer)
    assert AccessLogEntry.objects.filter(object_type="commissioning.CommissionedPlaces", verb="change").count() == 1


def test_every_problem_of_the_form_is_told_at_once(client, borough):
    la, pru, _ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.post(
        SET, {"provision": pru.pk, "academic_year": "1066", "places": "ten", "rate_per_place": "-5", "payer": ""}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"academic_year", "places", "rate_per_place", "payer"}
    assert "Enter the places as a whole number from 0 to 2,000" in response.content.decode()


def test_another_las_provision_is_no_choice(client, borough):
    la, pru, _ = borough
    other = LocalAuthorityFactory()
    client.force_login(member(Role.LA_ADMIN, other))
    response = client.post(
        SET, {"provision": pru.pk, "academic_year": "2026", "places": "1", "rate_per_place": "1", "payer": "la"}
    )
    assert response.context["form"].errors["provision"] == ["Choose a provision from the list"]
    assert CommissionedPlaces.objects.get(provision=pru, academic_year=2026).places == 4


def test_a_provision_a_school_recorded_is_no_choice(client, borough):
    la, *_ = borough
    recorded = ProvisionFactory(provider=ProviderFactory(local_authority=la), status=Provision.Status.RECORDED)
    client.force_login(member(Role.LA_ADMIN, la))
    response = client.post(
        SET, {"provision": recorded.pk, "academic_year": "2026", "places": "1", "rate_per_place": "1", "payer": "la"}
    )
    assert "provision" in response.context["form"].errors


def test_auditors_read_places_but_do_not_set_them(client, borough):
    la, *_ = borough
    client.force_login(member(Role.AUDITOR, la))
    assert client.get(REPORT).status_code == 200
    assert client.get(SET).status_code == 403


def test_a_year_not_on_the_list_is_named_and_this_years_places_shown(client, borough):
    la, *_ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.get(REPORT, {"year": "1066"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose an academic year from the list" in page and "Harbour Light Centre" in page
