"""The placements tests' town (one LA, two schools, two providers; time frozen on Tuesday 10 November 2026), with
the AP its schools arranged themselves, recorded through the one importer as a school's census file would."""

import pytest

from aphub.placements.school_arranged.census import COLUMNS
from aphub.placements.school_arranged.imports import import_file
from tests.factories import make_upn
from tests.placements.conftest import frozen_today, town  # noqa: F401

HEADER = ",".join(COLUMNS)


def upn(place, serial: int) -> str:
    return make_upn(place.la.la_code, 700 + serial)


def census_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def school_arranged_rows(place) -> list[str]:
    return [
        # A registered school outside the directory, by URN: behaviour, part time, running.
        f"{upn(place, 1)},Hartley,Robin,14/03/2012,141234,,,BEH,2026-09-07,,3,PT,7.5,350.00",
        # A registered provider by UKPRN, full time, ended on 16 October.
        f"{upn(place, 2)},Okafor,Sam,2011-06-02,,10012345,,BEH,2026-09-14,2026-10-16,10,FT,25,600",
        # A tutor the school did not name: the census type of setting only; mental health; from 2 November.
        f"{upn(place, 3)},Price,Jo,2013-01-20,,,OOT,MHN,02/11/2026,,2,PT,4,120.50",
    ]


@pytest.fixture
def school_arranged(town):  # noqa: F811 (the fixture imported above)
    """School A's three placements (two in AP on 10 November, one ended in October)."""
    return import_file(user=town.school_a_staff, content=census_file(*school_arranged_rows(town))).placements
