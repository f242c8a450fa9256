"""Insight's dashboards (issue 14): each a page of figures (core.figures: a chart, its summary and its table) about the
LA's AP over a period, for LA staff, with the same filters (filters.DashboardForm) and every table downloadable.

A dashboard is a `Dashboard`: a slug (its URL), a title, a sentence on what it answers, and `build(user, filters)`,
which reads the other apps through querysets scoped to the user (`visible_to`) and returns its figures. Each one's
queries aggregate in the database (GROUP BY, not Python loops over placements): the large LA renders each page in
under 500 ms (`make bench`). The committee pack (insight.pack) takes its figures from these same builders.

To add one: write a module here with `DASHBOARD = Dashboard(...)` and add it to `DASHBOARDS` below, in the order the
index page lists them.
"""

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

from aphub.core.clock import now
from aphub.core.figures import Figure
from aphub.organisations.models import User

from .filters import DashboardFilters


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    description: str
    build: Callable[[User, DashboardFilters], list[Figure]]
    # A paragraph of the dashboard's own under its description (a template), and its context for the user.
    aside_template: str = ""
    aside: Callable[[User], dict] | None = None

    @property
    def url_name(self) -> str:
        return f"insight:dashboard-{self.slug}"


# How long a dashboard's figures are kept once drawn: an officer moving between filters and a committee member
# opening the same page get them at once; a record changed since shows within five minutes (the page says when the
# figures were drawn). The committee pack and the downloads' numbers come from the same kept figures.
FIGURES_SECONDS = 300


@dataclass(frozen=True)
class Drawn:
    figures: list[Figure]
    at: datetime.datetime


def drawn(dashboard: Dashboard, user: User, filters: DashboardFilters) -> Drawn:
    """The dashboard's figures for the user's LA and role (a role may be shown fewer figures) and the filters, drawn
    now or within the last FIGURES_SECONDS."""
    from aphub.organisations.queries import membership_of

    membership = membership_of(user)
    if membership is None:
        return Drawn(dashboard.build(user, filters), now())
    chosen = hashlib.sha256(repr(filters).encode()).hexdigest()[:32]
    generation = cache.get(_generation_key(membership.local_authority_id), 0)
    key = f"insight:figures:{dashboard.slug}:{membership.local_authority_id}:{generation}:{membership.role}:{chosen}"
    return cache.get_or_set(key, lambda: Drawn(dashboard.build(user, filters), now()), FIGURES_SECONDS)


def _generation_key(local_authority_id: int | None) -> str:
    return f"insight:figures-generation:{local_authority_id}"


def figures_changed(local_authority_id: int) -> None:
    """The LA's kept figures are drawn afresh at the next look: after a change made in insight itself (a published
    series loaded), which the user expects to see at once rather than within FIGURES_SECONDS."""
    key = _generation_key(local_authority_id)
    cache.set(key, cache.get(key, 0) + 1, None)


def dashboards() -> dict[str, Dashboard]:
    """Every dashboard by slug, in the index's order (imported here, so a dashboard module may import this one)."""
    from . import cohort, flows, forecast, outcomes, spend, sufficiency, timeliness

    modules = [cohort, flows, timeliness, outcomes, sufficiency, spend, forecast]
    return {module.DASHBOARD.slug: module.DASHBOARD for module in modules}
