import datetime

from aphub.placements.reviews.queries import outcome_progress
from aphub.placements.reviews.services import record_review

from .helpers import all_scores, end


def _record(user, placement, kind, held_on, scores):
    record_review(user=user, placement=placement, kind=kind, held_on=held_on, scores=scores, pupil_voice="Said so.")


def _by_area(placement):
    return {row.area: row for row in outcome_progress(placement)}


def test_outcome_progress_shows_start_latest_review_and_exit(placement, provider_staff):
    _record(provider_staff, placement, "start", datetime.date(2026, 11, 10), all_scores(2, safe=1, social=4))
    _record(provider_staff, placement, "review", datetime.date(2026, 12, 15), all_scores(3, safe=2, social=4))
    _record(provider_staff, placement, "review", datetime.date(2027, 1, 5), all_scores(3, safe=3, social=3))
    end(placement, on=datetime.date(2027, 1, 14))
    _record(provider_staff, placement, "exit", datetime.date(2027, 1, 14), all_scores(4, safe=4, social=4, pathway=2))

    rows = _by_area(placement)
    assert (rows["safe"].start, rows["safe"].latest_review, rows["safe"].exit, rows["safe"].change) == (1, 3, 4, "up")
    assert (rows["social"].start, rows["social"].latest_review, rows["social"].exit) == (4, 3, 4)
    assert rows["social"].change == "same"
    assert (rows["pathway"].start, rows["pathway"].exit, rows["pathway"].change) == (2, 2, "same")
    assert [row.area for row in outcome_progress(placement)] == [
        "safe",
        "wellbeing",
        "engagement",
        "pathway",
        "progress",
        "social",
    ]


def test_progress_while_the_placement_runs_compares_start_with_the_latest_review(placement, provider_staff):
    _record(provider_staff, placement, "start", datetime.date(2026, 11, 10), all_scores(3))
    _record(provider_staff, placement, "review", datetime.date(2027, 1, 5), all_scores(3, progress=2))
    rows = _by_area(placement)
    assert rows["progress"].exit is None
    assert rows["progress"].change == "down"
    assert rows["engagement"].change == "same"


def test_progress_needs_two_scores_to_show_a_change(placement, provider_staff):
    assert all(row.change is None and row.start is None for row in outcome_progress(placement))
    _record(provider_staff, placement, "review", datetime.date(2027, 1, 5), all_scores(3))
    rows = _by_area(placement)
    assert rows["safe"].latest_review == 3
    assert rows["safe"].change is None


def test_the_progress_table_is_on_the_reviews_page(client, placement, provider_staff):
    _record(provider_staff, placement, "start", datetime.date(2026, 11, 10), all_scores(2))
    _record(provider_staff, placement, "review", datetime.date(2027, 1, 5), all_scores(4))
    client.force_login(provider_staff)
    body = client.get(f"/placements/{placement.pk}/reviews/").content.decode()
    assert "Outcome progress" in body
    assert body.count(">Up</td>") == 6
