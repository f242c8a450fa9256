"""axe (WCAG 2.2 A and AA) on the committee pack's page: as an officer, as an admin (who is offered the local policy
to change the threshold), and with a period that is not on the list (the error summary)."""

import pytest
from django.urls import reverse

from tests.browser.audited import audited
from tests.commissioning.quality.test_quality_pages_axe import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_committee_pack_page_has_no_accessibility_violations(live_server, browser, town):
    path = reverse("insight:committee-pack")
    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert page.get_by_role("button", name="Download the pack (PDF)").count() == 1
        audit.check("la-officer")
        response = page.goto(live_server.url + f"{path}?period=1999&format=pdf")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (a period not on the list)")

        sign_in(audit, town.admin)
        page.goto(live_server.url + path)
        assert page.get_by_role("link", name="local policy").count() == 1
        audit.check("la-admin")
    assert len(audit.checked) >= 3
