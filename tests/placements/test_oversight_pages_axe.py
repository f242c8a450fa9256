"""axe (WCAG 2.2 A and AA) on the LA's oversight lists of the whole picture, with children on them: a child in
school-arranged AP on no registered roll, and a suspended child short of full-time education."""

import datetime

import pytest
from django.urls import reverse

from aphub.pupils.models import Enrolment
from tests.browser.test_accessibility import Audit, report
from tests.factories import EpisodeFactory, PlacementFactory, ProviderFactory, ProvisionFactory, route_for
from tests.two_factor import sign_in_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_oversight_lists_have_no_accessibility_violations(live_server, browser, town):
    provision = ProvisionFactory(provider=ProviderFactory(local_authority=town.la), local_authority=town.la)
    off_roll = PlacementFactory(
        pupil=town.pupil(), provision=provision, commissioner="school", commissioning_school=town.school_a,
        recorded_by_school=True, is_full_time=False, sessions_per_week=3, hours_per_week="7.5",
        start_date=datetime.date(2026, 11, 2),
    )  # fmt: skip
    Enrolment.objects.filter(pupil=off_roll.pupil).update(end_date=datetime.date(2026, 11, 6))
    pupil = town.pupil()
    PlacementFactory(
        pupil=pupil, provision=provision, is_full_time=False, sessions_per_week=4, hours_per_week="10",
        part_time_reason="Building up", part_time_review_date=datetime.date(2026, 12, 1),
        episode=EpisodeFactory(pupil=pupil, route=route_for(town.la, "suspension")),
    )  # fmt: skip

    context = browser.new_context(base_url=live_server.url)
    audit = Audit(base_url=live_server.url, page=context.new_page())
    audit.page.set_default_timeout(15_000)
    try:
        page = audit.page
        sign_in_in_browser(page, audit.base_url, town.officer.email, "correct-horse-battery")
        for name, shown in (
            ("placements:no-registered-roll", off_roll.pupil.full_name),
            ("placements:short-of-full-time", pupil.full_name),
        ):
            response = page.goto(audit.base_url + reverse(name))
            assert response is not None and response.status == 200
            assert shown in page.content()
            audit.check("la-officer")
    finally:
        context.close()
    assert len(audit.checked) == 2
    report(audit)
