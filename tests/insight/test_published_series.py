"""Issue 14: an LA's officer loads a yearly series the DfE publishes for every LA (its permanent exclusions) from one
of the DfE's files, and the forecast dashboard forecasts it beside the LA's own history. The LA's rows are found by
its codes, or by its name in a file without codes; the file is taken whole or refused whole with its bad lines named;
one LA's series is never another's to see or replace."""

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import NotPermitted
from aphub.core.figures import _formatter
from aphub.exchange.services import ImportRejected
from aphub.insight.dashboards import forecast
from aphub.insight.models import PublishedSeries
from aphub.insight.published_series import year_of
from aphub.insight.services import load_published_series
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member
from tests.standards import shared_data

from .test_every_dashboard import ZERO, _drawn, _tabled
from .test_forecast_dashboard import filters

pytestmark = pytest.mark.django_db

URL = reverse("insight:published-series")
FORECAST = reverse("insight:dashboard-forecast")
HEADER = '"year","level","la_name","school_type","headcount","perm_excl"'
# Eleven years of the LA's permanent exclusions, 2006/07 to 2016/17, as the DfE's file by LA has them.
EXCLUSIONS = [40, 44, 39, 35, 31, 30, 33, 38, 45, 52, 67]
EXCLUSIONS_FILE = "dfe_exclusions_by_la_2006-07_to_2016-17.csv"


def period(year: int) -> str:
    return f"{year}{(year + 1) % 100:02d}"


def exclusions_file(la, values=EXCLUSIONS, *extra: str) -> bytes:
    """The LA's total (and its primary schools', to be left out), England's and another LA's, one row each a year."""
    lines = [HEADER]
    for year, value in zip(range(2006, 2017), values, strict=True):
        lines += [
            f'"{period(year)}","National","England","Total","8000000","7720"',
            f'"{period(year)}","Local authority","{la.name}","Total","38816","{value}"',
            f'"{period(year)}","Local authority","{la.name}","Primary","21051","3"',
            f'"{period(year)}","Local authority","Croydon","Total","50000","120"',
        ]
    return ("\r\n".join([*lines, *extra]) + "\r\n").encode()


def _tabled_lines(figure) -> Counter:
    """The table's values that the chart marks with a dot: every column but the intervals' (drawn as dashed lines
    without dots, so with no value of their own in the SVG)."""
    intervals = {f"{name}: {end}" for name in figure.drawing.intervals for end in ("lower", "upper")}
    shown = _formatter(figure.table.money)
    kept = [index for index, heading in enumerate(figure.table.headings) if index and heading not in intervals]
    values = [shown(float(row[index])) for row in figure.table.rows for index in kept if row[index] is not None]
    return Counter(value for value in values if value not in ZERO)


def load(user, content: bytes, **choices):
    chosen = {"measure": "Permanent exclusions", "value": "perm_excl", "period": "", "where": {"school_type": "Total"}}
    return load_published_series(user=user, content=content, file_name="exclusions.csv", **(chosen | choices))


def upload(client, user, content: bytes, **fields):
    client.force_login(user)
    data = {"measure": "Permanent exclusions", "value": "perm_excl", "period": "", "where": "school_type=Total"}
    return client.post(URL, {**data, **fields, "file": SimpleUploadedFile("exclusions.csv", content)})


def test_the_las_total_each_year_is_kept_found_by_its_name_in_a_file_without_codes(town):
    loaded = load(town.officer, exclusions_file(town.la))
    series = PublishedSeries.objects.get()
    assert series.local_authority == town.la and series.measure == "Permanent exclusions"
    assert series.years == list(range(2006, 2017)) and series.values == EXCLUSIONS
    assert series.value_column == "perm_excl" and series.rows_chosen == "school_type=Total"
    assert series.uploaded_by == town.officer and series.source_file == "exclusions.csv"
    assert loaded.rows == 11 and series.span == "2006/07 to 2016/17"
    assert AccessLogEntry.objects.filter(object_type="insight.PublishedSeries", verb="create").count() == 1


def test_rows_of_the_same_year_are_summed_and_a_suppressed_year_is_missing(town):
    values = [*EXCLUSIONS[:4], "c", *EXCLUSIONS[5:]]
    # A second row of the LA's in 2016/17 (after a boundary change, say): added to the first.
    load(town.officer, exclusions_file(town.la, values, f'"201617","Local authority","{town.la.name}","Total","1","5"'))
    assert PublishedSeries.objects.get().values == [*EXCLUSIONS[:4], None, *EXCLUSIONS[5:-1], 72]


def test_rows_are_found_by_the_las_codes_where_the_file_has_them(town):
    header = "time_period,time_identifier,geographic_level,new_la_code,la_name,old_la_code,number_of_pupils"
    rows = [
        f"{period(year)},Academic year,Local authority,{town.la.gss_code},Old name,{town.la.la_code},{value}"
        for year, value in zip(range(2019, 2024), [10, 12, 11, 14, 15], strict=True)
    ]
    other = "202324,Academic year,Local authority,E09000008,Croydon,306,99"
    national = "202324,Academic year,National,,,,5000"
    content = "\n".join([header, *rows, other, national]).encode()
    load(town.officer, content, value="number_of_pupils", where={})
    assert PublishedSeries.objects.get().points == [[2019, 10], [2020, 12], [2021, 11], [2022, 14], [2023, 15]]


def test_a_file_with_bad_lines_is_refused_whole_each_named_and_nothing_is_kept(town):
    content = exclusions_file(
        town.la,
        EXCLUSIONS,
        f'"2017/19","Local authority","{town.la.name}","Total","1","5"',  # line 46: not a year
        f'"201718","Local authority","{town.la.name}","Total","1","lots"',  # line 47: not a number
        '"201718","Local authority","Croydon","Total","1","many"',  # another LA's: not read, so not checked
    )
    with pytest.raises(ImportRejected) as refused:
        load(town.officer, content)
    assert [problem.row for problem in refused.value.problems] == [46, 47]
    assert "2016/17 or 2016, not '2017/19'" in refused.value.problems[0].message
    assert "not 'lots'" in refused.value.problems[1].message
    assert not PublishedSeries.objects.exists()


def test_the_page_names_the_bad_lines_and_a_missing_column_without_storing_anything(client, town):
    response = upload(client, town.officer, exclusions_file(town.la, [*EXCLUSIONS[:-1], "-"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 row of the file has problems, so nothing was imported" in page
    assert "The perm_excl value must be a number" in page and "Problems in the file" in page
    response = upload(client, town.officer, exclusions_file(town.la), value="permanent")
    assert "The header row has no column permanent" in response.content.decode()
    response = upload(client, town.officer, exclusions_file(town.la), where="school_type Total")
    assert "Write each filter as column=value" in response.content.decode()
    response = upload(client, town.officer, b"not,a\nfile,of,figures\n")
    assert response.status_code == 400
    assert not PublishedSeries.objects.exists()


def test_a_file_without_the_las_rows_is_refused(town):
    other = LocalAuthorityFactory(name="Somewhere Else")
    with pytest.raises(ImportRejected) as refused:
        load(town.officer, exclusions_file(other))
    assert f"The file has no rows for {town.la.name}" in refused.value.problems[0].message


def test_loading_the_same_measure_again_replaces_it_and_is_logged(client, town):
    load(town.officer, exclusions_file(town.la))
    response = upload(client, town.admin, exclusions_file(town.la, [value + 1 for value in EXCLUSIONS]))
    assert response.status_code == 302
    series = PublishedSeries.objects.get()
    assert series.values == [value + 1 for value in EXCLUSIONS] and series.uploaded_by == town.admin
    assert AccessLogEntry.objects.filter(object_id=str(series.pk), verb="change").count() == 1
    page = client.get(URL).content.decode()
    assert "replacing the one loaded before" in page and "2006/07 to 2016/17" in page


def test_another_las_user_can_neither_see_nor_replace_the_series(client, town):
    load(town.officer, exclusions_file(town.la))
    other_la = LocalAuthorityFactory(name="Other Borough")
    other = member(Role.LA_OFFICER, other_la)
    # Their upload of the same measure is their own LA's, from their own rows: the town's series is untouched.
    load(other, exclusions_file(other_la, [1] * 11))
    assert PublishedSeries.objects.get(local_authority=town.la).values == EXCLUSIONS
    assert PublishedSeries.objects.visible_to(other).get().values == [1] * 11
    client.force_login(other)
    assert "2006/07 to 2016/17" in client.get(URL).content.decode()
    figures = forecast.build(other, filters())
    published = [figure for figure in figures if figure.key.startswith("published-")]
    assert len(published) == 1 and "Permanent exclusions (published)" in published[0].table.headings


def test_only_the_las_officers_and_admins_load_a_series(client, town):
    for user in (town.auditor, town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        with pytest.raises(NotPermitted):
            load(user, exclusions_file(town.la))
    client.force_login(town.officer)
    assert client.get(URL).status_code == 200


def test_the_forecast_dashboard_forecasts_the_series_with_its_backtest_and_chart_values_equal_its_table(client, town):
    client.force_login(town.officer)
    page = client.get(FORECAST).content.decode()
    assert "No published DfE series is loaded yet" in page and URL in page
    load(town.officer, exclusions_file(town.la))
    figures = {figure.key: figure for figure in forecast.build(town.officer, filters())}
    figure = figures["published-1-years"]
    assert figure.table.headings[0] == "School year"
    assert [row[0] for row in figure.table.rows][-3:] == ["2016/17", "2017/18", "2018/19"]
    assert "Permanent exclusions: forecast" in figure.table.headings
    assert {"Permanent exclusions: 80% interval: lower", "Permanent exclusions: 95% interval: upper"} <= set(
        figure.table.headings
    )
    assert "Forecast for the next 2 years. Permanent exclusions:" in figure.summary
    assert _drawn(figure) == _tabled_lines(figure)
    assert figure.svg.count("Permanent exclusions: 95% interval: upper") >= 1  # the intervals' lines, named
    backtest = figures["backtest"]
    assert any(row[0].startswith("Permanent exclusions (published by the DfE), years") for row in backtest.table.rows)
    assert _drawn(backtest) == _tabled(backtest.table)
    page = client.get(FORECAST).content.decode()  # drawn afresh after the load, not the figures kept before it
    assert "Beside the LA's own history: Permanent exclusions (2006/07 to 2016/17)" in page
    assert "Permanent exclusions, as the DfE published them (perm_excl)" in page


def test_a_short_series_says_it_is_too_short_to_forecast(town):
    header = "time_period,geographic_level,new_la_code,old_la_code,la_name,pupils"
    rows = [f"{period(year)},Local authority,{town.la.gss_code},{town.la.la_code},x,5" for year in (2021, 2022)]
    load(town.officer, "\n".join([header, *rows]).encode(), value="pupils", where={})
    figure = next(f for f in forecast.build(town.officer, filters()) if f.key == "published-1-years")
    assert "The published series holds 2 years, from 2021/22; a forecast needs at least 4" in figure.summary


@pytest.mark.parametrize(("text", "year"), [("201617", 2016), ("2016/17", 2016), ("2016", 2016), ("201618", None)])
def test_years_are_read_as_the_dfe_writes_them(text, year):
    assert year_of(text) == year


def test_the_dfes_real_exclusions_file_gives_solihulls_eleven_years(town):
    content = shared_data(EXCLUSIONS_FILE).read_bytes()
    town.la.name = "Solihull"
    town.la.save()
    load(town.officer, content)
    series = PublishedSeries.objects.get()
    assert series.years == list(range(2006, 2017)) and series.values[-1] == 67
    figure = next(f for f in forecast.build(town.officer, filters()) if f.key == "published-1-years")
    assert _drawn(figure) == _tabled_lines(figure)
