from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "echohub.webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        from echohub.webhooks import events

        events.connect()
