"""axe (WCAG 2.2 A and AA) on the sufficiency dashboard: every figure drawn (places, day by day, waiting lists,
declines, the capacity curve), a term, a provider's, and a bad filter with its error summary."""

import pytest
import time_machine
from django.urls import reverse

from tests.browser.audited import audited

from .test_sufficiency_dashboard import NOW, Borough, _fill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_sufficiency_dashboard_has_no_accessibility_violations(live_server, browser):
    with time_machine.travel(NOW, tick=False):
        town = Borough("Elmbridge")
        _fill(town)
        url = reverse("insight:dashboard-sufficiency")
        with audited(live_server, browser, town.officer, timeout=30_000) as audit:
            page = audit.page
            for query in ("", "?period=2026-spring", f"?provider={town.saturn.provider_id}"):
                response = page.goto(live_server.url + url + query)
                assert response is not None and response.status == 200, query
                assert page.locator("svg.app-figure__chart").count() == 8
                audit.check("la-officer")
            response = page.goto(live_server.url + url + "?period=1999&locality=nonsense")
            assert response is not None and response.status == 400
            assert page.locator(".govuk-error-summary").count() == 1
            audit.check("la-officer (filter errors)")
    assert len(audit.checked) >= 4
