"""`echohub rebuild_search_index`: index the whole library and case library again."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.library.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from scratch: after moving to another database engine, "
        "or after a bulk import that did not go through EchoHub's services."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        written = rebuild()
        self.stdout.write(f"{written} search entries written")
