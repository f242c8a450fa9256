"""The provider's register page: today's by default, a past date from the query string, 404 for another's provision."""

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.placements.models import AttendanceMark
from tests.factories import ProvisionFactory

from .conftest import MONDAY, SATURDAY

URL = reverse("placements:attendance-register")


def test_todays_register_lists_the_active_placements_with_a_mark_and_a_note_each(client, area):
    client.force_login(area.p1_staff)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Today&#x27;s register</h1>' in page
    assert "Robin" in page and "Sam" in page and "Yusuf" not in page
    assert f'name="mark_{area.robin.pk}"' in page and f'name="note_{area.robin.pk}"' in page
    assert f'<label class="govuk-label govuk-visually-hidden" for="id_mark_{area.robin.pk}">' in page
    # Viewing the register is a view of each child's placement.
    logged = AccessLogEntry.objects.filter(verb="view", object_type="placements.Placement")
    assert set(logged.values_list("object_id", flat=True)) == {str(area.robin.pk), str(area.sam.pk)}


def test_saving_the_register_shows_a_confirmation_and_keeps_the_marks(client, area):
    client.force_login(area.p1_staff)
    query = f"?provision={area.horizons.pk}&date=2026-11-10&session=AM"
    response = client.post(
        URL + query,
        {f"mark_{area.robin.pk}": "/", f"mark_{area.sam.pk}": "N", f"note_{area.sam.pk}": "No call yet"},
        follow=True,
    )
    page = response.content.decode()
    assert "Register saved for the morning of Tuesday 10 November 2026: 2 new marks, 0 changed." in page
    assert dict(AttendanceMark.objects.values_list("placement_id", "code")) == {area.robin.pk: "/", area.sam.pk: "N"}
    assert '<option value="N" selected>' in page


def test_everyone_not_marked_can_be_marked_present_at_once(client, area):
    client.force_login(area.p1_staff)
    query = f"?provision={area.horizons.pk}&date=2026-11-10&session=PM"
    client.post(URL + query, {f"mark_{area.sam.pk}": "I", "all_present": "1"})
    assert dict(AttendanceMark.objects.values_list("placement_id", "code")) == {area.robin.pk: "\\", area.sam.pk: "I"}


def test_a_past_register_is_reached_with_a_date_in_the_query_string(client, area):
    AttendanceMark.objects.create(placement=area.robin, date=MONDAY, session="PM", code="L")
    client.force_login(area.p1_staff)
    page = client.get(URL + f"?provision={area.horizons.pk}&date=2026-11-09&session=PM").content.decode()
    assert "Register for Monday 9 November 2026" in page
    assert '<option value="L" selected>' in page


def test_a_weekend_date_shows_an_error_and_no_register(client, area):
    client.force_login(area.p1_staff)
    response = client.get(URL + f"?provision={area.horizons.pk}&date={SATURDAY.isoformat()}&session=AM")
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and "Saturday 7 November 2026 is a weekend day" in page
    assert f'name="mark_{area.robin.pk}"' not in page


def test_a_bad_mark_is_shown_against_its_row_and_nothing_is_saved(client, area):
    client.force_login(area.p1_staff)
    query = f"?provision={area.horizons.pk}&date=2026-11-10&session=AM"
    response = client.post(URL + query, {f"mark_{area.robin.pk}": "/", f"mark_{area.sam.pk}": "ZZ"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'href="#id_mark_{area.sam.pk}"' in page and "Choose a mark for Sam Okafor from the list" in page
    assert not AttendanceMark.objects.exists()


def test_an_empty_register_asks_for_a_mark(client, area):
    client.force_login(area.p1_staff)
    response = client.post(URL + f"?provision={area.horizons.pk}&date=2026-11-10&session=AM", {})
    assert response.status_code == 400
    assert "Choose a mark for at least one pupil" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_providers_provision_is_a_404(client, area, method):
    client.force_login(area.p1_staff)
    response = getattr(client, method)(URL + f"?provision={area.yarrow.pk}&date=2026-11-10&session=AM")
    assert response.status_code == 404
    assert "Yusuf" not in response.content.decode()
    assert not AttendanceMark.objects.exists()


def test_a_pupil_of_another_provider_posted_into_the_register_is_ignored(client, area):
    client.force_login(area.p1_staff)
    query = f"?provision={area.horizons.pk}&date=2026-11-10&session=AM"
    client.post(URL + query, {f"mark_{area.robin.pk}": "/", f"mark_{area.yusuf.pk}": "N"})
    assert list(AttendanceMark.objects.values_list("placement_id", flat=True)) == [area.robin.pk]


def test_a_provider_with_several_provisions_chooses_one_first(client, area):
    ProvisionFactory(provider=area.provider_p1, local_authority=area.la, name="Meadow Annexe")
    client.force_login(area.p1_staff)
    page = client.get(URL).content.decode()
    assert 'name="provision"' in page and "Meadow Annexe" in page
    assert f'name="mark_{area.robin.pk}"' not in page


def test_the_la_cannot_open_the_register(client, area):
    client.force_login(area.officer)
    assert client.get(URL).status_code == 403


def test_a_school_with_no_ap_recorded_at_a_provider_without_users_is_told_kindly_why_it_has_no_registers(client, area):
    """Sam's school commissions Sam's placement at Horizons, but provider P1 takes its own registers there."""
    for user in (area.home_school_staff, area.commissioning_school_staff):
        client.force_login(user)
        page = client.get(URL).content.decode()
        assert "Your school has no registers to take at the moment." in page
        assert "Providers that use AP Hub take their own registers" in page
        assert "Sam" not in page and "Robin" not in page
        asked = client.get(URL + f"?provision={area.horizons.pk}&date=2026-11-10&session=AM")
        assert asked.status_code == 200 and "Sam" not in asked.content.decode()
