"""The privacy page's current text becomes version 1 of the privacy notice."""

from django.db import migrations
from django.utils import timezone


def first_version(apps, schema_editor):
    SitePage = apps.get_model("sitepages", "SitePage")
    PrivacyNotice = apps.get_model("accounts", "PrivacyNotice")
    page = SitePage.objects.filter(key="privacy").first()
    if page is None or PrivacyNotice.objects.exists():
        return
    PrivacyNotice.objects.create(
        version=1,
        title_en=page.title_en,
        title_fr=page.title_fr,
        body_en=page.body_en,
        body_fr=page.body_fr,
        published_at=page.updated_at or timezone.now(),
        published_by_id=page.updated_by_id,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sitepages", "0001_initial"),
        ("accounts", "0007_privacy_notice_versions"),
    ]

    operations = [migrations.RunPython(first_version, migrations.RunPython.noop)]
