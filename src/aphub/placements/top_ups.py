"""The top-up of an offer (issue 13, decision 0030): a band of the LA's table, or an exception with its amount and
reason, where the LA prices top-ups by band; the annual cost agreed, as before, where it does not.

Bands are the LA's price list for the placements it commissions: an LA with at least one band in use chooses from
them on its offers (commissioning.bands.queries.la_has_bands); a school buying AP itself pays the top-up and agrees
its own price, so it gives the annual cost, as an LA with no bands does. The annual cost of a banded offer is place
funding plus the top-up when the route pays place funding, else the top-up (funding.planning).
"""

from dataclasses import dataclass
from decimal import Decimal

from aphub.commissioning.bands.queries import bands_for_offer, la_has_bands
from aphub.commissioning.models import TopUpBand
from aphub.core.errors import Problems
from aphub.core.forms.validators import check_limit, check_required
from aphub.directory.models import Provision
from aphub.funding import services as funding
from aphub.organisations.models import SCHOOL_ROLES, Membership
from aphub.organisations.permissions import acts_as
from aphub.pupils.models import Pupil

from . import limits

CHOOSE_BAND = "Choose the top-up band, or an exception with its amount and reason"
REASON_MISSING = "Give the reason for a top-up outside the bands"
BANDS_NOT_COST = "The council sets top-ups by band: choose a band, or an exception with its amount and reason"
NOT_A_BAND_IN_USE = "Choose one of the council's top-up bands in use"


def priced_by_band(membership: Membership | None, pupil: Pupil) -> bool:
    """Whether this offer chooses a band: the pupil's LA commissions it and has bands in use."""
    return not acts_as(membership, SCHOOL_ROLES) and la_has_bands(pupil.local_authority_id)


def bands_to_choose(membership: Membership | None, pupil: Pupil, provision: Provision | None) -> list[TopUpBand]:
    """The bands the offer page lists: those for the provision when it is chosen, else every band of the LA; none
    when the offer gives the annual cost instead."""
    if not priced_by_band(membership, pupil):
        return []
    return bands_for_offer(local_authority_id=pupil.local_authority_id, provision=provision)


@dataclass
class TopUp:
    """The offer's top-up as it will be stored: the band or the exception's reason, and the annual top-up; None
    for an offer that gives the annual cost."""

    band: TopUpBand | None = None
    exception_reason: str = ""
    annual: Decimal | None = None


def check_top_up(
    problems: Problems,
    *,
    membership: Membership | None,
    pupil: Pupil,
    provision: Provision | None,
    band: TopUpBand | None,
    exception: bool,
    amount: Decimal | None,
    exception_reason: str,
    annual_cost_given: bool,
) -> TopUp:
    """The offer's band, or its exception with the amount and reason, each problem added to `problems` against its
    field. An offer not priced by band may choose no band (it gives the annual cost, which check_offer checks)."""
    top_up = TopUp()
    if not priced_by_band(membership, pupil):
        if band is not None or exception:
            problems.add(NOT_A_BAND_IN_USE, field="top_up_band")
        return top_up
    if annual_cost_given:
        problems.add(BANDS_NOT_COST, field="annual_cost")
    if band is not None:
        # The band as it is now (its amount, whether it is retired), not as the caller read it.
        fits = {b.pk: b for b in bands_for_offer(local_authority_id=pupil.local_authority_id, provision=provision)}
        now = TopUpBand.objects.filter(pk=band.pk, local_authority_id=pupil.local_authority_id, active=True).first()
        if band.pk in fits:
            top_up.band, top_up.annual = fits[band.pk], fits[band.pk].annual_amount
        elif now is not None and provision is not None:
            problems.add(f"Band {now.code} is for {now.scope}: choose a band for {provision.name}", field="top_up_band")
        else:
            problems.add(NOT_A_BAND_IN_USE, field="top_up_band")
    elif exception:
        with problems.check():
            top_up.annual = check_limit(limits.top_up_amount, amount, field="top_up_amount")
        top_up.exception_reason = check_required(
            problems, limits.reason, exception_reason, field="top_up_exception_reason", missing=REASON_MISSING
        )
    else:
        problems.add(CHOOSE_BAND, field="top_up_band")
    return top_up


def annual_cost(top_up: Decimal, *, place_funding_payer: str, pupil: Pupil) -> Decimal:
    """The place's annual cost from its top-up: place funding and the top-up when the route pays place funding."""
    return funding.annual_cost_with_top_up(
        top_up, place_funding_payer=place_funding_payer, local_authority_id=pupil.local_authority_id
    )
