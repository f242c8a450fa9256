"""axe (WCAG 2.2 A and AA) on the spend dashboard and the strategy action plan in the states the demo may not reach:
money paid by the LA, by schools and for AP schools arranged, a narrowed view, a bad filter; the plan empty with its
start button, started, an action's update and a new action with their errors, and the auditor's read-only plan."""

import datetime

import pytest
from django.urls import reverse

from aphub.insight.models import StrategyAction
from tests.browser.audited import audited
from tests.commissioning.quality.test_quality_pages_axe import sign_in
from tests.finance.conftest import placement_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_spend_and_action_plan_pages_have_no_accessibility_violations(live_server, browser, town, school_arranged):
    placement_in(town.la, start_date=datetime.date(2026, 9, 7), planned_end_date=datetime.date(2027, 2, 12))
    placement_in(town.la, kind="long-term-ap", school=town.school_a, start_date=datetime.date(2026, 10, 5), tier="3")
    spend, plan = reverse("insight:dashboard-spend"), reverse("insight:actions")

    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        for path in [spend, f"{spend}?period=2026-autumn", f"{spend}?period=2026&tier=3"]:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            audit.check("la-officer")
        response = page.goto(live_server.url + f"{spend}?period=1999&locality=nowhere")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")

        page.goto(live_server.url + plan)
        audit.check("la-officer (empty plan)")
        with page.expect_navigation():
            page.click("text=Start from the AP strategy's ten actions")
        assert page.locator("tbody tr").count() == 10
        audit.check("la-officer (the strategy's ten actions)")
        first = StrategyAction.objects.get(local_authority=town.la, number=1)
        page.goto(live_server.url + reverse("insight:action-edit", kwargs={"pk": first.pk}))
        audit.check("la-officer (update an action)")
        page.fill("input[name=due_on_0]", "31")
        page.fill("input[name=due_on_1]", "2")
        page.fill("input[name=due_on_2]", "2027")
        page.check("input[name=status][value=done]")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.locator(".govuk-error-summary li").count() == 2
        audit.check("la-officer (update errors)")
        page.goto(live_server.url + reverse("insight:action-add"))
        audit.check("la-officer (add an action)")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (add errors)")

        sign_in(audit, town.auditor)
        page.goto(live_server.url + plan)
        audit.check("auditor (the plan, read only)")
    assert len(audit.checked) >= 11
