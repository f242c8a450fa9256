"""An officer records a visit (a rating and note per area, overall, summary) and its actions; a red rating plans a
concern visit within 20 working days; the provider reads its visits and notes its actions; the LA closes them."""

import datetime

import pytest
from django.urls import reverse

from aphub.commissioning.models import MonitoringVisit, QAArea, VisitAction
from aphub.commissioning.quality.services import add_action, close_action, note_action, record_visit
from aphub.core.errors import DomainError, NotPermitted

from .conftest import TODAY


@pytest.fixture
def visit(qa):
    return MonitoringVisit.objects.create(provider=qa.provider, local_authority=qa.la, scheduled_for=TODAY)


def ratings(rating="green", **overrides):
    found = {area.value: (rating, "" if rating == "green" else "Needs work") for area in QAArea}
    found.update(overrides)
    return found


def form_data(overall="amber", **areas):
    data = {"held_on_0": "20", "held_on_1": "11", "held_on_2": "2026", "overall": overall, "summary": "Warm staff."}
    for area in QAArea:
        rating = areas.get(area.value, "green")
        data[area.value] = rating
        data[f"{area.value}_note"] = "" if rating == "green" else f"{area.label} needs work"
    return data


def test_an_officer_records_an_amber_visit_through_the_page(client, qa, visit):
    client.force_login(qa.officer)
    response = client.post(
        reverse("commissioning:quality-visit-record", kwargs={"pk": visit.pk}), form_data(premises="amber")
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.held_on, visit.overall, visit.summary) == (datetime.date(2026, 11, 20), "amber", "Warm staff.")
    assert visit.ratings.get(area="premises").note == "Premises, health and safety needs work"
    assert not MonitoringVisit.objects.filter(reason="concern").exists()
    page = client.get(reverse("commissioning:quality-visit", kwargs={"pk": visit.pk})).content.decode()
    assert "Premises, health and safety needs work" in page


def test_amber_and_red_need_a_note_saying_why(client, qa, visit):
    client.force_login(qa.officer)
    data = form_data(safeguarding="red")
    data["safeguarding_note"] = ""
    response = client.post(reverse("commissioning:quality-visit-record", kwargs={"pk": visit.pk}), data)
    assert response.status_code == 200
    assert "Say why safeguarding is red" in response.content.decode()
    visit.refresh_from_db()
    assert visit.held_on is None and not visit.ratings.exists()


def test_a_visit_cannot_be_recorded_as_held_in_the_future(qa, visit):
    with pytest.raises(DomainError, match="today or in the past"):
        record_visit(
            user=qa.officer,
            visit=visit,
            held_on=TODAY + datetime.timedelta(days=1),
            ratings=ratings(),
            overall="green",
            summary="Fine",
        )


def test_a_red_rating_plans_a_concern_visit_within_20_working_days_once(qa, visit):
    recorded = record_visit(
        user=qa.officer,
        visit=visit,
        held_on=TODAY,
        ratings=ratings(safeguarding=("red", "No single central record")),
        overall="amber",
        summary="Safeguarding gaps",
    )
    concern = recorded.concern_visit
    assert (concern.reason, concern.scheduled_for) == ("concern", datetime.date(2026, 12, 21))
    assert concern.scheduled_because == "Red rating at the visit of 23 November 2026"
    # Correcting the record keeps the one concern visit.
    again = record_visit(
        user=qa.officer,
        visit=visit,
        held_on=TODAY,
        ratings=ratings(safeguarding=("red", "Still")),
        overall="red",
        summary="Safeguarding gaps",
    )
    assert again.concern_visit is None
    assert MonitoringVisit.objects.filter(reason="concern").count() == 1


def test_a_visit_already_planned_in_time_serves_as_the_concern_visit(qa, visit):
    MonitoringVisit.objects.create(
        provider=qa.provider, local_authority=qa.la, scheduled_for=datetime.date(2026, 12, 2)
    )
    recorded = record_visit(
        user=qa.officer, visit=visit, held_on=TODAY, ratings=ratings(), overall="red", summary="Serious"
    )
    assert recorded.concern_visit is None


def test_another_las_officer_and_an_auditor_cannot_record_it(qa, visit):
    for user in (qa.other_officer, qa.auditor):
        with pytest.raises(NotPermitted):
            record_visit(user=user, visit=visit, held_on=TODAY, ratings=ratings(), overall="green", summary="Fine")


def test_actions_are_noted_by_the_provider_and_closed_by_the_la(client, qa, visit):
    record_visit(user=qa.officer, visit=visit, held_on=TODAY, ratings=ratings(), overall="green", summary="Good")
    action = add_action(
        user=qa.officer,
        visit=visit,
        description="Renew the fire risk assessment",
        owner="Centre manager",
        due_on=datetime.date(2026, 12, 18),
    )
    client.force_login(qa.provider_staff)
    url = reverse("commissioning:quality-action", kwargs={"pk": action.pk})
    assert client.post(url, {"note": "Booked with the assessor for 2 December"}).status_code == 302
    action.refresh_from_db()
    assert action.provider_note == "Booked with the assessor for 2 December" and action.done_on is None
    with pytest.raises(NotPermitted):
        close_action(user=qa.provider_staff, action=action, done_on=TODAY, note="Done")
    client.force_login(qa.officer)
    response = client.post(url, {"done_on_0": "23", "done_on_1": "11", "done_on_2": "2026", "note": "Seen the report"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.done_on, action.done_note, action.done_by) == (TODAY, "Seen the report", qa.officer)
    with pytest.raises(DomainError, match="closed"):
        note_action(user=qa.provider_staff, action=action, note="More")


def test_actions_need_a_held_visit_and_a_due_date_after_it(qa, visit):
    with pytest.raises(DomainError, match="Record the visit"):
        add_action(user=qa.officer, visit=visit, description="X", owner="Y", due_on=TODAY)
    record_visit(user=qa.officer, visit=visit, held_on=TODAY, ratings=ratings(), overall="green", summary="Good")
    with pytest.raises(DomainError, match="before the visit"):
        add_action(user=qa.officer, visit=visit, description="X", owner="Y", due_on=TODAY - datetime.timedelta(days=1))


def test_overdue_actions_are_listed(client, qa, visit):
    visit.held_on = datetime.date(2026, 10, 1)
    visit.overall = "amber"
    visit.save()
    VisitAction.objects.create(
        visit=visit, description="Fix the gate", owner="Caretaker", due_on=datetime.date(2026, 11, 1)
    )
    VisitAction.objects.create(
        visit=visit, description="Train staff", owner="Manager", due_on=datetime.date(2027, 1, 1)
    )
    VisitAction.objects.create(
        visit=visit,
        description="Paint the hall",
        owner="Caretaker",
        due_on=datetime.date(2026, 10, 20),
        done_on=datetime.date(2026, 10, 19),
        done_note="Done",
    )
    for user in (qa.officer, qa.provider_staff):
        client.force_login(user)
        body = client.get(reverse("commissioning:quality-actions-overdue")).content.decode()
        assert "Fix the gate" in body
        assert "Train staff" not in body and "Paint the hall" not in body


def test_the_provider_reads_its_own_visits_but_not_another_providers(client, qa, visit):
    from tests.factories import ProviderFactory

    other = MonitoringVisit.objects.create(
        provider=ProviderFactory(legal_name="Other Provider Ltd", local_authority=qa.la),
        local_authority=qa.la,
        scheduled_for=TODAY,
    )
    client.force_login(qa.provider_staff)
    listing = client.get(reverse("commissioning:quality-visits")).content.decode()
    assert reverse("commissioning:quality-visit", kwargs={"pk": visit.pk}) in listing
    assert "Other Provider Ltd" not in listing
    assert client.get(reverse("commissioning:quality-visit", kwargs={"pk": other.pk})).status_code == 404
    page = client.get(reverse("commissioning:quality-visit", kwargs={"pk": visit.pk}))
    assert page.status_code == 200 and "Record the visit" not in page.content.decode()
    assert client.get(reverse("commissioning:quality-visit-record", kwargs={"pk": visit.pk})).status_code == 403


def test_an_officer_moves_a_planned_visit(client, qa, visit):
    client.force_login(qa.officer)
    url = reverse("commissioning:quality-visit", kwargs={"pk": visit.pk})
    response = client.post(url, {"scheduled_for_0": "3", "scheduled_for_1": "12", "scheduled_for_2": "2026"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.scheduled_for == datetime.date(2026, 12, 3)
