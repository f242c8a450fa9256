"""The placements tests' town (one LA with term dates, two schools, two providers) serves the pupils tests too."""

from tests.placements.conftest import frozen_today, town  # noqa: F401
