"""The committee pack (issue 14): the termly or yearly report on the LA's AP for Schools Forum or scrutiny, as a PDF
with its charts and as a workbook of its tables, made in one click (insight:committee-pack) or by
`aphub committee-pack --la CODE --period YYYY-YY --out FILE.pdf`.

What it holds, in order:

- every registered dashboard's figures (insight.dashboards.dashboards(): numbers in AP, flows, duties met, outcomes,
  destinations, sufficiency, spend, forecast, as they are added), each made by the dashboard's own builder for the
  period, so the pack and the pages cannot disagree;
- spend against budget: the High Needs Block outturn of the financial year the period starts in (finance's own
  outturn, the figures its outturn page shows);
- the strategy action plan, where insight keeps one (`action_plan`, below).

It is a document to publish: every figure goes through insight.publication, so counts under the LA's threshold are
withheld (shown as c) in the tables, the charts (drawn again from the withheld tables) and the summaries; money is
not withheld. No child is named: the dashboards count children and never list them, and nothing else here reads a
child's record.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string

from aphub.core.clock import today
from aphub.core.figures import Figure, Table, bar_figure
from aphub.core.files.exports import Column, Export
from aphub.core.money import format_money
from aphub.finance.queries import outturn_for
from aphub.funding.periods import financial_year_of
from aphub.organisations.models import LocalAuthority, Membership, Role, User
from aphub.organisations.queries import membership_of

from .dashboards import dashboards
from .dashboards.filters import DashboardFilters, academic_year_label, period_of
from .publication import published_figure, threshold_for


@dataclass(frozen=True)
class Section:
    """One part of the pack: a heading, a sentence on what it answers, its figures (charts with tables) and any
    tables without a chart (the action plan)."""

    slug: str
    title: str
    description: str
    figures: list[Figure]
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class CommitteePack:
    local_authority: LocalAuthority
    label: str  # "2025/26" or "Autumn term 2025/26"
    period: str  # the period's choice ("2025", "2025-autumn"): its file name
    made_on: datetime.date
    threshold: int
    sections: list[Section]

    @property
    def figures(self) -> list[Figure]:
        return [figure for section in self.sections for figure in section.figures]

    @property
    def file_name(self) -> str:
        return f"committee-pack-{self.local_authority.la_code}-{self.label}".lower().replace(" ", "-").replace("/", "-")

    @property
    def threshold_note(self) -> str:
        return (
            f"Counts under {self.threshold} are shown as c, as are any that would let them be worked out from a "
            "total, so that no child can be identified. True zeros are shown. Money is not withheld."
        )


# --- Spend against budget (finance) --------------------------------------------------------------------------


def spend_against_budget(user: User, filters: DashboardFilters) -> Section:
    """The outturn of the financial year the period starts in: each budget line's budget beside its actuals to date
    and its forecast outturn (actuals, commitments to 31 March and expected new placements), as finance works them."""
    financial_year = financial_year_of(filters.start)
    outturn = outturn_for(user, financial_year=financial_year)
    year = f"{financial_year}-{(financial_year + 1) % 100:02d}"
    total = outturn.total
    if total.budget is None:
        summary = f"Forecast outturn {format_money(total.forecast)}; no budget is set for {year}."
    else:
        variance = total.budget - total.forecast
        side = "under" if variance >= 0 else "over"
        summary = (
            f"Forecast outturn {format_money(total.forecast)} against a budget of {format_money(total.budget)}: "
            f"{format_money(abs(variance))} {side} budget."
        )
    by_line = bar_figure(
        "spend-against-budget",
        f"High Needs Block spend on AP against budget, financial year {year}",
        summary,
        [row.name for row in outturn.rows],
        {"Budget": [row.budget for row in outturn.rows], "Forecast outturn": [row.forecast for row in outturn.rows]},
        category_heading="Budget line",
        money=True,
    )
    spent = sum((month.actuals for month in outturn.months), Decimal("0.00"))
    by_month = bar_figure(
        "spend-by-month",
        f"High Needs Block spend on AP month by month, financial year {year}",
        f"{format_money(spent)} spent to {outturn.today:%-d %B %Y}; the rest of the year is what placements already "
        "running will cost and what new placements are expected to.",
        [f"{month.period.start:%b %Y}" for month in outturn.months],
        {
            "Actuals": [month.actuals for month in outturn.months],
            "Commitments": [month.commitments for month in outturn.months],
            "Expected new placements": [month.expected for month in outturn.months],
        },
        category_heading="Month",
        horizontal=False,
        stacked=True,
        money=True,
    )
    return Section(
        "spend-against-budget",
        "Spend against budget",
        f"The LA's spend on AP from the High Needs Block in the financial year {year}, by budget line, as at "
        f"{outturn.today:%-d %B %Y}.",
        [by_line, by_month],
    )


# --- The strategy action plan ------------------------------------------------------------------------------------


def action_plan(user: User, filters: DashboardFilters) -> Section | None:
    """The LA's strategy actions (owner, due date, status, RAG, evidence), if insight keeps them
    (insight.models.StrategyAction): every field a committee reads, none of the bookkeeping (who last changed a row,
    when, the LA it belongs to). None, and no section, while there is no such model."""
    model = _action_model()
    if model is None:
        return None
    manager = model.objects  # type: ignore[attr-defined]
    shown = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key
        and not isinstance(field, models.DateTimeField)
        and not (field.is_relation and field.related_model in (LocalAuthority, User))
    ]
    related = [field.name for field in shown if field.is_relation]
    actions = manager.visible_to(user).select_related(*related)
    table = Table(
        caption="Strategy action plan",
        headings=[str(field.verbose_name).capitalize() for field in shown],
        rows=[[_shown(action, field) for field in shown] for action in actions],
        counts=(False,) * (len(shown) - 1),
    )
    return Section("action-plan", "Strategy action plan", "The LA's actions and where each stands.", [], [table])


def _action_model() -> type[models.Model] | None:
    """insight.models.StrategyAction where it exists and is scoped (`objects.visible_to`), else None."""
    from . import models as insight_models

    model = getattr(insight_models, "StrategyAction", None)
    return model if hasattr(getattr(model, "objects", None), "visible_to") else None


def _shown(action: models.Model, field: models.Field) -> object:
    if field.choices:
        return getattr(action, f"get_{field.name}_display")()
    value = getattr(action, field.name)
    return "" if value is None else value if isinstance(value, datetime.date | int | Decimal) else str(value)


# Sections after the dashboards', in order: each takes the reader and the period and gives a Section or None.
EXTRA_SECTIONS: list[Callable[[User, DashboardFilters], Section | None]] = [spend_against_budget, action_plan]


def contents() -> list[str]:
    """The sections' titles, for the page that offers the pack (without building it)."""
    titles = [dashboard.title for dashboard in dashboards().values()] + ["Spend against budget"]
    return titles + (["Strategy action plan"] if _action_model() is not None else [])


# --- The pack ------------------------------------------------------------------------------------------------------


def committee_pack_for(user: User, *, period: str) -> CommitteePack:
    """The pack for `period` ("2025" for the academic year 2025/26, "2025-autumn" for a term), from the user's own
    records, its counts withheld as the user's LA publishes them."""
    start, end, label, year = period_of(period)
    filters = DashboardFilters(start=start, end=end, label=label, academic_year=year)
    membership = membership_of(user)
    if membership is None or membership.local_authority_id is None:
        raise PermissionError("The committee pack is an LA's")
    threshold = threshold_for(membership.local_authority_id)
    sections = [
        Section(
            dashboard.slug,
            dashboard.title,
            dashboard.description,
            [published_figure(figure, threshold) for figure in dashboard.build(user, filters)],
        )
        for dashboard in dashboards().values()
    ]
    for extra in EXTRA_SECTIONS:
        section = extra(user, filters)
        if section is not None:
            sections.append(
                Section(
                    section.slug,
                    section.title,
                    section.description,
                    [published_figure(figure, threshold) for figure in section.figures],
                    section.tables,
                )
            )
    return CommitteePack(
        local_authority=membership.local_authority,
        label=label,
        period=period,
        made_on=today(),
        threshold=threshold,
        sections=sections,
    )


def pack_html(pack: CommitteePack) -> str:
    return render_to_string("insight/pack/pack_pdf.html", {"pack": pack})


def pack_pdf(pack: CommitteePack) -> bytes:
    from aphub.core.files.pdf import html_to_pdf

    return html_to_pdf(pack_html(pack))


def pack_sheets(pack: CommitteePack) -> list[tuple[str, Export, list]]:
    """The pack's tables as (title, export, rows) for core.files.exports.workbook_response: a first sheet saying what
    the workbook is, then every table in the pack's order."""
    about = Export("about", [Column("About this pack", lambda row: row[0]), Column("", lambda row: row[1])])
    about_rows = [
        ["Local authority", pack.local_authority.name],
        ["Period", pack.label],
        ["Made on", pack.made_on],
        ["Small numbers", pack.threshold_note],
    ]
    sheets: list[tuple[str, Export, list]] = [("About this pack", about, about_rows)]
    for section in pack.sections:
        sheets += [(figure.title, figure.table.export(figure.key), figure.table.rows) for figure in section.figures]
        sheets += [(table.caption, table.export(section.slug), table.rows) for table in section.tables]
    return sheets


def reader_for(local_authority: LocalAuthority, role: str = Role.AUDITOR) -> User:
    """Who a pack is made as: a user of the LA in `role`, made in memory and never saved. The command reads as the
    LA's auditor: it acts for nobody, and the auditor's role reads every record of the LA and changes none, so each
    builder's `visible_to(user)` gives it exactly the LA's rows and no other LA's. The task worker reads in the role
    of the officer who asked (insight.pack_requests), so the pack holds what the page's reader may see: the auditor
    reads none of a child's sensitive facts (pupils.sensitive), so an auditor's pack has no figures by SEN, need,
    ethnicity or looked-after status."""
    user = User(email=f"committee-pack@{local_authority.la_code}.invalid")
    user.membership = Membership(role=role, local_authority=local_authority)  # type: ignore[attr-defined]
    return user


def period_from_years(text: str) -> str:
    """The period's choice from "2025-26" (the academic year 2025/26); ValueError for anything else."""
    first, _, second = text.strip().partition("-")
    if not (first.isdigit() and len(first) == 4 and second.isdigit() and len(second) == 2):
        raise ValueError(f"Give the period as an academic year like 2025-26, not {text!r}")
    year = int(first)
    if int(second) != (year + 1) % 100:
        raise ValueError(
            f"{text} is not an academic year: the second year follows the first, like "
            f"{academic_year_label(year).replace('/', '-')}"
        )
    return str(year)
