"""plan_funding: place funding and top-up lines for a placement, pro rata to its dates, payers from its route."""

import datetime
from decimal import Decimal

import pytest

from aphub.core.errors import DomainError
from aphub.duties.models import LocalPolicy
from aphub.funding.models import FundingLine
from aphub.funding.services import plan_funding, planned_lines
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, SchoolFactory, route_for

pytestmark = pytest.mark.django_db


def rows(lines):
    return [(line.kind, line.payer, line.financial_year, line.days, line.amount) for line in lines]


def test_an_la_placement_has_place_funding_and_top_up_from_the_la_cut_at_1_april():
    # Permanent exclusion (seed 004): the LA pays both. Open-ended, so funded to 31 August 2027.
    placement = PlacementFactory(annual_cost="18000.00")
    lines = plan_funding(placement=placement)
    assert rows(lines) == [
        ("place-funding", "la", 2026, 142, Decimal("3890.41")),  # 10,000 x 142/365
        ("top-up", "la", 2026, 142, Decimal("3112.33")),  # 8,000 x 142/365
        ("place-funding", "la", 2027, 153, Decimal("4180.33")),  # 10,000 x 153/366
        ("top-up", "la", 2027, 153, Decimal("3344.26")),  # 8,000 x 153/366
    ]
    stored = FundingLine.objects.filter(placement=placement).order_by("period_start", "kind")
    assert rows(stored) == rows(lines)
    assert {line.local_authority_id for line in stored} == {placement.pupil.local_authority_id}
    assert stored[0].period_start == datetime.date(2026, 11, 10)
    assert stored[3].period_end == datetime.date(2027, 8, 31)
    assert {line.annual_rate for line in stored} == {Decimal("10000.00"), Decimal("8000.00")}


def test_the_place_funding_rate_is_the_las_policy():
    placement = PlacementFactory(annual_cost="18000.00", planned_end_date=datetime.date(2026, 12, 18))
    LocalPolicy.objects.create(local_authority=placement.pupil.local_authority, place_funding_annual="12000.00")
    lines = plan_funding(placement=placement)
    assert rows(lines) == [
        ("place-funding", "la", 2026, 39, Decimal("1282.19")),  # 12,000 x 39/365
        ("top-up", "la", 2026, 39, Decimal("641.10")),  # 6,000 x 39/365
    ]


def test_a_school_commissioned_placement_has_the_school_pay_the_top_up():
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority)
    route = route_for(pupil.local_authority, "short-term-intervention")  # LA place funding, school top-up
    episode = EpisodeFactory(pupil=pupil, route=route, school=school)
    placement = PlacementFactory(
        pupil=pupil,
        episode=episode,
        route=route,
        commissioner="school",
        commissioning_school=school,
        planned_end_date=datetime.date(2027, 1, 29),
        annual_cost="15000.00",
    )
    lines = plan_funding(placement=placement)
    assert [(line.kind, line.payer, line.payer_school) for line in lines] == [
        ("place-funding", "la", None),
        ("top-up", "school", school),
    ]
    assert lines[1].annual_rate == Decimal("5000.00")
    assert lines[1].payer_name == school.name


def test_a_school_commissioner_pays_the_top_up_even_when_the_route_says_the_la_does():
    placement = PlacementFactory(annual_cost="18000.00")  # permanent exclusion: the route says the LA pays
    school = SchoolFactory(local_authority=placement.pupil.local_authority)
    placement.commissioner, placement.commissioning_school = "school", school
    placement.save()
    top_ups = [line for line in plan_funding(placement=placement) if line.kind == "top-up"]
    assert {(line.payer, line.payer_school) for line in top_ups} == {("school", school)}


def test_when_the_la_commissions_on_a_route_a_school_pays_the_episodes_school_pays():
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority)
    route = route_for(pupil.local_authority, "health-needs")  # LA or school commissions; the school pays the top-up
    placement = PlacementFactory(
        pupil=pupil, episode=EpisodeFactory(pupil=pupil, route=route, school=school), route=route
    )
    top_ups = [line for line in plan_funding(placement=placement) if line.kind == "top-up"]
    assert top_ups and {(line.payer, line.payer_school) for line in top_ups} == {("school", school)}


def test_a_route_without_place_funding_puts_the_whole_cost_in_the_top_up():
    placement = PlacementFactory(annual_cost="9125.00", planned_end_date=datetime.date(2026, 11, 19))
    placement.route.place_funding_payer = ""
    placement.route.save()
    assert rows(plan_funding(placement=placement)) == [("top-up", "la", 2026, 10, Decimal("250.00"))]


def test_a_top_up_is_never_below_nothing():
    placement = PlacementFactory(annual_cost="6000.00", planned_end_date=datetime.date(2026, 12, 18))
    lines = plan_funding(placement=placement)
    assert [line.kind for line in lines] == ["place-funding"]


def test_replanning_replaces_the_lines_when_a_placement_ends_early():
    placement = PlacementFactory(annual_cost="18000.00")
    plan_funding(placement=placement)
    placement.status, placement.end_date = "ended", datetime.date(2027, 2, 12)
    placement.save()
    plan_funding(placement=placement)
    stored = FundingLine.objects.filter(placement=placement)
    assert {line.financial_year for line in stored} == {2026}
    assert {line.period_end for line in stored} == {datetime.date(2027, 2, 12)}
    assert stored.count() == 2


def test_a_cancelled_placement_has_no_lines():
    placement = PlacementFactory()
    plan_funding(placement=placement)
    placement.status = "cancelled"
    placement.save()
    assert plan_funding(placement=placement) == []
    assert not FundingLine.objects.filter(placement=placement).exists()


def test_other_placements_keep_their_lines():
    placement, other = PlacementFactory(), PlacementFactory()
    plan_funding(placement=other)
    before = list(FundingLine.objects.filter(placement=other).values_list("pk", flat=True))
    plan_funding(placement=placement)
    assert list(FundingLine.objects.filter(placement=other).values_list("pk", flat=True)) == before


def test_dates_out_of_order_are_refused_and_the_old_lines_stay():
    placement = PlacementFactory()
    plan_funding(placement=placement)
    before = list(FundingLine.objects.filter(placement=placement).values_list("pk", "amount"))
    placement.end_date = placement.start_date - datetime.timedelta(days=1)  # not saved: the database refuses it
    with pytest.raises(DomainError, match="cannot end"):
        plan_funding(placement=placement)
    assert list(FundingLine.objects.filter(placement=placement).values_list("pk", "amount")) == before


def test_a_failure_while_writing_leaves_the_old_lines(monkeypatch):
    placement = PlacementFactory()
    plan_funding(placement=placement)
    before = list(FundingLine.objects.filter(placement=placement).values_list("pk", flat=True))

    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(FundingLine.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        plan_funding(placement=placement)
    assert list(FundingLine.objects.filter(placement=placement).values_list("pk", flat=True)) == before


def test_planned_lines_write_nothing():
    placement = PlacementFactory()
    lines = planned_lines(placement=placement)
    assert len(lines) == 4 and all(line.pk is None for line in lines)
    assert not FundingLine.objects.exists()
    assert not LocalPolicy.objects.exists()


def test_no_line_holds_a_float():
    placement = PlacementFactory(annual_cost="18000.00")
    plan_funding(placement=placement)
    for line in FundingLine.objects.filter(placement=placement):
        assert isinstance(line.amount, Decimal) and isinstance(line.annual_rate, Decimal)
