"""Decision 0025: the API token's name has one limit, so the page and the service (and the API) say one sentence."""

import pytest

from aphub.core.errors import DomainError
from aphub.organisations.forms import ApiTokenForm
from aphub.organisations.models import Membership, Role
from aphub.organisations.services import issue_api_token
from tests.factories import LocalAuthorityFactory, member


@pytest.mark.django_db
def test_a_name_too_long_is_refused_in_the_same_words_by_the_page_and_the_service():
    admin = member(Role.LA_ADMIN, LocalAuthorityFactory())
    membership = Membership.objects.get(user=admin)
    too_long = "x" * 101

    said_by_page = ApiTokenForm(data={"name": too_long, "valid_days": "90"}).errors["name"]
    with pytest.raises(DomainError) as refused:
        issue_api_token(membership=membership, name=too_long)

    assert said_by_page == [refused.value.message] == ["The token's name must be 100 characters or fewer"]
    assert issue_api_token(membership=membership, name="x" * 100).token.name == "x" * 100
