"""Every registered dashboard on the demo LA (`make run`), as its officer would open it: each period a committee asks
for, each figure's chart drawn from exactly its table's numbers, each table downloadable as it is shown, and no child
named anywhere on the page. New dashboards are covered as soon as they are registered (insight.dashboards)."""

import csv
import io
import re
from collections import Counter
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from aphub.core.clock import today
from aphub.core.days.school_years import school_year_start
from aphub.core.figures import SUPPRESSED, Table, _formatter
from aphub.insight.dashboards import dashboards
from aphub.insight.dashboards.filters import DashboardForm
from aphub.organisations.models import User
from aphub.pupils.models import Pupil

pytestmark = pytest.mark.django_db
OFFICER = "elmbridge.officer@example.org"
DASHBOARDS = list(dashboards().values())
VALUE = re.compile(r'<desc class="value">([^<]*)</desc>')


def _periods() -> list[str]:
    year = school_year_start(today()).year
    return [str(year), str(year - 1), f"{year}-autumn"]


# A zero draws no bar: pygal writes it for some bars of a stack and not others, so zeros are not compared.
ZERO = {"0", "£0"}


def _drawn(figure) -> Counter:
    return Counter(unescape(value) for value in VALUE.findall(figure.svg) if unescape(value) not in ZERO)


def _tabled(table: Table) -> Counter:
    shown = _formatter(table.money)
    values = [value for row in table.rows for value in row[1:]]
    shown_values = (shown(float(value)) for value in values if value is not None and value is not SUPPRESSED)
    return Counter(value for value in shown_values if value not in ZERO)


@pytest.fixture(scope="class")
def figures_of(demo_read_only):
    """Each dashboard's figures for a period as the officer's filters give them, built the first time a test of the
    class asks and kept for the others: they only read the demo, so a second build would give the same figures."""
    built: dict[tuple[str, str], list] = {}

    def figures_of(dashboard, period: str) -> list:
        if (dashboard.slug, period) not in built:
            officer = User.objects.get(email=OFFICER)
            form = DashboardForm({"period": period}, user=officer, today=today())
            assert form.is_valid(), form.errors
            built[dashboard.slug, period] = dashboard.build(officer, form.filters())
        return built[dashboard.slug, period]

    return figures_of


@pytest.fixture
def figures_kept(settings):
    """The figures kept between a page and its downloads, as in production (insight.dashboards.drawn), instead of
    the tests' dummy cache: each table's download then reads the figures the page showed, not a build of its own."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "every"}}
    yield
    cache.clear()


@pytest.mark.usefixtures("demo_read_only")
class TestEveryDashboardOnTheDemo:
    @pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[dashboard.slug for dashboard in DASHBOARDS])
    def test_each_charts_numbers_are_its_tables_numbers(self, figures_of, dashboard):
        for period in _periods():
            figures = figures_of(dashboard, period)
            assert figures, f"{dashboard.slug} drew nothing for {period}"
            assert len({figure.key for figure in figures}) == len(figures)
            for figure in figures:
                assert figure.title and figure.summary, figure.key
                assert _drawn(figure) == _tabled(figure.table), f"{dashboard.slug} {figure.key} {period}"

    @pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[dashboard.slug for dashboard in DASHBOARDS])
    @pytest.mark.usefixtures("figures_kept")
    def test_the_page_names_no_child_and_each_table_downloads_as_shown(self, client, figures_of, dashboard):
        client.force_login(User.objects.get(email=OFFICER))
        path = reverse(dashboard.url_name)
        response = client.get(path)
        assert response.status_code == 200
        page = response.content.decode()
        for first, last, upn in Pupil.objects.values_list("first_name", "last_name", "upn"):
            assert f"{first} {last}" not in page and upn not in page
        for figure in figures_of(dashboard, _periods()[0]):
            download = client.get(path, {"table": figure.key, "format": "csv"})
            rows = list(csv.reader(io.StringIO(download.content.decode())))
            assert rows[0] == figure.table.headings
            assert len(rows) - 1 == len(figure.table.rows), figure.key
