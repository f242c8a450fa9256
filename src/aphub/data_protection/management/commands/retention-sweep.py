"""`aphub retention-sweep` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.data_protection.management.commands.retention_sweep import Command

__all__ = ["Command"]
