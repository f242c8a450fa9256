"""Setting the places an LA commissions at a provision for an academic year (writes; reads are queries.py)."""

from decimal import Decimal

from django.db import transaction

from aphub.audit.services import log_access
from aphub.commissioning.models import CommissionedPlaces, PlacePayer
from aphub.commissioning.permissions import can_set_commissioned_places
from aphub.core.clock import now
from aphub.core.errors import Problems
from aphub.core.forms.validators import check_limit
from aphub.core.permissions import require
from aphub.directory.models import Provision
from aphub.organisations.models import User
from aphub.organisations.queries import membership_of

from . import limits

PAYER = "Choose who pays the place funding"


def set_commissioned_places(
    *,
    user: User,
    provision: Provision,
    academic_year: int,
    places: int,
    rate_per_place: Decimal,
    payer: str,
) -> CommissionedPlaces:
    """The provision's commissioned places for the academic year, made or changed (one row per provision and year).
    Every problem is told at once."""
    require(
        can_set_commissioned_places(membership_of(user), provision.local_authority_id),
        "Only the local authority's officers, admins and finance officers can set its commissioned places.",
    )
    problems = Problems()
    if provision.status == Provision.Status.RECORDED:
        problems.add("Commissioned places are set only at provisions in the local authority's directory")
    with problems.check():
        academic_year = check_limit(limits.academic_year, academic_year, field="academic_year")
    with problems.check():
        places = check_limit(limits.places, places, field="places")
    with problems.check():
        rate_per_place = check_limit(limits.rate_per_place, rate_per_place, field="rate_per_place")
    if payer not in PlacePayer.values:
        problems.add(PAYER, field="payer")
    problems.raise_any()
    values = {
        "local_authority_id": provision.local_authority_id,
        "places": places,
        "rate_per_place": rate_per_place,
        "payer": payer,
        "updated_by": user,
        "updated_at": now(),
    }
    with transaction.atomic():
        commissioned, made = CommissionedPlaces.objects.select_for_update().update_or_create(
            provision=provision, academic_year=academic_year, defaults=values
        )
        log_access(user=user, obj=commissioned, verb="create" if made else "change")
    return commissioned
