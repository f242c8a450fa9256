"""The school AP import benchmark runs on a small file, imports it twice and leaves the database as it was."""

from aphub.organisations.models import LocalAuthority, Provider
from aphub.placements.models import Placement
from aphub.pupils.models import Pupil
from bench.school_arranged_import import benchmark, summary


def test_the_benchmark_imports_a_census_file_twice_and_leaves_nothing_behind(db):
    before = (LocalAuthority.objects.count(), Provider.objects.count(), Pupil.objects.count())
    figures = benchmark(60)
    assert figures["rows"] == 60 and figures["seconds"] > 0 and figures["again_seconds"] > 0
    assert figures["first"].startswith("60 placements recorded") and figures["again"].endswith("0 pupils new to AP Hub")
    assert "60 unchanged" in figures["again"]
    assert "school AP census file 60 rows" in summary(figures)
    assert (LocalAuthority.objects.count(), Provider.objects.count(), Pupil.objects.count()) == before
    assert not Placement.objects.exists()
