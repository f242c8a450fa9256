"""Ending a placement early takes off the year's commitment exactly the money of the days it no longer runs, and
leaves what was spent to date as it was (seed 004: the HNB forecast must move when a placement stops)."""

import datetime

import pytest

from aphub.finance.queries import outturn_for, parts_of
from aphub.funding.periods import amount_between
from aphub.organisations.models import Role
from aphub.placements.services import end_placement
from tests.factories import member

from .conftest import TODAY, budget_line, placement_in

pytestmark = pytest.mark.django_db


def test_ending_a_placement_early_reduces_the_commitment_by_its_remaining_pro_rata_top_up():
    from tests.factories import LocalAuthorityFactory

    la = LocalAuthorityFactory()
    line = budget_line(la, "Top-ups: exclusions", [("top-up", "permanent-exclusion")], "50000.00")
    placement = placement_in(
        la, start_date=datetime.date(2026, 9, 7), planned_end_date=datetime.date(2027, 3, 26), annual_cost="23456.78"
    )
    admin = member(Role.LA_ADMIN, la)
    before = outturn_for(admin, financial_year=2026)
    (row_before,) = [row for row in before.rows if row.name == line.name]
    top_up = placement.funding_lines.get(kind="top-up", financial_year=2026).annual_rate

    end_placement(user=admin, placement=placement, end_date=TODAY, destination="moved-away")

    after = outturn_for(admin, financial_year=2026)
    (row_after,) = [row for row in after.rows if row.name == line.name]
    no_longer_runs = amount_between(top_up, TODAY + datetime.timedelta(days=1), datetime.date(2027, 3, 26))
    assert row_before.commitments - row_after.commitments == no_longer_runs
    assert row_after.actuals == row_before.actuals
    # The place funding (in no line here) falls by its own days, and the total by both.
    place = placement.funding_lines.get(kind="place-funding", financial_year=2026).annual_rate
    assert before.total.commitments - after.total.commitments == no_longer_runs + amount_between(
        place, TODAY + datetime.timedelta(days=1), datetime.date(2027, 3, 26)
    )
    # Nothing is left committed for it: its drill-down no longer lists it.
    committed = parts_of(admin, financial_year=2026, figure="commitments", key=str(line.pk))
    assert placement.pk not in {part.placement.pk for part in committed}
