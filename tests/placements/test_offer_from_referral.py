import datetime

from django.urls import reverse

from aphub.placements import services
from aphub.placements.models import Placement, Referral
from aphub.placements.referrals import services as referrals

D = datetime.date


def approved_by_panel(town, provision, *, weeks: int):
    """A school A pupil's referral, approved by the panel for `provision` and `weeks`: (pupil, episode, referral)."""
    pupil = town.pupil(school=town.school_a)
    episode = services.record_episode(
        user=town.school_a_staff, pupil=pupil, kind="short-term-intervention", start_date=D(2026, 11, 2)
    )
    referral = referrals.create_referral(
        user=town.school_a_staff, pupil=pupil, episode=episode, requested_tier="2", needs_summary="Needs",
        tried_so_far="Mentoring", child_views="Wants a fresh start", parent_views="Agrees", consent_given=True,
        consent_by="Mother",
    )  # fmt: skip
    referrals.submit_referral(user=town.school_a_staff, referral=referral)
    meeting = referrals.create_panel_meeting(user=town.officer, date=D(2026, 11, 9), members="Chair\nHead")
    referrals.record_decision(
        user=town.officer, meeting=meeting, referral=referral, outcome="approve", reasons="Meets criteria",
        tier="2", provision=provision, weeks=weeks,
    )  # fmt: skip
    return pupil, episode, referral


def test_an_offer_made_from_an_approved_referral_lets_the_provider_read_the_referral(client, town):
    provision = town.provision()
    pupil, episode, referral = approved_by_panel(town, provision, weeks=12)
    assert not Referral.objects.visible_to(town.p1_staff).exists()

    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk}) + f"?referral={referral.pk}&provision={provision.pk}"
    form = client.get(url)
    assert "approved by the AP panel" in form.content.decode()
    assert "planned to end after the 12 weeks the panel approved" in form.content.decode()
    response = client.post(
        url,
        {
            "episode": episode.pk, "provision": provision.pk, "tier": "2", "start_date_0": "10", "start_date_1": "11",
            "start_date_2": "2026", "is_full_time": "yes", "sessions_per_week": "10", "hours_per_week": "25",
            "registration": "dual", "annual_cost": "15000",
        },
    )  # fmt: skip
    placement = Placement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/placements/{placement.pk}/")
    assert placement.referral == referral and placement.commissioner == "la"
    assert placement.planned_end_date == D(2026, 11, 10) + datetime.timedelta(weeks=12)  # the panel's length
    assert list(Referral.objects.visible_to(town.p1_staff)) == [referral]
