"""Registers: provider staff record a morning and an afternoon mark for each pupil placed with them, and the
commissioner and the home school hear of absences the same day.

Who may mark: staff of the provider that runs the provision, for placements there that are active; and, for AP a
school recorded itself at a provider with no users in AP Hub, that school's staff, for its own placements there in
any state but cancelled (placements.permissions: can_take_register_of). On weekdays from the placement's start to
its end, never ahead of today. Each mark is a DfE code (attendance_codes).

Alerts (issue 3, item 7): a pupil marked N ("reason not yet provided"), and a pupil reaching the LA's number of
consecutive absence sessions (LocalPolicy.consecutive_absence_alert). They go to the commissioner (the LA's officers
when the LA commissions, else the commissioning school's staff) and to the staff of the pupil's current school,
through the task queue (aphub.duties.notify). An alert is sent when the register *changes* into the alerting state:
saving the same register again, or correcting an absence code to another absence code, sends nothing new, and each
alert is kept once sent (AbsenceAlert) so a mark corrected and then put back does not send it again.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from aphub.audit.services import log_access, log_access_many
from aphub.core.clock import now, today
from aphub.core.days.dates import weekday_date
from aphub.core.days.school_days import SchoolCalendar, is_weekend
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import text_at_most
from aphub.core.model_fields import max_length
from aphub.core.permissions import require
from aphub.directory.models import Provision
from aphub.duties.calendars import calendar_for, covers
from aphub.duties.notify import notify
from aphub.duties.services import policy_for
from aphub.organisations.models import SCHOOL_ROLES, Membership, Payer, Role, User
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.codes import NO_REASON_YET, SESSIONS, UnknownCode, lookup, validate_code
from aphub.placements.models import AbsenceAlert, AttendanceMark, Placement
from aphub.placements.permissions import can_take_register_of, can_take_registers
from aphub.pupils.services import current_school

NOTE_MAX_LENGTH = max_length(AttendanceMark, "note")


def mark_note(value: str | None, *, whose: str = "A note") -> str:
    """A mark's note, at most NOTE_MAX_LENGTH characters: the register page names the pupil (`whose` is "The note for
    Robin Ahmed"), the API and the attendance file name the row."""
    return text_at_most(value, limit=NOTE_MAX_LENGTH, message=f"{whose} must be {NOTE_MAX_LENGTH} characters or fewer")


# Registers caught up later than this do not alert: the news is stale, and a term's back-filled file would flood
# inboxes. Same-day alerts are the duty; a week covers a register taken late after a bank holiday weekend.
ALERT_WINDOW_DAYS = 7
# How far either side of a changed mark a run of absences is looked for. The LA's threshold is at most 20 sessions
# (10 school days); 35 days covers that with half-terms and sessions that do not count in between.
STREAK_WINDOW_DAYS = 35
SESSION_NAMES = {"AM": "morning", "PM": "afternoon"}


@dataclass(frozen=True)
class MarkChange:
    """A mark that was made or whose code changed; `old_code` is None for a new mark."""

    placement_id: int
    date: datetime.date
    session: str
    old_code: str | None
    new_code: str


@dataclass
class RegisterSaved:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    alerts: int = 0
    marks: list[AttendanceMark] = field(default_factory=list)


class RegisterRejected(DomainError):
    """Some marks broke a rule; nothing was saved. `problems` maps each placement id to its sentence."""

    def __init__(self, problems: Mapping[int, str]) -> None:
        first_id, first_message = next(iter(problems.items()))
        count = len(problems)
        message = first_message if count == 1 else f"{count} marks have problems, so the register was not saved"
        super().__init__(message, field=f"marks.{first_id}")
        self.problems = dict(problems)


def log_each(*, user, objs: Iterable, verb: str, path: str = "") -> None:
    """An access-log row per record, in one INSERT."""
    log_access_many(user=user, objs=list(objs), verb=verb, path=path)


def session_name(session: str) -> str:
    return SESSION_NAMES.get(session, session)


def short_name(pupil) -> str:
    """First name and last initial: enough for the school to recognise the child, too little to identify them."""
    initial = (pupil.last_name or "").strip()[:1].upper()
    return f"{pupil.first_name} {initial}." if initial else pupil.first_name


def check_register_date(day: datetime.date, provision: Provision | None = None) -> None:
    """Registers are for school days that have happened: weekdays up to today, and not a holiday, bank holiday or
    INSET day where the provision's LA's term dates cover the day."""
    if not isinstance(day, datetime.date):
        raise DomainError("Enter the date of the register", field="date")
    problem = not_a_register_day(day, today=today())
    if problem:
        raise DomainError(problem, field="date")
    if provision is not None:
        problem = not_a_school_day(calendar_for(local_authority=provision.local_authority), day)
        if problem:
            raise DomainError(problem, field="date")


def not_a_register_day(day: datetime.date, *, today: datetime.date) -> str | None:
    """Why no register is taken on `day` whatever the term dates say (a weekend, or a day still to come), or None.
    The register page, the service and the attendance file all ask this, so each says the same sentence."""
    if is_weekend(day):
        return f"{weekday_date(day)} is a weekend day; registers are taken on school days"
    if day > today:
        return f"{weekday_date(day)} is in the future; registers are taken on days that have happened"
    return None


def not_a_school_day(calendar: SchoolCalendar, day: datetime.date) -> str | None:
    """Why `day` is not a school day in the calendar, or None (also when the calendar has no terms around it)."""
    if covers(calendar, day) and not calendar.is_school_day(day):
        return (
            f"{weekday_date(day)} is not a school day in the term dates (a holiday, bank holiday or INSET day); "
            "registers are taken on school days"
        )
    return None


def check_session(session: str) -> str:
    value = (session or "").strip().upper()
    if value not in SESSIONS:
        raise DomainError("Choose the morning (AM) or afternoon (PM) session", field="session")
    return value


def placement_date_problem(placement: Placement, day: datetime.date) -> str | None:
    """Why `day` is outside the placement, or None when a mark may be recorded for it."""
    if day < placement.start_date:
        return f"The placement starts on {weekday_date(placement.start_date)}"
    if placement.end_date is not None and day > placement.end_date:
        return f"The placement ended on {weekday_date(placement.end_date)}"
    return None


REGISTER_REFUSED = (
    "Only the provider's staff can take this provision's register (a school takes the register only of AP it "
    "recorded at a provider that does not use AP Hub)"
)
# A school enters the attendance of the AP it recorded from what the provider tells it, often days later, and such a
# placement keeps the state its dates gave it when recorded (nothing moves it on as they pass): its marks go by the
# dates, in any state but cancelled. A provider marks its active placements.
SCHOOL_REGISTER_STATES = (Placement.Status.ACCEPTED, Placement.Status.ACTIVE, Placement.Status.ENDED)


def register_states(membership: Membership | None) -> tuple[str, ...]:
    """The states of the placements the member marks on registers (their dates permitting)."""
    if acts_as(membership, SCHOOL_ROLES):
        return SCHOOL_REGISTER_STATES
    return (Placement.Status.ACTIVE,)


@transaction.atomic
def record_register(
    *,
    user: User,
    provision: Provision,
    date: datetime.date,
    session: str,
    marks: Mapping[int, tuple[str, str]],
) -> RegisterSaved:
    """Save one session's register for pupils placed at `provision`: {placement id: (code, note)}.

    All marks are checked first; any problem saves none of them (RegisterRejected names each). A new mark is logged
    as a create, a different code or note as a change; marks that are the same as before are left alone.
    """
    membership = membership_of(user)
    require(can_take_registers(membership, provision.provider_id), REGISTER_REFUSED)
    # The session, the day and the marks are told together (an API client sees every problem in one answer).
    problems = Problems()
    with problems.check():
        session = check_session(session)
    with problems.check():
        check_register_date(date, provision)
    if not marks:
        problems.add("Choose a mark for at least one pupil", field="marks")
    problems.raise_any()

    # Lock the placements so two people saving the same register at once cannot both alert.
    placements = {
        placement.pk: placement
        for placement in Placement.objects.select_for_update(of=("self",))
        .select_related("pupil", "provision")
        .filter(pk__in=list(marks), provision=provision, status__in=register_states(membership))
    }
    mark_problems: dict[int, str] = {}
    cleaned: dict[int, tuple[str, str]] = {}
    for placement_id, (code, note) in marks.items():
        placement = placements.get(placement_id)
        # Another school's pupil at the same provider reads as no pupil at all: the school does not learn of them.
        if placement is None or not can_take_register_of(membership, placement):
            mark_problems[placement_id] = "This pupil has no active placement at this provision"
            continue
        problem = placement_date_problem(placement, date)
        try:
            stored_code = validate_code(code, session)
        except UnknownCode as error:
            problem = problem or error.message
        try:
            note = mark_note(note)
        except ValidationError as too_long:
            problem = problem or too_long.messages[0]
        if problem:
            mark_problems[placement_id] = problem
        else:
            cleaned[placement_id] = (stored_code, note)
    if mark_problems:
        raise RegisterRejected(mark_problems)

    saved = RegisterSaved()
    existing = {
        mark.placement_id: mark
        for mark in AttendanceMark.objects.filter(placement_id__in=list(cleaned), date=date, session=session)
    }
    changes: list[MarkChange] = []
    moment = now()
    for placement_id, (code, note) in cleaned.items():
        mark = existing.get(placement_id)
        if mark is None:
            mark = AttendanceMark.objects.create(
                placement_id=placement_id,
                date=date,
                session=session,
                code=code,
                note=note,
                recorded_by=user,
                recorded_at=moment,
            )
            log_access(user=user, obj=mark, verb="create")
            changes.append(MarkChange(placement_id, date, session, None, code))
            saved.created += 1
        elif mark.code != code or mark.note != note:
            old_code = mark.code
            mark.code, mark.note, mark.recorded_by, mark.recorded_at = code, note, user, moment
            mark.save(update_fields=["code", "note", "recorded_by", "recorded_at"])
            log_access(user=user, obj=mark, verb="change")
            if old_code != code:
                changes.append(MarkChange(placement_id, date, session, old_code, code))
            saved.changed += 1
        else:
            saved.unchanged += 1
        saved.marks.append(mark)
    # Queued inside the transaction: with the database task backend the alert exists only if the marks do.
    saved.alerts = send_absence_alerts(changes)
    return saved


# --- Alerts ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alert:
    placement: Placement
    subject: str
    body: str
    kind: str  # AbsenceAlert.Kind
    date: datetime.date  # the N mark's session, or the first session of the run
    session: str

    @property
    def key(self) -> tuple[int, str, datetime.date, str]:
        return (self.placement.pk, self.kind, self.date, self.session)


def _policy_threshold(local_authority) -> int:
    return policy_for(local_authority).consecutive_absence_alert


def attendance_path(placement: Placement) -> str:
    path = reverse("placements:attendance-placement", kwargs={"pk": placement.pk})
    return getattr(settings, "APHUB_BASE_URL", "").rstrip("/") + path


def _is_attending(code: str) -> bool:
    entry = lookup(code)
    return entry is not None and entry.is_attending


def _absence_runs(states: dict[tuple[datetime.date, str], str]) -> list[list[tuple[datetime.date, str]]]:
    """Runs of consecutive absence sessions, in register order. Sessions that are not possible ones (code D, X, Y,
    Q, #, Z) neither break nor extend a run; a session attended ends it."""
    runs: list[list[tuple[datetime.date, str]]] = []
    current: list[tuple[datetime.date, str]] = []
    for key in sorted(states):
        entry = lookup(states[key])
        if entry is None or not entry.is_possible_session:
            continue
        if entry.is_absence:
            current.append(key)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def new_absence_streaks(
    placement_id: int, changes: list[MarkChange], threshold: int
) -> list[list[tuple[datetime.date, str]]]:
    """Runs of `threshold` or more absences that these changes made, and that were not that long before them."""
    earliest = min(change.date for change in changes) - datetime.timedelta(days=STREAK_WINDOW_DAYS)
    latest = max(change.date for change in changes) + datetime.timedelta(days=STREAK_WINDOW_DAYS)
    after = {
        (day, session): code
        for day, session, code in AttendanceMark.objects.filter(
            placement_id=placement_id, date__range=(earliest, latest)
        ).values_list("date", "session", "code")
    }
    before = dict(after)
    for change in changes:
        key = (change.date, change.session)
        if change.old_code is None:
            before.pop(key, None)
        else:
            before[key] = change.old_code
    long_before = [set(run) for run in _absence_runs(before) if len(run) >= threshold]
    return [
        run for run in _absence_runs(after) if len(run) >= threshold and not any(old & set(run) for old in long_before)
    ]


def alerts_for(changes: Iterable[MarkChange]) -> list[Alert]:
    """The alerts these register changes call for (see the module docstring)."""
    earliest = today() - datetime.timedelta(days=ALERT_WINDOW_DAYS)
    recent = [change for change in changes if earliest <= change.date <= today()]
    by_placement: dict[int, list[MarkChange]] = defaultdict(list)
    for change in recent:
        by_placement[change.placement_id].append(change)
    if not by_placement:
        return []
    placements = Placement.objects.select_related("pupil__local_authority", "provision").in_bulk(list(by_placement))
    thresholds: dict[int, int] = {}
    alerts: list[Alert] = []
    for placement_id, its_changes in sorted(by_placement.items()):
        placement = placements[placement_id]
        name, provision = short_name(placement.pupil), placement.provision.name
        link = attendance_path(placement)
        service = getattr(settings, "APHUB_SERVICE_NAME", "AP Hub")
        for change in sorted(its_changes, key=lambda c: (c.date, c.session)):
            if change.new_code == NO_REASON_YET and change.old_code != NO_REASON_YET:
                when = f"{weekday_date(change.date)}, {session_name(change.session)}"
                alerts.append(
                    Alert(
                        placement,
                        f"Absent, no reason yet: {name} at {provision}",
                        "\n\n".join(
                            [
                                f"{name} was marked absent with no reason yet (code N) at {provision} on {when}.",
                                f"Sign in to {service} to see the register: {link}",
                                "You get this message because you commission this placement or the child is on "
                                "your school's roll.",
                            ]
                        ),
                        AbsenceAlert.Kind.NO_REASON,
                        change.date,
                        change.session,
                    )
                )
        # Only a session that is no longer attended can make a run of absences (a code that does not count can
        # join two runs by replacing the attended session between them).
        if all(_is_attending(change.new_code) for change in its_changes):
            continue
        la = placement.pupil.local_authority
        if la.pk not in thresholds:
            thresholds[la.pk] = _policy_threshold(la)
        for run in new_absence_streaks(placement_id, its_changes, thresholds[la.pk]):
            last_day, last_session = run[-1]
            if last_day < earliest:
                continue
            alerts.append(
                Alert(
                    placement,
                    f"{len(run)} absences in a row: {name} at {provision}",
                    "\n\n".join(
                        [
                            f"{name} has been absent from {provision} for {len(run)} sessions in a row, most "
                            f"recently on {weekday_date(last_day)}, {session_name(last_session)}.",
                            f"Sign in to {service} to see the register: {link}",
                            "You get this message because you commission this placement or the child is on "
                            "your school's roll.",
                        ]
                    ),
                    AbsenceAlert.Kind.RUN,
                    *run[0],
                )
            )
    return alerts


def alert_recipients(placement: Placement) -> list[str]:
    """The commissioner (the LA's officers, or the commissioning school's staff) and the home school's staff."""
    wanted = Q()
    if placement.commissioner == Payer.LA or placement.commissioning_school_id is None:
        wanted |= Q(role=Role.LA_OFFICER, local_authority_id=placement.pupil.local_authority_id)
    else:
        wanted |= Q(role=Role.SCHOOL_STAFF, school_id=placement.commissioning_school_id)
    home_school = current_school(placement.pupil)
    if home_school is not None:
        wanted |= Q(role=Role.SCHOOL_STAFF, school_id=home_school.pk)
    emails = Membership.objects.filter(wanted, user__is_active=True).values_list("user__email", flat=True)
    return sorted(set(emails))


def send_absence_alerts(changes: Iterable[MarkChange]) -> int:
    """Queue the alerts these changes call for and that were never sent before; returns how many messages were
    queued. Each alert sent is kept (AbsenceAlert), so N corrected to O and back to N alerts once, not twice."""
    alerts = alerts_for(changes)
    if not alerts:
        return 0
    queued = 0
    with transaction.atomic():
        placement_ids = sorted({alert.placement.pk for alert in alerts})
        # Locked in id order, so two registers saved at once for the same pupils wait for each other, not deadlock.
        list(Placement.objects.select_for_update().filter(pk__in=placement_ids).order_by("pk").values_list("pk"))
        sent = set(
            AbsenceAlert.objects.filter(placement_id__in=placement_ids).values_list(
                "placement_id", "kind", "date", "session"
            )
        )
        fresh = []
        for alert in alerts:
            if alert.key not in sent:
                sent.add(alert.key)
                fresh.append(alert)
        AbsenceAlert.objects.bulk_create(
            AbsenceAlert(placement=alert.placement, kind=alert.kind, date=alert.date, session=alert.session)
            for alert in fresh
        )
        recipients: dict[int, list[str]] = {}
        for alert in fresh:
            if alert.placement.pk not in recipients:
                recipients[alert.placement.pk] = alert_recipients(alert.placement)
            queued += notify(recipients=recipients[alert.placement.pk], subject=alert.subject, body=alert.body)
    return queued
