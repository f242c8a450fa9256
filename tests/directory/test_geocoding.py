"""The pluggable geocoder, distances, and loading the ONS Postcode Directory."""

import io

import pytest
from django.core.management import CommandError, call_command

from aphub.directory.geocoding import (
    OfflinePostcodeGeocoder,
    bounding_box,
    geocode,
    get_geocoder,
    haversine_miles,
    normalise_postcode,
)
from aphub.directory.models import PostcodePoint

pytestmark = pytest.mark.django_db


class FixedGeocoder:
    def geocode(self, postcode):
        return (51.5, -0.12)


def test_offline_geocoder_uses_loaded_points_before_the_demo_file():
    assert OfflinePostcodeGeocoder().geocode("b91 3sx") == pytest.approx((52.405682, -1.779049))
    PostcodePoint.objects.create(postcode="B91 3SX", latitude=52.0, longitude=-1.0)
    assert OfflinePostcodeGeocoder().geocode("B913SX") == (52.0, -1.0)


def test_offline_geocoder_answers_none_for_unknown_or_malformed_postcodes():
    assert OfflinePostcodeGeocoder().geocode("ZE3 9JZ") is None
    assert OfflinePostcodeGeocoder().geocode("not a postcode") is None


def test_geocoder_is_chosen_by_settings(settings):
    settings.APHUB_GEOCODER = "tests.directory.test_geocoding.FixedGeocoder"
    assert isinstance(get_geocoder(), FixedGeocoder)
    assert geocode("ZE3 9JZ") == (51.5, -0.12)


def test_postcodes_are_normalised():
    assert normalise_postcode(" cv7  9gl ") == "CV7 9GL"
    assert normalise_postcode("B1") is None


def test_haversine_in_miles_matches_a_known_distance():
    # London (Charing Cross) to Birmingham (Victoria Square): about 101 miles as the crow flies.
    assert haversine_miles((51.5073, -0.1276), (52.4797, -1.9026)) == pytest.approx(101.4, abs=1)
    assert haversine_miles((52.4, -1.7), (52.4, -1.7)) == 0


def test_bounding_box_contains_every_point_within_the_distance():
    origin = (52.405682, -1.779049)
    min_lat, max_lat, min_lon, max_lon = bounding_box(origin, 5)
    for bearing_point in [(origin[0] + 5 / 69.05, origin[1]), (origin[0], origin[1] + 5 / (69.05 * 0.6106))]:
        assert haversine_miles(origin, bearing_point) <= 5.05
        assert min_lat <= bearing_point[0] <= max_lat and min_lon <= bearing_point[1] <= max_lon


ONSPD = """pcd,pcd2,pcds,dointr,doterm,lat,long
B91 3SX,B91  3SX,B91 3SX,198001,,52.4056,-1.7790
B91 9ZZ,B91  9ZZ,B91 9ZZ,198001,200112,52.4100,-1.7700
B90 1AA,B90  1AA,B90 1AA,198001,,99.999999,0.000000
XX1 1XX,XX1  1XX,not a postcode,198001,,52.4,-1.7
CV7 9GL,CV7  9GL,CV7 9GL,198001,,52.3999,-1.6999
"""


def test_load_postcodes_loads_live_points_and_skips_terminated_and_unlocated(tmp_path):
    path = tmp_path / "ONSPD_TEST.csv"
    path.write_text(ONSPD, encoding="utf-8")
    out = io.StringIO()
    call_command("load-postcodes", str(path), "--batch-size", "1", stdout=out)
    assert dict(PostcodePoint.objects.values_list("postcode", "latitude")) == {"B91 3SX": 52.4056, "CV7 9GL": 52.3999}
    assert "Loaded 2 postcodes. Skipped 1 terminated, 1 without a location, 1 unreadable." in out.getvalue()

    # A second release updates points in place.
    path.write_text(ONSPD.replace("52.4056", "52.5000"), encoding="utf-8")
    call_command("load-postcodes", str(path), stdout=io.StringIO())
    assert PostcodePoint.objects.get(postcode="B91 3SX").latitude == 52.5
    assert PostcodePoint.objects.count() == 2


def test_load_postcodes_refuses_a_file_that_is_not_onspd(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("postcode,latitude\nB91 3SX,52.4\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no pcds, lat, long columns"):
        call_command("load-postcodes", str(path))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("load-postcodes", str(tmp_path / "missing.csv"))
