"""The import benchmark runs on a small file, returns its figures and leaves the database as it was."""

from aphub.organisations.models import LocalAuthority, Provider
from aphub.placements.models import AttendanceMark, Placement
from bench.attendance_import import benchmark


def test_the_benchmark_measures_the_import_and_leaves_nothing_behind(area):
    before = (LocalAuthority.objects.count(), Provider.objects.count(), Placement.objects.count())
    figures = benchmark(120, pupils=4, repeats=2)
    assert figures["rows"] == 120 and figures["repeats"] == 2
    assert figures["seconds"] > 0 and figures["marks_per_second"] > 0
    if figures["database"] == "postgresql":
        assert figures["raw_copy_into"].startswith(AttendanceMark._meta.db_table)
        assert figures["raw_copy_seconds"] > 0 and figures["bare_table_copy_seconds"] > 0
        # The fraction is the raw COPY's time over the import's (from unrounded seconds).
        assert abs(figures["fraction_of_raw_copy"] - figures["raw_copy_seconds"] / figures["seconds"]) < 0.01
        assert figures["fraction_of_bare_table_copy"] > 0 and figures["raw_copy_fraction_of_bare_table"] > 0
    else:
        assert figures["raw_copy_seconds"] is None and figures["fraction_of_raw_copy"] is None
    assert (LocalAuthority.objects.count(), Provider.objects.count(), Placement.objects.count()) == before
    assert not AttendanceMark.objects.exists()
