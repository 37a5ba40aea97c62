from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkersConfig(AppConfig):
    name = "echohub.workers"
    verbose_name = _("Background workers")
