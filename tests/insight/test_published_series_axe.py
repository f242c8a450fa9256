"""axe (WCAG 2.2 A and AA) on the published series page in each of its states: empty, a file refused with its bad
lines named, a series loaded, and the forecast dashboard forecasting it beside the LA's own history."""

import pytest
from django.urls import reverse

from aphub.insight.forecasting import warm_up
from tests.browser.audited import audited

from .test_published_series import EXCLUSIONS, URL, exclusions_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_published_series_page_has_no_accessibility_violations(live_server, browser, town, tmp_path):
    warm_up()  # statsforecast imported before the forecast page is opened, as a production worker boots with it
    with audited(live_server, browser, town.officer, timeout=60_000) as audit:
        page = audit.page
        response = page.goto(live_server.url + URL)
        assert response is not None and response.status == 200
        assert page.locator("text=No published series is loaded yet.").count() == 1
        audit.check("la-officer (none loaded)")
        bad = tmp_path / "exclusions.csv"
        bad.write_bytes(exclusions_file(town.la, [*EXCLUSIONS[:-2], "lots", "-"]))
        page.set_input_files("input[type=file]", str(bad))
        with page.expect_navigation():
            page.click(f'form[action="{URL}"] button[type=submit]')
        assert page.locator(".govuk-error-summary").count() == 1
        assert page.locator("text=Problems in the file").count() == 1
        audit.check("la-officer (problems in the file)")
        good = tmp_path / "good.csv"
        good.write_bytes(exclusions_file(town.la))
        page.set_input_files("input[type=file]", str(good))
        with page.expect_navigation():
            page.click(f'form[action="{URL}"] button[type=submit]')
        assert page.locator("text=Published series loaded: Permanent exclusions").count() == 1
        audit.check("la-officer (loaded)")
        response = page.goto(live_server.url + reverse("insight:dashboard-forecast"))
        assert response is not None and response.status == 200
        assert page.locator("text=Permanent exclusions, as the DfE published them").count() >= 1
        audit.check("la-officer (forecast with the published series)")
