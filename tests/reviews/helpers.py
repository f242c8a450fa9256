"""Small builders the review tests share."""

import datetime

from aphub.placements.models import OutcomeArea


def all_scores(score: int = 3, **overrides: int) -> dict[str, int]:
    scores = {area.value: score for area in OutcomeArea}
    scores.update(overrides)
    return scores


def review_post(*, held_on: datetime.date, score: int = 3, **fields) -> dict[str, str]:
    """The review form as a browser posts it."""
    data = {
        "held_on_0": str(held_on.day),
        "held_on_1": str(held_on.month),
        "held_on_2": str(held_on.year),
        "pupil_voice": "I like the small groups and my mentor.",
        "parent_view": "",
        "summary": "",
        "next_review_due_0": "",
        "next_review_due_1": "",
        "next_review_due_2": "",
    }
    data.update({f"score_{area.value}": str(score) for area in OutcomeArea})
    data.update(fields)
    return data


def end(placement, *, on: datetime.date, destination: str = "same-school", school=None):
    """End a placement as the lifecycle service will (that service is another engineer's)."""
    placement.status = "ended"
    placement.end_date = on
    placement.destination = destination
    placement.destination_school = school
    placement.save()
    return placement
