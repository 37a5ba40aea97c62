from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "echohub.certificates"
    verbose_name = _("CPD credit and certificates")

    def ready(self) -> None:
        from echohub.certificates import receivers  # noqa: F401  (connects the signal handlers)
