"""Links in e-mails are absolute in development too (the console shows what a mail client would follow), and
APHUB_BASE_URL, when set, wins. Run in a fresh interpreter so the test settings do not leak in."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CODE = "import django; django.setup(); from aphub.duties.notify import absolute_url; print(absolute_url('/worklist/'))"


def link_in_development(tmp_path, **env_overrides: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "APHUB_BASE_URL"))}
    env.update(DJANGO_SETTINGS_MODULE="aphub.settings.development", APHUB_VAR_DIR=str(tmp_path), **env_overrides)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CODE], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    ("overrides", "link"),
    [
        ({}, "http://127.0.0.1:8000/worklist/"),
        ({"APHUB_BASE_URL": "http://localhost:8080/"}, "http://localhost:8080/worklist/"),
    ],
)
def test_development_e_mail_links_are_absolute(tmp_path, overrides, link):
    assert link_in_development(tmp_path, **overrides) == link
