"""Issue 12 (decision 0026): a school that records AP at a provider AP Hub does not know, by URN or UKPRN only, gets a
provider with a made-up name ("Establishment with URN 141234"). The LA's officers and admins list the providers their
schools recorded, made-up names first, and name them; placements and the city-wide view show the new name, the
importer still finds the provider by its number, and every change is in the access log. Time is frozen on Tuesday
10 November 2026."""

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError
from aphub.directory.models import Provision
from aphub.organisations.models import Provider, Role
from aphub.placements.models import Placement
from aphub.placements.school_arranged.imports import import_file
from aphub.placements.school_arranged.services import rename_recorded_provider
from tests.factories import LocalAuthorityFactory, SchoolFactory, member
from tests.placements.test_school_arranged_import import census_file, good_rows, upn

pytestmark = pytest.mark.django_db

LIST = reverse("placements:recorded-providers")


def rename_url(provision: Provision) -> str:
    return reverse("placements:rename-recorded-provider", kwargs={"pk": provision.pk})


@pytest.fixture
def recorded(town):
    """School A's census return: a PRU by URN, a provider by UKPRN and a tutor of a type of setting, none known."""
    import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))
    return {
        "urn": Provision.objects.get(provider__urn="141234"),
        "ukprn": Provision.objects.get(provider__ukprn="10012345"),
        "unnamed": Provision.objects.get(provider__unnamed=True),
    }


def test_the_list_shows_made_up_names_first_with_their_numbers_placements_and_schools(client, town, recorded):
    named = Provider.objects.create(legal_name="Aardvark Tutors", registration_status="unregistered")
    Provision.objects.create(
        provider=named, local_authority=town.la, status=Provision.Status.RECORDED, name="Aardvark Tutors",
        summary="s", age_min=4, age_max=25, recorded_by_school=town.school_b,
    )  # fmt: skip
    client.force_login(town.officer)

    response = client.get(LIST)

    body = response.content.decode()
    assert response.status_code == 200
    order = [body.index(name) for name in ("Establishment with URN 141234", "Provider with UKPRN 10012345")]
    assert order == sorted(order) and max(order) < body.index("Aardvark Tutors")  # alphabetically first, named last
    assert "URN 141234" in body and "UKPRN 10012345" in body
    assert body.count("Ashgrove Academy") >= 3 and "Birchwood High School" in body
    assert body.count(">Change name<") == 2  # by URN and by UKPRN; not the tutor nor the one the school named
    assert rename_url(recorded["urn"]) in body and rename_url(recorded["unnamed"]) not in body


def test_an_officer_names_a_provider_and_placements_and_the_city_wide_view_show_it(client, town, recorded):
    provision = recorded["urn"]
    placement = Placement.objects.get(provision=provision)
    client.force_login(town.officer)
    assert client.get(rename_url(provision)).status_code == 200

    response = client.post(
        rename_url(provision), {"name": "Riverside Pupil Referral Unit", "provision_name": "Riverside Centre"}
    )

    assert response.status_code == 302 and response.url == LIST
    provision.refresh_from_db()
    assert (provision.provider.legal_name, provision.name) == ("Riverside Pupil Referral Unit", "Riverside Centre")
    assert (
        "Riverside Centre" in client.get(reverse("placements:placement", kwargs={"pk": placement.pk})).content.decode()
    )
    city_wide = client.get(reverse("insight:city-wide"), {"by": "provider"}).content.decode()
    assert "Riverside Pupil Referral Unit" in city_wide and "Establishment with URN 141234" not in city_wide
    logged = AccessLogEntry.objects.filter(user_id=town.officer.pk, verb="change")
    assert {(row.object_type, row.object_id) for row in logged} == {
        ("organisations.Provider", str(provision.provider_id)),
        ("directory.Provision", str(provision.pk)),
    }


def test_the_provision_takes_the_providers_name_when_none_is_given_and_the_next_return_finds_it(client, town, recorded):
    provision = recorded["ukprn"]
    client.force_login(town.admin)

    client.post(rename_url(provision), {"name": "Northgate College", "provision_name": ""})
    import_file(user=town.school_a_staff, content=census_file(*good_rows(town)))

    provision.refresh_from_db()
    assert provision.name == "Northgate College"
    assert Provider.objects.filter(ukprn="10012345").count() == 1
    assert Placement.objects.filter(provision__provider__ukprn="10012345").get().provision == provision


def test_a_name_left_blank_or_too_long_is_refused_with_every_problem_and_nothing_changes(client, town, recorded):
    provision = recorded["urn"]
    client.force_login(town.officer)

    response = client.post(rename_url(provision), {"name": "", "provision_name": "x" * 201})

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the provider&#x27;s name" in body
    assert "The provision&#x27;s name must be 200 characters or fewer" in body
    provision.refresh_from_db()
    assert provision.provider.legal_name == "Establishment with URN 141234"
    assert not AccessLogEntry.objects.filter(verb="change", object_type="organisations.Provider").exists()


def test_the_service_asks_the_same_limit_as_the_form(town, recorded):
    with pytest.raises(DomainError) as refused:
        rename_recorded_provider(user=town.officer, provision=recorded["urn"], name="y" * 201)
    assert refused.value.message == "The provider's name must be 200 characters or fewer"


def test_a_provider_another_las_schools_recorded_keeps_its_name_but_its_provision_may_be_renamed(
    client, town, recorded
):
    other_la = LocalAuthorityFactory()
    other_school = SchoolFactory(local_authority=other_la)
    import_file(
        user=member(Role.SCHOOL_STAFF, other_school),
        content=census_file(f"{upn(town, 9)},Lee,Ash,2012-01-01,,10012345,,BEH,2026-09-07,,3,PT,7.5,350.00"),
    )
    provision = recorded["ukprn"]
    client.force_login(town.officer)

    refused = client.post(rename_url(provision), {"name": "Northgate College", "provision_name": ""})
    assert refused.status_code == 400 and "not yours alone to change" in refused.content.decode()
    client.post(rename_url(provision), {"name": "Provider with UKPRN 10012345", "provision_name": "Northgate"})

    provision.refresh_from_db()
    assert (provision.provider.legal_name, provision.name) == ("Provider with UKPRN 10012345", "Northgate")
    assert Provision.objects.get(local_authority=other_la).name == "Provider with UKPRN 10012345"


def test_a_provider_the_school_named_or_did_not_name_is_not_the_las_to_rename(client, town, recorded):
    client.force_login(town.officer)

    assert client.get(rename_url(recorded["unnamed"])).status_code == 403
    assert client.post(rename_url(recorded["unnamed"]), {"name": "Someone"}).status_code == 403
    assert not Provider.objects.filter(legal_name="Someone").exists()


def test_another_la_neither_sees_nor_renames_them_and_other_roles_are_refused(client, town, recorded):
    other_officer = member(Role.LA_OFFICER, LocalAuthorityFactory())
    client.force_login(other_officer)
    assert "141234" not in client.get(LIST).content.decode()
    assert client.post(rename_url(recorded["urn"]), {"name": "Taken over"}).status_code == 404
    for user in (town.auditor, town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.post(rename_url(recorded["urn"]), {"name": "Taken over"}).status_code == 403
    assert not Provider.objects.filter(legal_name="Taken over").exists()


def test_the_access_log_names_the_renamed_provider_and_provision(client, town, recorded):
    client.force_login(town.officer)
    client.post(rename_url(recorded["urn"]), {"name": "Riverside Pupil Referral Unit", "provision_name": "Riverside"})
    client.force_login(town.admin)

    body = client.get(reverse("audit:access-log")).content.decode()

    assert "Provider: Riverside Pupil Referral Unit" in body and "Provision: Riverside" in body
