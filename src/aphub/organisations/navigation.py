"""Navigation per role, derived from the views it leads to.

NAVIGATION is every page a role may reach from the shell, as (label, url name): which roles see an entry is read
from the view of that name (`role_required`'s roles, `access.roles_of`), so the navigation cannot offer a page its
view refuses, and a role a view is given finds the page. An entry may name roles it is not offered to (`hidden_from`)
where a role may open a page but does not work from it; it can only take roles away from the view's, never add.

HEADER picks the few each role uses every day for the header (GOV.UK service navigation: a handful of items, the
rest from the home page). With "Find AP" and "Sign out" the header holds at most HEADER_LIMIT items; the home page
lists the others under "Other pages".
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from .access import roles_of
from .models import LA_STAFF, Membership, Role


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    # Roles the view admits but the navigation does not offer the page to: they reach it from another page.
    hidden_from: frozenset[str] = frozenset()


# In the order the home page's "Other pages" lists them.
NAVIGATION: list[Entry] = [
    Entry("Home", "organisations:home"),
    Entry("Worklist", "duties:worklist"),
    Entry("Pupils", "placements:pupils"),
    Entry("Placements", "placements:placements"),
    Entry("School-arranged AP", "placements:school-arranged"),
    Entry("Waiting lists", "placements:waiting-list"),
    Entry("Routes", "placements:routes"),
    # Providers see a referral from the placement offered to them.
    Entry("Referrals", "placements:referrals", hidden_from=frozenset({Role.PROVIDER_STAFF})),
    # The auditor reads the panel's decisions on each referral.
    Entry("Panel", "placements:panel", hidden_from=frozenset({Role.AUDITOR})),
    Entry("Overdue reviews", "placements:overdue-reviews"),
    Entry("Follow-ups", "placements:follow-ups"),
    # The LA's oversight of every child in AP, whoever arranged it (issue 12).
    Entry("On no registered roll", "placements:no-registered-roll"),
    Entry("Short of full-time education", "placements:short-of-full-time"),
    Entry("Registers", "placements:attendance-register"),
    # Providers work from their registers.
    Entry("Attendance", "placements:attendance-rates", hidden_from=frozenset({Role.PROVIDER_STAFF})),
    Entry("Provisions", "directory:manage"),
    # Providers outside the directory the LA's schools recorded AP at, to name (issue 12, decision 0026).
    Entry("Providers schools recorded", "placements:recorded-providers"),
    Entry("Applications", "commissioning:applications"),
    Entry("Evidence", "commissioning:evidence"),
    Entry("Access log", "audit:access-log"),
    # The retention schedule and the erasures an LA admin approves (issue 15).
    Entry("Retention and erasure", "audit:retention"),
    Entry("API tokens", "organisations:api-tokens"),
    # Anyone may add a security key or passkey as their second factor (decision 0044).
    Entry("Security keys", "organisations:security-keys"),
    # The LA admin gives colleagues their roles (decision 0027).
    Entry("Team", "organisations:team"),
    Entry("Funding", "funding:lines"),
    # The High Needs Block outturn and budget (issue 13).
    Entry("Outturn", "finance:outturn"),
    Entry("Budget", "finance:budget"),
    # What the finance officer takes to Schools Forum: the year's figures in one report and one spreadsheet.
    Entry("Schools Forum", "finance:forum"),
    Entry("Top-up bands", "commissioning:top-up-bands"),
    Entry("Place funding", "places:report"),
    # What each school owes the LA a term for the placements it arranged (issue 13).
    Entry("Recharges", "funding:recharge-statements"),
    # Every child in AP in the LA's area, whoever arranged it (issue 12).
    Entry("City-wide AP", "insight:city-wide"),
    Entry("Published figures", "insight:published-figures"),
    # Charts of the LA's AP with their tables, for officers and committees (issue 14).
    Entry("Dashboards", "insight:dashboards"),
    # The LA's AP strategy's actions, kept up to date by its officers (issue 14).
    Entry("Action plan", "insight:actions"),
    Entry("Arrangements", "commissioning:arrangements-manage"),
    Entry("Evaluations", "commissioning:evaluations"),
    Entry("School calendar", "duties:calendar"),
    Entry("Policy", "duties:policy"),
    Entry("Quality", "commissioning:quality"),
    # The LA reaches its visits from Quality.
    Entry("Visits", "commissioning:quality-visits", hidden_from=LA_STAFF),
    Entry("Provider checks", "commissioning:quality-checks"),
    # Absences are the officers' and schools' follow-up list.
    Entry("Absences", "placements:absences", hidden_from=frozenset({Role.AUDITOR})),
]

# Items in the header, counting its own two besides the role's: "Find AP" (the public directory) and "Sign out".
HEADER_LIMIT = 7

# Per role, the pages of NAVIGATION the header shows, in order: the lists the role works from daily. Home is not
# among them: the service name and the organisation's name at the header's start both lead there. Four at most, so
# the header stays on one line on a laptop beside a long council name.
HEADER: dict[str, tuple[str, ...]] = {
    Role.LA_OFFICER: ("duties:worklist", "placements:pupils", "placements:placements", "placements:referrals"),
    Role.LA_ADMIN: ("duties:worklist", "placements:pupils", "placements:placements", "audit:access-log"),
    Role.AUDITOR: ("audit:access-log", "placements:pupils", "placements:placements"),
    Role.SCHOOL_STAFF: ("duties:worklist", "placements:pupils", "placements:placements", "placements:referrals"),
    Role.PROVIDER_STAFF: ("placements:placements", "placements:attendance-register", "directory:manage"),
    Role.FINANCE_OFFICER: (
        "finance:outturn",
        "finance:forum",
        "funding:recharge-statements",
        "placements:placements",
    ),
}


def _views_by_name(resolver: URLResolver, namespace: str = "") -> dict[str, Callable]:
    views: dict[str, Callable] = {}
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            views.update(_views_by_name(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            views.setdefault(f"{namespace}{entry.name}", entry.callback)
    return views


@cache
def view_roles(url_name: str) -> frozenset[str]:
    """The roles the view named `url_name` admits (looked up once per name). A view that declares none is a mistake
    here: navigation and links lead only to pages whose roles are checked."""
    view = _views_by_name(get_resolver()).get(url_name)
    if view is None:
        raise NoReverseMatch(f"No view is named {url_name}")
    roles = roles_of(view)
    if roles is None:
        raise ImproperlyConfigured(f"{url_name} is not role-protected (role_required), so it cannot be navigated to")
    return roles


def may_open(membership: Membership | None, url_name: str) -> bool:
    """The view named `url_name` admits the membership's role: a link to it is shown only then."""
    return membership is not None and membership.role in view_roles(url_name)


def pages_for(membership: Membership | None) -> list[tuple[str, str]]:
    """(label, url name) of every page of the role's navigation, in NAVIGATION's order."""
    if membership is None:
        return []
    return [
        (entry.label, entry.url_name)
        for entry in NAVIGATION
        if may_open(membership, entry.url_name) and membership.role not in entry.hidden_from
    ]


def _item(label: str, url_name: str, path: str) -> dict[str, object]:
    url = reverse(url_name)
    return {"label": label, "url": url, "url_name": url_name, "active": path.startswith(url) and url != "/"}


def navigation_for(membership: Membership | None, path: str = "") -> list[dict[str, object]]:
    """The header's items for the role (HEADER), at most HEADER_LIMIT with Find AP and Sign out."""
    if membership is None:
        return []
    labels = dict((url_name, label) for label, url_name in pages_for(membership))
    chosen = [name for name in HEADER.get(membership.role, ()) if name in labels]
    return [_item(labels[name], name, path) for name in chosen]


def other_pages_for(membership: Membership | None) -> list[dict[str, object]]:
    """The role's pages that are not in its header, nor home itself: the home page's "Other pages"."""
    in_header = {"organisations:home", *HEADER.get(membership.role, ())} if membership is not None else set()
    return [_item(label, name, "") for label, name in pages_for(membership) if name not in in_header]
