"""Navigation per role. Each app adds its entries here as it gains pages for a role."""

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
]


def navigation_for(membership, path: str = "") -> list[dict[str, object]]:
    if membership is None:
        return []
    items = []
    for label, url_name, roles in NAVIGATION:
        if membership.role in roles:
            url = reverse(url_name)
            items.append({"label": label, "url": url, "active": path.startswith(url) and url != "/"})
    return items
