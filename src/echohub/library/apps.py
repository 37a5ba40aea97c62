from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "echohub.library"
    verbose_name = _("Knowledge library")

    def ready(self) -> None:
        # Signal receivers that keep the search index current.
        from echohub.library.search import receivers  # noqa: F401

        # (The index itself starts a new page-cache generation whenever it changes.)
