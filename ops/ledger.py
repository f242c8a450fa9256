"""The drill's ledger of acknowledged writes, and the comparison of a restored database against it.

The writer (ops.writer) appends one JSON line per committed write, only after the commit has returned (the write is
acknowledged): the rows it left, each as (table, id, checksum of the whole row), with the commit's own timestamp
(pg_xact_commit_timestamp, the very value recovery_target_time is compared against) and the WAL insert position read
just after the commit. The first line holds the row counts of the tables written before the first write.

Pure: no database, no Django, so the rule "every write acknowledged before the moment is there with the same
checksum, and none after it" is tested on its own (tests/ops/test_ledger.py).
"""

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

RowKey = tuple[str, int]  # (table, id)


@dataclass(frozen=True)
class Row:
    table: str
    id: int
    checksum: str  # md5 of the row's text, computed by PostgreSQL
    created: bool  # this write inserted it (else it changed a row an earlier write inserted)


@dataclass(frozen=True)
class Write:
    """One acknowledged write: a committed transaction and the rows it left."""

    number: int  # its place in the writer's sequence, from 1
    kind: str  # which service wrote it, e.g. "register", "referral-create"
    committed_at: datetime.datetime  # pg_xact_commit_timestamp of its transaction
    lsn_after: int  # pg_current_wal_insert_lsn() read after the commit returned, as a number
    rows: tuple["Row", ...]  # each row as the commit left it


@dataclass(frozen=True)
class Ledger:
    counts_before: Mapping[str, int]  # rows in each table written, before the first write
    writes: tuple[Write, ...]


def lsn_number(lsn: str) -> int:
    """PostgreSQL writes a WAL position as two hex halves, 'X/Y'."""
    high, low = lsn.split("/")
    return (int(high, 16) << 32) + int(low, 16)


def lsn_text(number: int) -> str:
    return f"{number >> 32:X}/{number & 0xFFFFFFFF:X}"


def start_line(counts_before: Mapping[str, int]) -> str:
    return json.dumps({"counts_before": dict(counts_before)})


def write_line(write: Write) -> str:
    return json.dumps(
        {
            "number": write.number,
            "kind": write.kind,
            "committed_at": write.committed_at.isoformat(),
            "lsn_after": lsn_text(write.lsn_after),
            "rows": [[row.table, row.id, row.checksum, row.created] for row in write.rows],
        }
    )


def parse(lines: Iterable[str]) -> Ledger:
    counts_before: dict[str, int] = {}
    writes: list[Write] = []
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        if "counts_before" in record:
            counts_before = {table: int(count) for table, count in record["counts_before"].items()}
            continue
        writes.append(
            Write(
                number=int(record["number"]),
                kind=record["kind"],
                committed_at=datetime.datetime.fromisoformat(record["committed_at"]),
                lsn_after=lsn_number(record["lsn_after"]),
                rows=tuple(
                    Row(table, int(row_id), checksum, bool(created))
                    for table, row_id, checksum, created in record["rows"]
                ),
            )
        )
    return Ledger(counts_before=counts_before, writes=tuple(writes))


def read(path: Path) -> Ledger:
    with path.open(encoding="utf-8") as lines:
        return parse(lines)


@dataclass(frozen=True)
class Moment:
    """The moment to restore to, and the writes on either side of it.

    By time, recovery stops before the first commit whose timestamp is later than `time` (recovery_target_time with
    recovery_target_inclusive on): a write is before the moment when it committed at or before it. By WAL position,
    recovery stops before the first record at or beyond `lsn` (recovery_target_lsn, inclusive off); `lsn` is read
    after the last write before the moment was acknowledged and before the next one began, so the writes before it
    are those up to that one.
    """

    time: datetime.datetime | None = None
    lsn: int | None = None
    last_before: int = 0  # the number of the last write before the moment (by LSN)

    def describe(self) -> str:
        if self.lsn is not None:
            return lsn_text(self.lsn)
        assert self.time is not None
        return self.time.isoformat()

    def before(self, write: Write) -> bool:
        if self.lsn is not None:
            return write.number <= self.last_before
        assert self.time is not None
        return write.committed_at <= self.time


def pick_moment(writes: Iterable[Write], *, after: datetime.datetime, by: str) -> Moment:
    """A moment between two acknowledged writes, half way through those committed after `after` (the end of the base
    backup: recovery can stop no earlier). By time, midway between the two commits; by LSN, just after the first."""
    later = [write for write in writes if write.committed_at > after]
    if len(later) < 2:
        raise ValueError(f"Only {len(later)} writes were acknowledged after the base backup; at least 2 are needed")
    index = len(later) // 2 - 1
    last_before, first_after = later[index], later[index + 1]
    if by == "lsn":
        return Moment(lsn=last_before.lsn_after, last_before=last_before.number)
    gap = first_after.committed_at - last_before.committed_at
    if gap <= datetime.timedelta(microseconds=1):
        raise ValueError("Two writes committed within a microsecond of each other; no moment lies between them")
    return Moment(time=last_before.committed_at + gap / 2)


@dataclass
class Expected:
    """What the restored database must hold: each row's checksum as the last write before the moment left it, the
    rows only written after it (which must be absent), and each table's count."""

    rows: dict[RowKey, str] = field(default_factory=dict)
    absent: set[RowKey] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=dict)
    writes_before: int = 0
    writes_after: int = 0


def expected(ledger: Ledger, moment: Moment) -> Expected:
    """The writer only changes rows it created, so every row's state before the moment is in the ledger."""
    result = Expected(counts=dict(ledger.counts_before))
    for write in sorted(ledger.writes, key=lambda write: write.number):
        before = moment.before(write)
        result.writes_before += before
        result.writes_after += not before
        for row in write.rows:
            key = (row.table, row.id)
            if before:
                result.rows[key] = row.checksum
                result.counts[row.table] = result.counts.get(row.table, 0) + row.created
            elif row.created:
                result.absent.add(key)
    return result


@dataclass(frozen=True)
class Mismatch:
    table: str
    row_id: int
    problem: str


def compare(want: Expected, restored_rows: Mapping[RowKey, str], restored_counts: Mapping[str, int]) -> list[Mismatch]:
    """Every difference between what the restored database holds and what it must hold, or an empty list.

    `restored_rows` is the checksum of each ledger row found in the restored database (a missing row has no key).
    """
    problems: list[Mismatch] = []
    for (table, row_id), checksum in sorted(want.rows.items()):
        found = restored_rows.get((table, row_id))
        if found is None:
            problems.append(Mismatch(table, row_id, "acknowledged before the moment, missing after the restore"))
        elif found != checksum:
            problems.append(Mismatch(table, row_id, "restored with a different checksum from the one acknowledged"))
    for table, row_id in sorted(want.absent):
        if (table, row_id) in restored_rows:
            problems.append(Mismatch(table, row_id, "written only after the moment, yet present after the restore"))
    for table, count in sorted(want.counts.items()):
        if restored_counts.get(table) != count:
            problems.append(Mismatch(table, 0, f"{restored_counts.get(table)} rows restored, {count} expected"))
    return problems


def ledger_tables(ledger: Ledger) -> Iterator[str]:
    yield from sorted({row.table for write in ledger.writes for row in write.rows} | set(ledger.counts_before))
