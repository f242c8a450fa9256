"""aphub load-postcodes FILE: load postcode centroids from the ONS Postcode Directory (ONSPD) for distance search.

Getting ONSPD
-------------
The ONS Postcode Directory is published free under the Open Government Licence (with the Royal Mail and
Ordnance Survey attributions given in its user guide) on the ONS Open Geography Portal:
https://geoportal.statistics.gov.uk/ -> search "ONS Postcode Directory" -> the latest release (e.g.
"ONS Postcode Directory (February 2025) for the UK") -> Download. Unzip it; the whole-UK file is
`Data/ONSPD_<MON>_<YEAR>_UK.csv` (about 2.7 million rows, 1.3 GB), and per-area files are under `Data/multi_csv/`
(load only the areas you need, e.g. the West Midlands ones, to keep the table small).

The command reads the columns `pcds` (postcode with one space), `lat` and `long`; when the file has a `doterm`
column (date of termination, yyyymm), terminated postcodes are skipped. Rows with no grid reference carry
lat 99.999999 in ONSPD and are skipped too. Loading is idempotent: a postcode already present is updated.
"""

import csv
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aphub.directory.geocoding import normalise_postcode
from aphub.directory.models import PostcodePoint

NO_GRID_REFERENCE = 99.999999  # ONSPD's value for postcodes without a location


class Command(BaseCommand):
    help = (
        "Load postcode centroids from an ONS Postcode Directory (ONSPD) CSV (columns pcds, lat, long; doterm "
        "skips terminated postcodes) for the directory's distance search. Download ONSPD from the ONS Open "
        "Geography Portal (https://geoportal.statistics.gov.uk/, search 'ONS Postcode Directory') and pass "
        "Data/ONSPD_<MON>_<YEAR>_UK.csv or one of the per-area files in Data/multi_csv/."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="ONSPD CSV file, or - for standard input")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per database write (default 5000)")

    def handle(self, *args, file: str, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more")
        if file == "-":
            return self._load(sys.stdin, batch_size)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            self._load(handle, batch_size)

    def _load(self, handle, batch_size: int) -> None:
        reader = csv.DictReader(handle)
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        missing = [name for name in ("pcds", "lat", "long") if name not in columns]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise CommandError(f"The file has no {', '.join(missing)} column{plural}. Is it an ONSPD CSV?")
        doterm = columns.get("doterm")
        loaded = skipped_terminated = skipped_no_location = skipped_bad = 0
        batch: list[PostcodePoint] = []
        for row in reader:
            if doterm and (row.get(doterm) or "").strip():
                skipped_terminated += 1
                continue
            postcode = normalise_postcode(row.get(columns["pcds"]) or "")
            try:
                latitude = float(row[columns["lat"]])
                longitude = float(row[columns["long"]])
            except (TypeError, ValueError):
                skipped_bad += 1
                continue
            if postcode is None:
                skipped_bad += 1
                continue
            if abs(latitude - NO_GRID_REFERENCE) < 1e-6 or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                skipped_no_location += 1
                continue
            batch.append(PostcodePoint(postcode=postcode, latitude=latitude, longitude=longitude))
            if len(batch) >= batch_size:
                loaded += self._write(batch)
                batch = []
        if batch:
            loaded += self._write(batch)
        self.stdout.write(
            f"Loaded {loaded} postcodes. Skipped {skipped_terminated} terminated, "
            f"{skipped_no_location} without a location, {skipped_bad} unreadable."
        )

    @staticmethod
    def _write(batch: list[PostcodePoint]) -> int:
        # A file may repeat a postcode; the last row wins, and one INSERT must not name a key twice.
        unique = list({point.postcode: point for point in batch}.values())
        PostcodePoint.objects.bulk_create(
            unique, update_conflicts=True, unique_fields=["postcode"], update_fields=["latitude", "longitude"]
        )
        return len(unique)
