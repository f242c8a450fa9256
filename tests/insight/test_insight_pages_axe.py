"""axe (WCAG 2.2 A and AA) on the city-wide view's pages in the states the demo may not reach: school-arranged AP at
providers outside the directory, every grouping, published figures beside the LA's own (some suppressed), a bad
filter, and the upload page empty, refused with its problems, and with figures loaded."""

import pytest
from django.urls import reverse

from aphub.insight.services import load_published_figures
from tests.browser.audited import audited
from tests.commissioning.quality.test_quality_pages_axe import sign_in

from .test_published_figures import by_reason_file, by_setting_file, default_setting_rows, la_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_insight_pages_have_no_accessibility_violations(live_server, browser, town, school_arranged, tmp_path):
    load_published_figures(user=town.admin, content=by_setting_file(town.la), file_name="by_setting.csv")
    load_published_figures(user=town.admin, content=by_reason_file(town.la), file_name="by_reason.csv")
    city_wide, children = reverse("insight:city-wide"), reverse("insight:children")
    figures = reverse("insight:published-figures")

    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        for path in [
            city_wide,
            *(f"{city_wide}?by={by}" for by in ("provider", "setting", "reason", "tier", "registration")),
            f"{city_wide}?arranged_by=school&year=2025",
            children,
            f"{children}?setting=one-to-one-tuition",
        ]:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            audit.check("la-officer")
        # A bad filter: the error summary and the field's message.
        response = page.goto(live_server.url + f"{city_wide}?on_0=31&on_1=2&on_2=2026&reason=boredom")
        assert response is not None and response.status == 400
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")

        sign_in(audit, town.admin)
        page.goto(live_server.url + figures)
        audit.check("la-admin")
        with page.expect_navigation():
            page.click(f'form[action="{figures}"] button[type=submit]')
        assert page.locator(".govuk-error-summary").count() == 1
        audit.check("la-admin (no file)")
        bad = tmp_path / "bad.csv"
        rows = default_setting_rows(town.la)
        rows[1] = la_row(town.la, "Registered provider with UKPRN", "lots")
        bad.write_bytes(by_setting_file(town.la, *rows))
        page.set_input_files("input[type=file]", str(bad))
        with page.expect_navigation():
            page.click(f'form[action="{figures}"] button[type=submit]')
        assert page.locator("text=Problems in the file").count() == 1
        audit.check("la-admin (problems in the file)")
    assert len(audit.checked) >= 13
