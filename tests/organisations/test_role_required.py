import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory

from aphub.organisations.access import RoleRequiredMixin, role_required
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@role_required(Role.LA_OFFICER, Role.LA_ADMIN)
def officers_only(request):
    return HttpResponse("the officers' page")


def request_for(user):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/officers/?tab=2")
    request.user = user or AnonymousUser()
    return request


def test_the_public_is_sent_to_sign_in_and_back():
    response = officers_only(request_for(None))
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/officers/%3Ftab%3D2"


def test_a_wrong_role_is_refused():
    with pytest.raises(PermissionDenied):
        officers_only(request_for(member(Role.SCHOOL_STAFF, LocalAuthorityFactory().schools.create(urn="123456"))))


def test_a_signed_in_user_without_a_membership_is_refused():
    with pytest.raises(PermissionDenied):
        officers_only(request_for(UserFactory()))


def test_the_right_role_reaches_the_view():
    assert officers_only(request_for(member(Role.LA_OFFICER, LocalAuthorityFactory()))).status_code == 200


def test_the_roles_are_kept_on_the_view_for_the_generated_tests():
    assert officers_only.aphub_roles == frozenset({Role.LA_OFFICER, Role.LA_ADMIN})


def test_an_unknown_role_is_a_programming_error():
    with pytest.raises(ValueError):
        role_required("head-teacher")


def test_the_mixin_refuses_a_wrong_role():
    from django.views import View

    class Page(RoleRequiredMixin, View):
        roles = (Role.AUDITOR,)

        def get(self, request):
            return HttpResponse("ok")

    with pytest.raises(PermissionDenied):
        Page.as_view()(request_for(member(Role.LA_OFFICER, LocalAuthorityFactory())))
    assert Page.as_view()(request_for(member(Role.AUDITOR, LocalAuthorityFactory()))).status_code == 200


def test_a_wrong_role_sees_the_govuk_403_page(client):
    client.force_login(member(Role.PROVIDER_STAFF, __import__("tests.factories").factories.ProviderFactory()))
    response = client.get("/audit/access-log/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()
