"""`aphub committee-pack` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.insight.management.commands.committee_pack import Command

__all__ = ["Command"]
