import datetime as dt

import pytest
import time_machine

from aphub.duties import services
from aphub.duties.services import default_term_dates, load_term_dates
from tests.factories import EnrolmentFactory, EpisodeFactory, LocalAuthorityFactory, SchoolFactory, route_for


@pytest.fixture
def la(db):
    """An LA with the typical English term dates of 2025-26 to 2027-28 loaded."""
    local_authority = LocalAuthorityFactory(name="Elmbridge Borough Council")
    load_term_dates(local_authority=local_authority, **default_term_dates())
    return local_authority


@pytest.fixture
def school(la):
    return SchoolFactory(name="Kingsmead Academy", local_authority=la)


@pytest.fixture
def governing_board_review(la, school):
    """The running clock of a governing board's review of a permanent exclusion from 3 November 2026: a duty met by
    the board's decision, recorded by hand."""
    pupil = EnrolmentFactory(pupil__local_authority=la, school=school).pupil
    episode = EpisodeFactory(
        pupil=pupil, route=route_for(la, "permanent-exclusion"), school=school, start_date=dt.date(2026, 11, 3)
    )
    with time_machine.travel(dt.date(2026, 11, 3)):
        clocks = services.start_episode_clocks(episode=episode)
    return next(clock for clock in clocks if clock.rule == "governing-board-review")
