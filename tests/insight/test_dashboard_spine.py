"""Issue 14's spine: every dashboard shares one filter form and one page, and each figure's table is the chart's data.
Time is frozen on Tuesday 10 November 2026 (academic year 2026/27)."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from aphub.insight.dashboards import dashboards
from aphub.insight.dashboards.filters import DashboardForm, born_in_years, period_of
from aphub.placements.models import Placement, Tier
from tests.factories import LocalAuthorityFactory, PlacementFactory, PupilFactory

pytestmark = pytest.mark.django_db

COHORT = reverse("insight:dashboard-cohort")


def test_a_child_in_year_7_in_2026_27_was_born_between_september_2014_and_august_2015():
    # DfE: year 7 in the academic year starting 1 September 2026 is the cohort born 1 Sep 2014 - 31 Aug 2015.
    assert born_in_years(2026, 7, 7) == (datetime.date(2014, 9, 1), datetime.date(2015, 8, 31))
    # Key stage 4 (years 10 and 11): born 1 Sep 2010 - 31 Aug 2012.
    assert born_in_years(2026, 10, 11) == (datetime.date(2010, 9, 1), datetime.date(2012, 8, 31))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2025", (datetime.date(2025, 9, 1), datetime.date(2026, 8, 31), "2025/26", 2025)),
        ("2025-autumn", (datetime.date(2025, 9, 1), datetime.date(2025, 12, 31), "Autumn term 2025/26", 2025)),
        ("2025-spring", (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), "Spring term 2025/26", 2025)),
        ("2025-summer", (datetime.date(2026, 4, 1), datetime.date(2026, 8, 31), "Summer term 2025/26", 2025)),
    ],
)
def test_a_period_is_an_academic_year_or_one_of_its_terms(value, expected):
    assert period_of(value) == expected


def _children_by_tier(response) -> dict[str, str]:
    html = response.content.decode()
    table = html[html.index('id="by-tier"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th><td[^>]*>([^<]*)</td>', table)
    return dict(rows)


@pytest.fixture
def in_ap(town):
    """Two children in tier 3 (one of them in two placements), one in tier 1, one whose placement ended in July."""
    first, second, third, gone = (town.pupil() for _ in range(4))
    provision = town.provision()
    PlacementFactory(
        pupil=first,
        provision=provision,
        tier=Tier.TIER_3,
        start_date=datetime.date(2026, 9, 7),
        end_date=datetime.date(2026, 10, 2),
        status=Placement.Status.ENDED,
    )
    PlacementFactory(pupil=first, provision=provision, tier=Tier.TIER_3, start_date=datetime.date(2026, 10, 5))
    PlacementFactory(pupil=second, provision=provision, tier=Tier.TIER_3, start_date=datetime.date(2026, 11, 2))
    PlacementFactory(pupil=third, provision=provision, tier=Tier.TIER_1, start_date=datetime.date(2026, 9, 1))
    PlacementFactory(
        pupil=gone,
        provision=provision,
        tier=Tier.TIER_1,
        start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 7, 17),
        status=Placement.Status.ENDED,
    )
    # Another LA's child in tier 3 is never counted.
    other = LocalAuthorityFactory()
    PlacementFactory(pupil=PupilFactory(local_authority=other), tier=Tier.TIER_3, start_date=datetime.date(2026, 9, 7))
    return town


def test_the_cohort_counts_each_child_once_in_the_period_and_only_the_las_own(client, in_ap):
    client.force_login(in_ap.officer)
    response = client.get(COHORT)
    assert response.status_code == 200
    counts = _children_by_tier(response)
    assert counts[Tier.TIER_3.label] == "2"
    assert counts[Tier.TIER_1.label] == "1"
    assert counts[Tier.TIER_2.label] == "0"
    # Last year: only the child whose placement ended in July.
    last_year = _children_by_tier(client.get(COHORT, {"period": "2025"}))
    assert last_year[Tier.TIER_1.label] == "1" and last_year[Tier.TIER_3.label] == "0"


def test_the_chart_is_styled_under_the_pages_content_security_policy(client, in_ap):
    client.force_login(in_ap.officer)
    response = client.get(COHORT)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert f'<style nonce="{nonce}"' in html
    # The chart is an image named by its title, with no script of pygal's.
    assert 'role="img" focusable="false" aria-labelledby="figure-by-tier-title"' in html
    assert '<title id="figure-by-tier-title">Children in AP by tier, 2026/27</title>' in html
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    # No script of pygal's, and no style attribute the policy would refuse.
    assert "<script" not in svg and " style=" not in svg


def test_each_table_downloads_as_csv_and_every_table_as_one_workbook(client, in_ap):
    client.force_login(in_ap.officer)
    response = client.get(COHORT, {"table": "by-tier", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Tier", "In the period"]
    assert {row[0]: row[1] for row in rows[1:]}[Tier.TIER_3.label] == "2"
    workbook = load_workbook(io.BytesIO(client.get(COHORT, {"format": "xlsx"}).content))
    sheet = workbook["Children in AP by tier, 2026-27"]
    assert {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}[Tier.TIER_3.label] == 2
    assert client.get(COHORT, {"table": "no-such-table", "format": "csv"}).status_code == 404


def test_schools_providers_and_the_public_never_see_a_dashboard(client, in_ap):
    client.force_login(in_ap.school_a_staff)
    assert client.get(COHORT).status_code == 403
    assert client.get(reverse("insight:dashboards")).status_code == 403
    client.logout()
    assert client.get(COHORT).status_code == 302


def test_every_dashboard_is_listed_and_opens_for_the_auditor(client, in_ap):
    client.force_login(in_ap.auditor)
    index = client.get(reverse("insight:dashboards")).content.decode()
    for dashboard in dashboards().values():
        assert reverse(dashboard.url_name) in index
        assert client.get(reverse(dashboard.url_name)).status_code == 200


@pytest.mark.parametrize(
    "params, field, message",
    [
        ({"period": "1999"}, "period", "Choose a period from the list"),
        ({"tier": "9"}, "tier", "Choose a tier from the list"),
        ({"locality": "LS12 4AB"}, "locality", "Enter a postcode district, like LS12 or SW1A"),
        ({"school": "999999"}, "school", "Choose a school from the list"),
    ],
)
def test_bad_filters_are_named_in_the_error_summary_never_a_500(client, in_ap, params, field, message):
    client.force_login(in_ap.officer)
    response = client.get(COHORT, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


def test_the_filters_narrow_by_key_stage_and_locality(in_ap):
    day = datetime.date(2026, 11, 10)
    form = DashboardForm({"period": "2026", "key_stage": "ks3", "locality": "ls12"}, user=in_ap.officer, today=day)
    filters = form.filters()
    assert form.is_valid() and filters.locality == "LS12"
    year_8 = in_ap.pupil(date_of_birth=datetime.date(2013, 12, 1), postcode="LS12 4AB")
    year_11 = in_ap.pupil(date_of_birth=datetime.date(2011, 1, 1), postcode="LS12 4AB")
    elsewhere = in_ap.pupil(date_of_birth=datetime.date(2013, 12, 1), postcode="LS1 2AB")
    for pupil in (year_8, year_11, elsewhere):
        PlacementFactory(pupil=pupil, provision=in_ap.provision(), start_date=datetime.date(2026, 9, 7))
    found = set(filters.overlapping(filters.placements(in_ap.officer)).values_list("pupil_id", flat=True))
    assert found == {year_8.pk}


def test_two_figures_on_a_page_share_no_id():
    from aphub.core.figures import bar_figure

    ids = []
    for key in ("first", "second"):
        figure = bar_figure(key, key, "", ["A", "B"], {"One": [1, 2], "Two": [3, 4]}, category_heading="Letter")
        ids += re.findall(r'id="([^"]+)"', figure.svg)
    assert len(ids) == len(set(ids)) and "figure-first-serie-0" in ids


LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dashboard-spine"}}


def test_figures_are_kept_five_minutes_for_the_la_and_role_then_drawn_again(client, in_ap, settings):
    settings.CACHES = LOCMEM
    from django.core.cache import cache

    cache.clear()
    client.force_login(in_ap.officer)
    assert _children_by_tier(client.get(COHORT))[Tier.TIER_1.label] == "1"
    PlacementFactory(pupil=in_ap.pupil(), provision=in_ap.provision(), tier=Tier.TIER_1)
    kept = client.get(COHORT)
    assert _children_by_tier(kept)[Tier.TIER_1.label] == "1"
    assert "a change to a record shows here within 5 minutes" in kept.content.decode()
    # Another role of the same LA has its own figures, drawn for it.
    client.force_login(in_ap.auditor)
    assert _children_by_tier(client.get(COHORT))[Tier.TIER_1.label] == "2"
    client.force_login(in_ap.officer)
    with time_machine.travel(datetime.datetime(2026, 11, 10, 10, 6, tzinfo=datetime.UTC), tick=False):
        assert _children_by_tier(client.get(COHORT))[Tier.TIER_1.label] == "2"
    cache.clear()
