"""A school takes, in a real browser, the register of AP it recorded at a provider with no users in AP Hub (issue 12),
and axe finds no WCAG 2.2 A/AA violation on the register, on its error state, on the upload page or on the page a
school with no such AP sees.

Screenshots are saved under /tmp/aphub-school-register*.png for a person to look at.
"""

import datetime

import pytest
from django.urls import reverse

from aphub.core.clock import today
from aphub.core.days.school_days import is_weekend, previous_weekday
from aphub.demo.build import DEMO_LA_CODE, DEMO_PASSWORD
from aphub.organisations.models import School, User
from aphub.placements.models import AttendanceMark, Placement
from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file
from tests.browser.test_home_pages import axe_violations, sign_in
from tests.demo_snapshot import demo_in_this_test
from tests.factories import make_upn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KINGSMEAD = "school.kingsmead@example.org"


def test_a_school_takes_the_register_of_ap_it_recorded_at_a_provider_without_users(live_server, browser):
    demo_in_this_test()
    day = today() if not is_weekend(today()) else previous_weekday(today())
    entry = day - datetime.timedelta(days=14)
    staff = User.objects.get(email=KINGSMEAD)
    kingsmead = School.objects.get(memberships__user=staff)
    rows = [
        f"{make_upn(DEMO_LA_CODE, 990101)},Quinn,Ria,2012-03-14,148321,,,BEH,{entry},,6,PT,15,300",
        f"{make_upn(DEMO_LA_CODE, 990102)},Quinn,Sol,2012-09-20,148321,,,MHN,{entry},,6,PT,15,300",
    ]
    content = ("\n".join([",".join(COLUMNS), *rows]) + "\n").encode()
    import_file(user=staff, content=content)
    ria = Placement.objects.get(recorded_by_school=True, pupil__first_name="Ria", commissioning_school=kingsmead)

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    try:
        sign_in(page, live_server.url, KINGSMEAD)
        register = reverse("placements:attendance-register")
        page.goto(f"{live_server.url}{register}?provision={ria.provision_id}&date={day}&session=AM")
        assert page.locator("h1").inner_text().startswith(("Today", "Register for"))
        assert page.get_by_role("link", name="Ria Quinn").count() == 1
        violations += axe_violations(page)
        page.screenshot(path="/tmp/aphub-school-register.png", full_page=True)

        # Saved with no mark chosen: the error state.
        with page.expect_navigation():
            page.click("button:has-text('Save register')")
        assert page.locator(".govuk-error-summary").count() == 1
        violations += axe_violations(page)

        page.select_option(f"#id_mark_{ria.pk}", "/")
        with page.expect_navigation():
            page.click("button:has-text('Mark everyone not marked as present and save')")
        assert page.locator(".govuk-notification-banner").count() == 1
        page.screenshot(path="/tmp/aphub-school-register-saved.png", full_page=True)
        assert AttendanceMark.objects.filter(placement__provision=ria.provision, date=day, session="AM").count() == 2

        assert page.get_by_text("that a provider sent you").count() == 1
        page.goto(live_server.url + reverse("placements:attendance-upload"))
        violations += axe_violations(page)
        page.screenshot(path="/tmp/aphub-school-register-upload.png", full_page=True)

        # A school that recorded no such AP is told kindly why it has no registers.
        page.context.clear_cookies()
        other = (
            User.objects.filter(memberships__school__local_authority__la_code=DEMO_LA_CODE)
            .exclude(memberships__school=kingsmead)
            .first()
        )
        other.set_password(DEMO_PASSWORD)
        other.save(update_fields=["password"])
        sign_in(page, live_server.url, other.email)
        page.goto(live_server.url + register)
        assert page.get_by_text("Your school has no registers to take at the moment.").count() == 1
        violations += axe_violations(page)
        page.screenshot(path="/tmp/aphub-school-register-none.png", full_page=True)
    finally:
        context.close()
    assert not violations, "\n".join(violations)
