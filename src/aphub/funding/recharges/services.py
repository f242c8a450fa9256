"""Recharge statements: drafting a term's statements, and a statement's moves (issue, dispute, re-issue, pay); and
resolving double funding by deciding that the school pays (docs/decisions/0031-recharges.md).

Each move is one transaction: the statement row is locked, the lifecycle checks the move, and the change is logged.
"""

from django.db import transaction

from aphub.audit.services import log_access
from aphub.core.clock import now, today
from aphub.core.errors import DomainError
from aphub.core.forms.validators import check_limit
from aphub.core.lifecycle import Lifecycle, Move, Words
from aphub.core.permissions import require
from aphub.organisations.models import School, User
from aphub.organisations.queries import membership_of

from .. import services as funding
from ..models import RechargeLine, RechargeStatement, SchoolPaysDecision
from ..periods import Period, academic_year_of
from ..planning import paying_school
from ..rules import double_funding
from . import limits, queries
from .permissions import can_bill, can_dispute, can_draft_statements, can_resolve_double_funding

Status = RechargeStatement.Status
FINANCE, SCHOOL = "finance", "school"  # the LA's finance officers and admins; the staff of the school billed

STATEMENT: Lifecycle[str, str] = Lifecycle(
    "recharge statement",
    {
        # Issuing freezes the lines the draft shows today (RechargeLine) and sends it to the school.
        (Status.DRAFT, "issue"): Move(Status.ISSUED, frozenset({FINANCE})),
        # The school says it is wrong, with a reason.
        (Status.ISSUED, "dispute"): Move(Status.DISPUTED, frozenset({SCHOOL})),
        # The LA answers the dispute and issues it again; its lines stay as issued: a correction of money is an
        # adjustment on the next statement, so what a school was sent never changes.
        (Status.DISPUTED, "reissue"): Move(Status.ISSUED, frozenset({FINANCE})),
        (Status.ISSUED, "pay"): Move(Status.PAID, frozenset({FINANCE})),
    },
    choices=Status,
    invalid=Words(
        noun="statement",
        states={Status.DRAFT: "a draft", Status.ISSUED: "issued", Status.DISPUTED: "disputed", Status.PAID: "paid"},
        actions={"pay": "mark as paid", "reissue": "re-issue"},
    ).invalid,
    refused=Words(noun="statement", states={}, actions={"pay": "mark as paid", "reissue": "re-issue"}).refused,
    refuse_before_state=True,
)


def parties_of(user: User | None, statement: RechargeStatement) -> frozenset[str]:
    """Who the user is for this statement's moves: its LA's finance, or the school billed."""
    membership = membership_of(user)
    parties = set()
    if can_bill(membership, statement):
        parties.add(FINANCE)
    if can_dispute(membership, statement):
        parties.add(SCHOOL)
    return frozenset(parties)


def allowed_actions(user: User | None, statement: RechargeStatement) -> set[str]:
    """The moves the statement's page offers the user."""
    return STATEMENT.allowed(statement.status, parties_of(user, statement))


@transaction.atomic
def draft_statements(*, user: User, term: Period) -> list[RechargeStatement]:
    """A draft statement for the term for each school of the user's LA that owes something in it (its charges, or an
    adjustment to a term billed before) and has no statement for it yet. Returns the drafts made."""
    membership = membership_of(user)
    require(can_draft_statements(membership), "Only the local authority's finance officers and admins bill schools")
    local_authority_id = membership.local_authority_id if membership is not None else None
    require(local_authority_id is not None, "Only the local authority's finance officers and admins bill schools")
    assert local_authority_id is not None  # for the type checker: require refused otherwise
    existing = set(
        RechargeStatement.objects.filter(local_authority_id=local_authority_id, term_start=term.start).values_list(
            "school_id", flat=True
        )
    )
    made = []
    for school in School.objects.filter(pk__in=queries.schools_owing(user, term)).exclude(pk__in=existing):
        statement = RechargeStatement(
            local_authority_id=local_authority_id,
            school=school,
            academic_year=academic_year_of(term.start),
            term_name=term.name,
            term_start=term.start,
            term_end=term.end,
            created_by=user,
        )
        if queries.draft_lines(user, statement):
            statement.save()
            log_access(user=user, obj=statement, verb="create")
            made.append(statement)
    return made


def _locked(statement: RechargeStatement) -> RechargeStatement:
    return RechargeStatement.objects.select_for_update().select_related("school").get(pk=statement.pk)


def statement_number(statement: RechargeStatement) -> str:
    """The statement's number, as the school quotes it when it pays: the term and the school's URN, unique because a
    school has one statement a term."""
    return f"{statement.term_name.upper().replace(' ', '-')}-{statement.school.urn or statement.school_id}"


@transaction.atomic
def issue_statement(*, user: User, statement: RechargeStatement) -> RechargeStatement:
    """Freeze the draft's lines as they are today and send the statement to the school."""
    statement = _locked(statement)
    move = STATEMENT.check(statement.status, "issue", parties_of(user, statement))
    lines = queries.draft_lines(user, statement)
    if not lines:
        raise DomainError("There is nothing to bill on this statement: no charge and no adjustment")
    for line in lines:
        line.statement = statement
    RechargeLine.objects.bulk_create(lines)
    statement.status = move.to
    statement.number = statement.number or statement_number(statement)
    statement.issued_on = today()
    statement.issued_by = user
    statement.save(update_fields=["status", "number", "issued_on", "issued_by"])
    log_access(user=user, obj=statement, verb="change")
    return statement


def _reason(value: str, missing: str) -> str:
    text = check_limit(limits.reason, value, field="reason")
    if not text:
        raise DomainError(missing, field="reason")
    return text


def _move(user: User, statement: RechargeStatement, action: str, **changes) -> RechargeStatement:
    """Make the lifecycle's move `action` on the locked statement, with the fields it records; logged."""
    statement = _locked(statement)
    move = STATEMENT.check(statement.status, action, parties_of(user, statement))
    changes = {name: value() if callable(value) else value for name, value in changes.items()}
    for name, value in {"status": move.to, **changes}.items():
        setattr(statement, name, value)
    statement.save(update_fields=["status", *changes])
    log_access(user=user, obj=statement, verb="change")
    return statement


@transaction.atomic
def dispute_statement(*, user: User, statement: RechargeStatement, reason: str) -> RechargeStatement:
    """The school says the issued statement is wrong, and why; the LA answers by re-issuing it."""
    return _move(
        user,
        statement,
        "dispute",
        # Asked after the move is checked, so a refusal is said before a blank reason.
        dispute_reason=lambda: _reason(reason, "Say why the statement is wrong"),
        disputed_by=user,
        disputed_at=now(),
    )


@transaction.atomic
def reissue_statement(*, user: User, statement: RechargeStatement, resolution: str) -> RechargeStatement:
    """The LA answers a dispute and issues the statement again, dated today; its lines stay as first issued."""
    return _move(
        user,
        statement,
        "reissue",
        resolution=lambda: _reason(resolution, "Say how the dispute was resolved"),
        issued_on=today(),
        issued_by=user,
    )


@transaction.atomic
def mark_paid(*, user: User, statement: RechargeStatement) -> RechargeStatement:
    return _move(user, statement, "pay", paid_on=today())


@transaction.atomic
def record_school_pays(*, user: User, placement, reason: str) -> SchoolPaysDecision:
    """Resolve double funding: record that the school pays the placement's top-up, and re-plan its funding lines so
    the LA stops paying it and the school's next statement bills it (funding.planning honours the decision).

    `placement` is one the user may see (the page finds it through the placements app's scoping).
    """
    local_authority_id = placement.pupil.local_authority_id
    require(
        can_resolve_double_funding(membership_of(user), local_authority_id),
        "Only the local authority's finance officers and admins decide who pays a top-up",
    )
    reason = _reason(reason, "Say why the school pays the top-up")
    if double_funding(placement) is None:
        raise DomainError("The local authority is not paying a top-up for this placement that a school should pay")
    school = paying_school(placement)
    if school is None:
        raise DomainError("Name the school that commissions this placement first, so the right school pays")
    decision = SchoolPaysDecision.objects.create(
        placement=placement, local_authority_id=local_authority_id, school=school, reason=reason, decided_by=user
    )
    funding.plan_funding(placement=placement)
    log_access(user=user, obj=placement, verb="change")
    return decision
