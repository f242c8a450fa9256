"""The month-by-month profile (core.figures): one stack a month, April to March, of actuals, commitments and the
expected new placements, with the same figures in the table beside it (no JavaScript, nothing lost to a screen
reader)."""

from aphub.core.figures import Figure, bar_figure
from aphub.funding.periods import financial_year_label


def profile_chart(months, year: int) -> Figure:
    return bar_figure(
        "profile",
        f"Forecast outturn by month, {financial_year_label(year)}: stacked actuals, commitments and expected new "
        "placements; the table beside gives the figures",
        "",
        [f"{month.period.start:%b}" for month in months],
        {
            "Actuals": [month.actuals for month in months],
            "Commitments": [month.commitments for month in months],
            "Expected": [month.expected for month in months],
        },
        category_heading="Month",
        horizontal=False,
        stacked=True,
        money=True,
    )
