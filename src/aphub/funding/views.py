"""The funding page: the lines of a financial year with totals by payer and kind, double funding to put right, and
the same lines as CSV or XLSX.

LA staff see their LA's lines, school staff the lines their school pays (FundingLine.objects.visible_to).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aphub.audit.services import log_access_many, log_list_read
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.organisations.access import role_required
from aphub.organisations.models import FINANCE_READERS, Role
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

from . import queries
from .exports import PLACEMENT_COLUMNS
from .forms import FinancialYearForm
from .periods import financial_year_label

FUNDING_ROLES = FINANCE_READERS | {Role.SCHOOL_STAFF}
LINES_PER_PAGE = 50


# What finance reconciles, with the child named to those who may see the child (queries.lines_for).
LINES = Export(
    "funding-lines",
    [
        *PLACEMENT_COLUMNS,
        Column("Kind", lambda line: line.get_kind_display()),
        Column("Payer", lambda line: line.payer_name),
        Column("Payer school URN", lambda line: line.payer_school.urn if line.payer_school else ""),
        Column("Financial year", lambda line: financial_year_label(line.financial_year)),
        Column("Period start", lambda line: line.period_start),
        Column("Period end", lambda line: line.period_end),
        Column("Days", lambda line: line.days),
        Column("Annual rate", lambda line: line.annual_rate, money=True),
        Column("Amount", lambda line: line.amount, money=True),
    ],
)


@role_required(FUNDING_ROLES)
def lines(request: HttpRequest) -> HttpResponse:
    form, year = FinancialYearForm.from_query(
        request.GET, years=queries.financial_years_for(request.user), current=queries.current_financial_year()
    )
    lines = queries.lines_for(request.user, financial_year=year)
    # The files are this page's own lines in another format, so a query parameter rather than another URL.
    if (fmt := requested_format(request)) and not form.errors:
        rows = list(lines)
        # The lines name children: the export is logged for each child named (not the lines: money is no record).
        named = {line.placement.pupil_id: line.placement.pupil for line in rows if line.child_shown}
        log_access_many(user=request.user, objs=list(named.values()), verb="export", path=request.path)
        return LINES.response(rows, fmt, name=f"funding-lines-{financial_year_label(year)}")
    is_la = acts_as(membership_of(request.user), FINANCE_READERS)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    double_funded = queries.double_funded_for(request.user, financial_year=year) if is_la else []
    # The lines (and the double-funding table) name children: the page is a read of each child it names.
    shown = [line.placement.pupil_id for line in page.object_list if line.child_shown]
    shown += [found.placement.pupil_id for found in double_funded]
    log_list_read(request, shown, list_name="Funding lines", page_number=page.number)
    totals = queries.totals_for(request.user, financial_year=year)
    return render(
        request,
        "funding/lines.html",
        {
            "form": form,
            "year": year,
            "is_la": is_la,
            "page": page,
            "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)),
            "totals": totals,
            "grand_total": queries.grand_total(totals),
            "double_funded": double_funded,
            "downloads": download_links(request, year=year),
        },
    )
