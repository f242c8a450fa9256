"""The provider's side of clarification: the application page lists the open questions; the provider answers each
(with new evidence for that criterion if it helps); sending the answers resubmits the application and adds the
paused time to the decision clock."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aphub.commissioning.applications import services
from aphub.commissioning.models import Application, Evidence
from aphub.core.errors import DomainError, InvalidTransition, NotPermitted

from .conftest import NEXT_YEAR
from .makers import PDF_BYTES, answer_everything, ask, make_application, make_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(provider, arrangement):
    application = make_application(provider, arrangement, lots=arrangement.lots.filter(number=1))
    answer_everything(application, expires_on=NEXT_YEAR)
    application.status = Application.Status.SUBMITTED
    application.save()
    return application


@pytest.fixture
def questioned(submitted, officer):
    ask(submitted, officer, "registration", "Your certificate names another company. Please explain.")
    ask(submitted, officer, "insurance-public-liability", "Please send the schedule for next year.")
    submitted.refresh_from_db()
    return submitted


def test_answering_every_question_resubmits_and_adds_the_paused_time(staff, questioned, _frozen_today):
    paused_since = questioned.paused_since
    questioned.paused_seconds = 600
    questioned.save()
    _frozen_today.shift(datetime.timedelta(days=2, hours=3))
    for clarification in questioned.clarifications.all():
        services.answer_clarification(user=staff, clarification=clarification, answer="Here is what you asked for.")
    resubmitted = services.answer_clarifications(user=staff, application=questioned)
    assert resubmitted.status == Application.Status.SUBMITTED
    assert resubmitted.paused_since is None
    assert resubmitted.paused_seconds == 600 + 2 * 86400 + 3 * 3600
    assert paused_since is not None
    resubmitted.refresh_from_db()
    assert resubmitted.status == Application.Status.SUBMITTED


def test_an_unanswered_question_is_named_and_nothing_moves(staff, questioned):
    first = questioned.clarifications.get(criterion="registration")
    services.answer_clarification(user=staff, clarification=first, answer="A trading name.")
    with pytest.raises(DomainError, match="Answer every question before you send your answers: Public liability"):
        services.answer_clarifications(user=staff, application=questioned)
    questioned.refresh_from_db()
    assert questioned.status == Application.Status.CLARIFICATION
    assert questioned.paused_since is not None


def test_answers_may_be_given_with_the_send(staff, questioned):
    answers = {c.pk: "Answered." for c in questioned.clarifications.all()}
    resubmitted = services.answer_clarifications(user=staff, application=questioned, answers=answers)
    assert resubmitted.status == Application.Status.SUBMITTED
    assert set(questioned.clarifications.values_list("answer", flat=True)) == {"Answered."}


def test_an_answer_records_who_and_when(staff, questioned):
    clarification = questioned.clarifications.first()
    answered = services.answer_clarification(user=staff, clarification=clarification, answer="Done.")
    assert answered.answered_by == staff
    assert answered.answered_at is not None


def test_an_empty_answer_is_refused(staff, questioned):
    with pytest.raises(DomainError, match="Enter your answer"):
        services.answer_clarification(user=staff, clarification=questioned.clarifications.first(), answer="  ")


def test_new_evidence_with_an_answer_joins_that_criterion(staff, questioned):
    clarification = questioned.clarifications.get(criterion="insurance-public-liability")
    services.answer_clarification(
        user=staff,
        clarification=clarification,
        answer="The renewed schedule is attached.",
        upload=services.NewEvidence(
            title="Schedule 2028",
            file=SimpleUploadedFile("s.pdf", PDF_BYTES),
            cover_amount=5_000_000,
            expires_on=datetime.date(2028, 3, 31),
        ),
    )
    item = Evidence.objects.get(title="Schedule 2028")
    assert item in questioned.responses.get(criterion="insurance-public-liability").evidence.all()


def test_library_evidence_with_an_answer_joins_that_criterion(staff, provider, questioned):
    item = make_evidence(provider, "registration", title="Trading name letter")
    clarification = questioned.clarifications.get(criterion="registration")
    services.answer_clarification(user=staff, clarification=clarification, answer="See letter.", evidence=[item])
    assert item in questioned.responses.get(criterion="registration").evidence.all()


def test_questions_cannot_be_answered_when_none_are_open(staff, submitted, officer):
    clarification = ask(submitted, officer, "registration")
    submitted.refresh_from_db()
    services.answer_clarifications(user=staff, application=submitted, answers={clarification.pk: "Yes."})
    with pytest.raises(InvalidTransition):
        services.answer_clarification(user=staff, clarification=clarification, answer="Changed my mind")


def test_an_earlier_rounds_answer_stays_as_it_was(staff, submitted, officer, _frozen_today):
    first = ask(submitted, officer, "registration")
    submitted.refresh_from_db()
    services.answer_clarifications(user=staff, application=submitted, answers={first.pk: "First answer."})
    _frozen_today.shift(datetime.timedelta(days=1))
    submitted.refresh_from_db()
    second = ask(submitted, officer, "insurance-public-liability")
    submitted.refresh_from_db()
    from aphub.commissioning.applications.queries import current_clarifications

    assert current_clarifications(submitted) == [second]
    with pytest.raises(InvalidTransition, match="earlier round"):
        services.answer_clarification(user=staff, clarification=first, answer="Rewritten")


def test_another_providers_staff_cannot_answer(other_staff, questioned):
    with pytest.raises(NotPermitted):
        services.answer_clarification(
            user=other_staff, clarification=questioned.clarifications.first(), answer="Not ours"
        )


# -- Pages -------------------------------------------------------------------------------------------------------


def test_the_application_page_lists_the_questions_with_links(staff_client, questioned):
    body = staff_client.get(reverse("commissioning:application", kwargs={"pk": questioned.pk})).content.decode()
    assert "Questions from the council" in body
    assert "Your certificate names another company. Please explain." in body
    assert "Public liability insurance" in body
    for clarification in questioned.clarifications.all():
        assert reverse("commissioning:clarification", kwargs={"pk": clarification.pk}) in body
    assert "Send your answers" in body


def test_answering_on_the_pages_then_sending(staff_client, questioned):
    for clarification in questioned.clarifications.all():
        page = staff_client.get(reverse("commissioning:clarification", kwargs={"pk": clarification.pk}))
        assert clarification.question in page.content.decode()
        response = staff_client.post(
            reverse("commissioning:clarification", kwargs={"pk": clarification.pk}), {"answer": "Answered here."}
        )
        assert response.status_code == 302
    staff_client.post(reverse("commissioning:application-send-answers", kwargs={"pk": questioned.pk}))
    questioned.refresh_from_db()
    assert questioned.status == Application.Status.SUBMITTED


def test_sending_too_early_says_which_are_missing(staff_client, questioned):
    response = staff_client.post(
        reverse("commissioning:application-send-answers", kwargs={"pk": questioned.pk}), follow=True
    )
    assert "Answer every question before you send your answers" in response.content.decode()
    questioned.refresh_from_db()
    assert questioned.status == Application.Status.CLARIFICATION


def test_an_empty_answer_on_the_page_shows_the_error_summary(staff_client, questioned):
    clarification = questioned.clarifications.first()
    body = staff_client.post(
        reverse("commissioning:clarification", kwargs={"pk": clarification.pk}), {"answer": ""}
    ).content.decode()
    assert "govuk-error-summary" in body and "Enter your answer to the council&#x27;s question" in body
