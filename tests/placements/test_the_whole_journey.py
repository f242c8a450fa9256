"""The issue's 'done when', end to end: exclusion, clock, referral, panel, offer, acceptance, registers, an absence
alert, a review, a return to school and the clock met, all on the child's timeline and nowhere it should not be."""

import datetime

from django.core import mail
from django.urls import reverse

from aphub.duties.models import Clock
from aphub.placements import services
from aphub.placements.attendance.services import record_register
from aphub.placements.models import Destination, OutcomeArea
from aphub.placements.referrals import services as referrals
from aphub.placements.reviews import services as reviews

D = datetime.date


def test_a_child_from_permanent_exclusion_back_to_school(client, town):
    pupil = town.pupil(school=town.school_a, first_name="Gabriel", last_name="Grimshaw")

    # Tuesday 3 November: excluded. The LA officer records it on the child's page.
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "permanent-exclusion", "start_date_0": "3", "start_date_1": "11", "start_date_2": "2026"},
    )
    assert response.status_code == 302
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    assert "Full-time education from the 6th school day of the exclusion: due Tuesday 10 November 2026" in timeline
    clock = Clock.objects.get(pupil=pupil, rule="permanent-exclusion")
    episode = clock.episode

    # The school refers; the panel approves.
    referral = referrals.create_referral(
        user=town.school_a_staff, pupil=pupil, episode=episode, requested_tier="2", needs_summary="SEMH needs",
        tried_so_far="Mentoring", child_views="Wants a fresh start", parent_views="Agree", consent_given=True,
        consent_by="Father",
    )  # fmt: skip
    referrals.submit_referral(user=town.school_a_staff, referral=referral)
    provision = town.provision(name="Kestrel Learning Centre")
    meeting = referrals.create_panel_meeting(user=town.officer, date=D(2026, 11, 5), members="Chair\nHead teacher")
    referrals.record_decision(
        user=town.officer, meeting=meeting, referral=referral, outcome="approve", reasons="Tier 2 for 20 weeks",
        tier="2", provision=provision, weeks=20,
    )  # fmt: skip

    # The LA offers; the provider accepts and the child starts on the sixth day.
    placement = services.offer_placement(
        user=town.officer, episode=episode, provision=provision, referral=referral, start_date=D(2026, 11, 10),
        tier="2", sessions_per_week=10, hours_per_week="25", annual_cost="18000",
    )  # fmt: skip
    client.force_login(town.p1_staff)
    assert client.post(reverse("placements:accept", kwargs={"pk": placement.pk})).status_code == 302
    services.start_placement(user=town.p1_staff, placement=placement, on=D(2026, 11, 10))
    clock.refresh_from_db()
    assert clock.state == Clock.State.MET and clock.met_by == placement

    # The provider takes registers; an unexplained absence alerts the home school the same day.
    record_register(
        user=town.p1_staff, provision=provision, date=D(2026, 11, 10), session="AM", marks={placement.pk: ("/", "")}
    )
    mail.outbox.clear()
    record_register(
        user=town.p1_staff, provision=provision, date=D(2026, 11, 10), session="PM", marks={placement.pk: ("N", "")}
    )
    recipients = {address for message in mail.outbox for address in message.to}
    assert town.school_a_staff.email in recipients and town.officer.email in recipients
    assert all("Epilepsy" not in message.body for message in mail.outbox)

    # A review scores the outcomes with the child's voice; then the child returns to school.
    reviews.record_review(
        user=town.p1_staff, placement=placement, kind="start", held_on=D(2026, 11, 10),
        scores=dict.fromkeys(OutcomeArea.values, 2), pupil_voice="I like the small groups.",
    )  # fmt: skip
    services.end_placement(
        user=town.officer, placement=placement, end_date=D(2026, 11, 10), destination=Destination.SAME_SCHOOL
    )

    client.force_login(town.officer)
    timeline = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).content.decode()
    for text in (
        "Permanent exclusion began",
        "Panel decision: Approved: Kestrel Learning Centre",
        "Started at Kestrel Learning Centre",
        "Start review at Kestrel Learning Centre",
        "Outcome scores out of 5: Safe and feels safe 2, Emotional health and wellbeing, including resilience 2",
        "Absent with no reason yet (afternoon) at Kestrel Learning Centre",
        "The commissioner and the school were alerted",
        "50.0%",  # one session present, one absent
        "Back to the same mainstream school",
        "Met",
    ):
        assert text in timeline, text

    # Nowhere it should not be: another school and another provider in the same LA get a 404.
    for outsider in (town.school_b_staff, town.p2_staff):
        client.force_login(outsider)
        response = client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk}))
        assert response.status_code == 404 and "Grimshaw" not in response.content.decode()
