"""The offer page says what is already known before the officer fills it in: a place the child already holds, and
at an unregistered provider chosen beforehand, the LA's limits for unregistered provision. Warnings that depend on
the answers are still shown after the first submission, before anything is sent."""

import datetime

from django.urls import reverse

from aphub.duties.models import LocalPolicy
from aphub.organisations.models import Provider
from aphub.placements import services
from aphub.placements.models import Placement
from tests.factories import LocalAuthorityFactory, ProviderFactory, ProvisionFactory

from .test_offer_from_referral import approved_by_panel
from .test_offer_page import offer_form

D = datetime.date
CHECK = "Check before you offer"


def excluded(town):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    return pupil, episode


def part_time_offer(town, episode, provision):
    return services.offer_placement(
        user=town.officer, episode=episode, provision=provision, start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=4, hours_per_week="10", annual_cost="6000", is_full_time=False,
        part_time_reason="Phased start", part_time_review_date=D(2026, 12, 1),
    )  # fmt: skip


def unregistered_provision(town, name="Hollow Farm Days"):
    Provider.objects.filter(pk=town.provider_p1.pk).update(registration_status="unregistered")
    return town.provision(name=name)


def with_limits(town, *, weeks: int, sessions: int) -> None:
    LocalPolicy.objects.update_or_create(
        local_authority=town.la, defaults={"unregistered_max_weeks": weeks, "unregistered_max_sessions": sessions}
    )


def offer_page(client, user, pupil, query: str = ""):
    client.force_login(user)
    return client.get(reverse("placements:offer", kwargs={"pk": pupil.pk}) + query)


def test_places_the_child_already_holds_are_shown_before_anything_is_posted(client, town):
    pupil, episode = excluded(town)
    waiting = part_time_offer(town, episode, town.provision(name="Oakfield Centre"))
    accepted = part_time_offer(town, episode, town.provision(provider=town.provider_p2, name="Riverside Tuition"))
    services.accept_placement(user=town.p2_staff, placement=accepted)

    response = offer_page(client, town.officer, pupil)
    page = response.content.decode()
    assert response.status_code == 200 and Placement.objects.count() == 2  # nothing was posted or made
    assert CHECK in page
    assert (
        f"{pupil.full_name} already has a placement at Oakfield Centre from Tuesday 10 November 2026, offered and "
        "waiting for the provider&#x27;s answer: this would be a second placement"
    ) in page
    assert (
        f"{pupil.full_name} already has a placement at Riverside Tuition from Tuesday 10 November 2026, accepted and "
        "not started yet: this would be a second placement"
    ) in page
    assert waiting.status == "offered"


def test_a_running_placement_is_named_with_its_provision(client, town):
    pupil, episode = excluded(town)
    running = part_time_offer(town, episode, town.provision(name="Oakfield Centre"))
    services.accept_placement(user=town.p1_staff, placement=running)
    services.start_placement(user=town.officer, placement=running)
    page = offer_page(client, town.officer, pupil).content.decode()
    assert "already has a placement at Oakfield Centre from Tuesday 10 November 2026, running" in page


def test_an_unregistered_provision_chosen_beforehand_shows_the_las_limits_as_guidance(client, town):
    with_limits(town, weeks=8, sessions=4)  # the LA's own numbers, not the defaults
    pupil, _ = excluded(town)
    provision = unregistered_provision(town)
    response = offer_page(client, town.officer, pupil, f"?provision={provision.pk}")
    page = response.content.decode()
    assert response.status_code == 200 and not Placement.objects.exists()
    assert CHECK in page
    assert (
        "Hollow Farm Days is run by Pathways One Learning Ltd, which is not registered: the LA allows a placement "
        "there of at most 8 weeks and 4 sessions a week without a recorded reason"
    ) in page
    assert "already has a placement" not in page


def test_the_provision_the_panel_approved_is_chosen_and_its_limits_shown(client, town):
    provision = unregistered_provision(town, name="Copse Outdoor Learning")
    pupil, _, referral = approved_by_panel(town, provision, weeks=6)
    response = offer_page(client, town.officer, pupil, f"?referral={referral.pk}")  # no ?provision= in the link
    page = response.content.decode()
    assert response.context["form"].initial["provision"] == provision.pk
    assert "Copse Outdoor Learning is run by Pathways One Learning Ltd, which is not registered" in page
    assert "at most 12 weeks and 6 sessions a week" in page  # the default policy


def test_no_warning_when_there_is_nothing_to_warn_about(client, town):
    pupil, _ = excluded(town)
    registered = town.provision(name="Oakfield Centre")
    page = offer_page(client, town.officer, pupil, f"?provision={registered.pk}").content.decode()
    assert CHECK not in page and "govuk-warning-text" not in page and 'name="warnings_seen"' not in page
    # An unregistered provider not chosen yet: nothing to say about it before the officer picks it.
    unregistered_provision(town)
    page = offer_page(client, town.officer, pupil).content.decode()
    assert CHECK not in page and "not registered" not in page


def test_another_las_provision_in_the_link_is_neither_chosen_nor_named(client, town):
    pupil, _ = excluded(town)
    elsewhere = ProviderFactory(
        legal_name="Faraway Learning Ltd", local_authority=LocalAuthorityFactory(), registration_status="unregistered"
    )
    theirs = ProvisionFactory(provider=elsewhere, name="Faraway Farm")
    response = offer_page(client, town.officer, pupil, f"?provision={theirs.pk}")
    page = response.content.decode()
    assert response.status_code == 200 and "Faraway" not in page and CHECK not in page
    assert offer_page(client, town.officer, pupil, "?provision=99999999999999999999999").status_code == 200


def test_warnings_read_on_first_load_are_not_asked_about_again(client, town):
    pupil, episode = excluded(town)
    provision = unregistered_provision(town)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    first_load = offer_page(client, town.officer, pupil, f"?provision={provision.pk}")
    seen = first_load.context["warnings_seen"]
    assert seen and f'name="warnings_seen" value="{seen}"' in first_load.content.decode()
    within_limits = offer_form(
        episode, provision, sessions_per_week="4", hours_per_week="10", is_full_time="no",
        part_time_reason="Phased start", part_time_review_date_0="1", part_time_review_date_1="12",
        part_time_review_date_2="2026", planned_end_date_0="18", planned_end_date_1="12", planned_end_date_2="2026",
    )  # fmt: skip
    sent = client.post(url, {**within_limits, "warnings_seen": seen})
    assert sent.status_code == 302 and Placement.objects.count() == 1  # one submission: nothing new to read


def test_a_warning_the_answers_raise_is_still_shown_before_the_offer_is_sent(client, town):
    pupil, episode = excluded(town)
    provision = unregistered_provision(town)
    url = reverse("placements:offer", kwargs={"pk": pupil.pk})
    seen = offer_page(client, town.officer, pupil, f"?provision={provision.pk}").context["warnings_seen"]
    reason = "The only farm-based course within reach; the panel reviews it at 6 weeks"
    past_limits = offer_form(episode, provision, over_limit_reason=reason)  # 10 sessions, no end date
    shown = client.post(url, {**past_limits, "warnings_seen": seen})
    page = shown.content.decode()
    assert shown.status_code == 200 and not Placement.objects.exists()
    assert "is unregistered and this offer goes past the LA&#x27;s limits" in page
    assert "10 sessions a week: the limit is 6" in page
    sent = client.post(url, {**past_limits, "warnings_seen": shown.context["warnings_seen"]})
    assert sent.status_code == 302 and Placement.objects.get().over_limit_reason == reason
    # Without a reason, going past a limit is refused, whatever was read before.
    refused = client.post(url, {**offer_form(episode, provision), "warnings_seen": shown.context["warnings_seen"]})
    assert refused.status_code == 400 and Placement.objects.count() == 1
    assert "Give the reason for going past the LA&#x27;s limits" in refused.content.decode()
