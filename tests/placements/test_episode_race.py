"""Officers racing to record the same child's permanent exclusion on PostgreSQL: the pupil row lock lets one win."""

import datetime
from functools import partial

import pytest
from django.db import connection

from aphub.core.errors import DomainError
from aphub.duties.services import default_term_dates, load_term_dates
from aphub.organisations.models import Role
from aphub.placements import services
from tests.factories import EnrolmentFactory, LocalAuthorityFactory, PupilFactory, member
from tests.race import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's; CI runs this there"),
]
RACERS = 6


def test_racing_officers_record_one_open_permanent_exclusion_for_a_child():
    la = LocalAuthorityFactory()
    load_term_dates(local_authority=la, **default_term_dates())
    officers = [member(Role.LA_OFFICER, la) for _ in range(RACERS)]
    pupil = PupilFactory(local_authority=la)
    EnrolmentFactory(pupil=pupil)
    record = [
        partial(
            services.record_episode,
            user=officer,
            pupil=pupil,
            kind="permanent-exclusion",
            start_date=datetime.date(2026, 11, 2),
        )  # fmt: skip
        for officer in officers
    ]
    outcomes = run_together(record, is_refusal=lambda error: isinstance(error, DomainError))
    assert sorted(outcomes) == ["done"] + ["refused"] * (RACERS - 1)
    assert pupil.episodes.count() == 1
