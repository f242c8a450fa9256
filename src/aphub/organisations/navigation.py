"""Navigation per role, derived from the views it leads to.

NAVIGATION is every page a role may reach from the shell, as (label, url name) only: which roles see an entry is
read from the view the url name resolves to (`role_required`'s roles, `access.roles_of`), so the navigation cannot
offer a page its view refuses, nor hide one a new role is given. HEADER picks the few each role uses every day for
the header (GOV.UK service navigation: a handful of items, the rest from the home page). With "Find AP" and
"Sign out" the header holds at most HEADER_LIMIT items; the home page lists the others under "Other pages".
"""

from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve, reverse

from .access import roles_of
from .models import Membership, Role

# (label, url name), in the order the home page's "Other pages" lists them.
NAVIGATION: list[tuple[str, str]] = [
    ("Home", "organisations:home"),
    ("Worklist", "duties:worklist"),
    ("Pupils", "placements:pupils"),
    ("Placements", "placements:placements"),
    ("Waiting lists", "placements:waiting-list"),
    ("Routes", "placements:routes"),
    ("Referrals", "placements:referrals"),
    ("Panel", "placements:panel"),
    ("Overdue reviews", "placements:overdue-reviews"),
    ("Follow-ups", "placements:follow-ups"),
    ("Registers", "placements:attendance-register"),
    ("Attendance", "placements:attendance-rates"),
    ("Provisions", "directory:manage"),
    ("Applications", "commissioning:applications"),
    ("Evidence", "commissioning:evidence"),
    ("Access log", "audit:access-log"),
    ("API tokens", "organisations:api-tokens"),
    ("Funding", "funding:lines"),
    ("Arrangements", "commissioning:arrangements-manage"),
    ("Evaluations", "commissioning:evaluations"),
    ("School calendar", "duties:calendar"),
    ("Policy", "duties:policy"),
    ("Quality", "commissioning:quality"),
    ("Visits", "commissioning:quality-visits"),
    ("Provider checks", "commissioning:quality-checks"),
    ("Absences", "placements:absences"),
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
}


@cache
def view_roles(url_name: str, *args: object) -> frozenset[str]:
    """The roles the view behind `url_name` admits (computed once per url name). A view that declares none is a
    mistake here: navigation leads only to pages a role is checked for."""
    roles = roles_of(resolve(reverse(url_name, args=args)).func)
    if roles is None:
        raise ImproperlyConfigured(f"{url_name} is not role-protected (role_required), so it cannot be navigated to")
    return roles


def may_open(membership: Membership | None, url_name: str, *args: object) -> bool:
    """The view behind `url_name` admits the membership's role: a link to it is shown only then."""
    return membership is not None and membership.role in view_roles(url_name, *args)


def pages_for(membership: Membership | None) -> list[tuple[str, str]]:
    """(label, url name) of every page of the role's navigation, in NAVIGATION's order."""
    return [(label, url_name) for label, url_name in NAVIGATION if may_open(membership, url_name)]


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
