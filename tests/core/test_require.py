"""core.permissions.require: the one way a service or a page refuses (decision 0021). Its NotPermitted is a 403
wherever it is raised: inside service_call, in the API, and in a view that refuses before it calls a service."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from aphub.core.errors import DomainError, NotPermitted
from aphub.core.permissions import require
from aphub.organisations.models import Membership, Role
from aphub.organisations.services import issue_api_token
from tests.factories import LocalAuthorityFactory, member


def test_require_goes_on_when_allowed_and_refuses_with_the_sentence_otherwise():
    require(True, "never read")
    with pytest.raises(NotPermitted, match="Only the LA can do this") as refused:
        require(False, "Only the LA can do this")
    # A refusal is a domain error (services raise nothing else) and Django's PermissionDenied (a 403 page).
    assert isinstance(refused.value, DomainError) and isinstance(refused.value, PermissionDenied)
    assert refused.value.message == "Only the LA can do this"


@pytest.mark.django_db
def test_a_page_that_refuses_before_calling_a_service_is_the_403_page(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.organisations.errors_urlconf"
    response = Client(raise_request_exception=False).get("/refused/")
    assert response.status_code == 403
    assert "You cannot see this page" in response.content.decode()


@pytest.mark.django_db
def test_an_officer_asking_for_an_api_token_is_refused_not_shown_a_form_error():
    """It was a plain DomainError, which a page shows beside the token's name as if the name were wrong."""
    officer = member(Role.LA_OFFICER, LocalAuthorityFactory())
    membership: Membership = officer.memberships.get()
    with pytest.raises(NotPermitted, match="Only LA admins, school staff and provider staff can make API tokens"):
        issue_api_token(membership=membership, name="Registers")
