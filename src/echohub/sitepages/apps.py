from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SitePagesConfig(AppConfig):
    name = "echohub.sitepages"
    verbose_name = _("Site pages")
