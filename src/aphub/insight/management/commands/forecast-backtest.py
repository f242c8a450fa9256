"""`aphub forecast-backtest` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.insight.management.commands.forecast_backtest import Command

__all__ = ["Command"]
