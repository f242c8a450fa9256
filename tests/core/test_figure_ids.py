"""Two charts on one page share no id: pygal numbers each chart's legend entries from 0, so every id of a figure's
SVG carries the figure's key (the page checker refuses duplicate ids)."""

import re

from aphub.core.figures import bar_figure, line_figure


def test_two_figures_on_a_page_share_no_id():
    first = line_figure("first", "First", "One.", ["a", "b"], {"x": [1, 2], "y": [2, 3]}, period_heading="P")
    second = bar_figure("second", "Second", "Two.", ["a", "b"], {"x": [1, 2], "y": [2, 3]}, category_heading="C")
    ids = [re.findall(r' id="([^"]+)"', figure.svg) for figure in (first, second)]
    assert ids[0] and ids[1]
    assert not set(ids[0]) & set(ids[1])
