"""Retention and erasure (issue 15): the schedule, the sweep's list of what is past it, and the LA admin's approval
that erases a child's personal data while the anonymous counts stay (the dashboards count the same afterwards) and
the access log keeps the fact of the erasure, never the values."""

import datetime
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.core.days.school_years import school_year_start
from aphub.data_protection import retention
from aphub.data_protection.erasure import DELETED, ERASURE, erased_upn
from aphub.data_protection.models import RetentionPeriod
from aphub.data_protection.subject_access import tables_holding_pupil_data
from aphub.duties.models import Notification
from aphub.insight.dashboards import dashboards
from aphub.insight.dashboards.filters import DashboardForm
from aphub.organisations.models import Role
from aphub.placements.models import (
    AttendanceMark,
    Episode,
    OutcomeScore,
    Referral,
    ReferralDocument,
    Review,
)
from aphub.pupils.models import Pupil
from tests.factories import EpisodeFactory, LocalAuthorityFactory, PlacementFactory, PupilFactory, member
from tests.placements.conftest import TODAY

D = datetime.date
CHILD = "child-ap-record"
# Today is 10 November 2026 (frozen): a child born on 10 November 2001 turns 25 today.
TWENTY_FIFTH_BIRTHDAY_TODAY = D(2001, 11, 10)


def test_every_field_of_every_table_holding_a_childs_data_is_either_kept_or_cleared():
    """Deny by default: a field added to any table that reaches a child fails here until someone decides whether
    erasure keeps it for the statistics or clears it."""
    for table in tables_holding_pupil_data():
        if table.label in DELETED:
            continue
        assert table.label in ERASURE, f"{table.label} holds a child's data: say what erasure does with it"
        fields = {field.name for field in table.model._meta.concrete_fields}
        spec = ERASURE[table.label]
        assert not set(spec.kept) & set(spec.cleared), table.label
        assert set(spec.kept) | set(spec.cleared) == fields, f"{table.label}: {fields ^ {*spec.kept, *spec.cleared}}"


def test_a_childs_record_is_due_from_their_25th_birthday_and_only_when_nothing_is_open(town):
    due_today = town.pupil(first_name="Ada", date_of_birth=TWENTY_FIFTH_BIRTHDAY_TODAY)
    town.pupil(first_name="Ben", date_of_birth=D(2001, 11, 11))  # 25 tomorrow
    still_open = town.pupil(first_name="Cal", date_of_birth=D(1999, 1, 1))
    EpisodeFactory(pupil=still_open, status=Episode.Status.OPEN)
    placed = town.pupil(first_name="Dee", date_of_birth=D(1999, 1, 1))
    PlacementFactory(pupil=placed, episode__status=Episode.Status.CLOSED, status="active")
    PupilFactory(local_authority=LocalAuthorityFactory(), date_of_birth=D(1990, 1, 1))  # another LA's

    assert list(retention.due(town.la.pk, CHILD)) == [due_today]
    assert list(retention.due(town.la.pk, CHILD, TODAY - datetime.timedelta(days=1))) == []
    # The LA keeps them longer: nobody is due.
    retention.set_retention_schedule(user=town.admin, years={CHILD: 30})
    assert list(retention.due(town.la.pk, CHILD)) == []


def _old_child_with_everything(town) -> Pupil:
    """A child excluded in 2015 at 15, placed for a term, reviewed, with notes, a document and a notification:
    25 years old in 2026, with nothing open."""
    pupil = town.pupil(
        first_name="Oriel",
        last_name="Quennell",
        date_of_birth=D(2000, 1, 15),
        postcode="B91 3QB",
        uln="1234567890",
        medical_needs="Asthma: inhaler in bag",
        sex="F",
    )
    placement = PlacementFactory(
        pupil=pupil,
        provision=town.provision(),
        episode__status=Episode.Status.CLOSED,
        episode__start_date=D(2015, 10, 5),
        episode__summary="Oriel was excluded after an incident",
        start_date=D(2015, 10, 12),
        end_date=D(2015, 12, 18),
        status="ended",
        destination="mainstream",
        exit_notes="Oriel returned to Ashgrove",
    )
    referral = Referral.objects.create(
        pupil=pupil, episode=placement.episode, status="approved", needs_summary="Oriel needs a small group"
    )
    ReferralDocument.objects.create(
        referral=referral,
        title="Oriel Quennell EP report",
        file=ContentFile(b"%PDF-1.4 report", name="oriel.pdf"),
        content_type="application/pdf",
        size=15,
    )
    review = Review.objects.create(
        placement=placement, kind="start", held_on=D(2015, 10, 12), pupil_voice="Oriel says she likes art"
    )
    OutcomeScore.objects.create(review=review, area="safe", score=3)
    AttendanceMark.objects.create(placement=placement, date=D(2015, 10, 12), session="AM", code="/", note="Oriel ok")
    Notification.objects.create(
        local_authority=town.la, kind="referral-submitted", subject="Referral for Oriel Quennell", path="/", pupil=pupil
    )
    return pupil


def _every_table(dashboard_user) -> dict:
    """Every registered dashboard's every table for 2015/16, the year the child was in AP, unfiltered and by
    locality, phase and key stage: what a committee would compare year on year."""
    found = {}
    for narrowing in ({}, {"locality": "B91"}, {"phase": "secondary"}, {"key_stage": "ks4"}):
        form = DashboardForm({"period": "2015", **narrowing}, user=dashboard_user, today=D(2016, 7, 1))
        assert form.is_valid(), form.errors
        for dashboard in dashboards().values():
            for figure in dashboard.build(dashboard_user, form.filters()):
                found[(str(narrowing), dashboard.slug, figure.key)] = (figure.table.headings, figure.table.rows)
    return found


def test_an_la_admin_approves_the_erasure_and_the_childs_personal_data_is_gone_but_the_counts_stay(
    client, town, django_capture_on_commit_callbacks
):
    pupil = _old_child_with_everything(town)
    stored_file = ReferralDocument.objects.get().file.name
    storage = ReferralDocument._meta.get_field("file").storage
    assert storage.exists(stored_file)
    upn, born = pupil.upn, pupil.date_of_birth
    before = _every_table(town.officer)
    assert any(rows for _, rows in before.values()), "the dashboards count the child before"

    client.force_login(town.admin)
    page = client.get(reverse("audit:retention"))
    assert page.status_code == 200
    assert "Children&#x27;s AP records" in page.content.decode() or "Children's AP records" in page.content.decode()
    listed = client.get(reverse("audit:retention-due"))
    assert "Oriel Quennell" in listed.content.decode()
    assert AccessLogEntry.objects.filter(list_name="Records past retention", pupil_ids=f",{pupil.pk},").exists()
    confirm = client.get(reverse("audit:retention-erase-child-ap-record"))
    assert "Are you sure you want to erase 1 child&#x27;s AP record?" in confirm.content.decode()
    # The document's file is deleted once the erasure commits (a rolled-back one keeps it).
    with django_capture_on_commit_callbacks(execute=True):
        erased = client.post(
            reverse("audit:retention-erase-child-ap-record"), {"as_of": TODAY.isoformat(), "expected": 1}
        )
    assert erased.status_code == 302

    pupil.refresh_from_db()
    assert pupil.erased_at is not None
    assert (pupil.first_name, pupil.last_name, pupil.uln, pupil.medical_needs) == ("", "", "", "")
    assert pupil.upn == erased_upn(pupil.pk) and pupil.postcode == "B91"
    assert pupil.date_of_birth == school_year_start(born) == D(1999, 9, 1)
    assert pupil.full_name == "Erased record"
    # No value of the child's is left in any row of any table that reaches them.
    for table in tables_holding_pupil_data():
        for row in table.model._default_manager.filter(**{table.lookup: pupil.pk}).values():
            text = " ".join(str(value) for value in row.values())
            for value in ("Oriel", "Quennell", upn, "1234567890", "Asthma", str(born), "3QB"):
                assert value not in text, (table.label, value)
    assert not ReferralDocument.objects.exists() and not storage.exists(stored_file)
    assert not Notification.objects.filter(pupil=pupil).exists()
    # The statistics: every table of every dashboard for that year is unchanged.
    assert _every_table(town.officer) == before
    # The access log: the fact, by whom; no row holds a value of the child's.
    entry = AccessLogEntry.objects.get(verb="erase", object_type="pupils.Pupil", object_id=str(pupil.pk))
    assert entry.user_email == town.admin.email
    for row in AccessLogEntry.objects.values():
        text = " ".join(str(value) for value in row.values())
        assert "Oriel" not in text and upn not in text
    log = client.get(reverse("audit:access-log"), {"pupil": pupil.pk}).content.decode()
    assert "Erased record" in log and "Oriel" not in log
    # Nobody opens, lists or exports it as a child's record again.
    assert client.get(reverse("placements:pupil", kwargs={"pk": pupil.pk})).status_code == 404
    assert client.get(reverse("audit:subject-access", kwargs={"pk": pupil.pk})).status_code == 404
    assert list(retention.due(town.la.pk, CHILD)) == []


def test_nothing_is_erased_when_the_list_changed_since_the_admin_checked_it(client, town):
    pupil = town.pupil(first_name="Ada", date_of_birth=D(1990, 1, 1))
    town.pupil(first_name="Bea", date_of_birth=D(1990, 1, 1))
    client.force_login(town.admin)
    response = client.post(
        reverse("audit:retention-erase-child-ap-record"), {"as_of": TODAY.isoformat(), "expected": 1}, follow=True
    )
    assert "The list has changed since you checked it: 2 records are due now, not 1" in response.content.decode()
    pupil.refresh_from_db()
    assert pupil.erased_at is None and pupil.first_name == "Ada"
    assert not AccessLogEntry.objects.filter(verb="erase").exists()


@pytest.mark.parametrize("role", [Role.LA_OFFICER, Role.AUDITOR, Role.SCHOOL_STAFF, Role.PROVIDER_STAFF])
def test_only_an_la_admin_approves_an_erasure(client, town, role):
    pupil = town.pupil(date_of_birth=D(1990, 1, 1))
    user = {
        Role.LA_OFFICER: town.officer,
        Role.AUDITOR: town.auditor,
        Role.SCHOOL_STAFF: town.school_a_staff,
        Role.PROVIDER_STAFF: town.p1_staff,
    }[role]
    client.force_login(user)
    url = reverse("audit:retention-erase-child-ap-record")
    assert client.get(url).status_code == 403
    assert client.post(url, {"as_of": TODAY.isoformat(), "expected": 1}).status_code == 403
    assert client.post(reverse("audit:retention-schedule"), {CHILD: "1", "notification": "1"}).status_code == 403
    pupil.refresh_from_db()
    assert pupil.erased_at is None
    # The auditor reads the schedule and the list; it offers them no erasure.
    if role == Role.AUDITOR:
        page = client.get(reverse("audit:retention")).content.decode()
        assert "Erase 1" not in page and "Change the retention schedule" not in page


def test_another_las_admin_never_sees_or_erases_this_las_children(client, town):
    pupil = town.pupil(first_name="Ada", date_of_birth=D(1990, 1, 1))
    elsewhere = member(Role.LA_ADMIN, LocalAuthorityFactory())
    client.force_login(elsewhere)
    assert "Ada" not in client.get(reverse("audit:retention-due")).content.decode()
    client.post(reverse("audit:retention-erase-child-ap-record"), {"as_of": TODAY.isoformat(), "expected": 1})
    pupil.refresh_from_db()
    assert pupil.erased_at is None


def test_the_schedule_is_the_las_own_and_every_wrong_number_is_named_at_once(client, town):
    client.force_login(town.admin)
    url = reverse("audit:retention-schedule")
    form = client.get(url).content.decode()
    assert 'value="25"' in form and "IRMS" in form
    wrong = client.post(url, {CHILD: "0", "notification": "lots"})
    assert wrong.status_code == 400
    page = wrong.content.decode()
    assert "govuk-error-summary" in page
    assert "a whole number from 1 to 100" in page and page.count("a whole number from 1 to 100") >= 4
    assert not RetentionPeriod.objects.exists()
    saved = client.post(url, {CHILD: "30", "notification": "2"})
    assert saved.status_code == 302
    period = RetentionPeriod.objects.get()  # only the number that changed is stored
    assert (period.record_type, period.years, period.changed_by) == (CHILD, 30, town.admin)
    assert AccessLogEntry.objects.filter(
        verb="change", object_type="data_protection.RetentionPeriod", object_id=str(period.pk)
    ).exists()
    assert "Set by your LA (default 25 years)" in client.get(reverse("audit:retention")).content.decode()


def test_old_notifications_naming_a_child_are_deleted_after_approval(client, town):
    pupil = town.pupil()
    with_child = {"local_authority": town.la, "kind": "referral-submitted", "path": "/", "pupil": pupil}
    old = Notification.objects.create(subject="Referral for Robin", **with_child)
    Notification.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2024, 11, 1, tzinfo=datetime.UTC))
    recent = Notification.objects.create(subject="Referral for Robin", **with_child)
    client.force_login(town.admin)
    client.post(reverse("audit:retention-erase-notification"), {"as_of": TODAY.isoformat(), "expected": 1})
    assert list(Notification.objects.all()) == [recent]
    assert AccessLogEntry.objects.filter(verb="erase", object_type="duties.Notification", object_id=str(old.pk))


def test_the_nightly_sweep_counts_what_is_due_and_erases_nothing(town):
    pupil = town.pupil(date_of_birth=D(1990, 1, 1))
    out = StringIO()
    call_command("retention-sweep", "--la", town.la.la_code, stdout=out)
    assert f"{town.la.la_code} {town.la.name}: 1 child's AP record past 25 years" in out.getvalue()
    assert out.getvalue().splitlines()[-1].startswith("retention sweep: 1 records due for erasure")
    pupil.refresh_from_db()
    assert pupil.erased_at is None


def test_erased_fields_are_emptied_in_the_form_their_column_allows():
    """A cleared field that cannot be NULL is left empty, not NULL (the UPDATE would fail on PostgreSQL)."""
    from aphub.data_protection.erasure import _emptied

    assert _emptied(models.CharField(max_length=3)) == ""
    assert _emptied(models.TextField(null=True)) is None
    assert _emptied(models.JSONField(default=dict)) == {}
    assert _emptied(models.BooleanField(default=True)) is False
