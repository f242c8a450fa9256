"""The LA's side of an application: scoring each criterion, asking for clarification, two sign-offs, admission to the
lots with a contract, and the signed date of the contract.

The LA makes its moves of the one application lifecycle (APPLICATION, in commissioning.applications.lifecycle; the
provider makes its own in commissioning.applications.services). Asking for clarification pauses the decision clock
(`paused_since`); the provider's answers restart it (`paused_seconds` grows by the pause).

Two officers decide: one recommends admission or rejection, a different one signs it off or sends it back with a
note. The database refuses the same officer in both places (Application's `application_two_different_officers`).

A dynamic market under the Procurement Act 2023 (s.39) admits every supplier that meets the conditions of
participation, and the older arrangements here work the same way: there is no cap on admissions per lot, ever.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction

from aphub.commissioning.applications.lifecycle import APPLICATION, LA_SIDE
from aphub.commissioning.evaluation.queries import application_criteria, criteria_not_met
from aphub.commissioning.models import Admission, Application, Clarification, Contract, Evaluation, SignOffReturn
from aphub.commissioning.permissions import can_evaluate
from aphub.core.clock import now, today
from aphub.core.errors import DomainError, NotPermitted, Problems
from aphub.core.forms.validators import check_limit, check_required, text_at_most
from aphub.core.permissions import require
from aphub.duties.notify import notify
from aphub.organisations.models import Role, User
from aphub.organisations.queries import membership_of

Status = Application.Status
Outcome = Evaluation.Outcome
ADMIT, REJECT = "admit", "reject"

# What officers write, each limit written once (decision 0025): the forms' fields run them and these services ask them
# again, so a long answer is refused in the same words however it arrives.
TEXT_LENGTH = 4000
SCORE_TEXT = partial(text_at_most, limit=TEXT_LENGTH, message="Keep it under 4,000 characters")  # reason, question
RECOMMENDATION_REASONS = partial(text_at_most, limit=TEXT_LENGTH, message="Keep the reasons under 4,000 characters")
SEND_BACK_NOTE = partial(text_at_most, limit=TEXT_LENGTH, message="Keep the note under 4,000 characters")


class SameOfficer(DomainError):
    """The officer who recommended a decision tried to sign it off too."""


def allowed_actions(application: Application) -> set[str]:
    return APPLICATION.allowed(application.status, LA_SIDE)


def _check(application: Application, action: str) -> str:
    return APPLICATION.check(application.status, action, LA_SIDE).to


def _locked(user: User, application: Application) -> Application:
    """The application, re-read under a row lock, once we know the user is an editor of an LA it was sent to."""
    require(can_evaluate(membership_of(user)), "Only LA officers and admins can evaluate applications")
    visible = Application.objects.visible_to(user).filter(pk=application.pk).values_list("pk", flat=True)
    # select_for_update cannot share a query with visible_to's DISTINCT: check, then lock the row by its key.
    locked = Application.objects.select_for_update().filter(pk__in=list(visible)).first()
    if locked is None:
        raise NotPermitted("This application was not made to your local authority's arrangements")
    return locked


def _provider_emails(application: Application) -> list[str]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__provider_id=application.provider_id,
            memberships__role=Role.PROVIDER_STAFF,
        ).values_list("email", flat=True)
    )


# --- Scoring and clarification --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    criterion: str
    outcome: str
    reason: str
    question: str = ""  # what the provider is asked, when the outcome is "clarification needed"


@transaction.atomic
def score_application(*, user: User, application: Application, scores: Sequence[Score]) -> list[Evaluation]:
    """Record the officer's score of one or more criteria; the latest score of each criterion is the one that counts.

    Scores of "clarification needed" also ask the provider each question (a Clarification per criterion) and pause
    the decision clock until the provider answers.
    """
    application = _locked(user, application)
    asking = [score for score in scores if score.outcome == Outcome.CLARIFICATION]
    to = _check(application, "ask" if asking else "score")
    if not scores:
        raise DomainError("Score at least one criterion: choose met, not met or clarification needed")
    criteria = {criterion.code: criterion for criterion in application_criteria(application)}
    seen: set[str] = set()
    # Each criterion's score is checked, and every problem of every score told at once.
    problems = Problems()
    for score in scores:
        criterion = criteria.get(score.criterion)
        if criterion is None:
            problems.add(f"{score.criterion} is not a criterion of this application")
            continue
        if score.criterion in seen:
            problems.add(f"Score {criterion.title} once")
            continue
        seen.add(score.criterion)
        if score.outcome not in Outcome.values:
            problems.add(
                f"Choose met, not met or clarification needed for {criterion.title}", field=f"{criterion.code}:outcome"
            )
        check_required(
            problems,
            SCORE_TEXT,
            score.reason,
            field=f"{criterion.code}:reason",
            missing=f"Give the reason for your score on {criterion.title}",
        )
        if score.outcome == Outcome.CLARIFICATION:
            check_required(
                problems,
                SCORE_TEXT,
                score.question,
                field=f"{criterion.code}:question",
                missing=f"Write the question the provider should answer on {criterion.title}",
            )
        else:
            with problems.check():
                check_limit(SCORE_TEXT, score.question, field=f"{criterion.code}:question")
    problems.raise_any()

    at = now()
    evaluations = Evaluation.objects.bulk_create(
        Evaluation(
            application=application,
            criterion=score.criterion,
            outcome=score.outcome,
            reason=score.reason.strip(),
            officer=user,
            at=at,
        )
        for score in scores
    )
    if asking:
        Clarification.objects.bulk_create(
            Clarification(
                application=application,
                criterion=score.criterion,
                question=score.question.strip(),
                asked_by=user,
                asked_at=at,
            )
            for score in asking
        )
        if application.status != Status.CLARIFICATION:
            # The clock stops while the provider prepares its answers; answer_clarifications restarts it.
            application.paused_since = at
        application.status = to
        application.save(update_fields=["status", "paused_since"])
        notify(
            recipients=_provider_emails(application),
            subject=f"Questions about your application to {application.arrangement.title}",
            body=(
                f"The local authority needs more information on {len(asking)} "
                f"criteri{'on' if len(asking) == 1 else 'a'} of your application to {application.arrangement.title}. "
                "Sign in to AP Hub to read the questions and answer them. The decision waits for your answers."
            ),
        )
    return evaluations


# --- Recommendation and sign-off ------------------------------------------------------------------------------


def _suspended_lots(application: Application) -> list[str]:
    return [
        str(admission.lot)
        for admission in Admission.objects.filter(
            provider_id=application.provider_id,
            lot__in=application.lots.all(),
            status=Admission.Status.SUSPENDED,
        ).select_related("lot__arrangement")
    ]


def _admission_blockers(application: Application) -> str | None:
    """Why this application cannot be admitted now, as one sentence; None when it can."""
    if not application.lots.exists():
        return f"The application names no {application.arrangement.lot_word} to admit the provider to"
    gaps = criteria_not_met(application)
    if gaps:
        named = "; ".join(f"{criterion.title} ({state})" for criterion, state in gaps)
        return f"Recommend admission only when every criterion is met. Not met yet: {named}"
    suspended = _suspended_lots(application)
    if suspended:
        return (
            f"{application.provider.display_name} is suspended on {', '.join(suspended)}. "
            "Reinstate or remove the provider there before admitting it again"
        )
    return None


@transaction.atomic
def recommend(*, user: User, application: Application, outcome: str, reasons: str = "") -> Application:
    """The first officer recommends admission (every criterion met) or rejection (with reasons the provider reads)."""
    application = _locked(user, application)
    if outcome not in (ADMIT, REJECT):
        raise DomainError("Choose whether to recommend admission or rejection", field="outcome")
    _check(application, f"recommend-{outcome}")
    reasons = check_limit(RECOMMENDATION_REASONS, reasons, field="reasons")
    if outcome == REJECT and not reasons:
        raise DomainError(
            "Give the reasons for not admitting the provider; the provider will read them", field="reasons"
        )
    if outcome == ADMIT:
        blocker = _admission_blockers(application)
        if blocker:
            raise DomainError(blocker, field="outcome")
    at = now()
    if application.paused_since is not None:
        # Turned down while waiting for answers: from here the time is the LA's again.
        application.paused_seconds += int((at - application.paused_since).total_seconds())
        application.paused_since = None
    application.status = Status.RECOMMENDED
    application.recommended_outcome = outcome
    application.recommended_by = user
    application.recommended_at = at
    application.decision_reasons = reasons
    application.save(
        update_fields=[
            "status",
            "paused_seconds",
            "paused_since",
            "recommended_outcome",
            "recommended_by",
            "recommended_at",
            "decision_reasons",
        ]
    )
    return application


def _contract(application: Application, on: datetime.date) -> Contract:
    """The provider's standard contract under the arrangement: made at its first admission, reused after."""
    arrangement = application.arrangement
    suffix = f"-{application.provider_id}"
    contract, _ = Contract.objects.get_or_create(
        provider_id=application.provider_id,
        arrangement=arrangement,
        defaults={
            "reference": arrangement.reference[: 60 - len(suffix)] + suffix,
            "starts_on": on,
            "ends_on": arrangement.ends_on,
        },
    )
    return contract


def _admit(application: Application, *, user: User, on: datetime.date) -> list[Admission]:
    """An admission per lot applied for, all under the one contract. No cap: nothing counts the lot's admissions."""
    contract = _contract(application, on)
    admissions = []
    for lot in application.lots.all().order_by("number"):
        existing = Admission.objects.select_for_update().filter(provider_id=application.provider_id, lot=lot).first()
        if existing is None:
            admissions.append(
                Admission.objects.create(
                    provider_id=application.provider_id,
                    lot=lot,
                    application=application,
                    contract=contract,
                    admitted_on=on,
                )
            )
        elif existing.status == Admission.Status.REMOVED:
            # Removed earlier, admitted again after a new application and two sign-offs.
            existing.status = Admission.Status.ADMITTED
            existing.application = application
            existing.contract = contract
            existing.admitted_on = on
            existing.status_reason = f"Admitted again on application {application.pk}"
            existing.status_changed_at = now()
            existing.status_changed_by = user
            existing.save()
            admissions.append(existing)
        elif existing.status == Admission.Status.SUSPENDED:
            raise DomainError(
                f"{application.provider.display_name} is suspended on {lot}. "
                "Reinstate or remove the provider there before admitting it again"
            )
        else:
            if existing.contract_id is None:
                existing.contract = contract
                existing.save(update_fields=["contract"])
            admissions.append(existing)
    return admissions


@transaction.atomic
def sign_off(*, user: User, application: Application) -> Application:
    """A second officer signs off the recommendation: the provider is admitted to its lots, or rejected."""
    application = _locked(user, application)
    if application.status == Status.RECOMMENDED and application.recommended_by_id == user.pk:
        raise SameOfficer(
            "You recommended this decision, so another officer must sign it off. "
            "Ask a colleague to check it, or send it back to change it."
        )
    to = _check(application, f"sign-off-{application.recommended_outcome or ADMIT}")
    at = now()
    if to == Status.ADMITTED:
        blocker = _admission_blockers(application)
        if blocker:
            raise DomainError(blocker)
        _admit(application, user=user, on=today())
    application.status = to
    application.signed_off_by = user
    application.decided_at = at
    try:
        with transaction.atomic():
            application.save(update_fields=["status", "signed_off_by", "decided_at"])
    except IntegrityError:
        # The two-officer constraint: the recommendation was made under this user after all.
        raise SameOfficer("You recommended this decision, so another officer must sign it off.") from None
    decision = "admitted" if to == Status.ADMITTED else "not admitted"
    notify(
        recipients=_provider_emails(application),
        subject=f"Decision on your application to {application.arrangement.title}",
        body=(
            f"The local authority has decided your application to {application.arrangement.title}: {decision}. "
            "Sign in to AP Hub to read the decision and the reasons."
        ),
    )
    return application


@transaction.atomic
def send_back(*, user: User, application: Application, note: str) -> Application:
    """The recommendation goes back to be looked at again, with a note; the application returns to the queue."""
    application = _locked(user, application)
    to = _check(application, "send-back")
    note = check_limit(SEND_BACK_NOTE, note, field="note")
    if not note:
        raise DomainError("Say what should be looked at again", field="note")
    SignOffReturn.objects.create(
        application=application,
        recommended_outcome=application.recommended_outcome,
        recommended_by=application.recommended_by,
        recommended_at=application.recommended_at,
        note=note,
        returned_by=user,
    )
    application.status = to
    application.recommended_outcome = ""
    application.recommended_by = None
    application.recommended_at = None
    application.decision_reasons = ""
    application.save(
        update_fields=["status", "recommended_outcome", "recommended_by", "recommended_at", "decision_reasons"]
    )
    return application


# --- Contracts ------------------------------------------------------------------------------------------------


@transaction.atomic
def record_contract_signed(*, user: User, contract: Contract, signed_on: datetime.date) -> Contract:
    """An officer records the date both parties signed the standard contract."""
    require(can_evaluate(membership_of(user)), "Only LA officers and admins can record a contract's signature")
    if not Contract.objects.visible_to(user).filter(pk=contract.pk).exists():
        raise NotPermitted("This contract is not under your local authority's arrangements")
    if not isinstance(signed_on, datetime.date):
        raise DomainError("Enter the date the contract was signed", field="signed_on")
    if signed_on > today():
        raise DomainError("The date the contract was signed cannot be in the future", field="signed_on")
    if signed_on < contract.arrangement.starts_on:
        raise DomainError(
            f"The contract cannot be signed before the arrangement began ({contract.arrangement.starts_on:%d %B %Y})",
            field="signed_on",
        )
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    contract.signed_on = signed_on
    contract.save(update_fields=["signed_on"])
    return contract
