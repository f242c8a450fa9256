"""Every URL pattern of the project, read from Django's resolver, and the registries the generated tests use.

When you add a page:
- a public page: add its URL name to PUBLIC_URL_NAMES (and say why in a comment);
- a page with an object in its URL (`<int:pk>`, `<slug:code>`...): add one line to OBJECT_MAKERS saying how to
  make such an object owned by the *other* organisations of the World (LA Y, school B, provider P2).
The tests fail until you do, so no page escapes the access checks.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# THE public allow-list: URL names anyone may open without signing in. Everything else needs sign-in.
PUBLIC_URL_NAMES = frozenset(
    {
        # The public directory (seed 004, action 7): parents, carers and young people use it.
        "directory:search",
        "directory:provision",
        "organisations:sign-in",
        # Sign-out is harmless without a session (POST only).
        "organisations:sign-out",
        # The Open Referral UK API publishes the public directory for other directories to reuse.
        "api:openapi-json",
        "api:openapi-view",
        "api:api_info",
        "api:list_services",
        "api:get_service",
        "api:list_service_at_locations",
        "api:get_service_at_location",
        "api:list_organizations",
        "api:get_organization",
        "api:list_taxonomies",
        "api:get_taxonomy",
        "api:list_taxonomy_terms",
        "api:get_taxonomy_term",
        # Published commercial arrangements are public notices: providers read the lots and criteria before they
        # sign in to apply (issue 4); drafts are a 404 there. The OCDS feed publishes the same, never pupil data.
        "commissioning:public-arrangements",
        "commissioning:public-arrangement",
        "api:ocds_releases",
    }
)

_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class UrlUnderTest:
    name: str | None
    route: str  # e.g. "provisions/<int:pk>/edit/"
    callback: Callable
    kwargs: dict[str, str] = field(default_factory=dict)  # kwarg name -> converter name

    @property
    def is_public(self) -> bool:
        return self.name in PUBLIC_URL_NAMES

    @property
    def label(self) -> str:
        return f"{self.name or '(unnamed)'} /{self.route}"

    def path(self, values: dict[str, object]) -> str:
        def fill(match: re.Match) -> str:
            return str(values[match.group("name")])

        return "/" + _CONVERTER.sub(fill, self.route)

    @property
    def roles(self) -> frozenset[str] | None:
        """The roles a view declares through role_required or RoleRequiredMixin; None when it declares none."""
        roles = getattr(self.callback, "aphub_roles", None)
        if roles is None and hasattr(self.callback, "view_class"):
            declared = getattr(self.callback.view_class, "roles", None)
            if declared:
                from aphub.organisations.access import _flatten

                roles = _flatten(declared)
        return roles


def _walk(resolver: URLResolver, prefix: str, namespace: str | None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            if route.startswith("^") or "(?P" in route:
                raise AssertionError(f"{route}: regex URL patterns are not walked; use path() instead")
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            kwargs = {m.group("name"): m.group("converter") or "str" for m in _CONVERTER.finditer(route)}
            yield UrlUnderTest(name=name, route=route, callback=entry.callback, kwargs=kwargs)


def all_urls() -> list[UrlUnderTest]:
    return list(_walk(get_resolver(), "", None))


def plausible_value(converter: str) -> object:
    """A well-formed value for a kwarg that names no real object (public pages, API ids)."""
    return {"int": 1, "uuid": uuid.UUID(int=1), "slug": "a-slug", "path": "a/path"}.get(converter, "abc123")
