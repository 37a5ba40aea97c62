from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "echohub.reference"
    verbose_name = _("Reference lists")

    def ready(self) -> None:
        from echohub.pagecache.cache import bump_on_change
        from echohub.reference.models import PracticeSetting, Profession, Province, Topic

        # Their names are on filters and cards of the public pages.
        bump_on_change(Province, Profession, PracticeSetting, Topic)
