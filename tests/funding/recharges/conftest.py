import datetime

import pytest

from aphub.funding.services import plan_funding
from aphub.organisations.models import Role
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, SchoolFactory, member, route_for


class Billing:
    """An LA's finance officer, a school that commissions a placement the LA arranged (the school pays its top-up:
    seed 004's short-term intervention route), and the school's staff."""

    def __init__(self):
        self.pupil = PupilFactory(first_name="Sam", last_name="Recharge")
        self.la = self.pupil.local_authority
        self.school = SchoolFactory(local_authority=self.la, name="Oakfield School")
        route = route_for(self.la, "short-term-intervention")  # LA place funding, school top-up
        episode = EpisodeFactory(pupil=self.pupil, route=route, school=self.school)
        self.placement = PlacementFactory(
            pupil=self.pupil,
            episode=episode,
            route=route,
            commissioner="school",
            commissioning_school=self.school,
            start_date=datetime.date(2026, 9, 7),
            planned_end_date=datetime.date(2027, 2, 26),
            annual_cost="15000.00",  # £5,000 top-up over £10,000 place funding
        )
        plan_funding(placement=self.placement)
        self.finance = member(Role.FINANCE_OFFICER, self.la)
        self.officer = member(Role.LA_OFFICER, self.la)
        self.school_staff = member(Role.SCHOOL_STAFF, self.school)


@pytest.fixture
def billing(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False)
    return Billing()


@pytest.fixture
def drafted(billing):
    """The school's draft statement for Autumn 2026, billing Sam's placement."""
    from aphub.funding.models import RechargeStatement
    from aphub.funding.periods import billing_terms_of_academic_year
    from aphub.funding.recharges import services

    services.draft_statements(user=billing.finance, term=billing_terms_of_academic_year(2026)[0])
    return RechargeStatement.objects.get()
