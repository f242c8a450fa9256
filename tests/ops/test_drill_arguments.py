"""`make drill`'s choice of moment: a time with its zone, or seconds after the base backup ends."""

import datetime

import pytest

from ops.drill import parse_args


def test_the_moment_is_a_time_with_its_zone_or_seconds_after_the_backup():
    assert parse_args(["--target-time", "2026-12-03T19:30:00+00:00"]).target_time == datetime.datetime(
        2026, 12, 3, 19, 30, tzinfo=datetime.UTC
    )
    assert parse_args(["--target-time", "+5"]).target_time == datetime.timedelta(seconds=5)
    assert parse_args([]).target_time is None


@pytest.mark.parametrize("moment", ["2026-12-03T19:30:00", "+soon", "tomorrow"])
def test_a_moment_without_its_zone_or_unreadable_is_refused(moment, capsys):
    with pytest.raises(SystemExit):
        parse_args(["--target-time", moment])
    assert "--target-time" in capsys.readouterr().err


def test_a_given_time_cannot_be_a_wal_position_too(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--target-time", "+5", "--by", "lsn"])
    assert "restores by time" in capsys.readouterr().err
