"""A page shows several figures: their SVGs' ids must not clash (the GOV.UK page rules and axe check every page)."""

import re

from aphub.core.figures import bar_figure, line_figure


def test_two_figures_with_legends_share_no_id():
    first = bar_figure("first", "First", "One.", ["a", "b"], {"x": [1, 2], "y": [3, 4]}, category_heading="Letter")
    second = line_figure(
        "second", "Second", "Two.", ["2025", "2026"], {"x": [1, 2], "y": [2, 1]}, period_heading="Year"
    )

    ids = [re.findall(r'\bid="([^"]+)"', figure.svg) for figure in (first, second)]
    assert len(ids[0]) > 2 and len(ids[1]) > 2  # the legends' entries have ids of their own
    assert not set(ids[0]) & set(ids[1])
