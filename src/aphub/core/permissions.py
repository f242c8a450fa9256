"""Write permission, the other half of scoping (decision 0021).

`Model.objects.visible_to(user)` (core.scoping) decides which objects a user SEES. Whether they may CHANGE one is
asked of small functions, one per action, in each app's `permissions.py`:

    def can_change_arrangement(membership, arrangement) -> bool:
        return is_la_editor_of(membership, arrangement.owner_id)

(NetBox's `restrict(user, action)` is the model.) The same function is asked by the service, which insists, and by
the page, which shows the button only when it is true:

    require(can_change_arrangement(membership, arrangement), "Only officers of the council ... can change it.")

`require` raises `NotPermitted`, which is a 403 everywhere: on a page (inside `core.web.views.service_call`, or raised
by the view itself, as it is also Django's `PermissionDenied`) and in the API (aphub.api).
"""

from aphub.core.errors import NotPermitted


def require(allowed: bool, message: str) -> None:
    """Go on when `allowed`; else refuse with `message`, the sentence the user (or the API client) reads."""
    if not allowed:
        raise NotPermitted(message)
