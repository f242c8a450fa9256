"""The drill's writer: AP Hub writing through its own services, as its users would, while the drill backs it up.

`python -m ops.writer LEDGER STOP_FILE` (ops.drill starts it, with DATABASE_URL naming the throwaway cluster). Until
STOP_FILE exists it repeats, one transaction each:

- a provider's staff member saving one session's register (attendance.services.record_register) with new marks,
  and one write later saving it again with every mark changed to another code; once every register is saved, every
  register changed again, pass after pass;
- an LA officer referring a child (referrals.services.create_referral), submitting the referral and withdrawing it,
  then referring the child again.

Each service writes its access log entries and queued notifications in the same transaction, as it does for a user;
the ledger holds the access log entries too, so the restore is checked to keep the log of every change it keeps.
After each commit returns, the write is acknowledged: its rows' checksums (computed by PostgreSQL inside the
transaction, so they are the committed state), its commit timestamp and the WAL position are appended to the ledger
and flushed to disk before the next write starts (ops.ledger). A write a service refuses leaves nothing and is not
in the ledger. The writer only changes rows it created, so the ledger knows every row's state at any moment.
"""

import datetime
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import django
from django.db.models import Model

from ops.ledger import Row, Write, lsn_number, start_line, write_line

if TYPE_CHECKING:
    from aphub.directory.models import Provision
    from aphub.organisations.models import User

# The codes a pass over the days gives each session; each pass after the first changes every mark of the one before.
CODE_PASSES = ({"AM": "/", "PM": "\\"}, {"AM": "L", "PM": "L"}, {"AM": "B", "PM": "B"}, {"AM": "K", "PM": "K"})
DAYS_BACK = 60  # calendar days of registers before today the writer fills in

Written = tuple[str, int, bool]  # a row a service call wrote: (table, id, created)
Step = Callable[[], list[Written]]  # one service call, in the writer's transaction


def main(argv: list[str]) -> int:
    ledger_path, stop_path = Path(argv[0]), Path(argv[1])
    django.setup()
    steps = _steps()
    with ledger_path.open("a", encoding="utf-8") as ledger:
        _append(ledger, start_line(_counts()))
        number = 0
        for kind, step in steps:
            if stop_path.exists():
                break
            write = _acknowledged(number + 1, kind, step)
            if write is not None:
                number = write.number
                _append(ledger, write_line(write))
    return 0


def _append(ledger, line: str) -> None:
    ledger.write(line + "\n")
    ledger.flush()
    os.fsync(ledger.fileno())


def _tables() -> dict[str, type[Model]]:
    from aphub.audit.models import AccessLogEntry
    from aphub.placements.models import AttendanceMark, Referral

    return {model._meta.db_table: model for model in (AttendanceMark, Referral, AccessLogEntry)}


def _access_log_since(last_id: int) -> list[Written]:
    """The access log entries a write added: ids above the last before it (the writer is the only one writing)."""
    from aphub.audit.models import AccessLogEntry

    table = AccessLogEntry._meta.db_table
    return [
        (table, entry_id, True)
        for entry_id in AccessLogEntry.objects.filter(pk__gt=last_id).values_list("pk", flat=True)
    ]


def _counts() -> dict[str, int]:
    return {table: model._default_manager.count() for table, model in _tables().items()}


def _acknowledged(number: int, kind: str, step: Step) -> Write | None:
    """Run one step in its own transaction; after the commit, the write as the ledger records it (None if refused)."""
    from django.db import connection, transaction
    from django.db.models import Max

    from aphub.audit.models import AccessLogEntry
    from aphub.core.errors import DomainError

    try:
        with transaction.atomic():
            last_logged = AccessLogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
            written = step()
            written += _access_log_since(last_logged)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_current_xact_id()::xid::text")
                (xid,) = cursor.fetchone()
                checksums = _checksums(cursor, written)
    except DomainError as refused:
        print(f"drill writer: {kind} refused ({refused}); nothing written", file=sys.stderr)
        return None
    # Committed: the write is acknowledged. Its commit timestamp is the one recovery_target_time is compared with.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_xact_commit_timestamp(%s::xid), pg_current_wal_insert_lsn()::text", [xid])
        committed_at, lsn = cursor.fetchone()
    rows = tuple(Row(table, row_id, checksums[table, row_id], created) for table, row_id, created in written)
    return Write(number=number, kind=kind, committed_at=committed_at, lsn_after=lsn_number(lsn), rows=rows)


def _checksums(cursor, written: list[Written]) -> dict[tuple[str, int], str]:
    """md5 of each row's text as PostgreSQL prints it (ops.drill reads the restored rows the same way)."""
    result: dict[tuple[str, int], str] = {}
    for table in sorted({table for table, _, _ in written}):
        ids = [row_id for name, row_id, _ in written if name == table]
        # The table name is one of _tables()' own, never input.
        cursor.execute(f"SELECT id, md5(t::text) FROM {table} t WHERE id = ANY(%s)", [ids])  # noqa: S608
        result.update({(table, row_id): checksum for row_id, checksum in cursor.fetchall()})
    return result


def _steps() -> Iterator[tuple[str, Step]]:
    """The writes, in turn: two registers, then one referral step, for as long as the drill lets it run."""
    registers = _register_steps()
    referrals = _referral_steps()
    while True:
        turn = [item for item in (next(source, None) for source in (registers, registers, referrals)) if item]
        if not turn:
            raise RuntimeError("The demo has no register to take and no child to refer: nothing to write")
        yield from turn


@dataclass(frozen=True)
class _Register:
    user: "User"
    provision: "Provision"
    date: datetime.date
    session: str
    placement_ids: tuple[int, ...]


def _registers() -> list[_Register]:
    """Every (provision, school day, session) before today with active placements and no mark yet, for a member of
    the provider's staff to fill in: the writer then only changes marks it made."""
    from aphub.core.clock import today
    from aphub.core.errors import DomainError
    from aphub.organisations.models import Membership, Role
    from aphub.placements.attendance.services import check_register_date, placement_date_problem
    from aphub.placements.models import AttendanceMark, Placement

    staff = {
        membership.provider_id: membership.user
        for membership in Membership.objects.filter(role=Role.PROVIDER_STAFF).select_related("user")
    }
    placements = list(
        Placement.objects.filter(status=Placement.Status.ACTIVE, provision__provider_id__in=list(staff))
        .select_related("provision")
        .order_by("provision_id", "pk")
    )
    marked = set(AttendanceMark.objects.filter(placement__in=placements).values_list("placement_id", "date", "session"))
    registers = []
    last = today() - datetime.timedelta(days=1)
    for _, same_provision in itertools.groupby(placements, key=lambda placement: placement.provision_id):
        group = list(same_provision)
        provision = group[0].provision
        for back in range(DAYS_BACK):
            day = last - datetime.timedelta(days=back)
            try:
                check_register_date(day, provision)
            except DomainError:
                continue
            for session in ("AM", "PM"):
                ids = tuple(
                    placement.pk
                    for placement in group
                    if placement_date_problem(placement, day) is None and (placement.pk, day, session) not in marked
                )
                if ids:
                    registers.append(_Register(staff[provision.provider_id], provision, day, session, ids))
    return registers


def _register_steps() -> Iterator[tuple[str, Step]]:
    """Each register saved with new marks and, one write later, saved again with every mark changed; then every
    register changed again, pass after pass, each pass's codes differing from the one before."""
    registers = _registers()
    previous = None
    for register in registers:
        yield _saving(register, CODE_PASSES[0], new=True)
        if previous is not None:
            yield _saving(previous, CODE_PASSES[1])
        previous = register
    if previous is None:
        return
    yield _saving(previous, CODE_PASSES[1])
    for codes in itertools.cycle(CODE_PASSES[2:] + CODE_PASSES[:2]):
        for register in registers:
            yield _saving(register, codes)


def _saving(register: _Register, codes: dict[str, str], *, new: bool = False) -> tuple[str, Step]:
    from aphub.placements.attendance.services import record_register
    from aphub.placements.models import AttendanceMark

    table = AttendanceMark._meta.db_table
    code = codes[register.session]

    def step() -> list[Written]:
        saved = record_register(
            user=register.user,
            provision=register.provision,
            date=register.date,
            session=register.session,
            marks={placement_id: (code, "") for placement_id in register.placement_ids},
        )
        if saved.created not in (0, len(saved.marks)) or saved.unchanged:
            raise RuntimeError("A register saved both new and old marks; the writer expects all new or all changed")
        return [(table, mark.pk, saved.created > 0) for mark in saved.marks]

    return ("register-new" if new else "register-change"), step


def _referral_steps() -> Iterator[tuple[str, Step]]:
    """An LA officer refers each child with an open episode and no open referral, submits and withdraws, in turn."""
    from aphub.organisations.models import Membership, Role
    from aphub.placements.models import Episode, Referral, Tier
    from aphub.placements.referrals.services import (
        OPEN_STATUSES,
        create_referral,
        submit_referral,
        withdraw_referral,
    )

    table = Referral._meta.db_table
    officers = {
        membership.local_authority_id: membership.user
        for membership in Membership.objects.filter(role=Role.LA_OFFICER).select_related("user")
    }
    episodes = list(
        Episode.objects.filter(status=Episode.Status.OPEN, pupil__local_authority_id__in=list(officers))
        .exclude(referrals__status__in=OPEN_STATUSES)
        .select_related("pupil")
        .order_by("pk")
    )
    if not episodes:
        return
    for episode in itertools.cycle(episodes):
        user = officers[episode.pupil.local_authority_id]
        made: list[Referral] = []

        def create(episode: Episode = episode, user=user, made: list = made) -> list[Written]:
            referral = create_referral(
                user=user,
                pupil=episode.pupil,
                episode=episode,
                requested_tier=Tier.TIER_2,
                needs_summary="Needs support with emotional regulation (drill).",
                tried_so_far="A pastoral support plan (drill).",
                child_views="Wants a smaller setting (drill).",
                parent_views="Agree with the referral (drill).",
                consent_given=True,
                consent_by="Parent (drill)",
            )
            made.append(referral)
            return [(table, referral.pk, True)]

        def submit(user=user, made: list = made) -> list[Written]:
            return [(table, submit_referral(user=user, referral=made[-1]).pk, False)]

        def withdraw(user=user, made: list = made) -> list[Written]:
            return [(table, withdraw_referral(user=user, referral=made[-1]).pk, False)]

        yield "referral-create", create
        if made:
            yield "referral-submit", submit
            yield "referral-withdraw", withdraw


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
