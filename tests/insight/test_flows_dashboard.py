"""The flows dashboard: placements started and ended by month, steps up and down between tiers, and exclusions and
suspensions recorded against the same period last year, counted by hand from the records each test makes (time
frozen on 10 November 2026; the period is 2025/26 unless a test says otherwise)."""

import datetime

import pytest
from django.urls import reverse

from aphub.insight.dashboards import dashboards
from aphub.insight.dashboards.filters import DashboardFilters, period_of
from aphub.placements.models import Episode
from tests.factories import EpisodeFactory, PlacementFactory, PupilFactory, route_for

D = datetime.date
JUNE_2025 = D(2025, 6, 2)
MONTHS = [
    "September 2025", "October 2025", "November 2025", "December 2025", "January 2026", "February 2026",
    "March 2026", "April 2026", "May 2026", "June 2026", "July 2026", "August 2026",
]  # fmt: skip


def period(value: str = "2025", **narrowing) -> DashboardFilters:
    start, end, label, year = period_of(value)
    return DashboardFilters(start=start, end=end, label=label, academic_year=year, **narrowing)


def figures(user, filters: DashboardFilters) -> dict:
    return {figure.key: figure for figure in dashboards()["flows"].build(user, filters)}


def episode(town, pupil, kind="health-needs", start=JUNE_2025, **fields):
    return EpisodeFactory(pupil=pupil, route=route_for(town.la, kind), start_date=start, **fields)


def placement(town, pupil, in_episode, start, end=None, *, tier="2", follows=None, status=None):
    return PlacementFactory(
        pupil=pupil,
        episode=in_episode,
        provision=town.provision(places=50),
        tier=tier,
        start_date=start,
        end_date=end,
        status=status or ("ended" if end else "active"),
        follows=follows,
    )


@pytest.fixture
def journeys(town):
    """Three children's placements in and around 2025/26, and placements that never count."""
    a, b, c = town.pupil(), town.pupil(), town.pupil()
    a_episode, b_episode, c_episode = episode(town, a), episode(town, b), episode(town, c)
    # A: tier 1 from before the period (an end in October, no start), up to tier 2, then down to tier 1 in March.
    a1 = placement(town, a, a_episode, D(2025, 7, 1), D(2025, 10, 15), tier="1")
    a2 = placement(town, a, a_episode, D(2025, 10, 16), D(2026, 2, 20), tier="2", follows=a1)
    placement(town, a, a_episode, D(2026, 3, 2), tier="1", follows=a2)
    # B: tier 2 from September to December, up to tier 3 in January.
    b1 = placement(town, b, b_episode, D(2025, 9, 8), D(2025, 12, 19), tier="2")
    placement(town, b, b_episode, D(2026, 1, 5), tier="3", follows=b1)
    # C: tier 2 twice (November to April, then April on): a move, not a step.
    c1 = placement(town, c, c_episode, D(2025, 11, 3), D(2026, 4, 10), tier="2")
    placement(town, c, c_episode, D(2026, 4, 13), tier="2", follows=c1)
    # Never started: a cancelled offer, and an offer still waiting (neither a start nor a step).
    d = town.pupil()
    d_episode = episode(town, d)
    placement(town, d, d_episode, D(2025, 11, 10), status="cancelled", tier="3", follows=b1)
    placement(town, d, d_episode, D(2025, 12, 1), status="offered")
    # Another LA's child, started in October 2025 after a step up: never counted here.
    other = PupilFactory()
    other_episode = EpisodeFactory(pupil=other, route=route_for(other.local_authority, "health-needs"))
    first = PlacementFactory(pupil=other, episode=other_episode, tier="1", status="ended", start_date=D(2025, 9, 1))
    first.end_date = D(2025, 9, 30)
    first.save()
    PlacementFactory(pupil=other, episode=other_episode, tier="3", start_date=D(2025, 10, 1), follows=first)


def test_starts_and_ends_are_counted_by_month_including_months_with_none(town, journeys):
    figure = figures(town.officer, period())["starts-ends"]
    starts = [1, 1, 1, 0, 1, 0, 1, 1, 0, 0, 0, 0]  # B1, A2, C1, -, B2, -, A3, C2
    ends = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0]  # A1 (started before the period), B1, A2, C1
    assert figure.table.headings == ["Month", "Starts", "Ends"]
    assert figure.table.rows == [[month, s, e] for month, s, e in zip(MONTHS, starts, ends, strict=True)]
    assert figure.summary == "6 placements started and 4 ended in 2025/26; most starts in September 2025."


def test_steps_up_and_down_between_tiers_are_counted_by_direction(town, journeys):
    figure = figures(town.officer, period())["steps"]
    assert figure.table.rows == [
        ["Tier 1 to tier 2", 1, None],
        ["Tier 1 to tier 3", 0, None],
        ["Tier 2 to tier 3", 1, None],
        ["Tier 2 to tier 1", None, 1],
        ["Tier 3 to tier 1", None, 0],
        ["Tier 3 to tier 2", None, 0],
    ]
    assert figure.summary == (
        "3 moves between tiers started in 2025/26: 2 stepping up to a more intensive tier and 1 stepping down."
    )
    # A tier chosen narrows to moves into or out of it: tier 3 has B's step up from tier 2 alone.
    narrowed = figures(town.officer, period(tier="3"))["steps"]
    assert [row[1:] for row in narrowed.table.rows] == [[0, None], [0, None], [1, None], [None, 0]] + [[None, 0]] * 2
    # The spring term has A's step down and B's step up.
    spring = figures(town.officer, period("2025-spring"))["steps"]
    assert spring.summary.startswith("2 moves between tiers started in Spring term 2025/26: 1 stepping up")


@pytest.fixture
def exclusions(town):
    """Permanent exclusions and suspensions in 2025/26 and 2024/25 (1 September is the first day of 2025/26)."""
    this_year = [D(2025, 9, 1), D(2025, 9, 15), D(2025, 9, 22), D(2025, 10, 6), D(2025, 10, 20)]
    this_year += [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]
    for day in this_year:
        episode(town, town.pupil(), "permanent-exclusion", day)
    for _ in range(4):
        episode(town, town.pupil(), "suspension", D(2025, 11, 17))
    # Recorded in error and withdrawn: not an exclusion.
    episode(town, town.pupil(), "permanent-exclusion", D(2025, 10, 6), status=Episode.Status.WITHDRAWN)
    # Last year: two in secondary, one of a child then in year 6 (in year 7 now); five suspensions.
    episode(town, town.pupil(), "permanent-exclusion", D(2024, 10, 7))
    episode(town, town.pupil(), "permanent-exclusion", D(2025, 8, 31))
    episode(town, town.pupil(date_of_birth=D(2014, 3, 1)), "permanent-exclusion", D(2025, 2, 3))
    for _ in range(5):
        episode(town, town.pupil(), "suspension", D(2025, 1, 13))
    # Another LA's exclusion in the period.
    EpisodeFactory(start_date=D(2025, 10, 6))


def test_exclusions_and_suspensions_are_counted_by_month(town, exclusions):
    figure = figures(town.officer, period())["exclusions"]
    permanent = [3, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0]
    suspensions = [0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert figure.table.rows == [[m, p, s] for m, p, s in zip(MONTHS, permanent, suspensions, strict=True)]
    assert figure.summary == (
        "8 permanent exclusions and 4 suspensions of more than 5 days recorded in 2025/26; most in November 2025."
    )


def test_exclusions_are_set_against_the_same_period_last_year(town, exclusions):
    figure = figures(town.officer, period())["exclusions-trend"]
    assert figure.table.headings == ["Recorded", "2024/25", "2025/26"]
    assert figure.table.rows == [["Permanent exclusions", 3, 8], ["Suspensions of more than 5 days", 5, 4]]
    assert figure.summary == (
        "In 2025/26, 8 permanent exclusions (up 167% on 3 the year before) and "
        "4 suspensions (down 20% on 5 the year before) of more than 5 days."
    )
    # Secondary phase: last year's year 6 child was in primary then, so 2 secondary exclusions last year.
    secondary = figures(town.officer, period(phase="secondary"))["exclusions-trend"]
    assert secondary.table.rows[0] == ["Permanent exclusions", 2, 8]
    assert "up 300% on 2 the year before" in secondary.summary
    # The autumn term against last autumn: 5 against 1 (7 October 2024).
    autumn = figures(town.officer, period("2025-autumn"))["exclusions-trend"]
    assert autumn.title.endswith("Autumn term 2025/26 against Autumn term 2024/25")
    assert autumn.table.rows == [["Permanent exclusions", 1, 5], ["Suspensions of more than 5 days", 0, 4]]
    assert "4 suspensions (none the year before)" in autumn.summary


def test_a_period_with_nothing_says_so(town):
    found = figures(town.officer, period("2025-summer"))
    assert found["starts-ends"].table.rows == [[m, 0, 0] for m in MONTHS[7:]]
    assert found["steps"].summary == "No child moved between tiers in Summer term 2025/26."
    assert found["exclusions-trend"].summary == (
        "In Summer term 2025/26, 0 permanent exclusions (none the year before either) and "
        "0 suspensions (none the year before either) of more than 5 days."
    )


def test_the_dashboard_makes_three_queries_whatever_the_las_size(town, journeys, exclusions, django_assert_num_queries):
    # One more finds the officer's LA (visible_to): then starts and ends, moves between tiers, exclusions.
    with django_assert_num_queries(4):
        figures(town.officer, period())


def test_the_page_and_its_tables_are_for_la_staff_only(client, town, journeys, django_assert_max_num_queries):
    url = reverse("insight:dashboard-flows")
    for user in (town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(town.officer)
    with django_assert_max_num_queries(20):
        page = client.get(url, {"period": "2025"})
    assert page.status_code == 200
    assert "Step up and step down between tiers, 2025/26" in page.content.decode()
    table = client.get(url, {"period": "2025", "table": "steps", "format": "csv"})
    assert table.status_code == 200
    assert b"Tier 1 to tier 2,1," in table.content


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_flows_dashboard_has_no_accessibility_violations(live_server, browser, town, journeys, exclusions):
    from tests.browser.audited import audited

    url = reverse("insight:dashboard-flows")
    with audited(live_server, browser, town.officer) as audit:
        for query in ("", "?period=2025", "?period=2025-spring&tier=3", "?period=2025&phase=secondary"):
            response = audit.page.goto(live_server.url + url + query)
            assert response is not None and response.status == 200, query
            audit.check("la-officer")
        response = audit.page.goto(live_server.url + url + "?period=1999&locality=not a district")
        assert response is not None and response.status == 400
        assert audit.page.locator(".govuk-error-summary").count() == 1
        audit.check("la-officer (filter errors)")
    assert len(audit.checked) == 5
