from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import SignInForm
from .queries import membership_of


class SignInView(LoginView):
    template_name = "organisations/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("directory:search")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None:
        return render(request, "organisations/no_membership.html", status=403)
    return render(request, "organisations/home.html", {"membership": membership})


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be the thing that failed.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
