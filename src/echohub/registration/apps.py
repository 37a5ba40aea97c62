from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "echohub.registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from echohub.registration import receivers  # noqa: F401  (connects the signal handlers)
