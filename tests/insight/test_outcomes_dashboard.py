"""Issue 14: the outcomes dashboard. Time is frozen on Tuesday 10 November 2026; the period is 2026/27 unless a test
chooses another. Every number below is worked out by hand from the records `outcomes` makes:

- Ada at Pathways One (provider P1): start review 7 September, every area 2; a review on 28 September (all 5, not her
  latest) and her latest on 12 October: safe 3, wellbeing 2, engagement 4, pathway 1, progress 2, social 3, so her
  changes are +1, 0, +2, -1, 0, +1.
- Ben at Second Chance (provider P2), ended 16 October back to the same school: start review 14 September, every area
  3; a review on 1 October (all 1) and his exit review on 16 October, every area 4: +1 in each. His 6-week follow-up
  lasted; his 12-week one is not yet due.
- Cal at P2 has reviews but no start review: left out. Dee at P1 was started and last reviewed in 2025/26: left out
  of 2026/27. Eve at P1 ended on 20 October, NEET. Fay at P1 ended on 25 September to a new school and her return
  did not last at 6 weeks. Gus at P1 ended in June 2026 (last year), back to a new school that lasted.
- Another LA's child, with scores, an ended placement, follow-ups and marks: never counted.

So by area (Ada, Ben): safe +1 +1 (1.00), wellbeing 0 +1 (0.50), engagement +2 +1 (1.50), pathway -1 +1 (0.00),
progress 0 +1 (0.50), social +1 +1 (1.00); 9 of the 12 scores rose, 1 fell: +0.75 on average.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aphub.placements.models import AttendanceMark, FollowUp, OutcomeArea, OutcomeScore, Placement, Review
from tests.factories import LocalAuthorityFactory, PlacementFactory, ProvisionFactory, PupilFactory

pytestmark = pytest.mark.django_db

OUTCOMES = reverse("insight:dashboard-outcomes")
AREAS = OutcomeArea.values  # safe, wellbeing, engagement, pathway, progress, social
D = datetime.date
OCTOBER_5 = D(2026, 10, 5)


def review(placement: Placement, kind: str, held_on: datetime.date, scores: int | list[int]) -> Review:
    made = Review.objects.create(placement=placement, kind=kind, held_on=held_on, pupil_voice="Said how it went.")
    each = scores if isinstance(scores, list) else [scores] * len(AREAS)
    OutcomeScore.objects.bulk_create(
        OutcomeScore(review=made, area=area, score=score) for area, score in zip(AREAS, each, strict=True)
    )
    return made


def placement(provision, start: datetime.date, *, pupil=None, ended: datetime.date | None = None, destination=""):
    return PlacementFactory(
        pupil=pupil or PupilFactory(local_authority=provision.local_authority),
        episode__start_date=start,
        provision=provision,
        start_date=start,
        status="ended" if ended else "active",
        end_date=ended,
        destination=destination,
    )


def follow_up(placement: Placement, weeks: int, lasted: bool | None) -> FollowUp:
    due = placement.end_date + datetime.timedelta(weeks=weeks)
    return FollowUp.objects.create(
        placement=placement,
        weeks_after_exit=weeks,
        due_date=due,
        checked_on=due if lasted is not None else None,
        lasted=lasted,
    )


def marks(placement: Placement, *codes: str, first: datetime.date = OCTOBER_5) -> None:
    """One mark a session from `first`, morning then afternoon."""
    AttendanceMark.objects.bulk_create(
        AttendanceMark(
            placement=placement,
            date=first + datetime.timedelta(days=index // 2),
            session=("AM", "PM")[index % 2],
            code=code,
        )
        for index, code in enumerate(codes)
    )


@dataclass
class Outcomes:
    ada: Placement
    ben: Placement


@pytest.fixture
def outcomes(town) -> Outcomes:
    p1, p2 = town.provision(town.provider_p1), town.provision(town.provider_p2)
    ada = placement(p1, D(2026, 9, 7))
    review(ada, "start", D(2026, 9, 7), 2)
    review(ada, "review", D(2026, 9, 28), 5)
    review(ada, "review", D(2026, 10, 12), [3, 2, 4, 1, 2, 3])
    ben = placement(p2, D(2026, 9, 14), ended=D(2026, 10, 16), destination="same-school")
    review(ben, "start", D(2026, 9, 14), 3)
    review(ben, "review", D(2026, 10, 1), 1)
    review(ben, "exit", D(2026, 10, 16), 4)
    follow_up(ben, 6, True)
    follow_up(ben, 12, None)
    cal = placement(p2, D(2026, 9, 21))
    review(cal, "review", D(2026, 10, 19), 5)
    dee = placement(p1, D(2026, 4, 20))
    review(dee, "start", D(2026, 4, 20), 1)
    review(dee, "review", D(2026, 7, 1), 5)
    placement(p1, D(2026, 9, 1), ended=D(2026, 10, 20), destination="neet")
    fay = placement(p1, D(2026, 9, 1), ended=D(2026, 9, 25), destination="new-school")
    follow_up(fay, 6, False)
    follow_up(fay, 12, None)
    gus = placement(p1, D(2026, 3, 2), ended=D(2026, 6, 26), destination="new-school")
    follow_up(gus, 6, True)
    follow_up(gus, 12, True)
    # Registers: Ada /, \, L attended, N absent, D and X not possible sessions: 3 of 4 (75.0%); a mark of 31 August,
    # before the period, is not counted. Ben /, \ attended, O absent, Y1 not possible: 2 of 3 (66.7%).
    marks(ada, "/", "\\", "L", "N", "D", "X")
    marks(ada, "O", first=D(2026, 8, 31))
    marks(ben, "/", "\\", "O", "Y1")

    elsewhere = LocalAuthorityFactory(name="Another Council")
    # Its child is placed with Pathways One too: the provider's rows must still count only this LA's children.
    other_provision = ProvisionFactory(provider=town.provider_p1, local_authority=elsewhere)
    other = placement(other_provision, D(2026, 9, 7), ended=D(2026, 10, 2), destination="same-school")
    review(other, "start", D(2026, 9, 7), 1)
    review(other, "exit", D(2026, 10, 2), 5)
    follow_up(other, 6, False)
    marks(other, "O", "O", "O", "O")
    return Outcomes(ada=ada, ben=ben)


def figures(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(OUTCOMES, params)
    assert response.status_code == 200
    return {figure.key: figure for figure, _ in response.context["figures"]}


def column(figure, index: int = 1) -> list:
    return [row[index] for row in figure.table.rows]


def test_scores_change_from_the_start_review_to_the_latest_review_in_the_period(client, town, outcomes):
    shown = figures(client, town.officer)

    change = shown["outcome-change"]
    assert column(change, 0) == [area.label for area in OutcomeArea]
    assert column(change) == [Decimal(v) for v in ("1.00", "0.50", "1.50", "0.00", "0.50", "1.00")]
    # Cal (no start review) and Dee (last reviewed before the period) are not compared; nor is the other LA's child.
    assert change.summary.startswith("2 placements with a start review and a later review in the period:")
    assert "+0.75 points on average" in change.summary
    assert "most in engagement in learning (+1.50)" in change.summary
    assert "least in pathway back to mainstream school or on to post-16 (0.00)" in change.summary

    direction = shown["outcome-direction"]
    assert direction.table.headings == ["Outcome area", "Rose", "Stayed the same", "Fell"]
    assert [row[1:] for row in direction.table.rows] == [
        [2, 0, 0],
        [1, 1, 0],
        [2, 0, 0],
        [1, 0, 1],
        [1, 1, 0],
        [2, 0, 0],
    ]
    assert "Of the 12 outcome scores compared, 9 (75.0%) rose from the start review, 1 fell" in direction.summary


def test_scores_change_by_provider(client, town, outcomes):
    by_provider = figures(client, town.officer)["outcome-change-by-provider"]

    assert by_provider.table.headings == ["Provider", *(area.label for area in OutcomeArea)]
    assert by_provider.table.rows == [
        ["Pathways One Learning Ltd", *(Decimal(v) for v in ("1.00", "0.00", "2.00", "-1.00", "0.00", "1.00"))],
        ["Second Chance Tuition Ltd", *([Decimal("1.00")] * 6)],
    ]
    assert "2 providers had placements with scores to compare" in by_provider.summary
    assert "scores rose most at Second Chance Tuition Ltd" in by_provider.summary


def test_the_filters_narrow_the_scores_compared(client, town, outcomes):
    shown = figures(client, town.officer, provider=town.provider_p1.pk)
    assert column(shown["outcome-change"]) == [Decimal(v) for v in ("1.00", "0.00", "2.00", "-1.00", "0.00", "1.00")]
    # In the summer term of 2025/26 Dee's review of 1 July is her latest: 5 - 1 in every area.
    summer = figures(client, town.officer, period="2025-summer")
    assert column(summer["outcome-change"]) == [Decimal("4.00")] * 6
    assert summer["outcome-change"].summary.startswith("1 placement with a start review")


def test_destinations_of_placements_that_ended_in_the_period(client, town, outcomes):
    destinations = figures(client, town.officer)["destinations"]

    counted = dict(destinations.table.rows)
    # Ben (same school), Fay (new school) and Eve (NEET); Gus ended last year, the other LA's child is not ours.
    assert counted["Back to the same mainstream school"] == 1
    assert counted["A new mainstream school"] == 1
    assert counted["Not in education, employment or training"] == 1
    assert sum(counted.values()) == 3
    assert (
        destinations.summary
        == "3 placements ended in the period; 2 (66.7%) went back to school (mainstream or special)."
    )


def test_returns_to_school_that_lasted_at_each_follow_up(client, town, outcomes):
    reintegration = figures(client, town.officer)["reintegration"]

    assert reintegration.table.headings == ["Follow-up", "Lasted", "Did not last", "Not yet known"]
    assert reintegration.table.rows == [
        ["6 weeks after the placement ended", 1, 1, 0],  # Ben's lasted, Fay's did not
        ["12 weeks after the placement ended", 0, 0, 2],
    ]
    assert "at 6 weeks, 1 of 2 returns followed up had lasted (50.0%)" in reintegration.summary
    assert "at 12 weeks, none has been followed up yet" in reintegration.summary


def test_attendance_by_provider_counts_possible_sessions_only(client, town, outcomes):
    attendance = figures(client, town.officer)["attendance-by-provider"]

    assert attendance.table.rows == [
        ["Pathways One Learning Ltd", Decimal("75.0")],
        ["Second Chance Tuition Ltd", Decimal("66.7")],
    ]
    assert attendance.summary == (
        "Children attended 5 of 7 possible sessions (71.4%) at 2 providers. Lowest: Second Chance Tuition Ltd (66.7%)."
    )


def test_only_the_largest_providers_are_drawn_and_the_summary_says_so(client, town, outcomes, monkeypatch):
    from aphub.insight.dashboards import outcomes as dashboard

    monkeypatch.setattr(dashboard, "TOP_PROVIDERS_BY_OUTCOMES", 1)
    monkeypatch.setattr(dashboard, "TOP_PROVIDERS_BY_ATTENDANCE", 1)
    shown = figures(client, town.officer)

    # One placement compared at each provider: the tie goes to the name first in the alphabet.
    by_provider = shown["outcome-change-by-provider"]
    assert column(by_provider, 0) == ["Pathways One Learning Ltd"]
    assert (
        "2 providers had placements with scores to compare; the chart shows the 1 with the most placements compared"
        in by_provider.summary
    )
    # Pathways One had 4 possible sessions, Second Chance 3; the total still counts both.
    attendance = shown["attendance-by-provider"]
    assert attendance.table.rows == [["Pathways One Learning Ltd", Decimal("75.0")]]
    assert attendance.summary.startswith(
        "Children attended 5 of 7 possible sessions (71.4%) at 2 providers; "
        "the chart shows the 1 with the most sessions."
    )


def test_an_la_with_nothing_recorded_sees_empty_figures_with_words(client, town):
    shown = figures(client, town.officer)
    assert shown["outcome-change"].summary == (
        "No placement had a start review and a later review in the period: there are no scores to compare."
    )
    assert shown["outcome-change-by-provider"].table.rows == []
    assert shown["destinations"].summary == "No placement ended in the period."
    assert shown["reintegration"].table.rows == []
    assert shown["attendance-by-provider"].table.rows == []


def test_only_la_staff_see_the_outcomes_dashboard(client, town):
    for user in (town.school_a_staff, town.p1_staff):
        client.force_login(user)
        assert client.get(OUTCOMES).status_code == 403
    client.force_login(town.auditor)
    assert client.get(OUTCOMES).status_code == 200


def test_the_page_takes_the_same_queries_however_many_placements(client, town, outcomes):
    client.force_login(town.officer)
    with CaptureQueriesContext(connection) as before:
        assert client.get(OUTCOMES).status_code == 200
    p1 = town.provision(town.provider_p1)
    for day in range(5):
        more = placement(p1, D(2026, 9, 7 + day), ended=D(2026, 10, 16), destination="same-school")
        review(more, "start", more.start_date, 1)
        review(more, "exit", D(2026, 10, 16), 3)
        follow_up(more, 6, True)
        marks(more, "/", "\\")
    with CaptureQueriesContext(connection) as after:
        assert client.get(OUTCOMES).status_code == 200
    assert len(after) == len(before)


def test_the_page_reads_a_bounded_number_of_queries(client, town, outcomes, django_assert_max_num_queries):
    client.force_login(town.officer)
    with django_assert_max_num_queries(20):
        assert client.get(OUTCOMES).status_code == 200


def test_a_table_downloads_as_csv(client, town, outcomes):
    client.force_login(town.officer)
    response = client.get(OUTCOMES, {"table": "reintegration", "format": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Follow-up,Lasted,Did not last,Not yet known"
    assert lines[1] == "6 weeks after the placement ended,1,1,0"
