"""Property: registers taken day by day alert once for each run of absences that reaches the LA's number, and once
for each N, against a plain count over the same codes."""

import datetime

from django.core import mail
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aphub.placements.attendance.codes import lookup
from aphub.placements.attendance.services import record_register
from aphub.placements.models import AbsenceAlert, AttendanceMark

from .conftest import TODAY

CODES = ["/", "L", "B", "I", "M", "N", "O", "Y1", "D"]
THRESHOLD = 3  # LocalPolicy's default
# The last ten sessions up to today (Wednesday 4 to Tuesday 10 November 2026), all inside the alert window.
SESSIONS = [
    (day, session) for day in [TODAY - datetime.timedelta(days=n) for n in (6, 5, 4, 1, 0)] for session in ("AM", "PM")
]


def expected_alerts(codes: list[str]) -> tuple[int, int]:
    """(runs of THRESHOLD or more absences, N marks), counted plainly."""
    runs, length = 0, 0
    for code in codes:
        entry = lookup(code)
        if not entry.is_possible_session:
            continue
        if entry.is_absence:
            length += 1
            if length == THRESHOLD:
                runs += 1
        else:
            length = 0
    return runs, codes.count("N")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=len(SESSIONS)))
def test_day_by_day_registers_alert_once_per_run_and_per_n(area, codes):
    AttendanceMark.objects.all().delete()
    AbsenceAlert.objects.all().delete()
    mail.outbox.clear()
    for (day, session), code in zip(SESSIONS, codes, strict=False):
        record_register(
            user=area.p1_staff, provision=area.horizons, date=day, session=session, marks={area.robin.pk: (code, "")}
        )
    runs, no_reason = expected_alerts(codes)
    subjects = [message.subject for message in mail.outbox]
    recipients_each = 2  # the LA's officer and the home school's staff
    assert sum("in a row" in subject for subject in subjects) == runs * recipients_each
    assert sum("no reason yet" in subject for subject in subjects) == no_reason * recipients_each
