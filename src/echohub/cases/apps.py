from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def purge_closed(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite: the function the audit trail's DELETE trigger asks (0: refuse), registered
    on every connection EchoHub opens (migration 0004)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "echohub_audit_purge", 0, lambda: 0, deterministic=True
        )


class CasesConfig(AppConfig):
    name = "echohub.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        connection_created.connect(purge_closed, dispatch_uid="echohub.cases.purge_closed")
