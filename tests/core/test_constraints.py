"""The database check that an open-ended span ends no earlier than it starts (aphub.core.constraints), asked of an
enrolment: not ended yet is allowed, ending the day it starts is allowed, ending before it starts is refused."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from aphub.core.constraints import dates_in_order
from aphub.pupils.models import Enrolment

FIRST = datetime.date(2026, 9, 3)
ORDER = dates_in_order("start_date", "end_date", name="enrolment_dates_in_order")


@pytest.mark.django_db
@pytest.mark.parametrize("end_date", [None, FIRST, FIRST + datetime.timedelta(days=1)])
def test_a_span_not_ended_or_ending_on_or_after_its_start_is_allowed(end_date):
    ORDER.validate(Enrolment, Enrolment(start_date=FIRST, end_date=end_date))


@pytest.mark.django_db
def test_a_span_ending_before_it_starts_is_refused():
    with pytest.raises(ValidationError):
        ORDER.validate(Enrolment, Enrolment(start_date=FIRST, end_date=FIRST - datetime.timedelta(days=1)))


def test_the_enrolment_asks_the_same_check():
    assert ORDER in Enrolment._meta.constraints
