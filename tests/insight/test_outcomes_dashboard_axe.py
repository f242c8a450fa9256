"""axe (WCAG 2.2 A and AA) on the outcomes dashboard: every figure drawn (scores compared, destinations, follow-ups
and attendance, the records of test_outcomes_dashboard), narrowed to one provider, a period with nothing to show,
and a bad filter with its error summary."""

import pytest
from django.urls import reverse

from tests.browser.audited import audited

from .test_outcomes_dashboard import outcomes  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_outcomes_dashboard_has_no_accessibility_violations(live_server, browser, town, outcomes):  # noqa: F811
    path = reverse("insight:dashboard-outcomes")
    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        for query in ("", f"?provider={town.provider_p1.pk}", "?period=2023-spring"):
            response = page.goto(live_server.url + path + query)
            assert response is not None and response.status == 200, query
            assert page.locator("section.app-figure").count() == 6
            audit.check("la-officer")
        response = page.goto(live_server.url + path + "?period=1999&locality=not+a+district")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")
    assert len(audit.checked) == 4
