"""The spend dashboard (/insight/dashboards/spend/, issue 14): the LA's spend by provider is the Schools Forum report's
to the penny, the terms of a year add up to the year, who pays and the cost per child-week are worked out by hand,
the AP schools arranged stands beside the LA's, another LA's money is never counted, and only LA roles open it, in a
bounded number of queries."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from aphub.finance.forum import forum_pack_for
from aphub.organisations.models import Role
from tests.factories import (
    CommissionedPlacesFactory,
    LocalAuthorityFactory,
    ProviderFactory,
    ProvisionFactory,
    SchoolFactory,
    member,
)
from tests.finance.conftest import placement_in
from tests.finance.test_forum import school_arranged

pytestmark = pytest.mark.django_db
URL = reverse("insight:dashboard-spend")
AUTUMN = "2026-autumn"  # 1 September to 31 December 2026, inside the financial year 2026-27


@pytest.fixture(autouse=True)
def _on_1_december_2026():
    with time_machine.travel(datetime.date(2026, 12, 1), tick=False):
        yield


def figures(client, user, **query) -> dict:
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return {figure.key: figure for figure, _ in response.context["figures"]}


def column(figure, heading: str) -> dict[str, object]:
    index = figure.table.headings.index(heading)
    return {row[0]: row[index] for row in figure.table.rows}


@pytest.fixture
def borough():
    """An LA's autumn 2026: an LA placement on the exclusion route, one on long-term AP whose school pays the top-up,
    AP a school arranged itself, places the DfE pays an AP academy for; and another LA's money."""
    la = LocalAuthorityFactory(name="Elmbridge Borough Council")
    school = SchoolFactory(local_authority=la, name="Northgate")
    exclusion = placement_in(
        la,
        start_date=datetime.date(2026, 10, 5),
        planned_end_date=datetime.date(2026, 12, 4),
        annual_cost="20000.00",
        provision=ProvisionFactory(provider=ProviderFactory(local_authority=la, legal_name="Ash Learning Ltd")),
    )
    long_term = placement_in(
        la,
        kind="long-term-ap",
        school=school,
        start_date=datetime.date(2026, 9, 7),
        planned_end_date=datetime.date(2026, 12, 18),
        annual_cost="14000.00",
        tier="3",
        provision=ProvisionFactory(provider=ProviderFactory(local_authority=la, legal_name="Birch Tutors CIC")),
    )
    bought = school_arranged(
        la,
        school,
        weekly_cost="100",
        start=datetime.date(2026, 9, 7),
        planned_end=datetime.date(2026, 12, 18),
        setting_type="one-to-one-tuition",
        placement_reason="mental-health",
    )
    CommissionedPlacesFactory(provision__provider__local_authority=la, places=2, payer="dfe")
    other = LocalAuthorityFactory()
    placement_in(other, start_date=datetime.date(2026, 9, 7), annual_cost="99000.00")
    school_arranged(other, SchoolFactory(local_authority=other), weekly_cost="999", start=datetime.date(2026, 9, 7))
    CommissionedPlacesFactory(provision__provider__local_authority=other, places=9, payer="dfe")
    return la, exclusion, long_term, bought


def test_spend_by_provider_and_by_route_are_the_schools_forum_reports_for_a_year(client, borough):
    la, *_ = borough
    # Later in the financial year 2026-27, at a third provider: its money lies inside the academic year 2026/27 too.
    placement_in(la, start_date=datetime.date(2027, 1, 11), planned_end_date=datetime.date(2027, 3, 26))
    user = member(Role.LA_OFFICER, la)
    # Every pound of the LA's lies between September 2026 and March 2027: in the academic year 2026/27 as in the
    # financial year 2026-27, so the dashboard's year is the Schools Forum report's.
    shown = figures(client, user, period="2026")
    pack = forum_pack_for(member(Role.FINANCE_OFFICER, la), financial_year=2026)
    for key, rows in (("by-provider", pack.by_provider), ("by-route", pack.by_route)):
        table = shown[key].table
        assert table.money
        assert [row[0] for row in table.rows] == [row.name for row in rows]
        assert column(shown[key], "Actuals to date") == {row.name: row.actuals for row in rows}
        assert column(shown[key], "Commitments") == {row.name: row.commitments for row in rows}
    assert sum(row[1] + row[2] for row in shown["by-provider"].table.rows) == pack.spend_total.total
    assert pack.spend_total.total == pack.outturn.total.actuals + pack.outturn.total.commitments
    assert column(shown["by-payer"], "Spend")["The local authority (High Needs Block)"] == pack.spend_total.total
    # Exclusion: place funding and top-up, £10,000 a year each, on 5 October to 4 December (£1,671.23 each, below);
    # paid to 1 December (today), committed after.
    ash = next(row for row in shown["by-provider"].table.rows if row[0] == "Ash Learning Ltd")
    assert ash[1] + ash[2] == Decimal("3342.46")


def test_the_terms_of_an_academic_year_add_up_to_the_year_across_1_april(client, borough):
    la, *_ = borough
    # 8 February to 16 July 2027: its lines cross 1 April, so the year's spend is two financial years' cut at its days.
    placement_in(la, start_date=datetime.date(2027, 2, 8), planned_end_date=datetime.date(2027, 7, 16))
    user = member(Role.LA_OFFICER, la)

    def spend(period: str) -> tuple[Decimal, Decimal]:
        shown = figures(client, user, period=period)
        return column(shown["by-payer"], "Spend")["The local authority (High Needs Block)"], sum(
            column(shown["by-payer"], "Spend").values()
        )

    year = spend("2026")
    terms = [spend(f"2026-{term}") for term in ("autumn", "spring", "summer")]
    assert year[0] == sum(term[0] for term in terms) > 0
    assert year[1] == sum(term[1] for term in terms)
    # The summer term's LA money is the financial year 2027-28's: the Schools Forum report's for that year, as its
    # April to August are the only days of any placement in it.
    pack = forum_pack_for(member(Role.FINANCE_OFFICER, la), financial_year=2027)
    assert terms[2][0] == pack.outturn.total.actuals + pack.outturn.total.commitments


def test_who_pays_and_the_cost_per_child_week_worked_by_hand(client, borough):
    la, *_ = borough
    shown = figures(client, member(Role.LA_OFFICER, la), period=AUTUMN)
    # Money accrues by the day over the financial year 2026-27 (365 days, from 1 April): what a rate earned by a
    # day's end, rounded to the penny, less what it earned by the day before the first.
    # Exclusion, 5 October (day 188) to 4 December (day 248), 61 days: £10,000 earned 6,794.52 less 5,123.29 =
    # £1,671.23, for place funding and again for the top-up: £3,342.46.
    # Long-term AP, 7 September (day 160) to 18 December (day 262), 103 days: the LA's £10,000 place funding,
    # 7,178.08 less 4,356.16 = £2,821.92; the school's £4,000 top-up, 2,871.23 less 1,742.47 = £1,128.76.
    # The school's own AP, £100 a school week = £3,800 a year, the same 103 days: 2,727.67 less 1,655.34 = £1,072.33.
    # The DfE's 2 places at £10,000 for 2026/27: 7/12 (£11,666.67) spread over 1 September to 31 March (212 days);
    # the autumn's 122 of them: £6,713.84.
    assert column(shown["by-payer"], "Spend") == {
        "The local authority (High Needs Block)": Decimal("6164.38"),
        "Schools": Decimal("1128.76") + Decimal("1072.33"),
        "Other: the DfE, for AP academies' places": Decimal("6713.84"),
    }
    # Child-weeks: 61 + 103 days through AP Hub = 164 / 7 = 23.43; the school's own 103 / 7 = 14.71.
    # Through AP Hub: £6,164.38 + £1,128.76 + £6,713.84 = £14,006.98 x 7 / 164 = £597.86 a child-week.
    # The school's own: £1,072.33 x 7 / 103 = £72.88. All: £15,079.31 x 7 / 267 = £395.34.
    assert column(shown["cost-per-child-week"], "Cost per child-week") == {
        "Placements made through AP Hub": Decimal("597.86"),
        "AP schools recorded arranging themselves": Decimal("72.88"),
        "All AP": Decimal("395.34"),
    }
    assert shown["cost-per-child-week"].summary.startswith("£395.34 a child-week")
    assert column(shown["bought-by-setting"], "Cost in the period") == {"One on one tuition": Decimal("1072.33")}


def test_a_narrowed_view_counts_only_the_chosen_placements_money(client, borough):
    la, exclusion, long_term, bought = borough
    shown = figures(client, member(Role.LA_OFFICER, la), period=AUTUMN, tier="3")
    # Tier 3 is the long-term AP placement alone; commissioned places are no child's, so the DfE's are left out.
    assert column(shown["by-payer"], "Spend") == {
        "The local authority (High Needs Block)": Decimal("2821.92"),
        "Schools": Decimal("1128.76"),
        "Other: the DfE, for AP academies' places": None,
    }
    assert "leaves them out" in shown["by-payer"].summary
    assert [row[0] for row in shown["by-provider"].table.rows] == ["Birch Tutors CIC"]


def test_school_arranged_ap_by_setting_and_reason_beside_the_las(client, borough):
    la, exclusion, long_term, bought = borough
    shown = figures(client, member(Role.LA_OFFICER, la), period=AUTUMN)
    by_setting = shown["by-setting"]
    assert by_setting.table.headings == ["Type of setting", "Arranged by the LA", "Arranged by schools"]
    rows = {row[0]: row[1:] for row in by_setting.table.rows}
    # The LA's two placements are at providers with neither URN nor UKPRN and no census type: Unknown.
    assert rows["One on one tuition"] == [0, 1]
    assert rows["Unknown"] == [2, 0]
    assert sum(row[1] for row in by_setting.table.rows) == 2
    reasons = {row[0]: row[1:] for row in shown["by-reason"].table.rows}
    assert reasons["Medical condition (mental health need)"] == [0, 1]
    assert reasons["Not recorded"] == [2, 0]
    assert shown["by-reason"].summary.startswith("1 child in AP schools arranged, beside 2 in AP the LA arranged")


@pytest.mark.parametrize("role", [Role.SCHOOL_STAFF, Role.PROVIDER_STAFF, Role.FINANCE_OFFICER])
def test_only_la_roles_open_the_spend_dashboard(client, role):
    la = LocalAuthorityFactory()
    organisation = {
        Role.SCHOOL_STAFF: lambda: SchoolFactory(local_authority=la),
        Role.PROVIDER_STAFF: lambda: ProviderFactory(local_authority=la),
        Role.FINANCE_OFFICER: lambda: la,
    }[role]()
    client.force_login(member(role, organisation))
    assert client.get(URL).status_code == 403


def test_the_auditor_reads_it_and_every_table_downloads(client, borough):
    la, *_ = borough
    client.force_login(member(Role.AUDITOR, la))
    assert client.get(URL, {"period": AUTUMN}).status_code == 200
    response = client.get(URL, {"period": AUTUMN, "table": "cost-per-child-week", "format": "csv"})
    assert response.status_code == 200
    assert "395.34" in response.content.decode()


def test_the_page_reads_a_bounded_number_of_queries(client, borough, django_assert_max_num_queries):
    la, *_ = borough
    user = member(Role.LA_OFFICER, la)
    client.force_login(user)
    with django_assert_max_num_queries(60) as few:
        client.get(URL, {"period": "2026"})
    for day in range(20):
        placement_in(la, start_date=datetime.date(2026, 9, 7 + day), planned_end_date=datetime.date(2027, 5, 14))
        school_arranged(la, SchoolFactory(local_authority=la), weekly_cost="80", start=datetime.date(2026, 9, 7 + day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL, {"period": "2026"})


def test_the_funding_lines_are_read_once_a_financial_year(client, borough, django_assert_max_num_queries):
    # The academic year 2026/27 crosses 1 April: two financial years, each one read of its lines for both the actuals
    # and the commitments (reading them for each figure made the page 8 queries longer).
    la, *_ = borough
    client.force_login(member(Role.LA_OFFICER, la))
    with django_assert_max_num_queries(60) as counted:
        assert client.get(URL, {"period": "2026"}).status_code == 200
    read = [query["sql"] for query in counted.captured_queries]
    lines = [sql for sql in read if sql.startswith('SELECT "funding_fundingline"."id"')]
    assert len(lines) == 2 + 1  # each financial year's lines, and the lines schools pay (the recharges)
