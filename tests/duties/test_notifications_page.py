"""Every notification to your organisation on one paginated page, newest first, with what you have not opened yet.

A notification counts as read when you follow it to its page (not when a list shows it), and for you alone: your
colleagues get the same notifications and open them themselves. Another organisation's are never shown or opened.
"""

import datetime

import pytest
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.duties.models import Notification, NotificationRead
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, PupilFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

LIST = reverse("duties:notifications")
HOME = reverse("organisations:home")
Kind = Notification.Kind
NOON = datetime.datetime(2026, 11, 2, 12, 0, tzinfo=datetime.UTC)


def follow_url(notification: Notification) -> str:
    return reverse("duties:open-notification", kwargs={"pk": notification.pk})


@pytest.fixture
def la():
    return LocalAuthorityFactory(name="Elmbridge Borough Council")


@pytest.fixture
def officer(la):
    return member(Role.LA_OFFICER, la)


def tell(la, number: int, *, pupil=None, **recipient) -> Notification:
    """Notification `number`, `number` hours after noon: a larger number is newer."""
    return Notification.objects.create(
        kind=Kind.REFERRAL_SUBMITTED,
        subject=f"Referral waiting for panel: Child{number:02d} R.",
        path="/referrals/",
        pupil=pupil,
        created_at=NOON + datetime.timedelta(hours=number),
        **(recipient or {"local_authority": la}),
    )


def subjects(html: str) -> list[str]:
    return [part.split("<")[0] for part in html.split("Referral waiting for panel: ")[1:]]


def test_every_notification_is_listed_newest_first_across_pages(client, la, officer):
    for number in range(1, 31):
        tell(la, number)
    client.force_login(officer)
    first = client.get(LIST).content.decode()
    assert "30 notifications, newest first" in first
    assert subjects(first) == [f"Child{n:02d} R." for n in range(30, 5, -1)]  # 25 a page
    assert "page=2" in first
    second = client.get(LIST, {"page": 2}).content.decode()
    assert subjects(second) == [f"Child{n:02d} R." for n in range(5, 0, -1)]


@pytest.mark.parametrize("page", ["0", "-1", "two", "", "99999999999999999999999", "100001"])
def test_a_page_number_out_of_bounds_opens_a_real_page_not_an_error(client, la, officer, page):
    tell(la, 1)
    client.force_login(officer)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert subjects(response.content.decode()) == ["Child01 R."]


def test_another_organisations_notifications_are_never_listed(client, la, officer):
    other = LocalAuthorityFactory(name="Yarrowdale City Council")
    school = SchoolFactory(local_authority=la)
    tell(la, 1)
    tell(la, 2, local_authority=other)
    tell(la, 3, school=school)
    client.force_login(officer)
    assert subjects(client.get(LIST).content.decode()) == ["Child01 R."]
    client.force_login(member(Role.SCHOOL_STAFF, school))
    assert subjects(client.get(LIST).content.decode()) == ["Child03 R."]


def test_another_organisations_notification_cannot_be_opened_or_marked_read(client, la, officer):
    theirs = tell(la, 1, local_authority=LocalAuthorityFactory(name="Yarrowdale City Council"))
    client.force_login(officer)
    assert client.get(follow_url(theirs)).status_code == 404
    client.post(reverse("duties:mark-all-notifications-read"))
    assert not NotificationRead.objects.exists()


def test_following_a_notification_opens_its_page_and_marks_it_read_for_you_alone(client, la, officer):
    notification = tell(la, 1)
    colleague = member(Role.LA_OFFICER, la)
    client.force_login(officer)
    response = client.get(follow_url(notification))
    assert response.status_code == 302 and response["Location"] == "/referrals/"
    assert client.get(follow_url(notification)).status_code == 302  # a second visit is no error
    assert list(NotificationRead.objects.values_list("notification", "user")) == [(notification.pk, officer.pk)]
    page = client.get(LIST).content.decode()
    assert "0</span> you have not opened" in page and "Unread" not in page
    client.force_login(colleague)
    page = client.get(LIST).content.decode()
    assert "1</span> you have not opened" in page and 'data-unread="true"' in page


def test_opening_the_list_marks_nothing_read(client, la, officer):
    tell(la, 1)
    client.force_login(officer)
    client.get(LIST)
    assert not NotificationRead.objects.exists()
    assert 'data-unread="true"' in client.get(LIST).content.decode()


def test_mark_all_as_read_marks_every_one_of_yours(client, la, officer):
    mine = [tell(la, number) for number in range(1, 4)]
    client.force_login(officer)
    client.get(follow_url(mine[0]))
    response = client.post(reverse("duties:mark-all-notifications-read"), follow=True)
    assert "2 notifications marked as read" in response.content.decode()
    assert set(NotificationRead.objects.filter(user=officer).values_list("notification", flat=True)) == {
        n.pk for n in mine
    }
    assert "Mark all as read" not in client.get(LIST).content.decode()  # nothing left to mark


def test_the_home_page_counts_unread_and_links_to_all(client, la, officer):
    notifications = [tell(la, number) for number in range(1, 11)]
    client.force_login(officer)
    client.get(follow_url(notifications[-1]))
    page = client.get(HOME).content.decode()
    assert 'data-count="notifications-unread">9</span> unread' in page
    assert f'href="{LIST}" data-link="all-notifications">See all 10 notifications</a>' in page
    assert page.count('data-unread="true"') == 7  # of the newest 8 shown, the newest is read


def test_a_page_naming_children_is_logged_as_a_list_read_of_them(client, la, officer):
    ada, ben = PupilFactory(local_authority=la), PupilFactory(local_authority=la)
    tell(la, 1, pupil=ada)
    tell(la, 2)  # a provision decision names no child
    tell(la, 3, pupil=ben)
    tell(la, 4, pupil=ada)
    client.force_login(officer)
    client.get(LIST)
    entry = AccessLogEntry.objects.get(list_name="Notifications")
    assert entry.pupil_ids == f",{ada.pk},{ben.pk}," and entry.page_number == 1 and entry.verb == "view"
    assert entry.user_email == officer.email


def test_the_home_pages_whats_new_is_logged_as_a_list_read_of_the_children_it_names(client, la, officer):
    ada, ben = PupilFactory(local_authority=la), PupilFactory(local_authority=la)
    tell(la, 1, pupil=ben)  # older than the newest 8: not on the home page, so not logged as read there
    for number in range(2, 9):
        tell(la, number)
    tell(la, 9, pupil=ada)
    client.force_login(officer)
    client.get(HOME)
    entry = AccessLogEntry.objects.get(list_name="Home page: what's new")
    assert entry.pupil_ids == f",{ada.pk}," and entry.verb == "view" and entry.user_email == officer.email


def test_a_page_naming_no_child_logs_nothing(client, la, officer):
    tell(la, 1)
    client.force_login(officer)
    client.get(LIST)
    assert not AccessLogEntry.objects.filter(list_name="Notifications").exists()


@pytest.mark.parametrize("how_many", [3, 25])
def test_the_list_costs_the_same_queries_however_many_rows(
    client, la, officer, how_many, django_assert_max_num_queries
):
    for number in range(how_many):
        tell(la, number, pupil=PupilFactory(local_authority=la))
    client.force_login(officer)
    client.get(LIST)
    # Session, user, membership, count, the page, the counts, the access log: the same for 3 rows as for 25.
    with django_assert_max_num_queries(10):
        assert client.get(LIST).status_code == 200


def test_the_auditor_has_no_notifications_page(client, la):
    client.force_login(member(Role.AUDITOR, la))
    assert client.get(LIST).status_code == 403
