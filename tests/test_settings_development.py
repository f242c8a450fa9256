"""Development settings (`make run`), each run in a fresh interpreter so the test profile does not leak into them."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A placement's attendance link and a clock's reminder link, as the e-mails carry them.
E_MAIL_LINKS = """
    import django
    django.setup()
    from types import SimpleNamespace
    from aphub.duties.reminders import record_path
    from aphub.placements.attendance.services import attendance_path
    print(record_path(SimpleNamespace(pupil_id=7)))
    print(attendance_path(SimpleNamespace(pk=3)))
"""


def run_with_development_settings(code: str, tmp_path: Path, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "APHUB_", "SECRET_KEY"))}
    env.update(DJANGO_SETTINGS_MODULE="aphub.settings.development", APHUB_VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_links_in_development_e_mails_are_absolute_on_the_local_server(tmp_path):
    result = run_with_development_settings(E_MAIL_LINKS, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "http://127.0.0.1:8000/pupils/7/",
        "http://127.0.0.1:8000/attendance/placements/3/",
    ]


def test_aphub_base_url_still_chooses_the_address_in_development(tmp_path):
    result = run_with_development_settings(E_MAIL_LINKS, tmp_path, APHUB_BASE_URL="http://aphub.test:8080")
    assert result.returncode == 0, result.stderr
    assert all(line.startswith("http://aphub.test:8080/") for line in result.stdout.split())
