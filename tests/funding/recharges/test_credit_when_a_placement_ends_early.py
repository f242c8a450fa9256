"""Issue 13, done when: ending a placement early ... and a termly recharge statement shows the credit."""

import datetime
from decimal import Decimal

import pytest

from aphub.funding.models import RechargeLine, RechargeStatement
from aphub.funding.periods import amount_between, billing_terms_of_academic_year
from aphub.funding.recharges import queries, services
from aphub.placements import services as placements
from aphub.placements.models import Destination

pytestmark = pytest.mark.django_db

AUTUMN, SPRING, SUMMER = billing_terms_of_academic_year(2026)
TOP_UP = Decimal("5000.00")


def drafted(user, term):
    services.draft_statements(user=user, term=term)
    return RechargeStatement.objects.get(term_start=term.start)


def end_early(billing, time_machine, new_end=datetime.date(2026, 12, 4)):
    """The child goes back to school on 4 December, recorded a few days later by the commissioning school."""
    time_machine.move_to(datetime.datetime(2026, 12, 10, 10, 0, tzinfo=datetime.UTC), tick=False)
    placements.end_placement(
        user=billing.school_staff, placement=billing.placement, end_date=new_end, destination=Destination.SAME_SCHOOL
    )


def test_the_next_statement_credits_exactly_the_days_a_placement_no_longer_runs(billing, time_machine):
    autumn = drafted(billing.finance, AUTUMN)
    services.issue_statement(user=billing.finance, statement=autumn)
    [charge] = autumn.lines.all()
    assert (charge.kind, charge.funding_kind, charge.days) == ("charge", "top-up", 116)  # 7 Sep to 31 Dec
    assert charge.amount == amount_between(TOP_UP, datetime.date(2026, 9, 7), datetime.date(2026, 12, 31))

    new_end = datetime.date(2026, 12, 4)
    end_early(billing, time_machine, new_end)

    spring = drafted(billing.finance, SPRING)
    [credit] = queries.lines_of(billing.finance, spring)
    old_end_in_term = min(datetime.date(2027, 2, 26), AUTUMN.end)
    assert credit.kind == RechargeLine.Kind.ADJUSTMENT
    assert credit.term_name == "Autumn 2026"
    assert credit.days == -27  # 5 to 31 December
    assert credit.amount == -amount_between(TOP_UP, new_end + datetime.timedelta(days=1), old_end_in_term)
    assert credit.child_name == "Sam Recharge"

    # Issued, the credit is frozen; the summer statement adjusts nothing more, since autumn is now square.
    services.issue_statement(user=billing.finance, statement=spring)
    assert list(spring.lines.values_list("amount", flat=True)) == [credit.amount]
    assert services.draft_statements(user=billing.finance, term=SUMMER) == []


def test_an_issued_statement_never_changes_when_the_placement_does(billing, time_machine):
    autumn = services.issue_statement(user=billing.finance, statement=drafted(billing.finance, AUTUMN))
    before = list(autumn.lines.values_list("days", "amount"))
    end_early(billing, time_machine)
    assert list(queries.lines_of(billing.finance, autumn)) == list(autumn.lines.all())
    assert list(autumn.lines.values_list("days", "amount")) == before


def test_a_draft_follows_the_placement_until_it_is_issued(billing, time_machine):
    autumn = drafted(billing.finance, AUTUMN)
    [line] = queries.lines_of(billing.finance, autumn)
    assert line.days == 116
    end_early(billing, time_machine)
    [line] = queries.lines_of(billing.finance, autumn)
    assert line.days == 89  # 7 September to 4 December: no credit needed, it was never billed
    assert line.kind == RechargeLine.Kind.CHARGE
