# The attendance tests' area (one LA, two providers, time frozen on Tuesday 10 November 2026), for the attendance
# files read here.
from tests.attendance.conftest import area, frozen_today  # noqa: F401
