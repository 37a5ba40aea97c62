from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from echohub.reference.lists import TOPICS

    model = apps.get_model("reference", "Topic")
    for position, (code, name_en, name_fr) in enumerate(TOPICS):
        model.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_fr": name_fr, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_topic")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
