from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "echohub.pagecache"
    verbose_name = _("Public page cache")
