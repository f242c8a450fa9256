"""Writes of referrals, their documents and the AP panel's meetings and decisions.

A school refers a pupil on its roll, or an LA officer refers any child of the LA. The referral is a draft until
the referrer submits it (with consent, a summary of needs, what has been tried and the child's and parents'
views); the panel then approves, declines or defers it. A deferred referral is back on the next agenda.
Approving does not place the child: the LA officer offers a placement afterwards (placements:offer).

Every move is in the REFERRAL lifecycle (aphub.core.lifecycle); anything else is an InvalidTransition. Every create
and change is access-logged on the referral (the child's record); every read of a referral page by `record_view`.
"""

import datetime
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from aphub.audit.services import log_access
from aphub.core.clock import now, today
from aphub.core.errors import DomainError, NotPermitted, Problems
from aphub.core.files.uploads import EXTENSIONS, check_upload
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.lifecycle import Lifecycle, Move, Words, from_each
from aphub.core.permissions import require
from aphub.directory.models import Provision, Term, Vocabulary
from aphub.duties import notifications
from aphub.organisations.models import SCHOOL_ROLES, Role, User
from aphub.organisations.permissions import acts_as, is_la_editor_of
from aphub.organisations.queries import membership_of
from aphub.placements.models import Episode, PanelDecision, PanelMeeting, Referral, ReferralDocument, Tier
from aphub.placements.permissions import can_refer, can_sit_on_panel
from aphub.pupils.models import Enrolment, Pupil

Status = Referral.Status
Outcome = PanelDecision.Outcome

MAX_WEEKS = 104  # two school years: longer than any tier 3 transition the seeds describe
# Each limit once, with its message: the referral forms' fields and these services ask the same one.
CONSENT_BY = at_most(200, "Who gave consent")
DOCUMENT_TITLE = at_most(200, "The title")
TEXT_LENGTH = 10000
# A referral's answers, each named as its question is on the form.
ANSWERS = {
    "needs_summary": at_most(TEXT_LENGTH, "Summary of the child's needs"),
    "risks": at_most(TEXT_LENGTH, "Risks"),
    "tried_so_far": at_most(TEXT_LENGTH, "What has been tried"),
    "child_views": at_most(TEXT_LENGTH, "The child's views"),
    "parent_views": at_most(TEXT_LENGTH, "The parents' or carers' views"),
    "consent_by": CONSENT_BY,
}
PANEL_MEMBERS_LENGTH = 5000
PANEL_MEMBERS = at_most(PANEL_MEMBERS_LENGTH, "The list of panel members")
DECISION_REASONS = at_most(TEXT_LENGTH, "The reasons for the decision")


class IncompleteReferral(DomainError):
    """Submitting a referral that misses what the panel needs; `problems` holds (field, sentence) for each gap."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        names = _listed([GAP_NAMES[field] for field, _ in problems])
        super().__init__(f"You cannot submit this referral yet. Add {names}.")
        self.problems = problems


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    ATTACH = "attach"  # add a document
    APPROVE = "approve"
    DECLINE = "decline"
    DEFER = "defer"


class Actor(StrEnum):
    REFERRER = "referrer"  # staff of the referring school, or LA officers and admins when the LA referred
    LA = "la"  # LA officers and admins of the pupil's LA (the panel); auditors only read


REFERRER = frozenset({Actor.REFERRER})
LA = frozenset({Actor.LA})
EITHER = frozenset({Actor.REFERRER, Actor.LA})

_STATUS_PHRASE: dict[str, str] = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "waiting for the panel",
    Status.DEFERRED: "deferred by the panel",
    Status.APPROVED: "approved by the panel",
    Status.DECLINED: "declined by the panel",
    Status.WITHDRAWN: "withdrawn",
}
_ACTION_PHRASE: dict[str, str] = {
    Action.EDIT: "change",
    Action.ATTACH: "add documents to",
}
WORDS = Words("referral", states=_STATUS_PHRASE, actions=_ACTION_PHRASE)

OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.DEFERRED)
AGENDA_STATUSES = (Status.SUBMITTED, Status.DEFERRED)
OUTCOME_ACTION = {Outcome.APPROVE: Action.APPROVE, Outcome.DECLINE: Action.DECLINE, Outcome.DEFER: Action.DEFER}

# The referral lifecycle. A pair that is not here is an InvalidTransition; a user who is on neither side that makes
# an action is refused it whatever the referral's status. Edits stop at submission so the panel decides on exactly
# what it read; documents may still be added, and papers for the provider offered a place once it is approved.
REFERRAL: Lifecycle[str, Action] = Lifecycle(
    "referral",
    {
        (Status.DRAFT, Action.EDIT): Move(Status.DRAFT, REFERRER),
        (Status.DRAFT, Action.SUBMIT): Move(Status.SUBMITTED, REFERRER),
        **from_each(OPEN_STATUSES, Action.WITHDRAW, Status.WITHDRAWN, EITHER),
        **from_each((*OPEN_STATUSES, Status.APPROVED), Action.ATTACH, None, EITHER),
        **from_each(AGENDA_STATUSES, Action.APPROVE, Status.APPROVED, LA),
        **from_each(AGENDA_STATUSES, Action.DECLINE, Status.DECLINED, LA),
        **from_each(AGENDA_STATUSES, Action.DEFER, Status.DEFERRED, LA),
    },
    choices=Status,
    invalid=WORDS.invalid,
    refused=WORDS.refused,
    refuse_before_state=True,
)

# What the panel needs before a referral is submitted, named as the error summary names it.
GAP_NAMES = {
    "consent_given": "the parent or carer's consent",
    "needs_summary": "a summary of the child's needs",
    "tried_so_far": "what has been tried",
    "child_views": "the child's views",
    "parent_views": "the parents' or carers' views",
}
GAP_MESSAGES = {
    "consent_given": "Confirm that a parent or carer consents to sharing this referral",
    "needs_summary": "Enter a summary of the child's needs",
    "tried_so_far": "Enter what has been tried so far",
    "child_views": "Enter the child's views",
    "parent_views": "Enter the parents' or carers' views",
}

TEXT_FIELDS = ("needs_summary", "risks", "tried_so_far", "child_views", "parent_views", "consent_by")


def _listed(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- Who acts --------------------------------------------------------------------------------------------------


def actors_for(user: User | None, referral: Referral) -> set[Actor]:
    """On whose side the user acts for this referral; empty means nothing may be done (deny by default)."""
    membership = membership_of(user)
    if membership is None:
        return set()
    actors: set[Actor] = set()
    if membership.role in (Role.LA_OFFICER, Role.LA_ADMIN) and (
        membership.local_authority_id == referral.pupil.local_authority_id
    ):
        actors.add(Actor.LA)
        if referral.referring_school_id is None:
            actors.add(Actor.REFERRER)
    if membership.role == Role.SCHOOL_STAFF and referral.referring_school_id == membership.school_id:
        actors.add(Actor.REFERRER)
    return actors


def may_offer_placement(user: User | None, referral: Referral) -> bool:
    """Once the panel approves a referral, the LA offers the placement that answers it."""
    return referral.status == Referral.Status.APPROVED and Actor.LA in actors_for(user, referral)


def allowed_actions(user: User | None, referral: Referral) -> set[Action]:
    """What the pages offer this user on this referral now."""
    return REFERRAL.allowed(referral.status, actors_for(user, referral))


def _check(user: User, referral: Referral, action: Action) -> str:
    return REFERRAL.check(referral.status, action, actors_for(user, referral)).to


def _locked(referral: Referral) -> Referral:
    # A row lock on PostgreSQL so a withdrawal and a panel decision cannot interleave; SQLite serialises writers.
    return Referral.objects.select_for_update().select_related("pupil").get(pk=referral.pk)


# --- Referrals -------------------------------------------------------------------------------------------------


def _terms(codes_or_terms: Iterable, vocabulary: str, field: str) -> list[Term]:
    wanted = {getattr(item, "code", item) for item in codes_or_terms}
    found = list(Term.objects.filter(vocabulary=vocabulary, code__in=wanted))
    if len(found) != len(wanted):
        raise DomainError("Choose options from the list.", field=field)
    return found


def _clean_values(values: dict) -> dict:
    cleaned: dict[str, Any] = {}
    problems = Problems()
    for name in TEXT_FIELDS:
        if name in values:
            with problems.check():
                cleaned[name] = check_limit(ANSWERS[name], values[name], field=name)
    if "requested_tier" in values:
        if values["requested_tier"] not in Tier.values:
            problems.add("Select the tier of provision the child needs.", field="requested_tier")
        cleaned["requested_tier"] = values["requested_tier"]
    for name in ("consent_given", "full_time_requested"):
        if name in values:
            cleaned[name] = bool(values[name])
    problems.raise_any()
    return cleaned


def _check_episode(episode: Episode, pupil: Pupil) -> None:
    if episode.pupil_id != pupil.pk:
        raise DomainError("Choose one of this pupil's episodes.", field="episode")
    if episode.status != Episode.Status.OPEN:
        raise DomainError("Choose an open episode: this one is closed.", field="episode")


def _on_roll(pupil: Pupil, school_id: int, day: datetime.date) -> bool:
    return (
        Enrolment.objects.filter(pupil=pupil, school_id=school_id, start_date__lte=day)
        .exclude(end_date__lt=day)
        .exists()
    )


@transaction.atomic
def create_referral(
    *,
    user: User,
    pupil: Pupil,
    episode: Episode,
    requested_tier: str,
    needs_summary: str = "",
    risks: str = "",
    tried_so_far: str = "",
    child_views: str = "",
    parent_views: str = "",
    consent_given: bool = False,
    consent_by: str = "",
    needs: Iterable = (),
    preferred_delivery_modes: Iterable = (),
    full_time_requested: bool = True,
) -> Referral:
    """A draft referral. School staff refer pupils on their roll (the school is the referrer); LA officers and
    admins refer any child of their LA. Needs and delivery modes are term codes or Terms."""
    membership = membership_of(user)
    referring_school_id = None
    require(can_refer(membership), "You do not have permission to refer a child.")
    if acts_as(membership, SCHOOL_ROLES):
        require(
            membership.school_id is not None and _on_roll(pupil, membership.school_id, today()),
            "You can only refer pupils on your school's roll.",
        )
        referring_school_id = membership.school_id
    else:
        require(
            is_la_editor_of(membership, pupil.local_authority_id),
            "You can only refer children of your local authority.",
        )
    # The episode, the answers and the chosen needs are checked together: every problem is reported at once.
    problems = Problems()
    with problems.check():
        _check_episode(episode, pupil)
    with problems.check():
        values = _clean_values(
            {
                "requested_tier": requested_tier,
                "needs_summary": needs_summary,
                "risks": risks,
                "tried_so_far": tried_so_far,
                "child_views": child_views,
                "parent_views": parent_views,
                "consent_given": consent_given,
                "consent_by": consent_by,
                "full_time_requested": full_time_requested,
            }
        )
    with problems.check():
        need_terms = _terms(needs, Vocabulary.NEED, "needs")
    with problems.check():
        mode_terms = _terms(preferred_delivery_modes, Vocabulary.DELIVERY_MODE, "preferred_delivery_modes")
    problems.raise_any()
    if Referral.objects.filter(episode=episode, status__in=OPEN_STATUSES).exists():
        raise DomainError(
            "There is already an open referral for this episode. Withdraw it before starting another.",
            field="episode",
        )
    referral = Referral.objects.create(
        pupil=pupil, episode=episode, referring_school_id=referring_school_id, referred_by=user, **values
    )
    referral.needs.set(need_terms)
    referral.preferred_delivery_modes.set(mode_terms)
    log_access(user=user, obj=referral, verb="create")
    return referral


@transaction.atomic
def update_referral(
    *,
    user: User,
    referral: Referral,
    episode: Episode | None = None,
    needs: Iterable | None = None,
    preferred_delivery_modes: Iterable | None = None,
    **values,
) -> Referral:
    """Change a draft referral; submitted ones are frozen for the panel."""
    unknown = set(values) - set(TEXT_FIELDS) - {"requested_tier", "consent_given", "full_time_requested"}
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    referral = _locked(referral)
    _check(user, referral, Action.EDIT)
    problems = Problems()
    with problems.check():
        cleaned = _clean_values(values)
    if episode is not None:
        with problems.check():
            _check_episode(episode, referral.pupil)
    need_terms = mode_terms = None
    if needs is not None:
        with problems.check():
            need_terms = _terms(needs, Vocabulary.NEED, "needs")
    if preferred_delivery_modes is not None:
        with problems.check():
            mode_terms = _terms(preferred_delivery_modes, Vocabulary.DELIVERY_MODE, "preferred_delivery_modes")
    problems.raise_any()
    for name, value in cleaned.items():
        setattr(referral, name, value)
    if episode is not None:
        referral.episode = episode
    referral.save()
    if need_terms is not None:
        referral.needs.set(need_terms)
    if mode_terms is not None:
        referral.preferred_delivery_modes.set(mode_terms)
    log_access(user=user, obj=referral, verb="change")
    return referral


def missing_for_submission(referral: Referral) -> list[tuple[str, str]]:
    """(field, sentence) for each thing the panel needs that the referral lacks, in the form's order."""
    problems = []
    for name in ("needs_summary", "tried_so_far", "child_views", "parent_views"):
        if not (getattr(referral, name) or "").strip():
            problems.append((name, GAP_MESSAGES[name]))
    if not referral.consent_given:
        problems.append(("consent_given", GAP_MESSAGES["consent_given"]))
    return problems


@transaction.atomic
def submit_referral(*, user: User, referral: Referral) -> Referral:
    """Send a draft to the panel. Raises IncompleteReferral naming every missing part."""
    referral = _locked(referral)
    to = _check(user, referral, Action.SUBMIT)
    problems = missing_for_submission(referral)
    if problems:
        raise IncompleteReferral(problems)
    referral.status = to
    referral.submitted_at = now()
    referral.save(update_fields=["status", "submitted_at"])
    log_access(user=user, obj=referral, verb="change")
    notifications.referral_submitted(referral)
    return referral


@transaction.atomic
def withdraw_referral(*, user: User, referral: Referral) -> Referral:
    referral = _locked(referral)
    referral.status = _check(user, referral, Action.WITHDRAW)
    referral.save(update_fields=["status"])
    log_access(user=user, obj=referral, verb="change")
    return referral


def record_view(*, user: User, referral: Referral, path: str = "") -> None:
    """A referral page was read: the child's record and the referral, both logged as "view"."""
    log_access(user=user, obj=referral.pupil, verb="view", path=path)
    log_access(user=user, obj=referral, verb="view", path=path)


# --- Documents -------------------------------------------------------------------------------------------------

# An acceptable file (its size, and its content type by what the bytes are, never by the name the sender gave it) is
# aphub.core.files.uploads' check_upload, shared with the commissioning evidence library.


@transaction.atomic
def upload_document(*, user: User, referral: Referral, title: str, file: UploadedFile) -> ReferralDocument:
    """Attach a PDF, DOCX, JPEG or PNG of at most 10 MB. Anything else is refused before anything is stored."""
    referral = _locked(referral)
    _check(user, referral, Action.ATTACH)
    problems = Problems()
    missing = "Enter a title for the document, like Support plan"
    title = check_required(problems, DOCUMENT_TITLE, title, field="title", missing=missing)
    content_type = None
    with problems.check():
        content_type = check_upload(file, scan=False)
    problems.raise_any()
    assert file.size is not None and content_type is not None  # else a problem was raised above
    document = ReferralDocument(
        referral=referral, title=title, content_type=content_type, size=file.size, uploaded_by=user
    )
    # The stored name is ours, not the sender's: no path tricks, and the extension matches the sniffed type.
    document.file.save(f"referral-{referral.pk}{EXTENSIONS[content_type]}", file, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    log_access(user=user, obj=document, verb="create")
    log_access(user=user, obj=referral, verb="change")
    return document


def record_download(*, user: User, document: ReferralDocument, path: str = "") -> None:
    """A document left the system: logged as an export of the document and a view of the child's record."""
    log_access(user=user, obj=document, verb="export", path=path)
    log_access(user=user, obj=document.referral.pupil, verb="view", path=path)


# --- Panel -----------------------------------------------------------------------------------------------------


def _panel_member(user: User):
    membership = membership_of(user)
    require(can_sit_on_panel(membership), "Only LA officers and admins can arrange panels and record decisions.")
    return membership


@transaction.atomic
def create_panel_meeting(*, user: User, date: datetime.date, members: str) -> PanelMeeting:
    membership = _panel_member(user)
    problems = Problems()
    if not isinstance(date, datetime.date):
        problems.add("Enter the date of the panel meeting", field="date")
    members = check_required(
        problems, PANEL_MEMBERS, members, field="members", missing="Enter who sits on the panel, one person per line"
    )
    members = "\n".join(line.strip() for line in members.splitlines() if line.strip())
    problems.raise_any()
    return PanelMeeting.objects.create(
        local_authority_id=membership.local_authority_id, date=date, members=members, created_by=user
    )


@transaction.atomic
def check_decision(
    *,
    outcome: str,
    tier: str,
    provision: Provision | None,
    weeks: int | None,
    local_authority_id: int,
    decline_reason: str = "",
) -> None:
    """What an approval must name (tier, a published provision of the LA, weeks), every problem at once.

    The decision form asks this too, with the values it could read, so a decision missing its reasons and its tier
    is told both on the first try.
    """
    problems = Problems()
    if outcome not in Outcome.values:
        problems.add("Select the panel's decision", field="outcome")
    elif outcome == Outcome.DECLINE and decline_reason not in ("", *PanelDecision.DeclineReason.values):
        problems.add("Select why the panel declined the referral", field="decline_reason")
    elif outcome == Outcome.APPROVE:
        if tier not in Tier.values:
            problems.add("Select the tier the panel approved", field="tier")
        if provision is None:
            problems.add("Choose the provision the panel approved", field="provision")
        elif provision.status != Provision.Status.PUBLISHED or provision.local_authority_id != local_authority_id:
            problems.add("Choose a published provision in your local authority's directory", field="provision")
        if weeks is None or not 1 <= weeks <= MAX_WEEKS:
            problems.add(f"Enter how many weeks the panel approved, from 1 to {MAX_WEEKS}", field="weeks")
    problems.raise_any()


@transaction.atomic
def record_decision(
    *,
    user: User,
    meeting: PanelMeeting,
    referral: Referral,
    outcome: str,
    reasons: str,
    tier: str = "",
    provision: Provision | None = None,
    weeks: int | None = None,
    decline_reason: str = "",
) -> PanelDecision:
    """The panel approves (with tier, provision and weeks), declines (saying why, when it says: no suitable place is
    the LA's unmet need) or defers a referral, always with reasons."""
    membership = _panel_member(user)
    if membership.local_authority_id != meeting.local_authority_id:
        raise NotPermitted("You can only record decisions of your own local authority's panel.")
    referral = _locked(referral)
    if referral.pupil.local_authority_id != meeting.local_authority_id:
        raise NotPermitted("This referral is not for this panel.")
    problems = Problems()
    reasons = check_required(
        problems, DECISION_REASONS, reasons, field="reasons", missing="Enter the reasons for the panel's decision"
    )
    with problems.check():
        check_decision(
            outcome=outcome,
            tier=tier,
            provision=provision,
            weeks=weeks,
            local_authority_id=meeting.local_authority_id,
            decline_reason=decline_reason,
        )
    problems.raise_any()
    to = _check(user, referral, OUTCOME_ACTION[Outcome(outcome)])
    if PanelDecision.objects.filter(meeting=meeting, referral=referral).exists():
        raise DomainError("This panel has already decided this referral.", field="outcome")
    if outcome != Outcome.APPROVE:
        tier, provision, weeks = "", None, None
    if outcome != Outcome.DECLINE:
        decline_reason = ""
    decision = PanelDecision.objects.create(
        meeting=meeting,
        referral=referral,
        outcome=outcome,
        tier=tier,
        provision=provision,
        weeks=weeks,
        reasons=reasons,
        decline_reason=decline_reason,
        decided_by=user,
    )
    referral.status = to
    referral.save(update_fields=["status"])
    log_access(user=user, obj=decision, verb="create")
    log_access(user=user, obj=referral, verb="change")
    notifications.panel_decided(decision)
    return decision
