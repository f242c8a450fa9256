from django.apps import AppConfig


class FinanceConfig(AppConfig):
    """The High Needs Block's budget and outturn: budget lines, their amounts and the year's forecast, above the
    placements whose funding lines they read (docs/decisions/0028-budget-and-outturn.md)."""

    name = "aphub.finance"
    label = "finance"
