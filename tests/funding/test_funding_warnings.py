"""funding_warnings: double funding, a school commissioner with no school named, and costs that cannot be right."""

import pytest

from aphub.funding.services import funding_warnings, plan_funding
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, SchoolFactory, route_for

pytestmark = pytest.mark.django_db


def placement_on(kind: str, *, episode_kind: str | None = None, **fields):
    """A placement on the route `kind`, for an episode on `episode_kind` (the same route unless given)."""
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority)
    route = route_for(pupil.local_authority, kind)
    episode_route = route_for(pupil.local_authority, episode_kind or kind)
    episode = EpisodeFactory(pupil=pupil, route=episode_route, school=school)
    return PlacementFactory(pupil=pupil, episode=episode, route=route, **fields)


def test_an_la_top_up_for_a_dual_registered_pupil_the_school_should_pay_is_double_funding():
    # An off-site direction is the school's (seed 004), but the officer put it on an LA-funded s.19 route.
    placement = placement_on("other-s19", episode_kind="off-site-direction", registration="dual")
    [warning] = funding_warnings(placement=placement)
    assert warning.startswith("Double funding: the local authority would pay the top-up for a dual-registered pupil")
    assert "Off-site direction by a school" in warning


def test_an_la_route_edited_to_be_school_commissioned_but_la_paid_is_double_funding():
    placement = placement_on("other-s19", registration="dual")
    placement.route.commissioner = "school"
    placement.route.save()
    placement.commissioning_school = placement.episode.school
    placement.save()
    warnings = funding_warnings(placement=placement)
    assert warnings and warnings[0].startswith("Double funding")


def test_a_single_registered_pupil_is_not_double_funded():
    placement = placement_on("other-s19", episode_kind="off-site-direction", registration="single")
    assert funding_warnings(placement=placement) == []


def test_the_la_paying_for_a_permanent_exclusion_is_not_double_funding():
    placement = placement_on("permanent-exclusion", registration="dual")
    assert funding_warnings(placement=placement) == []


def test_a_school_paying_its_own_top_up_is_not_double_funding():
    placement = placement_on("short-term-intervention", registration="dual")
    placement.commissioner, placement.commissioning_school = "school", placement.episode.school
    placement.save()
    assert funding_warnings(placement=placement) == []


def test_a_school_route_placement_without_a_commissioning_school_is_named():
    placement = placement_on("short-term-intervention", registration="dual")  # commissioned by the LA, no school
    placement.episode.school = None
    placement.episode.save()
    warnings = funding_warnings(placement=placement)
    assert any("names no commissioning school" in warning for warning in warnings)
    assert any("so no top-up is planned" in warning for warning in warnings)
    assert [line.kind for line in plan_funding(placement=placement)] == ["place-funding", "place-funding"]


def test_a_place_with_no_cost_is_named():
    placement = placement_on("permanent-exclusion", annual_cost="0.00")
    assert funding_warnings(placement=placement) == [
        "The annual cost of the place is £0.00. Enter the cost agreed with the provider so the top-up is right."
    ]


def test_a_cost_below_the_place_funding_is_named():
    placement = placement_on("permanent-exclusion", annual_cost="95.00")  # a daily price typed as the annual cost
    [warning] = funding_warnings(placement=placement)
    assert "(£95.00) is less than the place funding (£10,000.00)" in warning


def test_a_cancelled_placement_has_no_warnings():
    placement = placement_on("other-s19", episode_kind="off-site-direction", status="cancelled", annual_cost="0")
    assert funding_warnings(placement=placement) == []


def test_a_school_that_commissions_a_placement_is_never_told_about_a_missing_school():
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority)
    placement = PlacementFactory(pupil=pupil, commissioner="school", commissioning_school=school)
    assert funding_warnings(placement=placement) == []


def test_the_database_finds_exactly_the_placements_the_rule_warns_about():
    from aphub.funding.models import FundingLine
    from aphub.funding.rules import DOUBLE_FUNDED_LINES, double_funding
    from aphub.placements.models import EpisodeKind

    pupil = PupilFactory()
    la = pupil.local_authority
    school = SchoolFactory(local_authority=la)
    disagreements, warned = [], 0
    for kind in EpisodeKind.values:
        for episode_kind in ("permanent-exclusion", "off-site-direction"):
            for registration in ("dual", "single"):
                for commissioner in ("la", "school"):
                    child = PupilFactory(local_authority=la)
                    placement = PlacementFactory(
                        pupil=child,
                        episode=EpisodeFactory(pupil=child, route=route_for(la, episode_kind), school=school),
                        route=route_for(la, kind),
                        registration=registration,
                        commissioner=commissioner,
                        commissioning_school=school if commissioner == "school" else None,
                    )
                    plan_funding(placement=placement)
                    by_rule = double_funding(placement) is not None
                    by_query = FundingLine.objects.filter(DOUBLE_FUNDED_LINES, placement=placement).exists()
                    warned += by_rule
                    if by_rule != by_query:
                        disagreements.append((kind, episode_kind, registration, commissioner))
    assert disagreements == []
    assert warned == 3  # other s.19, awaiting a school place and permanent exclusion routes on an off-site direction
