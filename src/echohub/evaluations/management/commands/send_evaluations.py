"""`echohub send_evaluations`: ask and email the evaluations due now (run it every 5 minutes)."""

from typing import Any

from django.core.management.base import BaseCommand

from echohub.evaluations.delivery import send_evaluations


class Command(BaseCommand):
    help = "Queue the evaluation invitations and reminders due now. Safe to run often."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = send_evaluations()
        self.stdout.write(
            ", ".join(f"{kind}: {count}" for kind, count in counts.items())
            + f" ({sum(counts.values())} email(s) queued)"
        )
