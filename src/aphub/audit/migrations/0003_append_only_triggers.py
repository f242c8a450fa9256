"""Database triggers that refuse UPDATE and DELETE on the logs, whatever SQL the application (or a person) runs.

The app already refuses in Python; these stop raw SQL, a bulk tool or a shell. Only the database owner can drop
them, which leaves a trace in the migration history and the database's own logs.
"""

from django.db import migrations

TABLES = ["audit_accesslogentry", "audit_securityevent"]


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    create = [
        f"""
        CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION '{table} is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql;
        """,
        f"""
        CREATE TRIGGER {table}_append_only
        BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
        """,
        # TRUNCATE skips row triggers, so it needs its own statement-level one.
        f"""
        CREATE TRIGGER {table}_no_truncate
        BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only();
        """,
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
        f"DROP FUNCTION IF EXISTS {table}_append_only();",
    ]
    return create, drop


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    create = [
        f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE is not allowed'); END;
        """,
        f"""
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE is not allowed'); END;
        """,
    ]
    drop = [f"DROP TRIGGER IF EXISTS {table}_no_update;", f"DROP TRIGGER IF EXISTS {table}_no_delete;"]
    return create, drop


def _statements(vendor: str, which: int) -> list[str]:
    builder = {"postgresql": _postgresql, "sqlite": _sqlite}.get(vendor)
    if builder is None:
        return []  # another database: the application-level guard still holds
    return [sql for table in TABLES for sql in builder(table)[which]]


def create_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, 0):
        schema_editor.execute(sql, params=None)  # no params: the % in RAISE is PL/pgSQL's, not a placeholder


def drop_triggers(apps, schema_editor):
    for sql in _statements(schema_editor.connection.vendor, 1):
        schema_editor.execute(sql, params=None)  # no params: the % in RAISE is PL/pgSQL's, not a placeholder


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_add_local_authority_and_security_events")]

    operations = [migrations.RunPython(create_triggers, drop_triggers, elidable=False)]
