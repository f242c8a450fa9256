"""Double funding resolved on a statement: the finance officer records that the school pays, and the LA stops paying
(seed 004 action 2: "eliminate double funding"; docs/decisions/0031-recharges.md)."""

import datetime

import pytest

from aphub.core.errors import DomainError, NotPermitted
from aphub.funding.models import FundingLine, RechargeStatement, SchoolPaysDecision
from aphub.funding.periods import billing_terms_of_academic_year
from aphub.funding.recharges import queries, services
from aphub.funding.services import funding_warnings, plan_funding
from aphub.organisations.models import Role
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, member, route_for

pytestmark = pytest.mark.django_db

AUTUMN = billing_terms_of_academic_year(2026)[0]


@pytest.fixture
def double_funded(billing):
    """An off-site direction (the school's decision) put on an LA-funded s.19 route: the LA pays the top-up twice."""
    pupil = PupilFactory(local_authority=billing.la, first_name="Dana", last_name="Twice")
    episode = EpisodeFactory(pupil=pupil, route=route_for(billing.la, "off-site-direction"), school=billing.school)
    placement = PlacementFactory(
        pupil=pupil,
        episode=episode,
        route=route_for(billing.la, "other-s19"),
        registration="dual",
        start_date=datetime.date(2026, 9, 14),
        planned_end_date=datetime.date(2026, 12, 18),
    )
    plan_funding(placement=placement)
    return placement


def la_top_ups(placement):
    return FundingLine.objects.filter(placement=placement, kind="top-up", payer="la")


def test_the_statement_lists_the_double_funding_and_resolving_it_moves_the_top_up_to_the_school(
    client, billing, double_funded
):
    services.draft_statements(user=billing.finance, term=AUTUMN)
    statement = RechargeStatement.objects.get()
    assert [found.placement for found in queries.double_funded_of(billing.finance, statement)] == [double_funded]
    client.force_login(billing.finance)
    assert "Dana Twice" in client.get(f"/funding/recharges/{statement.pk}/").content.decode()
    assert la_top_ups(double_funded).exists()

    response = client.post(
        f"/funding/recharges/double-funding/{double_funded.pk}/school-pays/?statement={statement.pk}",
        {"reason": "Off-site direction: Oakfield keeps Dana's funding while Dana is on its roll"},
    )
    assert response.status_code == 302 and response["Location"] == f"/funding/recharges/{statement.pk}/"
    decision = SchoolPaysDecision.objects.get()
    assert (decision.school, decision.decided_by) == (billing.school, billing.finance)
    assert not la_top_ups(double_funded).exists()  # the LA stops paying
    top_up = FundingLine.objects.get(placement=double_funded, kind="top-up")
    assert (top_up.payer, top_up.payer_school) == ("school", billing.school)
    double_funded.refresh_from_db()  # read afresh, as the next page will
    assert funding_warnings(placement=double_funded) == []
    assert queries.double_funded_of(billing.finance, statement) == []
    # The draft now bills the school for Dana's top-up too.
    children = {line.child_name for line in queries.lines_of(billing.finance, statement)}
    assert children == {"Sam Recharge", "Dana Twice"}


def test_only_the_las_finance_decides_and_only_where_there_is_double_funding(billing, double_funded):
    with pytest.raises(NotPermitted):
        services.record_school_pays(user=billing.officer, placement=double_funded, reason="The school should pay")
    with pytest.raises(DomainError, match="Say why"):
        services.record_school_pays(user=billing.finance, placement=double_funded, reason="  ")
    with pytest.raises(DomainError, match="not paying a top-up"):
        services.record_school_pays(user=billing.finance, placement=billing.placement, reason="The school pays")
    other_la_finance = member(Role.FINANCE_OFFICER, PupilFactory().local_authority)
    with pytest.raises(NotPermitted):
        services.record_school_pays(user=other_la_finance, placement=double_funded, reason="The school pays")
    assert not SchoolPaysDecision.objects.exists()


def test_the_decision_holds_when_the_placement_is_replanned(billing, double_funded):
    services.record_school_pays(user=billing.finance, placement=double_funded, reason="The school pays")
    double_funded.refresh_from_db()
    double_funded.planned_end_date = datetime.date(2027, 2, 12)
    double_funded.save()
    plan_funding(placement=double_funded)
    assert not la_top_ups(double_funded).exists()
