"""Writes to commercial arrangements and their lots or parts (docs/decisions/0011).

LA officers and admins of the owner LA set an arrangement up as a draft, add its lots (parts, for a dynamic market),
publish it (which opens it for applications), close it and open it again. Partner LAs see it but do not change it;
auditors only read. Every status move is in ARRANGEMENT; anything else is an InvalidTransition.

Nothing here touches a child's record, so nothing is access-logged: an arrangement is public once published.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import NotRequired, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max

from aphub.commissioning.arrangements.criteria import criteria_set
from aphub.commissioning.models import ArrangementKind, CommercialArrangement, Lot
from aphub.commissioning.permissions import can_change_arrangement, can_set_up_arrangements
from aphub.core.clock import now
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted, Problems
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.lifecycle import Lifecycle, Move, Words
from aphub.core.model_fields import max_length
from aphub.core.permissions import require
from aphub.organisations.models import LocalAuthority, User
from aphub.organisations.queries import membership_of

Status = CommercialArrangement.Status

# Paths under arrangements/ that a reference must not take (the public page is arrangements/<reference>/).
RESERVED_REFERENCES = frozenset({"manage"})
# Criteria that only unregistered providers answer (the DfE national standards for unregistered AP, 2025): a lot
# takes them through `for_unregistered`, never by picking them one by one.
UNREGISTERED_ONLY = "unregistered"

# The limits on what an officer types, as the pages and the services both ask them (decision 0025).
TITLE = at_most(max_length(CommercialArrangement, "title"), "The title")
LOT_TITLE = at_most(max_length(Lot, "title"), "The title")
# Descriptions are text columns with no limit of their own; 5,000 characters is a page or two, which providers read.
DESCRIPTION = at_most(5000, "The description")
REFERENCE_LENGTH = max_length(CommercialArrangement, "reference")


def reference_limit(value: str | None) -> str:
    """A reference as the public web address and the ocid take it: in lower case, at most 60 characters, a slug,
    and not a path the arrangement pages use. Whether another arrangement has it is the service's question."""
    reference = (value or "").strip().lower()
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationError(f"The reference must be {REFERENCE_LENGTH} characters or fewer")
    try:
        validate_slug(reference)
    except ValidationError:
        raise ValidationError(
            "The reference must use only lower case letters, numbers and hyphens, like elmbridge-ap-dps-2025."
        ) from None
    if reference in RESERVED_REFERENCES:
        raise ValidationError(f"The reference cannot be '{reference}'. Choose another.")
    return reference


class Action(StrEnum):
    PUBLISH = "publish"
    CLOSE = "close"
    OPEN = "open"


OWNER = "owner"  # officers and admins of the LA that owns the arrangement (can_change)
NOT_OWNER = "Only officers of the council that owns this arrangement can change it."

_STATUS_PHRASE: dict[str, str] = {
    Status.DRAFT: "a draft that is not published yet",
    Status.OPEN: "already open for applications",
    Status.CLOSED: "closed to new applications",
}
WORDS = Words("arrangement", states=_STATUS_PHRASE)


def _cannot(state: str, action: str) -> str:
    hint = " Publish it first." if action == Action.OPEN and state == Status.DRAFT else ""
    return WORDS.invalid(state, action) + hint


# The arrangement lifecycle. A pair that is not here is an InvalidTransition.
# Publishing opens a draft for applications: an arrangement that is open but not public would take applications
# nobody can find. A closed arrangement keeps its admitted providers and may open again (a DPS or dynamic market
# re-opens for new suppliers); nothing goes back to draft once providers may have applied.
ARRANGEMENT: Lifecycle[Status, Action] = Lifecycle(
    "arrangement",
    {
        (Status.DRAFT, Action.PUBLISH): Move(Status.OPEN, frozenset({OWNER})),
        (Status.OPEN, Action.CLOSE): Move(Status.CLOSED, frozenset({OWNER})),
        (Status.CLOSED, Action.OPEN): Move(Status.OPEN, frozenset({OWNER})),
    },
    choices=Status,
    invalid=_cannot,
    refused=lambda state, action: NOT_OWNER,
    refuse_before_state=True,
)


def can_change(user: User | None, arrangement: CommercialArrangement) -> bool:
    """Officers and admins of the owner LA change an arrangement (permissions.can_change_arrangement)."""
    return can_change_arrangement(membership_of(user), arrangement)


def parties_of(user: User | None, arrangement: CommercialArrangement) -> frozenset[str]:
    return frozenset({OWNER}) if can_change(user, arrangement) else frozenset()


def allowed_actions(user: User | None, arrangement: CommercialArrangement) -> set[Action]:
    """The moves the user may make now (what the page offers as buttons)."""
    return ARRANGEMENT.allowed(arrangement.status, parties_of(user, arrangement))


def _check_can_change(user: User, arrangement: CommercialArrangement) -> None:
    if not can_change(user, arrangement):
        raise NotPermitted(NOT_OWNER)


def _locked(arrangement: CommercialArrangement) -> CommercialArrangement:
    # A row lock on PostgreSQL so two officers cannot interleave moves or number two lots alike; SQLite serialises
    # writers instead.
    return CommercialArrangement.objects.select_for_update().get(pk=arrangement.pk)


# -- Validation -----------------------------------------------------------------------------------------------


def _clean_reference(value: str | None, *, exclude_pk: int | None = None) -> str:
    if not (value or "").strip():
        raise DomainError("Enter a reference, like elmbridge-ap-dps-2025.", field="reference")
    reference = check_limit(reference_limit, value, field="reference")
    taken = CommercialArrangement.objects.filter(reference=reference)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError("Another arrangement already uses this reference. Choose another.", field="reference")
    return reference


def _clean_kind(kind: str | None) -> str:
    if kind not in ArrangementKind.values:
        raise DomainError("Choose the type of arrangement.", field="kind")
    return str(kind)


def _clean_dates(starts_on, ends_on) -> None:
    if starts_on is None:
        raise DomainError("Enter the date the arrangement starts.", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError("The end date must be the same as or after the start date.", field="ends_on")


def _clean_version(version: str) -> str:
    try:
        criteria_set(version)
    except KeyError:
        raise DomainError(f"There is no criteria version {version}.", field="criteria_version") from None
    return version


def _clean_partners(owner_id: int, partners: Iterable[LocalAuthority | int]) -> list[LocalAuthority]:
    ids = {partner.pk if isinstance(partner, LocalAuthority) else int(partner) for partner in partners}
    ids.discard(owner_id)  # the owner is never its own partner
    found = list(LocalAuthority.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise DomainError("Choose partner councils from the list.", field="partners")
    return found


def lot_criteria(
    *, criteria_version: str, chosen: Iterable[str], for_unregistered: bool, word: str = "lot"
) -> list[str]:
    """The criterion codes a lot asks for, in the data file's order.

    The national standards for unregistered AP come with `for_unregistered` and only with it, so an unregistered lot
    can never leave them out and a registered lot never asks for them.
    """
    version = criteria_set(criteria_version)
    chosen = set(chosen)
    unknown = chosen - set(version.by_code)
    if unknown:
        raise DomainError("Choose criteria from the list.", field="criteria")
    picked = [c.code for c in version.criteria if c.code in chosen and c.applies_to != UNREGISTERED_ONLY]
    if not picked:
        raise DomainError(f"Choose at least one criterion the {word} asks for.", field="criteria")
    wanted = set(picked) | {c.code for c in version.criteria if for_unregistered and c.applies_to == UNREGISTERED_ONLY}
    return [c.code for c in version.criteria if c.code in wanted]


# -- Arrangements ---------------------------------------------------------------------------------------------


def _clean_details(problems: Problems, *, title: str, description: str, dates: tuple) -> tuple[str, str]:
    """The title, description and dates of an arrangement; their problems are added to `problems`."""
    title = check_required(problems, TITLE, title, field="title", missing="Enter the title.")
    with problems.check():
        description = check_limit(DESCRIPTION, description, field="description")
    with problems.check():
        _clean_dates(*dates)
    return title, description


def create_arrangement(
    *,
    user: User,
    kind: str,
    title: str,
    reference: str,
    starts_on,
    ends_on=None,
    description: str = "",
    partners: Iterable[LocalAuthority | int] = (),
    criteria_version: str | None = None,
) -> CommercialArrangement:
    """A new draft arrangement owned by the acting officer's LA."""
    membership = membership_of(user)
    require(can_set_up_arrangements(membership), "Only LA officers and admins can set up an arrangement.")
    assert membership is not None  # can_set_up_arrangements is False for None
    owner_id = membership.local_authority_id
    assert owner_id is not None  # an LA role's membership names its LA (check constraint)
    # Every detail is checked before any is refused, so the officer is told all that is wrong at once.
    problems = Problems()
    with problems.check():
        kind = _clean_kind(kind)
    title, description = _clean_details(problems, title=title, description=description, dates=(starts_on, ends_on))
    with problems.check():
        version = _clean_version(
            criteria_version or CommercialArrangement._meta.get_field("criteria_version").get_default()
        )
    with transaction.atomic():
        with problems.check():
            reference = _clean_reference(reference)
        with problems.check():
            chosen_partners = _clean_partners(owner_id, partners)
        problems.raise_any()
        arrangement = CommercialArrangement.objects.create(
            owner_id=owner_id,
            kind=kind,
            reference=reference,
            title=title,
            description=description,
            criteria_version=version,
            starts_on=starts_on,
            ends_on=ends_on,
            status=Status.DRAFT,
        )
        arrangement.partners.set(chosen_partners)
    return arrangement


def update_arrangement(
    *,
    user: User,
    arrangement: CommercialArrangement,
    title: str,
    starts_on,
    ends_on=None,
    description: str = "",
    partners: Iterable[LocalAuthority | int] = (),
    kind: str | None = None,
    reference: str | None = None,
) -> CommercialArrangement:
    """Change the details. The type and reference are fixed once published: the public page, the word lot or part
    and the OCDS identifier (ocid) all follow them."""
    problems = Problems()
    title, description = _clean_details(problems, title=title, description=description, dates=(starts_on, ends_on))
    with transaction.atomic():
        arrangement = _locked(arrangement)
        _check_can_change(user, arrangement)
        is_draft = arrangement.status == Status.DRAFT
        if kind is not None and kind != arrangement.kind:
            with problems.check():
                if not is_draft:
                    raise DomainError("The type cannot change once the arrangement is published.", field="kind")
                arrangement.kind = _clean_kind(kind)
        if reference is not None and reference.strip().lower() != arrangement.reference:
            with problems.check():
                if not is_draft:
                    raise DomainError(
                        "The reference cannot change once the arrangement is published.", field="reference"
                    )
                arrangement.reference = _clean_reference(reference, exclude_pk=arrangement.pk)
        with problems.check():
            chosen_partners = _clean_partners(arrangement.owner_id, partners)
        problems.raise_any()
        arrangement.title = title
        arrangement.description = description
        arrangement.starts_on = starts_on
        arrangement.ends_on = ends_on
        arrangement.save()
        arrangement.partners.set(chosen_partners)
    return arrangement


def _move(action: Action, *, user: User, arrangement: CommercialArrangement) -> CommercialArrangement:
    with transaction.atomic():
        arrangement = _locked(arrangement)
        _check_can_change(user, arrangement)
        to = ARRANGEMENT.check(Status(arrangement.status), action, parties_of(user, arrangement)).to
        if action == Action.PUBLISH:
            if not arrangement.lots.exists():
                raise DomainError(
                    f"Add at least one {arrangement.lot_word} before you publish the arrangement.", field="lots"
                )
            arrangement.published_at = now()
        arrangement.status = to
        arrangement.save(update_fields=["status", "published_at"])
    return arrangement


def publish_arrangement(*, user: User, arrangement: CommercialArrangement) -> CommercialArrangement:
    """Make a draft public and open it for applications. It needs at least one lot (or part)."""
    return _move(Action.PUBLISH, user=user, arrangement=arrangement)


def close_arrangement(*, user: User, arrangement: CommercialArrangement) -> CommercialArrangement:
    """Stop new applications; admitted providers keep their place and the public page stays."""
    return _move(Action.CLOSE, user=user, arrangement=arrangement)


def open_arrangement(*, user: User, arrangement: CommercialArrangement) -> CommercialArrangement:
    """Take applications again after closing."""
    return _move(Action.OPEN, user=user, arrangement=arrangement)


# -- Lots or parts --------------------------------------------------------------------------------------------


class LotTerms(TypedDict):
    """What a lot (or part) says, as add_lot and update_lot take it (and the lot form cleans it)."""

    title: str
    criteria: Iterable[str]
    description: NotRequired[str]
    for_unregistered: NotRequired[bool]


def _clean_lot(arrangement: CommercialArrangement, terms: LotTerms) -> dict:
    """A lot's title, description, criteria and whether it is for unregistered providers, as they will be stored,
    checked together: every problem is told at once."""
    word = arrangement.lot_word
    for_unregistered = terms.get("for_unregistered", False)
    problems = Problems()
    title = check_required(
        problems, LOT_TITLE, terms["title"], field="title", missing=f"Enter the title of the {word}."
    )
    with problems.check():
        description = check_limit(DESCRIPTION, terms.get("description", ""), field="description")
    with problems.check():
        codes = lot_criteria(
            criteria_version=arrangement.criteria_version,
            chosen=terms["criteria"],
            for_unregistered=for_unregistered,
            word=word,
        )
    problems.raise_any()
    return {"title": title, "description": description, "criteria": codes, "for_unregistered": for_unregistered}


def add_lot(*, user: User, arrangement: CommercialArrangement, **terms: Unpack[LotTerms]) -> Lot:
    """The next lot (or part) of the arrangement, numbered after the last one."""
    with transaction.atomic():
        arrangement = _locked(arrangement)
        _check_can_change(user, arrangement)
        cleaned = _clean_lot(arrangement, terms)
        number = (arrangement.lots.aggregate(last=Max("number"))["last"] or 0) + 1
        return Lot.objects.create(arrangement=arrangement, number=number, **cleaned)


def update_lot(*, user: User, lot: Lot, **terms: Unpack[LotTerms]) -> Lot:
    """Change a lot. Its criteria are fixed once a provider has applied to it: the application answers them."""
    with transaction.atomic():
        arrangement = _locked(lot.arrangement)
        _check_can_change(user, arrangement)
        lot = Lot.objects.select_for_update().get(pk=lot.pk)
        word = arrangement.lot_word
        cleaned = _clean_lot(arrangement, terms)
        changes_criteria = (
            cleaned["criteria"] != list(lot.criteria) or cleaned["for_unregistered"] != lot.for_unregistered
        )
        if changes_criteria and lot.applications.exists():
            raise DomainError(
                f"Providers have already applied to this {word}, so its criteria cannot change. "
                f"Add a new {word} instead.",
                field="criteria",
            )
        for name, value in cleaned.items():
            setattr(lot, name, value)
        lot.save()
    lot.arrangement = arrangement
    return lot


def remove_lot(*, user: User, lot: Lot) -> CommercialArrangement:
    """Take a lot out of a draft; a published lot stays, since providers may have applied to it."""
    with transaction.atomic():
        arrangement = _locked(lot.arrangement)
        _check_can_change(user, arrangement)
        if arrangement.status != Status.DRAFT:
            raise InvalidTransition(
                f"You cannot remove a {arrangement.lot_word} once the arrangement is published. "
                "Close the arrangement instead if it should take no more applications."
            )
        lot = Lot.objects.get(pk=lot.pk)
        if lot.applications.exists() or lot.admissions.exists():
            raise DomainError(f"Providers have applied to this {arrangement.lot_word}, so it cannot be removed.")
        removed = lot.number
        lot.delete()
        # Close the gap so the published numbering runs 1, 2, 3 as people will quote it.
        for later in arrangement.lots.filter(number__gt=removed).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
    return arrangement
