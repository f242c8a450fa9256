"""Who may open a page: sign-in plus a role, denied by default.

Every view that is not on the public allow-list is wrapped in `role_required`:

    @role_required(LA_EDITORS)
    def approvals(request): ...

    class ProvisionEdit(RoleRequiredMixin, View):
        roles = (Role.PROVIDER_STAFF,)

- The public is sent to the sign-in page (and back afterwards).
- A signed-in user whose current membership has another role, or who has no membership, gets the 403 page.
- The roles are kept on the view (`view.aphub_roles`) so tests generated from the URL list can check them.

Which *objects* a user may see is a different question, answered by `Model.objects.visible_to(user)`
(aphub.core.scoping): another organisation's object is a 404, the same as a missing one.
"""

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from aphub.core.permissions import require

from .models import ALL_ROLES, User
from .permissions import acts_as
from .queries import membership_of


def _flatten(roles: Iterable[str | Iterable[str]]) -> frozenset[str]:
    flat: set[str] = set()
    for role in roles:
        if isinstance(role, str):
            flat.add(str(role))
        else:
            flat.update(str(r) for r in role)
    unknown = flat - ALL_ROLES
    if unknown or not flat:
        raise ValueError(f"role_required needs known roles, not {sorted(unknown) or 'none'}")
    return frozenset(flat)


def check_role(request: HttpRequest, roles: frozenset[str]) -> HttpResponse | None:
    """None when the request may go on; else the sign-in redirect. A wrong role is refused with NotPermitted (a
    PermissionDenied: the 403 page)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(acts_as(membership_of(request.user), roles), "Your role does not give you access to this page.")
    return None


def role_required(*roles: str | Iterable[str]) -> Callable:
    """Decorate a view so only signed-in users acting in one of `roles` reach it."""
    allowed = _flatten(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            denied = check_role(request, allowed)
            if denied is not None:
                return denied
            return view(request, *args, **kwargs)

        wrapped.aphub_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def signed_in_required(view: Callable) -> Callable:
    """Any signed-in user, membership or not (the home page explains what to do without one)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    wrapped.aphub_roles = ALL_ROLES  # type: ignore[attr-defined]
    return wrapped


def roles_of(view: Callable) -> frozenset[str] | None:
    """The roles a view admits, as `role_required`, `signed_in_required` or `RoleRequiredMixin` declare them; None
    for a view that declares none (a public page)."""
    roles = getattr(view, "aphub_roles", None)
    view_class = getattr(view, "view_class", None)
    if roles is None and view_class is not None and getattr(view_class, "roles", None):
        roles = _flatten(view_class.roles)
    return roles


class RoleRequiredMixin:
    """The class-based form of `role_required`: set `roles` on the view."""

    roles: Iterable[str] = ()

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        denied = check_role(request, _flatten(self.roles))
        if denied is not None:
            return denied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class SignedInRequest(HttpRequest):
    """The request a page behind `role_required`, `signed_in_required` or `RoleRequiredMixin` gets, and an API
    operation behind a token or the session: its user has signed in, so it is a User and never AnonymousUser.

    For type hints only (django-stubs' documented pattern for such views): Django and django-ninja pass the same
    HttpRequest, and ninja recognises the request by its parameter's name.
    """

    user: User
