"""The LA's city-wide view of AP (issue 12): every child in AP in its area on a day, whoever arranged it, counted and
grouped, the children behind the counts, the LA's school-arranged figures beside the DfE's, and the upload of the
DfE's files. LA roles only (la-admin, la-officer, auditor); the upload is the admins'. Thin: parse, query, render.

The grouped table names no child; the list of children does, so each of its pages (and its files) is logged as a
read of those children's records (audit.log_list_read).
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from aphub.audit.services import log_list_read
from aphub.core.clock import today
from aphub.core.files.exports import FORMATS, download_links, requested_format, workbook_response
from aphub.core.web.views import form_page, found_or_404, opened_or_404, private_attachment, service_call
from aphub.exchange.services import ImportRejected
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_ADMINS, LA_EDITORS, LA_ROLES
from aphub.organisations.navigation import may_open
from aphub.organisations.queries import membership_of
from aphub.placements.school_arranged.census import weekly_cost_of
from aphub.placements.views import query_without_page

from . import exports, pack, pack_requests, publication, queries, services
from .dashboards import FIGURES_SECONDS, dashboards, drawn
from .dashboards.filters import DashboardForm, with_default_period
from .forms import DEFAULT_SERIES, CityWideForm, PackForm, PublishedFiguresForm, PublishedSeriesForm, with_defaults
from .models import PublishedSeries

GROUPS_PER_PAGE = 25
CHILDREN_PER_PAGE = 50
PROBLEMS_SHOWN = 50
CHILDREN_LIST = "City-wide AP: children"


def _form(request: HttpRequest, *, for_children: bool = False) -> CityWideForm:
    day = today()
    years = set(queries.published_years(request.user))
    this_year = queries.academic_year_of(day)
    years.update(range(this_year - 3, this_year + 1))
    return CityWideForm(
        with_defaults(request.GET, day=day),
        schools=queries.commissioning_schools(request.user),
        years=sorted(years, reverse=True),
        today=day,
        for_children=for_children,
    )


@role_required(LA_ROLES)
def city_wide(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    filters = form.filters()
    by = form.grouping()
    placements = queries.in_ap(request.user, filters)
    grouped = queries.groups(placements, by)
    if (fmt := requested_format(request)) and not form.errors:
        rows = exports.with_total(grouped.all(), queries.totals(placements))
        return exports.groups(by).response(rows, fmt, name=f"city-wide-ap-by-{by}-{filters.on.isoformat()}")
    page = Paginator(grouped, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    query = query_without_page(request)
    grouping = queries.GROUPINGS[by]
    rows = [(row, _children_link(request, grouping.narrowing(by, row.key))) for row in page.object_list]
    return render(
        request,
        "insight/city_wide.html",
        {
            "form": form,
            "filters": filters,
            "by": by,
            "grouping": grouping,
            "page": page,
            "rows": rows,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "total": queries.totals(placements),
            "comparison": queries.comparison(request.user, form.comparison_year()),
            "query": query,
            "downloads": download_links(request),
            "narrowed": form.narrowed(),
            "local_authority": membership_of(request.user).local_authority,
            "can_load": may_open(membership_of(request.user), "insight:published-figures"),
        },
        status=400 if form.errors else 200,
    )


@role_required(LA_ROLES)
def children(request: HttpRequest) -> HttpResponse:
    form = _form(request, for_children=True)
    filters = form.filters()
    found = queries.children(queries.in_ap(request.user, filters))
    if (fmt := requested_format(request)) and not form.errors:
        rows = list(found)
        log_list_read(request, rows, list_name=CHILDREN_LIST, verb="export")
        return exports.CHILDREN.response(rows, fmt, name=f"city-wide-ap-children-{filters.on.isoformat()}")
    page = Paginator(found, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    log_list_read(request, page.object_list, list_name=CHILDREN_LIST, page_number=page.number)
    return render(
        request,
        "insight/children.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": query_without_page(request),
            "downloads": download_links(request),
            "narrowed": form.narrowed(),
            "rows": [_child_row(placement) for placement in page.object_list],
        },
        status=400 if form.errors else 200,
    )


def _children_link(request: HttpRequest, narrowing: dict[str, str]) -> str:
    """The list of children behind one row of the table: this page's filters, narrowed to the row's group."""
    query = request.GET.copy()
    for name in ("page", "format", *narrowing):
        query.pop(name, None)
    query.update(narrowing)
    return f"{reverse('insight:children')}?{query.urlencode()}"


def _child_row(placement) -> dict:
    return {
        "placement": placement,
        "arranged_by": exports.arranged_by(placement),
        "provider": exports.provider_name(placement),
        "setting": exports.setting_label(placement),
        "registration": exports.registration_label(placement),
        "reason": exports.reason_label(placement),
        "weekly_cost": weekly_cost_of(placement.annual_cost),
    }


@role_required(LA_ADMINS)
def published_figures(request: HttpRequest) -> HttpResponse:
    problems: list = []
    problem_count = 0
    if request.method == "POST":
        form = PublishedFiguresForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            with service_call(request, form, field_for=lambda field: "file") as call:
                try:
                    outcome = services.load_published_figures(
                        user=request.user, content=upload.read(), file_name=upload.name
                    )
                except ImportRejected as rejected:
                    form.add_error("file", rejected.message)
                    problem_count = len(rejected.problems)
                    problems = rejected.problems[:PROBLEMS_SHOWN]
                else:
                    return call.done(f"Published figures loaded: {outcome}.", "insight:published-figures")
    else:
        form = PublishedFiguresForm()
    return form_page(
        request,
        "insight/published_figures.html",
        form,
        problems=problems,
        problem_count=problem_count,
        problems_hidden=max(0, problem_count - len(problems)),
        loaded=queries.loaded_files(request.user),
        local_authority=membership_of(request.user).local_authority,
        status=400 if form.errors else 200,
    )


@role_required(LA_EDITORS)
def published_series(request: HttpRequest) -> HttpResponse:
    """The LA's published DfE series for the forecast dashboard: load one (or replace it), and those loaded."""
    refused: dict = {}
    if request.method == "POST":
        form = PublishedSeriesForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            # The file's problems are listed under it; the series' name, checked again by the service, is its own field.
            with service_call(request, form, field_for=lambda field: field if field == "measure" else "file") as call:
                try:
                    loaded = services.load_published_series(
                        user=request.user,
                        content=data["file"].read(),
                        file_name=data["file"].name,
                        measure=data["measure"],
                        value=data["value"],
                        period=data["period"],
                        where=data["where"],
                    )
                except ImportRejected as rejected:
                    refused = form.refused(rejected)
                else:
                    return call.done(f"Published series loaded: {loaded}.", "insight:published-series")
    else:
        form = PublishedSeriesForm(initial=DEFAULT_SERIES)
    return form_page(
        request,
        "insight/published_series.html",
        form,
        **refused,
        loaded=PublishedSeries.objects.visible_to(request.user).select_related("uploaded_by"),
        local_authority=membership_of(request.user).local_authority,
        status=400 if form.errors else 200,
    )


# --- Dashboards (issue 14) ----------------------------------------------------------------------------------------


@role_required(LA_ROLES)
def dashboard_index(request: HttpRequest) -> HttpResponse:
    return render(request, "insight/dashboards/index.html", {"dashboards": dashboards().values()})


@role_required(LA_ROLES)
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """One dashboard's figures for the chosen filters. `?format=xlsx` gives every table in one workbook; with
    `&table=KEY`, that table alone (CSV or XLSX). Counts only: no child is named, so nothing here is a read of a
    child's record."""
    chosen = dashboards().get(slug)
    if chosen is None:
        raise Http404("No such dashboard")
    day = today()
    form = DashboardForm(with_default_period(request.GET, day), user=request.user, today=day)
    filters = form.filters()
    found = drawn(chosen, request.user, filters)
    figures = found.figures
    name = f"{slug}-{filters.label}".lower().replace(" ", "-").replace("/", "-")
    if (fmt := requested_format(request)) and not form.errors:
        if key := request.GET.get("table"):
            figure = next((figure for figure in figures if figure.key == key), None)
            if figure is None:
                raise Http404("No such table")
            return figure.table.export(f"{name}-{key}").response(figure.table.rows, fmt)
        sheets = [(figure.title, figure.table.export(figure.key), figure.table.rows) for figure in figures]
        return workbook_response(sheets, name=name)
    return render(
        request,
        "insight/dashboards/dashboard.html",
        {
            "dashboard": chosen,
            "form": form,
            "filters": filters,
            "figures": [(figure, _table_links(request, figure.key)) for figure in figures],
            "drawn_at": found.at,
            "kept_minutes": FIGURES_SECONDS // 60,
            "downloads": download_links(request, period=form["period"].value()),
            "others": [other for other in dashboards().values() if other.slug != slug],
            **(chosen.aside(request.user) if chosen.aside else {}),
        },
        status=400 if form.errors else 200,
    )


def _table_links(request: HttpRequest, key: str) -> dict[str, str]:
    query = request.GET.copy()
    query["table"] = key
    links = {}
    for fmt in FORMATS:
        query["format"] = fmt
        links[fmt] = f"{request.path}?{query.urlencode()}"
    return links


# --- The committee pack (issue 14) ---------------------------------------------------------------------------------


@role_required(LA_ROLES)
def committee_pack(request: HttpRequest) -> HttpResponse:
    """The page to ask for the pack (a period, then "Make the pack" as a PDF or a workbook) and the LA's packs of the
    last 30 days. The pack is made by the task queue (insight.pack_requests), never in this request: asking
    records the request and returns at once. Counts only, withheld when small: no child's record is read here."""
    day = today()
    if request.method == "POST":
        form = PackForm(request.POST, today=day)
        if form.is_valid():
            with service_call(request, form) as call:
                asked = pack_requests.ask_for_pack(
                    user=request.user,
                    period=form.cleaned_data["period"],
                    format=form.cleaned_data["format"],
                    path=request.path,
                )
                made = asked.request
                what = f"The committee pack for {made.period_label} ({made.get_format_display()})"
                said = " is being made." if asked.created else " was already asked for: it is the one listed below."
                return call.done(what + said, "insight:committee-pack")
    else:
        form = PackForm(with_default_period(request.GET, day), today=day)
    packs = list(pack_requests.recent_packs(request.user))
    return render(
        request,
        "insight/pack/committee_pack.html",
        {
            "form": form,
            "sections": pack.contents(),
            "packs": packs,
            "in_hand": any(made.in_hand for made in packs),
            "kept_days": pack_requests.KEPT_DAYS,
            "threshold": publication.threshold_for(membership_of(request.user).local_authority_id),
            "can_set_threshold": may_open(membership_of(request.user), "duties:policy"),
        },
        status=400 if form.errors else 200,
    )


@role_required(LA_ROLES)
@require_GET
def committee_pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A ready pack of the user's LA, as a file download; another LA's, or one not ready, is a 404. Each download is
    logged (audit app)."""
    made = found_or_404(pack_requests.pack_for_download(request.user, pk), "committee pack")
    handle = opened_or_404(made.file)
    pack_requests.record_download(user=request.user, request=made, path=request.path)
    return private_attachment(handle, filename=made.file_name, content_type=pack_requests.CONTENT_TYPES[made.format])
