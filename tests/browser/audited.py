"""A signed-in browser page with axe ready, for a test that checks pages in states the demo's crawl may not reach:
`with audited(live_server, browser, user) as audit:` signs `user` in, the block visits and `audit.check`s its pages,
and on leaving the page is closed and axe's findings reported (the test fails on any). Written once here so every
page's axe test opens, signs in and reports the same way."""

from collections.abc import Iterator
from contextlib import contextmanager

from tests.browser.test_accessibility import Audit, report
from tests.commissioning.quality.test_quality_pages_axe import sign_in


@contextmanager
def audited(live_server, browser, user, *, timeout: int = 15_000) -> Iterator[Audit]:
    context = browser.new_context(base_url=live_server.url)
    audit = Audit(base_url=live_server.url, page=context.new_page())
    audit.page.set_default_timeout(timeout)
    try:
        sign_in(audit, user)
        yield audit
    finally:
        context.close()
    report(audit)
