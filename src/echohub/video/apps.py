from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "echohub.video"
    verbose_name = _("Video platforms")

    def ready(self) -> None:
        from echohub import sealing  # noqa: F401 (registers its deploy check)
        from echohub.video import events

        events.connect()
