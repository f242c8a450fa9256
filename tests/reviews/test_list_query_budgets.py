"""The follow-ups and overdue reviews lists ask the database the same number of times for 1 row or 6."""

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from aphub.placements.reviews.services import schedule_follow_ups
from tests.factories import EnrolmentFactory, PlacementFactory

from .helpers import end


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _returned_to_school(la, school, provision):
    placement = PlacementFactory(
        pupil__local_authority=la, provision=provision, next_review_due=datetime.date(2027, 1, 2)
    )
    EnrolmentFactory(pupil=placement.pupil, school=school)
    return placement


def test_the_follow_ups_list_has_a_query_budget(client, la, school, provision, school_staff):
    def one_more_return_to_school():
        placement = _returned_to_school(la, school, provision)
        end(placement, on=datetime.date(2026, 11, 27), school=school)
        schedule_follow_ups(placement=placement)

    one_more_return_to_school()
    client.force_login(school_staff)
    one = _queries(client, "/follow-ups/")
    for _ in range(5):
        one_more_return_to_school()
    # Both follow-ups (6 and 12 weeks) of each of the six returns to school are listed from the day it ended.
    assert len(re.findall(r'href="/follow-ups/\d+/"', client.get("/follow-ups/").content.decode())) == 12
    assert _queries(client, "/follow-ups/") == one


def test_the_overdue_reviews_list_has_a_query_budget(client, la, school, provision, provider_staff):
    _returned_to_school(la, school, provision)
    client.force_login(provider_staff)
    one = _queries(client, "/reviews/overdue/")
    for _ in range(5):
        _returned_to_school(la, school, provision)
    body = client.get("/reviews/overdue/").content.decode()
    assert len(re.findall(r'href="/placements/\d+/reviews/"', body)) == 6
    assert _queries(client, "/reviews/overdue/") == one
