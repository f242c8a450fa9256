"""`aphub import-gias` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.exchange.management.commands.import_gias import Command

__all__ = ["Command"]
