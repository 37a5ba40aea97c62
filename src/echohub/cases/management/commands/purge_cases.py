"""`echohub purge_cases`: delete cases past their program's retention period (run it daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.cases.services import purge_expired


class Command(BaseCommand):
    help = "Delete withdrawn cases and cases older than their program's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_expired()
        self.stdout.write(f"{purged} case(s) purged")
