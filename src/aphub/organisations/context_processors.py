from django.conf import settings

from .navigation import navigation_for
from .queries import membership_of
from .two_factor.services import is_verified


def shell(request):
    """What the page shell needs: the LA name in the header and the current membership for navigation."""
    membership = membership_of(getattr(request, "user", None))
    la = membership.home_local_authority if membership else None
    return {
        "service_name": settings.APHUB_SERVICE_NAME,
        "membership": membership,
        "header_organisation": la.name if la else "",
        # Before the second factor every role's page sends the user back to it (two_factor.middleware), so the role's
        # links are left out until then: Find AP and Sign out stay.
        "navigation": navigation_for(membership, request.path)
        if hasattr(request, "session") and is_verified(request)
        else [],
    }
