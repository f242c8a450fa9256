"""axe (WCAG 2.2 A and AA) on the referral and panel pages with real content: a referral with documents, the
panel agenda with suggestions and decision forms, and each form's error state.

The generated browser test (tests/browser) visits these pages only when the demo holds referrals; this one makes
them in the demo LA, so the pages are checked whatever the demo builds.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.core.clock import today
from aphub.demo.build import DEMO_LA_CODE
from aphub.organisations.models import LocalAuthority, Role, User
from aphub.placements.referrals import services
from tests.browser.test_accessibility import ROLE_SIGN_INS, audit, report, sign_in  # noqa: F401
from tests.factories import EnrolmentFactory, EpisodeFactory, PupilFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VALUES = {
    "needs_summary": "Anxious in large classes; SEMH needs.",
    "tried_so_far": "Mentoring and a reduced timetable.",
    "child_views": "I want a smaller place.",
    "parent_views": "We agree.",
    "consent_given": True,
}


def _referrals():
    la = LocalAuthority.objects.get(la_code=DEMO_LA_CODE)
    school_user = User.objects.get(email=ROLE_SIGN_INS[Role.SCHOOL_STAFF])
    officer = User.objects.get(email=ROLE_SIGN_INS[Role.LA_OFFICER])
    school = school_user.memberships.get().school
    made = {}
    for name in ("Avery", "Blake", "Casey"):
        pupil = PupilFactory(local_authority=la, first_name=name, last_name="Testwell", postcode="B91 3SX")
        EnrolmentFactory(pupil=pupil, school=school)
        episode = EpisodeFactory(pupil=pupil, school=school, start_date=today())
        made[name] = services.create_referral(
            user=school_user, pupil=pupil, episode=episode, requested_tier="2", needs=["semh"], **VALUES
        )
    services.upload_document(
        user=school_user,
        referral=made["Avery"],
        title="Support plan",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    for name in ("Avery", "Blake"):
        services.submit_referral(user=school_user, referral=made[name])
    meeting = services.create_panel_meeting(user=officer, date=today(), members="Chair\nHead teacher")
    services.record_decision(
        user=officer, meeting=meeting, referral=made["Blake"], outcome="defer", reasons="We need the EP report."
    )
    return made, meeting


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


def test_referral_and_panel_pages_have_no_accessibility_violations(audit):  # noqa: F811
    made, meeting = _referrals()
    avery, casey = made["Avery"], made["Casey"]

    sign_in(audit, ROLE_SIGN_INS[Role.SCHOOL_STAFF])
    _check(audit, "school referral list", reverse("placements:referrals"))
    _check(audit, "school pupil chooser", reverse("placements:referral-new") + "?q=Testwell")
    _check(audit, "school new referral", reverse("placements:referral-new") + f"?pupil={avery.pupil_id}")
    _check(audit, "school draft referral", reverse("placements:referral", kwargs={"pk": casey.pk}))
    _submit(audit, "school document upload errors", "form[enctype='multipart/form-data']")
    _check(audit, "school edit referral", reverse("placements:referral-edit", kwargs={"pk": casey.pk}))
    _check(audit, "school deferred referral", reverse("placements:referral", kwargs={"pk": made["Blake"].pk}))

    audit.page.context.clear_cookies()
    sign_in(audit, ROLE_SIGN_INS[Role.LA_OFFICER])
    _check(audit, "officer referral with suggestions", reverse("placements:referral", kwargs={"pk": avery.pk}))
    _check(audit, "officer panel list", reverse("placements:panel"))
    _check(audit, "officer agenda", reverse("placements:panel-meeting", kwargs={"pk": meeting.pk}))
    _submit(audit, "officer agenda decision errors", f"form:has(input[name=referral][value='{avery.pk}'])")
    report(audit)
