"""The cohort dashboard counts the children in AP in the period and on each school census day, by tier, route, need,
year group and characteristics; and the pupil's form records the primary need and ethnicity it counts.

Time is frozen on Tuesday 10 November 2026 (the town): the default period is 2026/27, whose autumn census day
(Thursday 1 October 2026) has passed and whose spring and summer ones have not.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from aphub.core.days.census import school_census_days
from aphub.insight.dashboards.cohort import build
from aphub.insight.dashboards.filters import DashboardFilters, period_of
from aphub.organisations.models import Role
from aphub.pupils.models import Pupil
from tests.factories import LocalAuthorityFactory, PlacementFactory, PupilFactory, member

D = datetime.date
URL = "/insight/dashboards/cohort/"


def filters(period: str = "2026", **narrowing) -> DashboardFilters:
    start, end, label, year = period_of(period)
    return DashboardFilters(start=start, end=end, label=label, academic_year=year, **narrowing)


def tables(user, chosen: DashboardFilters | None = None) -> dict[str, list[list[object]]]:
    return {figure.key: figure.table.rows for figure in build(user, chosen or filters())}


@pytest.fixture
def cohort(town):
    """Ada, in two placements this year (tier 2 to 1 October, then tier 3); Ben, in tier 2 since 1 September; Cara,
    whose placement ended in July, before the year; Dev, whose placement was cancelled; Eve, offered a place not yet
    accepted; and a child of another LA in AP all year."""
    p1, p2 = town.provision(), town.provision(provider=town.provider_p2)
    ada = town.pupil(
        sex="M", sen_status="K", primary_need="SEMH", free_school_meals=True, ethnicity="WBRI", looked_after=False
    )
    ben = town.pupil(
        sex="M",
        date_of_birth=D(2014, 5, 1),  # year 8 in 2026/27
        sen_status="E",
        primary_need="ASD",
        free_school_meals=False,
        ethnicity="MWBC",
        looked_after=True,
    )
    cara = town.pupil(sex="F", sen_status="N", free_school_meals=True)  # ethnicity not recorded
    PlacementFactory(
        pupil=ada, provision=p1, tier="2", status="ended", start_date=D(2026, 9, 7), end_date=D(2026, 10, 1)
    )
    PlacementFactory(pupil=ada, provision=p2, tier="3", start_date=D(2026, 10, 5))
    PlacementFactory(pupil=ben, provision=p1, tier="2", start_date=D(2026, 9, 1))
    PlacementFactory(
        pupil=cara, provision=p1, tier="1", status="ended", start_date=D(2025, 1, 6), end_date=D(2026, 7, 17)
    )
    PlacementFactory(pupil=town.pupil(sex="M"), provision=p1, status="cancelled", start_date=D(2026, 9, 14))
    PlacementFactory(pupil=town.pupil(sex="F"), provision=p2, status="offered", start_date=D(2026, 11, 16))
    elsewhere = LocalAuthorityFactory()
    PlacementFactory(pupil=PupilFactory(local_authority=elsewhere, sex="M"), start_date=D(2026, 9, 1))
    return town


def test_the_census_days_are_the_dfe_s_thursdays():
    assert [census.day for census in school_census_days(2025)] == [D(2025, 10, 2), D(2026, 1, 15), D(2026, 5, 21)]
    assert [census.day for census in school_census_days(2026)] == [D(2026, 10, 1), D(2027, 1, 21), D(2027, 5, 20)]


def test_each_child_in_ap_in_the_period_counts_once_and_by_each_tier_they_were_placed_in(cohort):
    found = tables(cohort.officer)
    # Ada and Ben: Cara's placement ended before the year, Dev's was cancelled, Eve's is an offer, the other LA's not.
    # Ada, placed in tiers 2 and 3, counts in each; on the autumn census day (1 October) Ada was still in tier 2.
    assert found["by-tier"] == [
        ["Tier 1: targeted support in mainstream", 0, 0],
        ["Tier 2: time-limited placement", 2, 2],
        ["Tier 3: transitional placement", 1, 0],
    ]
    assert found["by-sex"] == [["Boys", 2, 2], ["Girls", 0, 0]]
    assert found["by-sen-status"] == [["No SEN", 0, 0], ["SEN support", 1, 1], ["EHC plan", 1, 1]]
    # The needs nobody has are left out; "Not recorded" always shows.
    assert found["by-primary-need"] == [
        ["Social, emotional and mental health", 1, 1],
        ["Autistic spectrum disorder", 1, 1],
        ["Not recorded", 0, 0],
    ]
    assert found["by-year-group"] == [["Year 8", 1, 1], ["Year 10", 1, 1]]
    assert found["by-free-school-meals"] == [["Eligible", 1, 1], ["Not eligible", 1, 1]]
    assert found["by-looked-after"] == [["Looked after", 1, 1], ["Not looked after", 1, 1]]
    assert found["by-ethnic-group"] == [
        ["White", 1, 1],
        ["Mixed", 1, 1],
        ["Asian", 0, 0],
        ["Black", 0, 0],
        ["Chinese", 0, 0],
        ["Other", 0, 0],
        ["Refused or not obtained", 0, 0],
    ]
    route = cohort.la.routes.get(kind="permanent-exclusion").name
    assert [route, 2, 2] in found["by-route"]


def test_the_census_trend_counts_the_children_in_ap_on_each_census_day_since_three_years_before(cohort):
    figures = {figure.key: figure for figure in build(cohort.officer, filters())}
    trend = figures["by-census-day"]
    # Cara from 6 January 2025 to 17 July 2026; Ada and Ben on 1 October 2026. The 2027 census days are to come.
    assert trend.table.rows == [
        ["Autumn census, 3 October 2024", 0],
        ["Spring census, 16 January 2025", 1],
        ["Summer census, 15 May 2025", 1],
        ["Autumn census, 2 October 2025", 1],
        ["Spring census, 15 January 2026", 1],
        ["Summer census, 21 May 2026", 1],
        ["Autumn census, 1 October 2026", 2],
    ]
    assert trend.summary == (
        "2 children were in AP on 1 October 2026 (autumn census), against 0 on 3 October 2024 (autumn census)."
    )
    assert figures["by-sen-status"].summary == (
        "2 of the 2 children in AP in 2026/27 had SEN support or an EHC plan (100%)."
    )
    assert figures["by-tier"].summary.startswith("Most children in AP in 2026/27 were in Tier 2")


def test_a_past_period_counts_its_own_children_and_census_days(cohort):
    found = tables(cohort.officer, filters("2025-spring"))
    assert found["by-sex"] == [["Boys", 0, 0], ["Girls", 1, 1]]  # Cara, on the spring census day (15 January 2026)
    assert found["by-ethnic-group"][-1] == ["Refused or not obtained", 1, 1]
    assert found["by-primary-need"] == [["Not recorded", 1, 1]]


def test_filters_narrow_the_children_counted(cohort):
    assert tables(cohort.officer, filters(tier="3"))["by-sex"] == [["Boys", 1, 0], ["Girls", 0, 0]]  # Ada
    assert tables(cohort.officer, filters(need="ASD"))["by-looked-after"] == [
        ["Looked after", 1, 1],  # Ben
        ["Not looked after", 0, 0],
    ]
    assert tables(cohort.officer, filters(key_stage="ks3"))["by-year-group"] == [["Year 8", 1, 1]]
    assert tables(cohort.officer, filters(provider_id=cohort.provider_p2.pk))["by-tier"] == [
        ["Tier 1: targeted support in mainstream", 0, 0],
        ["Tier 2: time-limited placement", 0, 0],
        ["Tier 3: transitional placement", 1, 0],
    ]


def test_another_la_never_sees_these_children(cohort):
    other = member(Role.LA_OFFICER, LocalAuthorityFactory())
    found = tables(other)
    assert found["by-sex"] == [["Boys", 0, 0], ["Girls", 0, 0]]
    assert found["by-census-day"][-1] == ["Autumn census, 1 October 2026", 0]


def test_an_auditor_sees_no_figure_of_the_sensitive_characteristics(cohort):
    found = tables(cohort.auditor)
    assert "by-sex" in found and "by-free-school-meals" in found
    assert not {"by-sen-status", "by-primary-need", "by-looked-after", "by-ethnic-group"} & set(found)


def test_school_and_provider_staff_may_not_open_the_dashboard(client, cohort):
    for user in (cohort.school_a_staff, cohort.p1_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_the_page_shows_every_figure_and_a_table_downloads_as_the_table_shows(client, cohort):
    client.force_login(cohort.officer)
    page = client.get(URL, {"period": "2026", "tier": "2"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Children in AP by ethnic group, 2026/27" in text and "Ada" not in text
    response = client.get(URL, {"period": "2026", "tier": "2", "table": "by-tier", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Tier", "In the period", "Autumn census, 1 October 2026"],
        ["Tier 1: targeted support in mainstream", "0", "0"],
        ["Tier 2: time-limited placement", "2", "2"],
        ["Tier 3: transitional placement", "0", "0"],
    ]


def test_the_dashboard_takes_a_bounded_number_of_queries_for_many_children(
    client, cohort, django_assert_max_num_queries
):
    client.force_login(cohort.officer)
    client.get(URL)  # the session and the LA's membership, read once
    provision = cohort.provision(places=40)
    for index in range(30):
        child = cohort.pupil(sex="FM"[index % 2], sen_status="K", primary_need="SEMH", ethnicity="WBRI")
        PlacementFactory(pupil=child, provision=provision, tier="123"[index % 3], start_date=D(2026, 9, 7))
    with django_assert_max_num_queries(15):
        assert client.get(URL, {"period": "2026", "need": "SEMH"}).status_code == 200


# --- Recording the primary need and ethnicity ---------------------------------------------------------------------

FORM = {
    "first_name": "Fern",
    "last_name": "Fairley",
    "date_of_birth_0": "1",
    "date_of_birth_1": "5",
    "date_of_birth_2": "2012",
    "sex": "F",
    "sen_status": "K",
    "primary_need": "SLCN",
    "ethnicity": "BAFR",
    "safeguarding": "none",
}


def test_the_pupil_form_records_the_primary_need_and_ethnicity(client, town):
    from tests.factories import make_upn

    client.force_login(town.school_a_staff)
    response = client.post(reverse("pupils:new"), {**FORM, "upn": make_upn(town.la.la_code, 8)})
    assert response.status_code == 302
    pupil = Pupil.objects.get()
    assert (pupil.primary_need, pupil.ethnicity) == ("SLCN", "BAFR")

    client.force_login(town.officer)
    edit = reverse("pupils:edit", kwargs={"pk": pupil.pk})
    assert 'value="SLCN" selected' in client.get(edit).content.decode()
    client.post(edit, {**FORM, "upn": pupil.upn, "primary_need": "SEMH", "ethnicity": ""})
    pupil.refresh_from_db()
    assert (pupil.primary_need, pupil.ethnicity) == ("SEMH", "")


def test_a_primary_need_without_sen_is_refused_in_the_error_summary(client, town):
    from tests.factories import make_upn

    client.force_login(town.officer)
    response = client.post(reverse("pupils:new"), {**FORM, "upn": make_upn(town.la.la_code, 9), "sen_status": "N"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'href="#id_primary_need"' in page
    assert "Record a primary need only for a pupil with SEN support or an EHC plan" in page
    assert not Pupil.objects.exists()


def test_the_pupil_page_shows_need_and_ethnicity_only_to_roles_that_read_sen_status(client, town):
    child = town.pupil(sen_status="E", primary_need="SEMH", ethnicity="APKN")
    PlacementFactory(pupil=child, provision=town.provision(), start_date=D(2026, 11, 2))
    page = reverse("placements:pupil", kwargs={"pk": child.pk})
    for user, shown in ((town.officer, True), (town.p1_staff, True), (town.auditor, False)):
        client.force_login(user)
        text = client.get(page).content.decode()
        assert ("Social, emotional and mental health" in text) is shown, user
        assert ("Pakistani" in text) is shown, user


# --- Accessibility ------------------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cohort_dashboard_has_no_accessibility_violations(live_server, browser, cohort):
    from tests.browser.audited import audited

    with audited(live_server, browser, cohort.officer) as audit:
        for query in (
            "",
            "?period=2026&tier=2&need=SEMH&key_stage=ks4",
            f"?period=2025-spring&provider={cohort.provider_p1.pk}&locality=B91",
        ):
            response = audit.page.goto(live_server.url + URL + query)
            assert response is not None and response.status == 200, query
            assert audit.page.locator("svg.app-figure__chart").count() >= 10, query
            audit.check("la-officer")
        response = audit.page.goto(live_server.url + URL + "?period=2026&locality=nowhere")
        assert response is not None and response.status == 400
        audit.check("la-officer (filter errors)")
        # The pupil's form and page with the primary need and ethnicity.
        ada = Pupil.objects.get(primary_need="SEMH")
        for path in (
            reverse("pupils:new"),
            reverse("pupils:edit", kwargs={"pk": ada.pk}),
            reverse("placements:pupil", kwargs={"pk": ada.pk}),
        ):
            response = audit.page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            audit.check("la-officer")
    assert len(audit.checked) == 7
