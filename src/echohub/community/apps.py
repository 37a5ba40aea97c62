from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "echohub.community"
    verbose_name = _("Community of practice")

    def ready(self) -> None:
        # The library's one search finds threads too, by the spaces' own rule.
        from echohub.community import search
        from echohub.library.search import index, query

        if search.visible_threads not in query.VISIBILITY_RULES:
            query.VISIBILITY_RULES.append(search.visible_threads)
        if search.index_all not in index.REBUILDERS:
            index.REBUILDERS.append(search.index_all)
