"""The recharge pages: a term's statements, a statement with its lines and files, and its moves by who may make them."""

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.funding.models import RechargeStatement
from aphub.funding.periods import billing_terms_of_academic_year
from aphub.funding.recharges import services
from aphub.organisations.models import Role
from tests.factories import SchoolFactory, member

pytestmark = pytest.mark.django_db

AUTUMN = billing_terms_of_academic_year(2026)[0]


def test_the_finance_officer_drafts_issues_and_marks_a_statement_paid_from_its_pages(client, billing):
    client.force_login(billing.finance)
    page = client.get("/funding/recharges/", {"term": "2026-09-01"})
    assert "Draft statements for Autumn 2026" in page.content.decode()
    client.post("/funding/recharges/draft/?term=2026-09-01")
    statement = RechargeStatement.objects.get()
    body = client.get(f"/funding/recharges/{statement.pk}/").content.decode()
    assert "Sam Recharge" in body and "Issue the statement" in body
    client.post(f"/funding/recharges/{statement.pk}/issue/")
    statement.refresh_from_db()
    assert statement.status == "issued" and statement.number.startswith("AUTUMN-2026-")
    client.post(f"/funding/recharges/{statement.pk}/paid/")
    statement.refresh_from_db()
    assert statement.status == "paid"


def test_the_school_disputes_an_issued_statement_with_a_reason_and_the_la_reissues_it(client, billing, drafted):
    services.issue_statement(user=billing.finance, statement=drafted)
    client.force_login(billing.school_staff)
    refused = client.post(f"/funding/recharges/{drafted.pk}/dispute/", {"reason": ""})
    assert "Say why the statement is wrong" in refused.content.decode()
    client.post(f"/funding/recharges/{drafted.pk}/dispute/", {"reason": "Sam left on 4 December"})
    drafted.refresh_from_db()
    assert (drafted.status, drafted.dispute_reason) == ("disputed", "Sam left on 4 December")
    assert client.post(f"/funding/recharges/{drafted.pk}/reissue/", {"reason": "x"}).status_code == 403
    client.force_login(billing.finance)
    client.post(f"/funding/recharges/{drafted.pk}/reissue/", {"reason": "The credit is on the spring statement"})
    drafted.refresh_from_db()
    assert (drafted.status, drafted.resolution) == ("issued", "The credit is on the spring statement")


def test_a_school_sees_its_issued_statements_only_never_a_draft_nor_another_schools(client, billing, drafted):
    client.force_login(billing.school_staff)
    assert client.get(f"/funding/recharges/{drafted.pk}/").status_code == 404  # a draft is the LA's working paper
    services.issue_statement(user=billing.finance, statement=drafted)
    assert "Sam Recharge" in client.get(f"/funding/recharges/{drafted.pk}/").content.decode()
    other = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=billing.la, name="Elm Park School"))
    client.force_login(other)
    for path in ("", "pdf/", "?format=xlsx"):
        assert client.get(f"/funding/recharges/{drafted.pk}/{path}").status_code == 404
    assert "Oakfield" not in client.get("/funding/recharges/", {"term": "2026-09-01"}).content.decode()


def test_the_statement_comes_as_pdf_and_xlsx_and_each_read_names_the_child_in_the_access_log(client, billing, drafted):
    client.force_login(billing.finance)
    pdf = client.get(f"/funding/recharges/{drafted.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/funding/recharges/{drafted.pk}/", {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    client.get(f"/funding/recharges/{drafted.pk}/")
    reads = AccessLogEntry.objects.filter(pupil_ids__contains=f",{billing.pupil.pk},")
    assert sorted(reads.values_list("verb", flat=True)) == ["export", "export", "view"]


def test_the_dispute_page_of_a_statement_already_disputed_goes_back_to_it_saying_why(client, billing, drafted):
    services.issue_statement(user=billing.finance, statement=drafted)
    services.dispute_statement(user=billing.school_staff, statement=drafted, reason="Sam left early")
    client.force_login(billing.school_staff)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/funding/recharges/{drafted.pk}/dispute/", follow=True)
        assert response.redirect_chain[-1][0] == f"/funding/recharges/{drafted.pk}/"
        assert "You cannot dispute this statement because it is disputed." in response.content.decode()
