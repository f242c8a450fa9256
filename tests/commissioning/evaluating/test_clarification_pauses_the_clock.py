"""Asking the provider for clarification pauses the decision clock until they answer; time to decision leaves the
pause out (calendar days, evaluation_queries)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from aphub.commissioning.evaluation import services as evaluation
from aphub.commissioning.evaluation.queries import decision_days, evaluation_queue, median_decision_days
from aphub.commissioning.models import Application, Clarification
from aphub.core.clock import now
from aphub.organisations.models import Role
from tests.factories import member

from . import builders
from .conftest import admit

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=datetime.UTC)


def answered_by_provider(application: Application) -> None:
    """What commissioning.applications.services.answer_clarifications does when the provider sends every answer."""
    application.refresh_from_db()
    Clarification.objects.filter(application=application).update(answer="Here it is", answered_at=now())
    application.paused_seconds += int((now() - application.paused_since).total_seconds())
    application.paused_since = None
    application.status = Application.Status.SUBMITTED
    application.save()


def ask(officer, application, code="insurance-public-liability"):
    return evaluation.score_application(
        user=officer,
        application=application,
        scores=[
            evaluation.Score(
                criterion=code,
                outcome="clarification",
                reason="The schedule shows no amount",
                question="Please send the schedule page that shows the amount of cover",
            )
        ],
    )


def test_asking_for_clarification_pauses_the_clock_and_asks_the_provider(provider, dps, officer):
    staff = member(Role.PROVIDER_STAFF, provider)
    with time_machine.travel(at(2), tick=False):
        application = builders.application(provider, dps)
    with time_machine.travel(at(5), tick=False):
        ask(officer, application)

    application.refresh_from_db()
    assert application.status == Application.Status.CLARIFICATION
    assert application.paused_since == at(5)
    question = Clarification.objects.get(application=application)
    assert (question.criterion, question.asked_by) == ("insurance-public-liability", officer)
    assert question.question == "Please send the schedule page that shows the amount of cover"
    assert [message.to for message in mail.outbox] == [[staff.email]]
    # Days 2 to 5 count; the pause from day 5 on does not, however long it runs.
    with time_machine.travel(at(20), tick=False):
        assert decision_days(application) == Decimal("3.0")


def test_time_to_decision_leaves_out_the_days_waiting_for_answers(provider, dps, officer, second_officer):
    with time_machine.travel(at(2), tick=False):
        application = builders.application(provider, dps)
    with time_machine.travel(at(5), tick=False):
        ask(officer, application)
    with time_machine.travel(at(12), tick=False):
        answered_by_provider(application)
    with time_machine.travel(at(16), tick=False):
        admit(application, officer, second_officer)

    application.refresh_from_db()
    assert application.paused_seconds == 7 * 86400
    # 14 days from submission to sign-off, 7 of them waiting for the provider.
    assert decision_days(application) == Decimal("7.0")
    assert median_decision_days(officer) == Decimal("7.0")


def test_a_second_question_while_paused_keeps_the_pause_that_began_first(provider, dps, officer):
    with time_machine.travel(at(2), tick=False):
        application = builders.application(provider, dps)
    with time_machine.travel(at(5), tick=False):
        ask(officer, application)
    with time_machine.travel(at(6), tick=False):
        ask(officer, application, code="registration")

    application.refresh_from_db()
    assert application.paused_since == at(5)
    assert application.clarifications.count() == 2


def test_the_queue_shows_paused_applications_without_their_paused_days(client, provider, dps, officer):
    with time_machine.travel(at(2), tick=False):
        application = builders.application(provider, dps)
    with time_machine.travel(at(4), tick=False):
        ask(officer, application)
    with time_machine.travel(at(30), tick=False):
        rows = evaluation_queue(officer)
        client.force_login(officer)
        page = client.get(reverse("commissioning:evaluations")).content.decode()

    assert [(row.application, row.days) for row in rows] == [(application, Decimal("2.0"))]
    assert "2 days" in page and "paused" in page


def test_turning_down_a_provider_that_never_answers_ends_the_pause(provider, dps, officer, second_officer):
    with time_machine.travel(at(2), tick=False):
        application = builders.application(provider, dps)
    with time_machine.travel(at(5), tick=False):
        ask(officer, application)
    with time_machine.travel(at(25), tick=False):
        evaluation.recommend(
            user=officer, application=application, outcome="reject", reasons="No answer to our question in 20 days"
        )
    with time_machine.travel(at(27), tick=False):
        evaluation.sign_off(user=second_officer, application=application)

    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.paused_since is None
    # Days 2-5 and 25-27 are the LA's.
    assert decision_days(application) == Decimal("5.0")
