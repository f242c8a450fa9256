"""A figure keeps what its chart was drawn from, so it can be drawn again from other values (a published figure's,
small counts withheld) and stay the same chart: same key, title, categories, series and intervals."""

import re

import pytest

from aphub.core.figures import SUPPRESSED, Figure, Table, bar_figure, line_figure

VALUE = re.compile(r'<desc class="value">([^<]*)</desc>')


def by_route() -> Figure:
    return bar_figure(
        "by-route",
        "Placements by route, 2025/26",
        "Most placements followed a permanent exclusion.",
        ["Permanent exclusion", "Section 19", "Medical"],
        {"Started": [120, 45, 3], "Ended": [100, 40, 2]},
        category_heading="Route",
        stacked=False,
    )


def test_a_figure_redrawn_from_its_own_table_is_the_same_figure():
    figure = by_route()
    again = figure.redrawn(figure.table)
    assert (again.svg, again.table, again.summary) == (figure.svg, figure.table, figure.summary)


def test_a_figure_redrawn_from_other_values_draws_those_values():
    figure = by_route()
    rows = [[*row] for row in figure.table.rows]
    rows[2][1:] = [SUPPRESSED, SUPPRESSED]
    again = figure.redrawn(Table(figure.table.caption, figure.table.headings, rows), summary="Three routes.")
    assert sorted(VALUE.findall(again.svg)) == ["100", "120", "40", "45"]
    assert again.table.rows[2] == ["Medical", SUPPRESSED, SUPPRESSED]
    assert again.table.shown_rows()[2] == ["Medical", "c", "c"]
    assert (again.key, again.title, again.summary) == ("by-route", figure.title, "Three routes.")


def test_a_line_figure_keeps_its_intervals_when_redrawn():
    figure = line_figure(
        "forecast",
        "Children in AP, forecast",
        "About 40 children next term.",
        ["Autumn", "Spring", "Summer"],
        {"Children": [38, 41, None], "Forecast": [None, 41, 40.5]},
        period_heading="Term",
        intervals={"80% interval": ([None, 41, 35.0], [None, 41, 46.0])},
    )
    assert figure.table.headings == ["Term", "Children", "Forecast", "80% interval: lower", "80% interval: upper"]
    # The children are counts; the forecast's interval lines are a model's, never counts.
    assert [figure.table.is_count_column(index) for index in range(1, 5)] == [True, True, False, False]
    rows = [[*row] for row in figure.table.rows]
    rows[0][1] = SUPPRESSED
    again = figure.redrawn(Table(figure.table.caption, figure.table.headings, rows))
    assert again.table.rows[0][1] is SUPPRESSED and again.table.rows[2][3:] == [35.0, 46.0]
    assert again.svg != figure.svg


def test_counts_are_every_series_unless_money_or_said_otherwise():
    assert by_route().table.counts == (True, True)
    money = bar_figure("spend", "Spend", "£1.", ["A"], {"Spend": [1]}, category_heading="Provider", money=True)
    assert money.table.counts == (False,) and not money.table.is_count_column(1)
    mixed = bar_figure(
        "m", "M", "s", ["A"], {"Placements": [3], "Median weeks": [6]}, category_heading="P", counts=[True, False]
    )
    assert mixed.table.counts == (True, False)
    with pytest.raises(ValueError, match="one counts flag a series"):
        bar_figure("m", "M", "s", ["A"], {"Placements": [3]}, category_heading="P", counts=[True, False])


def test_a_figure_is_redrawn_only_from_a_table_of_its_own_shape():
    figure = by_route()
    with pytest.raises(ValueError, match="same rows and columns"):
        figure.redrawn(Table("x", ["Route", "Started"], [[row[0], row[1]] for row in figure.table.rows]))
    drawn_by_hand = Figure("k", "T", "s", "<svg/>", figure.table)
    with pytest.raises(ValueError, match="cannot be redrawn"):
        drawn_by_hand.redrawn(figure.table)
