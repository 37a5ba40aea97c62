"""The database cache's table, so login limits are shared by every web process.

`createcachetable` makes the table of each cache configured with Django's
DatabaseCache (none when REDIS_URL points the cache at Redis), and leaves an
existing one alone; running it from a migration means `migrate` is all a new
installation needs.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_practice_postal_code")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
