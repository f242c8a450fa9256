"""Decision 0025: what is written on an offer (why part time, the expected outcomes, why go past the LA's limits), on
ending a placement (its notes), on declining or cancelling it (the reason) and on a route (its name and registration
note) has one limit each, asked by the form and by the service in the same words: a long answer is refused however
it arrives, never cut short."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aphub.core.errors import DomainError
from aphub.placements import services
from aphub.placements.forms import EndForm, OfferForm, ReasonForm, RouteForm
from aphub.placements.models import Destination, Placement, Route
from tests.factories import route_for

D = datetime.date


def said_by_form(form_class, field, typed):
    with pytest.raises(ValidationError) as refused:
        form_class.base_fields[field].clean(typed)
    return refused.value.messages


def episode_of(town):
    return services.record_episode(
        user=town.officer, pupil=town.pupil(), kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )


def offer(town, episode, **terms):
    return services.offer_placement(
        user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
        sessions_per_week=10, hours_per_week=Decimal("25"), annual_cost=Decimal("18000"), **terms,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "length", "message", "terms"),
    [
        ("part_time_reason", 2000, "Why part time must be 2,000 characters or fewer", {"is_full_time": False}),
        ("expected_outcomes", 4000, "The expected outcomes must be 4,000 characters or fewer", {}),
        ("over_limit_reason", 2000, "Why go past the LA's limits must be 2,000 characters or fewer", {}),
    ],
)
def test_an_offers_text_too_long_is_refused_in_the_same_words_by_the_form_and_the_service(
    town, field, length, message, terms
):
    episode = episode_of(town)
    too_long = "x" * (length + 1)
    with pytest.raises(DomainError) as refused:
        offer(town, episode, part_time_review_date=D(2026, 12, 10), **terms, **{field: too_long})
    said_by_service = [problem.message for problem in refused.value.errors if problem.field == field]
    assert said_by_form(OfferForm, field, too_long) == said_by_service == [message]
    assert not Placement.objects.exists()


def test_ending_notes_too_long_are_refused_in_the_same_words_by_the_form_and_the_service(town):
    placement = offer(town, episode_of(town))
    services.accept_placement(user=town.p1_staff, placement=placement)
    services.start_placement(user=town.p1_staff, placement=placement, on=D(2026, 11, 10))
    too_long = "x" * 4001
    with pytest.raises(DomainError) as refused:
        services.end_placement(
            user=town.officer, placement=placement, end_date=D(2026, 11, 10), destination=Destination.NEET,
            notes=too_long,
        )  # fmt: skip
    assert said_by_form(EndForm, "notes", too_long) == [refused.value.message]
    assert refused.value.message == "The notes must be 4,000 characters or fewer"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


@pytest.mark.parametrize("action", ["decline", "cancel"])
def test_a_reason_too_long_to_decline_or_cancel_is_refused_in_the_same_words(town, action):
    placement = offer(town, episode_of(town))
    too_long = "x" * 2001
    with pytest.raises(DomainError) as refused:
        if action == "decline":
            services.decline_placement(user=town.p1_staff, placement=placement, reason=too_long)
        else:
            services.cancel_placement(user=town.officer, placement=placement, reason=too_long)
    assert said_by_form(ReasonForm, "reason", too_long) == [refused.value.message]
    assert refused.value.message == "The reason must be 2000 characters or fewer"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.OFFERED


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("name", "The route's name must be 200 characters or fewer"),
        ("registration_note", "The registration note must be 200 characters or fewer"),
    ],
)
def test_a_routes_name_or_note_too_long_is_refused_in_the_same_words_not_cut_short(town, field, message):
    route = route_for(town.la)
    answers = {
        "name": "Permanent exclusion", "commissioner": route.commissioner,
        "place_funding_payer": route.place_funding_payer, "top_up_payer": route.top_up_payer,
        "registration": route.registration, "registration_note": "", field: "x" * 201,
    }  # fmt: skip
    with pytest.raises(DomainError) as refused:
        services.update_route(user=town.admin, route=route, **answers)
    assert said_by_form(RouteForm, field, "x" * 201) == [refused.value.message] == [message]
    assert getattr(Route.objects.get(pk=route.pk), field) != "x" * 200
