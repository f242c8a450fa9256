"""axe (WCAG 2.2 A and AA) on the retention pages in the states the demo never reaches (its children are young): a
record and a notification past retention, the list an admin checks, the "are you sure" page, the schedule with
every number wrong, the erasure done; and the auditor's read-only schedule. Driven by keyboard where a user acts."""

import datetime

import pytest
from django.urls import reverse

from aphub.duties.models import Notification
from tests.browser.audited import audited

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RETENTION = reverse("audit:retention")


def test_the_retention_pages_have_no_accessibility_violations(live_server, browser, town):
    town.pupil(first_name="Oriel", last_name="Quennell", date_of_birth=datetime.date(1999, 1, 15))
    old = Notification.objects.create(
        local_authority=town.la, kind="referral-submitted", subject="Referral", path="/", pupil=town.pupil()
    )
    Notification.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2023, 1, 1, tzinfo=datetime.UTC))

    with audited(live_server, browser, town.admin) as audit:
        page = audit.page
        assert page.goto(live_server.url + RETENTION).status == 200
        assert page.locator("#retention-schedule tbody tr").count() == 2
        audit.check("la-admin (records past retention)")

        page.click("text=Check the list")
        assert page.locator("text=Oriel Quennell").count() == 1
        audit.check("la-admin (the list to check)")

        page.click("text=Erase 1 record")
        assert page.locator("h1", has_text="Are you sure you want to erase 1 child's AP record?").count() == 1
        audit.check("la-admin (are you sure)")
        page.locator("button", has_text="Yes, erase 1 record").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator("text=1 child's AP record erased.").count() == 1
        audit.check("la-admin (erased)")

        page.goto(live_server.url + reverse("audit:retention-schedule"))
        page.fill("input[name=child-ap-record]", "0")
        page.fill("input[name=notification]", "lots")
        with page.expect_navigation():
            page.click("main button[type=submit]")
        assert page.locator(".govuk-error-summary li").count() == 2
        audit.check("la-admin (schedule with every number wrong)")

    with audited(live_server, browser, town.auditor) as audit:
        assert audit.page.goto(live_server.url + RETENTION).status == 200
        assert audit.page.locator("text=Change the retention schedule").count() == 0
        audit.check("auditor (read only)")
