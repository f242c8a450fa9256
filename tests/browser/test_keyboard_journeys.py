"""Each role's main journey, driven by keyboard alone in a real browser (WCAG 2.1.1 Keyboard): Tab to move, Enter
and Space to act, the arrow keys within radios and selects. Every element the focus lands on must show GOV.UK's
yellow focus (2.4.7 Focus Visible), and a fresh page's first Tab reaches the skip link (2.4.1 Bypass Blocks).

Sign-in is the browser tests' own (it is not what is being tested here); from then on no click is made. A page is
opened by its address only where a person would come to it from a bookmark or the service's navigation."""

import re

import pytest
from django.urls import reverse

from aphub.organisations.models import Membership
from aphub.placements.models import AttendanceMark, Placement
from tests.browser.keyboard import focus_shown, press_and_wait, skip_to_main_content, tab_to
from tests.browser.test_accessibility import Audit, audit, sign_in  # noqa: F401 (audit: a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def open_page(audit: Audit, url_name: str) -> None:  # noqa: F811 (audit: the page, not the fixture)
    response = audit.page.goto(audit.base_url + reverse(url_name))
    assert response is not None and response.status == 200, url_name


def heading(page) -> str:
    return page.locator("h1").inner_text().strip()


def test_the_public_search_the_directory_with_filters_and_open_a_provision(audit):  # noqa: F811
    page = audit.page
    open_page(audit, "directory:search")
    skip_to_main_content(page)
    tab_to(page, "Autism")
    page.keyboard.press("Space")
    assert page.locator("input[name=need][value=autism]").is_checked()
    tab_to(page, "Sort by")
    tab_to(page, "Search")  # the button, after the filters
    press_and_wait(page, "Enter")
    assert "need=autism" in page.url

    first = page.locator("main h2 a, main li a.govuk-link").first.inner_text().strip()
    tab_to(page, first)
    press_and_wait(page, "Enter")
    assert heading(page) == first


def test_an_la_officer_goes_from_the_worklist_to_a_child_and_an_action_on_their_record(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "elmbridge.officer@example.org")
    open_page(audit, "duties:worklist")
    skip_to_main_content(page)
    child = page.locator("main table a.govuk-link").first.inner_text().strip()
    tab_to(page, child)
    press_and_wait(page, "Enter")
    assert child in heading(page)
    action = tab_to(page, re.compile(r"^(Offer a placement|Add to the waiting list|Record|Start)"))
    press_and_wait(page, "Enter")
    assert page.locator("main form[method=post]").count(), f"{action['name']!r} led to no form"


def test_an_la_admin_adds_a_colleague_choosing_their_role_with_the_arrow_keys(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "elmbridge.admin@example.org")
    open_page(audit, "organisations:team")
    skip_to_main_content(page)
    tab_to(page, "Add a colleague")
    press_and_wait(page, "Space")  # a link dressed as a button answers Space too (GOV.UK Frontend's button script)
    tab_to(page, re.compile(r"^Email address"))
    page.keyboard.type("new.colleague@example.org")
    tab_to(page, re.compile(r"^Full name"))
    page.keyboard.type("Nia Colleague")
    first_role = page.locator("main .govuk-radios__label").first.inner_text().strip()
    tab_to(page, first_role)
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    focus_shown(page)
    radios = page.locator("main input[name=role]")
    chosen = radios.nth(1).get_attribute("value")  # the arrow moved from the first role to the second and chose it
    assert page.locator("main input[name=role]:checked").get_attribute("value") == chosen
    tab_to(page, "Add colleague")
    press_and_wait(page, "Enter")
    membership = Membership.objects.get(user__email="new.colleague@example.org")
    assert membership.role == chosen


def test_an_auditor_filters_the_access_log_by_a_person(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "elmbridge.auditor@example.org")
    open_page(audit, "audit:access-log")
    skip_to_main_content(page)
    tab_to(page, re.compile(r"^Person"))
    page.keyboard.type("elmbridge.officer")
    tab_to(page, "Apply filters")
    press_and_wait(page, "Enter")
    assert "person=elmbridge.officer" in page.url
    who = page.locator("main table.app-access-log tbody tr td:nth-child(2)")
    assert who.count() and all("elmbridge.officer" in text for text in who.all_inner_texts())
    tab_to(page, "Clear filters")  # the filters are undone from the keyboard too
    press_and_wait(page, "Enter")
    assert "person=" not in page.url


def test_a_finance_officer_goes_from_the_outturn_to_the_schools_forum_report(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "elmbridge.finance@example.org")
    open_page(audit, "finance:outturn")
    skip_to_main_content(page)
    tab_to(page, re.compile(r"Schools Forum"))
    press_and_wait(page, "Enter")
    assert "Schools Forum" in heading(page)


def test_a_school_starts_a_referral(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "school.kingsmead@example.org")
    open_page(audit, "placements:referrals")
    skip_to_main_content(page)
    tab_to(page, "Start a referral")
    press_and_wait(page, "Space")
    assert heading(page) == "Start a referral"
    pupil = tab_to(page, re.compile(r": refer$"))
    press_and_wait(page, "Enter")
    assert "pupil=" in page.url and pupil["name"].removesuffix(": refer") in page.content()


def test_a_provider_takes_a_register_with_the_arrow_keys(audit):  # noqa: F811
    page = audit.page
    sign_in(audit, "provider.greenway@example.org")
    placed = Placement.objects.filter(
        provision__provider__legal_name="Greenway Farm Learning CIC", status=Placement.Status.ACTIVE
    ).first()
    open_page(audit, "placements:attendance-register")
    skip_to_main_content(page)
    tab_to(page, "Provision")
    page.keyboard.type(placed.provision.name)  # a closed select chooses the option whose name is typed
    assert page.locator("main select").first.input_value() == str(placed.provision_id)
    # The register opens on the half-day it is now (the morning before noon), and Tab reaches a group of radios at
    # its chosen one: an arrow moves to the other half-day and chooses it, whatever the time the test runs.
    opened_on = page.locator("input[name=session]:checked").get_attribute("value")
    other = "PM" if opened_on == "AM" else "AM"
    tab_to(page, "Morning (AM)" if opened_on == "AM" else "Afternoon (PM)")
    page.keyboard.press("ArrowDown" if opened_on == "AM" else "ArrowUp")
    focus_shown(page)
    assert page.locator(f"input[name=session][value={other}]").is_checked()
    tab_to(page, "Show register")
    press_and_wait(page, "Enter")

    mark = page.locator("main table select").first
    tab_to(page, re.compile(r"Mark"))
    page.keyboard.press("ArrowDown")
    chosen = mark.input_value()
    assert chosen, "the arrow key chose no mark"
    tab_to(page, "Save register")
    press_and_wait(page, "Space")
    assert page.locator(".govuk-notification-banner").count() == 1
    assert AttendanceMark.objects.filter(placement__provision=placed.provision, session=other, code=chosen).exists()
