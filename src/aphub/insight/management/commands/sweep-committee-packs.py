"""`aphub sweep-committee-packs` is the documented spelling; Django names commands after their module, so alias it."""

from aphub.insight.management.commands.sweep_committee_packs import Command

__all__ = ["Command"]
