"""The access log reads in words: the child's name and UPN, the record or the list as a person would say it, filters
by person, child and dates (GOV.UK date inputs), and a CSV download that is itself logged as an export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import log_access, log_list_read
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, PlacementFactory, PupilFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db

URL = reverse("audit:access-log")


class _Request:
    def __init__(self, user, path):
        self.user, self.path = user, path


@pytest.fixture
def story(time_machine):
    """An officer opens Sam's placement on 1 December and reads a list of two children on 2 December."""
    la = LocalAuthorityFactory(name="Xenbury Borough Council")
    sam = PupilFactory(local_authority=la, first_name="Sam", last_name="Jones")
    ali = PupilFactory(local_authority=la, first_name="Ali", last_name="Khan")
    placement = PlacementFactory(
        pupil=sam, provision__name="Greenway Farm", start_date=datetime.date(2026, 3, 3), status="active"
    )
    officer = member(Role.LA_OFFICER, la)
    school_staff = member(Role.SCHOOL_STAFF, SchoolFactory(local_authority=la))
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False)
    log_access(user=officer, obj=placement, verb="view", path=f"/placements/{placement.pk}/")
    time_machine.move_to(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC), tick=False)
    log_list_read(_Request(school_staff, "/pupils/"), [ali, sam], list_name="Pupils list", page_number=2)
    return la, sam, ali, placement, officer, school_staff


def _body(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_entries_name_the_child_and_the_record_in_words(client, story):
    la, sam, ali, placement, officer, _ = story
    client.force_login(member(Role.AUDITOR, la))
    body = _body(client)
    assert "Placement at Greenway Farm, started 3 March 2026" in body
    assert "Pupils list, page 2: 2 children" in body
    assert f'Sam Jones</a><br><span class="app-result__meta">UPN {sam.upn}' in body
    assert "Ali Khan" in body and ali.upn in body
    assert "placements.Placement" not in body and "pupils.Pupil" not in body
    assert "Viewed" in body and "LA officer, Xenbury Borough Council" in body


def test_filter_by_child_finds_their_records_and_the_lists_that_showed_them(client, story):
    la, sam, ali, placement, officer, school_staff = story
    other = PlacementFactory(pupil__local_authority=la, provision__name="Riverside Centre")
    log_access(user=officer, obj=other, verb="view")
    client.force_login(member(Role.LA_ADMIN, la))
    for params in ({"child": "sam jones"}, {"child": sam.upn}, {"pupil": sam.pk}):
        body = _body(client, **params)
        assert "Greenway Farm" in body and "Pupils list, page 2" in body, params
        assert "Riverside Centre" not in body, params
        assert f"Showing everything about: Sam Jones (UPN {sam.upn})" in body
    body = _body(client, child="Ali")
    assert "Pupils list, page 2" in body and "Greenway Farm" not in body


def test_filter_by_person_and_by_dates(client, story):
    la, sam, ali, placement, officer, school_staff = story
    client.force_login(member(Role.LA_ADMIN, la))
    body = _body(client, person=officer.email.split("@")[0].upper())
    assert "Greenway Farm" in body and "Pupils list" not in body
    body = _body(client, date_from_0="2", date_from_1="12", date_from_2="2026")
    assert "Pupils list" in body and "Greenway Farm" not in body
    body = _body(client, date_to_0="1", date_to_1="12", date_to_2="2026")
    assert "Greenway Farm" in body and "Pupils list" not in body


def test_bad_filters_are_listed_in_the_error_summary_all_at_once(client, story):
    client.force_login(member(Role.LA_ADMIN, story[0]))
    params = {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026", "child": "Nobody Atall"}
    body = _body(client, **params)
    assert "There is a problem" in body and "<title>Error: Access log" in body
    assert 'href="#id_date_from_0">The first date must be a real date' in body
    assert 'href="#id_child">No child you can see has that name or UPN' in body
    body = _body(
        client, date_from_0="5", date_from_1="12", date_from_2="2026", date_to_0="1", date_to_1="12", date_to_2="2026"
    )
    assert "The last date must be the same as or after the first date" in body


def test_the_csv_is_in_words_and_is_logged_as_an_export_of_the_children_it_names(client, story):
    la, sam, ali, placement, officer, _ = story
    admin = member(Role.LA_ADMIN, la)
    client.force_login(admin)
    response = client.get(URL, {"child": "Sam", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["When (UK time)", "Person", "Role", "Organisation", "Did", "Record"]
    assert [row[5] for row in rows[1:]] == [
        "Pupils list, page 2: 2 children",
        "Placement at Greenway Farm, started 3 March 2026",
    ]
    assert rows[2][6] == f"Sam Jones ({sam.upn})"
    export = AccessLogEntry.objects.filter(verb="export").get()
    assert (export.user_id, export.list_name, set(export.listed_pupil_ids)) == (
        admin.pk,
        "Access log download",
        {sam.pk, ali.pk},
    )


def test_only_la_admins_and_auditors_download_the_log(client, story):
    client.force_login(story[4])
    assert client.get(URL, {"format": "csv"}).status_code == 403


def test_a_page_of_entries_costs_the_same_queries_for_few_or_many(client, story):
    la, sam, ali, placement, officer, school_staff = story
    log_access(user=officer, obj=sam, verb="view")  # every kind of record on the page already: a query per kind
    client.force_login(member(Role.AUDITOR, la))
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(8):
        extra = PlacementFactory(pupil__local_authority=la)
        log_access(user=officer, obj=extra, verb="view")
        log_access(user=officer, obj=extra.pupil, verb="view")
        log_list_read(_Request(officer, "/placements/"), [extra, sam], list_name="Placements list", page_number=1)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).content.decode()
    assert body.count("Placements list, page 1: 2 children") == 8
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_child_of_another_la_opened_by_one_of_our_providers_is_not_named(client, story):
    from tests.factories import ProviderFactory, ProvisionFactory

    la, *_ = story
    provider = ProviderFactory(local_authority=la)
    elsewhere = PlacementFactory(
        pupil__local_authority=LocalAuthorityFactory(),
        pupil__first_name="Zed",
        provision=ProvisionFactory(provider=provider),
    )
    log_access(user=member(Role.PROVIDER_STAFF, provider), obj=elsewhere, verb="view")
    client.force_login(member(Role.AUDITOR, la))
    body = _body(client)
    assert "A child outside your local authority" in body
    assert "Zed" not in body and elsewhere.pupil.upn not in body
