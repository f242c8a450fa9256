"""The application overview is a GOV.UK task list (govuk-task-list): choose lots, each criterion, declarations,
check and submit, each with its status (Not yet started, In progress, Completed, Cannot start yet)."""

import pytest
from django.urls import reverse

from aphub.commissioning.applications.queries import TaskStatus, task_list

from .conftest import NEXT_YEAR
from .makers import answer_everything, make_application, make_evidence

pytestmark = pytest.mark.django_db


def test_a_new_application_without_lots_cannot_start_the_criteria_or_submit(provider, arrangement):
    application = make_application(provider, arrangement, lots=[])
    tasks = task_list(application)
    assert tasks.lots.status == TaskStatus.NOT_STARTED
    assert [task.status for task in tasks.criteria] == [TaskStatus.CANNOT_START]
    assert tasks.declarations.status == TaskStatus.NOT_STARTED
    assert tasks.submit.status == TaskStatus.CANNOT_START
    assert tasks.submit.url_name is None


def test_each_criterion_moves_from_not_started_to_in_progress_to_completed(provider, arrangement):
    application = make_application(provider, arrangement, lots=arrangement.lots.filter(number=1))
    for code in ("registration", "safeguarding-lead", "insurance-public-liability"):
        application.responses.create(criterion=code)
    response = application.responses.get(criterion="registration")

    def status() -> TaskStatus:
        tasks = task_list(application)
        return next(task.status for task in tasks.criteria if task.title == "Registration and legal status")

    assert status() == TaskStatus.NOT_STARTED
    response.statement = "A community interest company, number 12345678."
    response.save()
    assert status() == TaskStatus.IN_PROGRESS
    response.evidence.add(make_evidence(provider, "registration"))
    assert status() == TaskStatus.COMPLETED


def test_declarations_in_progress_until_all_are_made(provider, arrangement):
    application = make_application(provider, arrangement)
    application.declarations = {"no-conflict": "2026-11-16T12:00:00+00:00"}
    assert task_list(application).declarations.status == TaskStatus.IN_PROGRESS


def test_a_complete_application_may_be_checked_and_submitted(provider, arrangement):
    application = make_application(provider, arrangement)
    answer_everything(application, expires_on=NEXT_YEAR)
    tasks = task_list(application)
    assert tasks.gaps == []
    assert {task.status for task in [tasks.lots, *tasks.criteria, tasks.declarations]} == {TaskStatus.COMPLETED}
    assert tasks.submit.status == TaskStatus.NOT_STARTED
    assert tasks.submit.url_name == "commissioning:application-submit"
    assert tasks.completed == tasks.total == 2 + len(tasks.criteria)


def test_the_page_uses_the_govuk_task_list_with_status_tags(staff_client, provider, arrangement):
    application = make_application(provider, arrangement)
    body = staff_client.get(reverse("commissioning:application", kwargs={"pk": application.pk})).content.decode()
    assert 'class="govuk-task-list"' in body
    assert "govuk-task-list__item--with-link" in body
    assert '<strong class="govuk-tag govuk-tag--blue">Not yet started</strong>' in body
    assert "govuk-task-list__status--cannot-start-yet" in body  # check and submit
    assert "Choose the lots you are applying for" in body
    assert "You have completed 1 of" in body
    for response in application.responses.all():
        assert reverse("commissioning:response", kwargs={"pk": response.pk}) in body


def test_a_dynamic_market_task_list_speaks_of_parts(staff_client, provider, la):
    from .makers import make_arrangement

    market = make_arrangement(la, kind="dynamic-market", title="Elmbridge AP dynamic market")
    application = make_application(provider, market, lots=[])
    body = staff_client.get(reverse("commissioning:application", kwargs={"pk": application.pk})).content.decode()
    assert "Choose the parts you are applying for" in body
    assert "Choose the parts first" in body
