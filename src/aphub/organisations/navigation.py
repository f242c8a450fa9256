"""Navigation per role. Each app adds its entries here as it gains pages for a role."""

from django.urls import reverse

from .models import Role

# (label, url name, roles that see it)
NAVIGATION: list[tuple[str, str, frozenset[str]]] = [
    ("Home", "organisations:home", frozenset(Role.values)),
    ("Provisions", "directory:manage", frozenset({Role.LA_ADMIN, Role.LA_OFFICER, Role.PROVIDER_STAFF})),
    ("Access log", "audit:access-log", frozenset({Role.LA_ADMIN, Role.AUDITOR})),
    ("API tokens", "organisations:api-tokens", frozenset({Role.LA_ADMIN, Role.PROVIDER_STAFF})),
    ("Provisions", "directory:manage", frozenset({Role.AUDITOR})),  # read-only: the directory's approvals
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
