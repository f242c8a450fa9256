from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.views.decorators.http import require_POST

from aphub.core.errors import DomainError
from aphub.core.web.views import form_page, found_or_404, service_call

from .access import role_required, signed_in_required
from .forms import AddColleagueForm, ApiTokenForm, ChangeRoleForm, SignInForm, SwitchMembershipForm
from .models import API_TOKEN_ROLES, LA_ADMINS, Membership, Role
from .queries import MEMBERSHIP_SESSION_KEY, api_tokens_visible_to, la_team, membership_of, own_memberships
from .services import (
    AddedColleague,
    add_colleague,
    change_colleague_role,
    issue_api_token,
    remove_colleague,
    revoke_api_token,
)


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


# --- The LA's team: who works for it in which role (decision 0027) --------------------------------------------------


@role_required(LA_ADMINS)
def team(request: HttpRequest) -> HttpResponse:
    """The LA's staff and their roles; its schools' and providers' staff are their own organisations' to manage."""
    membership = membership_of(request.user)
    return render(
        request,
        "organisations/team.html",
        {"members": la_team(request.user), "local_authority": membership.local_authority, "me": membership.pk},
    )


def _signing_in(added: AddedColleague) -> str:
    """How the colleague signs in, for the admin to tell them."""
    colleague = added.membership.user
    if added.new_account:
        return (
            f"{colleague.email} has no password yet: AP Hub has no invitation or password reset page, so ask whoever "
            f"runs AP Hub to set one (aphub changepassword {colleague.email}), then give it to {colleague.full_name} "
            "in person."
        )
    return (
        f"{colleague.full_name} already has an account: they sign in with {colleague.email} and their password, and "
        f"choose {added.membership.local_authority} from their home page if they work for several organisations."
    )


@role_required(LA_ADMINS)
def team_add(request: HttpRequest) -> HttpResponse:
    form = AddColleagueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            added = add_colleague(user=request.user, **form.cleaned_data)
            role = added.membership.get_role_display()
            return call.done(
                f"{added.membership.user.full_name} is now {role}. {_signing_in(added)}", "organisations:team"
            )
    return form_page(request, "organisations/team_add.html", form, status=400 if form.errors else 200)


def _colleague(request: HttpRequest, pk: int) -> Membership:
    return found_or_404(la_team(request.user).filter(pk=pk).first(), "colleague")


@role_required(LA_ADMINS)
def team_role(request: HttpRequest, pk: int) -> HttpResponse:
    colleague = _colleague(request, pk)
    form = ChangeRoleForm(request.POST if request.method == "POST" else None, initial={"role": colleague.role})
    if request.method == "POST" and form.is_valid():
        with service_call(request, form) as call:
            changed = change_colleague_role(user=request.user, membership=colleague, role=form.cleaned_data["role"])
            # An admin who steps down no longer has the team page: home shows what their new role does.
            stepped_down = changed.user_id == request.user.pk and changed.role != Role.LA_ADMIN
            return call.done(
                f"{changed.user.full_name} is now {changed.get_role_display()}, from their next page.",
                "organisations:home" if stepped_down else "organisations:team",
            )
    return form_page(
        request, "organisations/team_role.html", form, status=400 if form.errors else 200, colleague=colleague
    )


@role_required(LA_ADMINS)
def team_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "are you sure" and says what will change; the POST from that page removes the role."""
    colleague = _colleague(request, pk)
    person, organisation = colleague.user.full_name, colleague.local_authority
    yourself = colleague.user_id == request.user.pk
    if request.method == "POST":
        with service_call(request) as call:
            remove_colleague(user=request.user, membership=colleague)
            # Without the role, the team page is no longer theirs: home says what they may still do.
            return call.done(
                f"{person} no longer works for {organisation} in AP Hub.",
                "organisations:home" if yourself else "organisations:team",
            )
        return redirect("organisations:team")
    return render(
        request,
        "components/confirm.html",
        {
            "heading": "Are you sure you want to remove your own role?"
            if yourself
            else f"Are you sure you want to remove {person}?",
            "caption": f"{person}, {colleague.get_role_display()} at {organisation}",
            "changes": [
                f"{'You' if yourself else person} will no longer act for {organisation} in AP Hub, from the next page.",
                f"API tokens {'you' if yourself else 'they'} made for {organisation} will stop working.",
                f"{'Your' if yourself else 'Their'} account and any roles at other organisations stay.",
                "The access log keeps who removed the role and when.",
            ],
            "action": request.path,
            "button": "Yes, remove the role",
            "back": reverse("organisations:team"),
        },
    )
