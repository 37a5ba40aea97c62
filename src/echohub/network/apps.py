from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "echohub.network"
    verbose_name = _("Network")

    def ready(self) -> None:
        from echohub.network.models import Hub
        from echohub.pagecache.cache import bump_on_change

        bump_on_change(Hub)
