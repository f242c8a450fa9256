"""The outturn by budget line as a spreadsheet's columns, declared once: the outturn page's download and the Schools
Forum report's sheet write the same."""

from aphub.core.files.exports import Column, Export

OUTTURN = Export(
    "outturn",
    [
        Column("Budget line", lambda row: row.name),
        Column("Budget", lambda row: row.budget, money=True),
        Column("Actuals to date", lambda row: row.actuals, money=True),
        Column("Commitments", lambda row: row.commitments, money=True),
        Column("Expected new placements", lambda row: row.expected, money=True),
        Column("Forecast outturn", lambda row: row.forecast, money=True),
        Column("Variance (budget less forecast)", lambda row: row.variance, money=True),
    ],
)
