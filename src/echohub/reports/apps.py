"""Reach and outcome reports: the figures, their aggregates, the dashboards and the exports.

`reports` reads every app and no app reads it; the session and program pages show
its figures through its template tags.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "echohub.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from echohub.reports import receivers  # noqa: F401  (connects the signal receivers)
