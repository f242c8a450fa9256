"""The offer page: a child with several open episodes, and what the officer learns before the offer is sent."""

import datetime

from django.urls import reverse

from aphub.placements import services
from aphub.placements.models import Placement

D = datetime.date


def offer_form(episode, provision, **overrides) -> dict:
    data = {
        "episode": episode.pk, "provision": provision.pk, "tier": "2", "start_date_0": "10", "start_date_1": "11",
        "start_date_2": "2026", "is_full_time": "yes", "sessions_per_week": "10", "hours_per_week": "25",
        "registration": "dual", "annual_cost": "15000",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_placement_can_be_offered_from_any_open_episode_not_only_the_first_listed(client, town):
    pupil = town.pupil()
    older = services.record_episode(
        user=town.officer, pupil=pupil, kind="health-needs", start_date=D(2026, 10, 5), days_missed=15
    )
    services.record_episode(user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 2))
    provision = town.provision()
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    page = client.get(url).content.decode()
    assert page.index("Permanent exclusion from") < page.index("Health needs from")  # the newest is listed first
    response = client.post(url, offer_form(older, provision))
    placement = Placement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/placements/{placement.pk}/")
    assert placement.episode == older and placement.route == older.route


def unregistered(town):
    from aphub.organisations.models import Provider

    Provider.objects.filter(pk=town.provider_p1.pk).update(registration_status="unregistered")
    return town.provision()


def test_the_las_limits_at_an_unregistered_provider_are_shown_before_the_offer_and_need_a_reason(client, town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    provision = unregistered(town)
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})

    refused = client.post(url, offer_form(episode, provision))
    text = refused.content.decode()
    assert refused.status_code == 400 and not Placement.objects.exists()
    assert "govuk-error-summary" in text and "Give the reason for going past the LA&#x27;s limits" in text
    assert "10 sessions a week: the limit is 6" in text and "20.1 weeks from start to end: the limit is 12" in text

    reason = "Only provision with a farm-based course the child will attend; panel reviews at 6 weeks"
    shown = client.post(url, offer_form(episode, provision, over_limit_reason=reason))
    assert shown.status_code == 200 and not Placement.objects.exists()  # the warnings are read first
    assert "Check before you offer" in shown.content.decode()
    seen = shown.context["warnings_seen"]

    sent = client.post(url, offer_form(episode, provision, over_limit_reason=reason, warnings_seen=seen))
    placement = Placement.objects.get()
    assert sent.status_code == 302 and placement.over_limit_reason == reason
    page = client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    assert "Past the LA's limits because" in page and reason in page
    assert "Change log" in page and "past the LA&#x27;s limits for unregistered provision" in page


def test_a_second_offer_for_the_same_child_is_shown_before_it_is_sent(client, town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    first = services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=4, hours_per_week="10", annual_cost="6000", is_full_time=False,
        part_time_reason="Phased start", part_time_review_date=D(2026, 12, 1),
    )  # fmt: skip
    client.force_login(town.officer)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    second = town.provision(provider=town.provider_p2)
    shown = client.post(url, offer_form(episode, second))
    assert shown.status_code == 200 and Placement.objects.count() == 1
    assert (
        f"already has a placement at {first.provision.name} from Tuesday 10 November 2026, offered and waiting for "
        "the provider&#x27;s answer: this would be a second placement"
    ) in shown.content.decode()
    sent = client.post(url, offer_form(episode, second, warnings_seen=shown.context["warnings_seen"]))
    assert sent.status_code == 302 and Placement.objects.count() == 2


def test_one_submission_shows_every_error_of_the_offer_at_once(client, town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    client.force_login(town.officer)
    response = client.post(
        reverse("placements:offer", kwargs={"pk": pupil.pk}),
        offer_form(
            episode, town.provision(), tier="", sessions_per_week="12", hours_per_week="45", annual_cost="12.345",
            start_date_0="14",  # Saturday 14 November 2026
        ),
    )  # fmt: skip
    summary = response.content.decode().split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert response.status_code == 400 and not Placement.objects.exists()
    for message in (
        "Choose the tier",  # the form's checks
        "Enter the sessions a week as a whole number from 1 to 10",
        "Enter the hours a week between 0.5 and 40, to one decimal place",  # the service's checks
        "Enter the annual cost in pounds and pence",
        "is a weekend day",
    ):
        assert message in summary, message


def test_why_part_time_and_its_review_date_are_revealed_under_part_time(client, town):
    pupil = town.pupil()
    services.record_episode(user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3))
    client.force_login(town.officer)
    page = client.get(reverse("placements:offer", kwargs={"pk": pupil.pk})).content.decode()
    # GOV.UK conditional reveal: the part-time questions sit in the block that "Part time" controls, and without
    # JavaScript they are simply shown under it.
    controls = page.index('value="no" data-aria-controls="conditional-id_is_full_time_2"')
    block = page.index('id="conditional-id_is_full_time_2"')
    assert controls < block < page.index('name="part_time_reason"') < page.index('name="part_time_review_date_0"')
    # ...and the block closes before the next question, which both kinds of place answer.
    assert page.index("</div>", page.index('name="part_time_review_date_2"')) < page.index('name="sessions_per_week"')
