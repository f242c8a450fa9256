"""Who moves a statement: the LA's finance issues, re-issues and marks it paid; the school billed disputes it."""

import pytest

from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.funding.models import RechargeStatement
from aphub.funding.periods import billing_terms_of_academic_year
from aphub.funding.recharges import services
from aphub.organisations.models import Role
from tests.factories import SchoolFactory, member

pytestmark = pytest.mark.django_db

AUTUMN = billing_terms_of_academic_year(2026)[0]


def test_only_the_las_finance_editors_draft_and_issue(billing, drafted):
    for user in (billing.officer, billing.school_staff):
        with pytest.raises(NotPermitted):
            services.draft_statements(user=user, term=AUTUMN)
        with pytest.raises(NotPermitted):
            services.issue_statement(user=user, statement=drafted)
    admin = member(Role.LA_ADMIN, billing.la)
    assert services.issue_statement(user=admin, statement=drafted).status == "issued"


def test_only_the_school_billed_disputes_and_only_an_issued_statement(billing, drafted):
    with pytest.raises(NotPermitted):
        services.dispute_statement(user=billing.finance, statement=drafted, reason="Wrong")
    with pytest.raises(InvalidTransition):
        services.dispute_statement(user=billing.school_staff, statement=drafted, reason="Wrong")  # still a draft
    services.issue_statement(user=billing.finance, statement=drafted)
    other_school = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=billing.la))
    with pytest.raises(NotPermitted):
        services.dispute_statement(user=other_school, statement=drafted, reason="Wrong")
    with pytest.raises(DomainError, match="Say why the statement is wrong"):
        services.dispute_statement(user=billing.school_staff, statement=drafted, reason="   ")
    with pytest.raises(DomainError, match="2,000 characters or fewer"):
        services.dispute_statement(user=billing.school_staff, statement=drafted, reason="x" * 2001)
    services.mark_paid(user=billing.finance, statement=drafted)
    with pytest.raises(InvalidTransition, match="because it is paid"):
        services.dispute_statement(user=billing.school_staff, statement=drafted, reason="Wrong")


def test_a_term_has_one_statement_per_school_drafting_again_makes_none(billing, drafted):
    assert services.draft_statements(user=billing.finance, term=AUTUMN) == []
    assert RechargeStatement.objects.count() == 1
