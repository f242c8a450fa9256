"""The registration threshold is counted across every commissioner: LAs and schools, children matched by UPN."""

import datetime
from decimal import Decimal

from aphub.core.days.school_years import (
    compulsory_school_age_ends,
    compulsory_school_age_starts,
    is_compulsory_school_age,
)
from aphub.duties.models import LocalPolicy
from aphub.organisations.models import Provider
from aphub.placements.oversight import count_unregistered
from tests.factories import PlacementFactory, ProvisionFactory

from .conftest import TODAY


def count_of(qa):
    return count_unregistered(today=TODAY, provider_ids=[qa.provider.pk])[qa.provider.pk]


def test_children_placed_by_an_la_another_la_and_a_school_are_counted_together(qa):
    qa.place()  # Elmford places
    qa.place()
    qa.place(school=qa.school)  # Ashgrove Academy buys a place directly
    qa.place(la=qa.other_la)  # Yarrowdale places
    qa.place(la=qa.other_la, school=qa.other_school)  # and a Yarrowdale school
    count = count_of(qa)
    assert count.full_time == 5
    assert count.level == "threshold"
    assert count.local_authority_ids == {qa.la.pk, qa.other_la.pk}


def test_four_full_time_pupils_raise_the_warning_before_the_threshold(qa):
    for _ in range(3):
        qa.place()
    assert count_of(qa).level is None
    qa.place(la=qa.other_la, school=qa.other_school)
    count = count_of(qa)
    assert (count.full_time, count.level) == (4, "warning")
    assert "one more reaches the threshold of 5" in count.reasons[0]


def test_a_looked_after_pupil_alone_triggers_it(qa):
    qa.place(looked_after=True)
    count = count_of(qa)
    assert (count.full_time, count.looked_after_or_ehcp, count.level) == (1, 1, "threshold")
    assert "looked after or has an EHC plan" in count.reasons[0]


def test_a_pupil_with_an_ehc_plan_alone_triggers_it(qa):
    qa.place(la=qa.other_la, school=qa.other_school, sen_status="E")
    assert count_of(qa).level == "threshold"


def test_an_offered_full_time_placement_of_a_looked_after_pupil_warns_before_it_starts(qa):
    qa.place(looked_after=True, status="offered")
    count = count_of(qa)
    assert (count.full_time, count.level) == (0, "warning")


def test_offered_placements_that_would_make_five_warn(qa):
    for _ in range(3):
        qa.place()
    qa.place(status="offered")
    qa.place(status="accepted")
    count = count_of(qa)
    assert (count.full_time, count.full_time_once_started, count.level) == (3, 5, "warning")


def test_full_time_means_more_than_the_providers_la_hours(qa):
    qa.place(hours="18.0")  # exactly 18 hours is not more than 18
    qa.place(hours="18.5")
    assert count_of(qa).full_time == 1
    LocalPolicy.objects.create(local_authority=qa.la, full_time_hours=Decimal("15"))
    qa.place(la=qa.other_la, hours="16.0")  # the provider's LA's policy counts, not the child's
    assert count_of(qa).full_time == 3


def test_one_child_with_two_part_time_placements_there_counts_once_when_they_add_up_to_full_time(qa):
    first = qa.place(hours="10.0")
    second_provision = ProvisionFactory(provider=qa.provider, local_authority=qa.la, name="Greenway Workshop")
    PlacementFactory(
        pupil=first.pupil,
        episode=first.episode,
        provision=second_provision,
        hours_per_week="10.0",
        is_full_time=False,
        part_time_reason="Vocational course",
        part_time_review_date=datetime.date(2026, 12, 1),
    )
    assert count_of(qa).full_time == 1


def test_the_same_child_recorded_by_two_las_is_one_child(qa):
    first = qa.place()
    qa.place(la=qa.other_la, upn=first.pupil.upn)
    assert count_of(qa).full_time == 1


def test_children_past_compulsory_school_age_and_ended_placements_are_not_counted(qa):
    qa.place(date_of_birth=datetime.date(2009, 8, 1))  # left compulsory school age on 27 June 2025
    qa.place(status="ended")
    assert count_of(qa).full_time == 0


def test_registered_providers_are_not_counted(qa):
    Provider.objects.filter(pk=qa.provider.pk).update(registration_status="registered-school")
    qa.place()
    assert count_unregistered(today=TODAY, provider_ids=[qa.provider.pk]) == {}


def test_compulsory_school_age_runs_from_the_prescribed_day_to_the_last_friday_in_june_of_year_11():
    born = datetime.date(2011, 10, 14)  # five on 14 October 2016; sixteen in the 2027-28 school year
    assert compulsory_school_age_starts(born) == datetime.date(2016, 12, 31)
    assert compulsory_school_age_ends(born) == datetime.date(2028, 6, 30)
    assert not is_compulsory_school_age(born, datetime.date(2016, 12, 30))
    assert is_compulsory_school_age(born, datetime.date(2028, 6, 30))
    assert not is_compulsory_school_age(born, datetime.date(2028, 7, 1))
    # Five on a prescribed day starts that day; sixteen in August leaves in the June before.
    assert compulsory_school_age_starts(datetime.date(2011, 3, 31)) == datetime.date(2016, 3, 31)
    assert compulsory_school_age_ends(datetime.date(2009, 8, 1)) == datetime.date(2025, 6, 27)
    # Sixteen on 1 September: the oldest of the year, who leaves in the June before that birthday.
    assert compulsory_school_age_ends(datetime.date(2010, 9, 1)) == datetime.date(2027, 6, 25)
