"""The funding page: the lines of a financial year with totals by payer and kind, double funding to put right, and
the same lines as CSV.

LA staff see their LA's lines, school staff the lines their school pays (FundingLine.objects.visible_to).
"""

import csv

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from aphub.organisations.access import LA_STAFF, role_required
from aphub.organisations.models import Role
from aphub.organisations.queries import membership_of

from . import queries
from .forms import FinancialYearForm
from .periods import financial_year_label

FUNDING_ROLES = LA_STAFF | {Role.SCHOOL_STAFF}
LINES_PER_PAGE = 50

CSV_HEADER = [
    "placement id",
    "provision",
    "route",
    "kind",
    "payer",
    "payer school URN",
    "financial year",
    "period start",
    "period end",
    "days",
    "annual rate",
    "amount",
]


@role_required(FUNDING_ROLES)
def lines(request: HttpRequest) -> HttpResponse:
    current = queries.current_financial_year()
    form = FinancialYearForm(
        request.GET if "year" in request.GET else None,
        years=queries.financial_years_for(request.user),
        initial={"year": current},
    )
    year = form.chosen_year(default=current)
    # The CSV is this page's own lines in another format, so it is a query parameter rather than another URL.
    if request.GET.get("format") == "csv" and not form.errors:
        return _csv_response(request, year)
    page = Paginator(queries.lines_for(request.user, financial_year=year), LINES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    totals = queries.totals_for(request.user, financial_year=year)
    is_la = membership_of(request.user).role in LA_STAFF
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
            "double_funded": queries.double_funded_for(request.user, financial_year=year) if is_la else [],
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    # Provision and school names are typed by providers: a leading =, +, - or @ would be run as a formula by
    # spreadsheet programs (CSV injection), so such a cell is quoted as text.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(request: HttpRequest, year: int) -> StreamingHttpResponse:
    # Not access-logged as an export of each placement: the file names no child (no name, UPN or date of birth),
    # only placement ids, provisions, routes, payers and money, which is what the finance team reconciles.
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_HEADER)
        for line in queries.lines_for(request.user, financial_year=year).iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    line.placement_id,
                    _cell(line.placement.provision.name),
                    _cell(line.placement.route.name),
                    line.get_kind_display(),
                    _cell(line.payer_name),
                    line.payer_school.urn if line.payer_school else "",
                    financial_year_label(line.financial_year),
                    line.period_start.isoformat(),
                    line.period_end.isoformat(),
                    line.days,
                    line.annual_rate,
                    line.amount,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="funding-lines-{financial_year_label(year)}.csv"'
    return response
