"""Production settings, each run in a fresh interpreter so the test profile does not leak into them."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_with_production_settings(code: str, tmp_path: Path, **env_overrides: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="aphub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="aphub.example.gov.uk",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        APHUB_VAR_DIR=str(tmp_path),
    )
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_no_issues(tmp_path):
    result = run_with_production_settings(
        """
        import django
        from django.core.management import call_command
        django.setup()
        call_command("check", "--deploy", "--fail-level", "DEBUG")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_a_missing_secret_key_stops_start_up_with_a_clear_message(tmp_path):
    result = run_with_production_settings("import django; django.setup()", tmp_path, SECRET_KEY=None)
    assert result.returncode != 0
    assert "AP Hub needs the environment variable SECRET_KEY" in result.stderr


def test_production_cookies_use_host_prefixed_secure_names(tmp_path):
    result = run_with_production_settings(
        """
        import json, django
        from django.conf import settings
        django.setup()
        print(json.dumps([settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME,
                          settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.DEBUG]))
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    session, csrf, session_secure, csrf_secure, debug = json.loads(result.stdout.strip().splitlines()[-1])
    assert session.startswith("__Host-") and csrf.startswith("__Host-")
    assert session_secure and csrf_secure and not debug


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("production")
    result = run_with_production_settings(
        """
        import json, django
        django.setup()
        from django.test import Client
        client = Client(HTTP_HOST="aphub.example.gov.uk")
        secure = client.get("/api/oruk/", secure=True)
        plain = client.get("/api/oruk/", secure=False)
        wanted = ["Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                  "Referrer-Policy", "X-Frame-Options"]
        print(json.dumps({
            "secure": {"status": secure.status_code, **{h: secure.headers.get(h) for h in wanted}},
            "plain": {"status": plain.status_code, "location": plain.headers.get("Location")},
        }))
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_the_security_headers(production_responses):
    secure = production_responses["secure"]
    assert secure["status"] == 200
    csp = secure["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "max-age=63072000" in secure["Strict-Transport-Security"]
    assert "includeSubDomains" in secure["Strict-Transport-Security"]
    assert secure["X-Content-Type-Options"] == "nosniff"
    assert secure["Referrer-Policy"] == "same-origin"
    assert secure["X-Frame-Options"] == "DENY"


def test_plain_http_is_sent_to_https(production_responses):
    plain = production_responses["plain"]
    assert plain["status"] == 301
    assert plain["location"].startswith("https://aphub.example.gov.uk/")
