"""The charts drawn by core.figures read pygal's settings through a quicker attribute lookup (figures._QuickAttributes)
than pygal's own: each kind of chart comes out the same SVG to the byte as pygal's own classes draw it."""

from decimal import Decimal

import pygal
import pytest

from aphub.core import figures
from aphub.core.figures import SUPPRESSED, bar_figure, line_figure

PYGALS_OWN = {
    (True, False): pygal.HorizontalBar,
    (True, True): pygal.HorizontalStackedBar,
    (False, False): pygal.Bar,
    (False, True): pygal.StackedBar,
}


def drawn_figures():
    categories = ["Permanent exclusion", "Section 19 & medical <needs>", "Suspension"]
    series = {"Started": [120, 45, SUPPRESSED], "Ended": [100, None, 2]}
    bars = [
        bar_figure(
            f"bars-{horizontal}-{stacked}",
            "Placements by route",
            "Most followed a permanent exclusion.",
            categories,
            series,
            category_heading="Route",
            horizontal=horizontal,
            stacked=stacked,
        )
        for horizontal in (True, False)
        for stacked in (False, True)
    ]
    money = bar_figure(
        "money",
        "Spend",
        "Spend.",
        categories,
        {"Spend": [Decimal("454000.10"), Decimal("1020000"), Decimal("-12.5")]},
        category_heading="Route",
        money=True,
    )
    line = line_figure(
        "forecast",
        "Children starting",
        "A forecast.",
        [f"Term {n}" for n in range(20)],
        {"Children": [*range(10), *([None] * 10)], "Forecast": [*([None] * 9), *range(9, 20)]},
        period_heading="Term",
        intervals={"80% interval": ([None] * 9 + list(range(8, 19)), [None] * 9 + list(range(10, 21)))},
    )
    return [*bars, money, line]


def test_each_chart_is_the_svg_pygals_own_classes_draw(monkeypatch):
    quick = drawn_figures()
    monkeypatch.setattr(figures, "_BAR_KINDS", PYGALS_OWN)
    monkeypatch.setattr(figures, "_LINE", pygal.Line)
    own = drawn_figures()
    assert [figure.svg for figure in quick] == [figure.svg for figure in own]
    assert all("<svg" in figure.svg for figure in quick)


@pytest.mark.parametrize("kind", [*PYGALS_OWN.values(), pygal.Line])
def test_a_quick_chart_is_named_as_pygals_own_class(kind):
    # pygal writes the class's name into the SVG ("horizontalbar-graph"), which its style sheet selects by.
    quick = figures._quick(kind)
    assert quick.__name__ == kind.__name__ and issubclass(quick, kind)
