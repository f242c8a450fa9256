"""Published figures withhold small counts (issue 14): counts under the LA's threshold show as c, with the cells that
would give them away from a total; money is never withheld; the chart is drawn again from what is published."""

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aphub.core.figures import SUPPRESSED, Table, bar_figure
from aphub.duties.services import update_policy
from aphub.insight.publication import (
    names_small_count,
    published_figure,
    published_table,
    threshold_for,
    withheld_cells,
)
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member

C = SUPPRESSED
VALUE = re.compile(r'<desc class="value">([^<]*)</desc>')


def tiers(*children: int) -> Table:
    """Children by tier with a Total row, as a dashboard's table."""
    rows = [[f"Tier {index}", value] for index, value in enumerate(children, start=1)]
    return Table("Children by tier", ["Tier", "Children"], [*rows, ["Total", sum(children)]])


def test_a_small_count_is_withheld_with_the_next_smallest_so_the_total_does_not_give_it_away():
    # 3 + 10 + 12 = 25: withholding the 3 alone, 25 - 10 - 12 would give it back; so the 10 goes too.
    published = published_table(tiers(3, 10, 12), 5)
    assert [row[1] for row in published.rows] == [C, C, 12, 25]


def test_true_zeros_are_shown_and_a_non_zero_cell_is_withheld_beside_a_small_one():
    # 3 + 0 + 8 = 11: the zero names no child and stays; the 8 hides the 3 (3 + 0 alone would still be 3).
    assert [row[1] for row in published_table(tiers(3, 0, 8), 5).rows] == [C, 0, C, 11]


def test_a_small_total_is_withheld_itself():
    # 2 + 0 + 0 = 2: the total is itself a small count and withheld, so no shown total gives the 2 away.
    assert [row[1] for row in published_table(tiers(2, 0, 0), 5).rows] == [C, 0, 0, C]
    # 2 + 0 + 6 = 8: the 6 hides the 2.
    assert [row[1] for row in published_table(tiers(2, 0, 6), 5).rows] == [C, 0, C, 8]


def test_rows_and_columns_with_totals_are_both_protected():
    table = Table(
        "Children by tier and phase",
        ["Tier", "Primary", "Secondary", "Total"],
        [["Tier 1", 2, 9, 11], ["Tier 2", 6, 7, 13], ["Tier 3", 8, 12, 20], ["Total", 16, 28, 44]],
    )
    published = published_table(table, 5)
    # The 2 (primary); its row's next smallest, the 9; the Primary column's next smallest, the 6; then tier 2's row
    # has one withheld cell, so its 7 goes; the Secondary column then holds the 9 and the 7 withheld: no more.
    assert published.rows == [
        ["Tier 1", C, C, 11],
        ["Tier 2", C, C, 13],
        ["Tier 3", 8, 12, 20],
        ["Total", 16, 28, 44],
    ]


def test_a_table_without_small_counts_is_published_as_it_is():
    table = tiers(5, 10, 12)
    assert published_table(table, 5) is table


def test_money_is_never_withheld_and_only_count_columns_are():
    money = Table("Spend", ["Provider", "Spend"], [["A", Decimal("3.00")], ["Total", Decimal("3.00")]], money=True)
    assert published_table(money, 5) is money
    mixed = Table(
        "Placements and median weeks",
        ["Provider", "Placements", "Median weeks"],
        [["A", 3, 2], ["B", 40, 4]],
        counts=(True, False),
    )
    assert published_table(mixed, 5).rows == [["A", C, 2], ["B", 40, 4]]


def test_a_forecast_or_a_rate_is_not_a_count():
    table = Table("Forecast", ["Term", "Children"], [["Autumn", 3.4], ["Spring", Decimal("2.5")], ["Summer", 4]])
    assert published_table(table, 5).rows == [["Autumn", 3.4], ["Spring", Decimal("2.5")], ["Summer", C]]


@pytest.mark.django_db
def test_the_threshold_is_the_las_policy_and_five_by_default():
    la = LocalAuthorityFactory()
    assert threshold_for(la.pk) == 5
    update_policy(user=member(Role.LA_ADMIN, la), local_authority=la, values={"publication_threshold": 10})
    assert threshold_for(la.pk) == 10
    assert [row[1] for row in published_table(tiers(7, 20, 30), threshold_for(la.pk)).rows] == [C, C, 30, 57]
    update_policy(user=member(Role.LA_ADMIN, la), local_authority=la, values={"publication_threshold": 1})
    assert published_table(tiers(1, 2, 3), threshold_for(la.pk)).rows[0][1] == 1  # 1: nothing is withheld


def test_a_published_figure_is_drawn_again_without_the_small_count():
    figure = bar_figure(
        "by-tier",
        "Children in AP by tier, 2025/26",
        "1,271 children in AP, 3 of them in tier 3.",
        ["Tier 1", "Tier 2", "Tier 3"],
        {"Children": [1234, 34, 3]},
        category_heading="Tier",
    )
    assert sorted(VALUE.findall(figure.svg)) == ["1,234", "3", "34"]
    published = published_figure(figure, 5)
    assert published.table.rows == [["Tier 1", 1234], ["Tier 2", 34], ["Tier 3", C]]
    assert sorted(VALUE.findall(published.svg)) == ["1,234", "34"]
    assert "3 of them" not in published.summary and "shown as c" in published.summary
    assert published.title == figure.title and published.key == figure.key


def test_a_summary_naming_a_small_count_is_replaced_even_when_the_table_is_not_changed():
    assert names_small_count("3 children waited", 5)
    assert not names_small_count("£3.50 a week, 2025/26, 40% met, 12 children, most in tier 2, to 3 December", 5)
    figure = bar_figure("f", "Starts", "3 started in May.", ["May"], {"Starts": [0]}, category_heading="Month")
    assert "3 started" not in published_figure(figure, 5).summary
    # A figure of money has no count to give away: its summary stays.
    spend = bar_figure("s", "Spend", "3 providers cost £3.", ["A"], {"Spend": [1]}, category_heading="P", money=True)
    assert published_figure(spend, 5) is spend


# --- No withheld cell can be worked out from the published totals -------------------------------------------------


def with_margins(cells: list[list[int]]) -> Table:
    """A table of counts with a Total column and a Total row."""
    columns = len(cells[0])
    rows = [[f"Group {index}", *row, sum(row)] for index, row in enumerate(cells)]
    totals = [sum(row[column] for row in cells) for column in range(columns)]
    return Table(
        "Counts",
        ["Group", *(f"Kind {column}" for column in range(columns)), "Total"],
        [*rows, ["Total", *totals, sum(totals)]],
    )


def equations(published: Table) -> list[tuple[list[tuple[int, int]], int]]:
    """What a reader knows: each shown total is the sum of its row's (or column's) cells."""
    width, height = len(published.headings), len(published.rows)
    found = []
    for row in range(height - 1):
        if published.rows[row][-1] is not C:
            found.append(([(row, column) for column in range(1, width - 1)], published.rows[row][-1]))
    for column in range(1, width):
        if published.rows[-1][column] is not C:
            found.append(([(row, column) for row in range(height - 1)], published.rows[-1][column]))
    if published.rows[-1][-1] is not C:
        found.append(([(height - 1, column) for column in range(1, width - 1)], published.rows[-1][-1]))
    return found


def other_value_possible(published: Table, cell: tuple[int, int], truth: int) -> bool:
    """Whether some non-negative whole numbers in the withheld cells, other than `truth` in `cell`, fit every shown
    total: if none does, a reader could work the withheld count out."""
    known = equations(published)
    unknown = [(r, c) for r, row in enumerate(published.rows) for c, value in enumerate(row) if value is C]
    bounds = {u: min((total for cells, total in known if u in cells), default=None) for u in unknown}
    if bounds[cell] is None:
        return True  # in no line with a shown total: anything is possible
    searched = [u for u in unknown if bounds[u] is not None]

    def value(assigned: dict, at: tuple[int, int]):
        shown = published.rows[at[0]][at[1]]
        return assigned.get(at) if shown is C else shown

    def fits(assigned: dict) -> bool:
        for cells, total in known:
            values = [value(assigned, at) for at in cells]
            so_far = sum(v for v in values if v is not None)
            if so_far > total or (None not in values and so_far != total):
                return False
        return True

    def search(index: int, assigned: dict) -> bool:
        if index == len(searched):
            return True
        at = searched[index]
        for candidate in range(bounds[at] + 1):
            if at == cell and candidate == truth:
                continue
            assigned[at] = candidate
            if fits(assigned) and search(index + 1, assigned):
                return True
            del assigned[at]
        return False

    return search(0, {})


grids = st.integers(1, 3).flatmap(
    lambda columns: st.lists(st.lists(st.integers(0, 9), min_size=columns, max_size=columns), min_size=1, max_size=3)
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(grids)
def test_no_withheld_count_can_be_worked_out_from_the_row_and_column_totals(cells):
    table = with_margins(cells)
    published = published_table(table, 5)
    for row, values in enumerate(table.rows):
        for column, original in enumerate(values):
            if column and 0 < original < 5:
                # Every small count is withheld, and the published totals fit another value in its place. (A zero
                # withheld beside it may be worked out, in a line whose total is 0: that names no child.)
                assert published.rows[row][column] is C
                assert other_value_possible(published, (row, column), original), (cells, published.rows)


def test_the_recovery_check_catches_primary_suppression_alone():
    """The property above could not pass by accident: with the 3 alone withheld a reader works it out, 25 - 10 - 12;
    with the 10 withheld too, they cannot."""
    margins = with_margins([[3, 10, 12]])
    primary_only = Table(margins.caption, margins.headings, [["Group 0", C, 10, 12, 25], margins.rows[1]])
    assert not other_value_possible(primary_only, (0, 1), 3)
    assert withheld_cells(margins, 5) >= {(0, 1), (0, 2)}
    assert other_value_possible(published_table(margins, 5), (0, 1), 3)
