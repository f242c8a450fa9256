"""A budget from a file (CSV or XLSX, core.files.tables): one row per pair a budget line covers.

Columns: Budget line, Kind of money, Route, Budget. A line's budget for the year may be on any of its rows and must
be the same on each where given. Kinds and routes are read by their names as the pages show them (or their codes),
in any case. The whole file is checked first; one bad row imports nothing (ImportRejected names each).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from aphub.core.errors import DomainError
from aphub.core.files.tables import read_table
from aphub.duties.models import EpisodeKind
from aphub.exchange.services import ImportRejected, RowProblem
from aphub.organisations.models import User

from . import limits
from .models import EVERY_ROUTE, MoneyKind
from .services import BudgetImported, Cover, ImportedLine, cover_label, import_budget

COLUMNS = ("Budget line", "Kind of money", "Route", "Budget")
MAX_ROWS = 1_000


def _names(choices) -> dict[str, str]:
    return {
        **{label.lower(): value for value, label in choices.choices},
        **{value.lower(): value for value in choices.values},
    }


KINDS, ROUTES = _names(MoneyKind), _names(EpisodeKind)


def lines_of(content: bytes) -> list[ImportedLine]:
    try:
        table = [(line, values) for line, values in read_table(content) if any(value.strip() for value in values)]
    except DomainError as error:  # the text cannot be read as rows: one problem, its line
        raise ImportRejected(
            [RowProblem(getattr(error, "line", 1), getattr(error, "problem", error.message))]
        ) from None
    if not table:
        raise ImportRejected(
            [RowProblem(1, f"The file is empty: its first row names the columns {', '.join(COLUMNS)}")]
        )
    header_line, header = table[0]
    if [" ".join(name.split()).lower() for name in header[: len(COLUMNS)]] != [name.lower() for name in COLUMNS]:
        raise ImportRejected([RowProblem(header_line, f"The first row must name the columns {', '.join(COLUMNS)}")])
    if len(table) == 1:
        raise ImportRejected([RowProblem(header_line, "The file has a header row but no budget lines")])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([RowProblem(header_line, f"The file has more than {MAX_ROWS:,} rows: split it")])
    problems: list[RowProblem] = []
    found: dict[str, dict] = {}
    seen: dict[Cover, int] = {}
    for line, values in table[1:]:
        name, kind, route, budget = ([value.strip() for value in values] + [""] * len(COLUMNS))[: len(COLUMNS)]
        row_problems = []
        try:
            name = limits.budget_line_name(name)
        except ValidationError as error:
            row_problems.append(error.messages[0])
        if not name:
            row_problems.append("Enter the budget line's name")
        if kind.lower() not in KINDS:
            row_problems.append(f"The kind of money must be one of {', '.join(MoneyKind.labels)}")
        elif KINDS[kind.lower()] == MoneyKind.COMMISSIONED_PLACE_FUNDING:
            # A commissioned place serves every route: the route is left empty (or says so).
            if route.lower() not in (EVERY_ROUTE, "every route"):
                row_problems.append("Commissioned place funding is for every route: leave its route empty")
        elif route.lower() not in ROUTES:
            row_problems.append(f"‘{route}’ is not a route: use one of {', '.join(EpisodeKind.labels)}")
        amount: Decimal | None = None
        if budget:
            try:
                amount = limits.budget_amount(budget)
            except ValidationError as error:
                row_problems.append(error.messages[0])
        if not row_problems:
            cover = (KINDS[kind.lower()], ROUTES.get(route.lower(), EVERY_ROUTE))
            entry = found.setdefault(name.lower(), {"name": name, "covers": [], "amount": None, "lines": []})
            if cover in seen:
                row_problems.append(f"{cover_label(cover)} is also on line {seen[cover]}: put it in one budget line")
            elif amount is not None and entry["amount"] is not None and amount != entry["amount"]:
                row_problems.append(f"The budget of ‘{name}’ is {entry['amount']} on another row: give one amount")
            else:
                seen[cover] = line
                entry["covers"].append(cover)
                entry["amount"] = amount if amount is not None else entry["amount"]
                entry["lines"].append(line)
        problems += [RowProblem(line, problem) for problem in row_problems]
    if problems:
        raise ImportRejected(problems)
    return [
        ImportedLine(
            name=entry["name"],
            order=position * 10,
            covers=entry["covers"],
            amount=entry["amount"],
            lines=entry["lines"],
        )
        for position, entry in enumerate(found.values(), start=1)
    ]


def import_file(*, user: User, financial_year: int, content: bytes) -> BudgetImported:
    return import_budget(user=user, financial_year=financial_year, lines=lines_of(content))
