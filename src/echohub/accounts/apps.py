from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "echohub.accounts"
    verbose_name = _("People")

    def ready(self) -> None:
        # Connects the sign-in stamp of staff sessions (security._signed_in).
        from echohub.accounts import security  # noqa: F401
