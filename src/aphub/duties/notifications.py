"""Telling the people who must act: a row for their home page and an e-mail, sent once the change is committed.

Each function here is one event of a child's journey or of the directory, called by the service that makes the
change, inside its transaction: the Notification row commits or rolls back with the change, and the e-mail is queued
only after the commit (`transaction.on_commit`), so nobody is told about an offer that was never made.

Who hears:
- a placement offered: the provider's staff (the provision's provider);
- an offer accepted or declined: the commissioner, the commissioning school's staff, else the LA's officers;
- a referral submitted: the LA's officers;
- a panel decision: the referring school's staff (a referral the LA made itself needs no message);
- a provision approved or returned: the provider's staff.

Messages never carry a child's sensitive details (see duties.reminders): the first name and initial, what happened,
and the page to open.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from aphub.organisations.models import LocalAuthority, Membership, Payer, Provider, Role, School

from .models import Notification
from .notify import absolute_url, notify
from .reminders import short_name

Kind = Notification.Kind


def _addresses(*, local_authority_id: int | None, school_id: int | None, provider_id: int | None) -> list[str]:
    memberships = Membership.objects.filter(user__is_active=True)
    if local_authority_id is not None:
        memberships = memberships.filter(role=Role.LA_OFFICER, local_authority_id=local_authority_id)
    elif school_id is not None:
        memberships = memberships.filter(role=Role.SCHOOL_STAFF, school_id=school_id)
    else:
        memberships = memberships.filter(role=Role.PROVIDER_STAFF, provider_id=provider_id)
    return list(memberships.values_list("user__email", flat=True))


def _send(notification: Notification) -> None:
    recipients = _addresses(
        local_authority_id=notification.local_authority_id,
        school_id=notification.school_id,
        provider_id=notification.provider_id,
    )
    service = getattr(settings, "APHUB_SERVICE_NAME", "AP Hub")
    body = "\n\n".join(
        [
            f"{notification.subject}.",
            f"Sign in to {service} to see it and act: {absolute_url(notification.path)}",
            f"You get this message because your organisation acts on this in {service}.",
        ]
    )
    notify(recipients=recipients, subject=notification.subject, body=body)


def _tell(
    *,
    kind: str,
    subject: str,
    path: str,
    local_authority: LocalAuthority | None = None,
    school: School | None = None,
    provider: Provider | None = None,
    pupil=None,
) -> Notification:
    notification = Notification.objects.create(
        kind=kind,
        subject=subject[:200],
        path=path,
        local_authority=local_authority,
        school=school,
        provider=provider,
        pupil=pupil,
    )
    transaction.on_commit(lambda: _send(notification))
    return notification


def offer_made(placement) -> Notification:
    """A commissioner offered a place at one of the provider's provisions: the provider answers the offer."""
    return _tell(
        kind=Kind.OFFER_MADE,
        subject=f"Placement offered: {short_name(placement.pupil)} at {placement.provision.name}",
        path=reverse("placements:placement", kwargs={"pk": placement.pk}),
        provider=placement.provision.provider,
        pupil=placement.pupil,
    )


def offer_answered(placement, *, accepted: bool) -> Notification:
    """The provider accepted or declined: the commissioner who offered the place hears which."""
    answer = "accepted" if accepted else "declined"
    subject = f"Offer {answer}: {short_name(placement.pupil)} at {placement.provision.name}"
    path = reverse("placements:placement", kwargs={"pk": placement.pk})
    if placement.commissioner == Payer.SCHOOL and placement.commissioning_school_id:
        return _tell(
            kind=Kind.OFFER_ANSWERED,
            subject=subject,
            path=path,
            school=placement.commissioning_school,
            pupil=placement.pupil,
        )
    return _tell(
        kind=Kind.OFFER_ANSWERED,
        subject=subject,
        path=path,
        local_authority=placement.pupil.local_authority,
        pupil=placement.pupil,
    )


def referral_submitted(referral) -> Notification:
    """A referral reached the panel's list: the LA's officers arrange the panel."""
    who = referral.referring_school.name if referral.referring_school_id else "the local authority"
    return _tell(
        kind=Kind.REFERRAL_SUBMITTED,
        subject=f"Referral waiting for panel: {short_name(referral.pupil)}, from {who}",
        path=reverse("placements:referral", kwargs={"pk": referral.pk}),
        local_authority=referral.pupil.local_authority,
        pupil=referral.pupil,
    )


def panel_decided(decision) -> Notification | None:
    """The panel approved, declined or deferred a school's referral: the school hears the outcome."""
    referral = decision.referral
    if not referral.referring_school_id:
        return None
    return _tell(
        kind=Kind.PANEL_DECISION,
        subject=f"Panel decision for {short_name(referral.pupil)}: {decision.get_outcome_display().lower()}",
        path=reverse("placements:referral", kwargs={"pk": referral.pk}),
        school=referral.referring_school,
        pupil=referral.pupil,
    )


def provision_decided(provision, *, approved: bool) -> Notification:
    """The LA approved or returned a provision (or its changes): the provider sees it public, or why not."""
    what = "approved" if approved else "returned to you with a reason"
    return _tell(
        kind=Kind.PROVISION_DECIDED,
        subject=f"{provision.name}: {what}",
        path=reverse("directory:review", kwargs={"pk": provision.pk}),
        provider=provision.provider,
    )
