"""Writes of providers' applications to commercial arrangements, their evidence library and their clarification answers.

Provider staff start an application to an open arrangement, choose lots (or parts), answer each criterion the lots
ask with a statement and evidence, make the declarations and submit. The LA evaluates
(aphub.commissioning.evaluation.services) and may ask for clarification, which pauses the decision clock until the
provider answers every question.

Evidence is the provider's, held once in its library and reused across applications. Every upload is checked by
content, size and the virus-scan hook (aphub.core.files.uploads) before anything is stored.

The provider makes its moves of the one application lifecycle (APPLICATION, in commissioning.applications.lifecycle);
anything else is an InvalidTransition.
"""

import datetime
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from aphub.commissioning.applications.lifecycle import APPLICATION, PROVIDER_SIDE, STATUS_PHRASE
from aphub.commissioning.applications.queries import (
    OPEN_STATUSES,
    Gap,
    criteria_needed,
    current_clarifications,
    evidence_in_use,
    library_criteria,
    submission_gaps,
)
from aphub.commissioning.arrangements.criteria import Criterion, criteria_set
from aphub.commissioning.models import (
    Application,
    Clarification,
    CommercialArrangement,
    CriterionResponse,
    Evidence,
    Lot,
)
from aphub.commissioning.permissions import can_apply, can_change_application
from aphub.core.clock import now, today
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted, Problems
from aphub.core.files.uploads import EXTENSIONS, check_upload
from aphub.core.forms.validators import at_most, check_limit, check_required
from aphub.core.money import format_money, to_money
from aphub.core.permissions import require
from aphub.organisations.models import User
from aphub.organisations.queries import membership_of

Status = Application.Status
MAX_STATEMENT = 10_000
MAX_ANSWER = 10_000
# Each limit once, with its message: the forms' fields (application_forms) and these services ask the same one.
TITLE = at_most(200, "The title")
STATEMENT = at_most(MAX_STATEMENT, "The statement")
ANSWER = at_most(MAX_ANSWER, "The answer")
COVER_FORMAT = "Enter the amount of cover in pounds, like 5,000,000"
COVER_BELOW = Decimal("10000000000")  # the column holds ten digits of pounds and the pence


def amount_of_cover(value: Decimal | int | str | None) -> Decimal:
    """The amount of cover an insurance schedule shows, in pounds to the penny: more than £0, less than £10bn."""
    if value is None:
        raise ValidationError(COVER_FORMAT)
    try:
        amount = to_money(value)
    except (ValueError, TypeError):
        raise ValidationError(COVER_FORMAT) from None
    if amount <= 0:
        raise ValidationError("The amount of cover must be more than £0")
    if amount >= COVER_BELOW:
        raise ValidationError("The amount of cover must be less than £10,000,000,000")
    return amount


class AlreadyApplied(DomainError):
    """The provider already has an application in progress to this arrangement; `application` is that one."""

    def __init__(self, application: Application) -> None:
        super().__init__(
            f"You already have an application to {application.arrangement.title}. "
            "Carry on with it, or withdraw it before you start again."
        )
        self.application = application


class IncompleteApplication(DomainError):
    """Submitting an application with gaps; `gaps` names each one (what to do, and where)."""

    def __init__(self, gaps: list[Gap]) -> None:
        count = len(gaps)
        super().__init__(
            f"You cannot submit this application yet: {count} thing{'s' if count != 1 else ''} to do. "
            + " ".join(gap.text.rstrip(".") + "." for gap in gaps)
        )
        self.gaps = gaps


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    ANSWER = "answer"  # the provider has answered every clarification question: back to the LA


def _to(application: Application, action: Action) -> Status:
    """The status the provider's `action` moves the application to (APPLICATION, the one lifecycle table)."""
    return Status(APPLICATION.check(application.status, action, PROVIDER_SIDE).to)


def allowed_actions(user: User | None, application: Application) -> set[Action]:
    """The provider's moves open to the user on this application now (what the pages offer as buttons)."""
    parties = PROVIDER_SIDE if _is_own(user, application) else frozenset()
    return {Action(action) for action in APPLICATION.allowed(application.status, parties)}


# -- Who may act -------------------------------------------------------------------------------------------------


def _provider_staff(user: User | None):
    membership = membership_of(user)
    require(can_apply(membership), "Only a provider's staff can apply to an arrangement and manage its evidence.")
    return membership


def _is_own(user: User | None, application: Application) -> bool:
    return can_change_application(membership_of(user), application)


def _own(user: User, application: Application) -> Application:
    """The application locked for update, when the user works for its provider."""
    require(_is_own(user, application), "You can only change your own organisation's applications.")
    # A row lock on PostgreSQL so two members of staff cannot interleave moves; SQLite serialises writers anyway.
    return Application.objects.select_for_update().select_related("arrangement", "provider").get(pk=application.pk)


def _must_be_draft(application: Application) -> None:
    if application.status != Status.DRAFT:
        raise InvalidTransition(
            f"You cannot change this application because it is {STATUS_PHRASE[application.status]}."
        )


# -- Starting an application and choosing lots -------------------------------------------------------------------


def is_open(arrangement: CommercialArrangement) -> bool:
    """Providers may apply: the arrangement is published and open."""
    return arrangement.status == CommercialArrangement.Status.OPEN and arrangement.published_at is not None


def _check_open(arrangement: CommercialArrangement) -> None:
    if arrangement.status == CommercialArrangement.Status.CLOSED:
        raise DomainError(f"{arrangement.title} is closed to new applications.")
    if not is_open(arrangement):
        raise DomainError(f"{arrangement.title} is not open for applications yet.")


def _clean_lots(arrangement: CommercialArrangement, lots: Iterable[Lot]) -> list[Lot]:
    chosen = list(dict.fromkeys(lots))
    word = arrangement.lot_word
    if not chosen:
        raise DomainError(f"Choose at least one {word} to apply for", field="lots")
    if any(lot.arrangement_id != arrangement.pk for lot in chosen):
        raise DomainError(f"Choose {word}s of {arrangement.title}", field="lots")
    return chosen


def _ensure_responses(application: Application, lots: list[Lot]) -> None:
    """A response row for every criterion the lots ask, so each has a page the task list links to."""
    needed = [criterion.code for criterion in criteria_needed(application.provider, lots)]
    have = set(application.responses.values_list("criterion", flat=True))
    CriterionResponse.objects.bulk_create(
        CriterionResponse(application=application, criterion=code) for code in needed if code not in have
    )


@transaction.atomic
def start_application(*, user: User, arrangement: CommercialArrangement, lots: Iterable[Lot]) -> Application:
    """A draft application of the user's provider to an open arrangement, for the chosen lots."""
    membership = _provider_staff(user)
    arrangement = CommercialArrangement.objects.select_for_update().get(pk=arrangement.pk)
    _check_open(arrangement)
    chosen = _clean_lots(arrangement, lots)
    existing = (
        Application.objects.filter(
            provider_id=membership.provider_id, arrangement=arrangement, status__in=OPEN_STATUSES
        )
        .select_related("arrangement")
        .first()
    )
    if existing is not None:
        raise AlreadyApplied(existing)
    try:
        # The savepoint keeps the outer transaction usable if another tab started one a moment ago.
        with transaction.atomic():
            application = Application.objects.create(
                provider_id=membership.provider_id, arrangement=arrangement, created_by=user
            )
    except IntegrityError:
        raise AlreadyApplied(
            Application.objects.select_related("arrangement").get(
                provider_id=membership.provider_id, arrangement=arrangement, status__in=OPEN_STATUSES
            )
        ) from None
    application.lots.set(chosen)
    application = Application.objects.select_related("arrangement", "provider").get(pk=application.pk)
    _ensure_responses(application, chosen)
    return application


@transaction.atomic
def choose_lots(*, user: User, application: Application, lots: Iterable[Lot]) -> Application:
    """Change the lots of a draft. Answers to criteria no longer asked are kept until submission, then dropped."""
    application = _own(user, application)
    _must_be_draft(application)
    chosen = _clean_lots(application.arrangement, lots)
    application.lots.set(chosen)
    _ensure_responses(application, chosen)
    return application


# -- Evidence ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewEvidence:
    """A document to add to the library: what the upload form collects."""

    title: str
    file: UploadedFile
    cover_amount: Decimal | None = None
    expires_on: datetime.date | None = None


def _criterion_for_library(code: str, version: str | None = None) -> Criterion:
    chosen = criteria_set(version) if version else None
    if chosen is not None:
        try:
            return chosen.get(code)
        except KeyError:
            pass
    for criterion in library_criteria():
        if criterion.code == code:
            return criterion
    raise DomainError("Choose which criterion this evidence is for", field="criterion")


def _store_evidence(
    *, user: User, provider_id: int, criterion: Criterion, new: NewEvidence, on: datetime.date, stored: list[str]
) -> Evidence:
    """Validate, check the file (type, size, virus scan), then store it. Nothing is stored when any check fails."""
    problems = Problems()
    missing = "Enter a title for the evidence, like Insurance schedule 2026"
    title = check_required(problems, TITLE, new.title, field="title", missing=missing)
    cover = None
    if criterion.minimum_cover is not None:
        if new.cover_amount is None:
            problems.add(
                f"Enter the amount of cover in pounds, like {format_money(criterion.minimum_cover)}",
                field="cover_amount",
            )
        else:
            with problems.check():
                cover = check_limit(amount_of_cover, new.cover_amount, field="cover_amount")
    if criterion.expires and new.expires_on is None:
        problems.add("Enter the date this document expires, like 31 3 2027", field="expires_on")
    elif new.expires_on is not None and new.expires_on < on:
        problems.add("The expiry date must be today or in the future: upload a current document", field="expires_on")
    if problems:
        # The file's own problems (missing, too large, wrong type) are told with the others; the virus scan runs
        # once, on a submission that is otherwise right.
        with problems.check():
            check_upload(new.file, scan=False)
    problems.raise_any()
    content_type = check_upload(new.file)
    assert new.file.size is not None  # check_upload refused a file without one
    evidence = Evidence(
        provider_id=provider_id,
        criterion=criterion.code,
        title=title,
        content_type=content_type,
        size=new.file.size,
        cover_amount=cover,
        expires_on=new.expires_on,
        # The scan ran before saving: only clean files get this far.
        scan_status=Evidence.Scan.CLEAN,
        uploaded_by=user,
    )
    # The stored name is ours, not the sender's: no path tricks, and the extension matches the sniffed type.
    evidence.file.save(f"provider-{provider_id}-{criterion.code}{EXTENSIONS[content_type]}", new.file, save=False)
    if evidence.file.name:  # always, once saved: storage names every file it keeps
        stored.append(evidence.file.name)
    evidence.save()
    return evidence


@contextmanager
def _files_kept_only_on_success() -> Iterator[list[str]]:
    """Collects the names of files stored during a service; deletes them when the service fails.

    Files are written before the database commits, so a rolled-back change must not leave its file behind.
    Use it outside the transaction: `with _files_kept_only_on_success() as stored, transaction.atomic(): ...`.
    """
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


def add_evidence(
    *,
    user: User,
    criterion: str,
    title: str,
    file: UploadedFile,
    cover_amount: Decimal | None = None,
    expires_on: datetime.date | None = None,
) -> Evidence:
    """Add a document to the provider's evidence library (PDF, DOCX, JPEG or PNG, at most 10 MB, virus-checked)."""
    membership = _provider_staff(user)
    with _files_kept_only_on_success() as stored, transaction.atomic():
        return _store_evidence(
            user=user,
            provider_id=membership.provider_id,
            criterion=_criterion_for_library(criterion),
            new=NewEvidence(title=title, file=file, cover_amount=cover_amount, expires_on=expires_on),
            on=today(),
            stored=stored,
        )


def _own_evidence(provider_id: int, evidence: Iterable[Evidence]) -> list[Evidence]:
    chosen = list(dict.fromkeys(evidence))
    if any(item.provider_id != provider_id for item in chosen):
        raise NotPermitted("You can only attach your own organisation's evidence.")
    if any(item.scan_status == Evidence.Scan.INFECTED for item in chosen):
        raise DomainError("Evidence the virus check refused cannot be attached", field="evidence")
    return chosen


def _chosen_evidence(
    user: User,
    application: Application,
    code: str,
    evidence: Iterable[Evidence],
    upload: NewEvidence | None,
    stored: list[str],
) -> list[Evidence]:
    """The provider's own evidence chosen from the library for criterion `code`, and the new upload if given."""
    chosen = _own_evidence(application.provider_id, evidence)
    if upload is not None:
        criterion = _criterion_for_library(code, application.arrangement.criteria_version)
        chosen.append(
            _store_evidence(
                user=user,
                provider_id=application.provider_id,
                criterion=criterion,
                new=upload,
                on=today(),
                stored=stored,
            )
        )
    return chosen


@transaction.atomic
def delete_evidence(*, user: User, evidence: Evidence) -> None:
    """Delete a document from the library, unless an application the council has received relies on it."""
    membership = _provider_staff(user)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.provider_id != membership.provider_id:
        raise NotPermitted("You can only delete your own organisation's evidence.")
    if evidence_in_use(evidence):
        raise DomainError(
            f"You cannot delete {evidence.title}: an application you submitted relies on it. "
            "Upload a newer document instead; the council keeps what it assessed."
        )
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name) if name else None)


# -- Answering the criteria and declarations ---------------------------------------------------------------------


def save_response(
    *,
    user: User,
    response: CriterionResponse,
    statement: str,
    evidence: Iterable[Evidence] = (),
    upload: NewEvidence | None = None,
) -> CriterionResponse:
    """Save a criterion's statement and its evidence (chosen from the library, and a new upload if given)."""
    with _files_kept_only_on_success() as stored, transaction.atomic():
        application = _own(user, response.application)
        _must_be_draft(application)
        response = CriterionResponse.objects.select_for_update().get(pk=response.pk)
        statement = check_limit(STATEMENT, statement, field="statement")
        chosen = _chosen_evidence(user, application, response.criterion, evidence, upload, stored)
        response.statement = statement
        response.updated_at = now()
        response.save(update_fields=["statement", "updated_at"])
        response.evidence.set(chosen)
        return response


@transaction.atomic
def make_declarations(*, user: User, application: Application, codes: Iterable[str]) -> Application:
    """Record which declarations the provider makes (ticked now); those left unticked are withdrawn."""
    application = _own(user, application)
    _must_be_draft(application)
    known = {declaration.code for declaration in criteria_set(application.arrangement.criteria_version).declarations}
    codes = set(codes)
    unknown = codes - known
    if unknown:
        raise DomainError("Choose declarations from the list", field="declarations")
    previous = application.declarations or {}
    stamp = now().isoformat()
    application.declarations = {code: previous.get(code) or stamp for code in sorted(codes)}
    application.save(update_fields=["declarations"])
    return application


# -- Submitting and withdrawing ----------------------------------------------------------------------------------


@transaction.atomic
def submit_application(*, user: User, application: Application) -> Application:
    """Send a complete application to the LA. Every gap is named in the error when it is not complete."""
    application = _own(user, application)
    target = _to(application, Action.SUBMIT)
    if application.arrangement.status != CommercialArrangement.Status.OPEN:
        raise DomainError(f"{application.arrangement.title} is closed to new applications, so you cannot submit.")
    gaps = submission_gaps(application)
    if gaps:
        raise IncompleteApplication(gaps)
    # What the LA reads is exactly what the chosen lots ask: answers kept from lots since unticked are dropped.
    needed = [criterion.code for criterion in criteria_needed(application.provider, application.lots.all())]
    application.responses.exclude(criterion__in=needed).delete()
    application.status = target
    application.submitted_at = now()
    application.save(update_fields=["status", "submitted_at"])
    return application


@transaction.atomic
def withdraw_application(*, user: User, application: Application) -> Application:
    application = _own(user, application)
    application.status = _to(application, Action.WITHDRAW)
    if application.paused_since is not None:
        # The clock stops here: the paused time counts as paused.
        application.paused_seconds += int((now() - application.paused_since).total_seconds())
        application.paused_since = None
    application.save(update_fields=["status", "paused_seconds", "paused_since"])
    return application


# -- Clarifications ----------------------------------------------------------------------------------------------


def answer_clarification(
    *,
    user: User,
    clarification: Clarification,
    answer: str,
    evidence: Iterable[Evidence] = (),
    upload: NewEvidence | None = None,
) -> Clarification:
    """Answer one of the LA's questions, adding evidence (from the library or a new upload) to that criterion.

    The answers go to the LA together, by `answer_clarifications`, once every question has one.
    """
    with _files_kept_only_on_success() as stored, transaction.atomic():
        application = _own(user, clarification.application)
        if application.status != Status.CLARIFICATION:
            raise InvalidTransition(
                f"You cannot answer questions on this application because it is {STATUS_PHRASE[application.status]}."
            )
        clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if clarification.pk not in {c.pk for c in current_clarifications(application)}:
            raise InvalidTransition("This question was answered in an earlier round and cannot be changed.")
        answer = check_limit(ANSWER, answer, field="answer")
        if not answer:
            raise DomainError("Enter your answer to the council's question", field="answer")
        chosen = _chosen_evidence(user, application, clarification.criterion, evidence, upload, stored)
        if chosen:
            response, _ = CriterionResponse.objects.get_or_create(
                application=application, criterion=clarification.criterion
            )
            response.evidence.add(*chosen)
            response.updated_at = now()
            response.save(update_fields=["updated_at"])
        clarification.answer = answer
        clarification.answered_by = user
        clarification.answered_at = now()
        clarification.save(update_fields=["answer", "answered_by", "answered_at"])
        return clarification


@transaction.atomic
def answer_clarifications(
    *, user: User, application: Application, answers: Mapping[int, str] | None = None
) -> Application:
    """Send the answers to the LA: the application is "submitted" again and the paused time is added up.

    `answers` (clarification pk -> text) may answer questions on the way; every question of this round must have
    an answer, or the error names those without one.
    """
    application = _own(user, application)
    target = _to(application, Action.ANSWER)
    for pk, text in (answers or {}).items():
        clarification = application.clarifications.filter(pk=pk).first()
        if clarification is None:
            raise NotPermitted("You can only answer the questions asked about this application.")
        answer_clarification(user=user, clarification=clarification, answer=text)
    unanswered = [c for c in current_clarifications(application) if not c.answer.strip() or c.answered_at is None]
    if unanswered:
        version = application.arrangement.criteria_version
        names = [_criterion_for_library(c.criterion, version).title for c in unanswered]
        raise DomainError("Answer every question before you send your answers: " + "; ".join(names) + ".")
    moment = now()
    if application.paused_since is not None:
        application.paused_seconds += max(0, int((moment - application.paused_since).total_seconds()))
    application.paused_since = None
    application.status = target
    application.save(update_fields=["status", "paused_seconds", "paused_since"])
    return application
