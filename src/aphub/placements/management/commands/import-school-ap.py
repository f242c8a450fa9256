"""`aphub import-school-ap` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.placements.management.commands.import_school_ap import Command

__all__ = ["Command"]
