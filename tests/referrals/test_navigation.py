"""The header links: Referrals for LA roles and school staff, Panel for LA officers and admins."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "referrals", "panel"),
    [
        ("officer", True, True),
        ("la_admin", True, True),
        ("auditor", True, False),
        ("school_staff", True, False),
        ("provider_staff", False, False),
    ],
)
def test_the_header_links_follow_the_role(request, client, who, referrals, panel):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("organisations:home")).content.decode()
    assert (f'href="{reverse("placements:referrals")}"' in page) is referrals
    assert (f'href="{reverse("placements:panel")}"' in page) is panel
