"""Navigation per role. Each app adds its entries here as it gains pages for a role.

NAVIGATION is every page a role reaches from the shell; HEADER picks the few each role uses every day for the header
(GOV.UK service navigation: a handful of items, the rest from the home page). With "Find AP" and "Sign out" the header
holds at most HEADER_LIMIT items; the home page lists the others under "Other pages".
"""

from django.urls import reverse

from .models import Role

# (label, url name, roles that see it)
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("Home", "organisations:home", frozenset(Role.values)),
    ("Worklist", "duties:worklist", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF})),
    ("Pupils", "placements:pupils", frozenset(Role.values)),
    ("Placements", "placements:placements", frozenset(Role.values)),
    ("Waiting lists", "placements:waiting-list", frozenset(Role.values)),
    ("Routes", "placements:routes", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR})),
    (
        "Referrals",
        "placements:referrals",
        frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF}),
    ),
    ("Panel", "placements:panel", frozenset({Role.LA_ADMIN, Role.LA_OFFICER})),
    (
        "Overdue reviews",
        "placements:overdue-reviews",
        frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF}),
    ),
    ("Follow-ups", "placements:follow-ups", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF})),
    ("Registers", "placements:attendance-register", frozenset({Role.PROVIDER_STAFF})),
    (
        "Attendance",
        "placements:attendance-rates",
        frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF}),
    ),
    ("Provisions", "directory:manage", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.PROVIDER_STAFF})),
    ("Applications", "commissioning:applications", frozenset({Role.PROVIDER_STAFF})),
    ("Evidence", "commissioning:evidence", frozenset({Role.PROVIDER_STAFF})),
    ("Access log", "audit:access-log", frozenset({Role.LA_ADMIN, Role.AUDITOR})),
    ("API tokens", "organisations:api-tokens", frozenset({Role.LA_ADMIN, Role.PROVIDER_STAFF})),
    ("Provisions", "directory:manage", frozenset({Role.AUDITOR})),  # read-only: the directory's approvals
    ("Funding", "funding:lines", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF})),
    ("Arrangements", "commissioning:arrangements-manage", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR})),
    ("Evaluations", "commissioning:evaluations", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR})),
    ("School calendar", "duties:calendar", frozenset({Role.LA_ADMIN})),
    ("Policy", "duties:policy", frozenset({Role.LA_ADMIN})),
    ("Quality", "commissioning:quality", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.AUDITOR})),
    ("Visits", "commissioning:quality-visits", frozenset({Role.PROVIDER_STAFF})),
    ("Provider checks", "commissioning:quality-checks", frozenset({Role.SCHOOL_STAFF})),
    ("Absences", "placements:absences", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.SCHOOL_STAFF})),
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


def pages_for(membership) -> list[tuple[str, str]]:
    """(label, url name) of every page of the role's navigation, each once, in NAVIGATION's order."""
    if membership is None:
        return []
    pages, seen = [], set()
    for label, url_name, roles in NAVIGATION:
        if membership.role in roles and url_name not in seen:
            seen.add(url_name)
            pages.append((label, url_name))
    return pages


def _item(label: str, url_name: str, path: str) -> dict[str, object]:
    url = reverse(url_name)
    return {"label": label, "url": url, "url_name": url_name, "active": path.startswith(url) and url != "/"}


def navigation_for(membership, path: str = "") -> list[dict[str, object]]:
    """The header's items for the role (HEADER), at most HEADER_LIMIT with Find AP and Sign out."""
    if membership is None:
        return []
    labels = dict((url_name, label) for label, url_name in pages_for(membership))
    chosen = [name for name in HEADER.get(membership.role, ()) if name in labels]
    return [_item(labels[name], name, path) for name in chosen]


def other_pages_for(membership) -> list[dict[str, object]]:
    """The role's pages that are not in its header, nor home itself: the home page's "Other pages"."""
    in_header = {"organisations:home", *HEADER.get(membership.role, ())} if membership is not None else set()
    return [_item(label, name, "") for label, name in pages_for(membership) if name not in in_header]
