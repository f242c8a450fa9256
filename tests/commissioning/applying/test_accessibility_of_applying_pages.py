"""axe (WCAG 2.2 A and AA) on the providers' applying pages with real content: the readiness checklist, the task
list, a criterion, declarations, check and submit with its gaps, withdraw, a clarification question and its error,
a decided application, and the evidence library with its upload errors.

The generated browser test (tests/browser) visits these pages only when the demo holds applications; this one makes
them in the demo LA (aphub.demo.applications), so the pages are checked whatever the demo builds.
"""

import pytest
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Application, CommercialArrangement, Evidence
from aphub.core.clock import now
from aphub.demo.applications import REGISTERED_PROVIDER, SMALL_PROVIDER, build_demo_applications
from aphub.demo.build import DEMO_LA_CODE
from aphub.demo.commissioning import build_demo_arrangement
from aphub.organisations.models import LocalAuthority, User
from tests.browser.test_accessibility import audit, report, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACADEMY_SIGN_IN = "provider.academy@example.org"
GREENWAY_SIGN_IN = "provider.greenway@example.org"


def _check(checker, label: str, path: str) -> None:
    response = checker.page.goto(checker.base_url + path)
    assert response is not None and response.status == 200, path
    checker.check(label)


def _submit(checker, label: str, form_selector: str) -> None:
    page = checker.page
    with page.expect_navigation():
        page.locator(form_selector).locator("button[type=submit]").first.click()
    assert page.locator(".govuk-error-summary").count(), f"{label}: no error summary"
    checker.check(label)


def test_applying_pages_have_no_accessibility_violations(audit):  # noqa: F811
    la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
    build_demo_arrangement(la)
    build_demo_applications(la)
    arrangement = CommercialArrangement.objects.filter(owner=la, status="open").order_by("starts_on").first()
    draft = Application.objects.get(provider__legal_name=SMALL_PROVIDER, arrangement=arrangement)
    questioned = Application.objects.get(provider__legal_name=REGISTERED_PROVIDER, arrangement=arrangement)

    sign_in(audit, GREENWAY_SIGN_IN)
    _check(audit, "applications", reverse("commissioning:applications"))
    _check(audit, "readiness", reverse("commissioning:readiness", kwargs={"pk": arrangement.pk}))
    lot = draft.lots.order_by("number").first()
    _check(
        audit,
        "readiness for one lot",
        reverse("commissioning:readiness", kwargs={"pk": arrangement.pk}) + f"?lots={lot.pk}",
    )
    _check(audit, "task list", reverse("commissioning:application", kwargs={"pk": draft.pk}))
    _check(audit, "lots", reverse("commissioning:application-lots", kwargs={"pk": draft.pk}))
    page = audit.page
    page.locator("input[name=lots]:checked").evaluate_all("boxes => boxes.forEach(box => box.checked = false)")
    _submit(audit, "lots with errors", "form[action$='/lots/']")
    response = draft.responses.get(criterion="insurance-public-liability")
    _check(audit, "criterion", reverse("commissioning:response", kwargs={"pk": response.pk}))
    page.set_input_files("input[name=file]", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hi"}])
    page.fill("input[name=title]", "Notes")
    _submit(audit, "criterion with a wrong file", "form[enctype='multipart/form-data']")
    _check(audit, "declarations", reverse("commissioning:application-declarations", kwargs={"pk": draft.pk}))
    _check(audit, "check answers", reverse("commissioning:application-submit", kwargs={"pk": draft.pk}))
    _submit(audit, "check answers with gaps", "form[action$='/submit/']")
    _check(audit, "withdraw", reverse("commissioning:application-withdraw", kwargs={"pk": draft.pk}))
    _check(audit, "evidence library", reverse("commissioning:evidence"))
    _check(audit, "evidence upload", reverse("commissioning:evidence-upload"))
    _submit(audit, "evidence upload with errors", "form[action$='/evidence/upload/']")
    item = Evidence.objects.filter(provider=draft.provider).first()
    _check(audit, "evidence delete", reverse("commissioning:evidence-delete", kwargs={"pk": item.pk}))

    audit.page.context.clear_cookies()  # sign out: the next provider signs in afresh
    sign_in(audit, ACADEMY_SIGN_IN)
    _check(audit, "questions to answer", reverse("commissioning:application", kwargs={"pk": questioned.pk}))
    question = questioned.clarifications.first()
    _check(audit, "a question", reverse("commissioning:clarification", kwargs={"pk": question.pk}))
    _submit(audit, "a question without an answer", "form[action*='/apply/questions/']")
    academy_staff = User.objects.get(email=ACADEMY_SIGN_IN)
    services.answer_clarifications(user=academy_staff, application=questioned, answers={question.pk: "Attached."})
    Application.objects.filter(pk=questioned.pk).update(
        status=Application.Status.REJECTED,
        decided_at=now(),
        decision_reasons="The employer's liability certificate did not cover the new premises.",
    )
    _check(audit, "decided application", reverse("commissioning:application", kwargs={"pk": questioned.pk}))
    report(audit)
