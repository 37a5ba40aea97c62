"""Load the Canadian reference lists; later edits to lists.py need a new migration."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from echohub.reference.lists import PRACTICE_SETTINGS, PROFESSIONS, PROVINCES

    for model_name, rows in (
        ("Province", PROVINCES),
        ("Profession", PROFESSIONS),
        ("PracticeSetting", PRACTICE_SETTINGS),
    ):
        model = apps.get_model("reference", model_name)
        for position, (code, name_en, name_fr) in enumerate(rows):
            model.objects.update_or_create(
                code=code, defaults={"name_en": name_en, "name_fr": name_fr, "position": position}
            )


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
