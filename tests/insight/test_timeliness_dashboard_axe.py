"""axe (WCAG 2.2 A and AA) on the timeliness dashboard with every figure drawn: placements ended and still open,
referrals, and sixth-day duties met on time, late and overdue (the demo may have none late); then narrowed to a
tier, which adds a note to the duty's summary, and with a bad filter, which shows the error summary."""

import pytest
from django.urls import reverse

from tests.browser.audited import audited

from .test_timeliness_dashboard import duties, stays  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_timeliness_dashboard_has_no_accessibility_violations(live_server, browser, stays, duties):  # noqa: F811
    path = reverse("insight:dashboard-timeliness")
    with audited(live_server, browser, duties.officer) as audit:
        page = audit.page
        for query in ("?period=2025", "?period=2025&tier=2", ""):
            response = page.goto(live_server.url + path + query)
            assert response is not None and response.status == 200, query
            assert page.locator("svg.app-figure__chart").count() == 7
            audit.check(f"la-officer {query}")
        response = page.goto(live_server.url + path + "?period=2025&locality=nowhere")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")
    assert len(audit.checked) == 4
