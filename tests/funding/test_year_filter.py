"""The year filter of the pages that show one year (funding lines, outturn, place funding): the year a page shows
is the one the query string asks for when it is one of the choices, else the current one, said as a problem only
when a year was asked for."""

from django.http import QueryDict

from aphub.commissioning.places.forms import AcademicYearForm
from aphub.commissioning.places.limits import ACADEMIC_YEAR
from aphub.funding.forms import FinancialYearForm

YEARS = [2027, 2026, 2025]


def test_a_page_with_no_year_asked_for_shows_the_current_year_without_a_problem():
    form, year = FinancialYearForm.from_query(QueryDict("page=2"), years=YEARS, current=2026)
    assert year == 2026
    assert not form.is_bound and not form.errors


def test_a_year_among_the_choices_is_the_year_shown():
    form, year = FinancialYearForm.from_query(QueryDict("year=2025"), years=YEARS, current=2026)
    assert year == 2025
    assert not form.errors


def test_a_year_not_among_the_choices_shows_the_current_year_and_says_why():
    form, year = FinancialYearForm.from_query(QueryDict("year=1999"), years=YEARS, current=2026)
    assert year == 2026
    assert form.errors["year"] == ["Choose a financial year from the list"]


def test_the_academic_year_filter_says_the_problem_in_its_own_words():
    form, year = AcademicYearForm.from_query(QueryDict("year=next"), years=YEARS, current=2026)
    assert isinstance(form, AcademicYearForm)
    assert year == 2026
    assert form.errors["year"] == [ACADEMIC_YEAR]
