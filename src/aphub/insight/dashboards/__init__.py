"""Insight's dashboards (issue 14): each a page of figures (core.figures: a chart, its summary and its table) about the
LA's AP over a period, for LA staff, with the same filters (filters.DashboardForm) and every table downloadable.

A dashboard is a `Dashboard`: a slug (its URL), a title, a sentence on what it answers, and `build(user, filters)`,
which reads the other apps through querysets scoped to the user (`visible_to`) and returns its figures. Each one's
queries aggregate in the database (GROUP BY, not Python loops over placements): the large LA renders each page in
under 500 ms (`make bench`). The committee pack (insight.pack) takes its figures from these same builders.

To add one: write a module here with `DASHBOARD = Dashboard(...)` and add it to `DASHBOARDS` below, in the order the
index page lists them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from aphub.core.figures import Figure
from aphub.organisations.models import User

from .filters import DashboardFilters


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    description: str
    build: Callable[[User, DashboardFilters], list[Figure]]

    @property
    def url_name(self) -> str:
        return f"insight:dashboard-{self.slug}"


def dashboards() -> dict[str, Dashboard]:
    """Every dashboard by slug, in the index's order (imported here, so a dashboard module may import this one)."""
    from . import cohort, flows, forecast, outcomes, spend, sufficiency, timeliness

    modules = [cohort, flows, timeliness, outcomes, sufficiency, spend, forecast]
    return {module.DASHBOARD.slug: module.DASHBOARD for module in modules}
