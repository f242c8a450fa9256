import datetime

from aphub.audit.models import AccessLogEntry
from aphub.core.clock import today
from aphub.organisations.services import issue_api_token
from aphub.placements import services

D = datetime.date


def bearer(user) -> dict:
    token = issue_api_token(membership=user.memberships.get(), name="MIS feed").plaintext
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def placed(town, pupil, provider):
    episode = services.record_episode(
        user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
    )
    return services.offer_placement(
        user=town.officer,
        episode=episode,
        provision=town.provision(provider=provider),
        start_date=D(2026, 11, 10),
        tier="2",
        sessions_per_week=10,
        hours_per_week="25",
        annual_cost="18000.50",
    )


def test_a_provider_token_lists_only_its_own_placements_and_each_read_is_logged(client, town):
    mine = placed(town, town.pupil(), town.provider_p1)
    placed(town, town.pupil(), town.provider_p2)
    response = client.get("/api/placements/", **bearer(town.p1_staff))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and [row["id"] for row in body["results"]] == [mine.pk]
    assert body["results"][0]["annual_cost"] == "18000.50"
    assert AccessLogEntry.objects.filter(
        object_type="placements.Placement", object_id=str(mine.pk), verb="view"
    ).exists()


def test_another_providers_placement_is_a_404_and_no_token_is_a_401(client, town):
    theirs = placed(town, town.pupil(), town.provider_p2)
    assert client.get(f"/api/placements/{theirs.pk}", **bearer(town.p1_staff)).status_code == 404
    assert client.get(f"/api/placements/{theirs.pk}").status_code == 401
    assert client.get(f"/api/placements/{theirs.pk}", HTTP_AUTHORIZATION="Bearer aph_nonsense").status_code == 401


def test_an_la_system_records_a_permanent_exclusion_through_the_api_and_its_clock_starts(client, town):
    pupil = town.pupil(school=town.school_a)
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "permanent-exclusion", "start_date": "2026-11-03"},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 201, response.content
    clock = pupil.clocks.get(episode_id=response.json()["id"], rule="permanent-exclusion")
    assert clock.due_on == D(2026, 11, 10)


def test_signed_in_school_staff_read_only_their_pupils_episodes(client, town):
    ours, theirs = town.pupil(school=town.school_a), town.pupil(school=town.school_b)
    for pupil in (ours, theirs):
        services.record_episode(user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3))
    client.force_login(town.school_a_staff)
    body = client.get("/api/episodes/").json()
    assert [row["pupil"]["upn"] for row in body["results"]] == [ours.upn]


def test_bad_episodes_get_a_400_naming_the_field(client, town):
    pupil = town.pupil(school=town.school_a)
    headers = bearer(town.admin)
    cases = [
        ({"upn": pupil.upn, "kind": "expelled", "start_date": "2026-11-09"}, "kind"),
        ({"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-09"}, "suspension_last_day"),
        ({"upn": "A123", "kind": "suspension", "start_date": "2026-11-09", "suspension_last_day": "2026-11-20"}, "upn"),
        (
            {"upn": pupil.upn, "kind": "suspension", "start_date": "9 Nov", "suspension_last_day": "2026-11-20"},
            "start_date",
        ),  # fmt: skip
        (
            {"upn": pupil.upn, "kind": "suspension", "start_date": "2026-11-09", "suspension_last_day": "20 Nov"},
            "suspension_last_day",
        ),  # fmt: skip
    ]
    for body, field in cases:
        response = client.post("/api/episodes/", body, content_type="application/json", **headers)
        assert response.status_code == 400, (body, response.content)
        assert field in response.json()["detail"] or any(e["field"].endswith(field) for e in response.json()["errors"])
    assert not pupil.episodes.exists()


def test_a_role_the_service_refuses_gets_a_403_not_a_400(client, town):
    # The auditor sees the LA's children but records nothing: the service refuses, and the API says so as a 403,
    # as the pages do, not as a 400 that tells the caller to correct the request.
    pupil = town.pupil(school=town.school_a)
    client.force_login(town.auditor)
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "permanent-exclusion", "start_date": "2026-11-03"},
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert response.json() == {
        "detail": "Only LA officers and school staff can record why a child needs AP",
        "errors": [],
    }
    assert not pupil.episodes.exists()


def test_an_episode_breaking_two_rules_gets_a_400_naming_both(client, town):
    pupil = town.pupil(school=town.school_a)
    services.record_episode(user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3))
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/api/episodes/",
        {"upn": pupil.upn, "kind": "permanent-exclusion", "start_date": tomorrow},
        content_type="application/json",
        **bearer(town.admin),
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["kind", "start_date"]
    assert "already has an open permanent exclusion" in errors[0]["message"]
    assert "must be today or in the past" in errors[1]["message"]
    assert pupil.episodes.count() == 1


def test_numbers_too_large_for_an_id_or_an_offset_are_a_400_not_a_500(client, town):
    big = "99999999999999999999"
    headers = bearer(town.admin)
    for path in (
        f"/api/placements/?provision_id={big}",
        f"/api/placements/?offset={big}",
        f"/api/episodes/?offset={big}",
        f"/api/placements/{big}",
        f"/api/attendance/placements/{big}/marks",
        f"/api/attendance/registers?provision_id={big}&date=2026-11-10&session=AM",
    ):
        response = client.get(path, **headers)
        assert response.status_code == 400, (path, response.status_code)
