"""The action plan's pages: the list (every LA role reads it), an action's progress and a new action (the LA's
officers and admins), and the button that starts the plan from the strategy's ten actions. Thin: parse, call one
service or query, render."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from aphub.core.web.views import form_page, found_or_404, service_call
from aphub.organisations.access import role_required
from aphub.organisations.models import LA_EDITORS, LA_ROLES
from aphub.organisations.queries import membership_of

from ..permissions import can_keep_action_plan
from . import queries, services
from .forms import ActionForm, NewActionForm

PLAN = "insight:actions"


@role_required(LA_ROLES)
def action_plan(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    actions = list(queries.actions_for(request.user))
    return render(
        request,
        "insight/actions/list.html",
        {
            "actions": actions,
            "may_edit": can_keep_action_plan(membership),
            "local_authority": membership.local_authority,
        },
    )


@role_required(LA_EDITORS)
@require_POST
def start_from_strategy(request: HttpRequest) -> HttpResponse:
    with service_call(request) as call:
        made = services.start_from_strategy(user=request.user)
        return call.done(f"Your action plan starts with the AP strategy's {len(made)} actions.", PLAN)
    return redirect(PLAN)


@role_required(LA_EDITORS)
def add_action(request: HttpRequest) -> HttpResponse:
    form = NewActionForm(request.POST if request.method == "POST" else None, initial={"status": "not-started"})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            action = services.add_action(user=request.user, **form.cleaned_data)
            return call.done(f"Action {action.number} is added to the plan.", PLAN)
    return form_page(request, "insight/actions/add.html", form, status=400 if form.errors else 200)


@role_required(LA_EDITORS)
def edit_action(request: HttpRequest, pk: int) -> HttpResponse:
    action = found_or_404(queries.action_for(request.user, pk), "action")
    initial = {name: getattr(action, name) for name in ("owner", "due_on", "status", "rag", "evidence")}
    form = ActionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            changed = services.update_action(user=request.user, action=action, **form.cleaned_data)
            return call.done(f"Action {changed.number} is updated.", PLAN)
    return form_page(request, "insight/actions/edit.html", form, status=400 if form.errors else 200, action=action)
