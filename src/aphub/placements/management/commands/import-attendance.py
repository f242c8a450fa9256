"""`aphub import-attendance` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.placements.management.commands.import_attendance import Command

__all__ = ["Command"]
