"""axe (WCAG 2.2 A and AA) on the timeliness dashboard with every figure drawn: placements ended and still open,
referrals, and sixth-day duties met on time, late and overdue (the demo may have none late); then narrowed to a
tier, which adds a note to the duty's summary, and with a bad filter, which shows the error summary."""

import pytest
from django.urls import reverse

from tests.browser.test_accessibility import Audit, report
from tests.commissioning.quality.test_quality_pages_axe import sign_in

from .test_timeliness_dashboard import duties, stays  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_timeliness_dashboard_has_no_accessibility_violations(live_server, browser, stays, duties):  # noqa: F811
    path = reverse("insight:dashboard-timeliness")
    context = browser.new_context(base_url=live_server.url)
    audit = Audit(base_url=live_server.url, page=context.new_page())
    page = audit.page
    page.set_default_timeout(15_000)
    try:
        sign_in(audit, duties.officer)
        for query in ("?period=2025", "?period=2025&tier=2", ""):
            response = page.goto(live_server.url + path + query)
            assert response is not None and response.status == 200, query
            assert page.locator("svg.app-figure__chart").count() == 7
            audit.check(f"la-officer {query}")
        response = page.goto(live_server.url + path + "?period=2025&locality=nowhere")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")
    finally:
        context.close()
    assert len(audit.checked) == 4
    report(audit)
