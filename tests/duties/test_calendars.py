"""Calendars from term dates: the LA's, a school's own, closures, England's bank holidays, and the errors."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aphub.core.errors import DomainError
from aphub.duties import services
from aphub.duties.calendars import CalendarBook, NoTermDates, calendar_for
from aphub.duties.models import Closure, TermDates
from aphub.duties.services import default_term_dates, load_term_dates
from tests.factories import LocalAuthorityFactory, SchoolFactory

D = dt.date


def test_default_term_dates_cover_three_academic_years_with_half_terms_as_gaps():
    data = default_term_dates()
    assert len(data["terms"]) == 18
    assert data["terms"][0]["first_day"] == D(2025, 9, 1)
    assert data["terms"][-1]["last_day"] == D(2028, 7, 21)
    ordered = sorted(data["terms"], key=lambda term: term["first_day"])
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert earlier["last_day"] < later["first_day"], f"{earlier['name']} runs into {later['name']}"
    for closure in data["closures"]:
        assert closure["date"].weekday() < 5
        assert any(t["first_day"] <= closure["date"] <= t["last_day"] for t in data["terms"]), closure


def test_the_la_calendar_has_terms_inset_days_and_bank_holidays(la):
    calendar = calendar_for(local_authority=la)
    assert calendar.is_school_day(D(2026, 11, 3))
    assert not calendar.is_school_day(D(2026, 10, 28))  # October half-term
    assert not calendar.is_school_day(D(2027, 1, 4))  # INSET day
    assert not calendar.is_school_day(D(2027, 5, 3))  # May Day bank holiday, in term
    assert not calendar.is_school_day(D(2026, 11, 7))  # Saturday


def test_loading_term_dates_twice_adds_nothing(la):
    assert load_term_dates(local_authority=la, **default_term_dates()) == (0, 0)
    assert TermDates.objects.filter(local_authority=la).count() == 18


def test_a_bad_term_in_a_file_loads_nothing(db):
    la = LocalAuthorityFactory()
    terms = [
        {"name": "Autumn 1", "first_day": "2026-09-01", "last_day": "2026-10-23"},
        {"name": "Autumn 2", "first_day": "2026-12-18", "last_day": "2026-11-02"},
    ]
    with pytest.raises(DomainError, match="last day of Autumn 2 must be the same as or after"):
        load_term_dates(local_authority=la, terms=terms, closures=[])
    assert not TermDates.objects.filter(local_authority=la).exists()


def test_a_school_with_its_own_terms_uses_only_its_own(la):
    academy = SchoolFactory(local_authority=la)
    # The academy starts autumn a week later and has its own INSET day; the LA's INSET days do not apply to it.
    services.load_term_dates(
        local_authority=la,
        school=academy,
        terms=[{"name": "Autumn 2026", "first_day": "2026-09-07", "last_day": "2026-12-16"}],
        closures=[{"date": "2026-11-06", "reason": "INSET day"}],
    )
    own = calendar_for(local_authority=la, school=academy)
    assert not own.is_school_day(D(2026, 9, 3))
    assert own.is_school_day(D(2026, 10, 28))  # no half-term in its one long term
    assert not own.is_school_day(D(2026, 11, 6))
    assert calendar_for(local_authority=la).is_school_day(D(2026, 11, 6))


def test_a_school_without_its_own_terms_uses_the_las_plus_its_own_closures(la, school):
    Closure.objects.create(local_authority=la, school=school, date=D(2026, 11, 6), reason="Polling station")
    calendar = calendar_for(local_authority=la, school=school)
    assert not calendar.is_school_day(D(2026, 11, 6))
    assert not calendar.is_school_day(D(2026, 10, 28))
    assert calendar_for(local_authority=la).is_school_day(D(2026, 11, 6))


def test_another_las_term_dates_are_not_used(la):
    other = LocalAuthorityFactory()
    assert len(calendar_for(local_authority=other)) == 0


def test_an_la_without_term_dates_covering_the_day_gets_a_clear_error(la):
    with pytest.raises(NoTermDates, match="The term dates of Elmbridge Borough Council do not cover 3 November 2029"):
        calendar_for(local_authority=la, covering=D(2029, 11, 3))
    with pytest.raises(NoTermDates, match="do not cover 1 January 2024"):
        calendar_for(local_authority=la, covering=D(2024, 1, 1))
    assert calendar_for(local_authority=la, covering=D(2026, 8, 10))  # summer holiday before a known term


def test_a_change_of_term_dates_is_seen_at_once(la):
    assert calendar_for(local_authority=la).is_school_day(D(2026, 11, 6))
    services.add_closure(user=None, local_authority=la, date=D(2026, 11, 6), reason="Staff training")
    assert not calendar_for(local_authority=la).is_school_day(D(2026, 11, 6))
    services.delete_closure(user=None, closure=Closure.objects.get(local_authority=la, date=D(2026, 11, 6)))
    assert calendar_for(local_authority=la).is_school_day(D(2026, 11, 6))


def test_calendar_for_costs_two_queries_and_reuses_the_built_calendar(la, django_assert_num_queries):
    first = calendar_for(local_authority=la)
    with django_assert_num_queries(2):
        second = calendar_for(local_authority=la)
    assert second is first


def test_a_calendar_book_reads_every_calendar_of_its_las_in_two_queries(la, school):
    academy = SchoolFactory(local_authority=la)
    load_term_dates(
        local_authority=la,
        school=academy,
        terms=[{"name": "Autumn 2026", "first_day": "2026-09-07", "last_day": "2026-12-16"}],
    )
    with CaptureQueriesContext(connection) as queries:
        book = CalendarBook([la.pk], [school.pk, academy.pk])
        la_calendar = book.for_school(la.pk)
        assert book.for_school(la.pk, school.pk) is la_calendar
        assert book.for_school(la.pk, academy.pk).is_school_day(D(2026, 10, 28))
    assert len(queries) == 2
    assert la_calendar is calendar_for(local_authority=la)
