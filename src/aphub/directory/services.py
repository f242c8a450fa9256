"""Writes to the directory: the provision lifecycle and moderated edits (docs/decisions/0005).

Provider staff draft, edit and submit their own provisions; an LA officer or admin of the provision's LA approves
before anything is public. Once published, a provider's edit waits in `pending_changes` and the public keeps seeing
the approved version until the LA approves the change. Every move is in PROVISION; anything else is refused.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from aphub.core.clock import now
from aphub.core.errors import DomainError, InvalidTransition, Problems
from aphub.core.forms.validators import Limit, at_most, check_limit, pounds, whole_number
from aphub.core.lifecycle import Lifecycle, Move, Words
from aphub.core.model_fields import max_length, own_field
from aphub.core.permissions import require
from aphub.duties import notifications
from aphub.organisations.models import Role, User
from aphub.organisations.queries import membership_of

from . import public_cache
from .geocoding import geocode, normalise_postcode
from .models import TERMS, CostOption, Provision, Term
from .permissions import can_add_provision
from .snapshots import (
    DERIVED_FIELDS,
    EDITABLE_FIELDS,
    Snapshot,
    cost_option_dict,
    current_proposal,
    snapshot_of,
)

Status = Provision.Status
MAX_COST_OPTIONS = 10

# The limits on a provision's answers, as the edit page and the service both ask them (decision 0025). The text
# answers are kept in their columns; the numbers are those a real AP setting has (the ages of compulsory school age
# and of post-16 learners up to 25 with an EHC plan; a placement of at most ten years).
_TEXT_ANSWERS = {
    "name": "Name of the provision",
    "summary": "Summary",
    "sessions_offered": "Sessions offered",
    "address_line_1": "Address line 1",
    "address_line_2": "Address line 2",
    "town": "Town or city",
    "contact_name": "Contact name",
    "contact_phone": "Contact phone number",
}
AGE_MIN = partial(whole_number, low=4, high=25, message="Enter the youngest age the provision takes, from 4 to 25")
AGE_MAX = partial(whole_number, low=4, high=25, message="Enter the oldest age the provision takes, from 4 to 25")
PLACES = partial(whole_number, low=0, high=10000, message="Enter the number of places, like 12")
TYPICAL_WEEKS = partial(whole_number, low=1, high=520, message="Enter the typical length in weeks, like 20")
PROVISION_LIMITS: dict[str, Limit[Any]] = {
    **{name: at_most(max_length(Provision, name), what) for name, what in _TEXT_ANSWERS.items()},
    "age_min": AGE_MIN,
    "age_max": AGE_MAX,
    "places": PLACES,
    "typical_duration_weeks": TYPICAL_WEEKS,
}

# Why an officer returns a provision to its provider, which the provider reads.
REJECT_REASON_LENGTH = 2000
REJECT_REASON = at_most(REJECT_REASON_LENGTH, "The reason")

# A cost row's limits, as the edit page and the service both ask them (decision 0025).
COST_LABEL = at_most(max_length(CostOption, "label"), "The description of the cost")


def cost_amount(value: Decimal | str | None, *, label: str = "") -> Decimal:
    """A cost's amount: pounds and whole pence from £0 to under £100,000,000 (the column's ten digits). The message
    names the cost by its description when it has one, so a page or a request of several costs says which."""
    what = f"the cost of '{label}'" if label else "the cost"
    return pounds(value, message=f"Enter {what} in pounds, like 95.00")


class Action(StrEnum):
    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    ARCHIVE = "archive"
    RESTORE = "restore"


class Actor(StrEnum):
    PROVIDER = "provider"  # provider staff of the provision's provider
    LA = "la"  # LA officer or LA admin of the provision's LA (auditors only read)


PROVIDER = frozenset({Actor.PROVIDER})
LA = frozenset({Actor.LA})
EITHER = frozenset({Actor.PROVIDER, Actor.LA})

_STATUS_PHRASE: dict[str, str] = {
    Status.DRAFT: "a draft",
    Status.SUBMITTED: "waiting for LA approval",
    Status.PUBLISHED: "published",
    Status.ARCHIVED: "archived",
}
WORDS = Words("provision", states=_STATUS_PHRASE)

# The provision lifecycle. A pair that is not here is an InvalidTransition; a user on neither side that makes an
# action is refused it whatever the provision's status. A submitted provision is frozen while the LA reviews it, so
# the officer approves exactly what they read.
PROVISION: Lifecycle[Status, Action] = Lifecycle(
    "provision",
    {
        (Status.DRAFT, Action.EDIT): Move(Status.DRAFT, PROVIDER),
        (Status.PUBLISHED, Action.EDIT): Move(Status.PUBLISHED, PROVIDER),  # into pending_changes
        (Status.DRAFT, Action.SUBMIT): Move(Status.SUBMITTED, PROVIDER),
        (Status.SUBMITTED, Action.APPROVE): Move(Status.PUBLISHED, LA),
        (Status.PUBLISHED, Action.APPROVE): Move(Status.PUBLISHED, LA),  # NEEDS_PENDING
        (Status.SUBMITTED, Action.REJECT): Move(Status.DRAFT, LA),
        (Status.PUBLISHED, Action.REJECT): Move(Status.PUBLISHED, LA),  # NEEDS_PENDING
        (Status.DRAFT, Action.ARCHIVE): Move(Status.ARCHIVED, EITHER),
        (Status.SUBMITTED, Action.ARCHIVE): Move(Status.ARCHIVED, EITHER),
        (Status.PUBLISHED, Action.ARCHIVE): Move(Status.ARCHIVED, EITHER),
        (Status.ARCHIVED, Action.RESTORE): Move(Status.DRAFT, EITHER),  # back through approval before it is public
    },
    choices=Status,
    invalid=WORDS.invalid,
    refused=WORDS.refused,
    refuse_before_state=True,
)
# Moves of a published provision that decide the provider's proposed changes, so only when there are some.
NEEDS_PENDING = frozenset({(Status.PUBLISHED, Action.APPROVE), (Status.PUBLISHED, Action.REJECT)})


def parties_of(user: User | None, provision: Provision) -> frozenset[Actor]:
    """Whose side the user acts for on this provision: the provider, the LA or neither (deny by default)."""
    membership = membership_of(user)
    if membership is None:
        return frozenset()
    if membership.role == Role.PROVIDER_STAFF and membership.provider_id == provision.provider_id:
        return PROVIDER
    if (
        membership.role in (Role.LA_OFFICER, Role.LA_ADMIN)
        and membership.local_authority_id == provision.local_authority_id
    ):
        return LA
    return frozenset()


def allowed_actions(user: User | None, provision: Provision) -> set[Action]:
    """The actions the user may take on the provision now (what the pages offer as buttons)."""
    return {
        action
        for action in PROVISION.allowed(provision.status, parties_of(user, provision))
        if (provision.status, action) not in NEEDS_PENDING or provision.pending_changes
    }


def _check(action: Action, provision: Provision, user: User) -> Move:
    move = PROVISION.check(Status(provision.status), action, parties_of(user, provision))
    if (provision.status, action) in NEEDS_PENDING and not provision.pending_changes:
        raise InvalidTransition("There are no changes to this provision waiting for approval.")
    return move


def _locked(provision: Provision) -> Provision:
    # A row lock on PostgreSQL so two officers (or an officer and the provider) cannot interleave moves;
    # SQLite serialises writers with its IMMEDIATE transactions instead.
    return Provision.objects.select_for_update().get(pk=provision.pk)


def _moved(action: Action, provision: Provision, user: User) -> Provision:
    """The provision, locked, in the status `action` moves it to (refused where the user or its status may not)."""
    provision = _locked(provision)
    provision.status = _check(action, provision, user).to
    return provision


def _drop_pending(provision: Provision) -> None:
    provision.pending_changes = None
    provision.pending_submitted_at = None


# -- Validation of proposed content ---------------------------------------------------------------------------


def _proposal(
    base: Snapshot,
    values: Mapping[str, Any] | None,
    term_codes: Iterable[str] | None,
    cost_options: Iterable[Mapping[str, Any]] | None,
) -> Snapshot:
    """Overlay the given values on a base snapshot and validate the result; every problem is raised together."""
    values = dict(values or {})
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    problems = Problems()
    with problems.check():
        fields = _clean_fields({**base["fields"], **values})
    with problems.check():
        codes = base["term_codes"] if term_codes is None else _clean_term_codes(term_codes)
    with problems.check():
        options = base["cost_options"] if cost_options is None else _clean_cost_options(cost_options)
    problems.raise_any()
    return {"fields": fields, "term_codes": codes, "cost_options": options}


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    problems = Problems()
    for name in ("name", "summary"):
        fields[name] = (fields.get(name) or "").strip()
    if not fields["name"]:
        problems.add("Enter the name of the provision.", field="name")
    if not fields["summary"]:
        problems.add("Enter a one-sentence summary of the provision.", field="summary")
    for name, limit in PROVISION_LIMITS.items():
        if fields.get(name) not in (None, ""):
            with problems.check():
                fields[name] = check_limit(limit, fields[name], field=name)
    told = {problem.field for problem in problems.errors}
    age_min, age_max = fields.get("age_min"), fields.get("age_max")
    if age_min is None or age_max is None:
        problems.add("Enter the youngest and oldest ages the provision takes.", field="age_min")
    elif not {"age_min", "age_max"} & told and age_min > age_max:
        problems.add("The youngest age must be the same as or less than the oldest age.", field="age_max")
    postcode = (fields.get("postcode") or "").strip()
    point = None
    fields["postcode"] = ""
    if postcode:
        normalised = normalise_postcode(postcode)
        if normalised is None:
            problems.add("Enter a real postcode, like B91 3QB.", field="postcode")
        else:
            fields["postcode"] = normalised
            point = geocode(normalised)
    # An unknown but well-formed postcode is allowed (the ONS directory may not be loaded); such a provision
    # simply does not appear in distance searches until its postcode is known.
    fields["latitude"], fields["longitude"] = point if point else (None, None)

    # The model's own validators (lengths, choices, ranges, e-mail and URL shapes) have the last word.
    candidate = Provision(**{name: fields.get(name) for name in EDITABLE_FIELDS + DERIVED_FIELDS})
    candidate.description = candidate.description or ""
    for name in EDITABLE_FIELDS:
        if getattr(candidate, name) is None and name not in ("typical_duration_weeks", "places"):
            setattr(candidate, name, "")
    if candidate.places is None:
        problems.add("Enter the number of places.", field="places")
    try:
        candidate.full_clean(
            exclude=["provider", "local_authority", "approved_by", "status"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        # The model's word on each field not already named above, one message a field.
        named = {problem.field for problem in problems.errors}
        for field, messages in error.message_dict.items():
            if field not in named:
                label = own_field(Provision, field).verbose_name if field in EDITABLE_FIELDS else field
                problems.add(f"{str(label).capitalize()}: {messages[0]}", field=field)
    problems.raise_any()
    return {name: getattr(candidate, name) for name in EDITABLE_FIELDS + DERIVED_FIELDS}


def _clean_term_codes(term_codes: Iterable[str]) -> list[str]:
    codes = sorted(set(term_codes))
    known = set(Term.objects.filter(code__in=codes).values_list("code", flat=True))
    if known != set(codes):
        raise DomainError("Choose terms from the lists given.", field="terms")
    return codes


def _clean_cost_options(cost_options: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    options = list(cost_options)
    cleaned = []
    problems = Problems()
    units = set(CostOption.Unit.values)
    for option in options:
        label = (option.get("label") or "").strip()
        if not label:
            problems.add("Enter a description for each cost, like Full-time place.", field="cost_options")
            continue
        amount: Decimal | None = None
        unit, label_fits = option.get("unit"), False
        with problems.check():
            label = check_limit(COST_LABEL, label, field="cost_options")
            label_fits = True
        with problems.check():
            amount = check_limit(partial(cost_amount, label=label), option.get("amount"), field="cost_options")
        if unit not in units:
            problems.add(f"Choose what the cost of '{label}' is for, like per day.", field="cost_options")
        if label_fits and amount is not None and unit in units:
            cleaned.append(cost_option_dict(label, amount, unit))
    if len(options) > MAX_COST_OPTIONS:
        problems.add(f"Enter no more than {MAX_COST_OPTIONS} costs.", field="cost_options")
    problems.raise_any()
    cleaned.sort(key=lambda o: Decimal(o["amount"]))
    return cleaned


def _write(provision: Provision, snapshot: Snapshot) -> None:
    """Copy a validated snapshot into the approved columns, terms and cost options."""
    for name, value in snapshot["fields"].items():
        setattr(provision, name, value)
    provision.save()
    provision.terms.set(Term.objects.filter(code__in=snapshot["term_codes"]))
    provision.cost_options.all().delete()
    CostOption.objects.bulk_create(
        CostOption(provision=provision, label=o["label"], amount=Decimal(o["amount"]), unit=o["unit"])
        for o in snapshot["cost_options"]
    )


def _same_content(a: Snapshot, b: Snapshot) -> bool:
    """Equal in everything a provider can write (coordinates follow from the postcode)."""
    return (
        all(a["fields"].get(name) == b["fields"].get(name) for name in EDITABLE_FIELDS)
        and a["term_codes"] == b["term_codes"]
        and a["cost_options"] == b["cost_options"]
    )


_EMPTY: Snapshot = {
    "fields": {name: None for name in EDITABLE_FIELDS + DERIVED_FIELDS},
    "term_codes": [],
    "cost_options": [],
}


# -- Operations -----------------------------------------------------------------------------------------------


def create_provision(
    *,
    user: User,
    values: Mapping[str, Any],
    term_codes: Iterable[str] = (),
    cost_options: Iterable[Mapping[str, Any]] = (),
) -> Provision:
    """A new draft for the acting provider's own organisation, listed in that provider's LA."""
    membership = membership_of(user)
    require(can_add_provision(membership), "Only provider staff can add a provision.")
    assert membership is not None  # can_add_provision is False for None
    provider = membership.provider
    assert provider is not None  # Membership's check constraint gives provider staff a provider
    if provider.local_authority_id is None:
        raise DomainError("Your organisation is not linked to a local authority yet. Ask the LA to link it.")
    snapshot = _proposal(_EMPTY, values, term_codes, cost_options)
    with transaction.atomic():
        provision = Provision(provider=provider, local_authority_id=provider.local_authority_id, status=Status.DRAFT)
        provision.created_at = provision.updated_at = now()
        _write(provision, snapshot)
    return provision


def update_provision(
    *,
    user: User,
    provision: Provision,
    values: Mapping[str, Any] | None = None,
    term_codes: Iterable[str] | None = None,
    cost_options: Iterable[Mapping[str, Any]] | None = None,
) -> Provision:
    """A draft changes directly; a published provision keeps its approved version and holds the edit as pending.

    Arguments left as None keep their current (or already proposed) values.
    """
    with transaction.atomic():
        provision = _locked(provision)
        _check(Action.EDIT, provision, user)
        if provision.status == Status.DRAFT:
            _write(provision, _proposal(snapshot_of(provision), values, term_codes, cost_options))
            provision.updated_at = now()
            provision.save(update_fields=["updated_at"])
            return provision
        approved = snapshot_of(provision)
        proposal = _proposal(current_proposal(provision), values, term_codes, cost_options)
        if _same_content(proposal, approved):
            # Editing back to the published values withdraws the proposal: nothing is left to approve.
            _drop_pending(provision)
        else:
            provision.pending_changes = proposal
            provision.pending_submitted_at = now()
            provision.rejection_reason = ""
        provision.updated_at = now()
        provision.save(update_fields=["pending_changes", "pending_submitted_at", "rejection_reason", "updated_at"])
    return provision


def submit_provision(*, user: User, provision: Provision) -> Provision:
    """Send a draft to the LA for approval."""
    with transaction.atomic():
        provision = _moved(Action.SUBMIT, provision, user)
        provision.submitted_at = provision.updated_at = now()
        provision.rejection_reason = ""
        provision.save(update_fields=["status", "submitted_at", "updated_at", "rejection_reason"])
    return provision


def approve_provision(*, user: User, provision: Provision) -> Provision:
    """Publish a submitted provision, or apply the pending changes of a published one. Records who approved."""
    with transaction.atomic():
        provision = _locked(provision)
        move = _check(Action.APPROVE, provision, user)
        moment = now()
        if provision.pending_changes:
            _write(provision, provision.pending_changes)
        provision.status = move.to
        _drop_pending(provision)
        provision.rejection_reason = ""
        provision.published_at = provision.published_at or moment
        provision.approved_at = provision.updated_at = moment
        provision.approved_by = user
        provision.save()
        transaction.on_commit(public_cache.directory_changed)
        notifications.provision_decided(provision, approved=True)
    return provision


def reject_provision(*, user: User, provision: Provision, reason: str) -> Provision:
    """Return a submitted provision to draft, or discard a published one's pending changes, telling the provider why."""
    reason = check_limit(REJECT_REASON, reason, field="reason")
    if not reason:
        raise DomainError("Enter why you are returning this provision to the provider.", field="reason")
    with transaction.atomic():
        provision = _moved(Action.REJECT, provision, user)
        _drop_pending(provision)
        provision.rejection_reason = reason
        provision.updated_at = now()
        provision.save(
            update_fields=["status", "pending_changes", "pending_submitted_at", "rejection_reason", "updated_at"]
        )
        notifications.provision_decided(provision, approved=False)
    return provision


def archive_provision(*, user: User, provision: Provision) -> Provision:
    """Take a provision out of the directory and the approval queue; any pending changes are dropped."""
    with transaction.atomic():
        provision = _moved(Action.ARCHIVE, provision, user)
        _drop_pending(provision)
        provision.updated_at = now()
        provision.save(update_fields=["status", "pending_changes", "pending_submitted_at", "updated_at"])
        transaction.on_commit(public_cache.directory_changed)
    return provision


def restore_provision(*, user: User, provision: Provision) -> Provision:
    """Bring an archived provision back as a draft; it needs approval again before the public sees it."""
    with transaction.atomic():
        provision = _moved(Action.RESTORE, provision, user)
        provision.updated_at = now()
        provision.save(update_fields=["status", "updated_at"])
    return provision


def ensure_terms() -> int:
    """The directory's vocabularies (TERMS), as its migration `0001_initial` seeds them; returns how many were missing.

    Migrations seed them in every real database. The demo calls this too, because a test database emptied by a
    transactional test (its flush) has lost them, and the demo's children are referred with these needs.
    """
    missing = 0
    for vocabulary, terms in TERMS.items():
        for position, (code, label) in enumerate(terms):
            _term, created = Term.objects.update_or_create(
                vocabulary=str(vocabulary), code=code, defaults={"label": label, "position": position}
            )
            missing += created
    return missing
