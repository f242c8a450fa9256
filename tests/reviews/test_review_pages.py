"""The reviews page, the review form, overdue reviews and follow-up pages, through the test client."""

import datetime

import time_machine

from aphub.audit.models import AccessLogEntry
from aphub.placements.models import FollowUp, Placement, Review
from aphub.placements.reviews.services import record_review, schedule_follow_ups
from tests.factories import PlacementFactory

from .helpers import all_scores, end, review_post


def test_recording_a_review_through_the_form(client, placement, provider_staff):
    client.force_login(provider_staff)
    form = client.get(f"/placements/{placement.pk}/reviews/new/?kind=start")
    assert form.status_code == 200
    assert "Record a start review" in form.content.decode()
    assert "1 means serious concern" in form.content.decode()
    response = client.post(
        f"/placements/{placement.pk}/reviews/new/?kind=start",
        review_post(held_on=datetime.date(2027, 1, 11), score=2, parent_view="Much happier."),
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.kind, review.held_on, review.parent_view) == ("start", datetime.date(2027, 1, 11), "Much happier.")
    assert set(review.scores.values_list("score", flat=True)) == {2}
    page = client.get(response["Location"]).content.decode()
    assert "The start review is saved. The next review is due on 22 February 2027." in page


def test_a_date_that_does_not_exist_is_named(client, placement, provider_staff):
    client.force_login(provider_staff)
    data = review_post(held_on=datetime.date(2027, 1, 11), held_on_0="31", held_on_1="2")
    body = client.post(f"/placements/{placement.pk}/reviews/new/?kind=review", data).content.decode()
    assert "The date the review was held must be a real date" in body
    assert 'href="#id_held_on_0"' in body
    assert not Review.objects.exists()


def test_the_service_refusal_of_a_future_date_reaches_the_error_summary(client, placement, provider_staff):
    client.force_login(provider_staff)
    data = review_post(held_on=datetime.date(2027, 3, 1))
    body = client.post(f"/placements/{placement.pk}/reviews/new/?kind=review", data).content.decode()
    assert "must be today or in the past" in body
    assert "govuk-error-summary" in body


def test_the_exit_form_asks_for_no_next_review(client, placement, provider_staff):
    end(placement, on=datetime.date(2027, 1, 14))
    client.force_login(provider_staff)
    body = client.get(f"/placements/{placement.pk}/reviews/new/?kind=exit").content.decode()
    assert "Record an exit review" in body
    assert "next_review_due" not in body


def test_the_reviews_page_logs_a_view_of_each_review(client, placement, provider_staff, officer):
    for held_on, kind in ((datetime.date(2026, 11, 10), "start"), (datetime.date(2027, 1, 5), "review")):
        record_review(
            user=provider_staff,
            placement=placement,
            kind=kind,
            held_on=held_on,
            scores=all_scores(),
            pupil_voice="I have made a friend.",
        )
    client.force_login(officer)
    body = client.get(f"/placements/{placement.pk}/reviews/").content.decode()
    assert "I have made a friend." in body
    views = AccessLogEntry.objects.filter(user_id=officer.pk, verb="view")
    assert views.filter(object_type="placements.Review").count() == 2
    assert views.filter(object_type="placements.Placement", object_id=str(placement.pk)).count() == 1
    assert "Record a review" in body  # the LA commissions this placement


def test_an_auditor_reads_reviews_but_gets_no_button(client, placement, auditor):
    client.force_login(auditor)
    body = client.get(f"/placements/{placement.pk}/reviews/").content.decode()
    assert "Reviews and outcomes" in body
    assert "Record a" not in body


def test_overdue_reviews_are_listed_for_those_who_see_the_placement(client, placement, provider_staff, la, provision):
    placement.next_review_due = datetime.date(2027, 1, 1)
    placement.save()
    due_today = PlacementFactory(
        pupil__local_authority=la, provision=provision, next_review_due=datetime.date(2027, 1, 15)
    )
    ended = PlacementFactory(
        pupil__local_authority=la, provision=provision, status="ended", next_review_due=datetime.date(2026, 12, 1)
    )
    client.force_login(provider_staff)
    body = client.get("/reviews/overdue/").content.decode()
    assert placement.pupil.full_name in body
    assert f"/placements/{placement.pk}/reviews/" in body
    assert due_today.pupil.full_name not in body
    assert ended.pupil.full_name not in body


def test_overdue_reviews_are_scoped(placement, la):
    from aphub.organisations.models import Role
    from aphub.placements.reviews.queries import overdue_reviews_for
    from tests.factories import LocalAuthorityFactory, member

    placement.next_review_due = datetime.date(2027, 1, 1)
    placement.save()
    assert list(overdue_reviews_for(member(Role.LA_OFFICER, la))) == [placement]
    assert list(overdue_reviews_for(member(Role.LA_OFFICER, LocalAuthorityFactory(name="Far Shire")))) == []


def test_the_follow_ups_list_shows_overdue_and_later_follow_ups(client, placement, school, school_staff):
    end(placement, on=datetime.date(2026, 11, 20), destination="same-school", school=school)
    schedule_follow_ups(placement=placement)  # due 1 January 2027 (overdue) and 12 February 2027 (later)
    client.force_login(school_staff)
    body = client.get("/follow-ups/").content.decode()
    assert placement.pupil.full_name in body
    assert "Overdue" in body
    assert "12 February 2027" in body
    assert "Not due yet" in body


def test_recording_a_follow_up_through_the_form(client, placement, school, school_staff):
    end(placement, on=datetime.date(2026, 11, 20), destination="same-school", school=school)
    six_weeks = schedule_follow_ups(placement=placement)[0]
    client.force_login(school_staff)
    page = client.get(f"/follow-ups/{six_weeks.pk}/")
    assert page.status_code == 200
    assert AccessLogEntry.objects.filter(object_type="placements.FollowUp", verb="view").exists()
    empty = client.post(f"/follow-ups/{six_weeks.pk}/", {"notes": ""})
    assert "Select yes if the return to school has lasted" in empty.content.decode()
    response = client.post(f"/follow-ups/{six_weeks.pk}/", {"lasted": "yes", "notes": "Settled well."})
    assert response.status_code == 302
    six_weeks.refresh_from_db()
    assert (six_weeks.lasted, six_weeks.notes) == (True, "Settled well.")


def test_a_follow_up_not_yet_due_says_when_it_can_be_recorded(client, placement, school, school_staff):
    end(placement, on=datetime.date(2027, 1, 8), destination="same-school", school=school)
    six_weeks = schedule_follow_ups(placement=placement)[0]
    client.force_login(school_staff)
    body = client.get(f"/follow-ups/{six_weeks.pk}/").content.decode()
    assert "You can record this follow-up from 19 February 2027" in body
    posted = client.post(f"/follow-ups/{six_weeks.pk}/", {"lasted": "yes"}).content.decode()
    assert "You can record this follow-up from 19 February 2027" in posted
    assert FollowUp.objects.get(pk=six_weeks.pk).checked_on is None
    with time_machine.travel(datetime.date(2027, 2, 19), tick=False):
        assert client.post(f"/follow-ups/{six_weeks.pk}/", {"lasted": "no"}).status_code == 302


def test_providers_have_no_follow_ups_page(client, provider_staff):
    client.force_login(provider_staff)
    assert client.get("/follow-ups/").status_code == 403


def test_review_pages_of_a_missing_placement_are_404(client, officer):
    client.force_login(officer)
    missing = (Placement.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 100
    assert client.get(f"/placements/{missing}/reviews/").status_code == 404
