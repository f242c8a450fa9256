"""The strategy action plan at /insight/actions/ (issue 14): an LA starts it from its AP strategy's ten actions (seed
004 section 14), its officers keep each action's owner, due date, status, RAG and evidence up to date and add their
own, every problem of a form is shown at once, the auditor only reads, another LA's actions are a 404, and every change
is in the access log."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.insight.actions.queries import strategy_actions
from aphub.insight.actions.services import start_from_strategy
from aphub.insight.models import StrategyAction
from aphub.organisations.models import Role
from aphub.organisations.navigation import pages_for
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db
PLAN, START, ADD = reverse("insight:actions"), reverse("insight:actions-start"), reverse("insight:action-add")
START_BUTTON = "Start from the AP strategy's ten actions"


@pytest.fixture(autouse=True)
def _on_1_december_2026():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmbridge Borough Council")


def edit_url(action) -> str:
    return reverse("insight:action-edit", kwargs={"pk": action.pk})


def test_the_strategys_ten_actions_are_seed_004s_in_its_words():
    actions = strategy_actions()
    assert [action.number for action in actions] == list(range(1, 11))
    assert actions[4].title.startswith("Progress the development of annual data analysis systems and forecasting")
    assert actions[1].title.endswith("review systems to eliminate double funding.")
    # The strategy gives no due dates: the LA sets them.
    assert all(action.due_on is None for action in actions)


def test_an_officer_starts_the_plan_from_the_strategys_ten_actions(client, la):
    officer = member(Role.LA_OFFICER, la)
    client.force_login(officer)
    page = client.get(PLAN).content.decode()
    assert START_BUTTON in page
    response = client.post(START)
    assert response.status_code == 302
    actions = list(StrategyAction.objects.filter(local_authority=la))
    assert [(action.number, action.status, action.rag, action.due_on) for action in actions] == [
        (number, "not-started", "", None) for number in range(1, 11)
    ]
    assert actions[3].title == strategy_actions()[3].title
    page = client.get(PLAN).content.decode()
    assert START_BUTTON not in page
    assert "Add an action" in page
    # Each action made is in the access log, by whom.
    logged = AccessLogEntry.objects.filter(object_type="insight.StrategyAction", verb="create")
    assert sorted(int(entry.object_id) for entry in logged) == sorted(action.pk for action in actions)
    assert {entry.user_email for entry in logged} == {officer.email}
    # Twice is refused: the plan already has its actions.
    client.post(START)
    assert StrategyAction.objects.filter(local_authority=la).count() == 10


def test_an_update_shows_every_problem_at_once_and_changes_nothing(client, la):
    officer = member(Role.LA_OFFICER, la)
    action = start_from_strategy(user=officer)[0]
    client.force_login(officer)
    response = client.post(
        edit_url(action),
        {
            "owner": "x" * 201,
            "due_on_0": "31",
            "due_on_1": "2",
            "due_on_2": "2027",
            "status": "finished",
            "rag": "purple",
            "evidence": "",
        },
    )
    # With a real date and a status chosen, "done" without evidence is said beside the others.
    both = client.post(edit_url(action), {"due_on_0": "31", "due_on_1": "2", "due_on_2": "2027", "status": "done"})
    assert both.status_code == 400
    assert "The due date must be a real date" in both.content.decode()
    assert "Say what shows the action is done" in both.content.decode()
    assert response.status_code == 400
    summary = response.content.decode().split('class="govuk-error-summary', 1)[1].split("</div>", 2)[0:2]
    for message in (
        "The owner must be 200 characters or fewer",
        "The due date must be a real date",
        "Choose where it stands",
        "Choose red, amber or green",
    ):
        assert message in "".join(summary), message
    action.refresh_from_db()
    assert (action.owner, action.status, action.rag) == ("", "not-started", "")


def test_done_needs_its_evidence(client, la):
    officer = member(Role.LA_OFFICER, la)
    action = start_from_strategy(user=officer)[1]
    client.force_login(officer)
    form = {"owner": "Head of Finance", "status": "done", "rag": "green", "evidence": " "}
    response = client.post(edit_url(action), form)
    assert response.status_code == 400
    assert "Say what shows the action is done" in response.content.decode()
    form["evidence"] = "Schools Forum agreed who pays top-ups on 14 October 2026."
    response = client.post(edit_url(action), {**form, "due_on_0": "31", "due_on_1": "3", "due_on_2": "2027"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.due_on, action.status, action.rag) == (
        "Head of Finance",
        datetime.date(2027, 3, 31),
        "done",
        "green",
    )
    assert action.evidence == form["evidence"]
    assert action.updated_by == officer
    changed = AccessLogEntry.objects.get(object_type="insight.StrategyAction", verb="change")
    assert (changed.object_id, changed.user_email) == (str(action.pk), officer.email)


def test_an_admin_adds_an_action_numbered_after_the_last(client, la):
    admin = member(Role.LA_ADMIN, la)
    start_from_strategy(user=admin)
    client.force_login(admin)
    response = client.post(ADD, {"title": "", "status": "in-progress"})
    assert response.status_code == 400
    assert "Enter the action" in response.content.decode()
    response = client.post(
        ADD, {"title": "Open a primary nurture group in the north locality", "status": "not-started", "rag": "amber"}
    )
    assert response.status_code == 302
    added = StrategyAction.objects.get(local_authority=la, number=11)
    assert (added.rag, added.updated_by) == ("amber", admin)
    assert AccessLogEntry.objects.filter(object_id=str(added.pk), verb="create").count() == 1


def test_the_auditor_reads_the_plan_but_cannot_change_it(client, la):
    start_from_strategy(user=member(Role.LA_OFFICER, la))
    auditor = member(Role.AUDITOR, la)
    action = StrategyAction.objects.get(local_authority=la, number=1)
    client.force_login(auditor)
    page = client.get(PLAN)
    assert page.status_code == 200
    assert action.title in page.content.decode()
    assert edit_url(action) not in page.content.decode()
    assert client.get(edit_url(action)).status_code == 403
    assert client.post(edit_url(action), {"status": "done", "evidence": "x"}).status_code == 403
    assert client.post(ADD, {"title": "Mine", "status": "not-started"}).status_code == 403
    assert client.post(START).status_code == 403
    action.refresh_from_db()
    assert action.status == "not-started"


def test_another_las_action_is_not_found(client, la):
    other = LocalAuthorityFactory()
    theirs = start_from_strategy(user=member(Role.LA_OFFICER, other))[0]
    start_from_strategy(user=member(Role.LA_OFFICER, la))
    client.force_login(member(Role.LA_OFFICER, la))
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {"status": "done", "evidence": "Ours now"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "not-started"
    # Their plan is not on ours: ours has its own ten only.
    page = client.get(PLAN).content.decode()
    assert edit_url(theirs) not in page
    assert page.count('href="/insight/actions/') == 10 + 1  # each action's Update link, and Add an action


def test_schools_get_no_plan_and_la_staff_find_it_after_dashboards(client, la):
    client.force_login(member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la)))
    assert client.get(PLAN).status_code == 403
    officer = member(Role.LA_OFFICER, la)
    names = [name for _, name in pages_for(officer.memberships.get())]
    assert names.index("insight:actions") == names.index("insight:dashboards") + 1
