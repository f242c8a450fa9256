"""Cohort: the children in AP in the period, and who they are (issue 14). Counts of children, not placements: a child
in two placements in the period is one child."""

from django.db.models import Count

from aphub.core.figures import Figure, bar_figure
from aphub.organisations.models import User
from aphub.placements.models import Tier

from . import Dashboard
from .filters import DashboardFilters


def by_tier(user: User, filters: DashboardFilters) -> Figure:
    placements = filters.overlapping(filters.placements(user))
    grouped = placements.values("tier").annotate(children=Count("pupil_id", distinct=True))
    counted = {row["tier"]: row["children"] for row in grouped}
    tiers = list(Tier)
    counts = [counted.get(tier.value, 0) for tier in tiers]
    total = placements.aggregate(children=Count("pupil_id", distinct=True))["children"]
    return bar_figure(
        "by-tier",
        f"Children in AP by tier, {filters.label}",
        f"{total} child{'ren' if total != 1 else ''} in AP at some time in the period"
        + (f", most in tier {tiers[counts.index(max(counts))].value}." if total else "."),
        [tier.label for tier in tiers],
        {"Children": counts},
        category_heading="Tier",
    )


def build(user: User, filters: DashboardFilters) -> list[Figure]:
    return [by_tier(user, filters)]


DASHBOARD = Dashboard(
    slug="cohort",
    title="Children in AP",
    description="Who is in alternative provision in the period: by tier, route, need, key stage and characteristics.",
    build=build,
)
