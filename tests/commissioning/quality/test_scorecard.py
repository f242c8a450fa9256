"""The provider scorecard joins visits, attendance, outcomes, complaints, evidence and admission for LA staff."""

import datetime

from django.urls import reverse

from aphub.commissioning.models import Complaint, MonitoringVisit, QAArea, VisitAction, VisitRating
from aphub.placements.models import AttendanceMark, OutcomeArea, OutcomeScore, Review
from aphub.quality.queries import scorecard

from .conftest import TODAY, add_evidence


def marks(placement, codes):
    day = datetime.date(2026, 11, 2)
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            date=day + datetime.timedelta(days=i // 2),
            session="AM" if i % 2 == 0 else "PM",
            code=code,
        )
        for i, code in enumerate(codes)
    )


def scored(placement, kind, held_on, score):
    review = Review.objects.create(placement=placement, kind=kind, held_on=held_on, pupil_voice="Words")
    OutcomeScore.objects.bulk_create(OutcomeScore(review=review, area=area, score=score) for area in OutcomeArea)


def test_the_scorecard_joins_every_source(client, qa):
    held = MonitoringVisit.objects.create(
        provider=qa.provider,
        local_authority=qa.la,
        scheduled_for=datetime.date(2026, 10, 5),
        held_on=datetime.date(2026, 10, 5),
        overall="amber",
        summary="Some work to do",
    )
    VisitRating.objects.bulk_create(
        VisitRating(visit=held, area=area, rating="red" if area == "premises" else "green") for area in QAArea
    )
    VisitAction.objects.create(
        visit=held, description="Fix the fence", owner="Manager", due_on=datetime.date(2026, 11, 1)
    )
    MonitoringVisit.objects.create(provider=qa.provider, local_authority=qa.la, scheduled_for=datetime.date(2027, 4, 5))
    first, second = qa.place(), qa.place()
    marks(first, ["/", "\\", "/", "N"])  # 3 of 4
    marks(second, ["/", "\\", "/", "\\"])  # 4 of 4
    scored(first, "start", datetime.date(2026, 11, 2), 2)
    scored(first, "review", datetime.date(2026, 11, 16), 4)  # +2
    scored(second, "start", datetime.date(2026, 11, 2), 3)
    scored(second, "review", datetime.date(2026, 11, 16), 3)  # 0
    Complaint.objects.create(
        provider=qa.provider, local_authority=qa.la, received_on=TODAY, summary="A", upheld=True, closed_on=TODAY
    )
    Complaint.objects.create(provider=qa.provider, local_authority=qa.la, received_on=TODAY, summary="B")
    Complaint.objects.create(provider=qa.provider, local_authority=qa.other_la, received_on=TODAY, summary="Theirs")
    add_evidence(qa.provider, "insurance-public-liability", TODAY + datetime.timedelta(days=12))
    add_evidence(qa.provider, "safeguarding-lead", TODAY - datetime.timedelta(days=1))

    card = scorecard(qa.officer, qa.provider, today=TODAY)
    assert card.latest_visit == held and card.next_visit.scheduled_for == datetime.date(2027, 4, 5)
    assert {row["area"].value: row["rating"].rating for row in card.latest_ratings}["premises"] == "red"
    assert (card.open_actions, card.overdue_actions) == (1, 1)
    assert card.attendance_overall.rate == 87.5  # 7 of 8 sessions
    assert card.outcome_overall.average_change == 1  # (+2 and 0) averaged
    assert card.outcome_overall.placements == 2
    assert (len(card.complaints), card.complaints_upheld, card.complaints_open) == (2, 1, 1)  # Elmford's only
    assert [item.criterion for item in card.evidence.expired] == ["safeguarding-lead"]
    assert [item.criterion for item in card.evidence.expiring] == ["insurance-public-liability"]
    assert [criterion.code for criterion in card.evidence.missing] == ["registration"]
    assert card.admission_summary == "Admitted to 1 lot"
    assert card.oversight.full_time == 2

    client.force_login(qa.auditor)
    page = client.get(reverse("commissioning:quality-provider", kwargs={"pk": qa.provider.pk})).content.decode()
    assert "87.5%" in page and "+1.0" in page and "2 received, 1 upheld, 1 open" in page
    assert "Plan a visit" not in page  # auditors read


def test_another_las_provider_is_a_404(client, qa):
    from tests.factories import ProviderFactory

    theirs = ProviderFactory(legal_name="Yarrow Tutors", local_authority=qa.other_la)
    client.force_login(qa.officer)
    assert client.get(reverse("commissioning:quality-provider", kwargs={"pk": theirs.pk})).status_code == 404


def test_the_overview_lists_admitted_providers_with_their_state(client, qa):
    add_evidence(qa.provider, "insurance-public-liability", TODAY - datetime.timedelta(days=3))
    client.force_login(qa.officer)
    body = client.get(reverse("commissioning:quality")).content.decode()
    assert "Greenway Learning CIC" in body and "Admitted to 1 lot" in body
    assert "1 expired" in body and "None planned" in body
