import datetime
from decimal import Decimal

import pytest

from aphub.core.errors import DomainError, NotPermitted
from aphub.placements import services
from aphub.placements.models import Placement, WaitingListEntry

D = datetime.date


def offer(town, pupil, provision, *, user=None, episode=None, **overrides):
    if episode is None:
        # A child has one open permanent exclusion at a time: a second offer serves the same one.
        episode = pupil.episodes.filter(status="open").first() or services.record_episode(
            user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
        )
    values = {
        "start_date": D(2026, 11, 10),
        "tier": "2",
        "sessions_per_week": 10,
        "hours_per_week": Decimal("25"),
        "annual_cost": Decimal("18000.00"),
    }
    values.update(overrides)
    return services.offer_placement(user=user or town.officer, episode=episode, provision=provision, **values)


def test_an_offer_holds_a_place_and_sets_the_tier_2_planned_end_and_first_review(town):
    provision = town.provision(places=2)
    placement = offer(town, town.pupil(), provision)
    assert placement.status == Placement.Status.OFFERED
    assert placement.commissioner == "la" and placement.commissioning_school is None
    assert placement.planned_end_date == D(2026, 11, 10) + datetime.timedelta(weeks=20)
    assert placement.next_review_due == D(2026, 12, 22)
    assert placement.expected_attendance_code == "K"
    from aphub.directory.queries import vacancies_for

    assert vacancies_for([provision])[provision.pk] == 1


def test_the_last_place_cannot_be_taken_twice(town):
    provision = town.provision(places=1)
    offer(town, town.pupil(), provision)
    with pytest.raises(services.ProvisionFull, match="no vacancy"):
        offer(town, town.pupil(), provision)
    assert Placement.objects.filter(provision=provision).count() == 1


def test_a_place_freed_by_a_cancellation_can_be_offered_again(town):
    provision = town.provision(places=1)
    first = offer(town, town.pupil(), provision)
    services.cancel_placement(user=town.officer, placement=first, reason="Family moved away")
    second = offer(town, town.pupil(), provision)
    assert second.status == Placement.Status.OFFERED


def test_a_place_that_is_free_again_after_an_earlier_placement_ends_can_be_offered_for_later_dates(town):
    provision = town.provision(places=1)
    offer(town, town.pupil(), provision, start_date=D(2026, 11, 10), planned_end_date=D(2026, 12, 18))
    later = offer(town, town.pupil(), provision, start_date=D(2027, 1, 5), planned_end_date=D(2027, 3, 26))
    assert later.status == Placement.Status.OFFERED


def test_a_pupil_cannot_have_two_full_time_placements_at_once(town):
    pupil = town.pupil()
    first = offer(town, pupil, town.provision())
    with pytest.raises(DomainError, match="already has a full-time placement"):
        offer(town, pupil, town.provision(), episode=first.episode)


def test_a_part_time_placement_needs_a_reason_and_a_review_date(town):
    pupil = town.pupil()
    with pytest.raises(DomainError, match="reason for a part-time") as error:
        offer(town, pupil, town.provision(), is_full_time=False, sessions_per_week=4, hours_per_week=Decimal("10"))
    assert error.value.field == "part_time_reason"
    placement = offer(
        town,
        pupil,
        town.provision(),
        is_full_time=False,
        sessions_per_week=4,
        hours_per_week=Decimal("10"),
        part_time_reason="Phased return after hospital stay",
        part_time_review_date=D(2026, 12, 1),
    )
    assert not placement.is_full_time


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": D(2026, 11, 2)}, "start_date", "cannot start before the episode"),
        ({"planned_end_date": D(2026, 11, 9)}, "planned_end_date", "on or after the start date"),
        ({"hours_per_week": None}, "hours_per_week", "hours a week"),
        ({"hours_per_week": Decimal("41")}, "hours_per_week", "between 0.5 and 40"),
        ({"sessions_per_week": 11}, "sessions_per_week", "1 to 10"),
        ({"annual_cost": Decimal("12.345")}, "annual_cost", "pounds and pence"),
        ({"annual_cost": Decimal("-1")}, "annual_cost", "pounds and pence"),
        ({"tier": "4"}, "tier", "tier"),
    ],
)
def test_bad_offers_name_the_problem_and_write_nothing(town, overrides, field, message):
    with pytest.raises(DomainError, match=message) as error:
        offer(town, town.pupil(), town.provision(), **overrides)
    assert error.value.field == field
    assert not Placement.objects.exists()


def test_a_school_commissions_for_its_own_pupils_only(town):
    mine = town.pupil(school=town.school_a)
    episode = services.record_episode(
        user=town.school_a_staff,
        pupil=mine,
        kind="suspension",
        start_date=D(2026, 11, 9),
        suspension_last_day=D(2026, 11, 20),
    )
    placement = offer(town, mine, town.provision(), user=town.school_a_staff, episode=episode)
    assert placement.commissioner == "school" and placement.commissioning_school == town.school_a
    assert placement.expected_attendance_code == "B"
    theirs = town.pupil(school=town.school_b)
    other_episode = services.record_episode(
        user=town.school_b_staff,
        pupil=theirs,
        kind="suspension",
        start_date=D(2026, 11, 9),
        suspension_last_day=D(2026, 11, 20),
    )
    with pytest.raises(NotPermitted):
        offer(town, theirs, town.provision(), user=town.school_a_staff, episode=other_episode)


def test_providers_cannot_commission(town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    with pytest.raises(NotPermitted):
        offer(town, pupil, town.provision(), user=town.p1_staff, episode=episode)


def test_only_published_provisions_take_placements(town):
    with pytest.raises(DomainError, match="published"):
        offer(town, town.pupil(), town.provision(status="draft"))


def test_the_waiting_list_is_served_by_statutory_due_date(town):
    provision = town.provision(places=1)
    offer(town, town.pupil(), provision)
    later, sooner = town.pupil(), town.pupil()
    services.record_episode(user=town.officer, pupil=later, kind="awaiting-school-place", start_date=D(2026, 11, 9))
    services.record_episode(user=town.officer, pupil=sooner, kind="permanent-exclusion", start_date=D(2026, 11, 9))
    services.add_to_waiting_list(user=town.officer, pupil=later, provision=provision)
    services.add_to_waiting_list(user=town.officer, pupil=sooner, provision=provision)
    waiting = list(WaitingListEntry.objects.filter(provision=provision))
    assert [entry.pupil for entry in waiting] == [sooner, later]
    assert waiting[0].due_date == D(2026, 11, 16)  # sixth school day from Monday 9 November
    with pytest.raises(DomainError, match="already on the waiting list"):
        services.add_to_waiting_list(user=town.officer, pupil=sooner, provision=provision)


def test_the_directory_counts_the_same_states_as_holding_a_place():
    # The directory's vacancies use the placements app's own count (handed over at start-up, placements/apps.py), so
    # the two cannot disagree about which states hold a place.
    from aphub.directory import queries
    from aphub.placements.models import places_held

    assert queries._places_held is places_held


def test_a_school_sees_and_manages_the_waiting_list_places_of_its_pupils(client, town):
    from django.urls import reverse

    provision = town.provision(places=1, name="Full House Centre")
    ours, theirs = town.pupil(school=town.school_a), town.pupil(school=town.school_b)
    for pupil in (ours, theirs):
        services.add_to_waiting_list(user=town.officer, pupil=pupil, provision=provision)
    assert [e.pupil for e in WaitingListEntry.objects.visible_to(town.school_a_staff)] == [ours]
    entry = WaitingListEntry.objects.get(pupil=ours)
    client.force_login(town.school_a_staff)
    assert ours.last_name in client.get(reverse("placements:waiting-list")).content.decode()
    response = client.post(reverse("placements:remove-from-waiting-list", kwargs={"pk": entry.pk}))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitingListEntry.Status.REMOVED


def test_days_missed_out_of_range_is_named_not_a_500(town):
    with pytest.raises(DomainError) as error:
        services.record_episode(
            user=town.officer, pupil=town.pupil(), kind="health-needs", start_date=D(2026, 11, 9), days_missed=-5
        )
    assert error.value.field == "days_missed"


def test_a_placement_does_not_start_on_a_weekend(town):
    with pytest.raises(DomainError, match="Saturday 14 November 2026 is a weekend day"):
        offer(town, town.pupil(), town.provision(), start_date=D(2026, 11, 14))
    assert not Placement.objects.exists()
