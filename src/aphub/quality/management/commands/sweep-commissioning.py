"""`aphub sweep-commissioning` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.quality.management.commands.sweep_commissioning import Command

__all__ = ["Command"]
