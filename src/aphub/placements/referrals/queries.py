"""Reads of referrals, their documents and the AP panel, always scoped to the user (Model.objects.visible_to).

On top of the models' scoping, a draft is the referrer's own until it is submitted: a school's draft is not
shown to the LA, nor an LA officer's draft to the school (placements.models: "only the referrer sees it").
"""

import datetime
from typing import Any

from django.db.models import Q, QuerySet

from aphub.core.clock import today
from aphub.core.scoping import membership_for
from aphub.core.web.query_filters import each_word_matches
from aphub.directory.models import Provision
from aphub.organisations.models import LA_ROLES, Role, User
from aphub.placements.models import Episode, PanelDecision, PanelMeeting, Referral, ReferralDocument
from aphub.placements.referrals.services import AGENDA_STATUSES
from aphub.pupils.models import Pupil

Status = Referral.Status


def referrals_visible_to(user: User | None) -> QuerySet[Referral]:
    """Referrals the user may read: the model's scoping, less other people's drafts."""
    referrals = Referral.objects.visible_to(user)
    membership = membership_for(user)
    if membership is None:
        return referrals.none()
    if membership.role in LA_ROLES:
        return referrals.exclude(status=Status.DRAFT, referring_school__isnull=False)
    if membership.role == Role.SCHOOL_STAFF:
        return referrals.exclude(Q(status=Status.DRAFT) & ~Q(referring_school_id=membership.school_id))
    return referrals.exclude(status=Status.DRAFT)


def referral_list(user: User | None, *, status: str = "") -> QuerySet[Referral]:
    referrals = referrals_visible_to(user).select_related("pupil", "referring_school")
    if status:
        referrals = referrals.filter(status=status)
    return referrals.order_by("-created_at", "-pk")


def referral_for_page(user: User | None, pk: int) -> Referral | None:
    """One referral with what its page shows, or None (missing and not-yours look the same)."""
    return (
        referrals_visible_to(user)
        .select_related("pupil__local_authority", "referring_school", "referred_by")
        .prefetch_related("needs", "preferred_delivery_modes", "documents__uploaded_by")
        .filter(pk=pk)
        .first()
    )


def episode_shown(user: User | None, referral: Referral) -> Episode | None:
    """The referral's episode when the user may read episodes (providers may not)."""
    return Episode.objects.visible_to(user).select_related("route").filter(pk=referral.episode_id).first()


def _decisions(user: User | None, related: tuple[str, ...], *, newest_first: bool, **where: Any) -> list[PanelDecision]:
    order = ("-decided_at", "-pk") if newest_first else ("decided_at", "pk")
    return list(PanelDecision.objects.visible_to(user).filter(**where).select_related(*related).order_by(*order))


def decisions_shown(user: User | None, referral: Referral) -> list[PanelDecision]:
    """The panel's decisions on the referral, newest first; the school reads them, providers do not."""
    return _decisions(user, ("meeting", "provision", "decided_by"), newest_first=True, referral=referral)


def document_for_download(user: User | None, pk: int) -> ReferralDocument | None:
    return (
        ReferralDocument.objects.filter(referral__in=referrals_visible_to(user).values("pk"), pk=pk)
        .select_related("referral__pupil")
        .first()
    )


def pupil_for_referral(user: User | None, pk: int) -> Pupil | None:
    return Pupil.objects.visible_to(user).filter(pk=pk).first()


def pupils_to_refer(user: User | None, *, words: str = "", limit: int = 50) -> list[Pupil]:
    """Pupils the user may open a referral for, by name, narrowed by words of their name or their UPN."""
    name_or_upn = ("first_name__icontains", "last_name__icontains", "preferred_name__icontains", "upn__iexact")
    pupils = Pupil.objects.visible_to(user).filter(each_word_matches(words, name_or_upn, most=5))
    return list(pupils.order_by("last_name", "first_name", "pk")[:limit])


def open_episodes(user: User | None, pupil: Pupil) -> list[Episode]:
    return list(
        Episode.objects.visible_to(user)
        .filter(pupil=pupil, status=Episode.Status.OPEN)
        .select_related("route")
        .order_by("-start_date", "-pk")
    )


# --- Panel -----------------------------------------------------------------------------------------------------


def meetings_visible_to(user: User | None) -> QuerySet[PanelMeeting]:
    return PanelMeeting.objects.visible_to(user).order_by("-date", "-pk")


def next_panel_date(user: User | None, referral: Referral) -> datetime.date | None:
    """When the panel of the child's LA next meets (today counts), or None if no meeting is scheduled.

    Only the date, and only for a referral the user may see: a referring school may know when its referral will be
    heard, though the meetings themselves (members, agenda) are the LA's."""
    if not referrals_visible_to(user).filter(pk=referral.pk).exists():
        return None
    return (
        PanelMeeting.objects.filter(local_authority_id=referral.pupil.local_authority_id, date__gte=today())
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def meeting_for_page(user: User | None, pk: int) -> PanelMeeting | None:
    return meetings_visible_to(user).select_related("local_authority", "created_by").filter(pk=pk).first()


def _agenda(user: User | None, meeting: PanelMeeting) -> QuerySet[Referral]:
    return (
        referrals_visible_to(user)
        .filter(status__in=AGENDA_STATUSES, pupil__local_authority_id=meeting.local_authority_id)
        .exclude(decisions__meeting=meeting)
    )


def agenda(user: User | None, meeting: PanelMeeting) -> list[Referral]:
    """Referrals waiting for this panel: submitted or deferred, of the meeting's LA, not yet decided at this
    meeting, oldest submission first. A referral deferred at an earlier meeting is back on the agenda."""
    return list(
        _agenda(user, meeting)
        .select_related("pupil", "referring_school")
        .prefetch_related("needs", "preferred_delivery_modes", "documents")
        .order_by("submitted_at", "pk")
    )


def decisions_at(user: User | None, meeting: PanelMeeting) -> list[PanelDecision]:
    return _decisions(user, ("referral__pupil", "provision", "decided_by"), newest_first=False, meeting=meeting)


def agenda_referral(user: User | None, meeting: PanelMeeting, pk: int) -> Referral | None:
    """One referral on this meeting's agenda, or None."""
    return _agenda(user, meeting).select_related("pupil").filter(pk=pk).first()


def provisions_for_decision(user: User | None, meeting: PanelMeeting) -> QuerySet[Provision]:
    """The published provisions of the meeting's LA a panel may approve."""
    return (
        Provision.objects.visible_to(user)
        .filter(local_authority_id=meeting.local_authority_id, status=Provision.Status.PUBLISHED)
        .select_related("provider")
        .order_by("name", "pk")
    )
