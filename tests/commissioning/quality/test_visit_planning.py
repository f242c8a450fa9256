"""Routine visits follow the LA's policy: up to two a year for each admitted provider, planned once."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.models import MonitoringVisit, QualityPolicy
from aphub.commissioning.quality.services import add_working_days, propose_visits, schedule_visit, schedule_visits
from aphub.core.errors import DomainError
from tests.factories import ProviderFactory

from .conftest import TODAY, admit


def test_each_admitted_provider_gets_a_routine_visit_with_notice(qa):
    planned = schedule_visits(la=qa.la, today=TODAY)
    assert [(visit.provider, visit.reason) for visit in planned] == [(qa.provider, "routine")]
    assert planned[0].scheduled_for == datetime.date(2026, 12, 7)  # 10 working days' notice


def test_planning_twice_plans_nothing_new(qa):
    schedule_visits(la=qa.la, today=TODAY)
    assert schedule_visits(la=qa.la, today=TODAY) == []
    assert MonitoringVisit.objects.count() == 1


def test_the_next_routine_visit_comes_half_a_year_after_the_last_one(qa):
    MonitoringVisit.objects.create(
        provider=qa.provider,
        local_authority=qa.la,
        scheduled_for=datetime.date(2026, 9, 14),
        held_on=datetime.date(2026, 9, 14),
        overall="green",
    )
    (proposal,) = propose_visits(la=qa.la, today=TODAY)
    assert proposal.scheduled_for == datetime.date(2026, 9, 14) + datetime.timedelta(days=182)
    QualityPolicy.objects.create(local_authority=qa.la, routine_visits_per_year=4)
    (proposal,) = propose_visits(la=qa.la, today=TODAY)
    assert proposal.scheduled_for == datetime.date(2026, 12, 14)  # 91 days on
    QualityPolicy.objects.filter(local_authority=qa.la).update(routine_visits_per_year=12)
    (proposal,) = propose_visits(la=qa.la, today=TODAY)
    assert proposal.scheduled_for == datetime.date(2026, 12, 7)  # 30 days on is past: today with notice


def test_suspended_removed_and_other_las_providers_get_no_routine_visit(qa):
    suspended = ProviderFactory(legal_name="Suspended Ltd", local_authority=qa.la)
    admit(suspended, qa.lot, status="suspended")
    elsewhere = ProviderFactory(legal_name="Elsewhere Ltd", local_authority=qa.other_la)
    from .conftest import make_arrangement

    admit(elsewhere, make_arrangement(qa.other_la).lots.first())
    assert [proposal.provider for proposal in propose_visits(la=qa.la, today=TODAY)] == [qa.provider]


def test_a_policy_of_no_routine_visits_plans_none(qa):
    QualityPolicy.objects.create(local_authority=qa.la, routine_visits_per_year=0)
    assert propose_visits(la=qa.la, today=TODAY) == []


def test_working_days_skip_weekends_and_england_bank_holidays():
    # Christmas Day, the Boxing Day substitute (Monday 28 December 2026) and New Year's Day are not working days.
    assert add_working_days(datetime.date(2026, 12, 10), 20) == datetime.date(2027, 1, 12)
    assert add_working_days(datetime.date(2026, 11, 20), 1) == datetime.date(2026, 11, 23)


def test_an_officer_plans_the_proposed_visits_from_the_page(client, qa):
    client.force_login(qa.officer)
    page = client.get(reverse("commissioning:quality-plan-visits")).content.decode()
    assert "Greenway Learning CIC" in page and "7 December 2026" in page
    response = client.post(reverse("commissioning:quality-plan-visits"), follow=True)
    assert "1 routine visit planned." in response.content.decode()
    assert MonitoringVisit.objects.filter(provider=qa.provider, officer=qa.officer).count() == 1


def test_an_officer_plans_a_single_visit_by_hand(client, qa):
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-provider-visit-new", kwargs={"pk": qa.provider.pk})
    response = client.post(
        url,
        {
            "reason": "concern",
            "scheduled_for_0": "1",
            "scheduled_for_1": "12",
            "scheduled_for_2": "2026",
            "because": "A school raised a concern",
        },
    )
    visit = MonitoringVisit.objects.get()
    assert response.status_code == 302
    assert (visit.reason, visit.scheduled_for, visit.scheduled_because) == (
        "concern",
        datetime.date(2026, 12, 1),
        "A school raised a concern",
    )


def test_a_visit_cannot_be_planned_in_the_past(client, qa):
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-provider-visit-new", kwargs={"pk": qa.provider.pk})
    response = client.post(
        url, {"reason": "routine", "scheduled_for_0": "1", "scheduled_for_1": "11", "scheduled_for_2": "2026"}
    )
    assert response.status_code == 200
    assert "The date of the visit must be today or in the future" in response.content.decode()
    assert not MonitoringVisit.objects.exists()


def test_what_prompted_a_visit_too_long_gets_the_same_sentence_from_the_page_and_the_service(client, qa):
    # One limit (commissioning.quality.services.VISIT_BECAUSE): the page used to say "What prompted it", the service
    # "Why the visit is needed".
    too_long = "x" * 201
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-provider-visit-new", kwargs={"pk": qa.provider.pk})
    page = client.post(
        url,
        {"reason": "concern", "scheduled_for_0": "1", "scheduled_for_1": "12", "scheduled_for_2": "2026",
         "because": too_long},
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        schedule_visit(
            user=qa.officer, provider=qa.provider, scheduled_for=datetime.date(2026, 12, 1), reason="concern",
            because=too_long,
        )  # fmt: skip
    assert page.context["form"].errors["because"] == [refused.value.message]
    assert refused.value.message == "What prompted it must be 200 characters or fewer"
    assert not MonitoringVisit.objects.exists()
