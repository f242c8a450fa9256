"""What a page does with a service's outcome (core.web.views.service_call): a refusal is a 403, a broken rule is shown
with every problem, success is said and redirected."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from aphub.core.errors import DomainError, DomainErrors, NotPermitted
from aphub.core.web.views import service_call


class PlanForm(forms.Form):
    name = forms.CharField()
    starts = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _form():
    form = PlanForm({"name": "Plan", "starts": "soon"})
    assert form.is_valid()
    return form


def test_a_refusal_is_a_403_even_with_a_form():
    with pytest.raises(PermissionDenied, match="Only the LA"), service_call(_request(), _form()):
        raise NotPermitted("Only the LA can do this")


def test_every_broken_rule_goes_beside_its_field_and_the_page_goes_on_to_show_the_form():
    form = _form()
    with service_call(_request(), form):
        raise DomainErrors([DomainError("Enter a name", field="name"), DomainError("Too late", field="starts")])
    assert form.errors == {"name": ["Enter a name"], "starts": ["Too late"]}


def test_without_a_form_a_broken_rule_is_an_error_banner():
    request = _request()
    with service_call(request):
        raise DomainError("This provision is archived")
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("error", "This provision is archived")]


def test_done_says_what_was_done_and_redirects():
    request = _request()
    with service_call(request, _form()) as call:
        response = call.done("The plan is saved.", "/plans/")
    assert response.status_code == 302 and response.url == "/plans/"
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [("success", "The plan is saved.")]
