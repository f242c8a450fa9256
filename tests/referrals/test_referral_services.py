"""Creating, changing, submitting and withdrawing referrals through the services, with the access log."""

import datetime

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted
from aphub.placements.models import Referral
from aphub.placements.referrals import services
from aphub.placements.referrals.services import IncompleteReferral
from tests.factories import EnrolmentFactory, EpisodeFactory, PupilFactory

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _log(obj, verb):
    return AccessLogEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk), verb=verb)


def test_school_staff_refer_a_pupil_on_their_roll_and_the_school_is_the_referrer(school_staff, school, pupil, episode):
    referral = services.create_referral(
        user=school_staff,
        pupil=pupil,
        episode=episode,
        requested_tier="2",
        needs=["semh", "anxiety-ebsa"],
        preferred_delivery_modes=["on-site"],
        needs_summary="  Needs a small setting  ",
    )
    assert referral.status == Referral.Status.DRAFT
    assert referral.referring_school == school
    assert referral.referred_by == school_staff
    assert referral.needs_summary == "Needs a small setting"
    assert sorted(t.code for t in referral.needs.all()) == ["anxiety-ebsa", "semh"]
    assert [t.code for t in referral.preferred_delivery_modes.all()] == ["on-site"]
    assert _log(referral, "create").count() == 1


def test_school_staff_cannot_refer_a_pupil_who_left_their_roll(school_staff, school, la):
    pupil = PupilFactory(local_authority=la)
    EnrolmentFactory(pupil=pupil, school=school, end_date=datetime.date(2025, 7, 22))
    episode = EpisodeFactory(pupil=pupil)
    with pytest.raises(NotPermitted, match="on your school's roll"):
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2")
    assert not Referral.objects.exists()


def test_an_la_officer_refers_any_child_of_the_la_without_a_referring_school(officer, pupil, episode):
    referral = services.create_referral(user=officer, pupil=pupil, episode=episode, requested_tier="3")
    assert referral.referring_school is None


def test_an_officer_of_another_la_cannot_refer(pupil, episode):
    from aphub.organisations.models import Role
    from tests.factories import LocalAuthorityFactory, member

    stranger = member(Role.LA_OFFICER, LocalAuthorityFactory())
    with pytest.raises(NotPermitted):
        services.create_referral(user=stranger, pupil=pupil, episode=episode, requested_tier="2")


@pytest.mark.parametrize("who", ["auditor", "provider_staff"])
def test_auditors_and_providers_cannot_refer(request, who, pupil, episode):
    with pytest.raises(NotPermitted):
        services.create_referral(user=request.getfixturevalue(who), pupil=pupil, episode=episode, requested_tier="2")


def test_the_episode_must_be_the_pupils_own(school_staff, pupil, la):
    someone_elses = EpisodeFactory(pupil=PupilFactory(local_authority=la))
    with pytest.raises(DomainError, match="this pupil's episodes"):
        services.create_referral(user=school_staff, pupil=pupil, episode=someone_elses, requested_tier="2")


def test_an_unknown_need_or_tier_is_refused_and_nothing_is_saved(school_staff, pupil, episode):
    with pytest.raises(DomainError, match="Choose options from the list"):
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2", needs=["ks3"])
    with pytest.raises(DomainError, match="tier"):
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="4")
    assert not Referral.objects.exists()


def test_a_second_open_referral_for_the_same_episode_is_refused(school_staff, pupil, episode, draft):
    with pytest.raises(DomainError, match="already an open referral"):
        services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2")


def test_submitting_without_consent_names_the_problem(school_staff, pupil, episode):
    referral = services.create_referral(
        user=school_staff, pupil=pupil, episode=episode, requested_tier="2", **{**COMPLETE, "consent_given": False}
    )
    with pytest.raises(IncompleteReferral) as raised:
        services.submit_referral(user=school_staff, referral=referral)
    assert raised.value.message == "You cannot submit this referral yet. Add the parent or carer's consent."
    assert raised.value.problems == [
        ("consent_given", "Confirm that a parent or carer consents to sharing this referral")
    ]
    referral.refresh_from_db()
    assert referral.status == Referral.Status.DRAFT and referral.submitted_at is None


def test_submitting_an_empty_referral_names_every_missing_part(school_staff, pupil, episode):
    referral = services.create_referral(user=school_staff, pupil=pupil, episode=episode, requested_tier="2")
    with pytest.raises(IncompleteReferral) as raised:
        services.submit_referral(user=school_staff, referral=referral)
    assert raised.value.message == (
        "You cannot submit this referral yet. Add a summary of the child's needs, what has been tried, "
        "the child's views, the parents' or carers' views and the parent or carer's consent."
    )
    assert [field for field, _ in raised.value.problems] == [
        "needs_summary",
        "tried_so_far",
        "child_views",
        "parent_views",
        "consent_given",
    ]


def test_a_complete_referral_is_submitted_and_logged(school_staff, draft):
    referral = services.submit_referral(user=school_staff, referral=draft)
    assert referral.status == Referral.Status.SUBMITTED
    assert referral.submitted_at is not None
    assert _log(referral, "change").count() == 1


def test_a_draft_can_be_changed_and_each_change_is_logged(school_staff, draft):
    services.update_referral(user=school_staff, referral=draft, risks="Absconds when anxious", needs=["autism"])
    draft.refresh_from_db()
    assert draft.risks == "Absconds when anxious"
    assert [t.code for t in draft.needs.all()] == ["autism"]
    assert _log(draft, "change").count() == 1


def test_a_submitted_referral_cannot_be_changed(school_staff, submitted):
    with pytest.raises(InvalidTransition, match="waiting for the panel"):
        services.update_referral(user=school_staff, referral=submitted, risks="New risk")
    submitted.refresh_from_db()
    assert submitted.risks == ""


def test_only_the_referrer_changes_or_submits_a_draft(officer, draft):
    with pytest.raises(NotPermitted):
        services.update_referral(user=officer, referral=draft, risks="x")
    with pytest.raises(NotPermitted):
        services.submit_referral(user=officer, referral=draft)


def test_the_referrer_or_the_la_withdraws_an_open_referral(school_staff, officer, submitted, school):
    services.withdraw_referral(user=officer, referral=submitted)
    submitted.refresh_from_db()
    assert submitted.status == Referral.Status.WITHDRAWN
    with pytest.raises(InvalidTransition, match="withdrawn"):
        services.withdraw_referral(user=school_staff, referral=submitted)


def test_the_lifecycle_refuses_a_decision_on_a_draft(officer, draft):
    meeting = services.create_panel_meeting(user=officer, date=datetime.date(2026, 11, 20), members="Chair")
    with pytest.raises(InvalidTransition, match="a draft"):
        services.record_decision(user=officer, meeting=meeting, referral=draft, outcome="defer", reasons="Later")
