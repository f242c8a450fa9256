"""Writes of a child's journey: routes, episodes, placements and their lifecycle."""

import json
from pathlib import Path

from django.db import transaction

from aphub.organisations.models import LocalAuthority

from .models import Route

ROUTES_FILE = Path(__file__).resolve().parent / "data" / "routes.json"


def default_routes() -> list[dict]:
    return json.loads(ROUTES_FILE.read_text())["routes"]


@transaction.atomic
def ensure_routes(*, local_authority: LocalAuthority) -> list[Route]:
    """Give an LA the default routes of seed 004 section 7 where it has none of that kind; never overwrite its own."""
    have = set(Route.objects.filter(local_authority=local_authority).values_list("kind", flat=True))
    created = [
        Route(local_authority=local_authority, position=position, **route)
        for position, route in enumerate(default_routes())
        if route["kind"] not in have
    ]
    Route.objects.bulk_create(created)
    return list(Route.objects.filter(local_authority=local_authority))
