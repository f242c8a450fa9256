# The town of tests/placements (one LA, its schools, providers and staff; today frozen on 10 November 2026).
from tests.placements.conftest import frozen_today, town  # noqa: F401
