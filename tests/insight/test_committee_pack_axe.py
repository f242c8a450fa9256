"""axe (WCAG 2.2 A and AA) on the committee pack's page: as an officer, as an admin (who is offered the local policy
to change the threshold), with a period that is not on the list (the error summary), and with the LA's packs in
every status (queued, being made, ready to download, failed with its reason)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from aphub.insight import pack_requests
from aphub.insight.models import PackRequest
from aphub.organisations.models import Role
from tests.browser.audited import audited
from tests.commissioning.quality.test_quality_pages_axe import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_committee_pack_page_has_no_accessibility_violations(live_server, browser, town):
    path = reverse("insight:committee-pack")
    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert page.get_by_role("button", name="Make the pack (PDF)").count() == 1
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


def packs_in_every_status(town) -> None:
    for period, label, format, status in [
        ("2026", "2026/27", "pdf", "queued"),
        ("2026", "2026/27", "xlsx", "making"),
        ("2026-autumn", "Autumn term 2026/27", "pdf", "ready"),
        ("2025", "2025/26", "pdf", "failed"),
    ]:
        made = PackRequest.objects.create(
            local_authority=town.la,
            period=period,
            period_label=label,
            format=format,
            status=status,
            reader_role=Role.LA_OFFICER,
            requested_by=town.officer,
            failure_reason=pack_requests.COULD_NOT_MAKE if status == "failed" else "",
        )
        if status == "ready":
            made.file.save(f"pack-{made.pk}.pdf", ContentFile(b"%PDF-1.7 the pack"), save=False)
            made.file_name, made.size = "committee-pack.pdf", 17
            made.save()


def test_the_committee_pack_page_with_packs_in_every_status_has_no_accessibility_violations(live_server, browser, town):
    packs_in_every_status(town)
    with audited(live_server, browser, town.officer) as audit:
        page = audit.page
        response = page.goto(live_server.url + reverse("insight:committee-pack"))
        assert response is not None and response.status == 200
        assert page.get_by_text("A pack is being made — refresh this page").count() == 1
        for status in ("Queued", "Being made", "Ready", "Failed"):
            assert page.locator(".govuk-tag", has_text=status).count() == 1, status
        assert page.get_by_role("link", name="Download the PDF pack for Autumn term 2026/27").count() == 1
        audit.check("la-officer (packs in every status)")
    assert len(audit.checked) == 1
