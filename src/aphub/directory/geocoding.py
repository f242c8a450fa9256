"""Postcodes to points, and distances between points, for the directory's distance search.

The geocoder is pluggable: settings.APHUB_GEOCODER names a class (dotted path) whose instances have
`geocode(postcode) -> (latitude, longitude) | None`. The default looks postcodes up offline, so a council can run
AP Hub without sending a parent's postcode to a third party.
"""

import csv
import math
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from aphub.core.identifiers import validate_postcode

from .models import PostcodePoint

DEMO_POSTCODES = Path(__file__).resolve().parent / "data" / "demo_postcodes.csv"

# Mean Earth radius in miles (IUGG): the haversine on a sphere is within 0.5% of the ellipsoid at UK latitudes.
EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LATITUDE = 69.05

Point = tuple[float, float]


class Geocoder(Protocol):
    def geocode(self, postcode: str) -> Point | None: ...


def normalise_postcode(value: str) -> str | None:
    """'b913qb ' -> 'B91 3QB'; None when the text cannot be a UK postcode."""
    try:
        return validate_postcode(value or "")
    except ValidationError:
        return None


@cache
def _demo_points() -> dict[str, Point]:
    with DEMO_POSTCODES.open(newline="", encoding="utf-8") as handle:
        return {row["postcode"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}


class OfflinePostcodeGeocoder:
    """PostcodePoint rows (a loaded ONS Postcode Directory), then the shipped fictional demo centroids."""

    def geocode(self, postcode: str) -> Point | None:
        normalised = normalise_postcode(postcode)
        if normalised is None:
            return None
        point = PostcodePoint.objects.filter(postcode=normalised).values_list("latitude", "longitude").first()
        if point is not None:
            return (point[0], point[1])
        return _demo_points().get(normalised)


@cache
def _geocoder_class(dotted_path: str) -> type:
    return import_string(dotted_path)


def get_geocoder() -> Geocoder:
    return _geocoder_class(settings.APHUB_GEOCODER)()


def geocode(postcode: str) -> Point | None:
    return get_geocoder().geocode(postcode)


def haversine_miles(a: Point, b: Point) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(origin: Point, miles: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) enclosing every point within `miles` of origin, slightly generous."""
    lat, lon = origin
    dlat = miles / MILES_PER_DEGREE_LATITUDE * 1.01
    # A degree of longitude shrinks with the cosine of latitude; clamp near the poles to avoid dividing by ~0.
    dlon = miles / (MILES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(lat)), 0.01)) * 1.01
    return (lat - dlat, lat + dlat, lon - dlon, lon + dlon)
