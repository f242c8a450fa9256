"""Decision 0025: a term's name, a closure's reason, what was decided when a duty is met and the policy's numbers each
have one limit, asked by the page and by the service in the same words, so a long answer or a number out of range is
refused however it arrives (never cut short, and never left to the database to refuse)."""

import datetime as dt

import pytest
import time_machine

from aphub.core.errors import DomainError
from aphub.duties import services
from aphub.duties.forms import ClosureForm, PolicyForm, RecordMetForm, TermForm
from aphub.duties.models import Clock, Closure, LocalPolicy, TermDates
from aphub.organisations.models import Role
from tests.factories import member

D = dt.date
pytestmark = pytest.mark.django_db


def said_by_page(form_class, data, field):
    return form_class(data=data).errors[field]


def test_a_term_name_too_long_is_refused_in_the_same_words_by_the_page_and_the_service(la):
    admin = member(Role.LA_ADMIN, la)
    too_long = "Autumn " + "x" * 54  # 61 characters
    page = said_by_page(
        TermForm,
        {"name": too_long, **dates("first_day", D(2029, 1, 8)), **dates("last_day", D(2029, 2, 9))},
        "name",
    )
    with pytest.raises(DomainError) as refused:
        services.add_term(
            user=admin, local_authority=la, name=too_long, first_day=D(2029, 1, 8), last_day=D(2029, 2, 9)
        )
    assert page == [refused.value.message] == ["The name must be 60 characters or fewer"]
    assert refused.value.field == "name"
    assert not TermDates.objects.filter(first_day=D(2029, 1, 8)).exists()

    fits = services.add_term(
        user=admin, local_authority=la, name="x" * 60, first_day=D(2029, 1, 8), last_day=D(2029, 2, 9)
    )
    assert fits.name == "x" * 60


def test_term_dates_loaded_from_a_file_keep_the_same_limits(la):
    with pytest.raises(DomainError) as refused:
        services.load_term_dates(
            local_authority=la,
            terms=[{"name": "x" * 61, "first_day": "2029-01-08", "last_day": "2029-02-09"}],
        )
    assert refused.value.message == "The name must be 60 characters or fewer"
    with pytest.raises(DomainError) as refused:
        services.load_term_dates(local_authority=la, terms=[], closures=[{"date": "2029-01-09", "reason": "x" * 101}])
    assert refused.value.message == "The reason must be 100 characters or fewer"
    assert not Closure.objects.filter(date=D(2029, 1, 9)).exists()


def test_a_closure_reason_too_long_is_refused_in_the_same_words_by_the_page_and_the_service(la):
    admin = member(Role.LA_ADMIN, la)
    too_long = "INSET day " + "x" * 91  # 101 characters
    page = said_by_page(ClosureForm, {**dates("date", D(2026, 11, 6)), "reason": too_long}, "reason")
    with pytest.raises(DomainError) as refused:
        services.add_closure(user=admin, local_authority=la, date=D(2026, 11, 6), reason=too_long)
    assert page == [refused.value.message] == ["The reason must be 100 characters or fewer"]
    assert not Closure.objects.filter(local_authority=la, date=D(2026, 11, 6)).exists()

    fits = services.add_closure(user=admin, local_authority=la, date=D(2026, 11, 6), reason="x" * 100)
    assert fits.reason == "x" * 100


def test_what_was_decided_too_long_is_refused_in_the_same_words_not_cut_short(la, governing_board_review):
    board = governing_board_review
    officer = member(Role.LA_OFFICER, la)
    too_long = "The governing board upheld the exclusion. " + "x" * 160  # 202 characters

    page = said_by_page(RecordMetForm, {**dates("met_on", D(2026, 11, 19)), "note": too_long}, "note")
    with time_machine.travel(D(2026, 11, 20)):
        with pytest.raises(DomainError) as refused:
            services.record_clock_met(user=officer, clock=board, on=D(2026, 11, 19), note=too_long)
        assert page == [refused.value.message] == ["What was decided must be 200 characters or fewer"]
        board.refresh_from_db()
        assert board.state != Clock.State.MET

        met = services.record_clock_met(user=officer, clock=board, on=D(2026, 11, 19), note="x" * 200)
    assert met.met_note == "x" * 200


def dates(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "due_soon_school_days",
            21,
            "Enter how many school days before it is due a clock shows as due soon, from 0 to 20",
        ),
        ("review_interval_weeks", 0, "Enter the weeks between reviews, from 1 to 26"),
        ("tier_2_planned_weeks", 40000, "Enter the planned length in weeks, from 1 to 52"),
        ("consecutive_absence_alert", 21, "Enter the number of sessions of absence in a row, from 1 to 20"),
        ("unregistered_max_weeks", 53, "Enter the longest placement in weeks, from 1 to 52"),
        ("unregistered_max_sessions", 11, "Enter the most sessions a week, from 1 to 10"),
    ],
)
def test_a_policy_number_out_of_range_is_refused_in_the_same_words_by_the_page_and_the_service(
    la, field, value, message
):
    admin = member(Role.LA_ADMIN, la)
    before = services.policy_for(la)
    page = PolicyForm(data={**PolicyForm.initial_from(before), field: str(value)}).errors[field]
    with pytest.raises(DomainError) as refused:
        services.update_policy(user=admin, local_authority=la, values={field: value})
    assert page == [refused.value.message] == [message]
    assert refused.value.field == field
    assert getattr(LocalPolicy.objects.get(local_authority=la), field) == getattr(before, field)
