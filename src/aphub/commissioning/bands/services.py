"""Writes to the LA's table of top-up bands (issue 13, decision 0030): add a band, change it, retire it.

A band is for one provision, for the providers admitted to one lot, or for every provision of the LA. A band in use
is retired rather than deleted, so the placements offered at it keep it; changing a band's amount changes only the
offers made after it (the placement keeps its top-up at offer). Each change is in the access log.
"""

from decimal import Decimal
from typing import NotRequired, TypedDict, Unpack

from django.db import IntegrityError, transaction

from aphub.audit.services import log_access
from aphub.commissioning.bands import limits
from aphub.commissioning.models import Lot, TopUpBand
from aphub.commissioning.permissions import can_set_top_up_bands
from aphub.core.clock import now
from aphub.core.errors import DomainError, Problems
from aphub.core.forms.validators import check_limit, check_required
from aphub.core.permissions import require
from aphub.directory.models import Provision
from aphub.organisations.models import User
from aphub.organisations.queries import membership_of

NOT_PERMITTED = "Only the council's finance officers, admins and officers can change its top-up bands"
LABEL_MISSING = "Enter the band's name"
BOTH_SCOPES = "Choose a provision or a lot, not both: a band is for one of them, or for every provision"


def _local_authority_id(user: User) -> int:
    membership = membership_of(user)
    require(can_set_top_up_bands(membership), NOT_PERMITTED)
    assert membership is not None and membership.local_authority_id is not None
    return membership.local_authority_id


def _checked(
    *,
    local_authority_id: int,
    code: str,
    label: str,
    annual_amount: Decimal | None,
    provision: Provision | None = None,
    lot: Lot | None = None,
    band: TopUpBand | None = None,
) -> dict:
    """The band's terms as they will be stored; every problem raised at once."""
    problems = Problems()
    terms: dict = {"provision": provision, "lot": lot}
    with problems.check():
        terms["code"] = check_limit(limits.code, code, field="code")
    terms["label"] = check_required(problems, limits.label, label, field="label", missing=LABEL_MISSING)
    with problems.check():
        terms["annual_amount"] = check_limit(limits.annual_amount, annual_amount, field="annual_amount")
    if provision is not None and lot is not None:
        problems.add(BOTH_SCOPES, field="provision")
    elif provision is not None and provision.local_authority_id != local_authority_id:
        problems.add("Choose a provision in the council's directory", field="provision")
    elif lot is not None and lot.arrangement.owner_id != local_authority_id:
        problems.add("Choose a lot of one of the council's own arrangements", field="lot")
    elif "code" in terms:
        same = TopUpBand.objects.filter(
            local_authority_id=local_authority_id, code=terms["code"], active=True, provision=provision, lot=lot
        )
        if band is not None:
            same = same.exclude(pk=band.pk)
        if same.exists():
            problems.add(f"There is already a band {terms['code']} for {_scope_words(provision, lot)}", field="code")
    problems.raise_any()
    return terms


def _scope_words(provision: Provision | None, lot: Lot | None) -> str:
    if provision is not None:
        return provision.name
    if lot is not None:
        return str(lot)
    return "every provision"


def _saved(band: TopUpBand) -> TopUpBand:
    # Two people adding the same band at once: the database's unique index refuses the second.
    try:
        with transaction.atomic():
            band.save()
    except IntegrityError:
        raise DomainError(
            f"There is already a band {band.code} for {_scope_words(band.provision, band.lot)}", field="code"
        ) from None
    return band


class BandTerms(TypedDict):
    """What a band says, as add_band and update_band take it (and the band form cleans it)."""

    code: str
    label: str
    annual_amount: Decimal | None
    provision: NotRequired[Provision | None]  # for one provision, or
    lot: NotRequired[Lot | None]  # for the providers admitted to one lot; neither: for every provision


def add_band(*, user: User, **terms: Unpack[BandTerms]) -> TopUpBand:
    """A new band in the user's LA's table, in use from now."""
    return _write(user, None, **terms)


def update_band(*, user: User, band: TopUpBand, **terms: Unpack[BandTerms]) -> TopUpBand:
    """The band's new terms. Placements already offered at it keep their top-up (Placement.annual_top_up)."""
    return _write(user, band, **terms)


@transaction.atomic
def _write(user: User, band: TopUpBand | None, **typed: Unpack[BandTerms]) -> TopUpBand:
    """Add a band (`band` None) or change one, after checking every term at once."""
    local_authority_id = _local_authority_id(user)
    if band is not None:
        band = TopUpBand.objects.select_for_update().get(pk=band.pk)
        require(band.local_authority_id == local_authority_id, NOT_PERMITTED)
        if not band.active:
            raise DomainError(f"Band {band.code} is retired: add a new band instead")
    terms = _checked(local_authority_id=local_authority_id, band=band, **typed)
    verb = "create" if band is None else "change"
    band = band or TopUpBand(local_authority_id=local_authority_id)
    for name, value in terms.items():
        setattr(band, name, value)
    _saved(band)
    log_access(user=user, obj=band, verb=verb)
    return band


@transaction.atomic
def retire_band(*, user: User, band: TopUpBand) -> TopUpBand:
    """No new offer can choose the band; the placements offered at it keep it, and their top-up."""
    local_authority_id = _local_authority_id(user)
    band = TopUpBand.objects.select_for_update().get(pk=band.pk)
    require(band.local_authority_id == local_authority_id, NOT_PERMITTED)
    if not band.active:
        raise DomainError(f"Band {band.code} is already retired")
    band.active = False
    band.retired_at = now()
    band.save(update_fields=["active", "retired_at"])
    log_access(user=user, obj=band, verb="change")
    return band
