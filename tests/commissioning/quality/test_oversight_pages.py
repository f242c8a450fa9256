"""The LA sees unregistered providers with counts across commissioners and its own placements that break its limits;
the provider sees its own warning. Counts only: no child's name on either page."""

import datetime

from django.urls import reverse

from aphub.duties.models import LocalPolicy
from aphub.placements.models import Placement


def test_the_la_page_counts_other_commissioners_children_without_naming_them(client, qa):
    for _ in range(3):
        qa.place()
    stranger = qa.place(la=qa.other_la, school=qa.other_school, first_name="Yolanda", last_name="Yeats")
    client.force_login(qa.officer)
    body = client.get(reverse("commissioning:quality-oversight")).content.decode()
    assert "Greenway Learning CIC" in body
    assert "Nearing the threshold" in body
    assert "one more reaches the threshold of 5" in body
    assert stranger.pupil.first_name not in body and stranger.pupil.last_name not in body
    assert stranger.pupil.upn not in body


def test_an_la_officer_sees_providers_educating_its_children_outside_its_area(client, qa):
    from tests.factories import ProviderFactory, ProvisionFactory

    elsewhere = ProviderFactory(legal_name="Faraway Tutors Ltd", local_authority=qa.other_la)
    provision = ProvisionFactory(provider=elsewhere, local_authority=qa.other_la)
    qa.place(provision=provision)
    client.force_login(qa.officer)
    assert "Faraway Tutors Ltd" in client.get(reverse("commissioning:quality-oversight")).content.decode()


def test_placements_that_break_the_las_limits_are_listed_by_initials_and_number(client, qa):
    LocalPolicy.objects.create(local_authority=qa.la, unregistered_max_weeks=12, unregistered_max_sessions=6)
    long_one = qa.place(first_name="Robin", last_name="Hartley")
    Placement.objects.filter(pk=long_one.pk).update(planned_end_date=datetime.date(2027, 6, 30), sessions_per_week=8)
    within = qa.place(first_name="Priya", last_name="Shah")
    Placement.objects.filter(pk=within.pk).update(planned_end_date=datetime.date(2027, 1, 22), sessions_per_week=6)
    other_las = qa.place(la=qa.other_la, first_name="Yusuf", last_name="Yewdale")
    client.force_login(qa.officer)
    body = client.get(reverse("commissioning:quality-oversight")).content.decode()
    assert f"Placement {long_one.pk}</a>" in body
    assert "R. H." in body and "Robin" not in body and "Hartley" not in body
    assert "the limit is 12" in body and "8 sessions a week: the limit is 6" in body
    assert f"Placement {within.pk}</a>" not in body
    assert f"Placement {other_las.pk}</a>" not in body  # another LA's child: counted above, never listed


def test_a_placement_without_an_end_date_breaks_the_time_limit(client, qa):
    open_ended = qa.place()
    client.force_login(qa.officer)
    body = client.get(reverse("commissioning:quality-oversight")).content.decode()
    assert f"Placement {open_ended.pk}</a>" in body
    assert "No planned end date" in body


def test_the_provider_sees_its_own_warning(client, qa):
    qa.place(looked_after=True)
    client.force_login(qa.provider_staff)
    body = client.get(reverse("commissioning:quality-registration")).content.decode()
    assert "You have reached the registration threshold" in body
    visits = client.get(reverse("commissioning:quality-visits")).content.decode()
    assert "You have reached the registration threshold for unregistered provision" in visits


def test_a_provider_below_the_threshold_sees_no_warning(client, qa):
    qa.place()
    client.force_login(qa.provider_staff)
    body = client.get(reverse("commissioning:quality-registration")).content.decode()
    assert "Below the threshold" in body
    assert "govuk-warning-text" not in body
