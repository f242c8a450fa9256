"""The capacity simulation on the sufficiency dashboard takes the coming year's forecast arrivals, the same forecast
the forecast dashboard shows, where there is history enough to forecast, and the arrivals observed otherwise; the
page says which. The town's today is Tuesday 10 November 2026 (autumn 2026/27 under way)."""

import datetime

import pytest

from aphub.insight import capacity
from aphub.insight.dashboards import forecast, sufficiency
from aphub.insight.dashboards.filters import DashboardFilters, period_of

from .test_forecast_dashboard import days_in_terms, start


def _filters(period: str, **chosen) -> DashboardFilters:
    begin, end, label, year = period_of(period)
    return DashboardFilters(start=begin, end=end, label=label, academic_year=year, **chosen)


def _curve(user, filters) -> str:
    return next(f for f in sufficiency.build(user, filters) if f.key == "capacity-curve").summary


def _six_terms(town) -> None:
    """Two school years of terms, 2024/25 and 2025/26, with more children starting each autumn."""
    for index, day in enumerate(days_in_terms(2024, 2025)):
        for _ in range(2 + (index % 3 == 0)):
            start(town, day)


def test_with_six_complete_terms_the_simulation_takes_the_forecast_arrivals(town):
    _six_terms(town)
    this_year = _filters("2026")
    made = forecast.forecast_arrivals(town.officer, this_year, datetime.date(2026, 11, 10))
    assert made is not None and made.terms == ["Autumn 2026/27", "Spring 2026/27", "Summer 2026/27"]
    # The forecast dashboard's own figure of children starting each term shows the same forecast.
    figure = next(f for f in forecast.build(town.officer, this_year) if f.key == "all-terms")
    shown = [row[2] for row in figure.table.rows if row[0] in made.terms]
    assert shown == [round(children, 1) for children in made.children]
    # Spread over the year's school days, term by term: a day's rate is its term's children over its days.
    assert len(made.rates) == capacity.SCHOOL_DAYS
    assert sum(made.rates) == pytest.approx(made.total)
    assert made.rates[0] == pytest.approx(made.children[0] / forecast.TERM_SCHOOL_DAYS[0])
    summary = _curve(town.officer, this_year)
    assert f"From the forecast arrivals for Autumn 2026/27 to Summer 2026/27: {made.total:.0f} children" in summary
    assert "as the forecast dashboard shows" in summary


def test_too_little_history_a_key_stage_or_a_past_period_take_the_observed_arrivals(town):
    for day in days_in_terms(2025):
        start(town, day)
    summary = _curve(town.officer, _filters("2026"))
    assert "observed in the year to 10 November 2026): fewer than 6 complete terms of starts" in summary
    _six_terms(town)
    assert "no forecast is made for a key stage" in _curve(town.officer, _filters("2026", key_stage="ks3"))
    assert "the chosen period being past" in _curve(town.officer, _filters("2025"))
