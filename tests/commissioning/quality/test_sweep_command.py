"""aphub sweep-commissioning runs the evidence reminders and the oversight alerts, and is safe to run twice."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from .conftest import TODAY, add_evidence


def run(*args) -> str:
    out = StringIO()
    call_command("sweep-commissioning", *args, stdout=out)
    return out.getvalue()


def test_the_sweep_reminds_and_alerts_then_sends_nothing_new(qa):
    add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=7))
    for _ in range(4):
        qa.place()
    first = run()
    assert "Evidence reminders sent: 0 at 30 days, 1 at 7 days" in first
    assert "registration threshold: 1" in first
    sent = len(mail.outbox)
    assert sent > 0
    second = run()
    assert "Evidence reminders sent: 0 at 30 days, 0 at 7 days" in second and "threshold: 0" in second
    assert len(mail.outbox) == sent


def test_the_sweep_catches_up_on_a_given_day(qa):
    add_evidence(qa.provider, "dbs-checks", datetime.date(2027, 1, 10))
    assert "1 at 30 days" in run("--today", "2026-12-20")


def test_a_bad_date_is_refused(qa):
    with pytest.raises(CommandError, match="2026-11-23"):
        run("--today", "23/11/2026")
