"""The page header in a real browser (GOV.UK Frontend 6's generic header and service navigation, decision 0003): it
names the user's LA without any crown or GOV.UK logo, its navigation marks the page the user is on, and on a phone
(320 px) the navigation folds behind a Menu button that opens it, with nothing wider than the screen. axe checks the
page at both widths; screenshots are saved as /tmp/aphub-header-<width>.png."""

import pytest

from aphub.organisations.models import Role
from aphub.organisations.navigation import navigation_for
from tests.browser.audited import audited
from tests.factories import LocalAuthorityFactory, member

# serialized_rollback, as every browser test here: beside a plain transactional test in one worker, the serialized
# tests' setup failed (UNIQUE constraint on django_content_type).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_header_names_the_la_and_its_navigation_marks_the_page_the_user_is_on(live_server, browser, width):
    user = member(Role.LA_OFFICER, LocalAuthorityFactory(name="Elmbridge Vale Council"))
    first = navigation_for(user.memberships.get())[0]
    with audited(live_server, browser, user) as audit:
        page = audit.page
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + str(first["url"]))
        header = page.locator("header.govuk-template__header")
        assert header.get_by_role("link", name="Elmbridge Vale Council").is_visible()
        assert header.get_by_role("link", name="AP Hub").is_visible()
        # Councils host AP Hub, not GOV.UK: no crown, nor any logo drawn in the header.
        assert header.locator("svg").count() == 0 and "crown" not in header.inner_html().lower()
        assert page.evaluate("document.querySelector('header').scrollWidth") <= width

        navigation = page.get_by_role("navigation", name="Menu")
        menu = navigation.get_by_role("button", name="Menu")
        if width == 320:
            assert menu.is_visible() and not navigation.get_by_role("link", name="Find AP").is_visible()
            menu.click()
            assert menu.get_attribute("aria-expanded") == "true"
        else:
            assert not menu.is_visible()
        current = navigation.locator('[aria-current="page"]')
        assert current.count() == 1 and current.inner_text() == first["label"] and current.is_visible()
        assert navigation.get_by_role("link", name="Find AP").is_visible()
        assert navigation.get_by_role("button", name="Sign out").is_visible()
        audit.check(f"header at {width} px")
        page.screenshot(path=f"/tmp/aphub-header-{width}.png")  # for a person to look at

        with page.expect_navigation():
            navigation.get_by_role("button", name="Sign out").click()
        # Signed out, the navigation offers Sign in (folded behind Menu on a phone, so looked for among hidden ones).
        signed_out = page.get_by_role("navigation", name="Menu", include_hidden=True)
        assert signed_out.get_by_role("link", name="Sign in", include_hidden=True).count() == 1
