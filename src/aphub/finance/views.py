"""The High Needs Block outturn at /funding/ (budget, actuals, commitments, expected, forecast and variance per
budget line, the month-by-month profile, and a drill-down behind every figure), and the budget's own pages.

The LA's staff and finance officers read them (FINANCE_READERS); its admins and finance officers set the budget
(FINANCE_EDITORS, finance.permissions.can_set_budget). The outturn names no child; a drill-down does, so it is
logged as a read of each child it shows.
"""

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from aphub.audit.services import log_access_many, log_list_read
from aphub.core.clock import today
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.core.web.views import form_page, found_or_404, service_call
from aphub.funding.exports import child_name, child_upn
from aphub.funding.forms import FinancialYearForm
from aphub.funding.periods import financial_year_label, financial_year_of
from aphub.organisations.access import role_required
from aphub.organisations.models import FINANCE_EDITORS, FINANCE_READERS
from aphub.organisations.queries import membership_of
from aphub.placements.attendance.views import upload_page

from . import forum_tables, queries, services
from .chart import profile_chart
from .exports import OUTTURN
from .forms import SEPARATOR, AllocationForm, BudgetLineForm, BudgetUploadForm
from .forum import forum_pack_for
from .imports import COLUMNS, import_file
from .permissions import can_set_budget
from .rules import RECENT_WEEKS

PARTS_PER_PAGE = 50
# The years a budget can be set for: a few either side of this one.
YEARS_AROUND = 2


def _year(request: HttpRequest, years: list[int]) -> tuple[FinancialYearForm, int]:
    return FinancialYearForm.from_query(request.GET, years=years, current=financial_year_of(today()))


def _budget_years(request: HttpRequest) -> list[int]:
    current = financial_year_of(today())
    return sorted(
        set(queries.financial_years_for(request.user)) | set(range(current - YEARS_AROUND, current + YEARS_AROUND + 1)),
        reverse=True,
    )


def _money(attribute: str) -> Column:
    return Column(attribute.capitalize(), lambda row: getattr(row, attribute), money=True)


PROFILE = Export(
    "outturn-by-month",
    [
        Column("Month", lambda month: month.period.name),
        Column("Actuals to date", lambda month: month.actuals, money=True),
        Column("Commitments", lambda month: month.commitments, money=True),
        Column("Expected new placements", lambda month: month.expected, money=True),
        Column("Forecast outturn", lambda month: month.forecast, money=True),
    ],
)


@role_required(FINANCE_READERS)
def outturn(request: HttpRequest) -> HttpResponse:
    form, year = _year(request, queries.financial_years_for(request.user))
    found = queries.outturn_for(request.user, financial_year=year)
    if (fmt := requested_format(request)) and not form.errors:
        label = financial_year_label(year)
        if request.GET.get("table") == "months":
            return PROFILE.response(found.months, fmt, name=f"outturn-by-month-{label}")
        return OUTTURN.response([*found.rows, found.total], fmt, name=f"outturn-{label}")
    return render(
        request,
        "finance/outturn.html",
        {
            "form": form,
            "year": year,
            "outturn": found,
            "chart": profile_chart(found.months, year),
            "recent_weeks": RECENT_WEEKS,
            "is_current": year == financial_year_of(today()),
            "may_set": can_set_budget(membership_of(request.user)),
            "downloads": download_links(request, year=year),
            "month_downloads": download_links(request, year=year, table="months"),
            "figures": queries.FIGURES,
        },
    )


DRILL_DOWN = Export(
    "outturn-drill-down",
    [
        Column("Placement id", lambda part: part.placement_id),
        Column("Pupil", child_name),
        Column("UPN", child_upn),
        Column("Provision", lambda part: part.provision.name),
        Column("Route", lambda part: part.route_name),
        Column("Kind", lambda part: part.kind),
        Column("From", lambda part: part.start),
        Column("To", lambda part: part.end),
        Column("Annual rate", lambda part: part.annual_rate, money=True),
        Column("Amount", lambda part: part.amount, money=True),
    ],
)


@role_required(FINANCE_READERS)
def drill_down(request: HttpRequest) -> HttpResponse:
    """The lines (or recent starts) that make one figure of the outturn, with their sum.

    ?figure= actuals, commitments or expected; &line= a budget line's id, "none" or "all"; &year=; &month=2026-04."""
    form, year = _year(request, queries.financial_years_for(request.user))
    figure = request.GET.get("figure", queries.COMMITMENTS)
    key = request.GET.get("line", queries.ALL_LINES)
    if form.errors or figure not in queries.FIGURES:
        raise Http404("No such figure")
    name = found_or_404(queries.row_name(request.user, key), "budget line")
    month = None
    if request.GET.get("month"):
        month = found_or_404(queries.month_of(year, request.GET["month"]), "month")
    parts = queries.parts_of(request.user, financial_year=year, figure=figure, key=key, month=month)
    total = sum((part.amount for part in parts), Decimal("0.00"))
    if fmt := requested_format(request):
        log_access_many(user=request.user, objs=queries.pupils_named(parts), verb="export", path=request.path)
        return DRILL_DOWN.response(parts, fmt, name=f"outturn-{figure}-{financial_year_label(year)}")
    page = Paginator(parts, PARTS_PER_PAGE).get_page(request.GET.get("page"))
    log_list_read(
        request,
        [part.placement.pupil_id for part in page.object_list if part.child_shown],
        list_name="Outturn drill-down",
        page_number=page.number,
    )
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return render(
        request,
        "finance/drill_down.html",
        {
            "year": year,
            "figure": queries.FIGURES[figure],
            "is_expected": figure == queries.EXPECTED,
            "name": name,
            "month": month,
            "page": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "page_query": query.urlencode(),
            "total": total,
            "downloads": download_links(request, year=year),
            "recent_weeks": RECENT_WEEKS,
        },
    )


@role_required(FINANCE_READERS)
def budget(request: HttpRequest) -> HttpResponse:
    form, year = _year(request, _budget_years(request))
    rows = queries.budget_rows(request.user, financial_year=year)
    amounts = [amount for _, amount in rows if amount is not None]
    return render(
        request,
        "finance/budget.html",
        {
            "form": form,
            "year": year,
            "rows": rows,
            "total": sum(amounts, Decimal("0.00")) if amounts else None,
            "allocation": queries.allocation_for(request.user, financial_year=year),
            "may_set": can_set_budget(membership_of(request.user)),
        },
    )


def _edit_line(request: HttpRequest, budget_line) -> HttpResponse:
    _, year = _year(request, _budget_years(request))
    label = financial_year_label(year)
    if request.method == "POST":
        form = BudgetLineForm(request.POST, year_label=label)
    elif budget_line is not None:
        amount = queries.budget_amounts_for(request.user, financial_year=year).get(budget_line.pk)
        form = BudgetLineForm(
            year_label=label,
            initial={
                "name": budget_line.name,
                "order": budget_line.order,
                "covers": [f"{cover.kind}{SEPARATOR}{cover.route_kind}" for cover in budget_line.covers.all()],
                "amount": amount,
            },
        )
    else:
        form = BudgetLineForm(year_label=label)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            saved = services.set_budget_line(
                user=request.user,
                budget_line=budget_line,
                name=form.cleaned_data["name"],
                order=form.cleaned_data["order"],
                covers=form.chosen_covers(),
                financial_year=year,
                amount=form.cleaned_data["amount"],
            )
            return call.done(f"The budget line ‘{saved.name}’ is saved.", f"{reverse('finance:budget')}?year={year}")
    return form_page(
        request,
        "finance/budget_line.html",
        form,
        budget_line=budget_line,
        year=year,
        status=400 if form.errors else 200,
    )


@role_required(FINANCE_EDITORS)
def new_budget_line(request: HttpRequest) -> HttpResponse:
    return _edit_line(request, None)


@role_required(FINANCE_EDITORS)
def edit_budget_line(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit_line(request, found_or_404(queries.budget_line_for(request.user, pk), "budget line"))


@role_required(FINANCE_EDITORS)
def import_budget(request: HttpRequest) -> HttpResponse:
    _, year = _year(request, _budget_years(request))

    def run(form: BudgetUploadForm) -> str:
        said = import_file(user=request.user, financial_year=year, content=form.cleaned_data["file"].read())
        return f"Budget for {financial_year_label(year)} imported: {said}."

    return upload_page(
        request,
        "finance/budget_import.html",
        form=BudgetUploadForm(request.POST, request.FILES) if request.method == "POST" else BudgetUploadForm(),
        run=run,
        then="finance:budget",
        year=year,
        columns=COLUMNS,
    )


@role_required(FINANCE_EDITORS)
def allocation(request: HttpRequest) -> HttpResponse:
    _, year = _year(request, _budget_years(request))
    current = queries.allocation_for(request.user, financial_year=year)
    form = (
        AllocationForm(request.POST)
        if request.method == "POST"
        else AllocationForm(initial={"amount": current.amount if current else None})
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.set_allocation(user=request.user, financial_year=year, amount=form.cleaned_data["amount"])
            said = f"The High Needs Block allocation for {financial_year_label(year)} is saved."
            return call.done(said, f"{reverse('finance:budget')}?year={year}")
    return form_page(request, "finance/allocation.html", form, year=year, status=400 if form.errors else 200)


@role_required(FINANCE_READERS)
def forum(request: HttpRequest) -> HttpResponse:
    """What a finance officer takes to Schools Forum for a year (finance.forum), on a page and as one XLSX. Counts and
    money only: no child is named, so no read of a child's record is logged."""
    form, year = _year(request, queries.financial_years_for(request.user))
    pack = forum_pack_for(request.user, financial_year=year)
    if requested_format(request) and not form.errors:
        return forum_tables.workbook(pack)
    return render(
        request,
        "finance/forum.html",
        {
            "form": form,
            "year": year,
            "pack": pack,
            "charts": forum_tables.charts(pack),
            "download": download_links(request, year=year)["xlsx"],
        },
    )
