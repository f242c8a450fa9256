"""axe (WCAG 2.2 A and AA) on every quality page in the states the demo may not reach: a held visit with red and
amber ratings and actions, an open complaint, a suspended admission with placements to review, a provider at the
registration threshold, each form submitted empty."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.models import Complaint, MonitoringVisit, QAArea, VisitAction, VisitRating
from aphub.placements.models import Placement
from tests.browser.test_accessibility import Audit, report, submit_forms_empty
from tests.two_factor import sign_in_in_browser

from .conftest import TODAY, add_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(audit: Audit, user) -> None:
    page = audit.page
    page.context.clear_cookies()
    sign_in_in_browser(page, audit.base_url, user.email, "correct-horse-battery")


def visit_all(audit: Audit, label: str, paths: list[str]) -> None:
    for path in paths:
        response = audit.page.goto(audit.base_url + path)
        assert response is not None and response.status == 200, path
        audit.check(label)
    submit_forms_empty(audit, label, paths)


def test_quality_pages_have_no_accessibility_violations(live_server, browser, qa):
    held = MonitoringVisit.objects.create(
        provider=qa.provider,
        local_authority=qa.la,
        scheduled_for=datetime.date(2026, 11, 2),
        held_on=datetime.date(2026, 11, 2),
        overall="amber",
        summary="Warm staff; the fence needs mending.",
    )
    VisitRating.objects.bulk_create(
        VisitRating(visit=held, area=area, rating="red" if area == "premises" else "green", note="Fence broken")
        for area in QAArea
    )
    action = VisitAction.objects.create(
        visit=held, description="Mend the fence", owner="Manager", due_on=datetime.date(2026, 11, 16)
    )
    planned = MonitoringVisit.objects.create(
        provider=qa.provider, local_authority=qa.la, scheduled_for=datetime.date(2026, 12, 7), reason="concern"
    )
    complaint = Complaint.objects.create(
        provider=qa.provider, local_authority=qa.la, received_on=TODAY, summary="Late pick-up"
    )
    add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=9))
    for _ in range(4):
        qa.place()
    Placement.objects.filter(pk=qa.place(looked_after=True).pk).update(lot=qa.lot)
    qa.admission.status = "suspended"
    qa.admission.save()

    context = browser.new_context(base_url=live_server.url)
    audit = Audit(base_url=live_server.url, page=context.new_page())
    audit.page.set_default_timeout(15_000)
    try:
        sign_in(audit, qa.officer)
        visit_all(
            audit,
            "la-officer",
            [
                reverse("commissioning:quality"),
                reverse("commissioning:quality-visits"),
                reverse("commissioning:quality-plan-visits"),
                reverse("commissioning:quality-visit", kwargs={"pk": held.pk}),
                reverse("commissioning:quality-visit", kwargs={"pk": planned.pk}),
                reverse("commissioning:quality-visit-record", kwargs={"pk": held.pk}),
                reverse("commissioning:quality-visit-record", kwargs={"pk": planned.pk}),
                reverse("commissioning:quality-visit-action-new", kwargs={"pk": held.pk}),
                reverse("commissioning:quality-action", kwargs={"pk": action.pk}),
                reverse("commissioning:quality-actions-overdue"),
                reverse("commissioning:quality-provider", kwargs={"pk": qa.provider.pk}),
                reverse("commissioning:quality-complaint", kwargs={"pk": complaint.pk}),
                reverse("commissioning:quality-admission", kwargs={"pk": qa.admission.pk}),
                reverse("commissioning:quality-admission-reinstate", kwargs={"pk": qa.admission.pk}),
                reverse("commissioning:quality-admission-remove", kwargs={"pk": qa.admission.pk}),
                reverse("commissioning:quality-oversight"),
            ],
        )
        sign_in(audit, qa.admin)
        visit_all(audit, "la-admin", [reverse("commissioning:quality-policy")])
        sign_in(audit, qa.provider_staff)
        visit_all(
            audit,
            "provider-staff",
            [
                reverse("commissioning:quality-visits"),
                reverse("commissioning:quality-visit", kwargs={"pk": held.pk}),
                reverse("commissioning:quality-action", kwargs={"pk": action.pk}),
                reverse("commissioning:quality-registration"),
            ],
        )
        sign_in(audit, qa.school_staff)
        visit_all(audit, "school-staff", [reverse("commissioning:quality-checks")])
    finally:
        context.close()
    assert len(audit.checked) >= 22
    report(audit)
