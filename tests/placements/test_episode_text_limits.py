"""An episode's summary and the reason for correcting or withdrawing it have one limit each (placements.limits): the
pages and the JSON API say the same sentence, and the API lists it with every other problem of the request."""

import datetime

from django.urls import reverse

from aphub.placements import limits, services
from aphub.placements.models import Episode
from tests.placements.test_api import bearer

D = datetime.date
TOO_LONG_SUMMARY = "x" * (limits.SUMMARY_LENGTH + 1)
TOO_LONG_REASON = "x" * (limits.REASON_LENGTH + 1)


def _api_errors(response) -> dict[str, str]:
    assert response.status_code == 400, response.content
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_a_summary_too_long_gets_the_same_sentence_from_the_page_and_the_api(client, town):
    pupil = town.pupil(school=town.school_a)
    client.force_login(town.officer)
    page = client.post(
        reverse("placements:new-episode", kwargs={"pk": pupil.pk}),
        {"kind": "permanent-exclusion", "start_date_0": "3", "start_date_1": "11", "start_date_2": "2026",
         "summary": TOO_LONG_SUMMARY},
    )  # fmt: skip
    assert page.status_code == 400
    assert page.context["form"].errors["summary"] == [limits.SUMMARY_TOO_LONG]

    # The API says it beside the other problems of the same request (here, a suspension with no last day).
    api = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-09", "summary": TOO_LONG_SUMMARY},
        content_type="application/json",
        **bearer(town.admin),
    )
    errors = _api_errors(api)
    assert errors["summary"] == limits.SUMMARY_TOO_LONG
    assert "suspension_last_day" in errors
    assert not Episode.objects.exists()


def test_a_reason_too_long_gets_the_same_sentence_from_the_pages_and_the_api(client, town):
    episode = services.record_episode(
        user=town.officer, pupil=town.pupil(), kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    client.force_login(town.officer)
    correcting = client.post(
        reverse("placements:correct-episode", kwargs={"pk": episode.pk}),
        {"start_date_0": "4", "start_date_1": "11", "start_date_2": "2026", "reason": TOO_LONG_REASON},
    )
    assert correcting.status_code == 400
    assert correcting.context["form"].errors["reason"] == [limits.REASON_TOO_LONG]
    withdrawing = client.post(
        reverse("placements:withdraw-episode", kwargs={"pk": episode.pk}), {"reason": TOO_LONG_REASON}
    )
    assert withdrawing.status_code == 400
    assert withdrawing.context["form"].errors["reason"] == [limits.REASON_TOO_LONG]

    headers = bearer(town.admin)
    client.logout()
    corrected = client.patch(
        f"/api/episodes/{episode.pk}",
        {"start_date": "2026-11-04", "reason": TOO_LONG_REASON, "summary": TOO_LONG_SUMMARY},
        content_type="application/json",
        **headers,
    )
    assert _api_errors(corrected) == {"reason": limits.REASON_TOO_LONG, "summary": limits.SUMMARY_TOO_LONG}
    withdrawn = client.post(
        f"/api/episodes/{episode.pk}/withdraw", {"reason": TOO_LONG_REASON}, content_type="application/json", **headers
    )
    assert withdrawn.status_code == 400
    assert withdrawn.json()["detail"] == limits.REASON_TOO_LONG
    episode.refresh_from_db()
    assert episode.status == Episode.Status.OPEN and episode.start_date == D(2026, 11, 3)
