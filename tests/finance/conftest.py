import datetime

import pytest
import time_machine

from aphub.finance.models import BudgetAmount, BudgetCover, BudgetLine
from aphub.funding.services import plan_funding
from tests.factories import (
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    PupilFactory,
    SchoolFactory,
    route_for,
)

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _on_1_december_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def placement_in(la, *, kind="permanent-exclusion", school=None, **fields):
    pupil = PupilFactory(local_authority=la)
    route = route_for(la, kind)
    episode = EpisodeFactory(pupil=pupil, route=route, school=school)
    placement = PlacementFactory(pupil=pupil, episode=episode, route=route, **fields)
    plan_funding(placement=placement)
    return placement


def budget_line(la, name, covers, amount=None, *, year=2026, order=10):
    line = BudgetLine.objects.create(local_authority=la, name=name, order=order)
    for kind, route_kind in covers:
        BudgetCover.objects.create(budget_line=line, local_authority=la, kind=kind, route_kind=route_kind)
    if amount is not None:
        BudgetAmount.objects.create(budget_line=line, financial_year=year, amount=amount)
    return line


@pytest.fixture
def borough(db):
    """An LA with two budget lines, placements running, ended, planned, started recently and long ago, on covered
    routes and on one no line covers (long-term AP's place funding), and a school-paid top-up (not HNB spend)."""
    la = LocalAuthorityFactory(name="Elmbridge Borough Council")
    school = SchoolFactory(local_authority=la)
    budget_line(la, "Top-ups: exclusions", [("top-up", "permanent-exclusion")], "30000.00", order=20)
    budget_line(
        la,
        "Place funding",
        [("place-funding", "permanent-exclusion"), ("place-funding", "awaiting-school-place")],
        "40000.00",
        order=10,
    )
    placements = [
        # Started in April, runs to its planned end in July 2027: part actual, part committed, across 1 April.
        placement_in(la, start_date=datetime.date(2026, 4, 20), planned_end_date=datetime.date(2027, 7, 16)),
        # Started recently (inside the last 12 weeks): sets the rate of expected starts.
        placement_in(
            la,
            start_date=datetime.date(2026, 10, 5),
            planned_end_date=datetime.date(2027, 2, 12),
            annual_cost="21000.00",
        ),
        placement_in(la, kind="awaiting-school-place", start_date=datetime.date(2026, 11, 16), annual_cost="16500.00"),
        # Ended in the summer: all actual.
        placement_in(
            la,
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 7, 17),
            planned_end_date=datetime.date(2026, 7, 17),
            status="ended",
        ),
        # Planned to start in January: all committed.
        placement_in(la, start_date=datetime.date(2027, 1, 11), status="accepted", annual_cost="19000.00"),
        # Long-term AP: the LA pays place funding no line covers; the school pays the top-up.
        placement_in(
            la, kind="long-term-ap", school=school, start_date=datetime.date(2026, 9, 7), annual_cost="14000.00"
        ),
    ]
    return la, placements
