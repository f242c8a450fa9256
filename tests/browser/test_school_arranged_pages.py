"""axe-core finds no WCAG 2.2 A/AA violation on the pages where a school records the AP it arranged (issue 12),
with and without errors: the whole walk (test_accessibility.py) opens them too; this checks their error states,
the upload's table of bad rows included, alone and quickly."""

import pytest
from django.urls import reverse

from aphub.organisations.models import Role
from aphub.placements.school_arranged.census import COLUMNS
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report, sign_in  # noqa: F401 (audit: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_school_arranged_pages_have_no_accessibility_violations(audit, tmp_path):  # noqa: F811
    page = audit.page
    sign_in(audit, ROLE_SIGN_INS[Role.SCHOOL_STAFF])
    for name in ("placements:school-arranged", "placements:school-arranged-new", "placements:school-arranged-upload"):
        response = page.goto(audit.base_url + reverse(name))
        assert response is not None and response.status == 200, name
        audit.check("school-staff")

    # The record page sent with a provider kind chosen (its reveal open) and nothing else: every error at once.
    page.goto(audit.base_url + reverse("placements:school-arranged-new"))
    page.check("#id_provider_kind_4")
    with page.expect_navigation():
        page.get_by_role("button", name="Record placement").click()
    assert page.locator(".govuk-error-summary").count()
    audit.check("school-staff record (form errors)")

    # A file with a bad row: the table of problems.
    bad = tmp_path / "census.csv"
    bad.write_text(",".join(COLUMNS) + "\nA123,Hartley,Robin,31/02/2012,,,XYZ,Holiday,2026-09-07,,11,FT,25,lots\n")
    page.goto(audit.base_url + reverse("placements:school-arranged-upload"))
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and record").click()
    assert page.locator("table").count() and page.locator(".govuk-error-summary").count()
    audit.check("school-staff upload (bad rows)")

    # The list for a collection period with the census day before its first day.
    page.goto(
        audit.base_url
        + reverse("placements:school-arranged")
        + "?first_0=5&first_1=11&first_2=2026&last_0=1&last_1=10&last_2=2026"
    )
    assert page.locator(".govuk-error-summary").count()
    audit.check("school-staff list (period errors)")
    report(audit)
