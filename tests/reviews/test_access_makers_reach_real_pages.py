"""The side-Y objects tests/access makes for the review pages open for side Y, so side X's 404 proves something."""

from tests.access.world import OBJECT_MAKERS, World


def test_school_b_opens_the_reviews_and_follow_ups_of_its_own_placements(client, db):
    world = World.build()
    placements = OBJECT_MAKERS["placements:reviews"]["pk"](world)
    follow_ups = OBJECT_MAKERS["placements:follow-up"]["pk"](world)
    client.force_login(world.school_b_staff)
    for placement in placements:
        assert client.get(f"/placements/{placement.pk}/reviews/").status_code == 200
    active = next(p for p in placements if p.status == "active")
    assert client.get(f"/placements/{active.pk}/reviews/new/?kind=review").status_code == 200
    assert follow_ups
    for follow_up in follow_ups:
        assert client.get(f"/follow-ups/{follow_up.pk}/").status_code == 200


def test_provider_p2_opens_the_reviews_of_its_placements(client, db):
    world = World.build()
    placements = OBJECT_MAKERS["placements:review-new"]["pk"](world)
    client.force_login(world.provider_p2_staff)
    active = next(p for p in placements if p.status == "active")
    assert client.get(f"/placements/{active.pk}/reviews/new/?kind=review").status_code == 200
