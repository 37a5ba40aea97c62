"""The page cache's own table (`settings.CACHES["pages"]`), made by `migrate` as the
login limits' table is (accounts 0006): `createcachetable` makes every configured
database cache's table and leaves existing ones alone; with REDIS_URL it makes none."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_cache_table")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
