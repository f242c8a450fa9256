"""The subject access export covers every table that holds a child's data, and only that child's rows."""

import datetime
import json

from django.apps import apps
from django.db import models
from django.urls import reverse

from aphub.audit.models import AccessLogEntry
from aphub.data_protection.subject_access import tables_holding_pupil_data
from aphub.placements import services
from aphub.placements.models import AttendanceMark, OutcomeScore, Review

D = datetime.date


def _reaches_pupil(model, target, steps=3) -> bool:
    if steps == 0:
        return False
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField) and field.concrete:
            if field.related_model is target:
                return True
            if field.related_model._meta.app_label not in ("organisations", "auth", "contenttypes") and _reaches_pupil(
                field.related_model, target, steps - 1
            ):
                return True
    return False


def test_every_model_that_points_at_a_pupil_is_exported():
    pupil_model = apps.get_model("pupils", "Pupil")
    exported = {table.model for table in tables_holding_pupil_data()}
    expected = {
        model
        for model in apps.get_models()
        if model._meta.app_label not in ("audit",) and _reaches_pupil(model, pupil_model)
    }
    assert expected <= exported
    for label in (
        "placements.Placement",
        "placements.AttendanceMark",
        "placements.OutcomeScore",
        "duties.Clock",
        "funding.FundingLine",
        "pupils.Enrolment",
    ):
        assert apps.get_model(label) in exported, label


def test_an_la_admin_exports_everything_about_one_child_and_the_export_is_logged(client, town):
    child, other = town.pupil(first_name="Dana"), town.pupil(first_name="Eli")
    for pupil in (child, other):
        episode = services.record_episode(
            user=town.officer, pupil=pupil, kind="permanent-exclusion", start_date=D(2026, 11, 3)
        )
        placement = services.offer_placement(
            user=town.officer,
            episode=episode,
            provision=town.provision(),
            start_date=D(2026, 11, 10),
            tier="2",
            sessions_per_week=10,
            hours_per_week="25",
            annual_cost="18000",
        )
        services.accept_placement(user=town.p1_staff, placement=placement)
        services.start_placement(user=town.p1_staff, placement=placement)
        AttendanceMark.objects.create(placement=placement, date=D(2026, 11, 10), session="AM", code="/")
        review = Review.objects.create(placement=placement, kind="start", held_on=D(2026, 11, 10), pupil_voice="OK")
        OutcomeScore.objects.create(review=review, area="safe", score=3)
    client.force_login(town.admin)
    response = client.get(reverse("audit:subject-access-json", kwargs={"pk": child.pk}))
    assert response.status_code == 200
    export = json.loads(response.content)
    tables = export["tables"]
    assert [row["first_name"] for row in tables["pupils.Pupil"]] == ["Dana"]
    for label in ("placements.Placement", "placements.AttendanceMark", "placements.OutcomeScore", "duties.Clock"):
        assert tables[label], label
        assert all(row["id"] for row in tables[label])
    assert len(tables["placements.Placement"]) == 1
    # Money leaves as exact pounds and pence strings, never floats.
    assert all(
        isinstance(line["amount"], str) and len(line["amount"].split(".")[1]) == 2
        for line in tables["funding.FundingLine"]
    )
    assert any(entry["record"] == f"pupils.Pupil {child.pk}" for entry in export["access_log"])
    assert AccessLogEntry.objects.filter(object_type="pupils.Pupil", object_id=str(child.pk), verb="export").exists()
    readable = client.get(reverse("audit:subject-access", kwargs={"pk": child.pk}))
    assert "Attendance: 1 record" in readable.content.decode()


def test_school_staff_cannot_export(client, town):
    child = town.pupil()
    client.force_login(town.school_a_staff)
    assert client.get(reverse("audit:subject-access-json", kwargs={"pk": child.pk})).status_code == 403


def test_auditors_see_who_read_the_record_but_cannot_export_its_sensitive_facts(client, town):
    child = town.pupil(medical_needs="Epilepsy")
    client.force_login(town.auditor)
    assert client.get(reverse("audit:subject-access-json", kwargs={"pk": child.pk})).status_code == 403
    assert client.get(reverse("audit:subject-access", kwargs={"pk": child.pk})).status_code == 403
    page = client.get(reverse("placements:pupil", kwargs={"pk": child.pk})).content.decode()
    assert "Who has viewed or changed this record" in page and "Subject access export" not in page
