"""The AP panel: meetings, the agenda (submitted and deferred referrals, oldest first) and decisions with reasons."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError, NotPermitted
from aphub.directory.models import Provision
from aphub.placements.models import PanelDecision, Referral
from aphub.placements.referrals import queries, services
from tests.factories import LocalAuthorityFactory, ProvisionFactory

from .conftest import make_submitted

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def meeting(officer):
    return services.create_panel_meeting(
        user=officer, date=MEETING_DAY, members="Ali Khan, AP lead (chair)\n  \nSam Patel, head teacher\n"
    )


@pytest.fixture
def provision(la, provider):
    return ProvisionFactory(provider=provider, local_authority=la, name="Horizons Centre", term_codes=["tier-2"])


def test_an_la_officer_arranges_a_meeting_with_members_one_per_line(meeting, la, officer):
    assert meeting.local_authority == la
    assert meeting.created_by == officer
    assert meeting.members == "Ali Khan, AP lead (chair)\nSam Patel, head teacher"


@pytest.mark.parametrize("who", ["auditor", "school_staff", "provider_staff"])
def test_only_la_officers_and_admins_arrange_meetings(request, who):
    with pytest.raises(NotPermitted):
        services.create_panel_meeting(user=request.getfixturevalue(who), date=MEETING_DAY, members="Chair")


def test_a_meeting_needs_members(officer):
    with pytest.raises(DomainError, match="Enter who sits on the panel"):
        services.create_panel_meeting(user=officer, date=MEETING_DAY, members=" \n ")


def test_the_agenda_lists_submitted_referrals_oldest_first_and_not_drafts(officer, school_staff, school, meeting):
    with time_machine.travel(datetime.datetime(2026, 11, 12, 9, tzinfo=datetime.UTC), tick=False):
        newer = make_submitted(school_staff, school, first_name="Newer")
    with time_machine.travel(datetime.datetime(2026, 11, 10, 9, tzinfo=datetime.UTC), tick=False):
        older = make_submitted(school_staff, school, first_name="Older")
    services.withdraw_referral(user=school_staff, referral=make_submitted(school_staff, school, first_name="Gone"))
    assert queries.agenda(officer, meeting) == [older, newer]


def test_a_deferred_referral_is_on_the_next_agenda_again(officer, submitted, meeting):
    services.record_decision(
        user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="We need the EP report first."
    )
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.DEFERRED
    assert queries.agenda(officer, meeting) == []  # decided at this meeting

    next_meeting = services.create_panel_meeting(user=officer, date=datetime.date(2026, 12, 4), members="Chair")
    assert queries.agenda(officer, next_meeting) == [submitted]


def test_the_agenda_page_lists_a_deferred_referral_again(client, officer, submitted, meeting):
    services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="Later.")
    next_meeting = services.create_panel_meeting(user=officer, date=datetime.date(2026, 12, 4), members="Chair")
    client.force_login(officer)
    page = client.get(reverse("placements:panel-meeting", kwargs={"pk": next_meeting.pk})).content.decode()
    assert "Robin Hartley" in page
    assert "Deferred by panel" in page


def test_approving_records_tier_provision_weeks_reasons_who_and_when(officer, submitted, meeting, provision):
    decision = services.record_decision(
        user=officer,
        meeting=meeting,
        referral=submitted,
        outcome="approve",
        reasons="A small setting close to home meets the SEMH needs.",
        tier="2",
        provision=provision,
        weeks=20,
    )
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.APPROVED
    assert (decision.tier, decision.provision, decision.weeks) == ("2", provision, 20)
    assert decision.decided_by == officer
    assert decision.decided_at == datetime.datetime(2026, 11, 16, 12, tzinfo=datetime.UTC)
    assert not submitted.placements.exists()  # approving does not place the child
    assert AccessLogEntry.objects.filter(object_type="placements.PanelDecision", verb="create").count() == 1


def test_declining_records_the_reasons(officer, submitted, meeting):
    services.record_decision(
        user=officer, meeting=meeting, referral=submitted, outcome="decline", reasons="Support in school first."
    )
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.DECLINED


@pytest.mark.parametrize("reasons", ["", "   \n "])
def test_a_decision_without_reasons_is_refused(officer, submitted, meeting, reasons):
    with pytest.raises(DomainError, match="Enter the reasons for the panel's decision"):
        services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="decline", reasons=reasons)
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.SUBMITTED
    assert not PanelDecision.objects.exists()


def test_the_agenda_page_refuses_a_decision_without_reasons(client, officer, submitted, meeting):
    client.force_login(officer)
    prefix = f"referral-{submitted.pk}"
    response = client.post(
        reverse("placements:panel-decide", kwargs={"pk": meeting.pk}),
        {"referral": submitted.pk, f"{prefix}-outcome": "decline", f"{prefix}-reasons": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Panel of 20 November 2026" in page
    assert f'href="#id_{prefix}-reasons">Enter the reasons for the panel&#x27;s decision' in page
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("tier", "Select the tier the panel approved"),
        ("provision", "Choose the provision the panel approved"),
        ("weeks", "Enter how many weeks the panel approved"),
    ],
)
def test_an_approval_needs_tier_provision_and_weeks(officer, submitted, meeting, provision, missing, message):
    values = {"tier": "2", "provision": provision, "weeks": 20}
    values[missing] = "" if missing == "tier" else None
    with pytest.raises(DomainError, match=message):
        services.record_decision(
            user=officer, meeting=meeting, referral=submitted, outcome="approve", reasons="Fits.", **values
        )
    assert not PanelDecision.objects.exists()


@pytest.mark.parametrize("status", [Provision.Status.DRAFT, Provision.Status.ARCHIVED])
def test_an_approval_names_a_published_provision(officer, submitted, meeting, provision, status):
    provision.status = status
    provision.save()
    with pytest.raises(DomainError, match="published provision in your local authority"):
        services.record_decision(
            user=officer,
            meeting=meeting,
            referral=submitted,
            outcome="approve",
            reasons="Fits.",
            tier="2",
            provision=provision,
            weeks=20,
        )


def test_an_approval_cannot_name_another_las_provision(officer, submitted, meeting):
    elsewhere = ProvisionFactory(provider__local_authority=LocalAuthorityFactory())
    with pytest.raises(DomainError, match="published provision in your local authority"):
        services.record_decision(
            user=officer,
            meeting=meeting,
            referral=submitted,
            outcome="approve",
            reasons="Fits.",
            tier="2",
            provision=elsewhere,
            weeks=20,
        )


def test_a_panel_decides_a_referral_once(officer, submitted, meeting):
    services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="Later.")
    with pytest.raises(DomainError, match="already decided"):
        services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="Again.")


def test_another_las_officer_cannot_decide(submitted, meeting):
    from aphub.organisations.models import Role
    from tests.factories import member

    stranger = member(Role.LA_OFFICER, LocalAuthorityFactory())
    with pytest.raises(NotPermitted):
        services.record_decision(user=stranger, meeting=meeting, referral=submitted, outcome="defer", reasons="x")


def test_the_school_sees_the_decision_and_reasons_on_its_referral_page(
    client, officer, school_staff, submitted, meeting, provision
):
    services.record_decision(
        user=officer,
        meeting=meeting,
        referral=submitted,
        outcome="approve",
        reasons="Close to home; SEMH expertise.",
        tier="2",
        provision=provision,
        weeks=20,
    )
    client.force_login(school_staff)
    page = client.get(reverse("placements:referral", kwargs={"pk": submitted.pk})).content.decode()
    assert "Approved by the panel of 20 November 2026" in page
    assert "Close to home; SEMH expertise." in page
    assert "Horizons Centre" in page
    assert "20 weeks" in page
    assert "Offer a placement" not in page  # the LA offers, not the school


def test_the_officer_gets_an_offer_link_once_approved(client, officer, submitted, meeting, provision):
    services.record_decision(
        user=officer,
        meeting=meeting,
        referral=submitted,
        outcome="approve",
        reasons="Fits.",
        tier="2",
        provision=provision,
        weeks=20,
    )
    client.force_login(officer)
    page = client.get(reverse("placements:referral", kwargs={"pk": submitted.pk})).content.decode()
    try:
        offer = reverse("placements:offer", kwargs={"pk": submitted.pupil_id})
    except Exception:
        assert "Offer a placement" not in page
    else:
        assert f'href="{offer}?referral={submitted.pk}&amp;provision={provision.pk}"' in page


def test_an_officer_records_a_decision_through_the_agenda_page(client, officer, submitted, meeting, provision):
    client.force_login(officer)
    agenda = client.get(reverse("placements:panel-meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Robin Hartley" in agenda
    assert "Suggested provisions" in agenda and "Horizons Centre" in agenda
    prefix = f"referral-{submitted.pk}"
    response = client.post(
        reverse("placements:panel-decide", kwargs={"pk": meeting.pk}),
        {
            "referral": submitted.pk,
            f"{prefix}-outcome": "approve",
            f"{prefix}-tier": "2",
            f"{prefix}-provision": provision.pk,
            f"{prefix}-weeks": "20",
            f"{prefix}-reasons": "Fits the needs.",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.APPROVED
    page = client.get(response["Location"]).content.decode()
    assert "Decided at this meeting" in page and "Fits the needs." in page


def test_an_auditor_reads_the_agenda_without_decision_forms(client, auditor, submitted, meeting):
    client.force_login(auditor)
    page = client.get(reverse("placements:panel-meeting", kwargs={"pk": meeting.pk})).content.decode()
    assert "Robin Hartley" in page
    assert "Record the decision" not in page


def test_reading_the_agenda_logs_a_view_of_each_child(client, officer, submitted, meeting):
    client.force_login(officer)
    client.get(reverse("placements:panel-meeting", kwargs={"pk": meeting.pk}))
    assert AccessLogEntry.objects.filter(
        object_type="pupils.Pupil", object_id=str(submitted.pupil_id), verb="view", user_id=officer.pk
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_panel_decision_is_written_whole_or_not_at_all(officer, submitted, meeting, monkeypatch):
    # Outside a test's own transaction, as a page request runs: a failure after the decision is written (here the
    # notification) must leave neither the decision nor the referral's new status behind. On PostgreSQL the row lock
    # on the referral also needs the transaction (select_for_update outside one is an error).
    def fail(decision):
        raise RuntimeError("the notifier failed")

    monkeypatch.setattr(services.notifications, "panel_decided", fail)
    with pytest.raises(RuntimeError):
        services.record_decision(user=officer, meeting=meeting, referral=submitted, outcome="defer", reasons="Later.")
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.SUBMITTED
    assert not PanelDecision.objects.exists()
