"""The Schools Forum report at /funding/forum/ (issue 13): its tables add up to the outturn and to place funding to
the penny, the AP schools bought is costed by the day, the XLSX holds the page's figures, it names no child, and only
the LA's finance readers open it, for their own LA."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.commissioning.places.queries import place_funding_for
from aphub.core.money import format_money
from aphub.finance.forum import cost_in_year, forum_pack_for
from aphub.organisations.models import Role
from aphub.placements.models import Placement
from tests.factories import (
    CommissionedPlacesFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
    route_for,
)

pytestmark = pytest.mark.django_db
URL = reverse("finance:forum")


def school_arranged(
    la, school, *, weekly_cost: str, start, end=None, planned_end=None, provider=None, pupil=None, **fields
):
    """A placement a school recorded itself, at a provider outside the directory, costing `weekly_cost` a school week
    (38 of them a year, as the census import keeps it)."""
    provider = provider or ProviderFactory(local_authority=None)
    pupil = pupil or PupilFactory(local_authority=la)
    route = route_for(la, "off-site-direction")
    return PlacementFactory(
        pupil=pupil,
        episode=EpisodeFactory(pupil=pupil, route=route, school=school),
        route=route,
        provision=ProvisionFactory(provider=provider, local_authority=la, status="recorded"),
        commissioner="school",
        commissioning_school=school,
        recorded_by_school=True,
        start_date=start,
        end_date=end,
        planned_end_date=planned_end,
        annual_cost=Decimal(weekly_cost) * 38,
        **fields,
    )


def test_spend_by_provider_and_by_route_each_add_up_to_the_outturns_spend(borough):
    la, placements = borough
    pack = forum_pack_for(member(Role.FINANCE_OFFICER, la), financial_year=2026)
    spend = pack.outturn.total.actuals + pack.outturn.total.commitments
    assert spend > 0
    for table in (pack.by_provider, pack.by_route):
        assert sum(row.total for row in table) == spend
        assert sum(row.actuals for row in table) == pack.outturn.total.actuals
        assert sum(row.commitments for row in table) == pack.outturn.total.commitments
    assert pack.spend_total.total == spend
    # Each placement of the LA's money is counted once, under its own provider and route.
    assert sum(row.placements for row in pack.by_provider) == len(placements) == pack.spend_total.placements
    # Three routes carry LA money: permanent exclusion (four placements), awaiting a school place, long-term AP.
    assert sorted(row.placements for row in pack.by_route) == [1, 1, 4]


def test_place_funding_in_the_year_is_five_twelfths_of_last_academic_year_and_seven_of_this():
    la = LocalAuthorityFactory()
    last = CommissionedPlacesFactory(provision__provider__local_authority=la, academic_year=2025, places=5)
    this = CommissionedPlacesFactory(provision=last.provision, academic_year=2026, places=10, payer="dfe")
    user = member(Role.FINANCE_OFFICER, la)
    pack = forum_pack_for(user, financial_year=2026)
    assert [(row.academic_year, row.twelfths, row.funding_in_year) for row in pack.places] == [
        (2025, 5, Decimal("20833.33")),  # £50,000 split 29,166.67 and 20,833.33
        (2026, 7, Decimal("58333.33")),  # £100,000 split 58,333.33 and 41,666.67
    ]
    totals = pack.places_totals
    assert totals.funding_in_year == Decimal("79166.66")
    assert (totals.paid_by_la, totals.paid_by_dfe) == (Decimal("20833.33"), Decimal("58333.33"))
    # The same as commissioning's own answer for the financial year, which the outturn reads.
    assert totals.funding_in_year == sum(found.total for found in place_funding_for(user, 2026))
    # No pupil on roll: every place is empty, at both census days, and all its funding is the cost of empty places.
    assert totals.cost_of_empty_in_year == totals.funding_in_year
    assert [count.empty for count in pack.places[1].found.occupancy.at_census] == [this.places, this.places]


def test_ap_schools_bought_is_its_weekly_cost_by_the_day_in_the_year_by_setting_and_school():
    la = LocalAuthorityFactory()
    northgate, lakeside = SchoolFactory(local_authority=la, name="Northgate"), SchoolFactory(local_authority=la)
    # £100 a school week is £3,800 a year; 1 September to 18 December 2026 is 109 of the year's 365 days:
    # what it had earned by 18 December (262 days, £2,727.67) less by 31 August (153 days, £1,592.88).
    tutor = school_arranged(
        la,
        northgate,
        weekly_cost="100",
        start=datetime.date(2026, 9, 1),
        planned_end=datetime.date(2026, 12, 18),
        setting_type="one-to-one-tuition",
    )
    # Began in the last financial year, ended 30 April 2026: 30 days of £7,220 a year fall in this one.
    school_arranged(
        la,
        northgate,
        weekly_cost="190",
        start=datetime.date(2026, 2, 2),
        end=datetime.date(2026, 4, 30),
        status="ended",
        provider=ProviderFactory(local_authority=None, urn="140001"),
    )
    # The same child again, at a college with a UKPRN: one child, two placements.
    school_arranged(
        la,
        lakeside,
        weekly_cost="50",
        start=datetime.date(2027, 1, 4),
        planned_end=datetime.date(2027, 1, 8),
        provider=ProviderFactory(local_authority=None, ukprn="10012345"),
        pupil=tutor.pupil,
        is_full_time=False,
        status="accepted",
    )
    # Not counted: ended before the year, a cancelled one, the LA's own placement, another LA's school's.
    school_arranged(la, lakeside, weekly_cost="80", start=datetime.date(2026, 1, 5), end=datetime.date(2026, 3, 31))
    school_arranged(la, lakeside, weekly_cost="80", start=datetime.date(2026, 10, 5), status="cancelled")
    PlacementFactory(pupil=PupilFactory(local_authority=la))
    other = LocalAuthorityFactory()
    school_arranged(other, SchoolFactory(local_authority=other), weekly_cost="999", start=datetime.date(2026, 9, 1))

    pack = forum_pack_for(member(Role.FINANCE_OFFICER, la), financial_year=2026)
    tuition, by_urn, college_cost = (
        Decimal("1134.79"),
        Decimal("593.42"),
        cost_in_year(Decimal("1900.00"), datetime.date(2027, 1, 4), datetime.date(2027, 1, 8), 2026),
    )
    assert college_cost == Decimal("26.03")  # 5 days of £1,900 a year
    assert [(row.name, row.placements, row.children, row.cost) for row in pack.by_setting] == [
        ("Education setting with URN", 1, 1, by_urn),
        ("Registered provider with UKPRN", 1, 1, college_cost),
        ("One on one tuition", 1, 1, tuition),
    ]
    assert [(row.name, row.placements, row.children, row.cost) for row in pack.by_school] == [
        ("Northgate", 2, 2, tuition + by_urn),
        (lakeside.name, 1, 1, college_cost),
    ]
    total = pack.bought_total
    assert (total.placements, total.children, total.cost) == (3, 2, tuition + by_urn + college_cost)


def _sheet(response, title: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content))
    return list(workbook[title].iter_rows(values_only=True))


def test_the_page_and_its_xlsx_show_the_same_figures_and_name_no_child(client, borough):
    la, placements = borough
    CommissionedPlacesFactory(provision=placements[0].provision, academic_year=2026, places=4)
    school_arranged(la, SchoolFactory(local_authority=la), weekly_cost="120", start=datetime.date(2026, 9, 7))
    user = member(Role.FINANCE_OFFICER, la)
    client.force_login(user)
    response = client.get(URL, {"year": 2026})
    assert response.status_code == 200
    page = response.content.decode()
    pack = forum_pack_for(user, financial_year=2026)
    for heading in ("Outturn by budget line", "Place funding and occupancy", "Spend by provider", "Spend by route"):
        assert heading in page
    assert page.count("<svg") >= 6  # a chart for each table
    workbook = client.get(URL, {"year": 2026, "format": "xlsx"})
    assert workbook["Content-Disposition"] == 'attachment; filename="schools-forum-2026-27.xlsx"'
    sheets = load_workbook(io.BytesIO(workbook.content)).sheetnames
    assert sheets == [
        "Outturn by budget line",
        "Place funding and occupancy",
        "Spend by provider",
        "Spend by route",
        "Bought by schools, by setting",
        "Bought by schools, by school",
    ]
    # Each sheet's total row is the page's total, in pounds, and money is a number shown in pounds.
    outturn = _sheet(workbook, "Outturn by budget line")
    assert outturn[-1][0] == "Total" and Decimal(str(outturn[-1][5])) == pack.outturn.total.forecast
    for title in ("Spend by provider", "Spend by route"):
        rows = _sheet(workbook, title)
        assert rows[-1][0] == "Total" and Decimal(str(rows[-1][4])) == pack.spend_total.total
        assert format_money(pack.spend_total.total) in page
        for row in rows[1:]:
            assert str(row[0]) in page and format_money(Decimal(str(row[4]))) in page
    places = _sheet(workbook, "Place funding and occupancy")
    assert Decimal(str(places[-1][10])) == pack.places_totals.funding_in_year
    assert format_money(pack.places_totals.funding_in_year) in page
    bought = _sheet(workbook, "Bought by schools, by school")
    assert bought[-1][1:3] == (1, 1) and Decimal(str(bought[-1][3])) == pack.bought_total.cost > 0
    assert format_money(pack.bought_total.cost) in page
    cell = load_workbook(io.BytesIO(workbook.content))["Spend by route"]["E2"]
    assert cell.number_format == '"£"#,##0.00'
    # Aggregates only: no child's name or UPN on the page or in the file.
    text = page + " ".join(str(value) for title in sheets for row in _sheet(workbook, title) for value in row)
    for placement in Placement.objects.filter(pupil__local_authority=la):
        assert placement.pupil.last_name not in text and placement.pupil.upn not in text


def test_only_the_las_finance_readers_open_it_and_see_their_own_la(client, borough):
    la, _ = borough
    other = LocalAuthorityFactory(name="Farleigh Council")
    far_school = SchoolFactory(local_authority=other, name="Farleigh High")
    school_arranged(other, far_school, weekly_cost="300", start=datetime.date(2026, 9, 7))
    for role in (Role.FINANCE_OFFICER, Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR):
        client.force_login(member(role, la))
        page = client.get(URL).content.decode()
        assert "Schools Forum report" in page and "Farleigh" not in page
    client.force_login(member(Role.SCHOOL_STAFF, far_school))
    assert client.get(URL).status_code == 403
    client.force_login(member(Role.PROVIDER_STAFF, ProviderFactory()))
    assert client.get(URL).status_code == 403


def test_a_year_that_is_not_offered_is_a_clear_error_not_a_500(client, borough):
    la, _ = borough
    client.force_login(member(Role.FINANCE_OFFICER, la))
    response = client.get(URL, {"year": "1999"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
