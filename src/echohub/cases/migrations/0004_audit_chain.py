"""The audit trail becomes a chain, and the database refuses deletes too.

Each record gets `digest`: SHA-256 of the previous record's digest and its own
fields (`cases.models.audit_digest`), filled here for the records already
kept, in order. The database then refuses UPDATE, DELETE and TRUNCATE on the
table (migration 0002 refused UPDATE only). One door stays, for a purge an
operator decides and for a test database's flush: on PostgreSQL the session
setting `echohub.audit_purge = 'on'`, on SQLite the connection's
`echohub_audit_purge()` function answering 1 (EchoHub registers it answering
0). Whoever can use that door can also see the chain break
(`echohub verify_audit_trail`); running the application under a database role
without DELETE and TRUNCATE on the table closes it (docs/deploy.md).
"""

import hashlib

import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE = [
    "DROP TRIGGER IF EXISTS cases_auditrecord_no_update;",
    "CREATE TRIGGER cases_auditrecord_no_update BEFORE UPDATE ON cases_auditrecord"
    " BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;",
    "CREATE TRIGGER cases_auditrecord_no_delete BEFORE DELETE ON cases_auditrecord"
    " WHEN echohub_audit_purge() = 0"
    " BEGIN SELECT RAISE(ABORT, 'audit records are never deleted'); END;",
]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION cases_auditrecord_refuse_removal() RETURNS trigger AS $$"
    " BEGIN"
    "   IF coalesce(current_setting('echohub.audit_purge', true), '') = 'on' THEN"
    "     IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;"
    "     RETURN NULL;"
    "   END IF;"
    "   RAISE EXCEPTION 'audit records are never deleted';"
    " END; $$ LANGUAGE plpgsql;",
    "CREATE TRIGGER cases_auditrecord_no_delete BEFORE DELETE ON cases_auditrecord"
    " FOR EACH ROW EXECUTE FUNCTION cases_auditrecord_refuse_removal();",
    "CREATE TRIGGER cases_auditrecord_no_truncate BEFORE TRUNCATE ON cases_auditrecord"
    " FOR EACH STATEMENT EXECUTE FUNCTION cases_auditrecord_refuse_removal();",
]
UNDO = {
    "sqlite": ["DROP TRIGGER IF EXISTS cases_auditrecord_no_delete;"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS cases_auditrecord_no_truncate ON cases_auditrecord;",
        "DROP TRIGGER IF EXISTS cases_auditrecord_no_delete ON cases_auditrecord;",
        "DROP FUNCTION IF EXISTS cases_auditrecord_refuse_removal();",
    ],
}


def _digest(row: dict, previous: str) -> str:
    # The same content as cases.models.audit_digest, frozen here as migrations are.
    import datetime as dt

    content = "\x1f".join(
        str(value)
        for value in (
            previous,
            row["hub_id"],
            row["program_id"],
            row["case_id"],
            row["case_label"],
            row["actor_id"] if row["actor_id"] is not None else "",
            row["actor_name"],
            row["action"],
            row["detail"],
            row["ip"] or "",
            row["at"].astimezone(dt.UTC).isoformat(),
        )
    )
    return hashlib.sha256(content.encode()).hexdigest()


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    AuditRecord = apps.get_model("cases", "AuditRecord")
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_auditrecord DISABLE TRIGGER cases_auditrecord_no_update;"
        )
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS cases_auditrecord_no_update;")
    previous = ""
    fields = ["id", "hub_id", "program_id", "case_id", "case_label", "actor_id",
              "actor_name", "action", "detail", "ip", "at"]  # fmt: skip
    for row in AuditRecord.objects.order_by("pk").values(*fields).iterator():
        previous = _digest(row, previous)
        AuditRecord.objects.filter(pk=row["id"]).update(digest=previous)
    if vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE cases_auditrecord ENABLE TRIGGER cases_auditrecord_no_update;"
        )
        statements = POSTGRESQL
    else:
        statements = SQLITE
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in UNDO.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_shared_questionnaire_engine")]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditrecord",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.RunPython(forwards, backwards),
    ]
