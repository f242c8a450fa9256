"""Reads for providers applying to arrangements: their applications, their evidence library, the readiness checklist
and the task list. Every function that takes a user starts from `Model.objects.visible_to(user)`.

The judgement of evidence (in date, clean, enough cover) lives here, once: the readiness checklist, the task list and
the submission check in applications.py all ask `assess`.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from aphub.commissioning.arrangements.criteria import Criterion, criteria_for_lot, criteria_set
from aphub.commissioning.models import (
    Application,
    Clarification,
    CommercialArrangement,
    CriterionResponse,
    Evidence,
    Lot,
)
from aphub.core.clock import today
from aphub.core.money import format_money
from aphub.organisations.models import LA_ROLES, Provider, User
from aphub.organisations.queries import membership_of

# Insurance and DBS renewals take weeks: a month's warning leaves time to renew before the council's checks.
EXPIRING_SOON_DAYS = 30


# -- Which criteria an application answers -----------------------------------------------------------------------


def is_registered(provider: Provider) -> bool:
    return provider.registration_status != Provider.RegistrationStatus.UNREGISTERED


def criteria_needed(provider: Provider, lots: Iterable[Lot]) -> list[Criterion]:
    """The criteria the chosen lots ask of this provider: their union, in the data file's order.

    Criteria for registered providers only (an Ofsted outcome) are not asked of unregistered ones, and the national
    standards for unregistered AP are not asked of registered schools and colleges.
    """
    lots = list(lots)
    if not lots:
        return []
    wanted: set[str] = set()
    for lot in lots:
        wanted.update(criterion.code for criterion in criteria_for_lot(lot))
    skip = "unregistered" if is_registered(provider) else "registered"
    version = criteria_set(lots[0].arrangement.criteria_version)
    return [c for c in version.criteria if c.code in wanted and c.applies_to != skip]


def library_criteria() -> list[Criterion]:
    """The criteria a provider can file evidence under in its library: those of the current procurement round."""
    current = CommercialArrangement._meta.get_field("criteria_version").default
    return list(criteria_set(current).criteria)


def criterion_title(code: str, version: str | None = None) -> str:
    chosen = criteria_set(version or CommercialArrangement._meta.get_field("criteria_version").default)
    try:
        return chosen.get(code).title
    except KeyError:
        return code


# -- Judging evidence --------------------------------------------------------------------------------------------


class Readiness(StrEnum):
    READY = "ready"
    EXPIRING_SOON = "expiring-soon"
    BELOW_MINIMUM = "below-minimum"
    MISSING = "missing"


READINESS_LABELS = {
    Readiness.READY: "Ready",
    Readiness.EXPIRING_SOON: "Expiring soon",
    Readiness.BELOW_MINIMUM: "Below the minimum",
    Readiness.MISSING: "Missing",
}
USABLE = frozenset({Readiness.READY, Readiness.EXPIRING_SOON})


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Assessment:
    criterion: Criterion
    state: Readiness
    sentence: str  # plain English: what we found and what to do
    best: Evidence | None = None  # the item that meets the criterion, when one does
    evidence: tuple[Evidence, ...] = ()

    @property
    def label(self) -> str:
        return READINESS_LABELS[self.state]

    @property
    def usable(self) -> bool:
        return self.state in USABLE


def assess(criterion: Criterion, evidence: Iterable[Evidence], on: datetime.date | None = None) -> Assessment:
    """Whether `evidence` meets `criterion` on the day `on` (default today), and a sentence saying why or why not."""
    on = on or today()
    items = tuple(evidence)
    clean = [item for item in items if item.scan_status == Evidence.Scan.CLEAN]
    if not clean:
        needed = criterion.evidence[0] if criterion.evidence else "a document"
        return Assessment(
            criterion, Readiness.MISSING, f"Not in your evidence yet. You need: {needed}.", evidence=items
        )
    current = [item for item in clean if item.expires_on is None or item.expires_on >= on]
    if not current:
        # None is current, so every clean item has an expiry date, in the past.
        expired = [(item.expires_on, item) for item in clean if item.expires_on is not None]
        expired_on, latest = max(expired, key=lambda pair: pair[0])
        return Assessment(
            criterion,
            Readiness.MISSING,
            f"{latest.title} expired on {_date(expired_on)}. Upload a current one.",
            evidence=items,
        )
    if criterion.minimum_cover is not None:
        minimum: Decimal = criterion.minimum_cover
        enough = [item for item in current if item.cover_amount is not None and item.cover_amount >= minimum]
        if not enough:
            stated = [(item.cover_amount, item) for item in current if item.cover_amount is not None]
            if stated:
                cover, biggest = max(stated, key=lambda pair: pair[0])
                sentence = (
                    f"{biggest.title} gives cover of {format_money(cover)}, below the minimum of "
                    f"{format_money(minimum)}."
                )
            else:
                sentence = f"Record the amount of cover: the minimum is {format_money(minimum)}."
            return Assessment(criterion, Readiness.BELOW_MINIMUM, sentence, evidence=items)
        current = enough
    # The item that lasts longest is the one that keeps the provider ready.
    best = max(current, key=lambda item: item.expires_on or datetime.date.max)
    if best.expires_on is not None and (best.expires_on - on).days <= EXPIRING_SOON_DAYS:
        days = (best.expires_on - on).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return Assessment(
            criterion,
            Readiness.EXPIRING_SOON,
            f"{best.title} expires on {_date(best.expires_on)}, {when}. Renew it soon.",
            best=best,
            evidence=items,
        )
    until = f", in date until {_date(best.expires_on)}" if best.expires_on else ""
    return Assessment(criterion, Readiness.READY, f"{best.title}{until}.", best=best, evidence=items)


def readiness(
    provider: Provider, arrangement: CommercialArrangement, lots: Iterable[Lot] | None = None
) -> list[Assessment]:
    """For each criterion the lots ask of this provider: ready, missing, expiring soon or below the minimum.

    Read from the provider's evidence library, before (or without) any application. No lots: every lot.
    """
    chosen = list(lots) if lots is not None else []
    if not chosen:
        chosen = list(arrangement.lots.all())
    needed = criteria_needed(provider, chosen)
    by_criterion: dict[str, list[Evidence]] = {}
    for item in Evidence.objects.filter(provider=provider, criterion__in=[c.code for c in needed]):
        by_criterion.setdefault(item.criterion, []).append(item)
    return [assess(criterion, by_criterion.get(criterion.code, ())) for criterion in needed]


# -- Reads scoped to the user ------------------------------------------------------------------------------------


def applications_visible_to(user: User | None) -> QuerySet[Application]:
    return Application.objects.visible_to(user)


def provider_applications(user: User | None) -> list[Application]:
    return list(
        applications_visible_to(user)
        .select_related("arrangement")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .order_by("-created_at", "-pk")
    )


def application_for(user: User | None, pk: int) -> Application | None:
    return (
        applications_visible_to(user)
        .select_related("arrangement", "provider")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.select_related("arrangement").order_by("number")))
        .filter(pk=pk)
        .first()
    )


def arrangements_open_to(user: User | None) -> list[CommercialArrangement]:
    """Published arrangements taking applications now, with their lots."""
    return list(
        CommercialArrangement.objects.visible_to(user)
        .filter(status=CommercialArrangement.Status.OPEN, published_at__isnull=False)
        .select_related("owner")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .order_by("title", "pk")
    )


def arrangement_for(user: User | None, pk: int) -> CommercialArrangement | None:
    """An arrangement the user may see (published, or one their provider applied to); None otherwise."""
    return (
        CommercialArrangement.objects.visible_to(user)
        .select_related("owner")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("number")))
        .filter(pk=pk)
        .first()
    )


def open_application_to(user: User | None, arrangement: CommercialArrangement) -> Application | None:
    """The user's provider's application to the arrangement still in progress, if any."""
    return (
        applications_visible_to(user)
        .filter(arrangement=arrangement, status__in=OPEN_STATUSES)
        .order_by("-created_at")
        .first()
    )


OPEN_STATUSES = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.CLARIFICATION,
    Application.Status.RECOMMENDED,
)


def response_for(user: User | None, pk: int) -> CriterionResponse | None:
    return (
        CriterionResponse.objects.filter(application__in=applications_visible_to(user).values("pk"))
        .select_related("application__arrangement", "application__provider")
        .prefetch_related("evidence")
        .filter(pk=pk)
        .first()
    )


def responses_of(application: Application) -> dict[str, CriterionResponse]:
    return {
        response.criterion: response
        for response in application.responses.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("title", "pk"))
        )
    }


def clarification_for(user: User | None, pk: int) -> Clarification | None:
    return (
        Clarification.objects.filter(application__in=applications_visible_to(user).values("pk"))
        .select_related("application__arrangement", "application__provider")
        .filter(pk=pk)
        .first()
    )


def current_clarifications(application: Application) -> list[Clarification]:
    """The questions of this round: not yet answered, or answered since the LA paused the clock to ask."""
    unanswered = Q(answered_at__isnull=True)
    if application.paused_since is not None:
        unanswered |= Q(answered_at__gte=application.paused_since)
    return list(application.clarifications.filter(unanswered).order_by("asked_at", "pk"))


def evidence_library(user: User | None) -> list[Evidence]:
    """The provider's evidence, each marked `locked` when a submitted application uses it (so it cannot be deleted)."""
    used = CriterionResponse.objects.filter(evidence=OuterRef("pk"), application__submitted_at__isnull=False)
    return list(
        Evidence.objects.visible_to(user)
        .annotate(locked=Exists(used))
        .select_related("uploaded_by")
        .order_by("criterion", "-uploaded_at", "-pk")
    )


def evidence_expiring(user: User | None, on: datetime.date | None = None) -> QuerySet[Evidence]:
    """The provider's evidence that has expired or expires within EXPIRING_SOON_DAYS: what to renew."""
    horizon = (on or today()) + datetime.timedelta(days=EXPIRING_SOON_DAYS)
    return Evidence.objects.visible_to(user).filter(expires_on__lte=horizon)


def evidence_of_provider(user: User | None) -> QuerySet[Evidence]:
    return Evidence.objects.visible_to(user).order_by("criterion", "-uploaded_at", "-pk")


def evidence_for(user: User | None, pk: int) -> Evidence | None:
    return Evidence.objects.visible_to(user).filter(pk=pk).first()


def evidence_for_download(user: User | None, pk: int) -> Evidence | None:
    """The provider's own evidence; for LA staff, only evidence submitted to one of their LA's arrangements."""
    visible = Evidence.objects.visible_to(user)
    membership = membership_of(user)
    if membership is not None and membership.role in LA_ROLES:
        la = membership.local_authority_id
        # One filter call, so the arrangement and the submission are the same application's.
        submitted_here = Evidence.objects.filter(
            Q(responses__application__arrangement__owner_id=la) | Q(responses__application__arrangement__partners=la),
            responses__application__submitted_at__isnull=False,
        )
        visible = visible.filter(pk__in=submitted_here.values("pk"))
    return visible.filter(pk=pk).first()


def evidence_in_use(evidence: Evidence) -> bool:
    """True when an application the LA has received relies on this evidence."""
    return evidence.responses.filter(application__submitted_at__isnull=False).exists()


# -- The task list -----------------------------------------------------------------------------------------------


class TaskStatus(StrEnum):
    NOT_STARTED = "Not yet started"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    CANNOT_START = "Cannot start yet"


@dataclass
class Task:
    title: str
    status: TaskStatus
    url_name: str | None = None  # None: no link (cannot start yet)
    pk: int | None = None
    hint: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def tag_class(self) -> str:
        # GOV.UK task list: incomplete statuses are tags; completed and cannot-start are plain text. GOV.UK Frontend 6
        # has no light blue tag: both incomplete statuses are blue, told apart by their words, as its task list does.
        return {
            TaskStatus.NOT_STARTED: "govuk-tag--blue",
            TaskStatus.IN_PROGRESS: "govuk-tag--blue",
        }.get(self.status, "")


@dataclass
class Gap:
    """One thing stopping submission: `key` is "lots", "declarations" or a criterion code; `text` says what to do."""

    key: str
    text: str


@dataclass
class TaskList:
    lots: Task
    criteria: list[Task]
    declarations: Task
    submit: Task
    gaps: list[Gap]

    @property
    def sections(self) -> list[tuple[str, list[Task]]]:
        return [
            ("Choose what to apply for", [self.lots]),
            ("Answer the criteria", self.criteria),
            ("Declarations", [self.declarations]),
            ("Submit", [self.submit]),
        ]

    @property
    def completed(self) -> int:
        return sum(1 for task in [self.lots, *self.criteria, self.declarations] if task.status == TaskStatus.COMPLETED)

    @property
    def total(self) -> int:
        return 2 + len(self.criteria)


def criterion_gaps(criterion: Criterion, response: CriterionResponse | None, on: datetime.date) -> list[str]:
    """What is missing from one criterion's answer, as sentences naming the criterion."""
    problems = []
    if response is None or not response.statement.strip():
        problems.append(f"{criterion.title}: write a statement")
    evidence = list(response.evidence.all()) if response is not None else []
    if not evidence:
        problems.append(f"{criterion.title}: attach at least one document")
    else:
        judged = assess(criterion, evidence, on)
        if not judged.usable:
            problems.append(f"{criterion.title}: {judged.sentence}")
    return problems


def submission_gaps(application: Application, on: datetime.date | None = None) -> list[Gap]:
    """Every gap between this application and one the LA can evaluate, in the task list's order."""
    on = on or today()
    lots = list(application.lots.all())
    gaps: list[Gap] = []
    word = application.arrangement.lot_word
    if not lots:
        gaps.append(Gap("lots", f"Choose at least one {word} to apply for"))
    responses = responses_of(application)
    for criterion in criteria_needed(application.provider, lots):
        for problem in criterion_gaps(criterion, responses.get(criterion.code), on):
            gaps.append(Gap(criterion.code, problem))
    made = application.declarations or {}
    for declaration in criteria_set(application.arrangement.criteria_version).declarations:
        if not made.get(declaration.code):
            gaps.append(Gap("declarations", f"Make the declaration: {declaration.text}"))
    return gaps


def task_list(application: Application, on: datetime.date | None = None) -> TaskList:
    """The GOV.UK task list of a draft application: each section with its status and link."""
    on = on or today()
    arrangement = application.arrangement
    lots = list(application.lots.all())
    word = arrangement.lot_word
    lots_task = Task(
        title=f"Choose the {word}s you are applying for",
        status=TaskStatus.COMPLETED if lots else TaskStatus.NOT_STARTED,
        url_name="commissioning:application-lots",
        pk=application.pk,
        hint=", ".join(f"{word.capitalize()} {lot.number}" for lot in lots),
    )
    responses = responses_of(application)
    criteria_tasks = []
    for criterion in criteria_needed(application.provider, lots):
        response = responses.get(criterion.code)
        problems = criterion_gaps(criterion, response, on)
        started = response is not None and (response.statement.strip() or response.evidence.all())
        if not problems:
            status = TaskStatus.COMPLETED
        elif started:
            status = TaskStatus.IN_PROGRESS
        else:
            status = TaskStatus.NOT_STARTED
        criteria_tasks.append(
            Task(
                title=criterion.title,
                status=status,
                url_name="commissioning:response" if response is not None else None,
                pk=response.pk if response is not None else None,
                problems=problems,
            )
        )
    if not lots:
        criteria_tasks = [
            Task(
                title="The criteria for your chosen " + word + "s",
                status=TaskStatus.CANNOT_START,
                hint=f"Choose the {word}s first: the criteria depend on them.",
            )
        ]
    declarations = criteria_set(arrangement.criteria_version).declarations
    made = sum(1 for declaration in declarations if (application.declarations or {}).get(declaration.code))
    declarations_task = Task(
        title="Make the declarations",
        status=(
            TaskStatus.COMPLETED
            if made == len(declarations)
            else TaskStatus.IN_PROGRESS
            if made
            else TaskStatus.NOT_STARTED
        ),
        url_name="commissioning:application-declarations",
        pk=application.pk,
    )
    gaps = submission_gaps(application, on)
    submit_task = Task(
        title="Check your answers and submit",
        status=TaskStatus.CANNOT_START if gaps else TaskStatus.NOT_STARTED,
        url_name=None if gaps else "commissioning:application-submit",
        pk=application.pk,
        hint="Complete every section first." if gaps else "",
    )
    return TaskList(
        lots=lots_task, criteria=criteria_tasks, declarations=declarations_task, submit=submit_task, gaps=gaps
    )


def lots_by_pk(arrangement: CommercialArrangement, pks: Sequence[int | str]) -> list[Lot]:
    wanted = {int(pk) for pk in pks if str(pk).isdigit()}
    return [lot for lot in arrangement.lots.all() if lot.pk in wanted]
