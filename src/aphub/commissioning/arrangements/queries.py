"""Reads of commercial arrangements and their lots or parts.

Staff reads start from `CommercialArrangement.objects.visible_to(user)`: LA staff see their LA's arrangements and
those shared with it. The public reads (pages and OCDS) see published arrangements only, through `published_*`.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from aphub.commissioning.arrangements.criteria import Criterion, criteria_for_lot
from aphub.commissioning.models import Admission, CommercialArrangement, Contract, Lot
from aphub.organisations.models import LocalAuthority, User
from aphub.organisations.queries import membership_of


@dataclass(frozen=True)
class LotCriteria:
    lot: Lot
    criteria: list[Criterion]


def arrangements_visible_to(user: User | None) -> QuerySet[CommercialArrangement]:
    return CommercialArrangement.objects.visible_to(user)


def managed_arrangements(user: User | None) -> QuerySet[CommercialArrangement]:
    """The LA's own and shared arrangements, drafts first, for the staff list."""
    return (
        arrangements_visible_to(user)
        .select_related("owner")
        .prefetch_related("lots", "partners")
        .order_by("-starts_on", "title", "pk")
    )


def arrangement_for_staff(user: User | None, pk: int) -> CommercialArrangement | None:
    return (
        arrangements_visible_to(user).select_related("owner").prefetch_related("partners", "lots").filter(pk=pk).first()
    )


def lot_for_staff(user: User | None, pk: int) -> Lot | None:
    visible = arrangements_visible_to(user).values("pk")
    return (
        Lot.objects.select_related("arrangement", "arrangement__owner").filter(arrangement__in=visible, pk=pk).first()
    )


def partner_choices(user: User | None) -> QuerySet[LocalAuthority]:
    """Councils an officer may share an arrangement with: every other LA (their names are public)."""
    membership = membership_of(user)
    if membership is None or not membership.local_authority_id:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.exclude(pk=membership.local_authority_id).order_by("name")


def lots_with_criteria(arrangement: CommercialArrangement) -> list[LotCriteria]:
    """Each lot with the criteria it asks for, as the data file words them (titles, guidance, evidence)."""
    return [LotCriteria(lot=lot, criteria=criteria_for_lot(lot)) for lot in arrangement.lots.all()]


# -- Public ---------------------------------------------------------------------------------------------------


def published_arrangements() -> QuerySet[CommercialArrangement]:
    """What the public sees: published arrangements, open ones first."""
    return (
        CommercialArrangement.objects.published()
        .select_related("owner")
        .prefetch_related("lots", "partners")
        .order_by("-status", "-starts_on", "title", "pk")  # "open" sorts after "closed"
    )


def public_arrangement(reference: str) -> CommercialArrangement | None:
    return published_arrangements().filter(reference=reference).first()


def published_for_ocds(reference: str | None = None) -> QuerySet[CommercialArrangement]:
    """Published arrangements with everything OCDS publishes about them: lots, admissions and contracts.

    Placements are not read here at all: OCDS never carries pupil data.
    """
    arrangements = CommercialArrangement.objects.published()
    if reference is not None:
        arrangements = arrangements.filter(reference=reference)
    return (
        arrangements.select_related("owner")
        .prefetch_related(
            "partners",
            Prefetch("lots", queryset=Lot.objects.order_by("number")),
            Prefetch(
                "lots__admissions",
                queryset=Admission.objects.select_related("provider").order_by("admitted_on", "pk"),
            ),
            Prefetch("contracts", queryset=Contract.objects.select_related("provider").order_by("starts_on", "pk")),
        )
        .order_by("published_at", "pk")
    )
