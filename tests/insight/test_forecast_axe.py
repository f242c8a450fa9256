"""axe (WCAG 2.2 A and AA) on the forecast dashboard in both its states: too little history (a plain sentence, no
forecast) and a forecast with its intervals and backtest (eight charts on one page)."""

import datetime

import pytest

from tests.browser.audited import audited

from .test_forecast_dashboard import URL, start

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_forecast_dashboard_has_no_accessibility_violations(live_server, browser, town):
    start(town, datetime.date(2026, 2, 2))
    with audited(live_server, browser, town.officer) as audit:
        response = audit.page.goto(live_server.url + URL)
        assert response is not None and response.status == 200
        assert audit.page.locator("text=so there is no forecast yet").count() >= 1
        audit.check("la-officer (too little history)")
        for year in (2024, 2025):
            for first_day in (
                datetime.date(year, 9, 10),
                datetime.date(year + 1, 1, 10),
                datetime.date(year + 1, 4, 10),
            ):
                start(town, first_day, tier="3")
        response = audit.page.goto(live_server.url + URL)
        assert response is not None and response.status == 200
        assert audit.page.locator("text=Forecast for the next 3 terms").count() >= 1
        audit.check("la-officer (forecast)")
