"""funding_summary: the placement page's lines, what each payer pays in all, and the warnings."""

from decimal import Decimal

import pytest

from aphub.funding.services import funding_summary, plan_funding
from aphub.organisations.models import Role
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, SchoolFactory, member, route_for

pytestmark = pytest.mark.django_db


def test_the_summary_totals_each_payer_by_kind():
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority, name="Kingsmead School")
    route = route_for(pupil.local_authority, "short-term-intervention")
    placement = PlacementFactory(
        pupil=pupil,
        episode=EpisodeFactory(pupil=pupil, route=route, school=school),
        route=route,
        commissioner="school",
        commissioning_school=school,
        annual_cost="18000.00",
    )
    lines = plan_funding(placement=placement)
    officer = member(Role.LA_OFFICER, pupil.local_authority)
    summary = funding_summary(placement=placement, user=officer)
    assert [line.pk for line in summary.lines] == [line.pk for line in lines]
    [la, kingsmead] = summary.totals_by_payer
    assert la.payer == "Local authority (High Needs Block)"
    assert la.place_funding == Decimal("3890.41") + Decimal("4180.33") and la.top_up == 0
    assert kingsmead.payer == "Kingsmead School"
    assert kingsmead.top_up == Decimal("3112.33") + Decimal("3344.26") and kingsmead.place_funding == 0
    assert summary.total == la.total + kingsmead.total == sum(line.amount for line in lines)
    assert summary.warnings == []


def test_the_summary_carries_the_warnings():
    placement = PlacementFactory(annual_cost="0.00")
    plan_funding(placement=placement)
    officer = member(Role.LA_OFFICER, placement.pupil.local_authority)
    summary = funding_summary(placement=placement, user=officer)
    assert summary.warnings and "£0.00" in summary.warnings[0]


def test_a_placement_never_planned_has_an_empty_summary():
    placement = PlacementFactory()
    summary = funding_summary(placement=placement, user=member(Role.LA_OFFICER, placement.pupil.local_authority))
    assert summary.lines == [] and summary.totals_by_payer == [] and summary.total == Decimal("0.00")


def test_providers_see_no_funding_lines_and_a_school_only_what_it_pays():
    pupil = PupilFactory()
    school = SchoolFactory(local_authority=pupil.local_authority)
    route = route_for(pupil.local_authority, "short-term-intervention")
    placement = PlacementFactory(
        pupil=pupil,
        episode=EpisodeFactory(pupil=pupil, route=route, school=school),
        route=route,
        commissioner="school",
        commissioning_school=school,
        annual_cost="18000.00",
    )
    plan_funding(placement=placement)
    provider_view = funding_summary(placement=placement, user=member(Role.PROVIDER_STAFF, placement.provision.provider))
    assert provider_view.lines == [] and provider_view.warnings == []
    school_view = funding_summary(placement=placement, user=member(Role.SCHOOL_STAFF, school))
    assert school_view.lines and {line.payer for line in school_view.lines} == {"school"}
    assert school_view.warnings == []
