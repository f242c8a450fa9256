"""Provider staff start an application to an open arrangement and choose its lots; a closed or draft arrangement,
a lot of another arrangement and a second open application each get a clear message."""

import pytest
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Application, CommercialArrangement, CriterionResponse
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.organisations.models import Role
from tests.factories import member

from .makers import make_application, make_arrangement

pytestmark = pytest.mark.django_db


def test_starting_makes_a_draft_with_the_lots_and_a_response_per_criterion(staff, provider, arrangement):
    lot_1 = arrangement.lots.get(number=1)
    application = services.start_application(user=staff, arrangement=arrangement, lots=[lot_1])
    assert application.status == Application.Status.DRAFT
    assert application.provider == provider
    assert application.created_by == staff
    assert list(application.lots.all()) == [lot_1]
    assert set(application.responses.values_list("criterion", flat=True)) == {
        "registration",
        "safeguarding-lead",
        "insurance-public-liability",
    }


@pytest.mark.parametrize(
    ("status", "published", "message"),
    [
        (CommercialArrangement.Status.CLOSED, True, "is closed to new applications"),
        (CommercialArrangement.Status.DRAFT, False, "is not open for applications yet"),
        (CommercialArrangement.Status.OPEN, False, "is not open for applications yet"),
    ],
)
def test_only_an_open_published_arrangement_takes_applications(staff, la, status, published, message):
    arrangement = make_arrangement(la, status=status, published=published)
    with pytest.raises(DomainError, match=message):
        services.start_application(user=staff, arrangement=arrangement, lots=arrangement.lots.all())
    assert not Application.objects.exists()


def test_at_least_one_lot_and_only_lots_of_the_arrangement(staff, la, arrangement):
    with pytest.raises(DomainError, match="Choose at least one lot"):
        services.start_application(user=staff, arrangement=arrangement, lots=[])
    other = make_arrangement(la, title="Another arrangement")
    with pytest.raises(DomainError, match="Choose lots of"):
        services.start_application(user=staff, arrangement=arrangement, lots=other.lots.all())


def test_a_dynamic_market_speaks_of_parts(staff, la):
    market = make_arrangement(la, kind="dynamic-market", title="Elmbridge AP dynamic market")
    with pytest.raises(DomainError, match="Choose at least one part"):
        services.start_application(user=staff, arrangement=market, lots=[])


def test_a_second_open_application_is_refused_with_the_first_named(staff, provider, arrangement):
    first = services.start_application(user=staff, arrangement=arrangement, lots=arrangement.lots.all())
    with pytest.raises(services.AlreadyApplied) as caught:
        services.start_application(user=staff, arrangement=arrangement, lots=arrangement.lots.all())
    assert caught.value.application == first
    assert "You already have an application to Elmbridge AP dynamic purchasing system" in caught.value.message
    assert Application.objects.count() == 1


def test_after_withdrawing_the_provider_may_start_again(staff, provider, arrangement):
    first = services.start_application(user=staff, arrangement=arrangement, lots=arrangement.lots.all())
    services.withdraw_application(user=staff, application=first)
    second = services.start_application(user=staff, arrangement=arrangement, lots=arrangement.lots.all())
    assert second.pk != first.pk


def test_only_provider_staff_may_apply(la, arrangement):
    with pytest.raises(NotPermitted):
        services.start_application(
            user=member(Role.LA_OFFICER, la), arrangement=arrangement, lots=arrangement.lots.all()
        )


def test_choosing_lots_again_adds_the_new_criteria_and_keeps_earlier_answers(staff, arrangement):
    lot_1, lot_2 = arrangement.lots.order_by("number")
    application = services.start_application(user=staff, arrangement=arrangement, lots=[lot_1])
    CriterionResponse.objects.filter(application=application, criterion="registration").update(statement="A CIC")
    services.choose_lots(user=staff, application=application, lots=[lot_2])
    codes = set(application.responses.values_list("criterion", flat=True))
    assert {"safeguarding-policy", "national-standards-unregistered-ap"} <= codes
    assert application.responses.get(criterion="registration").statement == "A CIC"


def test_lots_cannot_change_once_submitted(staff, provider, arrangement):
    application = make_application(provider, arrangement, status=Application.Status.SUBMITTED)
    with pytest.raises(InvalidTransition, match="with the council"):
        services.choose_lots(user=staff, application=application, lots=arrangement.lots.all())


def test_another_providers_staff_cannot_change_the_lots(other_staff, provider, arrangement):
    application = make_application(provider, arrangement)
    with pytest.raises(NotPermitted):
        services.choose_lots(user=other_staff, application=application, lots=arrangement.lots.all())


# -- Pages -------------------------------------------------------------------------------------------------------


def test_the_start_page_lists_the_lots_and_starting_goes_to_the_task_list(staff_client, arrangement):
    page = staff_client.get(reverse("commissioning:start-application", kwargs={"pk": arrangement.pk}))
    assert page.status_code == 200
    assert "Lot 1: Face to face, full time" in page.content.decode()
    lot_1 = arrangement.lots.get(number=1)
    response = staff_client.post(
        reverse("commissioning:start-application", kwargs={"pk": arrangement.pk}), {"lots": [lot_1.pk]}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("commissioning:application", kwargs={"pk": application.pk})


def test_starting_without_a_lot_shows_the_error_summary(staff_client, arrangement):
    response = staff_client.post(reverse("commissioning:start-application", kwargs={"pk": arrangement.pk}), {})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Choose at least one lot to apply for" in body
    assert not Application.objects.exists()


def test_a_closed_arrangement_page_says_so_and_offers_no_form(staff_client, la):
    closed = make_arrangement(la, status=CommercialArrangement.Status.CLOSED)
    page = staff_client.get(reverse("commissioning:start-application", kwargs={"pk": closed.pk}))
    body = page.content.decode()
    assert "is closed to new applications" in body
    assert 'name="lots"' not in body
    response = staff_client.post(
        reverse("commissioning:start-application", kwargs={"pk": closed.pk}),
        {"lots": [closed.lots.first().pk]},
    )
    assert "is closed to new applications" in response.content.decode()
    assert not Application.objects.exists()


def test_a_draft_arrangement_is_not_found_for_providers(staff_client, la):
    draft = make_arrangement(la, status=CommercialArrangement.Status.DRAFT, published=False)
    assert staff_client.get(reverse("commissioning:start-application", kwargs={"pk": draft.pk})).status_code == 404
    assert staff_client.get(reverse("commissioning:readiness", kwargs={"pk": draft.pk})).status_code == 404


def test_starting_again_leads_to_the_application_in_progress(staff_client, staff, provider, arrangement):
    existing = make_application(provider, arrangement)
    response = staff_client.get(reverse("commissioning:start-application", kwargs={"pk": arrangement.pk}))
    assert response["Location"] == reverse("commissioning:application", kwargs={"pk": existing.pk})


def test_the_applications_page_lists_open_arrangements_and_own_applications(staff_client, provider, la, arrangement):
    closed = make_arrangement(la, title="Old framework", status=CommercialArrangement.Status.CLOSED)
    make_application(provider, arrangement)
    body = staff_client.get(reverse("commissioning:applications")).content.decode()
    assert "Elmbridge AP dynamic purchasing system" in body
    assert "Check what you need" in body and "Continue your application" in body
    assert closed.title not in body


def test_the_applications_page_reads_in_a_fixed_number_of_queries(
    staff_client, provider, la, django_assert_max_num_queries
):
    for index in range(8):
        arrangement = make_arrangement(la, title=f"Arrangement {index}")
        make_application(provider, arrangement)
    with django_assert_max_num_queries(10):
        assert staff_client.get(reverse("commissioning:applications")).status_code == 200
