"""The sufficiency dashboard: commissioned places against pupils on roll at the census days and day by day, waiting
lists and days waited, referrals declined for want of a place, and the places the sixth-day duty needs; another LA's
records never counted; LA roles only."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aphub.insight.dashboards import sufficiency
from aphub.insight.dashboards.filters import period_of
from aphub.organisations.models import Role
from aphub.placements.models import PanelDecision, PanelMeeting, Referral, WaitingListEntry
from tests.factories import (
    CommissionedPlacesFactory,
    EpisodeFactory,
    LocalAuthorityFactory,
    PlacementFactory,
    ProviderFactory,
    ProvisionFactory,
    PupilFactory,
    SchoolFactory,
    member,
)

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("insight:dashboard-sufficiency")
NOW = datetime.datetime(2027, 6, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _on_1_june_2027():
    # After the May 2027 census (20 May) of the academic year 2026/27, whose January census was 21 January.
    with time_machine.travel(NOW, tick=False):
        yield


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=datetime.UTC)


class Borough:
    def __init__(self, name: str):
        self.la = LocalAuthorityFactory(name=name)
        self.officer = member(Role.LA_OFFICER, self.la)
        provider = ProviderFactory(local_authority=self.la)
        self.harbour = ProvisionFactory(provider=provider, name=f"{name} Harbour Centre", age_min=11, age_max=16)
        self.saturn = ProvisionFactory(provider=provider, name=f"{name} Saturn Centre", age_min=11, age_max=16)
        self.oaks = ProvisionFactory(provider=provider, name=f"{name} Little Oaks", age_min=5, age_max=11)
        CommissionedPlacesFactory(provision=self.harbour, places=3)
        CommissionedPlacesFactory(provision=self.saturn, places=2)
        CommissionedPlacesFactory(provision=self.oaks, places=2)

    def placed(self, provision, **fields):
        return PlacementFactory(pupil=PupilFactory(local_authority=self.la), provision=provision, **fields)

    def waiting(self, provision, added: datetime.date, **fields) -> WaitingListEntry:
        return WaitingListEntry.objects.create(
            provision=provision, pupil=PupilFactory(local_authority=self.la), added_at=_at(added), **fields
        )

    def declined(self, decline_reason: str, decided: datetime.date) -> PanelDecision:
        pupil = PupilFactory(local_authority=self.la)
        referral = Referral.objects.create(
            pupil=pupil,
            episode=EpisodeFactory(pupil=pupil),
            status=Referral.Status.DECLINED,
            requested_tier="2",
            needs_summary="Needs",
            tried_so_far="Tried",
            child_views="Views",
            parent_views="Views",
            consent_given=True,
        )
        meeting = PanelMeeting.objects.create(local_authority=self.la, date=decided, members="Chair")
        return PanelDecision.objects.create(
            meeting=meeting,
            referral=referral,
            outcome=PanelDecision.Outcome.DECLINE,
            decline_reason=decline_reason,
            reasons="No place",
            decided_at=_at(decided),
        )


def _fill(town: Borough) -> None:
    """Harbour Centre (3 places): one child all year, one from 4 January to 19 May (ended the day before the May
    census), one from 1 February to 31 March: 2 on roll in January, 1 in May. Saturn Centre (2 places): two children
    all year, full at both censuses, with two waiting. Little Oaks (2 places): a cancelled placement and an offer not
    yet accepted, nobody on roll."""
    town.placed(town.harbour, start_date=D(2026, 9, 7), planned_end_date=D(2027, 7, 16))
    town.placed(town.harbour, start_date=D(2027, 1, 4), status="ended", end_date=D(2027, 5, 19))
    town.placed(town.harbour, start_date=D(2027, 2, 1), status="ended", end_date=D(2027, 3, 31))
    town.placed(town.saturn, start_date=D(2026, 9, 7), planned_end_date=D(2027, 7, 16))
    town.placed(town.saturn, start_date=D(2026, 9, 14))  # no end planned: on roll to 31 August
    town.placed(town.oaks, start_date=D(2027, 1, 11), status="cancelled")
    town.placed(town.oaks, start_date=D(2027, 6, 7), status="offered")
    # Waiting now: 3 days (since 29 May) and 61 days (since 1 April). Came off in the year: offered after 10 days.
    town.waiting(town.saturn, D(2027, 5, 29))
    town.waiting(town.saturn, D(2027, 4, 1))
    town.waiting(town.harbour, D(2027, 3, 1), status="offered", ended_at=_at(D(2027, 3, 11)))
    # The panel: two referrals declined for no suitable place, one for another reason, one without a reason given.
    town.declined("no-place", D(2027, 2, 3))
    town.declined("no-place", D(2027, 4, 21))
    town.declined("other", D(2027, 3, 3))
    town.declined("", D(2026, 10, 7))


@pytest.fixture
def town() -> Borough:
    town = Borough("Elmbridge")
    _fill(town)
    # Another LA, the same shape: nothing of it may be counted.
    other = Borough("Stranger")
    _fill(other)
    return town


def _filters(period: str = "2026"):
    start, end, label, year = period_of(period)
    return sufficiency.DashboardFilters(start=start, end=end, label=label, academic_year=year)


def _figures(user, filters=None) -> dict:
    return {figure.key: figure for figure in sufficiency.build(user, filters or _filters())}


def _column(figure, heading: str) -> list:
    index = figure.table.headings.index(heading)
    return [row[index] for row in figure.table.rows]


def test_places_and_pupils_on_roll_at_the_census_days(town):
    figure = _figures(town.officer)["places-at-census"]
    assert [row[0] for row in figure.table.rows] == [
        "Elmbridge Little Oaks (primary)",
        "Elmbridge Harbour Centre (secondary)",
        "Elmbridge Saturn Centre (secondary)",
    ]
    assert _column(figure, "Places commissioned") == [2, 3, 2]
    assert _column(figure, "On roll, January 2027 census") == [0, 2, 2]
    assert _column(figure, "On roll, May 2027 census") == [0, 1, 2]
    # 7 places: 4 on roll in January (3 empty), 3 in May (4 empty); Saturn full with its two waiting.
    assert figure.summary.startswith(
        "7 places commissioned at 3 provisions: 4 on roll at the January 2027 census (3 places empty) and 3 on roll "
        "at the May 2027 census (4 places empty)."
    )
    assert "Full at the last census: Elmbridge Saturn Centre, 2 children waiting now." in figure.summary


def test_places_by_phase_add_up_the_provisions(town):
    figure = _figures(town.officer)["places-by-phase"]
    assert [row[0] for row in figure.table.rows] == ["Primary", "Secondary"]
    assert _column(figure, "Places commissioned") == [2, 5]
    assert _column(figure, "Empty, January 2027 census") == [2, 1]
    assert _column(figure, "Empty, May 2027 census") == [2, 2]


def test_pupils_on_roll_day_by_day_agree_with_the_census_and_count_only_weekdays(town):
    figure = _figures(town.officer, _filters("2026-spring"))["places-day-by-day"]
    rows = {row[0]: row[1:] for row in figure.table.rows}
    headings = figure.table.headings[1:]
    # 1 January to 31 March 2027: 64 weekdays (21 in January, 20 in February, 23 in March).
    assert len(rows) == 64
    census = dict(zip(headings, rows["Thu 21 Jan 2027"], strict=True))
    assert census["All commissioned places"] == 7
    assert census["All pupils on roll"] == 4
    # Saturn (2 of 2) and Harbour (3 on roll in 3 places from 1 February to 31 March) are the busiest.
    assert census["Elmbridge Saturn Centre: on roll"] == 2
    assert dict(zip(headings, rows["Mon 1 Feb 2027"], strict=True))["Elmbridge Harbour Centre: on roll"] == 3
    assert dict(zip(headings, rows["Fri 1 Jan 2027"], strict=True))["All pupils on roll"] == 3
    assert "Sat 2 Jan 2027" not in rows


def test_waiting_lists_now_and_days_waited(town):
    figures = _figures(town.officer)
    waiting = figures["waiting-now"]
    assert waiting.table.rows == [["Elmbridge Saturn Centre", 2, 61]]
    waited = figures["days-waited"]
    assert _column(waited, "Still waiting (days so far)") == [1, 0, 0, 1]
    assert _column(waited, "Came off the list in the period") == [0, 1, 0, 0]


def test_referrals_declined_for_no_suitable_place_are_counted(town):
    figure = _figures(town.officer)["unmet-need"]
    assert figure.table.rows == [
        ["No suitable place available", 2],
        ["Another reason", 1],
        ["Reason not recorded", 1],
    ]
    assert figure.summary.startswith("2 referrals declined because no suitable place was available, of 4")
    # In the spring term only the one of 3 February.
    spring = _figures(town.officer, _filters("2026-spring"))["unmet-need"]
    assert spring.table.rows[0] == ["No suitable place available", 1]


def test_places_needed_come_from_the_simulation_of_observed_starts_and_stays(town):
    rate, stays, counts = sufficiency.simulation_inputs(town.officer, _filters())
    # Started in the year to 1 June 2027: three at Harbour, two at Saturn; the cancelled placement never started and
    # the offer starts on 7 June. Over a year's 190 school days.
    assert rate == pytest.approx(5 / 190)
    # Ended: 4 January to 19 May (136 days) and 1 February to 31 March (59 days), in school days.
    assert stays == [31, 71] and counts == [1, 1]
    figures = _figures(town.officer)
    curve = figures["capacity-curve"]
    shares = [row[1] for row in curve.table.rows]
    assert shares == sorted(shares)
    needed = figures["places-needed"]
    assert [row[0] for row in needed.table.rows] == ["90% of children", "95% of children", "99% of children"]
    assert _column(needed, "Places commissioned") == [7, 7, 7]


def test_the_page_shows_every_figure_to_la_roles_only(client, town):
    client.force_login(town.officer)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("places-at-census", "places-day-by-day", "waiting-now", "unmet-need", "capacity-curve"):
        assert f'id="{key}"' in page
    assert "Stranger" not in page
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=town.la))
    provider_staff = member(Role.PROVIDER_STAFF, town.harbour.provider)
    for outsider in (school_staff, provider_staff):
        client.force_login(outsider)
        assert client.get(URL).status_code == 403


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_queries_are_bounded_whatever_the_number_of_placements(client, town, django_assert_max_num_queries):
    client.force_login(town.officer)
    before = _queries(client)
    # More of everything the page counts, at a new provision with places too: not one query more.
    more = ProvisionFactory(provider=town.harbour.provider, name="Elmbridge Fenwick Centre", age_min=11, age_max=16)
    CommissionedPlacesFactory(provision=more, places=6)
    for month in range(1, 6):
        town.placed(more, start_date=D(2026, 10, month), status="ended", end_date=D(2027, month, 18))
        town.waiting(more, D(2027, 5, month))
        town.declined("no-place", D(2027, month, 4))
    assert _queries(client) == before
    with django_assert_max_num_queries(30):
        client.get(URL)


def test_a_bad_filter_shows_the_error_not_a_server_error(client, town):
    client.force_login(town.officer)
    response = client.get(URL, {"period": "1999", "locality": "nonsense"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
