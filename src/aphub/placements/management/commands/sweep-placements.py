"""`aphub sweep-placements` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.placements.management.commands.sweep_placements import Command

__all__ = ["Command"]
