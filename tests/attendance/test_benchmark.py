"""The import benchmark runs on a small file, returns its figures and leaves the database as it was."""

from aphub.exchange.attendance_import import benchmark
from aphub.organisations.models import LocalAuthority, Provider
from aphub.placements.models import AttendanceMark, Placement


def test_the_benchmark_measures_the_import_and_leaves_nothing_behind(area):
    before = (LocalAuthority.objects.count(), Provider.objects.count(), Placement.objects.count())
    figures = benchmark(120, pupils=4)
    assert figures["rows"] == 120
    assert figures["seconds"] > 0 and figures["marks_per_second"] > 0
    if figures["database"] == "postgresql":
        assert figures["raw_copy_seconds"] > 0
        assert figures["fraction_of_raw_copy"] > 0
        assert figures["copy_into_marks_table_seconds"] > 0
    else:
        assert figures["raw_copy_seconds"] is None and figures["fraction_of_raw_copy"] is None
    assert (LocalAuthority.objects.count(), Provider.objects.count(), Placement.objects.count()) == before
    assert not AttendanceMark.objects.exists()
