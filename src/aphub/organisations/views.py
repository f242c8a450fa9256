from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.views.decorators.http import require_POST

from aphub.core.errors import DomainError

from .access import role_required, signed_in_required
from .forms import ApiTokenForm, SignInForm, SwitchMembershipForm
from .models import API_TOKEN_ROLES
from .queries import MEMBERSHIP_SESSION_KEY, api_tokens_visible_to, membership_of, own_memberships
from .services import issue_api_token, revoke_api_token


class SignInView(LoginView):
    template_name = "organisations/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("directory:search")


@signed_in_required
def switch_membership(request: HttpRequest) -> HttpResponse:
    """People who work for several organisations (an officer who is also a governor) choose whom they act for."""
    memberships = own_memberships(request.user)
    current = membership_of(request.user)
    form = SwitchMembershipForm(
        request.POST if request.method == "POST" else None,
        memberships=memberships,
        initial={"membership": current.pk if current else None},
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["membership"]
        request.session[MEMBERSHIP_SESSION_KEY] = chosen.pk
        request.user.membership = chosen
        messages.success(request, f"You are now working as {chosen.get_role_display()} at {chosen.organisation}.")
        return redirect("organisations:home")
    return render(request, "organisations/switch_membership.html", {"form": form}, status=400 if form.errors else 200)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Usually a form left open past the session's expiry. The reason is for logs, never the page."""
    return render(request, "errors/csrf.html", status=403)


@role_required(API_TOKEN_ROLES)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the organisation's tokens and make a new one; the new token is shown on this response only."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = issue_api_token(
                membership=membership_of(request.user),
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "organisations/api_tokens.html",
        {"form": form, "issued": issued, "tokens": api_tokens_visible_to(request.user)},
        status=400 if form.errors else 200,
    )
    if issued is not None:
        response["Cache-Control"] = "no-store"  # the plaintext must not sit in a cache
    return response


@role_required(API_TOKEN_ROLES)
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(api_tokens_visible_to(request.user), pk=pk)
    if request.method == "POST":
        revoke_api_token(token=token)
        messages.success(request, f"The token ‘{token.name}’ no longer works.")
        return redirect("organisations:api-tokens")
    return render(request, "organisations/revoke_token.html", {"token": token})
