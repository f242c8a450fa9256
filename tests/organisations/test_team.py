"""Decision 0027: an LA admin gives colleagues their roles on the LA's team page, changes and removes them (after an
"are you sure"); the LA always keeps an admin; every change is in the access log; only the LA's own admins may do
any of it, and another LA's team is never listed nor changed."""

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError
from aphub.organisations.models import Membership, Role, User
from aphub.organisations.services import add_colleague, change_colleague_role, remove_colleague
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

TEAM, ADD = reverse("organisations:team"), reverse("organisations:team-add")


def role_url(membership: Membership) -> str:
    return reverse("organisations:team-role", kwargs={"pk": membership.pk})


def remove_url(membership: Membership) -> str:
    return reverse("organisations:team-remove", kwargs={"pk": membership.pk})


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmford Borough Council")


@pytest.fixture
def admin(la):
    return member(Role.LA_ADMIN, la)


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


def logged(actor: User) -> set[tuple[str, str, str]]:
    return set(AccessLogEntry.objects.filter(user_id=actor.pk).values_list("verb", "object_type", "object_id"))


def test_the_team_lists_the_las_staff_only(client, la, admin, officer):
    finance = member(Role.FINANCE_OFFICER, la)
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    provider_staff = member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=la))
    elsewhere = member(Role.LA_OFFICER, LocalAuthorityFactory())
    client.force_login(admin)

    body = client.get(TEAM).content.decode()

    for user in (admin, officer, finance):
        assert user.email in body and user.full_name in body
    assert "Finance officer" in body and "(you)" in body
    for user in (school_staff, provider_staff, elsewhere):
        assert user.email not in body


def test_a_new_colleague_gets_an_account_without_a_password_and_the_admin_is_told_how_they_sign_in(client, admin):
    client.force_login(admin)

    response = client.post(
        ADD, {"email": " Sam.Finch@Elmford.gov.uk ", "full_name": "Sam Finch", "role": "finance-officer"}, follow=True
    )

    colleague = User.objects.get(email="sam.finch@elmford.gov.uk")
    membership = colleague.memberships.get()
    assert (membership.role, membership.local_authority_id) == (
        Role.FINANCE_OFFICER,
        admin.memberships.get().local_authority_id,
    )
    assert colleague.full_name == "Sam Finch" and not colleague.has_usable_password()
    body = response.content.decode()
    assert "Sam Finch is now Finance officer" in body and "aphub changepassword sam.finch@elmford.gov.uk" in body
    assert logged(admin) == {
        ("create", "organisations.User", str(colleague.pk)),
        ("create", "organisations.Membership", str(membership.pk)),
    }


def test_someone_with_an_account_keeps_it_and_gains_the_la(client, la, admin):
    governor = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    client.force_login(admin)

    response = client.post(
        ADD, {"email": governor.email, "full_name": "Another Name", "role": "la-officer"}, follow=True
    )

    governor.refresh_from_db()
    assert sorted(governor.memberships.values_list("role", flat=True)) == ["la-officer", "school-staff"]
    assert governor.has_usable_password() and governor.full_name != "Another Name"
    assert "already has an account" in response.content.decode()
    again = client.post(ADD, {"email": governor.email.upper(), "full_name": "x", "role": "auditor"})
    assert again.status_code == 400 and "already has a role at Elmford Borough Council" in again.content.decode()
    assert governor.memberships.count() == 2


def test_every_problem_is_shown_at_once_and_nothing_is_made(client, admin):
    client.force_login(admin)

    response = client.post(ADD, {"email": "not-an-address", "full_name": "x" * 201, "role": "school-staff"})

    body = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in body
    assert "Enter an email address in the correct format, like name@example.org" in body
    assert "Their full name must be 200 characters or fewer" in body
    assert "Choose their role" in body
    assert User.objects.count() == 1


def test_the_service_asks_the_same_limits_as_the_form(admin):
    with pytest.raises(DomainError) as refused:
        add_colleague(user=admin, email="a@b", full_name="Ann", role="la-officer")
    assert refused.value.message == "Enter an email address in the correct format, like name@example.org"
    with pytest.raises(DomainError):
        add_colleague(user=admin, email="ann@example.org", full_name="Ann", role="provider-staff")
    assert not User.objects.filter(email="ann@example.org").exists()


def test_an_admin_changes_a_role_and_it_is_logged(client, admin, officer):
    membership = officer.memberships.get()
    client.force_login(admin)
    assert client.get(role_url(membership)).status_code == 200

    response = client.post(role_url(membership), {"role": "auditor"})

    assert response.status_code == 302 and response.url == TEAM
    membership.refresh_from_db()
    assert membership.role == Role.AUDITOR
    assert logged(admin) == {("change", "organisations.Membership", str(membership.pk))}


def test_removing_asks_first_then_removes_the_role_and_its_tokens_and_logs_it(client, admin, officer):
    from aphub.organisations.models import ApiToken

    membership = officer.memberships.get()
    ApiToken.objects.create(membership=membership, name="Old feed", digest="d" * 64)
    client.force_login(admin)

    asked = client.get(remove_url(membership))
    assert asked.status_code == 200 and Membership.objects.filter(pk=membership.pk).exists()
    assert f"Are you sure you want to remove {officer.full_name}?" in asked.content.decode()
    response = client.post(remove_url(membership))

    assert response.status_code == 302 and response.url == TEAM
    assert not Membership.objects.filter(pk=membership.pk).exists() and not ApiToken.objects.exists()
    assert User.objects.filter(pk=officer.pk).exists()
    assert logged(admin) == {
        ("erase", "organisations.Membership", str(membership.pk)),
        ("change", "organisations.User", str(officer.pk)),
    }
    client.force_login(officer)
    assert client.get(reverse("placements:pupils")).status_code == 403  # no longer acts for the LA


def test_the_last_admin_cannot_step_down_or_leave(client, admin, officer):
    mine = admin.memberships.get()
    client.force_login(admin)

    demoted = client.post(role_url(mine), {"role": "la-officer"})
    removed = client.post(remove_url(mine), follow=True)

    assert demoted.status_code == 400
    assert "You are the last LA admin of Elmford Borough Council" in demoted.content.decode()
    assert "You are the last LA admin of Elmford Borough Council" in removed.content.decode()
    mine.refresh_from_db()
    assert mine.role == Role.LA_ADMIN and not logged(admin)


def test_with_a_second_admin_an_admin_may_step_down(la, admin):
    member(Role.LA_ADMIN, la)
    mine = admin.memberships.get()

    change_colleague_role(user=admin, membership=mine, role=Role.LA_OFFICER)

    mine.refresh_from_db()
    assert mine.role == Role.LA_OFFICER


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR, Role.FINANCE_OFFICER])
def test_only_admins_reach_the_team_pages(client, la, admin, role):
    target = admin.memberships.get()
    client.force_login(member(role, la))
    for path in (TEAM, ADD, role_url(target), remove_url(target)):
        assert client.get(path).status_code == 403
        assert client.post(path, {"role": "auditor", "email": "x@example.org", "full_name": "X"}).status_code == 403
    target.refresh_from_db()
    assert target.role == Role.LA_ADMIN and not User.objects.filter(email="x@example.org").exists()


def test_another_las_admin_never_lists_nor_changes_the_team(client, la, admin, officer):
    other_admin = member(Role.LA_ADMIN, LocalAuthorityFactory())
    membership = officer.memberships.get()
    client.force_login(other_admin)

    assert officer.email not in client.get(TEAM).content.decode()
    assert client.post(role_url(membership), {"role": "la-admin"}).status_code == 404
    assert client.post(remove_url(membership)).status_code == 404
    with pytest.raises(DomainError):  # NotPermitted, whatever the page does
        remove_colleague(user=other_admin, membership=membership)
    membership.refresh_from_db()
    assert membership.role == Role.LA_OFFICER


def test_the_access_log_says_in_words_whose_role_was_given_and_removed(client, admin, officer):
    client.force_login(admin)
    client.post(ADD, {"email": "sam.finch@example.org", "full_name": "Sam Finch", "role": "auditor"})
    client.post(remove_url(officer.memberships.get()))

    body = client.get(reverse("audit:access-log")).content.decode()

    assert "Role of Sam Finch: Auditor at Elmford Borough Council" in body
    assert "Account of Sam Finch (sam.finch@example.org)" in body
    assert f"Account of {officer.full_name} ({officer.email})" in body  # the removed role's person, still named


def test_an_admin_who_steps_down_goes_home_since_the_team_page_is_no_longer_theirs(client, la, admin):
    member(Role.LA_ADMIN, la)
    client.force_login(admin)

    response = client.post(role_url(admin.memberships.get()), {"role": "la-officer"})

    assert response.status_code == 302 and response.url == reverse("organisations:home")
    assert client.get(TEAM).status_code == 403
