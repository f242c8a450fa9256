"""Reads of the LA's top-up bands: its band table, and the bands an offer at a provision may choose from.

No child's record here: a band is the LA's price list, so nothing is access-logged.
"""

from django.db.models import Q, QuerySet

from aphub.commissioning.models import Admission, Lot, TopUpBand
from aphub.directory.models import Provision
from aphub.organisations.models import User


def band_table(user: User) -> QuerySet[TopUpBand]:
    """The bands of the user's LA, in use first, then retired, each by scope and code."""
    return (
        TopUpBand.objects.visible_to(user)
        .select_related("provision", "lot__arrangement")
        .order_by("-active", "provision__name", "lot__number", "code", "pk")
    )


def band_for(user: User, pk: int) -> TopUpBand | None:
    """One band of the user's LA; another LA's is None, the same as a missing one."""
    return TopUpBand.objects.visible_to(user).select_related("provision", "lot__arrangement").filter(pk=pk).first()


def provisions_for_bands(local_authority_id: int) -> QuerySet[Provision]:
    """The provisions in the LA's directory a band may be for (a retired or draft one has no new offers)."""
    return (
        Provision.objects.filter(local_authority_id=local_authority_id, status=Provision.Status.PUBLISHED)
        .select_related("provider")
        .order_by("name")
    )


def lots_for_bands(local_authority_id: int) -> QuerySet[Lot]:
    """The lots (or parts) of the LA's own arrangements a band may be for."""
    return Lot.objects.filter(arrangement__owner_id=local_authority_id).select_related("arrangement")


def la_has_bands(local_authority_id: int) -> bool:
    """Whether the LA prices top-ups by band: it has at least one band in use (decision 0030)."""
    return TopUpBand.objects.filter(local_authority_id=local_authority_id, active=True).exists()


def bands_for_offer(*, local_authority_id: int, provision: Provision | None) -> list[TopUpBand]:
    """The bands in use that an offer at `provision` may choose: the provision's own, then those of the lots its
    provider is admitted to, then the LA-wide ones. With no provision chosen yet, every band of the LA, in that
    order, so the page can list them all and the service refuses one that does not fit the provision."""
    bands = TopUpBand.objects.filter(local_authority_id=local_authority_id, active=True).select_related(
        "provision", "lot__arrangement"
    )
    if provision is not None:
        admitted_lots = Admission.objects.filter(
            provider_id=provision.provider_id, status=Admission.Status.ADMITTED
        ).values("lot_id")
        bands = bands.filter(
            Q(provision=provision) | Q(lot_id__in=admitted_lots) | Q(provision__isnull=True, lot__isnull=True)
        )

    def specific_first(band: TopUpBand) -> tuple:
        if band.provision is not None:
            return (0, band.provision.name, 0, band.code)
        return (1 if band.lot_id else 2, "", band.lot_id or 0, band.code)

    return sorted(bands, key=specific_first)


def band_by_code(*, local_authority_id: int, provision: Provision, code: str) -> TopUpBand | None:
    """The band of this code that applies to an offer at `provision`, the most specific first (the provision's own
    band A before its lot's band A before the LA's band A); None when none does."""
    wanted = code.strip().upper()
    return next(
        (b for b in bands_for_offer(local_authority_id=local_authority_id, provision=provision) if b.code == wanted),
        None,
    )


def band_named(*, local_authority_id: int, provision: Provision, code: str) -> TopUpBand:
    """The band an offer names by its code (the API), for the offer's service to judge as it judges the page's
    choice: the band of that code that applies to the provision (band_by_code), else the LA's band of that code in
    use for another scope (the service says whom it is for), else its retired one, else an unsaved band of that code,
    in no table (the service says to choose a band in use). So the API says the page's sentences, all at once."""
    found = band_by_code(local_authority_id=local_authority_id, provision=provision, code=code)
    if found is not None:
        return found
    wanted = code.strip().upper()
    other = (
        TopUpBand.objects.filter(local_authority_id=local_authority_id, code=wanted)
        .select_related("provision", "lot__arrangement")
        .order_by("-active", "-pk")
        .first()
    )
    return other if other is not None else TopUpBand(local_authority_id=local_authority_id, code=wanted)
