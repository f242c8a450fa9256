"""Recording a visit, planning one, adding or closing its actions and recording a complaint each tell the officer
every mistake of the submission at once."""

import datetime

import pytest

from aphub.commissioning.models import Complaint, MonitoringVisit, QAArea
from aphub.commissioning.quality.services import record_complaint, record_visit, schedule_visit
from aphub.core.errors import DomainErrors

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def fields_of(refused) -> list[str | None]:
    return [each.field for each in refused.value.errors]


def test_a_visit_with_a_future_date_two_areas_unrated_a_red_without_a_note_and_no_summary_is_told_all(qa):
    visit = MonitoringVisit.objects.create(provider=qa.provider, local_authority=qa.la, scheduled_for=TODAY)
    areas = [area.value for area in QAArea]
    ratings = {value: ("green", "") for value in areas[2:]}
    ratings[areas[2]] = ("red", "")
    with pytest.raises(DomainErrors) as refused:
        record_visit(
            user=qa.officer,
            visit=visit,
            held_on=TODAY + datetime.timedelta(days=1),
            ratings=ratings,
            overall="",
            summary=" ",
        )
    assert fields_of(refused) == ["held_on", areas[0], areas[1], f"{areas[2]}_note", "overall", "summary"]
    visit.refresh_from_db()
    assert visit.held_on is None


def test_a_visit_planned_without_a_reason_in_the_past_is_told_both(qa):
    with pytest.raises(DomainErrors) as refused:
        schedule_visit(
            user=qa.officer, provider=qa.provider, scheduled_for=TODAY - datetime.timedelta(days=1), reason=""
        )
    assert fields_of(refused) == ["reason", "scheduled_for"]


def test_a_complaint_received_tomorrow_about_nothing_is_told_both(qa):
    with pytest.raises(DomainErrors) as refused:
        record_complaint(
            user=qa.officer, provider=qa.provider, received_on=TODAY + datetime.timedelta(days=1), summary=""
        )
    assert fields_of(refused) == ["received_on", "summary"]
    assert not Complaint.objects.exists()
