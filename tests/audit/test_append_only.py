import pytest
from django.db import DatabaseError, connection, transaction

from aphub.audit.models import AccessLogEntry, AppendOnlyError, SecurityEvent
from aphub.audit.services import log_access
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    la = LocalAuthorityFactory()
    school = SchoolFactory(local_authority=la)
    return log_access(user=member(Role.LA_OFFICER, la), obj=school, verb="view", path="/schools/1/")


def test_the_app_cannot_update_or_delete_an_entry(entry):
    entry.verb = "erase"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(pk=entry.pk).update(verb="erase")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).verb == "view"


@pytest.mark.parametrize("table", ["audit_accesslogentry", "audit_securityevent"])
def test_the_database_refuses_raw_sql_update_and_delete(entry, table):
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGNED_IN)
    for sql in (f"UPDATE {table} SET request_id = 'forged'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE request_id = 'forged'")
        assert cursor.fetchone()[0] == 0
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        assert cursor.fetchone()[0] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_accesslogentry")


def test_the_database_still_accepts_new_entries(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM audit_accesslogentry")
        assert cursor.fetchone()[0] == 1
