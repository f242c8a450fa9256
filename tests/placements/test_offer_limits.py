"""The terms of an offer (sessions and hours a week, the annual cost) have one limit each, in placements.limits: the
offer page and the service say the same sentence for the same answer."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from aphub.core.errors import DomainError
from aphub.placements import limits, services

D = datetime.date


@pytest.mark.parametrize(
    ("limit", "typed", "value", "message"),
    [
        (limits.sessions_per_week, "10", 10, None),
        (limits.sessions_per_week, "ten", None, limits.SESSIONS_A_WEEK),
        (limits.sessions_per_week, "2.5", None, limits.SESSIONS_A_WEEK),
        (limits.sessions_per_week, "0", None, limits.SESSIONS_A_WEEK),
        (limits.sessions_per_week, "11", None, limits.SESSIONS_A_WEEK),
        (limits.hours_per_week, "12.5", Decimal("12.5"), None),
        (limits.hours_per_week, "fifty", None, limits.HOURS_A_WEEK),
        (limits.hours_per_week, "NaN", None, limits.HOURS_A_WEEK),
        (limits.hours_per_week, "0.4", None, limits.HOURS_A_WEEK_RANGE),
        (limits.hours_per_week, "40.1", None, limits.HOURS_A_WEEK_RANGE),
        (limits.hours_per_week, "12.25", None, limits.HOURS_A_WEEK_RANGE),
        (limits.annual_cost, "£18,000", Decimal("18000"), None),
        (limits.annual_cost, "0", Decimal("0"), None),
        (limits.annual_cost, "lots", None, limits.ANNUAL_COST),
        (limits.annual_cost, "-1", None, limits.ANNUAL_COST_PENCE),
        (limits.annual_cost, "12.345", None, limits.ANNUAL_COST_PENCE),
        (limits.annual_cost, "100000000", None, limits.ANNUAL_COST_PENCE),
    ],
)
def test_each_limit_reads_what_was_typed_or_says_why_not(limit, typed, value, message):
    if message is None:
        assert limit(typed) == value
    else:
        with pytest.raises(ValidationError) as error:
            limit(typed)
        assert error.value.messages == [message]


@pytest.mark.parametrize(
    ("field", "typed", "value"),
    [
        ("sessions_per_week", "11", 11),
        ("hours_per_week", "41", Decimal("41")),
        ("hours_per_week", "0.25", Decimal("0.25")),
        ("annual_cost", "12.345", Decimal("12.345")),
        ("annual_cost", "-1", Decimal("-1")),
    ],
)
def test_the_offer_page_and_the_service_give_the_same_message(client, town, field, typed, value):
    pupil = town.pupil()
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    terms = {"sessions_per_week": 10, "hours_per_week": Decimal("25"), "annual_cost": Decimal("18000"), field: value}
    with pytest.raises(DomainError) as refused:
        services.offer_placement(
            user=town.officer, episode=episode, provision=town.provision(), start_date=D(2026, 11, 10), tier="2",
            **terms,
        )  # fmt: skip
    said_by_service = [problem.message for problem in refused.value.errors if problem.field == field]
    page = {
        "episode": episode.pk, "tier": "2", "start_date_0": "10", "start_date_1": "11", "start_date_2": "2026",
        "is_full_time": "yes", "sessions_per_week": "10", "hours_per_week": "25", "registration": "dual",
        "annual_cost": "15000", field: typed,
    }  # fmt: skip
    client.force_login(town.officer)
    response = client.post(reverse("placements:offer", kwargs={"pk": pupil.pk}), page)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == said_by_service
