"""Commissioned place funding in the outturn (decision 0029, "In the outturn"): the LA's own commissioned places (its
PRU) count under the budget line that covers commissioned place funding, earned by the day over the months each part
of the academic year pays for, in the month profile and drillable to the provisions and years; the DfE's places are
shown for context only; and a placement at a provision with commissioned places adds no place funding of its own."""

import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from aphub.core.money import format_money
from aphub.finance.queries import month_of, outturn_for, parts_of
from aphub.funding.models import FundingLine
from aphub.funding.periods import amount_between
from aphub.organisations.models import Role
from tests.factories import CommissionedPlacesFactory, ProviderFactory, ProvisionFactory, member

from .conftest import budget_line, placement_in
from .test_outturn_reconciles import DRILL_DOWN_LINK, drill_down_sum

pytestmark = pytest.mark.django_db
URL = reverse("finance:outturn")
COMMISSIONED = ("commissioned-place-funding", "")


@pytest.fixture
def places(borough):
    """The borough's PRU (places the LA pays: 10 last year, 12 this) and an AP academy (20 places the DfE pays)."""
    la, placements = borough
    pru = ProvisionFactory(provider=ProviderFactory(local_authority=la), name="Harbour Light Centre PRU")
    academy = ProvisionFactory(provider=ProviderFactory(local_authority=la), name="Millbrook Academy")
    CommissionedPlacesFactory(provision=pru, academic_year=2025, places=10, payer="la")
    CommissionedPlacesFactory(provision=pru, academic_year=2026, places=12, payer="la")
    CommissionedPlacesFactory(provision=academy, academic_year=2026, places=20, payer="dfe")
    line = budget_line(la, "PRU places", [COMMISSIONED], "120000.00", order=5)
    return la, pru, academy, line


def test_the_las_commissioned_places_count_under_their_line_by_the_day(places):
    la, _, _, line = places
    outturn = outturn_for(member(Role.FINANCE_OFFICER, la), financial_year=2026)
    row = next(row for row in outturn.rows if row.key == str(line.pk))
    # 5/12 of last year's £100,000 (April to August 2026, all past on 1 December) and 7/12 of this year's £120,000
    # (£70,000 over 1 September to 31 March, 212 days, of which 92 are past: £70,000 x 92 / 212).
    assert row.actuals == Decimal("41666.67") + Decimal("30377.36")
    assert row.actuals + row.commitments == Decimal("41666.67") + Decimal("70000.00")
    assert row.expected == 0  # places are commissioned, not started
    assert row.variance == Decimal("120000.00") - Decimal("111666.67")
    # The months add up to the year, and July's part is July's days of April to August's £41,666.67 (31 of 153).
    july = month_of(2026, "2026-07")
    user = member(Role.FINANCE_OFFICER, la)
    in_july = parts_of(user, financial_year=2026, figure="actuals", key=str(line.pk), month=july)
    assert [part.amount for part in in_july] == [Decimal("8442.26")]
    assert sum(m.actuals + m.commitments for m in outturn.months) == outturn.total.actuals + outturn.total.commitments


def test_the_dfes_places_are_context_only(client, places):
    la, _, _, line = places
    user = member(Role.FINANCE_OFFICER, la)
    without = outturn_for(user, financial_year=2026)
    assert without.paid_by_dfe == Decimal("116666.67")  # 7/12 of 20 places at £10,000
    client.force_login(user)
    page = client.get(URL).content.decode()
    assert "the DfE pays academies and free schools £116,666.67 of place funding" in page
    assert all(
        "Millbrook" not in part.provision.name
        for part in parts_of(user, financial_year=2026, figure="commitments", key="all")
    )


def test_with_no_line_covering_them_commissioned_places_are_not_in_a_budget_line(places):
    la, _, _, line = places
    line.delete()
    outturn = outturn_for(member(Role.FINANCE_OFFICER, la), financial_year=2026)
    none = next(row for row in outturn.rows if row.key == "none")
    parts = parts_of(member(Role.FINANCE_OFFICER, la), financial_year=2026, figure="commitments", key="none")
    assert any(part.commissioned is not None for part in parts)
    assert sum(part.amount for part in parts) == none.commitments


def test_a_placement_at_a_provision_with_commissioned_places_adds_no_place_funding(places):
    la, pru, academy, _ = places
    user = member(Role.FINANCE_OFFICER, la)
    before = outturn_for(user, financial_year=2026)
    # At the PRU from 20 April 2026 to July 2027: the PRU has commissioned places in 2026 to 2027 and in 2025 to
    # 2026, so the placement's own place funding line is not counted at all; its top-up is.
    at_pru = placement_in(
        la, provision=pru, start_date=datetime.date(2026, 4, 20), planned_end_date=datetime.date(2027, 7, 16)
    )
    # At the academy (DfE-paid places from September 2026 only): its place funding counts from 20 April to
    # 31 August 2026, not after.
    at_academy = placement_in(
        la, provision=academy, start_date=datetime.date(2026, 4, 20), planned_end_date=datetime.date(2027, 7, 16)
    )
    after = outturn_for(user, financial_year=2026)
    lines = FundingLine.objects.filter(financial_year=2026, payer="la")
    top_ups = sum(line.amount for line in lines.filter(kind="top-up", placement__in=[at_pru, at_academy]))
    assert lines.filter(kind="place-funding", placement=at_pru).exists()  # the funding lines page still shows it
    place_funding_counted = amount_between(Decimal("10000.00"), datetime.date(2026, 4, 20), datetime.date(2026, 8, 31))
    spent = lambda outturn: outturn.total.actuals + outturn.total.commitments  # noqa: E731
    assert spent(after) - spent(before) == top_ups + place_funding_counted
    # The drill-down shows the academy's place funding line for its counted days only.
    parts = [
        part
        for figure in ("actuals", "commitments")
        for part in parts_of(user, financial_year=2026, figure=figure, key="all")
        if part.placement_id in (at_pru.pk, at_academy.pk) and part.kind == "Place funding"
    ]
    assert [(part.placement_id, part.start, part.end) for part in parts] == [
        (at_academy.pk, datetime.date(2026, 4, 20), datetime.date(2026, 8, 31))
    ]


def test_every_figure_with_commissioned_places_is_the_sum_of_its_drill_down(client, places):
    la, pru, _, line = places
    placement_in(la, provision=pru, start_date=datetime.date(2026, 10, 12), annual_cost="23000.00")
    client.force_login(member(Role.FINANCE_OFFICER, la))
    page = client.get(URL).content.decode()
    links = DRILL_DOWN_LINK.findall(page)
    assert len(links) == 3 * 5 + 3 * 12  # four rows and the total, and the months
    for href, shown in links:
        total, _ = drill_down_sum(client, href)
        assert format_money(total) == shown, unescape(href)
    drill = client.get(reverse("finance:drill-down"), {"year": 2026, "figure": "commitments", "line": line.pk})
    text = drill.content.decode()
    assert "Harbour Light Centre PRU" in text and "Commissioned places, 2026 to 2027: 12 at £10,000.00" in text
    csv_text = client.get(
        reverse("finance:drill-down"), {"year": 2026, "figure": "actuals", "line": line.pk, "format": "csv"}
    ).content.decode()
    assert "Commissioned places, 2025 to 2026: 10 at £10,000.00" in csv_text and "Every route" in csv_text


def test_a_negative_variance_never_wraps_after_its_minus_sign(client, borough):
    la, _ = borough
    budget_line(la, "Tiny", [("top-up", "awaiting-school-place")], "1.00", order=30)
    client.force_login(member(Role.FINANCE_OFFICER, la))
    page = client.get(URL).content.decode()
    # The minus sign (U+2212) held to the pounds by a word joiner (U+2060): no line break between them.
    assert "\u2212\u2060£" in page
    assert "-£" not in page
