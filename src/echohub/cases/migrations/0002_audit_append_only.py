"""The database itself refuses to change an audit record, whatever code asks.

Deletes are refused in the code (model and queryset); a trigger on DELETE
would also stop the test runner's table flush, so it is not added.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CREATE = {
    "sqlite": [
        "CREATE TRIGGER cases_auditrecord_no_update BEFORE UPDATE ON cases_auditrecord"
        " BEGIN SELECT RAISE(ABORT, 'audit records are never changed'); END;"
    ],
    "postgresql": [
        "CREATE FUNCTION cases_auditrecord_refuse() RETURNS trigger AS $$"
        " BEGIN RAISE EXCEPTION 'audit records are never changed'; END;"
        " $$ LANGUAGE plpgsql;",
        "CREATE TRIGGER cases_auditrecord_no_update BEFORE UPDATE ON cases_auditrecord"
        " FOR EACH ROW EXECUTE FUNCTION cases_auditrecord_refuse();",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER cases_auditrecord_no_update;"],
    "postgresql": [
        "DROP TRIGGER cases_auditrecord_no_update ON cases_auditrecord;",
        "DROP FUNCTION cases_auditrecord_refuse();",
    ],
}


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in CREATE.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def backwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
