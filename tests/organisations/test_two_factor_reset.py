"""An LA admin resets a colleague's second factor after a GOV.UK "are you sure" page, for people of their own LA and
its schools and providers only, and both logs keep it; whoever runs AP Hub has `aphub reset_two_factor EMAIL`."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from aphub.audit.models import AccessLogEntry, SecurityEvent
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, ProviderFactory, SchoolFactory, member
from tests.two_factor import give_authenticator, sign_in_unverified

pytestmark = pytest.mark.django_db

SET_UP = reverse("organisations:two-factor-set-up")


def reset_url(user) -> str:
    return reverse("organisations:team-two-factor-reset", kwargs={"pk": user.pk})


@pytest.fixture
def la():
    return LocalAuthorityFactory()


def test_an_la_admin_resets_a_school_colleague_after_confirming_and_both_logs_keep_it(client, la):
    admin = member(Role.LA_ADMIN, la)
    teacher = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    give_authenticator(teacher)
    client.force_login(admin)
    listing = client.get(reverse("organisations:team-two-factor")).content.decode()
    assert teacher.email in listing and reset_url(teacher) in listing

    question = client.get(reset_url(teacher))
    assert question.status_code == 200
    body = question.content.decode()
    assert "Are you sure you want to reset" in body and "govuk-button--warning" in body
    assert TOTPDevice.objects.filter(user=teacher).exists(), "the question page changes nothing"

    response = client.post(reset_url(teacher))
    assert response["Location"] == reverse("organisations:team-two-factor")
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert SecurityEvent.objects.filter(kind="2fa-reset", user_id=teacher.pk).count() == 1
    entry = AccessLogEntry.objects.get(object_type="organisations.User", object_id=str(teacher.pk))
    assert (entry.user_id, entry.verb, entry.local_authority_id) == (admin.pk, "change", la.pk)

    # The colleague's next sign-in sets up a new authenticator app.
    client.post(reverse("organisations:sign-out"))
    teacher.refresh_from_db()  # as a sign-in reads the account
    sign_in_unverified(client, teacher)
    assert client.get(reverse("organisations:home"))["Location"].startswith(SET_UP)


def test_a_reset_signs_the_colleague_out_of_every_session_they_had_verified(la):
    # A lost or stolen phone: whoever holds the colleague's signed-in browser must sign in and set up again.
    from django.test import Client

    admin = member(Role.LA_ADMIN, la)
    teacher = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    give_authenticator(teacher)
    teachers_browser, admins_browser, other_teacher_browser = Client(), Client(), Client()
    teachers_browser.force_login(teacher)  # signed in and verified (tests/conftest.py)
    admins_browser.force_login(admin)
    colleague = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    other_teacher_browser.force_login(colleague)
    home = reverse("organisations:home")
    assert teachers_browser.get(home).status_code == 200

    admins_browser.post(reset_url(teacher))

    assert teachers_browser.get(home)["Location"].startswith(reverse("organisations:sign-in"))
    assert admins_browser.get(home).status_code == 200, "the admin's own session carries on"
    assert other_teacher_browser.get(home).status_code == 200, "nobody else is signed out"


def test_the_command_reset_signs_the_account_out_too(la):
    from django.test import Client

    teacher = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    give_authenticator(teacher)
    browser = Client()
    browser.force_login(teacher)
    call_command("reset_two_factor", teacher.email)
    assert browser.get(reverse("organisations:home"))["Location"].startswith(reverse("organisations:sign-in"))


def test_another_las_people_are_a_404_and_keep_their_second_factor(client, la):
    admin = member(Role.LA_ADMIN, la)
    other_la = LocalAuthorityFactory()
    strangers = [
        member(Role.LA_OFFICER, other_la),
        member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=other_la)),
        member(Role.PROVIDER_STAFF, ProviderFactory(local_authority=other_la)),
    ]
    client.force_login(admin)
    for stranger in strangers:
        give_authenticator(stranger)
        assert client.get(reset_url(stranger)).status_code == 404
        assert client.post(reset_url(stranger)).status_code == 404
        assert TOTPDevice.objects.filter(user=stranger).exists()
    assert not SecurityEvent.objects.filter(kind="2fa-reset").exists()


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF])
def test_only_an_la_admin_may_reset(client, la, role):
    colleague = member(Role.LA_OFFICER, la)
    give_authenticator(colleague)
    organisation = SchoolFactory(local_authority=la) if role == Role.SCHOOL_STAFF else la
    client.force_login(member(role, organisation))
    assert client.post(reset_url(colleague)).status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_the_command_resets_an_account_by_email(la, capsys):
    officer = member(Role.LA_OFFICER, la)
    give_authenticator(officer)
    call_command("reset_two_factor", officer.email.upper())
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert SecurityEvent.objects.filter(kind="2fa-reset", user_id=officer.pk).exists()
    with pytest.raises(CommandError, match="No account"):
        call_command("reset_two_factor", "nobody@example.org")
