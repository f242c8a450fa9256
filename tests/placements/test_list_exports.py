"""Every list a user takes into a spreadsheet downloads as CSV and XLSX: placements, referrals, the waiting lists,
overdue reviews and follow-ups. The file holds the page's filtered rows on every page, in the user's scope only,
and is logged as an export of each record in it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from aphub.audit.models import AccessLogEntry
from aphub.placements.models import FollowUp, Placement, Referral, WaitingListEntry
from tests.factories import EnrolmentFactory, EpisodeFactory, LocalAuthorityFactory, PlacementFactory, PupilFactory


def csv_rows(client, url: str, **params) -> list[list[str]]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(client, url: str, **params) -> list[tuple]:
    response = client.get(url, {**params, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def exported(user, object_type: str) -> set[str]:
    entries = AccessLogEntry.objects.filter(verb="export", object_type=object_type, user_email=user.email)
    return {entry.object_id for entry in entries}


@pytest.fixture
def stranger(town):
    """A child of another LA, placed and waiting, with a referral and a follow-up: never in this town's files."""
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    pupil = PupilFactory(local_authority=other, first_name="Zed", last_name="Zephyr-Stranger")
    placement = PlacementFactory(pupil=pupil, status="ended", end_date=datetime.date(2026, 11, 10))
    WaitingListEntry.objects.create(pupil=pupil, provision=placement.provision)
    referral_for(pupil, placement.episode)
    FollowUp.objects.create(placement=placement, weeks_after_exit=6, due_date=datetime.date(2026, 11, 9))
    return pupil


def referral_for(pupil, episode, **fields) -> Referral:
    return Referral.objects.create(
        pupil=pupil,
        episode=episode,
        status=fields.pop("status", Referral.Status.SUBMITTED),
        requested_tier="2",
        needs_summary="Needs summary",
        tried_so_far="Tried",
        child_views="Views",
        parent_views="Views",
        consent_given=True,
        **fields,
    )


# --- Placements --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_placements_download_with_the_status_filter_every_page_and_no_other_la(client, town, stranger, monkeypatch):
    monkeypatch.setattr("aphub.core.web.views.PAGE_SIZE", 1)
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    active = PlacementFactory(pupil=ada, provision=town.provision(name="Horizons Centre"), annual_cost="18000.5")
    ben = town.pupil(first_name="Ben", last_name="Birch")
    offered = PlacementFactory(pupil=ben, provision=town.provision(name="=cmd|' /C calc'!A0"), status="offered")
    PlacementFactory(pupil=town.pupil(first_name="Cy", last_name="Cole"), status="cancelled")
    client.force_login(town.officer)
    rows = csv_rows(client, reverse("placements:placements"), status="active")
    assert rows[0][:4] == ["Placement id", "Pupil", "UPN", "Provision"]
    assert [row[:4] for row in rows[1:]] == [[str(active.pk), "Ada Ashby", ada.upn, "Horizons Centre"]]
    assert rows[1][13] == "18000.50" and rows[1][7] == "2026-11-10" and rows[1][15] == "Active"
    everything = csv_rows(client, reverse("placements:placements"))
    assert {row[1] for row in everything[1:]} == {"Ada Ashby", "Ben Birch", "Cy Cole"}  # three pages of one
    assert [row[3] for row in everything[1:] if row[1] == "Ben Birch"] == ["'=cmd|' /C calc'!A0"]
    sheet = xlsx_rows(client, reverse("placements:placements"), status="offered")
    assert [row[:2] for row in sheet[1:]] == [(offered.pk, "Ben Birch")]
    # Each download logged each placement in it: the town's three, never the stranger's.
    assert exported(town.officer, "placements.Placement") == {
        str(pk) for pk in Placement.objects.filter(pupil__local_authority=town.la).values_list("pk", flat=True)
    }


@pytest.mark.django_db
def test_a_provider_downloads_only_the_placements_with_it(client, town):
    ours = PlacementFactory(pupil=town.pupil(first_name="Ada", last_name="Ashby"), provision=town.provision())
    PlacementFactory(pupil=town.pupil(first_name="Ben", last_name="Birch"), provision=town.provision(town.provider_p2))
    client.force_login(town.p1_staff)
    rows = csv_rows(client, reverse("placements:placements"))
    assert [row[0] for row in rows[1:]] == [str(ours.pk)]


@pytest.mark.django_db
def test_the_placements_page_links_to_its_downloads(client, town):
    PlacementFactory(pupil=town.pupil(), provision=town.provision())
    client.force_login(town.officer)
    page = client.get(reverse("placements:placements"), {"status": "active"}).content.decode()
    assert 'href="/placements/?status=active&amp;format=csv"' in page
    assert 'href="/placements/?status=active&amp;format=xlsx"' in page


# --- Referrals ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_referrals_download_with_the_status_filter_and_no_other_la(client, town, stranger):
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    sent = referral_for(ada, EpisodeFactory(pupil=ada), referring_school=town.school_a)
    ben = town.pupil(first_name="Ben", last_name="Birch")
    referral_for(ben, EpisodeFactory(pupil=ben), status=Referral.Status.APPROVED)
    client.force_login(town.officer)
    url = reverse("placements:referrals")
    rows = csv_rows(client, url, status="submitted")
    assert rows[0][:4] == ["Referral id", "Pupil", "UPN", "Referred by"]
    assert [row[:5] for row in rows[1:]] == [[str(sent.pk), "Ada Ashby", ada.upn, "Ashgrove Academy", "Tier 2"]]
    assert {row[1] for row in xlsx_rows(client, url)[1:]} == {"Ada Ashby", "Ben Birch"}
    assert exported(town.officer, "placements.Referral") == {str(sent.pk), str(ben.referrals.get().pk)}
    page = client.get(url, {"status": "submitted"}).content.decode()
    assert 'href="/referrals/?status=submitted&amp;format=xlsx"' in page


# --- Waiting lists -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_waiting_lists_download_holds_this_las_children_only(client, town, stranger):
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    entry = WaitingListEntry.objects.create(
        pupil=ada, provision=town.provision(name="Horizons Centre"), due_date=datetime.date(2026, 11, 17)
    )
    client.force_login(town.officer)
    url = reverse("placements:waiting-list")
    rows = csv_rows(client, url)
    assert rows == [
        ["Provision", "Pupil", "UPN", "Statutory due date", "Waiting since"],
        ["Horizons Centre", "Ada Ashby", ada.upn, "2026-11-17", "2026-11-10 10:00"],
    ]
    assert xlsx_rows(client, url)[1][:3] == ("Horizons Centre", "Ada Ashby", ada.upn)
    assert exported(town.officer, "placements.WaitingListEntry") == {str(entry.pk)}
    assert 'href="/waiting-list/?format=csv"' in client.get(url).content.decode()


# --- Overdue reviews and follow-ups ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overdue_reviews_download_holds_the_overdue_placements(client, town, stranger):
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    late = PlacementFactory(pupil=ada, provision=town.provision(name="Horizons Centre"), next_review_due="2026-11-02")
    PlacementFactory(pupil=town.pupil(first_name="Ben", last_name="Birch"), next_review_due="2026-12-02")
    client.force_login(town.officer)
    url = reverse("placements:overdue-reviews")
    rows = csv_rows(client, url)
    assert rows[1:] == [["Ada Ashby", ada.upn, "Horizons Centre", str(late.pk), "2026-11-02"]]
    assert len(xlsx_rows(client, url)) == 2
    assert exported(town.officer, "placements.Placement") == {str(late.pk)}
    assert 'href="/reviews/overdue/?format=xlsx"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_follow_ups_download_holds_the_follow_ups_due(client, town, stranger):
    ada = town.pupil(first_name="Ada", last_name="Ashby")
    ended = PlacementFactory(
        pupil=ada,
        status="ended",
        start_date=datetime.date(2026, 5, 4),
        end_date=datetime.date(2026, 9, 28),
        destination="same-school",
        destination_school=town.school_a,
    )
    due = FollowUp.objects.create(placement=ended, weeks_after_exit=6, due_date=datetime.date(2026, 11, 9))
    later = FollowUp.objects.create(placement=ended, weeks_after_exit=12, due_date=datetime.date(2026, 12, 21))
    client.force_login(town.officer)
    url = reverse("placements:follow-ups")
    rows = csv_rows(client, url)
    # Both checks are listed from the day the placement ended, the later one as not due yet.
    assert rows[1:] == [
        ["Ada Ashby", ada.upn, "Ashgrove Academy", "6", "2026-11-09", "Overdue"],
        ["Ada Ashby", ada.upn, "Ashgrove Academy", "12", "2026-12-21", "Not due yet"],
    ]
    assert xlsx_rows(client, url)[1][3] == 6
    assert exported(town.officer, "placements.FollowUp") == {str(due.pk), str(later.pk)}
    assert 'href="/follow-ups/?format=csv"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_school_staff_download_their_own_pupils_placements_only(client, town):
    ours = town.pupil(first_name="Ada", last_name="Ashby")
    PlacementFactory(pupil=ours, provision=town.provision())
    theirs = PupilFactory(local_authority=town.la, first_name="Ben", last_name="Birch")
    EnrolmentFactory(pupil=theirs, school=town.school_b)
    PlacementFactory(pupil=theirs, provision=town.provision())
    client.force_login(town.school_a_staff)
    rows = csv_rows(client, reverse("placements:placements"))
    assert [row[1] for row in rows[1:]] == ["Ada Ashby"]
