"""Every list page that shows children writes ONE access-log row naming exactly the children it showed, in one INSERT.

The pages are walked as each demo role (aphub.demo.build), so every list has children in it. What a page showed is
read from the page itself: the children (visible to the reader) whose names appear in it. The log row must name
exactly those, by id, with the list's name and page number, and cost one INSERT whatever the number of children.
"""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import log_list_read
from aphub.demo.build import DEMO_LA_CODE
from aphub.organisations.models import Role, User
from aphub.placements.models import FollowUp, Placement
from aphub.pupils.models import Pupil

pytestmark = pytest.mark.django_db

SIGN_INS = {
    Role.LA_ADMIN: "elmbridge.admin@example.org",
    Role.LA_OFFICER: "elmbridge.officer@example.org",
    Role.SCHOOL_STAFF: "school.kingsmead@example.org",
    Role.PROVIDER_STAFF: "provider.greenway@example.org",
}

# Every list page that shows children, with the name its log row gives it. A new list of children goes here.
LIST_PAGES = {
    "/pupils/": ("Pupils list", 1),
    "/placements/": ("Placements list", 1),
    "/waiting-list/": ("Waiting list", None),
    "/referrals/": ("Referrals list", None),
    "/referrals/new/": ("Children to refer", None),
    "/reviews/overdue/": ("Overdue reviews", None),
    "/follow-ups/": ("Follow-ups due", None),
    "/duties/worklist/": ("Worklist", 1),
    "/funding/lines/": ("Funding lines", 1),
    "/funding/drill-down/?figure=commitments": ("Outturn drill-down", 1),
    "/attendance/absences/": ("Absences", None),
}


def _children_named_on(page: str, user: User) -> dict[str, set[int]]:
    """The children the reader may see whose full names appear in the page: name -> their ids."""
    named: dict[str, set[int]] = {}
    for pk, first, last in Pupil.objects.visible_to(user).values_list("pk", "first_name", "last_name"):
        name = f"{first} {last}"
        if html.escape(name) in page:
            named.setdefault(name, set()).add(pk)
    return named


def _log_inserts(captured) -> int:
    insert = 'INSERT INTO "AUDIT_ACCESSLOGENTRY"'
    return sum(1 for query in captured.captured_queries if query["sql"].lstrip().upper().startswith(insert))


@pytest.mark.usefixtures("demo_read_only")
class TestOnTheDemo:
    """Walked on the demo, built once for these tests (they only read it: tests/built_once.py)."""

    def test_every_list_page_of_children_logs_one_row_naming_exactly_the_children_shown(self, client):
        problems: list[str] = []
        walked = 0
        for role, email in SIGN_INS.items():
            user = User.objects.get(email=email)
            client.force_login(user)
            for url, (list_name, page_number) in LIST_PAGES.items():
                last = AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                if response.status_code == 403:
                    continue
                assert response.status_code == 200, f"{role} {url}: {response.status_code}"
                named = _children_named_on(response.content.decode(), user)
                rows = [entry for entry in AccessLogEntry.objects.filter(id__gt=last) if entry.is_list]
                if not named:
                    if rows:
                        problems.append(f"{role} {url}: showed no child but logged {rows[0].listed_pupil_ids}")
                    continue
                walked += 1
                if len(rows) != 1:
                    problems.append(f"{role} {url}: showed {len(named)} children, logged {len(rows)} list rows")
                    continue
                row = rows[0]
                logged = set(row.listed_pupil_ids)
                names_logged = {name for name, ids in named.items() if ids & logged}
                if names_logged != set(named) or not logged <= set().union(*named.values()):
                    problems.append(
                        f"{role} {url}: shown {sorted(named)}, logged {sorted(logged)} (missing "
                        f"{sorted(set(named) - names_logged)})"
                    )
                if len(logged) != len(row.listed_pupil_ids):
                    problems.append(f"{role} {url}: a child is named twice in {row.pupil_ids}")
                if (row.list_name, row.page_number, row.verb, row.user_id) != (list_name, page_number, "view", user.pk):
                    problems.append(f"{role} {url}: logged as {row.list_name!r} page {row.page_number} {row.verb}")
                if row.path != url.split("?")[0]:
                    problems.append(f"{role} {url}: path {row.path!r}")
                if _log_inserts(captured) != 1:
                    problems.append(f"{role} {url}: {_log_inserts(captured)} INSERTs into the access log, not 1")
        assert not problems, "\n".join(problems)
        assert walked >= 12, f"only {walked} list pages showed children: the demo no longer exercises this test"

    def test_logging_a_list_costs_one_insert_whatever_the_rows_are(self, rf, django_assert_num_queries):
        user = User.objects.get(email=SIGN_INS[Role.LA_OFFICER])
        request = rf.get("/placements/?page=3&q=Smith")
        request.user = user
        placements = list(Placement.objects.filter(pupil__local_authority__la_code=DEMO_LA_CODE)[:50])
        follow_ups = list(FollowUp.objects.select_related("placement")[:20])
        pupils = list(Pupil.objects.all()[:30])
        log_list_read(request, pupils, list_name="warm-up")  # reads the membership once, as the middleware would
        for records in (placements, follow_ups, pupils):
            with django_assert_num_queries(1):
                entry = log_list_read(request, records, list_name="Placements list", page_number=3)
            assert entry.listed_pupil_ids == list(dict.fromkeys(pupil_id_of_each(records)))
            assert entry.path == "/placements/"  # never the search words
        with django_assert_num_queries(0):
            assert log_list_read(request, [], list_name="Placements list") is None


def pupil_id_of_each(records) -> list[int]:
    return [r.pk if isinstance(r, Pupil) else getattr(r, "pupil_id", None) or r.placement.pupil_id for r in records]


def test_a_later_page_of_a_list_is_logged_with_its_number_and_only_its_children(client):
    from tests.factories import LocalAuthorityFactory, PupilFactory, member

    la = LocalAuthorityFactory()
    pupils = [PupilFactory(local_authority=la) for _ in range(52)]
    client.force_login(member(Role.LA_OFFICER, la))
    response = client.get("/pupils/?page=2&q=")
    shown = [pupil.pk for pupil in response.context["page"].object_list]
    entry = AccessLogEntry.objects.get()
    assert (entry.list_name, entry.page_number, entry.listed_pupil_ids) == ("Pupils list", 2, shown)
    assert len(shown) == 2 and set(shown) < {pupil.pk for pupil in pupils}
