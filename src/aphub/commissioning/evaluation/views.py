"""Pages of evaluation (LA officers and admins score, recommend and sign off; auditors read) and of contracts.

Thin: parse, call one query or service, render. Access: role_required answers 403 to other roles (providers and
schools never reach these pages); an application not sent to the user's LA, or still a draft, is a 404.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aphub.commissioning.evaluation import queries
from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.evaluation.forms import (
    ContractSignedForm,
    RecommendForm,
    SendBackForm,
    add_score_error,
    score_forms,
)
from aphub.commissioning.models import Application, Evaluation
from aphub.commissioning.permissions import can_evaluate
from aphub.core.forms.error_summary import error_links
from aphub.core.web.views import form_page, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_EDITORS, LA_STAFF
from aphub.organisations.queries import membership_of


def _can_edit(request: HttpRequest) -> bool:
    return can_evaluate(membership_of(request.user))


@role_required(LA_STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/evaluation/queue.html",
        {
            "queue": queries.evaluation_queue(request.user),
            "decided": queries.decided(request.user),
            "median_days": queries.median_decision_days(request.user),
        },
    )


def _application_page(request: HttpRequest, application: Application, *, forms=None, status: int = 200) -> HttpResponse:
    sheet = queries.evaluation_sheet(application)
    can_edit = _can_edit(request)
    allowed = evaluation.allowed_actions(application) if can_edit else set()
    can_score = "score" in allowed
    if can_score:
        forms = forms or score_forms([row.criterion for row in sheet.criteria])
        for row, form in zip(sheet.criteria, forms, strict=True):
            row.form = form
    errors = error_links(*forms) if forms and any(form.errors for form in forms) else []
    return render(
        request,
        "commissioning/evaluation/application.html",
        {
            "application": application,
            "sheet": sheet,
            "lots": list(application.lots.select_related("arrangement").order_by("number")),
            "days": queries.decision_days(application),
            "can_score": can_score,
            "can_recommend": bool(allowed & {"recommend-admit", "recommend-reject"}),
            "can_sign_off": bool(allowed & {"sign-off-admit", "sign-off-reject"}),
            "is_recommender": application.recommended_by_id == request.user.pk,
            "errors": errors,
        },
        status=status,
    )


@role_required(LA_STAFF)
def application(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, queries.application_for_evaluation(request.user, pk))


@role_required(LA_EDITORS)
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.application_for_evaluation(request.user, pk)
    if "score" not in evaluation.allowed_actions(found):
        messages.error(request, f"An application that is {found.get_status_display().lower()} cannot be scored.")
        return redirect("commissioning:evaluation", pk=found.pk)
    criteria = queries.application_criteria(found)
    forms = score_forms(criteria, request.POST)
    if all(form.is_valid() for form in forms):
        scores = [made for form in forms if (made := form.score()) is not None]
        if not scores and forms:
            forms[0].add_error("outcome", "Score at least one criterion: choose met, not met or clarification needed")
        else:
            by_code = {form.criterion.code: form for form in forms}
            beside = (lambda error: add_score_error(by_code, forms[0], error)) if forms else None
            with service_call(request, on_error=beside):
                evaluation.score_application(user=request.user, application=found, scores=scores)
                asked = [score for score in scores if score.outcome == Evaluation.Outcome.CLARIFICATION]
                if asked:
                    messages.success(
                        request,
                        f"Your scores are saved and {len(asked)} question{'s' if len(asked) != 1 else ''} sent to "
                        f"{found.provider.display_name}. The decision clock is paused until they answer.",
                    )
                else:
                    messages.success(request, "Your scores are saved.")
                return redirect("commissioning:evaluation", pk=found.pk)
            if not forms:  # no criterion to say it beside: the banner says it on the application's page
                return redirect("commissioning:evaluation", pk=found.pk)
    return _application_page(request, found, forms=forms, status=400)


@role_required(LA_EDITORS)
def recommend(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.application_for_evaluation(request.user, pk)
    if not evaluation.allowed_actions(found) & {"recommend-admit", "recommend-reject"}:
        messages.error(request, f"An application that is {found.get_status_display().lower()} cannot be recommended.")
        return redirect("commissioning:evaluation", pk=found.pk)
    form = RecommendForm(request.POST or None, lot_word=found.arrangement.lot_word)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            evaluation.recommend(user=request.user, application=found, **form.cleaned_data)
            return call.done(
                "Your recommendation is saved. Another officer must now sign it off.",
                "commissioning:evaluation",
                pk=found.pk,
            )
    return form_page(
        request,
        "commissioning/evaluation/recommend.html",
        form,
        application=found,
        gaps=queries.criteria_not_met(found),
        status=400 if form.errors else 200,
    )


@role_required(LA_EDITORS)
@require_POST
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.application_for_evaluation(request.user, pk)
    with service_call(request):
        decided = evaluation.sign_off(user=request.user, application=found)
        if decided.status == Application.Status.ADMITTED:
            messages.success(
                request,
                f"{decided.provider.display_name} is admitted. Its contract is listed on the contracts page; "
                "record the date it is signed there.",
            )
        else:
            messages.success(request, f"{decided.provider.display_name} is told it is not admitted, with the reasons.")
    return redirect("commissioning:evaluation", pk=found.pk)


@role_required(LA_EDITORS)
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.application_for_evaluation(request.user, pk)
    if "send-back" not in evaluation.allowed_actions(found):
        messages.error(request, "Only a recommendation waiting for sign-off can be sent back.")
        return redirect("commissioning:evaluation", pk=found.pk)
    form = SendBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            evaluation.send_back(user=request.user, application=found, note=form.cleaned_data["note"])
            return call.done(
                "The recommendation is sent back with your note. The application is back in the queue.",
                "commissioning:evaluation",
                pk=found.pk,
            )
    return form_page(
        request, "commissioning/evaluation/send_back.html", form, application=found, status=400 if form.errors else 200
    )


@role_required(LA_STAFF)
def contracts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commissioning/evaluation/contracts.html",
        {"contracts": list(queries.contracts_for(request.user)[:500]), "can_edit": _can_edit(request)},
    )


@role_required(LA_EDITORS)
def contract_signed(request: HttpRequest, pk: int) -> HttpResponse:
    contract = queries.contract_for(request.user, pk)
    form = ContractSignedForm(request.POST or None, initial={"signed_on": contract.signed_on})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            evaluation.record_contract_signed(
                user=request.user, contract=contract, signed_on=form.cleaned_data["signed_on"]
            )
            return call.done(f"Contract {contract.reference}: the signed date is saved.", "commissioning:contracts")
    return form_page(
        request,
        "commissioning/evaluation/contract_signed.html",
        form,
        contract=contract,
        status=400 if form.errors else 200,
    )
