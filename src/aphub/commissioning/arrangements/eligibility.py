"""Which lots a provision may take placements under: those its provider is admitted to and not suspended or removed.

Placements call this module (placements.services.offer_placement, the offer form, the placement page and the
agreement); it only reads. Admission, suspension and removal are written by commissioning.evaluation.services and
commissioning.quality.services.
"""

from django.db.models import Q, QuerySet

from aphub.commissioning.models import Admission, CommercialArrangement, Contract, Lot
from aphub.directory.models import Provision
from aphub.organisations.models import LA_ROLES, Role
from aphub.organisations.queries import membership_of


def eligible_lots(provision: Provision) -> QuerySet[Lot]:
    """The lots whose admission of the provision's provider is ADMITTED (a suspended or removed one is not)."""
    return (
        Lot.objects.filter(admissions__provider_id=provision.provider_id, admissions__status=Admission.Status.ADMITTED)
        .select_related("arrangement")
        .order_by("arrangement__title", "arrangement_id", "number")
    )


def arrangements_of(local_authority_id: int | None) -> QuerySet[CommercialArrangement]:
    """The arrangements a council buys under: those it owns and those it shares as a partner."""
    if local_authority_id is None:
        return CommercialArrangement.objects.none()
    return CommercialArrangement.objects.filter(Q(owner_id=local_authority_id) | Q(partners=local_authority_id))


def ineligibility(
    *, provision: Provision, lot: Lot, local_authority_id: int | None, for_update: bool = False
) -> str | None:
    """Why a placement at `provision` cannot be bought under `lot` by a commissioner of that LA; None when it can.

    The sentence names the provider, the lot and the admission's state, so the commissioner knows what to do.
    `for_update` locks the admission row until the caller's transaction ends, so a suspension recorded at the same
    moment waits for the offer, or the offer sees it.
    """
    provider = provision.provider
    lot_name = f"{lot} of {lot.arrangement.title}"
    if not arrangements_of(local_authority_id).filter(pk=lot.arrangement_id).exists():
        return f"{lot_name} is not one of your local authority's arrangements; choose one of its own lots or parts"
    admissions = Admission.objects.filter(provider_id=provider.pk, lot_id=lot.pk)
    if for_update:
        admissions = admissions.select_for_update()
    admission = admissions.first()
    if admission is None:
        return f"{provider.display_name} is not admitted to {lot_name}; choose a lot it is admitted to, or none"
    if admission.status == Admission.Status.SUSPENDED:
        return (
            f"{provider.display_name} is suspended on {lot_name}, so it cannot take new placements under it "
            "while the suspension lasts; choose another lot, or none"
        )
    if admission.status == Admission.Status.REMOVED:
        return f"{provider.display_name} has been removed from {lot_name} and can no longer take placements under it"
    return None


def _commissioner_la_id(user) -> int | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role in LA_ROLES:
        return membership.local_authority_id
    if membership.role == Role.SCHOOL_STAFF:
        assert membership.school is not None  # a school role's membership names its school (check constraint)
        return membership.school.local_authority_id
    return None


def lot_admissions(user, *, only_admitted: bool = True) -> QuerySet[Admission]:
    """Admissions to the lots of the commissioner's LA's arrangements, every provider's, in the order a list shows.

    The offer form lists the admitted ones (no JavaScript narrows them to the chosen provision) and accepts any of
    them, so an admission suspended since the page was drawn gets offer_placement's message, not "not in the list".
    """
    la_id = _commissioner_la_id(user)
    if la_id is None:
        return Admission.objects.none()
    admissions = Admission.objects.visible_to(user).filter(lot__arrangement__in=arrangements_of(la_id).values("pk"))
    if only_admitted:
        admissions = admissions.eligible()
    return admissions.select_related("provider", "lot__arrangement").order_by(
        "provider__legal_name", "lot__arrangement__title", "lot__number", "pk"
    )


def contract_for(*, provider_id: int, lot: Lot | None) -> Contract | None:
    """The provider's contract under the lot's arrangement, when there is one (placement page and agreement)."""
    if lot is None:
        return None
    return Contract.objects.filter(provider_id=provider_id, arrangement_id=lot.arrangement_id).first()
