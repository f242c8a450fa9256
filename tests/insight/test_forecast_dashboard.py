"""The forecast dashboard: children starting AP by term and school year from the LA's placements (counted by hand
here), each series forecast with its backtest beside it, or a plain "too little history" where there is not enough.
The town's today is Tuesday 10 November 2026: autumn 2026/27 is under way, so the last complete term is summer 2026."""

import datetime

from django.urls import reverse

from aphub.insight.dashboards.filters import DashboardFilters, period_of
from aphub.insight.dashboards.forecast import MIN_TERMS, histories
from tests.factories import PlacementFactory

URL = reverse("insight:dashboard-forecast")
# Born 1 September 2014: year 6 (primary) in 2025/26; a day earlier, 31 August 2014, year 7 (secondary).
PRIMARY_BORN, SECONDARY_BORN = datetime.date(2014, 9, 1), datetime.date(2014, 8, 31)


def start(town, on: datetime.date, *, pupil=None, tier="2", status="ended", born=PRIMARY_BORN):
    pupil = pupil or town.pupil(date_of_birth=born)
    PlacementFactory(
        pupil=pupil,
        provision=town.provision(),
        start_date=on,
        end_date=on + datetime.timedelta(days=20) if status == "ended" else None,
        status=status,
        tier=tier,
    )
    return pupil


def days_in_terms(*school_years: int) -> list[datetime.date]:
    """A school day in each term (autumn, spring, summer) of each school year."""
    return [
        day
        for year in school_years
        for day in (datetime.date(year, 9, 10), datetime.date(year + 1, 1, 10), datetime.date(year + 1, 4, 10))
    ]


def filters() -> DashboardFilters:
    begin, end, label, year = period_of("2026")
    return DashboardFilters(start=begin, end=end, label=label, academic_year=year)


def test_history_counts_children_starting_in_each_complete_term_by_phase_and_tier(town):
    child = start(town, datetime.date(2025, 9, 15), tier="2")  # autumn 2025/26, year 6: primary
    start(town, datetime.date(2025, 11, 3), pupil=child, tier="3")  # the same child again that term: one child
    start(town, datetime.date(2026, 2, 2), tier="3", born=SECONDARY_BORN)  # spring: year 7, secondary
    start(town, datetime.date(2026, 4, 20), status="active", born=SECONDARY_BORN)  # summer, still in AP
    start(town, datetime.date(2026, 1, 12), status="cancelled")  # never started: not a child in AP
    start(town, datetime.date(2026, 3, 2), status="offered")  # not started either
    start(town, datetime.date(2026, 9, 14))  # autumn 2026/27: the term is not over, so not in the history

    terms, years = histories(town.officer, filters(), datetime.date(2026, 11, 10))

    assert terms.periods == ["Autumn 2025/26", "Spring 2025/26", "Summer 2025/26"]
    assert terms.counts["children"] == [1, 1, 1]
    assert terms.counts["phase_primary"] == [1, 0, 0]
    assert terms.counts["phase_secondary"] == [0, 1, 1]
    assert terms.counts["tier_2"] == [1, 0, 1]
    assert terms.counts["tier_3"] == [1, 1, 0]
    assert terms.ahead == ["Autumn 2026/27", "Spring 2026/27", "Summer 2026/27"]
    # The school year counts each child once: three children started in 2025/26.
    assert years.periods == ["2025/26"] and years.counts["children"] == [3]
    assert years.ahead == ["2026/27", "2027/28"]


def test_each_start_falls_in_its_term_and_school_year_on_the_days_either_side_of_a_boundary(town):
    # The term and school year are worked out in SQL from the start's year and month (date_part on PostgreSQL).
    for day in (
        datetime.date(2024, 8, 31),  # summer 2023/24
        datetime.date(2024, 9, 1),  # autumn 2024/25
        datetime.date(2024, 12, 31),  # autumn
        datetime.date(2025, 1, 1),  # spring
        datetime.date(2025, 3, 31),  # spring
        datetime.date(2025, 4, 1),  # summer
        datetime.date(2025, 8, 31),  # summer
        datetime.date(2025, 9, 1),  # autumn 2025/26
    ):
        start(town, day)

    terms, years = histories(town.officer, filters(), datetime.date(2026, 11, 10))

    assert terms.periods[:5] == [
        "Summer 2023/24",
        "Autumn 2024/25",
        "Spring 2024/25",
        "Summer 2024/25",
        "Autumn 2025/26",
    ]
    assert terms.counts["children"][:5] == [1, 2, 2, 2, 1]
    assert years.periods[:3] == ["2023/24", "2024/25", "2025/26"] and years.counts["children"][:3] == [1, 6, 1]


def test_a_term_with_no_starts_counts_zero_and_another_las_placements_are_not_counted(town):
    start(town, datetime.date(2025, 10, 1))
    start(town, datetime.date(2026, 5, 1))
    PlacementFactory(start_date=datetime.date(2026, 2, 1), status="active")  # another LA's child
    terms, _ = histories(town.officer, filters(), datetime.date(2026, 11, 10))
    assert terms.counts["children"] == [1, 0, 1]


def test_too_little_history_is_said_plainly_instead_of_a_forecast(client, town):
    start(town, datetime.date(2026, 2, 2))
    client.force_login(town.officer)
    page = client.get(URL).content.decode()
    assert "AP Hub holds 2 complete terms of starts, from Spring 2025/26" in page
    assert f"a forecast needs at least {MIN_TERMS}" in page
    assert "forecast" not in client.get(URL, {"table": "all-terms", "format": "csv"}).content.decode().lower()


def test_enough_history_gives_a_forecast_with_intervals_and_its_backtest(client, town):
    # Six terms from autumn 2024/25: 1, 2, 3, ... 6 children starting, a steady rise.
    for index, first_day in enumerate(days_in_terms(2024, 2025)):
        for _ in range(index + 1):
            start(town, first_day)
    client.force_login(town.officer)
    table = client.get(URL, {"table": "all-terms", "format": "csv"}).content.decode().splitlines()
    assert table[0] == (
        "Term,Children starting,Children: forecast,Children: 80% interval: lower,Children: 80% interval: upper,"
        "Children: 95% interval: lower,Children: 95% interval: upper"
    )
    assert table[1].startswith("Autumn 2024/25,1,,") and table[6].startswith("Summer 2025/26,6,,")
    forecast_row = table[7].split(",")
    assert forecast_row[0] == "Autumn 2026/27" and forecast_row[1] == ""
    point, low80, high80, low95, high95 = (float(value) for value in forecast_row[2:])
    assert low95 <= low80 <= point <= high80 <= high95
    backtest = client.get(URL, {"table": "backtest", "format": "csv"}).content.decode()
    assert "Naive (last value)" in backtest and "Seasonal naive" in backtest
    assert "Children, terms (chose" in backtest


def test_schools_and_providers_are_refused(client, town):
    for user in (town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_queries_do_not_grow_with_the_placements(client, town, django_assert_max_num_queries):
    for month in (1, 4, 9):
        for tier in ("1", "2", "3"):
            start(town, datetime.date(2025, month, 10), tier=tier)
    client.force_login(town.officer)
    with django_assert_max_num_queries(20) as counted:
        assert client.get(URL).status_code == 200
    few = len(counted.captured_queries)
    for month in (1, 4, 9):
        start(town, datetime.date(2024, month, 10))
    with django_assert_max_num_queries(few):
        assert client.get(URL).status_code == 200
