"""Follow-ups are work from the day the placement ends: on the follow-ups list and the child's page from then on,
not only in their last 14 days, so the school can plan the 6- and 12-week calls."""

import datetime

from aphub.placements.reviews.services import record_follow_up, schedule_follow_ups

from .helpers import end

# The suite's today is 15 January 2027: a placement that ended on 8 January has its follow-ups due on
# 19 February and 2 April 2027, both more than 14 days ahead.
ENDED_ON = datetime.date(2027, 1, 8)


def test_the_follow_ups_list_shows_both_follow_ups_from_the_day_the_placement_ends(client, placement, school, officer):
    end(placement, on=ENDED_ON, destination="same-school", school=school)
    six, twelve = schedule_follow_ups(placement=placement)
    client.force_login(officer)
    body = client.get("/follow-ups/").content.decode()
    assert f'href="/follow-ups/{six.pk}/"' in body
    assert f'href="/follow-ups/{twelve.pk}/"' in body
    assert "19 February 2027" in body
    assert "2 April 2027" in body


def test_a_recorded_follow_up_leaves_the_list(client, placement, school, officer):
    end(placement, on=datetime.date(2026, 11, 20), destination="same-school", school=school)
    six, twelve = schedule_follow_ups(placement=placement)  # due 1 January 2027 and 12 February 2027
    record_follow_up(user=officer, follow_up=six, lasted=True)
    client.force_login(officer)
    body = client.get("/follow-ups/").content.decode()
    assert f'href="/follow-ups/{six.pk}/"' not in body
    assert f'href="/follow-ups/{twelve.pk}/"' in body


def test_the_childs_page_shows_its_follow_ups_from_the_day_the_placement_ends(client, placement, school, officer):
    end(placement, on=ENDED_ON, destination="same-school", school=school)
    six, twelve = schedule_follow_ups(placement=placement)
    client.force_login(officer)
    body = client.get(f"/pupils/{placement.pupil.pk}/").content.decode()
    assert "Follow-ups" in body
    assert f'href="/follow-ups/{six.pk}/"' in body
    assert f'href="/follow-ups/{twelve.pk}/"' in body
    assert "19 February 2027" in body
    assert "2 April 2027" in body
