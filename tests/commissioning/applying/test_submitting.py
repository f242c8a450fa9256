"""Submitting: every criterion answered with a statement and at least one clean, unexpired document (insurance with
enough cover), every declaration made. Each gap is named in the error; a complete application goes to the LA."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Application, CommercialArrangement, CriterionResponse, Evidence
from aphub.core.errors import NotPermitted

from .conftest import NEXT_YEAR
from .makers import answer_everything, make_application, make_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(provider, arrangement):
    application = make_application(provider, arrangement, lots=arrangement.lots.filter(number=1))
    answer_everything(application, expires_on=NEXT_YEAR)
    return application


def _gaps(staff, application) -> list[str]:
    with pytest.raises(services.IncompleteApplication) as caught:
        services.submit_application(user=staff, application=application)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    return [gap.text for gap in caught.value.gaps]


def test_a_complete_application_is_submitted(staff, application):
    submitted = services.submit_application(user=staff, application=application)
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at is not None


def test_a_missing_statement_is_named(staff, application):
    application.responses.filter(criterion="safeguarding-lead").update(statement="  ")
    assert _gaps(staff, application) == ["Designated safeguarding lead: write a statement"]


def test_missing_evidence_is_named(staff, application):
    application.responses.get(criterion="registration").evidence.clear()
    assert _gaps(staff, application) == ["Registration and legal status: attach at least one document"]


def test_a_criterion_without_any_answer_is_named_twice(staff, application):
    application.responses.filter(criterion="registration").delete()
    assert _gaps(staff, application) == [
        "Registration and legal status: write a statement",
        "Registration and legal status: attach at least one document",
    ]


def test_expired_evidence_is_named_with_its_date(staff, provider, application):
    response = application.responses.get(criterion="safeguarding-lead")
    response.evidence.set(
        [make_evidence(provider, "safeguarding-lead", title="DSL certificate", expires_on=datetime.date(2026, 11, 15))]
    )
    assert _gaps(staff, application) == [
        "Designated safeguarding lead: DSL certificate expired on 15 November 2026. Upload a current one."
    ]


def test_evidence_expiring_today_still_counts(staff, provider, application):
    response = application.responses.get(criterion="safeguarding-lead")
    response.evidence.set([make_evidence(provider, "safeguarding-lead", expires_on=datetime.date(2026, 11, 16))])
    assert services.submit_application(user=staff, application=application).status == Application.Status.SUBMITTED


def test_cover_below_the_minimum_is_named_with_both_amounts(staff, provider, application):
    response = application.responses.get(criterion="insurance-public-liability")
    response.evidence.set(
        [
            make_evidence(
                provider,
                "insurance-public-liability",
                title="Public liability schedule",
                cover_amount="2000000.00",
                expires_on=NEXT_YEAR,
            )
        ]
    )
    assert _gaps(staff, application) == [
        "Public liability insurance: Public liability schedule gives cover of £2,000,000.00, "
        "below the minimum of £5,000,000.00."
    ]


@pytest.mark.parametrize("scan", [Evidence.Scan.PENDING, Evidence.Scan.INFECTED])
def test_evidence_not_checked_clean_does_not_count(staff, provider, application, scan):
    response = application.responses.get(criterion="registration")
    response.evidence.set([make_evidence(provider, "registration", scan_status=scan)])
    assert _gaps(staff, application) == [
        "Registration and legal status: Not in your evidence yet. "
        "You need: Certificate of incorporation, charity registration or school registration letter."
    ]


def test_each_missing_declaration_is_named(staff, application):
    application.declarations = {"true-and-complete": "2026-11-16T12:00:00+00:00"}
    application.save()
    assert _gaps(staff, application) == [
        "Make the declaration: We will tell the council within 5 working days of any change to our registration, "
        "insurance, safeguarding leads or Ofsted outcome.",
        "Make the declaration: We have no conflict of interest with the council's officers or panel members, "
        "or we have declared it.",
    ]


def test_no_lots_is_named(staff, application):
    application.lots.clear()
    assert _gaps(staff, application)[0] == "Choose at least one lot to apply for"


def test_the_error_sentence_names_every_gap(staff, application):
    application.responses.filter(criterion="safeguarding-lead").update(statement="")
    application.declarations = {}
    application.save()
    with pytest.raises(services.IncompleteApplication) as caught:
        services.submit_application(user=staff, application=application)
    message = caught.value.message
    assert message.startswith("You cannot submit this application yet: 4 things to do.")
    assert "Designated safeguarding lead: write a statement." in message
    assert "Make the declaration: The information in this application is true and complete.." not in message


def test_answers_to_lots_no_longer_chosen_are_dropped_on_submission(staff, arrangement, application):
    CriterionResponse.objects.create(application=application, criterion="safeguarding-policy", statement="Old")
    services.submit_application(user=staff, application=application)
    assert not application.responses.filter(criterion="safeguarding-policy").exists()


def test_a_closed_arrangement_takes_no_submission(staff, arrangement, application):
    CommercialArrangement.objects.filter(pk=arrangement.pk).update(status=CommercialArrangement.Status.CLOSED)
    with pytest.raises(services.DomainError, match="closed to new applications"):
        services.submit_application(user=staff, application=application)


def test_another_providers_staff_cannot_submit(other_staff, application):
    with pytest.raises(NotPermitted):
        services.submit_application(user=other_staff, application=application)


def test_declarations_are_recorded_and_unticked_ones_withdrawn(staff, provider, arrangement):
    application = make_application(provider, arrangement)
    application = services.make_declarations(
        user=staff, application=application, codes=["true-and-complete", "no-conflict"]
    )
    assert set(application.declarations) == {"true-and-complete", "no-conflict"}
    services.make_declarations(user=staff, application=application, codes=["no-conflict"])
    application.refresh_from_db()
    assert set(application.declarations) == {"no-conflict"}
    with pytest.raises(services.DomainError, match="Choose declarations from the list"):
        services.make_declarations(user=staff, application=application, codes=["made-up"])


# -- Pages -------------------------------------------------------------------------------------------------------


def test_the_check_page_lists_the_gaps_and_submitting_names_them_in_the_error_summary(staff_client, application):
    application.responses.filter(criterion="safeguarding-lead").update(statement="")
    url = reverse("commissioning:application-submit", kwargs={"pk": application.pk})
    page = staff_client.get(url).content.decode()
    assert "Designated safeguarding lead: write a statement" in page
    response = staff_client.post(url)
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert 'href="#section-safeguarding-lead"' in body
    assert 'id="section-safeguarding-lead"' in body
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submitting_from_the_check_page_sends_it(staff_client, application):
    response = staff_client.post(reverse("commissioning:application-submit", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_submitted_application_cannot_be_changed_through_its_pages(staff_client, staff, application):
    services.submit_application(user=staff, application=application)
    response_row = application.responses.first()
    for url in (
        reverse("commissioning:application-lots", kwargs={"pk": application.pk}),
        reverse("commissioning:application-declarations", kwargs={"pk": application.pk}),
        reverse("commissioning:application-submit", kwargs={"pk": application.pk}),
        reverse("commissioning:response", kwargs={"pk": response_row.pk}),
    ):
        response = staff_client.post(url, {"statement": "Changed", "lots": [], "declarations": []})
        assert response.status_code == 302, url
    response_row.refresh_from_db()
    assert response_row.statement == "We meet it."


def test_withdrawing_through_the_page(staff_client, application):
    url = reverse("commissioning:application-withdraw", kwargs={"pk": application.pk})
    assert "Withdraw the application" in staff_client.get(url).content.decode()
    staff_client.post(url)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
