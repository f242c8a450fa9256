"""LA admins set the numbers the law leaves to the LA; bad numbers are explained and nothing is half saved."""

from decimal import Decimal

import pytest

from aphub.core.errors import DomainError
from aphub.duties import limits
from aphub.duties.models import LocalPolicy
from aphub.duties.services import policy_for, update_policy
from aphub.organisations.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

GOOD = {
    "due_soon_school_days": "5",
    "review_interval_weeks": "4",
    "tier_2_planned_weeks": "12",
    "consecutive_absence_alert": "4",
    "follow_up_weeks": "6, 12, 26",
    "place_funding_annual": "10500.00",
    "unregistered_max_weeks": "6",
    "unregistered_max_sessions": "4",
    "publication_threshold": "10",
}


@pytest.fixture
def admin(client, la):
    user = member(Role.LA_ADMIN, la)
    client.force_login(user)
    return user


def test_policy_for_makes_the_default_policy_once(la):
    first = policy_for(la)
    assert (first.due_soon_school_days, first.review_interval_weeks, first.follow_up_intervals) == (3, 6, [6, 12])
    assert policy_for(la) == first
    assert LocalPolicy.objects.filter(local_authority=la).count() == 1


def test_the_page_shows_the_current_numbers(client, admin):
    body = client.get("/duties/policy/").content.decode()
    assert 'name="review_interval_weeks"' in body and 'value="6"' in body


def test_an_admin_saves_new_numbers(client, admin, la):
    response = client.post("/duties/policy/", GOOD)
    assert response.status_code == 302
    policy = LocalPolicy.objects.get(local_authority=la)
    assert (policy.due_soon_school_days, policy.review_interval_weeks, policy.follow_up_weeks) == (5, 4, "6,12,26")
    assert policy.place_funding_annual == Decimal("10500.00")
    # The committee pack and other published figures now withhold counts under 10.
    assert policy.publication_threshold == 10


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("review_interval_weeks", "0", "Enter the weeks between reviews, from 1 to 26"),
        ("consecutive_absence_alert", "twenty", "Enter the number of sessions of absence in a row, from 1 to 20"),
        ("follow_up_weeks", "6,twelve", "whole numbers from 1 to 104 separated by commas"),
        ("place_funding_annual", "-5", "Enter the place funding in pounds"),
        ("due_soon_school_days", "", "Enter how many school days before it is due"),
        ("publication_threshold", "0", "Enter the smallest count published, from 1 to 20"),
    ],
)
def test_bad_numbers_are_explained_and_nothing_is_saved(client, admin, la, field, value, message):
    response = client.post("/duties/policy/", {**GOOD, field: value})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body and message in body
    assert f'href="#id_{field}"' in body
    assert policy_for(la).review_interval_weeks == 6


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR])
def test_only_admins_change_the_policy(client, la, role):
    client.force_login(member(role, la))
    assert client.post("/duties/policy/", GOOD).status_code == 403
    assert policy_for(la).review_interval_weeks == 6


@pytest.mark.parametrize(
    ("field", "typed", "value", "message"),
    [
        ("follow_up_weeks", "6,105", "6,105", limits.FOLLOW_UP_WEEKS),
        ("place_funding_annual", "-1", Decimal("-1"), limits.PLACE_FUNDING),
        ("place_funding_annual", "100000.01", Decimal("100000.01"), limits.PLACE_FUNDING),
        ("place_funding_annual", "10.005", Decimal("10.005"), limits.PLACE_FUNDING),
    ],
)
def test_the_policy_page_and_the_service_give_the_same_message(client, admin, la, field, typed, value, message):
    # One limit each (duties.limits): the page's form and update_policy say the same sentence.
    response = client.post("/duties/policy/", {**GOOD, field: typed})
    assert response.context["form"].errors[field] == [message]
    with pytest.raises(DomainError) as refused:
        update_policy(user=admin, local_authority=la, values={field: value})
    assert [(each.field, each.message) for each in refused.value.errors] == [(field, message)]


def test_follow_up_weeks_are_kept_in_order_once_each(client, admin, la):
    client.post("/duties/policy/", {**GOOD, "follow_up_weeks": "26, 6, 12, 6"})
    assert policy_for(la).follow_up_weeks == "6,12,26"
