"""Reads for evaluating applications and for contracts, always scoped: every one starts from `visible_to(user)`.

Time to decision is counted in calendar days, to one decimal place, from submission to the second sign-off, leaving
out the time the application waited for the provider's clarifications (`paused_seconds`, plus the running pause since
`paused_since`). Calendar days, not working days, because the pauses are kept as a number of seconds: counting working
days would need each pause's dates, and a pause that starts on a Friday would move the answer by a weekend. Decision
times are short enough (weeks) that a council reads calendar days as plainly as working days.
"""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from aphub.commissioning.arrangements.criteria import Criterion, criteria_for_lot, criteria_set
from aphub.commissioning.models import (
    Application,
    Clarification,
    Contract,
    CriterionResponse,
    Evaluation,
    Evidence,
    SignOffReturn,
)
from aphub.core.clock import now

Status = Application.Status
OPEN_STATES = (Status.SUBMITTED, Status.CLARIFICATION, Status.RECOMMENDED)
DECIDED_STATES = (Status.ADMITTED, Status.REJECTED)
SECONDS_A_DAY = Decimal(86400)
# The evidence library's download page (commissioning.applications.views), scoped by EvidenceQuerySet.
EVIDENCE_DOWNLOAD = "commissioning:evidence-download"


# --- The decision clock ---------------------------------------------------------------------------------------


def paused_for(application: Application, *, at: datetime.datetime) -> datetime.timedelta:
    """Time spent waiting for the provider's clarifications up to `at`: finished pauses plus the running one."""
    paused = datetime.timedelta(seconds=application.paused_seconds)
    if application.paused_since is not None and at > application.paused_since:
        paused += at - application.paused_since
    return paused


def time_to_decision(application: Application, *, at: datetime.datetime | None = None) -> datetime.timedelta | None:
    """Time with the LA from submission to decision (or to `at`, now by default, while undecided); pauses left out."""
    if application.submitted_at is None:
        return None
    end = application.decided_at or at or now()
    elapsed = end - application.submitted_at - paused_for(application, at=end)
    return max(elapsed, datetime.timedelta(0))


def in_days(duration: datetime.timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    return (Decimal(duration.total_seconds()) / SECONDS_A_DAY).quantize(Decimal("0.1"))


def decision_days(application: Application, *, at: datetime.datetime | None = None) -> Decimal | None:
    return in_days(time_to_decision(application, at=at))


# --- Applications ---------------------------------------------------------------------------------------------


def applications_to_evaluate(user) -> QuerySet[Application]:
    """Applications to the user's LA's arrangements (owned or shared) that the provider has sent: never drafts."""
    # submitted_at, not the status: a draft the provider withdrew unsent was never sent to the LA.
    return Application.objects.visible_to(user).filter(submitted_at__isnull=False)


def applications_waiting(user) -> QuerySet[Application]:
    """Sent applications not yet decided: the evaluation queue."""
    return applications_to_evaluate(user).filter(status__in=OPEN_STATES)


@dataclass
class QueueRow:
    application: Application
    days: Decimal | None


def evaluation_queue(user, *, at: datetime.datetime | None = None) -> list[QueueRow]:
    """Applications waiting for a decision, oldest submission first, with the time to decision so far."""
    at = at or now()
    applications = (
        applications_waiting(user)
        .select_related("provider", "arrangement", "recommended_by")
        .prefetch_related("lots")
        .order_by("submitted_at", "pk")
    )
    return [QueueRow(application, decision_days(application, at=at)) for application in applications]


def decided(user, *, limit: int = 50) -> list[QueueRow]:
    """The latest decisions, newest first, each with its time to decision."""
    applications = (
        applications_to_evaluate(user)
        .filter(status__in=DECIDED_STATES)
        .select_related("provider", "arrangement")
        .prefetch_related("lots")
        .order_by("-decided_at", "-pk")[:limit]
    )
    return [QueueRow(application, decision_days(application)) for application in applications]


def median_decision_days(user) -> Decimal | None:
    """The median time to decision of every decided application the user can see."""
    rows = (
        applications_to_evaluate(user)
        .filter(status__in=DECIDED_STATES, submitted_at__isnull=False, decided_at__isnull=False)
        .values_list("submitted_at", "decided_at", "paused_seconds")
    )
    durations = [
        max(decided_at - submitted_at - datetime.timedelta(seconds=paused), datetime.timedelta(0)).total_seconds()
        for submitted_at, decided_at, paused in rows
        if submitted_at is not None and decided_at is not None  # as filtered: said again for the type checker
    ]
    if not durations:
        return None
    return in_days(datetime.timedelta(seconds=statistics.median(durations)))


def application_for_evaluation(user, pk: int) -> Application:
    """The application, or a 404 when missing, a draft or not sent to the user's LA (one answer: nothing leaks)."""
    return get_object_or_404(
        applications_to_evaluate(user).select_related(
            "provider", "arrangement", "recommended_by", "signed_off_by", "created_by"
        ),
        pk=pk,
    )


# --- The criteria of one application --------------------------------------------------------------------------


def applies_to_provider(criterion: Criterion, registration_status: str) -> bool:
    """Registered-only criteria (an Ofsted outcome) are not asked of unregistered providers, and the reverse."""
    unregistered = registration_status == "unregistered"
    if criterion.applies_to == "registered":
        return not unregistered
    if criterion.applies_to == "unregistered":
        return unregistered
    return True


def application_criteria(application: Application) -> list[Criterion]:
    """The criteria the chosen lots ask of this provider, in the data file's order, plus any it answered besides."""
    chosen = criteria_set(application.arrangement.criteria_version)
    wanted: set[str] = set()
    for lot in application.lots.select_related("arrangement"):
        wanted.update(
            criterion.code
            for criterion in criteria_for_lot(lot)
            if applies_to_provider(criterion, application.provider.registration_status)
        )
    answered = set(CriterionResponse.objects.filter(application=application).values_list("criterion", flat=True))
    criteria = [criterion for criterion in chosen.criteria if criterion.code in wanted | answered]
    known = {criterion.code for criterion in criteria}
    # A response to a code the version does not know still gets scored, under its code.
    for code in sorted(answered - known):
        criteria.append(Criterion(code=code, title=code, guidance="", evidence=(), expires=False))
    return criteria


def latest_evaluations(application: Application) -> dict[str, Evaluation]:
    """The evaluation that counts for each criterion: the latest one."""
    latest: dict[str, Evaluation] = {}
    for evaluation in Evaluation.objects.filter(application=application).order_by("criterion", "-at", "-id"):
        latest.setdefault(evaluation.criterion, evaluation)
    return latest


def criteria_not_met(application: Application) -> list[tuple[Criterion, str]]:
    """Each criterion whose latest evaluation is not "met", with what it is instead ("Not met", "Not scored yet")."""
    latest = latest_evaluations(application)
    gaps = []
    for criterion in application_criteria(application):
        evaluation = latest.get(criterion.code)
        if evaluation is None:
            gaps.append((criterion, "not scored yet"))
        elif evaluation.outcome != Evaluation.Outcome.MET:
            gaps.append((criterion, evaluation.get_outcome_display().lower()))
    return gaps


def evidence_url(evidence: Evidence) -> str | None:
    """The download link of a checked evidence file; None (the name only) until the virus check passes."""
    if evidence.scan_status != Evidence.Scan.CLEAN:
        return None
    return reverse(EVIDENCE_DOWNLOAD, kwargs={"pk": evidence.pk})


@dataclass
class EvidenceItem:
    evidence: Evidence
    url: str | None


@dataclass
class CriterionSheet:
    criterion: Criterion
    statement: str
    evidence: list[EvidenceItem]
    latest: Evaluation | None
    history: list[Evaluation]
    clarifications: list[Clarification]
    form: object = None  # the scoring form, set by the view

    @property
    def code(self) -> str:
        return self.criterion.code


@dataclass
class EvaluationSheet:
    application: Application
    criteria: list[CriterionSheet]
    returns: list[SignOffReturn] = field(default_factory=list)

    @property
    def all_met(self) -> bool:
        return bool(self.criteria) and all(
            row.latest is not None and row.latest.outcome == Evaluation.Outcome.MET for row in self.criteria
        )

    @property
    def open_clarifications(self) -> list[Clarification]:
        return [c for row in self.criteria for c in row.clarifications if not c.answered_at]


def evaluation_sheet(application: Application) -> EvaluationSheet:
    """Each criterion with the provider's statement and evidence, the latest score, the history and the questions.

    A constant number of queries, however many criteria and evaluations.
    """
    responses = {
        response.criterion: response
        for response in CriterionResponse.objects.filter(application=application).prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("title", "pk"))
        )
    }
    history: dict[str, list[Evaluation]] = {}
    for evaluation in (
        Evaluation.objects.filter(application=application).select_related("officer").order_by("criterion", "-at", "-id")
    ):
        history.setdefault(evaluation.criterion, []).append(evaluation)
    questions: dict[str, list[Clarification]] = {}
    for clarification in Clarification.objects.filter(application=application).select_related(
        "asked_by", "answered_by"
    ):
        questions.setdefault(clarification.criterion, []).append(clarification)
    rows = []
    for criterion in application_criteria(application):
        response = responses.get(criterion.code)
        evaluations = history.get(criterion.code, [])
        rows.append(
            CriterionSheet(
                criterion=criterion,
                statement=response.statement if response else "",
                evidence=[EvidenceItem(e, evidence_url(e)) for e in response.evidence.all()] if response else [],
                latest=evaluations[0] if evaluations else None,
                history=evaluations,
                clarifications=questions.get(criterion.code, []),
            )
        )
    returns = list(
        SignOffReturn.objects.filter(application=application).select_related("recommended_by", "returned_by")
    )
    return EvaluationSheet(application=application, criteria=rows, returns=returns)


# --- Contracts ------------------------------------------------------------------------------------------------


def contracts_for(user) -> QuerySet[Contract]:
    return (
        Contract.objects.visible_to(user)
        .select_related("provider", "arrangement")
        .prefetch_related("admissions__lot")
        # Contracts waiting for a signed date first.
        .order_by(F("signed_on").asc(nulls_first=True), "-starts_on", "reference")
    )


def contract_for(user, pk: int) -> Contract:
    return get_object_or_404(Contract.objects.visible_to(user).select_related("provider", "arrangement"), pk=pk)
