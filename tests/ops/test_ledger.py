"""The drill's judgement of a restore (ops.ledger): every write acknowledged before the moment is there with the
checksum it was acknowledged with, none after it is, and each table holds the rows it should."""

import datetime

import pytest

from ops.ledger import (
    Moment,
    Row,
    Write,
    compare,
    expected,
    lsn_number,
    lsn_text,
    parse,
    pick_moment,
    start_line,
    write_line,
)

MARKS = "placements_attendancemark"
REFERRALS = "placements_referral"
START = datetime.datetime(2026, 12, 3, 19, 0, tzinfo=datetime.UTC)


def at(seconds: float) -> datetime.datetime:
    return START + datetime.timedelta(seconds=seconds)


def write(number: int, seconds: float, *rows: Row, kind: str = "register") -> Write:
    return Write(number=number, kind=kind, committed_at=at(seconds), lsn_after=0x3000000 + number * 0x100, rows=rows)


# Write 1 creates mark 11, write 2 creates referral 5, write 3 changes mark 11, write 4 creates mark 12 and changes
# referral 5.
LEDGER = parse(
    [
        start_line({MARKS: 10, REFERRALS: 4}),
        write_line(write(1, 1, Row(MARKS, 11, "m11-a", True))),
        write_line(write(2, 2, Row(REFERRALS, 5, "r5-a", True), kind="referral-create")),
        write_line(write(3, 3, Row(MARKS, 11, "m11-b", False))),
        write_line(write(4, 4, Row(MARKS, 12, "m12-a", True), Row(REFERRALS, 5, "r5-b", False))),
    ]
)


def test_the_ledger_reads_back_what_the_writer_wrote():
    assert LEDGER.counts_before == {MARKS: 10, REFERRALS: 4}
    assert [w.number for w in LEDGER.writes] == [1, 2, 3, 4]
    assert LEDGER.writes[3].rows == (Row(MARKS, 12, "m12-a", True), Row(REFERRALS, 5, "r5-b", False))
    assert LEDGER.writes[0].committed_at == at(1)


def test_a_wal_position_reads_as_postgresql_writes_it():
    assert lsn_number("1/2A") == (1 << 32) + 0x2A
    assert lsn_text(lsn_number("0/20A6CA0")) == "0/20A6CA0"


def test_before_the_moment_each_row_is_as_the_last_write_before_it_left_it():
    want = expected(LEDGER, Moment(time=at(3.5)))

    assert want.rows == {(MARKS, 11): "m11-b", (REFERRALS, 5): "r5-a"}
    assert want.absent == {(MARKS, 12)}
    assert want.counts == {MARKS: 11, REFERRALS: 5}
    assert (want.writes_before, want.writes_after) == (3, 1)


def test_a_write_committed_at_the_moment_itself_is_before_it():
    # recovery_target_inclusive on: recovery stops before the first commit later than the moment.
    assert expected(LEDGER, Moment(time=at(2))).writes_before == 2


def test_by_wal_position_the_writes_up_to_the_last_one_before_are_before():
    want = expected(LEDGER, Moment(lsn=LEDGER.writes[1].lsn_after, last_before=2))

    assert want.rows == {(MARKS, 11): "m11-a", (REFERRALS, 5): "r5-a"}
    assert want.absent == {(MARKS, 12)}


def test_a_restore_that_holds_exactly_the_writes_before_the_moment_passes():
    want = expected(LEDGER, Moment(time=at(3.5)))

    restored = {(MARKS, 11): "m11-b", (REFERRALS, 5): "r5-a"}
    assert compare(want, restored, {MARKS: 11, REFERRALS: 5}) == []


def test_a_lost_write_a_stale_row_a_late_row_and_a_wrong_count_are_each_named():
    want = expected(LEDGER, Moment(time=at(3.5)))

    restored = {(MARKS, 11): "m11-a", (MARKS, 12): "m12-a"}  # mark 11 as before write 3, referral 5 missing
    problems = {(m.table, m.row_id): m.problem for m in compare(want, restored, {MARKS: 12, REFERRALS: 4})}

    assert problems == {
        (MARKS, 11): "restored with a different checksum from the one acknowledged",
        (REFERRALS, 5): "acknowledged before the moment, missing after the restore",
        (MARKS, 12): "written only after the moment, yet present after the restore",
        (MARKS, 0): "12 rows restored, 11 expected",
        (REFERRALS, 0): "4 rows restored, 5 expected",
    }


def test_the_moment_chosen_lies_between_two_writes_after_the_backup():
    moment = pick_moment(LEDGER.writes, after=at(1.5), by="time")

    # Writes 2, 3 and 4 came after the backup; the moment falls between the first half and the rest.
    assert moment.time == at(2.5)
    assert expected(LEDGER, moment).writes_before == 2


def test_by_wal_position_the_moment_is_read_just_after_the_last_write_before_it():
    moment = pick_moment(LEDGER.writes, after=at(1.5), by="lsn")

    assert (moment.lsn, moment.last_before) == (LEDGER.writes[1].lsn_after, 2)


def test_no_moment_is_chosen_without_two_writes_after_the_backup():
    with pytest.raises(ValueError, match="Only 1 writes"):
        pick_moment(LEDGER.writes, after=at(3.5), by="time")
