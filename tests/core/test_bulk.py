"""core.bulk.insert_all writes new rows as bulk_create would (one COPY on PostgreSQL): the objects get their keys and
every value reads back the same, escapes and all; log_access_many writes its rows the same way."""

import datetime
from decimal import Decimal

import pytest

from aphub.audit.models import AccessLogEntry
from aphub.audit.services import log_access_many
from aphub.core.bulk import insert_all, insert_rows, new_objects
from aphub.funding.models import FundingLine
from aphub.organisations.models import Role
from aphub.pupils.models import Pupil
from tests.factories import LocalAuthorityFactory, PlacementFactory, make_upn, member

pytestmark = pytest.mark.django_db

AWKWARD = "Tab\there, a new\nline, a \\ backslash, \\N and a return\r"


def test_new_objects_get_their_keys_and_every_value_reads_back():
    la = LocalAuthorityFactory()
    made = insert_all(
        Pupil,
        [
            Pupil(
                local_authority=la,
                upn=make_upn(la.la_code, n),
                first_name=f"Robin{n}",
                last_name="Hartley",
                date_of_birth=datetime.date(2012, 3, 14),
                sex="F",
                looked_after=n == 1,
                medical_needs=AWKWARD,
            )
            for n in range(3)
        ],  # fmt: skip
    )
    assert all(pupil.pk for pupil in made) and not made[0]._state.adding
    for pupil in made:
        stored = Pupil.objects.get(pk=pupil.pk)
        assert (stored.upn, stored.first_name, stored.medical_needs, stored.looked_after, stored.date_of_birth) == (
            pupil.upn, pupil.first_name, AWKWARD, pupil.looked_after, datetime.date(2012, 3, 14),
        )  # fmt: skip
        assert stored.postcode == "" and stored.created_at is not None  # the model's defaults
    # The sequence moved on: a row saved the ordinary way after them gets a key of its own.
    later = Pupil.objects.create(local_authority=la, upn=make_upn(la.la_code, 9), first_name="A", last_name="B",
                                 date_of_birth=datetime.date(2012, 1, 1), sex="M")  # fmt: skip
    assert later.pk not in {pupil.pk for pupil in made}


def test_decimals_foreign_keys_and_empty_values():
    placement = PlacementFactory()
    line = FundingLine(
        placement_id=placement.pk, local_authority_id=placement.pupil.local_authority_id, kind="top-up", payer="la",
        financial_year=2026, period_start=datetime.date(2026, 11, 10), period_end=datetime.date(2027, 3, 31),
        days=142, annual_rate=Decimal("8000.00"), amount=Decimal("3112.33"),
    )  # fmt: skip
    [saved] = insert_all(FundingLine, [line])
    stored = FundingLine.objects.get(pk=saved.pk)
    assert (stored.amount, stored.annual_rate, stored.payer_school_id) == (Decimal("3112.33"), Decimal("8000.00"), None)
    assert insert_all(FundingLine, []) == []


def test_log_access_many_writes_one_row_a_record_with_the_actor():
    la = LocalAuthorityFactory()
    officer = member(Role.LA_OFFICER, la)
    pupils = [PlacementFactory(pupil__local_authority=la).pupil for _ in range(3)]
    assert log_access_many(user=officer, objs=pupils, verb="view", path="/pupils/?q=Robin\tHartley") == 3
    rows = AccessLogEntry.objects.filter(user_id=officer.pk).order_by("object_id")
    assert [row.object_id for row in rows] == sorted(str(pupil.pk) for pupil in pupils)
    for row in rows:
        assert (row.object_type, row.verb, row.role, row.local_authority_id, row.path) == (
            "pupils.Pupil", "view", Role.LA_OFFICER, la.pk, "/pupils/",
        )  # fmt: skip
        assert row.user_email == officer.email and row.at is not None and row.list_name is None


def test_a_related_object_saved_after_it_was_given_is_written_with_its_key():
    from aphub.pupils.models import Enrolment
    from tests.factories import SchoolFactory

    la = LocalAuthorityFactory()
    school = SchoolFactory(local_authority=la)
    pupil = Pupil(local_authority=la, upn=make_upn(la.la_code, 5), first_name="Jo", last_name="Price",
                  date_of_birth=datetime.date(2013, 1, 20), sex="F")  # fmt: skip
    enrolment = Enrolment(pupil=pupil, school=school, start_date=datetime.date(2026, 9, 7))
    with pytest.raises(ValueError):
        insert_all(Enrolment, [enrolment])
    pupil.save()
    [saved] = insert_all(Enrolment, [enrolment])
    assert Enrolment.objects.get(pk=saved.pk).pupil == pupil


def test_rows_given_as_values_take_every_default_a_new_object_would():
    from aphub.placements.models import EpisodeChange
    from tests.factories import EpisodeFactory

    episode = EpisodeFactory()
    written = insert_rows(
        EpisodeChange,
        [
            {"episode_id": episode.pk, "action": "corrected", "changes": {"Start date": ["1 Sept", AWKWARD]},
             "reason": AWKWARD},
            {"episode_id": episode.pk, "action": "withdrawn", "changes": {}, "reason": "Recorded in error"},
        ],
    )  # fmt: skip
    assert written == 2
    first, second = EpisodeChange.objects.filter(episode=episode).order_by("pk")
    assert (first.changes, first.reason, first.action) == ({"Start date": ["1 Sept", AWKWARD]}, AWKWARD, "corrected")
    assert (second.changes, second.reason) == ({}, "Recorded in error")
    # Left out: the nullable relation is empty, the callable default (now) is called as for a new object.
    assert first.changed_by_id is None and first.changed_at is not None and second.changed_at >= first.changed_at
    # A JSON field left out takes its callable default too, a dict of its own for each row.
    insert_rows(EpisodeChange, [{"episode_id": episode.pk, "action": "withdrawn", "reason": "Again"}])
    assert EpisodeChange.objects.get(episode=episode, reason="Again").changes == {}
    assert insert_rows(EpisodeChange, []) == 0
    # The database gave each row its key: one saved the ordinary way after them gets one of its own.
    later = EpisodeChange.objects.create(episode=episode, action="withdrawn", reason="Later")
    assert EpisodeChange.objects.filter(episode=episode).count() == 4 and later.pk > second.pk


def test_a_row_naming_a_relation_by_its_object_or_a_key_is_refused():
    from aphub.placements.models import EpisodeChange
    from tests.factories import EpisodeFactory

    episode = EpisodeFactory()
    with pytest.raises(ValueError, match="attname"):
        insert_rows(EpisodeChange, [{"episode": episode, "action": "withdrawn", "reason": "No"}])


def test_objects_built_from_rows_are_those_built_from_keywords():
    from aphub.pupils.models import Enrolment
    from tests.factories import SchoolFactory

    la = LocalAuthorityFactory()
    school = SchoolFactory(local_authority=la)
    officer = member(Role.LA_OFFICER, la)
    details = {"local_authority": la, "created_by": officer, "first_name": "Robin", "last_name": "Hartley",
               "date_of_birth": datetime.date(2012, 3, 14), "medical_needs": AWKWARD}  # fmt: skip
    rows = [{**details, "upn": make_upn(la.la_code, n)} for n in range(2)]
    built, by_keywords = new_objects(Pupil, rows), [Pupil(**row) for row in rows]
    for made, expected in zip(built, by_keywords, strict=True):
        for field in Pupil._meta.concrete_fields:
            if field.name not in ("created_at", "updated_at"):  # now, called for each
                assert getattr(made, field.attname) == getattr(expected, field.attname), field.name
        assert made.pk is None and made._state.adding
        # The related objects given are kept: reading them asks nothing of the database.
        assert made.local_authority is la and made.created_by is officer
    saved = insert_all(Pupil, built)
    # A relation given by its object and one given by its key are both written with their keys.
    enrolments = new_objects(
        Enrolment, [{"pupil": saved[0], "school_id": school.pk, "start_date": datetime.date(2026, 9, 7)}]
    )
    assert enrolments[0].registration == Enrolment.Registration.SINGLE  # the default
    [enrolment] = insert_all(Enrolment, enrolments)
    assert Enrolment.objects.get(pk=enrolment.pk).pupil == saved[0]
    assert Pupil.objects.get(pk=saved[1].pk).medical_needs == AWKWARD
    with pytest.raises(ValueError):
        new_objects(Pupil, [rows[0], {**rows[1], "postcode": "B91 3SX"}])
