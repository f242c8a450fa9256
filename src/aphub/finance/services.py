"""Changes to the budget: its lines (and what each covers), their amounts for a year, the year's High Needs Block
allocation, and a whole budget from a file. Each checks everything first and says every problem at once."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from aphub.audit.services import log_access
from aphub.core.errors import Problems
from aphub.core.forms.validators import check_limit, check_required
from aphub.core.permissions import require
from aphub.duties.models import EpisodeKind
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import User
from aphub.organisations.queries import membership_of

from . import limits
from .models import EVERY_ROUTE, BudgetAmount, BudgetCover, BudgetLine, HighNeedsAllocation, MoneyKind
from .permissions import can_set_budget

Cover = tuple[str, str]  # (MoneyKind value, EpisodeKind value, or EVERY_ROUTE for commissioned place funding)
COMMISSIONED_PLACES: Cover = (MoneyKind.COMMISSIONED_PLACE_FUNDING.value, EVERY_ROUTE)
NOT_PERMITTED = "Only your local authority's admins and finance officers can set the budget"


def cover_label(cover: Cover) -> str:
    """'Top-up: Permanent exclusion', as the pages and the import say a pair."""
    kind, route_kind = cover
    if route_kind == EVERY_ROUTE:
        return f"{MoneyKind(kind).label}: every route"
    return f"{MoneyKind(kind).label}: {EpisodeKind(route_kind).label}"


def is_cover(cover: Cover) -> bool:
    """A pair a budget line can cover: a funding line's kind on a route, or commissioned place funding on every
    route (a commissioned place serves them all)."""
    kind, route_kind = cover
    if kind == MoneyKind.COMMISSIONED_PLACE_FUNDING:
        return route_kind == EVERY_ROUTE
    return kind in MoneyKind.values and route_kind in EpisodeKind.values


def _editor(user: User) -> int:
    """The id of the LA whose budget the user may set; NotPermitted for anyone else."""
    membership = membership_of(user)
    require(can_set_budget(membership), NOT_PERMITTED)
    local_authority_id = membership.local_authority_id if membership is not None else None
    if local_authority_id is None:
        require(False, NOT_PERMITTED)
    return int(local_authority_id or 0)


def check_covers(
    problems: Problems, local_authority_id: int, covers: Iterable[Cover], *, budget_line: BudgetLine | None, field: str
) -> list[Cover]:
    """The pairs, each known and in no other line of the LA: a pair in two lines would count its money twice."""
    chosen = []
    for kind, route_kind in covers:
        if not is_cover((kind, route_kind)):
            problems.add("Choose what the budget line covers from the list", field=field)
            continue
        chosen.append((kind, route_kind))
    taken = BudgetCover.objects.filter(local_authority_id=local_authority_id).select_related("budget_line")
    if budget_line is not None:
        taken = taken.exclude(budget_line=budget_line)
    owners = {(cover.kind, cover.route_kind): cover.budget_line.name for cover in taken}
    for cover in chosen:
        if cover in owners:
            problems.add(
                f"{cover_label(cover)} is already in the budget line ‘{owners[cover]}’: a kind of money on a route "
                "can be in one budget line only",
                field=field,
            )
    return list(dict.fromkeys(chosen))


@transaction.atomic
def set_budget_line(
    *,
    user: User,
    budget_line: BudgetLine | None = None,
    name: str,
    order: int,
    covers: Iterable[Cover],
    financial_year: int,
    amount: Decimal | None,
) -> BudgetLine:
    """Make or change a budget line: its name, place, what it covers and its budget for the year (None: none set)."""
    local_authority_id = _editor(user)
    problems = Problems()
    name = check_required(problems, limits.budget_line_name, name, field="name", missing="Enter the budget line's name")
    if name:
        same_name = BudgetLine.objects.filter(local_authority_id=local_authority_id, name__iexact=name)
        if budget_line is not None:
            same_name = same_name.exclude(pk=budget_line.pk)
        if same_name.exists():
            problems.add(f"There is already a budget line called ‘{name}’", field="name")
    chosen = check_covers(problems, local_authority_id, covers, budget_line=budget_line, field="covers")
    if not chosen:
        problems.add("Choose at least one kind of money and route the budget line covers", field="covers")
    if amount is not None:
        with problems.check():
            amount = check_limit(limits.budget_amount, amount, field="amount")
    problems.raise_any()
    if budget_line is None:
        budget_line = BudgetLine.objects.create(local_authority_id=local_authority_id, name=name, order=order)
        verb = "create"
    else:
        budget_line.name, budget_line.order = name, order
        budget_line.save(update_fields=["name", "order"])
        verb = "change"
    _replace_covers(budget_line, chosen)
    _set_amount(budget_line, financial_year, amount)
    log_access(user=user, obj=budget_line, verb=verb)
    return budget_line


def _replace_covers(budget_line: BudgetLine, covers: list[Cover]) -> None:
    budget_line.covers.all().delete()
    BudgetCover.objects.bulk_create(
        BudgetCover(
            budget_line=budget_line, local_authority_id=budget_line.local_authority_id, kind=kind, route_kind=route_kind
        )
        for kind, route_kind in covers
    )


def _set_amount(budget_line: BudgetLine, financial_year: int, amount: Decimal | None) -> None:
    if amount is None:
        BudgetAmount.objects.filter(budget_line=budget_line, financial_year=financial_year).delete()
    else:
        BudgetAmount.objects.update_or_create(
            budget_line=budget_line, financial_year=financial_year, defaults={"amount": amount}
        )


@transaction.atomic
def set_allocation(*, user: User, financial_year: int, amount: Decimal) -> HighNeedsAllocation:
    """The year's High Needs Block allocation for the user's LA."""
    local_authority_id = _editor(user)
    amount = check_limit(limits.allocation_amount, amount, field="amount")
    allocation, _ = HighNeedsAllocation.objects.update_or_create(
        local_authority_id=local_authority_id, financial_year=financial_year, defaults={"amount": amount}
    )
    log_access(user=user, obj=allocation, verb="change")
    return allocation


@dataclass(frozen=True)
class ImportedLine:
    """A budget line as a file gives it: its name, place, pairs and the year's budget, with the file's lines."""

    name: str
    order: int
    covers: list[Cover]
    amount: Decimal | None
    lines: list[int]


@dataclass(frozen=True)
class BudgetImported:
    created: int
    changed: int

    def __str__(self) -> str:
        return f"{self.created} budget line{'s' if self.created != 1 else ''} added, {self.changed} changed"


@transaction.atomic
def import_budget(*, user: User, financial_year: int, lines: list[ImportedLine]) -> BudgetImported:
    """Set the budget lines a file names (made when new, their pairs replaced) and their budgets for the year. Lines
    the file does not name are kept; a pair one of them covers cannot move in the file."""
    local_authority_id = _editor(user)
    existing = {line.name.lower(): line for line in BudgetLine.objects.filter(local_authority_id=local_authority_id)}
    named = {line.name.lower() for line in lines}
    others = [line for key, line in existing.items() if key not in named]
    owners = {
        (cover.kind, cover.route_kind): cover.budget_line.name
        for cover in BudgetCover.objects.filter(budget_line__in=others).select_related("budget_line")
    }
    problems = []
    for imported in lines:
        for cover in imported.covers:
            if cover in owners:
                problems.append(
                    (imported.lines[0], f"{cover_label(cover)} is already in the budget line ‘{owners[cover]}’")
                )
    if problems:
        raise ImportRejected([RowProblem(line, problem) for line, problem in problems])
    created = changed = 0
    saved = []
    for imported in lines:
        budget_line = existing.get(imported.name.lower())
        if budget_line is None:
            budget_line = BudgetLine.objects.create(
                local_authority_id=local_authority_id, name=imported.name, order=imported.order
            )
            created += 1
            verb = "create"
        else:
            budget_line.order = imported.order
            budget_line.save(update_fields=["order"])
            changed += 1
            verb = "change"
        saved.append(budget_line)
        log_access(user=user, obj=budget_line, verb=verb)
    # Pairs move between the file's own lines: clear them all before any is set again.
    BudgetCover.objects.filter(budget_line__in=saved).delete()
    for imported, budget_line in zip(lines, saved, strict=True):
        _replace_covers(budget_line, imported.covers)
        _set_amount(budget_line, financial_year, imported.amount)
    return BudgetImported(created=created, changed=changed)
