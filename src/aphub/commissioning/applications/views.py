"""Providers' pages: readiness before applying, the application task list, each criterion, declarations, check and
submit, withdraw, clarification answers, the decision, and the evidence library.

Views parse, call one query or service, and render. Every page is `role_required` (wrong role: 403) and fetches its
object through a query that starts from `visible_to(user)` (another provider's object: 404, the same as a missing one).
"""

import re

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from aphub.commissioning.applications import queries, services
from aphub.commissioning.applications.forms import (
    ClarificationForm,
    DeclarationsForm,
    EvidenceUploadForm,
    LibraryOrUploadForm,
    LotsForm,
    ReadinessForm,
    ResponseForm,
)
from aphub.commissioning.applications.services import AlreadyApplied, IncompleteApplication
from aphub.commissioning.arrangements.criteria import Criterion, criteria_set
from aphub.commissioning.models import Application, CommercialArrangement, Evidence
from aphub.core.clock import today
from aphub.core.files.uploads import EXTENSIONS
from aphub.core.forms.error_summary import error_links
from aphub.core.web.views import found_or_404, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_STAFF, PROVIDER_ROLES
from aphub.organisations.queries import membership_of

# LA staff download the evidence of applications sent to their LA (the evaluation pages link here).
EVIDENCE_READERS = PROVIDER_ROLES | LA_STAFF


def _posted(request: HttpRequest):
    # An empty POST is still a submission: it must show "choose at least one", not a fresh form.
    return request.POST if request.method == "POST" else None


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _form_page(request: HttpRequest, template: str, form, context: dict | None = None) -> HttpResponse:
    """A page of one form; its error summary shows once the form is sent."""
    errors = error_links(form) if request.method == "POST" else []
    return render(request, template, {**(context or {}), "form": form, "errors": errors})


def _provider(request: HttpRequest):
    return membership_of(request.user).provider


def _application(request: HttpRequest, pk: int) -> Application:
    return found_or_404(queries.application_for(request.user, pk), "application")


def _arrangement(request: HttpRequest, pk: int) -> CommercialArrangement:
    return found_or_404(queries.arrangement_for(request.user, pk), "arrangement")


def _draft_only(request: HttpRequest, application: Application) -> HttpResponse | None:
    if application.status != Application.Status.DRAFT:
        messages.error(request, "You cannot change this application: it has been sent to the council.")
        return redirect("commissioning:application", pk=application.pk)
    return None


def _library(request: HttpRequest, criterion_code: str) -> list[Evidence]:
    """The provider's evidence that can be attached: clean items, those filed under this criterion first."""
    items = [item for item in queries.evidence_of_provider(request.user) if item.scan_status == Evidence.Scan.CLEAN]
    return sorted(items, key=lambda item: (item.criterion != criterion_code, item.title.lower(), item.pk))


def _criterion_asked(application: Application, code: str) -> Criterion:
    """The criterion as the arrangement's version of the criteria asks it; one no longer asked is a 404."""
    try:
        return criteria_set(application.arrangement.criteria_version).get(code)
    except KeyError as error:
        raise Http404("This criterion is no longer asked") from error


def _criterion_form(request: HttpRequest, form_class: type[LibraryOrUploadForm], criterion: Criterion, initial: dict):
    """An answer on one criterion (sent on POST), with the provider's library, that criterion's evidence first."""
    library = _library(request, criterion.code)
    return form_class(_posted(request), _files(request), criterion=criterion, library=library, initial=initial)


# -- Before applying ---------------------------------------------------------------------------------------------


@role_required(PROVIDER_ROLES)
def applications(request: HttpRequest) -> HttpResponse:
    mine = queries.provider_applications(request.user)
    in_progress = {a.arrangement_id: a for a in mine if a.status in queries.OPEN_STATUSES}
    return render(
        request,
        "commissioning/apply/applications.html",
        {
            "applications": mine,
            "arrangements": [
                {"arrangement": arrangement, "application": in_progress.get(arrangement.pk)}
                for arrangement in queries.arrangements_open_to(request.user)
            ],
        },
    )


@role_required(PROVIDER_ROLES)
@require_GET
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = _arrangement(request, pk)
    lots = list(arrangement.lots.all())
    form = ReadinessForm(request.GET or None, lots=lots, word=arrangement.lot_word)
    chosen = form.chosen() if form.is_bound and form.is_valid() else []
    provider = _provider(request)
    items = queries.readiness(provider, arrangement, chosen)
    counts = {state.name.lower(): sum(1 for item in items if item.state == state) for state in queries.Readiness}
    return render(
        request,
        "commissioning/apply/readiness.html",
        {
            "arrangement": arrangement,
            "provider": provider,
            "registered": queries.is_registered(provider),
            "form": form,
            "errors": error_links(form) if form.is_bound else [],
            "chosen": chosen,
            "items": items,
            "counts": counts,
            "ready": all(item.usable for item in items),
            "application": queries.open_application_to(request.user, arrangement),
            "is_open": services.is_open(arrangement),
        },
    )


@role_required(PROVIDER_ROLES)
def start(request: HttpRequest, pk: int) -> HttpResponse:
    arrangement = _arrangement(request, pk)
    existing = queries.open_application_to(request.user, arrangement)
    if existing is not None:
        messages.info(request, "You already have an application to this arrangement. Carry on with it here.")
        return redirect("commissioning:application", pk=existing.pk)
    lots = list(arrangement.lots.all())
    form = LotsForm(_posted(request), lots=lots, word=arrangement.lot_word)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            try:
                made = services.start_application(user=request.user, arrangement=arrangement, lots=form.chosen())
            except AlreadyApplied as error:
                messages.info(request, error.message)
                return redirect("commissioning:application", pk=error.application.pk)
            return call.done(
                "Your application is started. It is saved as you go: come back to it any time.",
                "commissioning:application",
                pk=made.pk,
            )
    return _form_page(
        request,
        "commissioning/apply/start.html",
        form,
        {"arrangement": arrangement, "is_open": services.is_open(arrangement)},
    )


# -- The application ---------------------------------------------------------------------------------------------


def _summary(application: Application) -> list[dict]:
    """Each criterion the application answers, with its statement and evidence (for check-answers and read-only)."""
    responses = queries.responses_of(application)
    rows = []
    for criterion in queries.criteria_needed(application.provider, application.lots.all()):
        response = responses.get(criterion.code)
        rows.append({"criterion": criterion, "response": response})
    return rows


def _declarations(application: Application) -> list[dict]:
    made = application.declarations or {}
    return [
        {"declaration": declaration, "made": bool(made.get(declaration.code))}
        for declaration in criteria_set(application.arrangement.criteria_version).declarations
    ]


@role_required(PROVIDER_ROLES)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    is_draft = found.status == Application.Status.DRAFT
    clarifications = queries.current_clarifications(found) if found.status == Application.Status.CLARIFICATION else []
    for question in clarifications:
        question.criterion_title = queries.criterion_title(question.criterion, found.arrangement.criteria_version)
    return render(
        request,
        "commissioning/apply/application.html",
        {
            "application": found,
            "arrangement": found.arrangement,
            "word": found.arrangement.lot_word,
            "tasks": queries.task_list(found) if is_draft else None,
            "rows": [] if is_draft else _summary(found),
            "declarations": [] if is_draft else _declarations(found),
            "clarifications": clarifications,
            "all_answered": bool(clarifications) and all(c.answered_at for c in clarifications),
            "allowed": {action.value for action in services.allowed_actions(request.user, found)},
            "decided": found.status in (Application.Status.ADMITTED, Application.Status.REJECTED),
        },
    )


@role_required(PROVIDER_ROLES)
def application_lots(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    if (blocked := _draft_only(request, found)) is not None:
        return blocked
    arrangement = found.arrangement
    form = LotsForm(
        _posted(request),
        lots=list(arrangement.lots.all()),
        word=arrangement.lot_word,
        initial={"lots": [str(lot.pk) for lot in found.lots.all()]},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.choose_lots(user=request.user, application=found, lots=form.chosen())
            return call.done(f"Your {arrangement.lot_word}s are saved.", "commissioning:application", pk=found.pk)
    return _form_page(
        request, "commissioning/apply/lots.html", form, {"application": found, "arrangement": arrangement}
    )


@role_required(PROVIDER_ROLES)
def response(request: HttpRequest, pk: int) -> HttpResponse:
    found = found_or_404(queries.response_for(request.user, pk), "answer")
    application = found.application
    if (blocked := _draft_only(request, application)) is not None:
        return blocked
    criterion = _criterion_asked(application, found.criterion)
    initial = {"statement": found.statement, "evidence": [str(item.pk) for item in found.evidence.all()]}
    form = _criterion_form(request, ResponseForm, criterion, initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.save_response(user=request.user, response=found, **form.given())
            return call.done(
                f"Your answer on {criterion.title.lower()} is saved.", "commissioning:application", pk=application.pk
            )
    judged = queries.assess(criterion, found.evidence.all())
    return _form_page(
        request,
        "commissioning/apply/response.html",
        form,
        {"application": application, "criterion": criterion, "response": found, "judged": judged},
    )


@role_required(PROVIDER_ROLES)
def declarations(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    if (blocked := _draft_only(request, found)) is not None:
        return blocked
    form = DeclarationsForm(
        _posted(request),
        declarations=criteria_set(found.arrangement.criteria_version).declarations,
        initial={"declarations": [code for code, made in (found.declarations or {}).items() if made]},
    )
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.make_declarations(user=request.user, application=found, codes=form.cleaned_data["declarations"])
            return call.done("Your declarations are saved.", "commissioning:application", pk=found.pk)
    return _form_page(request, "commissioning/apply/declarations.html", form, {"application": found})


def _gap_links(gaps: list[queries.Gap]) -> list[dict[str, str]]:
    """Each gap links to its section of the check-answers page, where its Change link is."""
    return [{"href": f"#section-{gap.key}", "text": gap.text} for gap in gaps]


@role_required(PROVIDER_ROLES)
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    if (blocked := _draft_only(request, found)) is not None:
        return blocked
    gaps = queries.submission_gaps(found)
    tried = False
    if request.method == "POST":
        tried = True
        incomplete = None
        with service_call(request) as call:
            try:
                services.submit_application(user=request.user, application=found)
            except IncompleteApplication as error:
                incomplete = error
            else:
                return call.done(
                    f"Your application is sent to {found.arrangement.owner.name}. "
                    "We will tell you here when they have decided, or if they have questions.",
                    "commissioning:application",
                    pk=found.pk,
                )
        if incomplete is None:  # another broken rule: said in a banner on the application's page
            return redirect("commissioning:application", pk=found.pk)
        gaps = incomplete.gaps
    return render(
        request,
        "commissioning/apply/check.html",
        {
            "application": found,
            "arrangement": found.arrangement,
            "word": found.arrangement.lot_word,
            "rows": _summary(found),
            "declarations": _declarations(found),
            "gaps": gaps,
            "errors": _gap_links(gaps) if tried else [],
        },
    )


@role_required(PROVIDER_ROLES)
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    if services.Action.WITHDRAW not in services.allowed_actions(request.user, found):
        messages.error(request, "You cannot withdraw this application now.")
        return redirect("commissioning:application", pk=found.pk)
    if request.method == "POST":
        with service_call(request):
            services.withdraw_application(user=request.user, application=found)
            messages.success(request, f"Your application to {found.arrangement.title} is withdrawn.")
        return redirect("commissioning:application", pk=found.pk)
    return render(request, "commissioning/apply/withdraw.html", {"application": found})


# -- Clarifications ----------------------------------------------------------------------------------------------


@role_required(PROVIDER_ROLES)
def clarification(request: HttpRequest, pk: int) -> HttpResponse:
    found = found_or_404(queries.clarification_for(request.user, pk), "question")
    application = found.application
    current = {c.pk for c in queries.current_clarifications(application)}
    if application.status != Application.Status.CLARIFICATION or found.pk not in current:
        messages.error(request, "This question is not waiting for an answer.")
        return redirect("commissioning:application", pk=application.pk)
    criterion = _criterion_asked(application, found.criterion)
    form = _criterion_form(request, ClarificationForm, criterion, {"answer": found.answer})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            services.answer_clarification(user=request.user, clarification=found, **form.given())
            return call.done(
                "Your answer is saved. Send your answers when every question has one.",
                "commissioning:application",
                pk=application.pk,
            )
    return _form_page(
        request,
        "commissioning/apply/clarification.html",
        form,
        {"application": application, "clarification": found, "criterion": criterion},
    )


@role_required(PROVIDER_ROLES)
@require_POST
def send_answers(request: HttpRequest, pk: int) -> HttpResponse:
    found = _application(request, pk)
    with service_call(request):
        services.answer_clarifications(user=request.user, application=found)
        messages.success(request, "Your answers are sent to the council. The application is back with them.")
    return redirect("commissioning:application", pk=found.pk)


# -- Evidence library --------------------------------------------------------------------------------------------


@role_required(PROVIDER_ROLES)
def evidence(request: HttpRequest) -> HttpResponse:
    items = queries.evidence_library(request.user)
    rows = [
        {"item": item, "criterion": queries.criterion_title(item.criterion), "judged": _judge(item)} for item in items
    ]
    return render(request, "commissioning/apply/evidence.html", {"rows": rows})


def _judge(item: Evidence) -> str:
    """A short word on an item's date: expired, expiring soon, or nothing."""
    if item.expires_on is None:
        return ""
    days = (item.expires_on - today()).days
    if days < 0:
        return "expired"
    if days <= queries.EXPIRING_SOON_DAYS:
        return "expiring"
    return ""


@role_required(PROVIDER_ROLES)
def evidence_upload(request: HttpRequest) -> HttpResponse:
    criteria = queries.library_criteria()
    initial = {"criterion": request.GET.get("criterion", "")}
    form = EvidenceUploadForm(_posted(request), _files(request), criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            made = services.add_evidence(
                user=request.user,
                criterion=form.cleaned_data["criterion"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                cover_amount=form.cleaned_data.get("cover_amount"),
                expires_on=form.cleaned_data.get("expires_on"),
            )
            return call.done(f"{made.title} is checked and added to your evidence.", "commissioning:evidence")
    return _form_page(request, "commissioning/apply/evidence_upload.html", form)


@role_required(EVIDENCE_READERS)
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.evidence_for_download(request.user, pk)
    if found is None or found.scan_status != Evidence.Scan.CLEAN:
        raise Http404("No such evidence")
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("The file is missing") from error
    name = re.sub(r"[^A-Za-z0-9]+", "-", found.title).strip("-")[:80] or "evidence"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}{EXTENSIONS.get(found.content_type, '')}",
        content_type=found.content_type,
    )
    response["Cache-Control"] = "private, no-store"  # a provider's documents must not sit in a shared cache
    return response


@role_required(PROVIDER_ROLES)
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    found = found_or_404(queries.evidence_for(request.user, pk), "evidence")
    in_use = queries.evidence_in_use(found)
    if request.method == "POST":
        with service_call(request):
            services.delete_evidence(user=request.user, evidence=found)
            messages.success(request, f"{found.title} is deleted.")
        return redirect("commissioning:evidence")
    return render(
        request,
        "commissioning/apply/evidence_delete.html",
        {"item": found, "criterion": queries.criterion_title(found.criterion), "in_use": in_use},
    )
