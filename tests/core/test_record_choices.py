"""Ids chosen in a form (checkboxes of records) that are too large for the database, negative or not numbers are a
form error, never a server error: PostgreSQL refuses a number past bigint and SQLite cannot bind one."""

import pytest
from django.urls import reverse

from aphub.commissioning.models import CommercialArrangement
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, member
from tests.fuzz.hostile import HUGE, forms_of

pytestmark = [pytest.mark.django_db, pytest.mark.no_page_rules]


@pytest.mark.parametrize("chosen", [HUGE, "-99999999999999999999", "abc", "1.5"])
def test_an_impossible_partner_council_id_is_a_form_error(client, chosen):
    la = LocalAuthorityFactory()
    LocalAuthorityFactory(name="Partner Borough")
    client.force_login(member(Role.LA_ADMIN, la))
    page = client.get(reverse("commissioning:arrangement-new"))
    form = next(form for form in forms_of(page.content.decode()) if form.method == "post")
    data = {**form.defaults(), "title": "Tuition DPS", "partners": [chosen]}
    response = client.post(reverse("commissioning:arrangement-new"), data)
    assert response.status_code == 200
    assert "Choose partner councils from the list" in response.content.decode()
    assert not CommercialArrangement.objects.exists()
