"""The standard individual placement agreement (seed 003: the DPS's standard contract has one per child) as a PDF.

`agreement_pdf(placement)` renders placements/agreement.html with WeasyPrint. It reads only: the funding lines come
from `funding.services.planned_lines`, which computes what `plan_funding` stores without writing. The view that
serves it checks `visible_to` and logs the export; this module does neither.

Rendering never reaches the network (aphub.core.files.pdf): the URL fetcher serves our own static files and refuses
everything else, and the fonts are the machine's own Arial-like sans-serif fonts, named in the template.
"""

from decimal import Decimal

from django.template.loader import render_to_string

from aphub.commissioning.arrangements.eligibility import contract_for
from aphub.core.clock import today
from aphub.core.files.pdf import BASE_URL, StaticFilesOnly, html_to_pdf
from aphub.duties.models import LocalPolicy
from aphub.funding import services as funding
from aphub.funding.services import planned_lines

from .models import OutcomeArea, Payer, Placement

TEMPLATE = "placements/agreement.html"
__all__ = ["BASE_URL", "StaticFilesOnly", "agreement_html", "agreement_pdf"]


def _review_weeks(local_authority_id: int) -> int:
    # Read, not get_or_create: showing an agreement never writes.
    weeks = (
        LocalPolicy.objects.filter(local_authority_id=local_authority_id)
        .values_list("review_interval_weeks", flat=True)
        .first()
    )
    return weeks if weeks is not None else LocalPolicy._meta.get_field("review_interval_weeks").get_default()


def _commissioner(placement: Placement) -> dict:
    """The party the agreement is made with: the one billed the top-up (funding.services.billed_school), as the
    placement page names it; where the LA arranged the place for a school that pays, the LA is named as arranging it."""
    la = placement.pupil.local_authority
    school = funding.billed_school(placement=placement)
    if school is not None:
        return {
            "kind": "School",
            "name": school.name,
            "identifiers": [("URN", school.urn), ("UKPRN", school.ukprn)],
            "arranged_by": la.name if placement.commissioner != Payer.SCHOOL else "",
        }
    return {"kind": "Local authority", "name": la.name, "identifiers": [("LA code", la.la_code)], "arranged_by": ""}


def agreement_context(placement: Placement) -> dict:
    """Everything the agreement shows, read from the placement and what it points to."""
    pupil = placement.pupil
    provision = placement.provision
    provider = provision.provider
    lines = planned_lines(placement=placement)
    address = [provision.address_line_1, provision.address_line_2, provision.town, provision.postcode]
    return {
        "placement": placement,
        "pupil": pupil,
        "provision": provision,
        "provision_address": [part for part in address if part],
        "provider": provider,
        "provider_identifiers": [("UKPRN", provider.ukprn), ("URN", provider.urn)],
        "commissioner": _commissioner(placement),
        "home_school": placement.episode.school,
        "lines": lines,
        "funding_total": sum((line.amount for line in lines), Decimal("0.00")),
        "outcome_areas": [label for _, label in OutcomeArea.choices],
        "review_weeks": _review_weeks(pupil.local_authority_id),
        # Seed 003: each placement is bought under the provider's standard contract and the lot it is admitted to.
        "lot": placement.lot,
        "contract": contract_for(provider_id=provider.pk, lot=placement.lot),
        "prepared_on": today(),
    }


def agreement_html(placement: Placement) -> str:
    return render_to_string(TEMPLATE, agreement_context(placement))


def agreement_pdf(placement: Placement) -> bytes:
    """The placement's individual placement agreement as PDF bytes."""
    return html_to_pdf(agreement_html(placement))
