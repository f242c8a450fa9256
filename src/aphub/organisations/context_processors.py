from django.conf import settings

from .navigation import navigation_for
from .queries import membership_of


def shell(request):
    """What the page shell needs: the LA name in the header and the current membership for navigation."""
    membership = membership_of(getattr(request, "user", None))
    la = membership.home_local_authority if membership else None
    return {
        "service_name": settings.APHUB_SERVICE_NAME,
        "membership": membership,
        "header_organisation": la.name if la else "",
        "navigation": navigation_for(membership, request.path),
    }
