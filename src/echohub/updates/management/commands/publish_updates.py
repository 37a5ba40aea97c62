"""`echohub publish_updates`: email the scheduled updates now due (run it every few minutes)."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.updates.services import publish_due_updates


class Command(BaseCommand):
    help = (
        "Email subscribers the scheduled updates now published. Safe to run as often as you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{publish_due_updates()} update(s) to email")
