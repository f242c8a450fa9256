import importlib
import os

import pytest
from django.test.client import Client
from hypothesis import settings as hypothesis_settings

from tests.access.page_rules import is_checked_page, page_rule_problems
from tests.built_once import built_once

# Property tests check what holds, not how fast: on a loaded machine (CI's two suites, xdist workers) one example may
# take longer than hypothesis's 200 ms deadline, which says nothing about the property. Speed is the bench's to
# measure (make bench).
hypothesis_settings.register_profile("aphub", deadline=None)
hypothesis_settings.load_profile("aphub")

_triggers = importlib.import_module("aphub.audit.migrations.0001_initial")

# One chromium for the whole run, whichever directory's tests ask for it first (tests/browser_fixture.py):
# a second session fixture would start a second Playwright inside the first one's event loop.
pytest_plugins = ["tests.browser_fixture"]


@pytest.fixture(autouse=True)
def _media_and_email(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pytest_configure(config):
    # Forced sign-ins (client.force_login) count as having passed the second factor: see tests/two_factor.py.
    from tests.two_factor import verify_forced_logins

    verify_forced_logins()
    config.addinivalue_line("markers", "no_page_rules: this test renders pages that break the GOV.UK page rules")


def pytest_collection_modifyitems(config, items):
    """`@pytest.mark.postgres` tests (row locks, query plans) skip on SQLite, and only there.

    The skip is decided here, once: when DATABASE_URL names PostgreSQL they run (a run whose database is then not
    PostgreSQL stops with an error), so CI's PostgreSQL pass can never skip a race test in silence.
    """
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        if not on_postgres:
            raise pytest.UsageError("DATABASE_URL names PostgreSQL but the test settings do not use it")
        return
    if on_postgres:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks, query plans): set DATABASE_URL; CI runs it there")
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


@pytest.fixture(scope="class")
def demo_read_only(django_db_setup, django_db_blocker):
    """The demo's world (aphub.demo.build), built once for a class of tests that only read it (tests/built_once.py)."""
    from aphub.demo.build import build_demo

    yield from built_once(django_db_blocker, build_demo)


@pytest.fixture(autouse=True)
def _govuk_page_rules(request, monkeypatch):
    """Every HTML page the test client renders, in every test, must keep the GOV.UK page rules (page_rules.py)."""
    if request.node.get_closest_marker("no_page_rules"):
        return
    original = Client.request

    def checked_request(self, **request_kwargs):
        response = original(self, **request_kwargs)
        if is_checked_page(response, request_kwargs.get("PATH_INFO", "")):
            problems = page_rule_problems(response.content.decode(response.charset or "utf-8", "replace"))
            if problems:
                where = f"{request_kwargs.get('REQUEST_METHOD', 'GET')} {request_kwargs.get('PATH_INFO', '')}"
                pytest.fail(f"GOV.UK page rules broken by {where}:\n- " + "\n- ".join(problems), pytrace=False)
        return response

    monkeypatch.setattr(Client, "request", checked_request)


@pytest.fixture(autouse=True, scope="session")
def _flush_past_append_only_triggers():
    """Transactional tests empty every table between tests; the log triggers refuse that, so lift them meanwhile.

    Only the test run does this: in production nothing empties the log tables.
    """
    from django.db import connection

    ops_class = type(connection.ops)
    original = ops_class.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not statements or not set(_triggers.TABLES) & set(tables):
            return statements
        vendor = self.connection.vendor
        return _triggers._statements(vendor, 1) + statements + _triggers._statements(vendor, 0)

    ops_class.sql_flush = sql_flush
    yield
    ops_class.sql_flush = original
