"""The recharge pages: a term's statements, a statement with its lines and totals (and as PDF and XLSX), its moves,
and resolving double funding by deciding the school pays.

The LA's staff and finance officer see their LA's statements; a school its own once issued
(RechargeStatement.objects.visible_to). Every page or file that names a child is logged as a read of each child.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from aphub.audit.services import log_access, log_list_read
from aphub.core.errors import InvalidTransition
from aphub.core.files.exports import Column, Export, download_links, requested_format
from aphub.core.files.pdf import html_to_pdf
from aphub.core.web.views import found_or_404, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import FINANCE_EDITORS, FINANCE_READERS, Role
from aphub.organisations.permissions import acts_as
from aphub.organisations.queries import membership_of

from ..models import RechargeStatement
from . import queries, services
from .forms import ReasonForm, TermForm
from .permissions import can_draft_statements, can_resolve_double_funding

STATEMENT_ROLES = FINANCE_READERS | {Role.SCHOOL_STAFF}


def _term_form(request: HttpRequest) -> tuple[TermForm, object]:
    current = queries.current_term()
    form = TermForm(
        request.GET if "term" in request.GET else None,
        terms=queries.terms_for(request.user),
        initial={"term": current.start.isoformat()},
    )
    return form, form.chosen_term(default=current)


@role_required(STATEMENT_ROLES)
def statements(request: HttpRequest) -> HttpResponse:
    form, term = _term_form(request)
    found = queries.statements_in(request.user, term)
    return render(
        request,
        "funding/recharges/statements.html",
        {
            "form": form,
            "term": term,
            "statements": found,
            "is_la": acts_as(membership_of(request.user), FINANCE_READERS),
            "may_draft": can_draft_statements(membership_of(request.user)),
        },
    )


@role_required(FINANCE_EDITORS)
@require_POST
def draft(request: HttpRequest) -> HttpResponse:
    form, term = _term_form(request)
    with service_call(request) as call:
        made = services.draft_statements(user=request.user, term=term)
        words = f"{len(made)} draft statement{'s' if len(made) != 1 else ''}" if made else "No new draft statements"
        return call.done(
            f"{words} for {term.name}.",
            f"{reverse('funding:recharge-statements')}?term={term.start.isoformat()}",
        )
    return redirect("funding:recharge-statements")


# A statement's lines as a spreadsheet: what the school reconciles, one row a line.
LINES = Export(
    "recharge-statement",
    [
        Column("Line", lambda line: line.get_kind_display()),
        Column("Term billed", lambda line: line.term_name),
        Column("Placement id", lambda line: line.placement_number),
        Column("Pupil", lambda line: line.child_name),
        Column("UPN", lambda line: line.upn),
        Column("Provision", lambda line: line.provision_name),
        Column("Kind", lambda line: line.get_funding_kind_display()),
        Column("Days", lambda line: line.days),
        Column("Amount", lambda line: line.amount, money=True),
    ],
)


def _found(request: HttpRequest, pk: int) -> RechargeStatement:
    return found_or_404(queries.statement_for(request.user, pk), "statement")


def _file_name(statement: RechargeStatement) -> str:
    return f"recharge-statement-{statement.number or statement.pk}".lower()


@role_required(STATEMENT_ROLES)
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    lines = queries.lines_of(request.user, found)
    if fmt := requested_format(request):
        log_list_read(request, [line.pupil_id for line in lines], list_name="Recharge statement", verb="export")
        return LINES.response(lines, fmt, name=_file_name(found))
    membership = membership_of(request.user)
    may_resolve = can_resolve_double_funding(membership, found.local_authority_id)
    double_funded = queries.double_funded_of(request.user, found) if may_resolve else []
    decisions = list(queries.decisions_for_school(request.user, found))
    shown = [line.pupil_id for line in lines] + [each.placement.pupil_id for each in double_funded]
    log_list_read(request, shown, list_name="Recharge statement")
    return render(
        request,
        "funding/recharges/statement.html",
        {
            "statement": found,
            "lines": lines,
            "totals": queries.totals_of(lines),
            "actions": services.allowed_actions(request.user, found),
            "double_funded": double_funded,
            "decisions": decisions,
            "may_resolve": may_resolve,
            "downloads": download_links(request),
        },
    )


@role_required(STATEMENT_ROLES)
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from django.template.loader import render_to_string

    found = _found(request, pk)
    lines = queries.lines_of(request.user, found)
    log_list_read(request, [line.pupil_id for line in lines], list_name="Recharge statement", verb="export")
    html = render_to_string(
        "funding/recharges/statement_pdf.html",
        {"statement": found, "lines": lines, "totals": queries.totals_of(lines)},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_file_name(found)}.pdf"'
    return response


def _back(found: RechargeStatement) -> str:
    return reverse("funding:recharge-statement", kwargs={"pk": found.pk})


def _press(request: HttpRequest, pk: int, move, done: str) -> HttpResponse:
    """A button that makes a move at once (issue, mark paid): the move's service, then back to the statement."""
    found = _found(request, pk)
    with service_call(request) as call:
        moved = move(user=request.user, statement=found)
        return call.done(done.format(number=moved.number, school=moved.school.name), _back(found))
    return redirect(_back(found))


@role_required(FINANCE_EDITORS)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _press(request, pk, services.issue_statement, "Statement {number} is issued to {school}.")


@role_required(FINANCE_EDITORS)
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    return _press(request, pk, services.mark_paid, "Statement {number} is marked as paid.")


def _not_now(request: HttpRequest, found: RechargeStatement, action: str) -> HttpResponse | None:
    """Back to the statement, saying why, when it has moved on from where `action` can be made (disputed twice, or
    paid); a refusal (not the user's move) is a 403 as everywhere."""
    try:
        services.STATEMENT.check(found.status, action, services.parties_of(request.user, found))
    except InvalidTransition as error:
        messages.error(request, error.message)
        return redirect(_back(found))
    return None


def _reason_page(request: HttpRequest, found: RechargeStatement, *, form: ReasonForm, **words) -> HttpResponse:
    return render(
        request,
        "funding/recharges/reason.html",
        {"statement": found, "form": form, "action": request.path, "back": _back(found), **words},
    )


@role_required(Role.SCHOOL_STAFF)
def dispute(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    if (moved_on := _not_now(request, found, "dispute")) is not None:
        return moved_on
    form = ReasonForm(
        request.POST or None, label="Why is the statement wrong?", required="Say why the statement is wrong"
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.dispute_statement(user=request.user, statement=found, reason=form.cleaned_data["reason"])
            return call.done(f"You disputed statement {found.number}. The local authority will reply.", _back(found))
    return _reason_page(request, found, form=form, heading="Dispute this statement", button="Dispute the statement")


@role_required(FINANCE_EDITORS)
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    if (moved_on := _not_now(request, found, "reissue")) is not None:
        return moved_on
    form = ReasonForm(
        request.POST or None,
        label="How was the dispute resolved?",
        required="Say how the dispute was resolved",
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.reissue_statement(user=request.user, statement=found, resolution=form.cleaned_data["reason"])
            return call.done(f"Statement {found.number} is issued again.", _back(found))
    return _reason_page(
        request,
        found,
        form=form,
        heading="Re-issue this statement",
        button="Re-issue the statement",
        intro="The statement keeps the lines it was issued with. A correction to what the school owes goes on its "
        "next statement as an adjustment.",
    )


@role_required(FINANCE_EDITORS)
def school_pays(request: HttpRequest, pk: int) -> HttpResponse:
    """Resolve double funding on one placement: the school pays its top-up, and the LA stops paying it."""
    placement = found_or_404(queries.placement_for(request.user, pk), "placement")
    statement_id = request.GET.get("statement", "")
    back_statement = queries.statement_for(request.user, int(statement_id)) if statement_id.isdigit() else None
    back = _back(back_statement) if back_statement is not None else reverse("funding:recharge-statements")
    form = ReasonForm(
        request.POST or None, label="Why does the school pay?", required="Say why the school pays the top-up"
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            decision = services.record_school_pays(
                user=request.user, placement=placement, reason=form.cleaned_data["reason"]
            )
            return call.done(f"{decision.school.name} pays the top-up from now on: the local authority does not.", back)
    log_access(user=request.user, obj=placement.pupil, verb="view", path=request.path)
    return render(
        request,
        "funding/recharges/school_pays.html",
        {"placement": placement, "form": form, "action": request.get_full_path(), "back": back},
    )
